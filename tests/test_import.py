"""coord import: registers from XLSX (Chinese headings, merged title rows), GBK CSV without BOM and UTF-8 with
BOM; the plan is exact, refused rows are listed and written with their reasons, and a refused import writes
nothing. The matrix goes out to XLSX and comes back: three edited cells plan exactly three changes, and a letter
from a signed agreement cannot be changed that way."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.conftest import Workspace, ok, run_coord

EXAMPLE = Path(__file__).resolve().parent.parent / "agreements" / "liede-renjia.yaml"
ON = "2024-09-01"


def example(ws: Workspace) -> Workspace:
    return ws.replay([["apply", str(EXAMPLE)]])


def stakeholder(key: str) -> dict[str, object]:
    return json.loads(ok("stakeholder", "show", key, "--format", "json"))


def test_xlsx_with_chinese_headings_and_merged_title_rows(ws: Workspace, isolated: Path) -> None:
    example(ws)
    book = Workbook()
    sheet = book.active
    sheet.title = "名录"
    sheet.append(["猎德社区共建单位名录"])
    sheet.merge_cells("A1:G1")
    sheet.append(["填表日期：2025年3月1日"])
    sheet.merge_cells("A2:G2")
    sheet.append(["名称", "中文名", "类型", "影响力（1-5）", "关注度", "手机", "联系人"])
    sheet.append(["Liede Tea House", "猎德茶楼", "enterprise", 2, 3, 13800138000, "黄明"])
    sheet.append([None, "猎德社区居委会", None, 5, None, None, None])  # matched by its Chinese name
    sheet.append(["Liede merchants", None, None, 2, 3, None, None])  # as stored: unchanged
    book.save(isolated / "名录.xlsx")

    result = run_coord("import", "stakeholders", "名录.xlsx", "--dry-run", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "+ stakeholder liede-tea-house\n"
        "~ stakeholder liede-neighbourhood-committee: influence: 4 → 5\n"
        "= stakeholder liede-merchants\n"
    )
    assert result.stderr == "Plan: 1 to create, 1 to change, 1 unchanged, 0 refused. Dry run: nothing was written.\n"
    assert run_coord("stakeholder", "show", "liede-tea-house").exit_code == 2

    result = run_coord("import", "stakeholders", "名录.xlsx")
    assert result.exit_code == 0, result.stderr
    tea = stakeholder("liede-tea-house")
    assert (tea["name"], tea["name_zh"], tea["kind"], tea["influence"], tea["interest"]) == (
        "Liede Tea House",
        "猎德茶楼",
        "enterprise",
        2,
        3,
    )
    assert tea["contacts"] == [{"channel": "mobile", "value": "13800138000"}]
    assert tea["representatives"] == [{"name": "黄明", "title": None}]
    assert stakeholder("liede-neighbourhood-committee")["influence"] == 5
    assert "stakeholder.import" in ok("log", "liede-tea-house", "--format", "json")
    again = run_coord("import", "stakeholders", "名录.xlsx")
    assert again.stdout == "" and again.stderr.startswith("Plan: 0 to create, 0 to change, 3 unchanged")


def test_gbk_csv_without_bom_and_utf8_csv_with_bom(ws: Workspace, isolated: Path) -> None:
    example(ws)
    rows = "键,名称,类型,关注度,电话,联系人,职务\r\nliede-property,,,5,020-3880-9999,梁伟,经理\r\n,佛山龙舟会,other,,,,\r\n"
    (isolated / "gbk.csv").write_bytes(rows.encode("gbk"))
    result = run_coord("import", "stakeholders", "gbk.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "~ stakeholder liede-property: interest: 3 → 5, contacts: phone:020-3880-0006 → phone:020-3880-9999, "
        "representatives: 梁伟:物业经理 → 梁伟:经理\n"
        "+ stakeholder foshanlongzhou-hui\n"
    )
    assert stakeholder("foshanlongzhou-hui")["name"] == "佛山龙舟会"  # a Chinese-only name serves as the name

    (isolated / "bom.csv").write_bytes("\ufeffName;Kind;Email\r\nRiver School;university;a@school.cn\r\n".encode())
    result = run_coord("import", "stakeholders", "bom.csv")
    assert result.stdout == "+ stakeholder river-school\n"
    assert stakeholder("river-school")["contacts"] == [{"channel": "email", "value": "a@school.cn"}]


def test_bad_rows_are_listed_written_and_nothing_is_imported(ws: Workspace, isolated: Path) -> None:
    example(ws)
    (isolated / "bad.csv").write_text(
        "名称,类型,影响力,联系方式\n"
        "Good Bakery,enterprise,2,phone:020-1\n"
        "Bad Kind,spaceship,2,\n"
        "Bad Score,enterprise,high,\n"
        ",,3,\n"
        "Good Bakery,enterprise,2,\n"
        "Bad Contact,enterprise,1,020-2\n",
        encoding="utf-8",
    )
    before = ws.snapshot()
    result = run_coord("import", "stakeholders", "bad.csv", "--rejected", "rejected.csv")
    assert result.exit_code == 2
    assert result.stdout == "+ stakeholder good-bakery\n"
    kinds = (
        "government, party-committee, neighbourhood-committee, social-organisation, enterprise, property-management, "
        "university, volunteer-team, resident-group, individual, other"
    )
    reasons = [
        (3, f"kind 'spaceship' is not one of: {kinds}"),
        (4, "influence 'high' is not a whole number from 1 to 5"),
        (5, "no name (名称) and no key"),
        (6, "'good-bakery' is already in row 2"),
        (7, "contact '020-2' is not CHANNEL:VALUE, e.g. phone:020-8888-0000"),
    ]
    assert result.stderr.splitlines() == [
        *(f"! row {row}: {reason}" for row, reason in reasons),
        "Wrote 5 refused row(s) to rejected.csv",
        "Plan: 1 to create, 0 to change, 0 unchanged, 5 refused.",
        "Error: 5 row(s) refused; nothing was written",
    ]
    data = (isolated / "rejected.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    written = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert written[0] == ["row", "reason", "名称", "类型", "影响力", "联系方式"]
    assert [(int(r[0]), r[1]) for r in written[1:]] == reasons
    assert written[2][2:] == ["Bad Score", "enterprise", "high", ""]
    assert ws.snapshot() == before


def edit(path: Path, target: Path, cells: dict[tuple[str, str], str | None]) -> None:
    """Change cells of coord's matrix workbook as a person would in Excel: by duty row and party column."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header_row = next(row for row in sheet.iter_rows() if any(c.value == "duty" for c in row))
    headers = [c.value for c in header_row]
    for (duty, party), value in cells.items():
        row = next(r for r in sheet.iter_rows(min_row=header_row[0].row + 1) if r[headers.index("duty")].value == duty)
        row[headers.index(party)].value = value
    book.save(target)


def test_matrix_round_trip_plans_exactly_the_edited_cells(ws: Workspace, isolated: Path) -> None:
    example(ws)
    ok("matrix", "--on", ON, "--format", "xlsx", "-o", "matrix.xlsx")
    edit(
        isolated / "matrix.xlsx",
        isolated / "edited.xlsx",
        {
            ("brand-publicity", "tianhe-district"): "C,I",
            ("market-planning", "liede-merchants"): None,
            ("information-platform", "liede-street"): "a",
        },
    )
    same = run_coord("import", "matrix", "matrix.xlsx", "--on", ON)
    assert (same.exit_code, same.stdout) == (0, "")
    assert same.stderr.startswith("Plan: 0 to create, 0 to change, 22 unchanged, 0 refused.")

    planned = [
        "~ liede-renjia/brand-publicity × tianhe-district: C → C,I",
        "~ liede-renjia/information-platform × liede-street: (none) → A",
        "~ liede-renjia/market-planning × liede-merchants: C → (none)",
    ]
    result = run_coord("import", "matrix", "edited.xlsx", "--on", ON, "--dry-run")
    assert result.stdout.splitlines() == planned
    result = run_coord("import", "matrix", "edited.xlsx", "--on", ON)
    assert result.exit_code == 0, result.stderr
    rows = {r["duty"]: r["cells"] for r in json.loads(ok("matrix", "--on", ON, "--format", "json"))["rows"]}
    assert rows["brand-publicity"]["tianhe-district"] == "C,I"
    assert rows["information-platform"]["liede-street"] == "A"
    assert "liede-merchants" not in rows["market-planning"]
    again = run_coord("import", "matrix", "edited.xlsx", "--on", ON)
    assert again.stdout == ""


def test_matrix_letter_from_a_signed_agreement_is_refused(ws: Workspace, isolated: Path) -> None:
    example(ws)
    ok("matrix", "--on", ON, "--format", "xlsx", "-o", "matrix.xlsx")
    edit(
        isolated / "matrix.xlsx",
        isolated / "edited.xlsx",
        {("brand-publicity", "tianhe-district"): "I", ("course-planning", "liede-neighbourhood-committee"): "R"},
    )
    before = ws.snapshot()
    result = run_coord("import", "matrix", "edited.xlsx", "--on", ON)
    assert result.exit_code == 2
    assert result.stdout == "~ liede-renjia/brand-publicity × tianhe-district: C → I\n"
    assert result.stderr.splitlines()[0] == (
        "! row 4: column G (liede-neighbourhood-committee): A# cannot change: it comes from a signed agreement: "
        "amend the agreement to change it"
    )
    assert result.stderr.splitlines()[-1] == "Error: 1 row(s) refused; nothing was written"
    assert ws.snapshot() == before


def test_duties_from_a_list_keep_their_letters(ws: Workspace, isolated: Path) -> None:
    example(ws)
    (isolated / "duties.csv").write_bytes(
        (
            "项目,职责编号,职责,类别,期限\r\n"
            "liede-renjia,market-safety,Keep the market site safe and clean,markets,2024年12月31日\r\n"
            "liede-renjia,,招募长者志愿者,volunteers,\r\n"
            "nowhere,x,Something,,\r\n"
            "liede-renjia,market-venue,Provide the square,markets,2024-13-01\r\n"
        ).encode("gb18030")
    )
    before = ws.snapshot()
    result = run_coord("import", "duties", "duties.csv")
    assert result.exit_code == 2
    assert result.stdout == (
        "~ duty liede-renjia/market-safety: due:  → 2024-12-31\n+ duty liede-renjia/zhaomu-zhangzhe-zhiyuanzhe\n"
    )
    assert result.stderr.splitlines()[:2] == [
        "! row 4: no project 'nowhere'",
        "! row 5: due '2024-13-01' is not a date (there is no month 13); use 2025-03-01, 2025/3/1 or 2025年3月1日",
    ]
    assert ws.snapshot() == before

    (isolated / "duties.csv").write_text(
        "项目,职责编号,职责,类别,期限\n"
        "liede-renjia,market-safety,Keep the market site safe and clean,markets,2024-12-31\n",
        encoding="utf-8",
    )
    letters = json.loads(ok("duty", "show", "market-safety", "--project", "liede-renjia", "--format", "json"))
    assert run_coord("import", "duties", "duties.csv").exit_code == 0
    after = json.loads(ok("duty", "show", "market-safety", "--project", "liede-renjia", "--format", "json"))
    assert after["due"] == "2024-12-31"
    assert after["assignments"] == letters["assignments"]


def test_matrix_workbook_prints_and_reads_back_in_chinese(ws: Workspace, isolated: Path) -> None:
    example(ws)
    ok("matrix", "--on", ON, "--project", "liede-renjia", "--format", "xlsx", "--lang", "zh", "-o", "m.xlsx")
    sheet = load_workbook(isolated / "m.xlsx").worksheets[0]
    assert sheet["A1"].value == "职责分工矩阵 · liede-renjia · 2024-09-01"
    assert "A1:N1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]][:5] == ["项目", "类别", "职责编号", "职责", "liede-craftsmen"]
    assert sheet["G2"].value == "猎德社区居委会" and sheet["G3"].value == "liede-neighbourhood-committee"
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows) == ("E4", "A3:N25", "$2:$3")
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    result = run_coord("import", "matrix", "m.xlsx", "--on", ON)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith("Plan: 0 to create, 0 to change, 22 unchanged, 0 refused.")


def test_register_and_duties_as_xlsx_read_back_unchanged(ws: Workspace, isolated: Path) -> None:
    example(ws)
    ok("stakeholder", "list", "--format", "xlsx", "--lang", "zh", "-o", "register.xlsx")
    sheet = load_workbook(isolated / "register.xlsx")["Stakeholders"]
    assert str(sheet["A1"].value).startswith("单位名录 · ")
    assert [c.value for c in sheet[2]] == [
        "键",
        "名称",
        "中文名",
        "类型",
        "影响力",
        "关注度",
        "诉求",
        "在册",
        "联系方式",
        "代表",
    ]
    assert [c.value for c in sheet[3]][:6] == [
        "liede-craftsmen",
        "Liede heritage craftsmen and residents' group",
        "猎德非遗传承人与居民骨干",
        "resident-group",
        2,
        4,
    ]
    assert sheet[3][9].value == "何师傅: 龙舟制作非遗传承人"
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows) == ("B3", "A2:J12", "$2:$2")
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)
    sheet[3][4].value = 3  # one edit: liede-craftsmen's influence
    sheet.parent.save(isolated / "register.xlsx")
    result = run_coord("import", "stakeholders", "register.xlsx", "--dry-run")
    assert result.stdout == "~ stakeholder liede-craftsmen: influence: 2 → 3\n"
    assert result.stderr.splitlines() == [
        "Not imported (no field; name one with --map): column H ('在册')",
        "Plan: 0 to create, 1 to change, 9 unchanged, 0 refused. Dry run: nothing was written.",
    ]

    ok("duty", "list", "--project", "liede-renjia", "--format", "xlsx", "--lang", "zh", "-o", "duties.xlsx")
    sheet = load_workbook(isolated / "duties.xlsx")["Duties"]
    assert [c.value for c in sheet[2]] == ["项目", "类别", "键", "职责", "期限", "分工"]
    result = run_coord("import", "duties", "duties.xlsx")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines()[-1].startswith("Plan: 0 to create, 0 to change, 22 unchanged, 0 refused.")


def test_register_as_vcard_3(ws: Workspace) -> None:
    import vobject

    example(ws)
    text = ok("stakeholder", "list", "--format", "vcf", "--lang", "zh")
    cards = list(vobject.readComponents(text))
    assert {card.version.value for card in cards} == {"3.0"}
    by_uid = {card.uid.value: card for card in cards}
    street = by_uid["coord:stakeholder:liede-street"]
    assert street.fn.value == "猎德街道办事处（职能部门）"
    stored = stakeholder("liede-street")
    phones = [c["value"] for c in stored["contacts"] if c["channel"] == "phone"]  # type: ignore[index, union-attr]
    assert [tel.value for tel in street.contents.get("tel", [])] == phones
    rep = by_uid["coord:stakeholder:liede-street:representative:李明"]
    assert (rep.fn.value, rep.title.value, rep.org.value) == ("李明", "副主任", ["猎德街道办事处（职能部门）"])
