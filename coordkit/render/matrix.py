"""The responsibility matrix as a table, CSV, Markdown, HTML page or XLSX workbook.

Titles and names are typed by people and end up in spreadsheets: a text cell
that starts like a formula is neutralised (a leading quote in CSV; in XLSX a
string cell with Excel's own quote-prefix flag, never a formula), and control
characters, which XLSX cannot hold, are dropped.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coordkit.domain.matrix import Matrix

FILLS = {"A": "FFD6A5", "R": "CFE8FF", "C": "FFF3B0", "I": "E5E5E5"}
FLAG_FILL = "FFC9C9"
STRENGTH = "ARCI"


def strongest(cell: str) -> str | None:
    """The letter that colours a cell: A, then R, C, I."""
    letters = {part[0] for part in cell.split(",") if part}
    return next((letter for letter in STRENGTH if letter in letters), None)


def flat(data: Matrix) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Columns and rows for the tabular formats (one column per party, then findings)."""
    columns = [("project", "project"), ("category", "category"), ("duty", "duty"), ("title", "title")]
    columns += [(c["key"], c["key"]) for c in data["columns"]]
    columns.append(("findings", "findings"))
    rows = []
    for row in data["rows"]:
        flat_row = {k: row[k] for k in ("project", "category", "duty", "title")}
        flat_row.update(row["cells"])
        flat_row["findings"] = "; ".join(row["findings"])
        rows.append(flat_row)
    return columns, rows


def to_csv(data: Matrix) -> str:
    """Streams rows straight to the writer: the whole store can be 10,000 rows by 2,000 parties."""
    import csv

    from coordkit.output import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = [c["key"] for c in data["columns"]]
    writer.writerow([neutralise(text) for text in ("project", "category", "duty", "title", *keys, "findings")])
    width = len(keys)
    position = {key: index for index, key in enumerate(keys)}
    for row in data["rows"]:
        cells = [""] * width
        for party, text in row["cells"].items():
            cells[position[party]] = text
        # the party cells are letters coord writes (R, A*, C#); only the text people typed needs neutralising
        writer.writerow(
            [
                neutralise(row["project"]),
                neutralise(row["category"] or ""),
                neutralise(row["duty"]),
                neutralise(row["title"]),
                *cells,
                neutralise("; ".join(row["findings"])),
            ]
        )
    return buffer.getvalue()


def to_html(data: Matrix, workspace: Path | None = None) -> str:
    from coordkit.render.environment import render

    return render(
        "matrix.html.j2", {"matrix": data, "fills": FILLS, "flag_fill": FLAG_FILL, "strongest": strongest}, workspace
    )


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


def to_xlsx(data: Matrix, *, lang: str = "en", names: dict[str, str] | None = None) -> bytes:
    """A workbook to print and to edit: a title row (project and date), the parties' names above their keys,
    an autofilter on the header, frozen panes, A4 landscape fitted to the width with the header rows repeated
    on each page, the same colours, and a legend sheet. ``coord import matrix`` reads it back."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns, rows = flat(data)
    headings = HEADINGS[lang]
    names = names or {c["key"]: c["name"] for c in data["columns"]}
    book = Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    last = get_column_letter(len(columns))
    _safe_row(sheet, [f"{TITLES[lang]} · {data['project'] or ALL_PROJECTS[lang]} · {data['on']}"])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    _safe_row(sheet, [names.get(field) if field in names else None for field, _ in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
    _safe_row(sheet, [headings.get(field, header) for field, header in columns])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(text_rotation=0, wrap_text=True, vertical="top")
    fills = {letter: PatternFill("solid", fgColor=colour) for letter, colour in FILLS.items()}
    flag = PatternFill("solid", fgColor=FLAG_FILL)
    party_fields = {c["key"] for c in data["columns"]}
    for row in rows:
        excel_row = _safe_row(sheet, [row.get(field) or None for field, _ in columns])
        for (field, _), cell in zip(columns, excel_row, strict=True):
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
    for index, (field, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 40 if field == "title" else 14
    legend = book.create_sheet("Legend")
    _safe_row(legend, ["mark", "meaning"])
    for mark, meaning in data["legend"].items():
        _safe_row(legend, [mark, meaning])
        if mark in fills:
            legend.cell(row=legend.max_row, column=1).fill = fills[mark]
    _safe_row(legend, ["findings", "this row has findings (see coord check)"])
    legend.cell(row=legend.max_row, column=1).fill = flag
    _safe_row(legend, ["on", data["on"]])
    _safe_row(legend, ["project", data["project"] or "all projects"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
