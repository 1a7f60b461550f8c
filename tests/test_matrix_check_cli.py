"""coord check and coord matrix through the command line, on every backend."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import Workspace, run_coord

SETUP = [
    ["stakeholder", "add", "street", "--name", "Liede Street Office", "--kind", "government", "--contact", "phone:1"],
    [
        "stakeholder",
        "add",
        "sw",
        "--name",
        "Liede Social Work",
        "--name-zh",
        "猎德社工",
        "--kind",
        "social-organisation",
        "--contact",
        "phone:2",
    ],
    ["stakeholder", "add", "committee", "--name", "Neighbourhood Committee", "--kind", "neighbourhood-committee"],
    ["project", "add", "lr", "--name", "Liede Renjia", "--start", "2024-01-01", "--end", "2024-12-31"],
    ["role", "add", "venue-host", "--name", "Venue host"],
    ["role", "assign", "venue-host", "committee"],
    ["duty", "add", "venue", "--title", "Provide the market venue", "--category", "markets"],
    ["duty", "add", "plan", "--title", "Plan the market", "--category", "markets"],
    ["duty", "add", "teachers", "--title", "Find course teachers", "--category", "courses"],
    ["duty", "assign", "venue", "role:venue-host", "--as", "A"],
    ["duty", "assign", "venue", "street", "--as", "A", "--from", "2024-07-01"],
    ["duty", "assign", "venue", "sw", "--as", "R"],
    ["duty", "assign", "plan", "sw", "--as", "R"],
    ["duty", "assign", "plan", "sw", "--as", "C"],
    ["duty", "assign", "plan", "street", "--as", "A"],
    ["duty", "assign", "teachers", "sw", "--as", "R"],
    ["duty", "assign", "teachers", "street", "--as", "A", "--to", "2024-06-30"],
]


@pytest.fixture
def project(ws: Workspace) -> Workspace:
    """SETUP's project: its commands run once per session, their store copied after that."""
    return ws.replay(SETUP)


def test_check_json_is_exact_and_exit_1_on_errors(ws: Workspace) -> None:
    ws.replay(SETUP, fresh=True)  # the commands themselves, every time: the findings are what they made
    result = run_coord("check", "--on", "2024-08-01", "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "on": "2024-08-01",
        "project": None,
        "summary": {"errors": 2, "warnings": 2},
        "findings": [
            {
                "rule": "multiple-accountable",
                "severity": "error",
                "project": "lr",
                "subject": "venue",
                "message": "duty 'venue' has two accountable (A) parties at once: 'committee' (through role "
                "'venue-host') and 'street' on 2024-08-01",
                "hint": "keep one A: coord duty unassign venue role:venue-host --as A --from 2024-07-01 --project lr",
            },
            {
                "rule": "no-accountable",
                "severity": "error",
                "project": "lr",
                "subject": "teachers",
                "message": "duty 'teachers' has no accountable (A) party on 2024-08-01",
                "hint": "give one party the A: coord duty assign teachers street --as A --from 2024-07-01 "
                "--to 2024-12-31 --project lr",
            },
            {
                "rule": "no-contact-channel",
                "severity": "warning",
                "project": None,
                "subject": "committee",
                "message": "'committee' carries duties but has no contact channel",
                "hint": "add one: coord stakeholder edit committee --contact phone:NUMBER",
            },
            {
                "rule": "no-joint-meeting",
                "severity": "warning",
                "project": "lr",
                "subject": "lr",
                "message": "project 'lr' has had no joint meeting since it started on 2024-01-01 (213 days; at most 90)",
                "hint": "hold one and record its minutes: coord meeting add --project lr --date DATE "
                "--chair PARTY/PERSON --attendee PARTY; or change check.no_meeting_days in coord.toml",
            },
        ],
    }
    assert result.stderr == "2 error(s), 2 warning(s) on 2024-08-01.\n"


def test_check_without_on_reports_gaps_in_the_project_dates(project: Workspace) -> None:
    result = run_coord("check", "--select", "no-accountable", "-f", "json")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert "duty 'teachers' has no accountable (A) party from 2024-07-01 to 2024-12-31" in messages


def test_check_exit_codes_select_ignore_strict(project: Workspace) -> None:
    assert run_coord("check", "--on", "2024-03-01", "--ignore", "no-contact-channel").exit_code == 0
    assert run_coord("check", "--on", "2024-03-01").exit_code == 0  # warnings only
    assert run_coord("check", "--on", "2024-03-01", "--strict").exit_code == 1
    only = run_coord("check", "--on", "2024-08-01", "--select", "no-accountable,no-responsible", "-f", "json")
    assert {f["rule"] for f in json.loads(only.stdout)["findings"]} == {"no-accountable"}
    bad = run_coord("check", "--select", "no-acountable")
    assert bad.exit_code == 2
    assert bad.stderr == "Error: --select: no rule 'no-acountable'; did you mean 'no-accountable'?\n"
    assert run_coord("check", "--on", "2024-13-01").exit_code == 2


def test_check_reads_thresholds_from_coord_toml(project: Workspace, isolated: Path) -> None:
    (isolated / "coord.toml").write_text("[check]\noverload_share = 0.3\noverload_min = 1\n")
    result = run_coord("check", "--on", "2024-03-01", "--select", "overloaded-stakeholder", "-f", "json")
    subjects = [f["subject"] for f in json.loads(result.stdout)["findings"]]
    assert subjects == ["street", "sw"]
    (isolated / "coord.toml").write_text("[check]\noverload_share = \n")
    broken = run_coord("check")
    assert broken.exit_code == 2
    assert broken.stderr.startswith(f"Error: {isolated}/coord.toml: Invalid value (at line 2, column")
    (isolated / "coord.toml").write_text("[check]\noverload_shar = 0.5\n")
    assert run_coord("check").stderr == (
        f"Error: {isolated}/coord.toml: unknown setting 'check.overload_shar'; did you mean 'overload_share'?\n"
    )


class _Cells(HTMLParser):
    """Reads the matrix table back: {(duty, party): text} and flagged duties."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], str] = {}
        self.flagged: set[str] = set()
        self.duty: str | None = None
        self.party: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "duty-row" in (a.get("class") or ""):
            self.duty = a["data-duty"]
            if "flagged" in (a.get("class") or ""):
                self.flagged.add(self.duty or "")
        if tag == "td" and a.get("data-party"):
            self.party = a["data-party"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.party = None

    def handle_data(self, data: str) -> None:
        if self.duty and self.party and data.strip():
            self.cells[(self.duty, self.party)] = data.strip()


def test_matrix_formats_agree_cell_for_cell(project: Workspace, isolated: Path) -> None:
    on = ["--on", "2024-08-01"]
    data = json.loads(run_coord("matrix", *on, "-f", "json").stdout)
    assert [c["key"] for c in data["columns"]] == ["committee", "street", "sw"]
    expected = {
        ("plan", "street"): "A",
        ("plan", "sw"): "R,C",
        ("teachers", "sw"): "R",
        ("venue", "committee"): "A*",
        ("venue", "street"): "A",
        ("venue", "sw"): "R",
    }
    from_json = {(r["duty"], p): t for r in data["rows"] for p, t in r["cells"].items()}
    assert from_json == expected
    assert [(r["category"], r["duty"], r["findings"]) for r in data["rows"]] == [
        ("courses", "teachers", ["no-accountable"]),
        ("markets", "plan", []),
        ("markets", "venue", ["multiple-accountable"]),
    ]
    rows = list(csv.DictReader(io.StringIO(run_coord("matrix", *on, "-f", "csv", "--keys").stdout)))
    from_csv = {(r["duty"], p): r[p] for r in rows for p in ("committee", "street", "sw") if r[p]}
    assert from_csv == expected
    assert [r["findings"] for r in rows] == ["no-accountable", "", "multiple-accountable"]
    parser = _Cells()
    parser.feed(run_coord("matrix", *on, "-f", "html").stdout)
    assert parser.cells == expected
    assert parser.flagged == {"teachers", "venue"}
    assert run_coord("matrix", *on, "-f", "xlsx", "--keys", "-o", "m.xlsx").exit_code == 0
    book = openpyxl.load_workbook(isolated / "m.xlsx")
    sheet = book["Matrix"]
    header = [c.value for c in sheet[3]]
    assert header == ["project", "category", "duty", "title", "committee", "street", "sw", "findings"]
    from_xlsx = {}
    for row in sheet.iter_rows(min_row=4):
        for cell in row[4:7]:
            if cell.value:
                from_xlsx[(row[2].value, header[cell.column - 1])] = cell.value
    assert from_xlsx == expected
    assert sheet.freeze_panes == "E4"
    venue = next(r for r in sheet.iter_rows(min_row=4) if r[2].value == "venue")
    assert venue[4].fill.fgColor.rgb == "00FFD6A5"  # A: orange
    assert venue[6].fill.fgColor.rgb == "00CFE8FF"  # R: blue
    assert venue[2].fill.fgColor.rgb == "00FFC9C9"  # flagged row
    assert [r[0].value for r in book["Legend"].iter_rows(min_row=2)][:6] == ["R", "A", "C", "I", "*", "#"]
    md = run_coord("matrix", *on, "-f", "md", "--keys").stdout
    assert "| lr | markets | venue | Provide the market venue | A* | A | R | multiple-accountable |" in md
    table = run_coord("matrix", *on).stdout
    assert "venue" in table and "A*" in table and "R,C" in table


def test_matrix_by_role_heads_roles_by_their_chinese_names_under_zh(project: Workspace, isolated: Path) -> None:
    for command in (
        ("role", "add", "funder", "--name", "Funder", "--name-zh", "出资方"),
        ("role", "assign", "funder", "street"),
        ("duty", "assign", "plan", "role:funder", "--as", "I"),
    ):
        assert run_coord(*command).exit_code == 0
    on = ["--by", "role", "--on", "2024-08-01"]
    data = json.loads(run_coord("matrix", *on, "-f", "json").stdout)
    assert data["columns"] == [
        {"key": "funder", "name": "Funder", "name_zh": "出资方"},
        {"key": "venue-host", "name": "Venue host", "name_zh": None},
    ]
    header = next(
        csv.reader(io.StringIO(run_coord("matrix", *on, "-f", "csv", "--lang", "zh").stdout.lstrip("\ufeff")))
    )
    assert header[4:6] == ["出资方", "Venue host"]  # no Chinese name: the English one
    assert next(csv.reader(io.StringIO(run_coord("matrix", *on, "-f", "csv").stdout)))[4:6] == ["Funder", "Venue host"]
    assert next(csv.reader(io.StringIO(run_coord("matrix", *on, "-f", "csv", "--keys").stdout)))[4:6] == [
        "funder",
        "venue-host",
    ]
    table = run_coord("matrix", *on, "--lang", "zh").stdout
    assert "出资方" in table and "Funder" not in table
    assert run_coord("matrix", *on, "--lang", "zh", "-f", "xlsx", "-o", "r.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(isolated / "r.xlsx").active
    assert [c.value for c in sheet[2]][4:6] == ["出资方", "Venue host"]
    assert [c.value for c in sheet[3]][4:6] == ["funder", "venue-host"]


def test_matrix_by_role_and_on_a_date(project: Workspace) -> None:
    data = json.loads(run_coord("matrix", "--by", "role", "--on", "2024-08-01", "-f", "json").stdout)
    assert data["columns"] == [{"key": "venue-host", "name": "Venue host", "name_zh": None}]
    assert [(r["duty"], r["cells"]) for r in data["rows"]] == [
        ("teachers", {}),
        ("plan", {}),
        ("venue", {"venue-host": "A"}),
    ]
    early = json.loads(run_coord("matrix", "--on", "2024-03-01", "-f", "json").stdout)
    teachers = next(r for r in early["rows"] if r["duty"] == "teachers")
    assert teachers["cells"] == {"street": "A", "sw": "R"} and teachers["findings"] == []
