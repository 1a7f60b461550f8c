"""The register end to end through the real command line, on every backend."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from tests.conftest import Workspace, run_coord

SETUP = [
    [
        "stakeholder",
        "add",
        "liede-street",
        "--name",
        "Liede Street Office",
        "--kind",
        "government",
        "--influence",
        "5",
        "--interest",
        "4",
    ],
    [
        "stakeholder",
        "add",
        "liede-sw",
        "--name",
        "Liede Social Work Station",
        "--name-zh",
        "猎德社工站",
        "--kind",
        "social-organisation",
        "--interests",
        "stable funding; venues",
        "--contact",
        "phone:020-3888-1234",
        "--contact",
        "wechat:liede-renjia",
        "--rep",
        "Chen Jing:Director",
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
    [
        "project",
        "add",
        "liede-renjia",
        "--name",
        "Liede Renjia",
        "--name-zh",
        "猎德人家",
        "--start",
        "2024-01-01",
        "--end",
        "2024-12-31",
        "--lead",
        "liede-street",
    ],
    ["role", "add", "service-provider", "--name", "Service provider"],
    ["role", "add", "venue-host", "--name", "Venue host", "--description", "Lends rooms and squares"],
    ["role", "assign", "service-provider", "liede-sw"],
    ["role", "assign", "venue-host", "liede-committee", "--from", "2024-01-01", "--to", "2024-06-30"],
    ["duty", "add", "market-venue", "--title", "Provide the venue for the monthly market", "--category", "markets"],
    ["duty", "add", "market-plan", "--title", "Plan the monthly public-welfare market", "--category", "markets"],
    [
        "duty",
        "add",
        "course-teachers",
        "--title",
        "Find teachers for public-welfare courses",
        "--title-zh",
        "公益课程师资",
        "--category",
        "courses",
    ],
    [
        "duty",
        "add",
        "report",
        "--title",
        "Report to the street office",
        "--category",
        "reporting",
        "--due",
        "2024-12-15",
    ],
    ["duty", "assign", "market-venue", "role:venue-host", "--as", "R"],
    ["duty", "assign", "market-venue", "liede-street", "--as", "A"],
    ["duty", "assign", "market-plan", "liede-sw", "--as", "R"],
    ["duty", "assign", "market-plan", "liede-street", "--as", "A"],
    ["duty", "assign", "market-plan", "liede-committee", "--as", "c"],
    ["duty", "assign", "course-teachers", "liede-sw", "--as", "R", "--from", "2024-03-01", "--to", "2024-06-30"],
    ["duty", "assign", "course-teachers", "liede-street", "--as", "I"],
    ["duty", "assign", "report", "liede-sw", "--as", "A"],
]


def build(ws: Workspace, *, fresh: bool = False) -> None:
    """The register SETUP makes (its commands run once per session unless ``fresh``; copied after that)."""
    ws.replay(SETUP, fresh=fresh)


def manual(
    letter: str,
    stakeholder: str | None = None,
    role: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict:
    return {"letter": letter, "stakeholder": stakeholder, "role": role, "from": start, "to": end, "source": "manual"}


def test_register_round_trips_exactly_in_json(ws: Workspace) -> None:
    build(ws)
    stakeholders = json.loads(run_coord("stakeholder", "list", "--format", "json").stdout)
    assert stakeholders == [
        {
            "key": "liede-committee",
            "name": "Liede Neighbourhood Committee",
            "name_zh": None,
            "kind": "neighbourhood-committee",
            "influence": None,
            "interest": None,
            "interests": None,
            "active": True,
            "address": None,
            "legal_representative": None,
            "registration_number": None,
            "contacts": [],
            "representatives": [],
        },
        {
            "key": "liede-street",
            "name": "Liede Street Office",
            "name_zh": None,
            "kind": "government",
            "influence": 5,
            "interest": 4,
            "interests": None,
            "active": True,
            "address": None,
            "legal_representative": None,
            "registration_number": None,
            "contacts": [],
            "representatives": [],
        },
        {
            "key": "liede-sw",
            "name": "Liede Social Work Station",
            "name_zh": "猎德社工站",
            "kind": "social-organisation",
            "influence": None,
            "interest": None,
            "interests": "stable funding; venues",
            "active": True,
            "address": None,
            "legal_representative": None,
            "registration_number": None,
            "contacts": [
                {"channel": "phone", "value": "020-3888-1234"},
                {"channel": "wechat", "value": "liede-renjia"},
            ],
            "representatives": [{"name": "Chen Jing", "title": "Director"}],
        },
    ]
    projects = json.loads(run_coord("project", "list", "-f", "json").stdout)
    assert projects == [
        {
            "key": "liede-renjia",
            "name": "Liede Renjia",
            "name_zh": "猎德人家",
            "start": "2024-01-01",
            "end": "2024-12-31",
            "lead": "liede-street",
            "current": False,
            "roles": 2,
            "duties": 4,
        }
    ]
    roles = json.loads(run_coord("role", "list", "-f", "json").stdout)
    assert roles == [
        {
            "project": "liede-renjia",
            "key": "service-provider",
            "name": "Service provider",
            "name_zh": None,
            "description": None,
            "holders": [{"stakeholder": "liede-sw", "from": None, "to": None}],
        },
        {
            "project": "liede-renjia",
            "key": "venue-host",
            "name": "Venue host",
            "name_zh": None,
            "description": "Lends rooms and squares",
            "holders": [{"stakeholder": "liede-committee", "from": "2024-01-01", "to": "2024-06-30"}],
        },
    ]
    duties = json.loads(run_coord("duty", "list", "-f", "json").stdout)
    assert duties == [
        {
            "project": "liede-renjia",
            "key": "course-teachers",
            "title": "Find teachers for public-welfare courses",
            "title_zh": "公益课程师资",
            "category": "courses",
            "due": None,
            "assignments": [manual("R", "liede-sw", start="2024-03-01", end="2024-06-30"), manual("I", "liede-street")],
        },
        {
            "project": "liede-renjia",
            "key": "market-plan",
            "title": "Plan the monthly public-welfare market",
            "title_zh": None,
            "category": "markets",
            "due": None,
            "assignments": [manual("R", "liede-sw"), manual("A", "liede-street"), manual("C", "liede-committee")],
        },
        {
            "project": "liede-renjia",
            "key": "market-venue",
            "title": "Provide the venue for the monthly market",
            "title_zh": None,
            "category": "markets",
            "due": None,
            "assignments": [manual("R", role="venue-host"), manual("A", "liede-street")],
        },
        {
            "project": "liede-renjia",
            "key": "report",
            "title": "Report to the street office",
            "title_zh": None,
            "category": "reporting",
            "due": "2024-12-15",
            "assignments": [manual("A", "liede-sw")],
        },
    ]


def test_log_shows_every_change_newest_first(ws: Workspace) -> None:
    build(ws, fresh=True)  # the commands themselves, every time: this test checks each of them
    events = json.loads(run_coord("log", "-f", "json").stdout)
    assert [e["action"] for e in reversed(events)] == ["stakeholder.add"] * 3 + ["project.add"] + ["role.add"] * 2 + [
        "role.assign"
    ] * 2 + ["duty.add"] * 4 + ["duty.assign"] * 8
    # SQLite records COORD_USER as claimed; PostgreSQL the role that connected (issue 20)
    connected = "tester" if ws.backend == "sqlite" else make_url(ws.url).username
    assert {e["actor"] for e in events} == {connected}
    first = events[-1]
    assert first["key"] == "liede-street" and first["before"] is None
    assert first["after"]["name"] == "Liede Street Office"
    last = events[0]
    assert last["key"] == "liede-renjia/report"
    assert last["before"]["assignments"] == [] and last["after"]["assignments"] == [manual("A", "liede-sw")]
    only = json.loads(run_coord("log", "liede-sw", "-f", "json").stdout)
    assert [e["action"] for e in only] == ["stakeholder.add"]
    assert json.loads(run_coord("log", "report", "-n", "1", "-f", "json").stdout)[0]["action"] == "duty.assign"


def test_edit_retire_and_remove(ws: Workspace) -> None:
    build(ws)
    assert (
        run_coord(
            "stakeholder",
            "edit",
            "liede-sw",
            "--influence",
            "4",
            "--contact",
            "email:sw@liede.example",
            "--remove-contact",
            "wechat",
        ).exit_code
        == 0
    )
    shown = json.loads(run_coord("stakeholder", "show", "liede-sw", "-f", "json").stdout)
    assert shown["influence"] == 4
    assert shown["contacts"] == [
        {"channel": "phone", "value": "020-3888-1234"},
        {"channel": "email", "value": "sw@liede.example"},
    ]
    refused = run_coord("stakeholder", "remove", "liede-sw")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: stakeholder 'liede-sw' is still referenced by 3 duty assignment(s), 1 role holding(s); "
        "retire it with 'coord stakeholder edit liede-sw --inactive' instead\n"
    )
    assert run_coord("stakeholder", "edit", "liede-sw", "--inactive").exit_code == 0
    active = [s["key"] for s in json.loads(run_coord("stakeholder", "list", "-f", "json").stdout)]
    assert active == ["liede-committee", "liede-street"]
    everyone = json.loads(run_coord("stakeholder", "list", "--all", "-f", "json").stdout)
    assert [s["active"] for s in everyone] == [True, True, False]
    assert run_coord("stakeholder", "add", "temp", "--name", "Temp", "--kind", "other").exit_code == 0
    assert run_coord("stakeholder", "remove", "temp").exit_code == 0
    assert "temp" not in run_coord("stakeholder", "list", "--all", "-f", "csv").stdout
    log = json.loads(run_coord("log", "temp", "-f", "json").stdout)
    assert [e["action"] for e in log] == ["stakeholder.remove", "stakeholder.add"]


def test_duty_edit_unassign_and_remove(ws: Workspace) -> None:
    build(ws)
    assert run_coord("duty", "edit", "report", "--due", "", "--category", "reports").exit_code == 0
    duty = json.loads(run_coord("duty", "show", "report", "-f", "json").stdout)
    assert (duty["due"], duty["category"]) == (None, "reports")
    refused = run_coord("duty", "remove", "report")
    assert refused.exit_code == 2
    assert refused.stderr == "Error: duty 'report' still has 1 assignment(s) (liede-sw); unassign them first\n"
    assert run_coord("duty", "unassign", "report", "liede-sw").exit_code == 0
    assert run_coord("duty", "remove", "report").exit_code == 0
    assert run_coord("duty", "unassign", "market-plan", "liede-committee", "--as", "C").exit_code == 0
    plan = json.loads(run_coord("duty", "show", "market-plan", "-f", "json").stdout)
    assert [a["letter"] for a in plan["assignments"]] == ["R", "A"]
    assert run_coord("role", "unassign", "venue-host", "liede-committee").exit_code == 0
    assert json.loads(run_coord("role", "list", "-f", "json").stdout)[1]["holders"] == []


def test_current_project_and_project_option(ws: Workspace) -> None:
    build(ws)
    assert run_coord("project", "add", "other", "--name", "Other").exit_code == 0
    ambiguous = run_coord("duty", "list")
    assert ambiguous.exit_code == 2
    assert ambiguous.stderr == "Error: which project? pass --project KEY, or set one with 'coord project use KEY'\n"
    assert run_coord("duty", "list", "--project", "other", "-f", "json").stdout == "[]\n"
    assert run_coord("project", "use", "liede-renjia").exit_code == 0
    assert len(json.loads(run_coord("duty", "list", "-f", "json").stdout)) == 4
    shown = json.loads(run_coord("project", "show", "liede-renjia", "-f", "json").stdout)
    assert shown["current"] is True


def test_chinese_round_trips_in_every_format(ws: Workspace) -> None:
    build(ws)
    assert "猎德社工站" in run_coord("stakeholder", "list", "-f", "table").stdout
    assert json.loads(run_coord("stakeholder", "show", "liede-sw", "-f", "json").stdout)["name_zh"] == "猎德社工站"
    assert yaml.safe_load(run_coord("stakeholder", "list", "-f", "yaml").stdout)[2]["name_zh"] == "猎德社工站"
    csv_text = run_coord("stakeholder", "list", "-f", "csv").stdout
    assert csv_text.splitlines()[0] == (
        "key,name,name_zh,kind,influence,interest,interests,active,contacts,representatives"
    )
    assert csv_text.splitlines()[3] == (
        "liede-sw,Liede Social Work Station,猎德社工站,social-organisation,,,"
        "stable funding; venues,yes,phone: 020-3888-1234; wechat: liede-renjia,"
        "Chen Jing: Director"
    )
    md = run_coord("stakeholder", "list", "-f", "md").stdout
    assert "| liede-sw | Liede Social Work Station | 猎德社工站 |" in md
    assert "\x1b[" not in csv_text + md


def test_output_file(ws: Workspace) -> None:
    build(ws)
    result = run_coord("duty", "list", "-f", "json", "-o", "out/duties.json")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "Wrote out/duties.json\n"
    from pathlib import Path

    assert len(json.loads(Path("out/duties.json").read_text(encoding="utf-8"))) == 4


def test_long_lists_print_as_plain_aligned_columns(sqlite_ws: Workspace, isolated: Path) -> None:
    from rich.cells import cell_len

    people = [
        {"key": f"org-{i:03d}", "name": f"组织 {i}" if i % 2 else f"Org {i}", "kind": "other"} for i in range(301)
    ]
    (isolated / "many.yaml").write_text(yaml.safe_dump({"stakeholders": people}, allow_unicode=True), encoding="utf-8")
    assert run_coord("apply", "many.yaml").exit_code == 0
    lines = run_coord("stakeholder", "list").stdout.splitlines()
    assert lines[0] == "Stakeholders" and lines[1].startswith("key      name      中文名  kind   influence")
    assert len(lines) == 3 + 301
    kind_at = cell_len(lines[1].split("kind")[0])
    for line in (lines[3], lines[4]):  # an English and a Chinese name: the next column starts at the same cell
        assert cell_len(line[: line.index("other")]) == kind_at
