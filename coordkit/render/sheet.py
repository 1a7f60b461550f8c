"""A list (the register, the duties) as a workbook to print and to edit: a title row with what and when, the
header with an autofilter, frozen panes, A4 landscape fitted to the width with the header repeated on every page.

Headings under ``zh`` are the Chinese ones ``coord import`` recognises, so an edited list reads back.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

HEADINGS_ZH = {
    "key": "键",
    "name": "名称",
    "name_zh": "中文名",
    "kind": "类型",
    "influence": "影响力",
    "interest": "关注度",
    "interests": "诉求",
    "active": "在册",
    "contacts": "联系方式",
    "representatives": "代表",
    "project": "项目",
    "category": "类别",
    "title": "职责",
    "due": "期限",
    "assignments": "分工",
}
HEADER_ROW = 2


def to_xlsx(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    lang: str = "en",
    sheet_name: str = "List",
    wide: Sequence[str] = ("name", "title", "interests", "contacts", "assignments"),
) -> bytes:
    """``rows`` (one mapping per row, lists flattened as in CSV) under ``title``; numbers stay numbers.

    Written row by row (openpyxl's write-only mode, as ``render.matrix.to_xlsx``), every data cell sharing one
    named style: a register of 2,000 parties is 20,000 cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from coordkit.output import cell_text, is_number
    from coordkit.render.matrix import add_styles, safe_cell, safe_row, sheet_setup

    book = Workbook(write_only=True)
    add_styles(
        book,
        {
            "coord title": {"font": Font(bold=True, size=14)},
            "coord header": {"font": Font(bold=True)},
            "coord wrapped": {"alignment": Alignment(wrap_text=True, vertical="top")},
        },
    )
    sheet = book.create_sheet(sheet_name)
    last = get_column_letter(max(len(columns), 1))
    sheet_setup(sheet, freeze=f"B{HEADER_ROW + 1}", title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    for index, (field, _header) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 36 if field in wide else 14
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.append([safe_cell(sheet, title, "coord title")])
    sheet.append(
        safe_row(
            sheet,
            [HEADINGS_ZH.get(field, header) if lang == "zh" else header for field, header in columns],
            "coord header",
        )
    )
    for row in rows:
        values = []
        for field, _header in columns:
            value = row.get(field)
            values.append(value if is_number(value) and not isinstance(value, bool) else cell_text(value) or None)
        sheet.append(safe_row(sheet, values, "coord wrapped"))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
