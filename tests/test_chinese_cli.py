"""Chinese first (issue 12): --lang on every command, names in the reader's language, CSV for Excel, local times."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from pathlib import Path

import pytest

from coordkit.dates import local_time
from tests.conftest import ok, run_coord

REGISTER = [
    [
        "stakeholder",
        "add",
        "liede-street",
        "--name",
        "Liede Street Office",
        "--name-zh",
        "猎德街道办事处",
        "--kind",
        "government",
    ],
    [
        "stakeholder",
        "add",
        "liede-committee",
        "--name",
        "Liede Neighbourhood Committee",
        "--kind",
        "neighbourhood-committee",
    ],
]


@pytest.fixture
def register(isolated: Path) -> Path:
    ok("init")
    for command in REGISTER:
        ok(*command)
    return isolated


def test_every_command_without_a_lang_of_its_own_takes_lang(register: Path) -> None:
    shown = run_coord("project", "list", "--lang", "zh")
    assert shown.exit_code == 0
    assert shown.stderr == "没有可显示的内容。\n"
    assert run_coord("project", "list", "--lang", "en").stderr == "Nothing to show.\n"
    refused = run_coord("duty", "list", "--lang", "zh")
    assert refused.exit_code == 2
    assert refused.stderr == "错误：还没有项目；请用“coord project add KEY --name NAME”添加一个\n"
    assert "--lang [en|zh]" in ok("log", "--help")


def test_lang_holds_for_one_run_only(register: Path) -> None:
    ok("project", "list", "--lang", "zh")
    assert run_coord("project", "list").stderr == "Nothing to show.\n"


def test_the_chinese_register_as_csv_for_excel(register: Path) -> None:
    ok("stakeholder", "list", "--lang", "zh", "--format", "csv", "-o", "r.csv")
    raw = (register / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["键", "名称", "英文名", "类型"]
    assert [row[:3] for row in rows[1:]] == [
        ["liede-committee", "Liede Neighbourhood Committee", "Liede Neighbourhood Committee"],
        ["liede-street", "猎德街道办事处", "Liede Street Office"],
    ]


def test_csv_to_stdout_has_no_bom_and_english_keeps_the_field_names(register: Path) -> None:
    out = ok("stakeholder", "list", "--format", "csv")
    assert out.startswith("key,name,name_zh,kind,")
    ok("stakeholder", "list", "--format", "csv", "-o", "r.csv")
    assert (register / "r.csv").read_text(encoding="utf-8").startswith("\ufeffkey,name,name_zh,kind,")


def test_log_shows_local_time_to_the_second_and_json_keeps_utc(register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        table = ok("log", "--format", "csv")
        json_out = ok("log", "--format", "json")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    at = table.splitlines()[1].split(",")[0]
    assert len(at) == 19 and at[10] == " "  # 2026-11-28 13:59:28
    assert '"at": "' in json_out and 'Z"' in json_out.split('"at": "', 1)[1].split(",", 1)[0]


def test_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time("2026-11-28T01:07:31.531037Z") == "2026-11-28 09:07:31"
        assert local_time("2026-11-28T20:00:00+00:00") == "2026-11-29 04:00:00"
        assert local_time(dt.datetime(2026, 1, 1, 0, 0, 0)) == "2026-01-01 08:00:00"  # no zone: UTC, as stored
        assert local_time("not a time") == "not a time"
        assert local_time(None) == ""
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_log_change_words_in_chinese(register: Path) -> None:
    assert ",新建" in ok("log", "--lang", "zh", "--format", "csv")


@pytest.fixture
def project(register: Path) -> Path:
    ok("project", "add", "lr", "--name", "Liede Renjia", "--start", "2024-01-01", "--end", "2024-12-31")
    ok("duty", "add", "venue", "--title", "Provide the venue", "--title-zh", "提供场地", "--category", "markets")
    ok("duty", "assign", "venue", "liede-street", "--as", "A")
    ok("duty", "assign", "venue", "liede-committee", "--as", "R")
    return register


def test_the_matrix_as_xlsx_in_chinese_reads_back_with_chinese_headers_and_names(project: Path) -> None:
    import openpyxl

    ok("project", "category", "markets", "--name", "Markets", "--name-zh", "公益市集")
    ok("matrix", "--lang", "zh", "--on", "2024-06-01", "--format", "xlsx", "-o", "m.xlsx")
    book = openpyxl.load_workbook(project / "m.xlsx")
    assert book.sheetnames == ["职责矩阵", "图例"]
    sheet = book["职责矩阵"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [  # a title row, the parties' names, then the header coord import matrix reads (keys)
        ["职责分工矩阵 · 全部项目 · 2024-06-01", None, None, None, None, None, None],
        [None, None, None, None, "Liede Neighbourhood Committee", "猎德街道办事处", None],
        ["项目", "类别", "职责编号", "职责", "liede-committee", "liede-street", "问题"],
        ["lr", "公益市集", "venue", "提供场地", "R", "A", None],
    ]
    legend = [[cell.value for cell in row] for row in book["图例"].iter_rows(max_row=2)]
    assert legend == [["标记", "含义"], ["R", "执行（R）：具体承担工作"]]


def test_the_matrix_in_english_by_names_and_by_keys(project: Path) -> None:
    by_name = list(csv.reader(io.StringIO(ok("matrix", "--on", "2024-06-01", "-f", "csv"))))
    assert by_name[0] == [
        "project",
        "category",
        "duty",
        "title",
        "Liede Neighbourhood Committee",
        "Liede Street Office",
        "findings",
    ]
    by_key = list(csv.reader(io.StringIO(ok("matrix", "--on", "2024-06-01", "-f", "csv", "--keys"))))
    assert by_key[0][4:6] == ["liede-committee", "liede-street"]
    assert by_key[1] == by_name[1] == ["lr", "markets", "venue", "Provide the venue", "R", "A", ""]
    table = ok("matrix", "--on", "2024-06-01", "--lang", "zh")
    assert "职责矩阵 · 全部项目 · 2024-06-01" in table and "  提供场地" in table and "猎德街道办事处" in table
    assert "  venue" in ok("matrix", "--on", "2024-06-01", "--keys")


def test_json_keeps_keys_and_both_names(project: Path) -> None:
    data = json.loads(ok("matrix", "--on", "2024-06-01", "--lang", "zh", "-f", "json"))
    assert data["columns"][1] == {"key": "liede-street", "name": "Liede Street Office", "name_zh": "猎德街道办事处"}
    assert (data["rows"][0]["duty"], data["rows"][0]["title"], data["rows"][0]["title_zh"]) == (
        "venue",
        "Provide the venue",
        "提供场地",
    )
    assert data["legend"]["R"] == "Responsible: does the work"


def test_two_parties_of_one_name_are_told_apart_by_key() -> None:
    from coordkit.render.matrix import party_labels

    columns = [
        {"key": "a", "name": "Liede merchants", "name_zh": None},
        {"key": "b", "name": "Liede merchants", "name_zh": None},
    ]
    data = {"project": None, "on": "2024-01-01", "by": "stakeholder", "columns": columns, "rows": [], "legend": {}}
    assert party_labels(data) == ["Liede merchants (a)", "Liede merchants (b)"]  # type: ignore[arg-type]


def test_a_chinese_name_breaks_between_characters_in_a_narrow_header() -> None:
    from coordkit.cli.matrix import abbreviate

    assert abbreviate("猎德非遗传承人与居民骨干", 9) == ["猎德非遗", "传承人与", "居民骨干"]


# ---------------------------------------------------------------- keys you don't have to type


def test_keys_are_made_from_names_and_unique(isolated: Path) -> None:
    ok("init")
    first = run_coord("stakeholder", "add", "--name-zh", "猎德街道办事处", "--kind", "government")
    assert first.stderr == "Added stakeholder 'liede-jiedao-banshichu' (a key made from its name).\n"
    english = run_coord("stakeholder", "add", "--name", "Liede Street Office", "--kind", "government", "--lang", "zh")
    assert english.stderr == "已添加利益相关方“liede-street-office”（键由名称生成）。\n"
    again = run_coord("stakeholder", "add", "--name", "Liede Street Office", "--kind", "government")
    assert again.stderr == "Added stakeholder 'liede-street-office-2' (a key made from its name).\n"
    project = run_coord("project", "add", "--name", "Liede Renjia", "--name-zh", "猎德人家", "--lead", "猎德街道办事处")
    assert project.stderr == "Added project 'liede-renjia' (a key made from its name).\n"
    duty = run_coord("duty", "add", "--title", "Plan each market", "--r", "猎德街道办事处")
    assert duty.stderr == "Added duty 'plan-each-market' (a key made from its title).\n"
    role = run_coord("role", "add", "--name-zh", "场地提供方", "--lang", "zh")
    assert role.stderr == "已添加角色“changditigongfang”（键由名称生成）。\n"
    assigned = run_coord("role", "assign", "场地提供方", "猎德街道办事处")  # both by name
    assert assigned.stderr == "'猎德街道办事处' now holds role '场地提供方'.\n"  # as typed
    ok("duty", "assign", "plan-each-market", "role:场地提供方", "--as", "A")
    planned = json.loads(ok("duty", "show", "Plan each market", "-f", "json"))
    assert [(a["letter"], a["role"]) for a in planned["assignments"]] == [("R", None), ("A", "changditigongfang")]
    held = json.loads(ok("role", "list", "-f", "json"))
    assert [(r["key"], [h["stakeholder"] for h in r["holders"]]) for r in held] == [
        ("changditigongfang", ["liede-jiedao-banshichu"])
    ]
    shown = json.loads(ok("project", "show", "Liede Renjia", "-f", "json"))
    assert (shown["key"], shown["lead"]) == ("liede-renjia", "liede-jiedao-banshichu")


def test_a_name_in_place_of_a_key_and_an_ambiguous_one_refused(isolated: Path) -> None:
    ok("init")
    ok(
        "stakeholder",
        "add",
        "street",
        "--name",
        "Liede Street Office",
        "--name-zh",
        "猎德街道办事处",
        "--kind",
        "government",
    )
    ok("stakeholder", "add", "m1", "--name", "Liede merchants", "--kind", "enterprise")
    ok("stakeholder", "add", "m2", "--name", "Liede merchants", "--kind", "enterprise")
    ok("project", "add", "lr", "--name", "Liede Renjia")
    ok("duty", "add", "venue", "--title", "Provide the venue", "--title-zh", "提供场地")
    ok("duty", "assign", "提供场地", "猎德街道办事处", "--as", "A")
    ok("stakeholder", "edit", "Liede Street Office", "--influence", "4")
    assert json.loads(ok("stakeholder", "show", "猎德街道办事处", "-f", "json"))["influence"] == 4
    duty = json.loads(ok("duty", "show", "Provide the venue", "-f", "json"))
    assert [(a["letter"], a["stakeholder"]) for a in duty["assignments"]] == [("A", "street")]
    before = ok("export")
    refused = run_coord("duty", "assign", "venue", "Liede merchants", "--as", "R")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: 'Liede merchants' names more than one stakeholder: m1 (Liede merchants), m2 (Liede merchants); "
        "give the key\n"
    )
    zh = run_coord("duty", "assign", "venue", "Liede merchants", "--as", "R", "--lang", "zh")
    assert (
        zh.stderr == "错误：“Liede merchants”对应多个利益相关方：m1 (Liede merchants), m2 (Liede merchants)；请给出键\n"
    )
    assert ok("export") == before  # the store is unchanged
    nothing = run_coord("stakeholder", "show", "Nobody")
    assert (nothing.exit_code, nothing.stderr) == (2, "Error: no stakeholder 'Nobody'\n")


def test_add_without_key_or_name_is_refused(isolated: Path) -> None:
    ok("init")
    refused = run_coord("stakeholder", "add", "--kind", "other")
    assert (refused.exit_code, refused.stderr) == (2, "Error: give a KEY, or a --name or --name-zh to make one from\n")


def test_the_duty_list_shows_the_chinese_title_under_zh_and_json_keeps_both(project: Path) -> None:
    rows = list(csv.reader(io.StringIO(ok("duty", "list", "--lang", "zh", "-f", "csv"))))
    assert rows[0][:4] == ["项目", "类别", "键", "标题"]
    assert rows[1][:4] == ["lr", "markets", "venue", "提供场地"]
    assert ok("duty", "list", "-f", "csv").splitlines()[1].startswith("lr,markets,venue,Provide the venue,")
    listed = json.loads(ok("duty", "list", "--lang", "zh", "-f", "json"))
    assert (listed[0]["title"], listed[0]["title_zh"]) == ("Provide the venue", "提供场地")


def test_check_names_its_subjects_in_the_readers_language(project: Path) -> None:
    ok("duty", "add", "plan", "--title", "Plan the market", "--title-zh", "策划市集", "--r", "liede-committee")
    chinese = run_coord("check", "--on", "2024-06-01", "--lang", "zh")
    assert chinese.exit_code == 1
    assert chinese.stdout.splitlines()[0] == "错误  no-accountable  plan  策划市集  (lr)"
    assert chinese.stdout.splitlines()[1] == "  职责“策划市集”没有负责方（A）"  # the message names it too
    english = run_coord("check", "--on", "2024-06-01").stdout.splitlines()
    assert english[:2] == [
        "error  no-accountable  plan  Plan the market  (lr)",
        "  duty 'Plan the market' has no accountable (A) party",
    ]
    assert english[2].startswith("  give one party the A: coord duty assign plan ")  # the hint keeps the key
    by_key = run_coord("check", "--on", "2024-06-01", "--keys").stdout.splitlines()
    assert by_key[:2] == ["error  no-accountable  plan  (lr)", "  duty 'plan' has no accountable (A) party"]
    found = json.loads(run_coord("check", "--on", "2024-06-01", "--format", "json", "--lang", "zh").stdout)
    assert [f["message"] for f in found["findings"] if f["subject"] == "plan"] == ["职责“plan”没有负责方（A）"]


def test_a_record_shows_its_times_in_local_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from coordkit.cli.display import emit_record

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        emit_record({"key": "AGR-1", "frozen_at": "2026-11-28T06:44:53+00:00", "note": "T1"}, "table", None)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    out = capsys.readouterr().out
    assert "2026-11-28 14:44:53" in out and "06:44:53" not in out and "T1" in out


def test_the_chinese_printable_register_puts_the_chinese_name_first(register: Path) -> None:
    zh = ok("stakeholder", "list", "--lang", "zh", "-f", "html")
    assert '<td>猎德街道办事处<br><span class="muted">Liede Street Office</span></td>' in zh
    assert "<td>Liede Neighbourhood Committee</td>" in zh  # no Chinese name: the English one alone
    en = ok("stakeholder", "list", "-f", "html")
    assert '<td>Liede Street Office<br><span class="muted">猎德街道办事处</span></td>' in en


def test_the_agreement_list_shows_the_chinese_title_under_zh(project: Path) -> None:
    ok(
        "agreement",
        "new",
        "--title",
        "Market",
        "--title-zh",
        "公益市集协议",
        "--party",
        "liede-street:甲方",
        "--party",
        "liede-committee:乙方",
        "--effective",
        "2024-03-01",
    )
    rows = list(csv.reader(io.StringIO(ok("agreement", "list", "--lang", "zh", "-f", "csv"))))
    assert rows[1][3] == "公益市集协议"
    assert list(csv.reader(io.StringIO(ok("agreement", "list", "-f", "csv"))))[1][3] == "Market"
    listed = json.loads(ok("agreement", "list", "--lang", "zh", "-f", "json"))
    assert (listed[0]["title"], listed[0]["title_zh"]) == ("Market", "公益市集协议")
