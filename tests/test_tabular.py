"""Reading spreadsheets: XLSX with title rows, CSV in GBK, UTF-8 with BOM, semicolons; headers to fields;
and the responsibility matrix coord writes read back cell for cell."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from coordkit.errors import InvalidInput
from coordkit.render.matrix import to_xlsx
from coordkit.tabular import (
    STAKEHOLDER_FIELDS,
    Row,
    all_hints,
    cell_text,
    column_letter,
    decode,
    map_headers,
    normalise,
    parse_marks,
    read_matrix,
    read_table,
    sniff_delimiter,
    unmapped,
)

HINTS = all_hints(STAKEHOLDER_FIELDS)
REGISTER = [
    ["名称", "中文名", "类型", "影响力", "关注度", "电话", "微信"],
    ["Liede Street Office", "猎德街道办事处", "government", "5", "4", "020-38881234", "liede_jd"],
    ["Liede Social Work Station", "猎德社工站", "social-organisation", "3", "5", "", "liede_sw"],
]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def test_xlsx_with_merged_title_rows_and_chinese_headers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "名录"
    sheet.append(["猎德社区共建单位名录"])
    sheet.merge_cells("A1:H1")
    sheet.append(["填表日期：2025年3月1日"])
    sheet.merge_cells("A2:H2")
    sheet.append(["名称", "中文名", "类型", "影响力（1-5）", "关注度", "手机", "邮箱", "备注"])
    sheet.append(["Liede Street Office", "猎德街道办事处", "government", 5, 4.0, 13800138000, "a@example.cn", None])
    sheet.append([None] * 8)  # a blank row in the middle
    sheet.append(["Liede Social Work Station", "猎德社工站", "social-organisation", 3, 5, None, None, "新成立"])
    sheet.append([" Huajing Property ", None, "property-management", "=2+1", None, None, None, dt.date(2025, 3, 1)])
    other = book.create_sheet("说明")
    other.append(["this sheet is not read"])
    path = tmp_path / "register.xlsx"
    book.save(path)

    table = read_table(path, header_hints=HINTS)
    assert table.sheet == "名录"
    assert table.header_row == 3
    assert table.headers == ("名称", "中文名", "类型", "影响力（1-5）", "关注度", "手机", "邮箱", "备注")
    assert table.rows == [
        Row.of(4, ("Liede Street Office", "猎德街道办事处", "government", "5", "4", "13800138000", "a@example.cn", "")),
        Row.of(6, ("Liede Social Work Station", "猎德社工站", "social-organisation", "3", "5", "", "", "新成立")),
        # a formula openpyxl wrote has no cached value: it reads as empty, never as "=2+1"
        Row.of(7, ("Huajing Property", "", "property-management", "", "", "", "", "2025-03-01")),
    ]
    mapping = map_headers(table.headers, STAKEHOLDER_FIELDS)
    assert mapping == {0: "name", 1: "name_zh", 2: "kind", 3: "influence", 4: "interest", 5: "mobile", 6: "email"}
    assert unmapped(table, mapping) == ["column H ('备注')"]
    assert list(table.records(mapping))[1] == (
        6,
        {
            "name": "Liede Social Work Station",
            "name_zh": "猎德社工站",
            "kind": "social-organisation",
            "influence": "3",
            "interest": "5",
        },
    )
    assert table.where(6, 7) == "register.xlsx, sheet 名录, row 6, column H ('备注')"

    assert read_table(path, sheet="说明").headers == ("this sheet is not read",)
    with pytest.raises(InvalidInput, match=r"^register.xlsx has no sheet 'Sheet9'; its sheets are: 名录, 说明$"):
        read_table(path, sheet="Sheet9")


def test_gbk_csv_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "名录.csv"
    path.write_bytes(csv_text(REGISTER).encode("gbk"))
    table = read_table(path, header_hints=HINTS)
    assert table.encoding == "gb18030"
    assert table.delimiter == ","
    assert table.headers == tuple(REGISTER[0])
    assert [r.cells for r in table.rows] == [tuple(r) for r in REGISTER[1:]]
    assert [r.number for r in table.rows] == [2, 3]


def test_short_gbk_csv(tmp_path: Path) -> None:
    """Two short lines: too little for a statistical detector (charset-normalizer says cp949)."""
    path = tmp_path / "short.csv"
    path.write_bytes("名称,类型\n街道办,政府\n".encode("gbk"))
    assert [r.cells for r in read_table(path).rows] == [("街道办", "政府")]


def test_utf8_bom_csv(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(csv_text(REGISTER).encode("utf-8-sig"))
    table = read_table(path, header_hints=HINTS)
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "名称"  # no BOM glued to the first heading
    assert table.rows[0].cells[1] == "猎德街道办事处"


def test_semicolon_csv_with_title_row(tmp_path: Path) -> None:
    rows = [["Register of partners"], [], *REGISTER]
    path = tmp_path / "register.csv"
    path.write_text(csv_text(rows, ";").replace("020-38881234", '"020-3888; ext 1234"'), encoding="utf-8")
    table = read_table(path, header_hints=HINTS)
    assert (table.delimiter, table.encoding, table.header_row) == (";", "utf-8", 3)
    assert table.rows[0] == Row.of(
        4, ("Liede Street Office", "猎德街道办事处", "government", "5", "4", "020-3888; ext 1234", "liede_jd")
    )


def test_tab_separated_utf16_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "register.txt"
    path.write_bytes(csv_text(REGISTER, "\t").encode("utf-16"))
    table = read_table(path, header_hints=HINTS)
    assert (table.delimiter, table.encoding) == ("\t", "utf-16")
    assert table.rows[1].cells[:2] == ("Liede Social Work Station", "猎德社工站")


def test_latin1_csv_is_not_mistaken_for_gbk(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    text = (
        "Name,Kind,Interests\nCafé Müller,enterprise,Kaffee für die Nachbarschaft\nBäckerei Groß,enterprise,Brötchen\n"
    )
    path.write_bytes(text.encode("cp1252"))
    table = read_table(path)
    assert table.encoding not in ("utf-8", "gb18030")
    assert [r.cells[0] for r in table.rows] == ["Café Müller", "Bäckerei Groß"]


def test_forced_encoding(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(csv_text(REGISTER).encode("gbk"))
    assert read_table(path, encoding="gbk").rows[0].cells[1] == "猎德街道办事处"
    with pytest.raises(
        InvalidInput, match=r"^register.csv is not utf-8: byte \d+ cannot be read; leave out --encoding"
    ):
        read_table(path, encoding="utf-8")
    with pytest.raises(InvalidInput, match="--encoding 'klingon' is not an encoding Python knows"):
        read_table(path, encoding="klingon")


def test_undecodable_file_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InvalidInput) as caught:
        read_table(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("binary.csv: cannot tell its encoding (tried utf-8, gb18030")
    assert message.endswith("save it from Excel as 'CSV UTF-8' or name the encoding with --encoding")


def test_unknown_column_is_reported_and_map_overrides(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    rows = [["序号", "单位全称", "Influence", "Interest", "备注"], ["1", "Liede Street Office", "5", "4", "牵头"]]
    path.write_text(csv_text(rows), encoding="utf-8")
    table = read_table(path, header_hints=HINTS)
    mapping = map_headers(table.headers, STAKEHOLDER_FIELDS)
    assert mapping == {2: "influence", 3: "interest"}
    assert unmapped(table, mapping) == ["column A ('序号')", "column B ('单位全称')", "column E ('备注')"]

    mapping = map_headers(table.headers, STAKEHOLDER_FIELDS, ["单位全称=name", "A=-", " 备注 = interests "])
    assert mapping == {0: "-", 1: "name", 2: "influence", 3: "interest", 4: "interests"}
    assert unmapped(table, mapping) == []
    assert list(table.records(mapping)) == [
        (2, {"name": "Liede Street Office", "influence": "5", "interest": "4", "interests": "牵头"})
    ]


def test_an_override_takes_a_field_from_the_column_that_had_it() -> None:
    headers = ["名称", "英文名称", "类型"]
    with pytest.raises(
        InvalidInput,
        match=r"^column A \('名称'\) and column B \('英文名称'\) both give 'name'; keep one, or say which with --map$",
    ):
        map_headers(headers, STAKEHOLDER_FIELDS)
    assert map_headers(headers, STAKEHOLDER_FIELDS, ["英文名称=name", "名称=name_zh"]) == {
        0: "name_zh",
        1: "name",
        2: "kind",
    }


def test_headers_match_across_case_spacing_width_and_notes() -> None:
    headers = ["Ｎａｍｅ", " E-MAIL ", "手机 号码", "影响力(1-5)", "关注度*", "WeChat：", "KEY"]
    assert map_headers(headers, STAKEHOLDER_FIELDS) == {
        0: "name",
        1: "email",
        2: "mobile",
        3: "influence",
        4: "interest",
        5: "wechat",
        6: "key",
    }
    assert normalise("Ｅ-mail：") == "e-mail"
    assert normalise("名称\u3000（中文）") == "名称(中文)"
    assert map_headers(["名称（中文）", "名称"], STAKEHOLDER_FIELDS) == {0: "name_zh", 1: "name"}


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("name", r"^--map 'name' is not COLUMN=FIELD; e\.g\. --map 单位全称=name or --map C=phone$"),
        ("名称=nom", r"^--map '名称=nom': 'nom' is not a field; use one of: key, name, "),
        ("地址=address", r"^--map '地址=address': there is no column '地址'; the columns are: 名称, 类型$"),
    ],
)
def test_bad_overrides(override: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        map_headers(["名称", "类型"], STAKEHOLDER_FIELDS, [override])


def test_refuses_directories_fifos_big_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"is not a regular file; give the path of a \.xlsx or \.csv file$"):
        read_table(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match=r"pipe\.csv is not a regular file"):
        read_table(fifo)  # refused before opening: opening a FIFO would wait for a writer
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" * 1000, encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"/big\.csv is 3\.9 KB, more than the 1000 bytes coord reads; split it"):
        read_table(big, max_bytes=1000)
    with pytest.raises(InvalidInput, match=r"nothing\.csv: no such file"):
        read_table(tmp_path / "nothing.csv")


def test_refuses_old_xls_broken_xlsx_and_empty_files(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InvalidInput, match=r"old.xls is an old Excel 97–2003 workbook \(.xls\); save it as .xlsx"):
        read_table(old)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a zip")
    with pytest.raises(InvalidInput, match=r"^broken.xlsx is not a readable .xlsx workbook \(BadZipFile\)"):
        read_table(broken)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n\r\n")
    with pytest.raises(InvalidInput, match=r"empty\.csv has no rows"):
        read_table(empty)


def test_a_broken_csv_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge-cell.csv"
    path.write_text("名称,诉求\n猎德社工站," + "很" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(
        InvalidInput, match=r"^huge-cell\.csv, row 2: field larger than field limit \(131072\); open it"
    ):
        read_table(path)


def test_cell_text() -> None:
    assert [cell_text(v) for v in (None, 3, 3.0, 2.5, 13800138000.0, True, " x ")] == [
        "",
        "3",
        "3",
        "2.5",
        "13800138000",
        "TRUE",
        "x",
    ]
    assert cell_text(dt.datetime(2025, 3, 1)) == "2025-03-01"
    assert cell_text(dt.datetime(2025, 3, 1, 9, 30)) == "2025-03-01 09:30:00"


def test_sniff_delimiter_and_column_letters() -> None:
    assert sniff_delimiter("标题\na;b;c\n1;2,5;3\n") == ";"
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert sniff_delimiter("a,b\n1,2\n") == ","
    assert sniff_delimiter("just one column\n") == ","
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_decode_prefers_gb18030_for_chinese_bytes() -> None:
    text = "猎德街道办事处,政府"
    assert decode(text.encode("gb18030"), None, "x.csv") == (text, "gb18030")
    assert decode(text.encode("utf-8"), None, "x.csv") == (text, "utf-8")


# --- the responsibility matrix ------------------------------------------------------------------


def matrix_data() -> dict[str, Any]:
    return {
        "project": "liede-renjia",
        "on": "2025-03-01",
        "by": "stakeholder",
        "columns": [
            {"key": "liede-street", "name": "Liede Street Office"},
            {"key": "liede-sw", "name": "Liede Social Work Station"},
            {"key": "merchants", "name": "Merchants"},
        ],
        "rows": [
            {
                "project": "liede-renjia",
                "category": "venue",
                "duty": "market-venue",
                "title": "Provide the venue for the monthly public-welfare market",
                "cells": {"liede-street": "A#", "liede-sw": "R,C*"},
                "findings": [],
            },
            {
                "project": "liede-renjia",
                "category": None,
                "duty": "stall-fees",
                "title": "Collect stall fees; publish the accounts",
                "cells": {"merchants": "R*#", "liede-sw": "I"},
                "findings": ["no-accountable"],
            },
            {
                "project": "liede-renjia",
                "category": "safety",
                "duty": "fire-check",
                "title": "Fire safety check before each market",
                "cells": {},
                "findings": ["no-accountable", "no-responsible"],
            },
        ],
        "legend": {"R": "Responsible: does the work", "A": "Accountable"},
    }


def test_the_xlsx_coord_writes_reads_back_cell_for_cell(tmp_path: Path) -> None:
    data = matrix_data()
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(to_xlsx(data))
    matrix = read_matrix(path)
    assert matrix.parties == tuple(c["key"] for c in data["columns"])
    back = [
        {
            "project": d.project,
            "category": d.category or None,
            "duty": d.duty,
            "title": d.title,
            "cells": {c.party: c.text for c in matrix.cells if c.row == d.row},
            "findings": list(d.findings),
        }
        for d in matrix.duties
    ]
    assert back == [{**row, "cells": dict(sorted(row["cells"].items()))} for row in data["rows"]]
    assert [(c.row, c.column, c.duty, c.party, c.marks) for c in matrix.cells][:3] == [
        (4, 5, "market-venue", "liede-street", ("A#",)),  # below the title row and the parties' names
        (4, 6, "market-venue", "liede-sw", ("R", "C*")),
        (5, 6, "stall-fees", "liede-sw", ("I",)),
    ]


def test_a_wide_sparse_matrix_writes_only_its_filled_cells(tmp_path: Path) -> None:
    """400 parties by 60 duties, 2 letters a duty: the sheet holds the letters, the four duty columns and the
    findings, not 24,000 empty styled cells; the letters wear the shared named style of their colour."""
    from openpyxl import load_workbook

    parties = [{"key": f"org-{n:03d}", "name": f"Organisation {n}"} for n in range(400)]
    rows = [
        {
            "project": "p",
            "category": None,
            "duty": f"duty-{n:02d}",
            "title": f"Duty {n}",
            "cells": {f"org-{(7 * n) % 400:03d}": "A#", f"org-{(7 * n + 1) % 400:03d}": "R"},
            "findings": ["no-responsible"] if n % 10 == 0 else [],
        }
        for n in range(60)
    ]
    data = {**matrix_data(), "columns": parties, "rows": rows}
    path = tmp_path / "wide.xlsx"
    path.write_bytes(to_xlsx(data))
    sheet = load_workbook(path)["Matrix"]
    cells = [cell for row in sheet.iter_rows(min_row=4) for cell in row if cell.has_style or cell.value is not None]
    assert len(cells) == 60 * (3 + 2) + 6  # duty, title, project and 2 letters a row; 6 rows' findings
    assert {(c.value, c.style) for c in cells if c.column > 4 and c.column < 405} == {
        ("A#", "coord A"),
        ("R", "coord R"),
    }
    assert sheet["E4"].fill.fgColor.rgb == "00FFD6A5" and sheet["E4"].alignment.horizontal == "center"
    flagged = [c.coordinate for c in cells if c.style == "coord flagged"]
    assert flagged[:2] == ["C4", "OO4"] and len(flagged) == 12  # the duty and the findings of 6 rows
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows) == ("E4", "A3:OO63", "$2:$3")
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:OO1"]


def test_a_hand_made_chart_in_chinese(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["猎德人家项目职责分工表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["职责", "街道办", "社工站", "商户联盟", "备注"])
    sheet.append(["提供集市场地", "负责", "r, a", None, None])
    sheet.append(["收取摊位费", "知会", "C", "R、A", "按月公示"])
    path = tmp_path / "分工表.xlsx"
    book.save(path)
    matrix = read_matrix(path, overrides=["备注=-"])
    assert matrix.parties == ("街道办", "社工站", "商户联盟")
    assert [(d.row, d.duty, d.title) for d in matrix.duties] == [
        (3, "提供集市场地", "提供集市场地"),
        (4, "收取摊位费", "收取摊位费"),
    ]
    assert [(c.party, c.text) for c in matrix.cells] == [
        ("街道办", "A"),  # 负责 is A in coord's legend (R 执行, A 负责, C 咨询, I 知会)
        ("社工站", "R,A"),
        ("街道办", "I"),
        ("社工站", "C"),
        ("商户联盟", "R,A"),
    ]
    # without the override, 备注 is a party column and its text is not a mark
    with pytest.raises(
        InvalidInput,
        match=r"^分工表.xlsx, sheet Sheet, row 4, column E \('备注'\): '按月公示' is not a RACI mark; use R, A, C or I",
    ):
        read_matrix(path)


def test_a_matrix_needs_a_duty_column(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("街道办,社工站\nR,A\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"m\.csv: no column names the duty; head it 'duty' or '职责'"):
        read_matrix(path)


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("R", ("R",)),
        ("R,A", ("R", "A")),
        ("r#", ("R#",)),
        ("A*#", ("A*#",)),
        ("Ｒ，Ａ", ("R", "A")),
        ("负责/知会", ("A", "I")),
        ("R; C", ("R", "C")),
        ("X", None),
        ("RA", None),
        ("R#*x", None),
    ],
)
def test_parse_marks(text: str, marks: tuple[str, ...] | None) -> None:
    assert parse_marks(text) == marks


@pytest.mark.parametrize(
    "text",
    ["", "a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\n1,2", '"two\nlines",x\n\n\ny\n', "no newline", "\n\n"],
)
def test_csv_lines_are_those_of_a_text_stream(text: str) -> None:
    """The CSV reader gets the lines io.StringIO would give it (without its copy at four bytes a character)."""
    import io

    from coordkit.tabular import _lines

    assert list(_lines(text)) == list(io.StringIO(text))


def test_a_row_keeps_its_filled_cells_only() -> None:
    row = Row.of(4, ("duty-1", "", "R", "", ""))
    assert (row.filled, row.width, row.cells) == ({0: "duty-1", 2: "R"}, 5, ("duty-1", "", "R", "", ""))
    assert (row.get(2), row.get(3), row.get(99)) == ("R", "", "")
