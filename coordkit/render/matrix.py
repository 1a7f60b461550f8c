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
    from coordkit.render.i18n import words as i18n_words

    words = {
        "Responsibility matrix": _("Responsibility matrix"),
        "Project": _("Project"),
        "Duty": _("Duty"),
        "Title": _("Title"),
        "Findings": _("Findings"),
        "Uses": _("Uses"),
        "assignments valid on": _("assignments valid on"),
        "columns": _("columns: roles") if data["by"] == "role" else _("columns: parties"),
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
        "t": i18n_words(language()),
        "lang": language(),
    }
    return render("matrix.html.j2", context, workspace)


def safe_cell(sheet: Any, value: Any, style: str | None = None) -> Any:
    """One cell of a write-only sheet: text without control characters, and never a formula.

    openpyxl stores text starting with ``=`` as a formula (and ``#N/A`` as an
    error), so such cells are typed as strings after the fact; text that a spreadsheet would
    re-read as a formula when edited (``= + - @``, tab, CR) also gets the
    quote prefix, Excel's own mark for "typed with a leading '". ``style`` names a
    ``NamedStyle`` of the workbook (``add_styles``): cells share it instead of carrying a style each.
    """
    from openpyxl.cell import WriteOnlyCell

    from coordkit.output import FORMULA_START, strip_control

    text = strip_control(value) if isinstance(value, str) else value
    cell = WriteOnlyCell(sheet, value=text)
    if style is not None:
        cell.style = style
    if isinstance(text, str):
        if cell.data_type != "s":  # openpyxl made "=…" a formula and "#N/A" an error: both are text here
            cell.data_type = "s"
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def safe_row(sheet: Any, values: Sequence[Any], style: str | None = None) -> list[Any]:
    """``values`` as cells of one row (empty ones stay ``None``: nothing is written for them)."""
    return [None if value is None else safe_cell(sheet, value, style) for value in values]


def add_styles(book: Any, styles: dict[str, dict[str, Any]]) -> None:
    """Register named styles (name → font, fill, alignment) once, for every cell that wears one to share."""
    from openpyxl.styles import Font, NamedStyle

    for name, parts in styles.items():
        # a named style carries a whole font: the workbook's own (Calibri 11), bold or larger where asked
        font = parts.get("font") or Font()
        whole = Font(name="Calibri", family=2, scheme="minor", sz=font.sz or 11, b=font.b)
        book.add_named_style(NamedStyle(name=name, **{**parts, "font": whole}))


def sheet_setup(sheet: Any, *, freeze: str, title_rows: str) -> None:
    """What a printed list needs, set before the first row is written (a write-only sheet writes its views and
    properties first): frozen panes, A4 landscape fitted to the width, the header rows repeated on every page."""
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.freeze_panes = freeze
    sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


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
    the header row whatever ``keys`` says (``names`` default to the parties' names in ``lang``).

    Written row by row (openpyxl's write-only mode) with a few shared named styles, and nothing for an empty
    cell: the whole store is 10,000 duties by 2,000 parties, 20 million cells of which about 100,000 hold a
    letter (a cell object and a style each took more than 13 minutes; this takes seconds)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from coordkit.i18n import _

    columns, rows = flat(data, keys=keys)  # categories and titles in the reader's language
    headings = HEADINGS[lang]
    names = names or {
        c["key"]: str((c.get("name_zh") or c["name"]) if lang == "zh" else c["name"]) for c in data["columns"]
    }
    book = Workbook(write_only=True)
    add_styles(
        book,
        {
            "coord title": {"font": Font(bold=True, size=14)},
            "coord names": {
                "font": Font(bold=True),
                "alignment": Alignment(wrap_text=True, vertical="bottom", horizontal="center"),
            },
            "coord header": {"font": Font(bold=True), "alignment": Alignment(wrap_text=True, vertical="top")},
            "coord flagged": {"fill": PatternFill("solid", fgColor=FLAG_FILL)},
            **{
                f"coord {letter}": {
                    "fill": PatternFill("solid", fgColor=colour),
                    "alignment": Alignment(horizontal="center"),
                }
                for letter, colour in FILLS.items()
            },
            "coord letters": {"alignment": Alignment(horizontal="center")},  # a cell with no RACI letter to colour
            **{f"coord legend {letter}": {"fill": PatternFill("solid", fgColor=c)} for letter, c in FILLS.items()},
        },
    )
    sheet = book.create_sheet(_("Matrix"))
    last = get_column_letter(len(columns))
    # title, names and header rows and project/category/duty/title stay in view
    sheet_setup(sheet, freeze=f"E{HEADER_ROW + 1}", title_rows=f"2:{HEADER_ROW}")
    sheet.row_dimensions[2].height = 45
    for index, (field, _header) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 40 if field == "title" else 14
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.append(
        [safe_cell(sheet, f"{TITLES[lang]} · {data['project'] or ALL_PROJECTS[lang]} · {data['on']}", "coord title")]
    )
    # every cell of the names and header rows is styled, empty ones too: the rows print as one band
    sheet.append([safe_cell(sheet, names.get(field), "coord names") for field, _header in columns])
    # the header coord import matrix reads: parties by key (their names are in the row above)
    party_fields = {c["key"] for c in data["columns"]}
    sheet.append(
        [
            safe_cell(sheet, field if field in party_fields else headings.get(field, header), "coord header")
            for field, header in columns
        ]
    )
    position = {c["key"]: index for index, c in enumerate(data["columns"], start=4)}  # after the 4 fixed columns
    for row, source in zip(rows, data["rows"], strict=True):
        flag = "coord flagged" if row["findings"] else None
        values: list[Any] = [None] * len(columns)
        for index, field in ((0, "project"), (1, "category"), (3, "title")):
            values[index] = safe_cell(sheet, row.get(field)) if row.get(field) else None
        values[2] = safe_cell(sheet, row["duty"], flag) if row["duty"] else None
        values[-1] = safe_cell(sheet, row["findings"], flag) if row["findings"] else None
        for party, text in source["cells"].items():
            if text:
                letter = strongest(str(text))
                values[position[party]] = safe_cell(sheet, text, f"coord {letter}" if letter else "coord letters")
        sheet.append(values)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    legend = book.create_sheet(_("Legend"))
    legend.append(safe_row(legend, [_("mark"), _("meaning")]))
    for mark, meaning in data["legend"].items():
        style = f"coord legend {mark}" if mark in FILLS else None
        legend.append([safe_cell(legend, mark, style), safe_cell(legend, _(meaning))])
    legend.append(
        [
            safe_cell(legend, _("findings"), "coord flagged"),
            safe_cell(legend, _("this row has findings (see coord check)")),
        ]
    )
    legend.append(safe_row(legend, [_("on"), data["on"]]))
    legend.append(safe_row(legend, [_("project"), data["project"] or _("all projects")]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
