"""The responsibility matrix as a table, CSV, Markdown, HTML page or XLSX workbook.

Titles and names are typed by people and end up in spreadsheets: a text cell
that starts like a formula is neutralised (a leading quote in CSV; in XLSX a
string cell with Excel's own quote-prefix flag, never a formula), and control
characters, which XLSX cannot hold, are dropped.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coordkit.domain.matrix import Matrix, MatrixRow

FILLS = {"A": "FFD6A5", "R": "CFE8FF", "C": "FFF3B0", "I": "E5E5E5"}
FLAG_FILL = "FFC9C9"
STRENGTH = "ARCI"


def strongest(cell: str) -> str | None:
    """The letter that colours a cell: A, then R, C, I."""
    letters = {part[0] for part in cell.split(",") if part}
    return next((letter for letter in STRENGTH if letter in letters), None)


def party_labels(data: Matrix, *, keys: bool = False) -> list[str]:
    """What heads each party column: its name in the reader's language (the Chinese one under zh, else the
    English one), or its key with ``keys``. Two parties of the same name are told apart by their keys:
    ``Liede merchants (merchants-2)``."""
    from coordkit.i18n import language

    if keys:
        return [column["key"] for column in data["columns"]]
    chinese = language() == "zh"
    names = [
        (column.get("name_zh") if chinese else None) or column["name"] or column["key"] for column in data["columns"]
    ]
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [
        f"{name} ({column['key']})" if seen[name] > 1 else name
        for name, column in zip(names, data["columns"], strict=True)
    ]


def row_title(row: MatrixRow) -> str:
    """A duty's title in the reader's language (the Chinese one under zh when there is one)."""
    from coordkit.i18n import language

    return (row.get("title_zh") if language() == "zh" else None) or row["title"]


def category_label(row: MatrixRow) -> str | None:
    """A row's category by name in the reader's language, else by key (None: no category)."""
    from coordkit.i18n import language

    chinese = (row.get("category_name_zh") if language() == "zh" else None) or None
    return chinese or row.get("category_name") or row["category"]


def heading(word: str, keys: bool) -> str:
    """A fixed column's header: the field name with ``keys``, else in the reader's language."""
    from coordkit.i18n import _

    return word if keys else _(word)


def uses_text(uses: Sequence[Mapping[str, Any]], lang: str, *, keys: bool = False) -> str:
    """The shared resources a duty uses and when, in ``lang``: ``猎德广场 每月第二个星期六 09:00-17:00`` /
    ``Liede Square: the second Saturday of every month, 09:00-17:00`` (``keys``: the resource's key and the slot
    as stored); several are joined by "; ", and more than one unit is counted (×2)."""
    from coordkit.render.i18n import slot

    parts = []
    for use in uses:
        if keys:
            text = f"{use['resource']} {use['when']}"
        else:
            name = (use["name_zh"] if lang == "zh" else None) or use["name"]
            text = f"{name} {slot(use['when'], lang)}" if lang == "zh" else f"{name}: {slot(use['when'], lang)}"
        parts.append(text + (f" ×{use['units']}" if use["units"] > 1 else ""))
    return "; ".join(parts)


def flat(data: Matrix, *, keys: bool = False, uses: bool = False) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Columns and rows for the tabular formats (one column per party, headed by its name, then findings; with
    ``uses``, then the resources each duty uses, when any does: Markdown shows them, the XLSX and CSV that
    ``coord import matrix`` reads back keep to letters)."""
    from coordkit.i18n import language

    columns = [(word, heading(word, keys)) for word in ("project", "category", "duty", "title")]
    columns += [(c["key"], label) for c, label in zip(data["columns"], party_labels(data, keys=keys), strict=True)]
    columns.append(("findings", heading("findings", keys)))
    uses = uses and any(row.get("uses") for row in data["rows"])
    if uses:
        columns.append(("resources", heading("resources", keys)))
    lang = language()
    rows = []
    for row in data["rows"]:
        flat_row: dict[str, Any] = {k: row[k] for k in ("project", "category", "duty")}
        flat_row["category"] = row["category"] if keys else category_label(row)
        flat_row["title"] = row["title"] if keys else row_title(row)
        flat_row.update(row["cells"])
        flat_row["findings"] = "; ".join(row["findings"])
        if uses:
            flat_row["resources"] = uses_text(row.get("uses", []), lang, keys=keys)
        rows.append(flat_row)
    return columns, rows


def to_csv(data: Matrix, *, keys: bool = False) -> str:
    """Streams rows straight to the writer: the whole store can be 10,000 rows by 2,000 parties.

    Party columns are headed by names (``keys``: by keys, with the field names of the other columns)."""
    import csv

    from coordkit.output import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    fixed = [heading(word, keys) for word in ("project", "category", "duty", "title")]
    labels = party_labels(data, keys=keys)
    writer.writerow([neutralise(text) for text in (*fixed, *labels, heading("findings", keys))])
    width = len(labels)
    position = {column["key"]: index for index, column in enumerate(data["columns"])}
    for row in data["rows"]:
        cells = [""] * width
        for party, text in row["cells"].items():
            cells[position[party]] = text
        # the party cells are letters coord writes (R, A*, C#); only the text people typed needs neutralising
        writer.writerow(
            [
                neutralise(row["project"]),
                neutralise((row["category"] if keys else category_label(row)) or ""),
                neutralise(row["duty"]),
                neutralise(row["title"] if keys else row_title(row)),
                *cells,
                neutralise("; ".join(row["findings"])),
            ]
        )
    return buffer.getvalue()


def to_html(data: Matrix, workspace: Path | None = None, *, keys: bool = False) -> str:
    """The printable page; ``labels`` (party column headers), ``titles`` (per row) and ``words`` (fixed text)
    are in the reader's language for the template."""
    from coordkit.i18n import _, language
    from coordkit.render.environment import render

    words = {
        "Responsibility matrix": _("Responsibility matrix"),
        "Project": _("Project"),
        "Duty": _("Duty"),
        "Title": _("Title"),
        "Findings": _("Findings"),
        "Uses": _("Uses"),
        "(no category)": _("(no category)"),
        "all projects": _("all projects"),
        "this row has findings (see coord check)": _("this row has findings (see coord check)"),
    }
    context = {
        "matrix": data,
        "fills": FILLS,
        "flag_fill": FLAG_FILL,
        "strongest": strongest,
        "labels": party_labels(data, keys=keys),
        "titles": [row["title"] if keys else row_title(row) for row in data["rows"]],
        "uses": [uses_text(row.get("uses", []), language(), keys=keys) for row in data["rows"]],
        "categories": [row["category"] if keys else category_label(row) for row in data["rows"]],
        "legend": {mark: _(meaning) for mark, meaning in data["legend"].items()},
        "words": words,
        "lang": language(),
    }
    return render("matrix.html.j2", context, workspace)


def _safe_row(sheet: Any, values: list[Any]) -> tuple[Any, ...]:
    """Append ``values`` as one row: text without control characters, and never a formula.

    openpyxl stores text starting with ``=`` as a formula (and ``#N/A`` as an
    error), so such cells are typed as strings after the fact; text that a spreadsheet would
    re-read as a formula when edited (``= + - @``, tab, CR) also gets the
    quote prefix, Excel's own mark for "typed with a leading '".
    """
    from coordkit.output import FORMULA_START, strip_control

    cleaned = [strip_control(value) if isinstance(value, str) else value for value in values]
    sheet.append(cleaned)
    cells: tuple[Any, ...] = sheet[sheet.max_row]
    for cell, value in zip(cells, cleaned, strict=False):
        if isinstance(value, str):
            if cell.data_type != "s":  # openpyxl made "=…" a formula and "#N/A" an error: both are text here
                cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True
    return cells


HEADINGS = {
    "en": {"project": "project", "category": "category", "duty": "duty", "title": "title", "findings": "findings"},
    # what coord import matrix reads back as the same columns (coordkit.tabular.MATRIX_FIELDS)
    "zh": {"project": "项目", "category": "类别", "duty": "职责编号", "title": "职责", "findings": "问题"},
}
TITLES = {"en": "Responsibility matrix", "zh": "职责分工矩阵"}
ALL_PROJECTS = {"en": "all projects", "zh": "全部项目"}
HEADER_ROW = 3  # title, party names, then the header coord import matrix finds


def to_xlsx(data: Matrix, *, lang: str = "en", names: dict[str, str] | None = None, keys: bool = False) -> bytes:
    """A workbook to print and to edit: a title row (project and date), the parties' names above their keys,
    an autofilter on the header, frozen panes, A4 landscape fitted to the width with the header rows repeated
    on each page, the same colours, and a legend sheet. ``coord import matrix`` reads it back, so the keys stay in
    the header row whatever ``keys`` says (``names`` default to the parties' names in ``lang``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from coordkit.i18n import _

    columns, rows = flat(data, keys=keys)  # categories and titles in the reader's language
    headings = HEADINGS[lang]
    party_fields = {c["key"] for c in data["columns"]}
    names = names or {
        c["key"]: str((c.get("name_zh") or c["name"]) if lang == "zh" else c["name"]) for c in data["columns"]
    }
    book = Workbook()
    sheet = book.active
    sheet.title = _("Matrix")
    last = get_column_letter(len(columns))
    _safe_row(sheet, [f"{TITLES[lang]} · {data['project'] or ALL_PROJECTS[lang]} · {data['on']}"])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    _safe_row(sheet, [names.get(field) if field in names else None for field, _header in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
    # the header coord import matrix reads: parties by key (their names are in the row above)
    _safe_row(sheet, [field if field in party_fields else headings.get(field, header) for field, header in columns])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(text_rotation=0, wrap_text=True, vertical="top")
    fills = {letter: PatternFill("solid", fgColor=colour) for letter, colour in FILLS.items()}
    flag = PatternFill("solid", fgColor=FLAG_FILL)
    for row in rows:
        excel_row = _safe_row(sheet, [row.get(field) or None for field, _header in columns])
        for (field, _header), cell in zip(columns, excel_row, strict=True):
            if field in party_fields and cell.value:
                letter = strongest(str(cell.value))
                if letter:
                    cell.fill = fills[letter]
                cell.alignment = Alignment(horizontal="center")
        if row["findings"]:
            excel_row[2].fill = flag
            excel_row[-1].fill = flag
    sheet.freeze_panes = f"E{HEADER_ROW + 1}"  # title, names and header rows and project/category/duty/title stay
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(sheet.max_row, HEADER_ROW)}"
    sheet.print_title_rows = f"2:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.row_dimensions[2].height = 45
    for index, (field, _header) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 40 if field == "title" else 14
    legend = book.create_sheet(_("Legend"))
    _safe_row(legend, [_("mark"), _("meaning")])
    for mark, meaning in data["legend"].items():
        _safe_row(legend, [mark, _(meaning)])
        if mark in fills:
            legend.cell(row=legend.max_row, column=1).fill = fills[mark]
    _safe_row(legend, [_("findings"), _("this row has findings (see coord check)")])
    legend.cell(row=legend.max_row, column=1).fill = flag
    _safe_row(legend, [_("on"), data["on"]])
    _safe_row(legend, [_("project"), data["project"] or _("all projects")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
