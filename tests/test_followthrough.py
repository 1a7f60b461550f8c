"""After signing: occurrences of obligations, fulfilment records that never touch the signed terms, evidence
checked by verify, one list of what is due, and the same list as iCalendar with stable UIDs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ok, run_coord

EXAMPLE = Path(__file__).parent.parent / "agreements" / "liede-renjia.yaml"
REPORT = ["AGR-2024-001", "19"]  # the social-work station's quarterly written report: due 31 Jan, then every 3 months


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("follow") / "w"
    run = [sys.executable, "-m", "coordkit"]
    subprocess.run([*run, "init", str(folder)], check=True, capture_output=True)
    subprocess.run([*run, "--db", str(folder), "apply", str(EXAMPLE)], check=True, capture_output=True)
    shutil.copytree(EXAMPLE.parent / "evidence", folder / "evidence")  # as coord demo does
    return folder


@pytest.fixture
def ws(example_store: Path, isolated: Path) -> Path:
    target = isolated / "w"
    shutil.copytree(example_store, target)
    return target


def coord(ws: Path, *args: str) -> str:
    return ok("--db", str(ws), *args)


def tables(ws: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    with sqlite3.connect(ws / "coord.db") as conn:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY 1").fetchall() for n in names}


def test_occurrences_of_a_quarterly_report(ws: Path) -> None:
    rows = json.loads(coord(ws, "obligation", "list", "AGR-2024-001", "--on", "2024-09-01", "-f", "json"))
    assert [(r["number"], r["due"], r["status"], r["done"]) for r in rows] == [
        (19, "2024-01-31", "met", "2024-02-05"),  # the example's reports, with their evidence
        (19, "2024-04-30", "met", "2024-05-06"),
        (19, "2024-07-31", "scheduled", None),  # the third quarter's: overdue on 1 September
        (19, "2024-10-31", "scheduled", None),  # the next one after --on
    ]
    assert [e["file"] for r in rows[:2] for e in r["evidence"]] == ["2024Q1-report.md", "2024Q2-report.md"]
    market = json.loads(coord(ws, "obligation", "list", "AGR-2024-002", "--on", "2024-03-15", "-f", "json"))
    assert [(r["due"], r["status"], r["actual"]) for r in market] == [
        ("2024-01-31", "missed", "150"),  # monthly, due on each month's last day
        ("2024-02-29", "waived", None),
        ("2024-03-31", "met", "230"),
    ]
    assert market[0]["target"] == "12 sessions (≥ 200 people)"


def test_fulfilment_leaves_the_signed_terms_and_verify_as_they_were(ws: Path, isolated: Path) -> None:
    shown = coord(ws, "agreement", "show", "AGR-2024-001", "-f", "json")
    (isolated / "q3.pdf").write_bytes(b"%PDF-1.4 the third quarter's report")
    said = run_coord("--db", str(ws), "obligation", "done", *REPORT, "--on", "2024-09-03", "--evidence", "q3.pdf")
    assert said.exit_code == 0 and said.stderr == "AGR-2024-001 obligation 19, due 2024-07-31: met on 2024-09-03.\n"
    assert coord(ws, "agreement", "show", "AGR-2024-001", "-f", "json") == shown
    rows = json.loads(coord(ws, "obligation", "list", "AGR-2024-001", "--on", "2024-09-03", "-f", "json"))
    assert [(r["due"], r["status"], r["done"]) for r in rows][2:] == [
        ("2024-07-31", "met", "2024-09-03"),
        ("2024-10-31", "scheduled", None),
    ]
    evidence = rows[2]["evidence"][0]
    assert evidence["file"] == "q3.pdf" and (ws / "evidence" / evidence["name"]).read_bytes().startswith(b"%PDF")
    verified = run_coord("--db", str(ws), "verify")
    assert verified.exit_code == 0 and "3 files" in verified.stderr
    log = json.loads(coord(ws, "log", "AGR-2024-001", "-f", "json"))
    assert log[0]["action"] == "obligation.met"
    (ws / "evidence" / evidence["name"]).write_bytes(b"%PDF-1.4 another report")
    tampered = run_coord("--db", str(ws), "verify", "-f", "json")
    assert tampered.exit_code == 1
    problems = json.loads(tampered.stdout)["problems"]
    assert [(p["rule"], p["subject"]) for p in problems] == [
        ("bad-evidence", "AGR-2024-001 obligation 19 (2024-07-31)")
    ]


def test_a_target_against_what_was_reached(ws: Path) -> None:
    market = ["AGR-2024-002", "1"]
    coord(ws, "obligation", "partly", *market, "--on", "2024-09-14", "--actual", "180", "--note", "rain")
    coord(
        ws,
        "obligation",
        "waive",
        *market,
        "--occurrence",
        "2024-10-31",
        "--reason",
        "National Day",
        "--on",
        "2024-09-20",
    )
    rows = json.loads(coord(ws, "obligation", "list", "AGR-2024-002", "--on", "2024-10-31", "-f", "json"))
    assert [(r["due"], r["status"], r["actual"], r["note"]) for r in rows if r["due"] >= "2024-09-30"][:2] == [
        ("2024-09-30", "partly", "180", "rain"),  # the first occurrence not met: September
        ("2024-10-31", "waived", None, "National Day"),
    ]
    waived = json.loads(coord(ws, "obligation", "list", "--on", "2024-10-31", "--status", "waived", "-f", "json"))
    assert [r["due"] for r in waived] == ["2024-02-29", "2024-10-31"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [*REPORT, "--occurrence", "2024-03-31"],
            "obligation 19 of AGR-2024-001 has no occurrence on 2024-03-31; "
            "its occurrences: 2024-01-31, 2024-04-30, 2024-07-31, 2024-10-31",
        ),
        ([*REPORT, "--actual", "3"], "obligation 19 of AGR-2024-001 has no target: --actual needs one to compare with"),
        (
            [*REPORT, "--on", "2025-01-02"],
            "--on 2025-01-02 is outside the term of AGR-2024-001 (2024-01-01 to 2024-12-31)",
        ),
        (
            [*REPORT, "--on", "2023-12-31"],
            "--on 2023-12-31 is outside the term of AGR-2024-001 (2024-01-01 to 2024-12-31)",
        ),
        (["AGR-2024-003", "1"], "AGR-2024-003 v1 is circulating: fulfilment is recorded on a signed agreement"),
        (["AGR-2024-004", "1"], "AGR-2024-004 v1 is draft: fulfilment is recorded on a signed agreement"),
        (["AGR-2024-001", "1"], "obligation 1 of AGR-2024-001 has no due date to report on"),
        (["AGR-2024-001", "99"], "no obligation '99'"),
        ([*REPORT], "--on 2026-11-28 is outside the term of AGR-2024-001 (2024-01-01 to 2024-12-31); give the day"),
        ([*REPORT, "--on", "2024-02-30"], "--on"),
        ([*REPORT, "--evidence", "missing.pdf"], "--evidence"),
    ],
)
def test_bad_fulfilment_is_one_line_and_changes_nothing(ws: Path, args: list[str], message: str) -> None:
    before = tables(ws)
    dated = args if "--on" in args or args == REPORT else [*args, "--on", "2024-06-01"]
    result = run_coord("--db", str(ws), "obligation", "done", *dated)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert tables(ws) == before


def test_due_lists_what_is_late_first(ws: Path) -> None:
    rows = json.loads(coord(ws, "due", "--on", "2024-09-01", "--within", "30d", "-f", "json"))
    assert [(r["date"], r["kind"], r["agreement"], r["party"], r["late"]) for r in rows] == [
        ("2024-07-31", "obligation", "AGR-2024-001", "liede-sw", 32),  # the overdue quarterly report first
        ("2024-08-15", "signature", "AGR-2024-003", "partner-university", 17),
        ("2024-09-20", "action", None, "liede-sw", None),
        ("2024-09-30", "obligation", "AGR-2024-002", "liede-sw", None),
    ]  # the service review was opened on 5 July: the next falls due on 5 October
    assert rows[1]["contacts"] == [{"channel": "email", "value": "practice@university.example.edu.cn"}]
    mine = json.loads(coord(ws, "due", "--on", "2024-09-01", "--party", "liede-sw", "--overdue", "-f", "json"))
    assert [(r["date"], r["kind"]) for r in mine] == [("2024-07-31", "obligation")]
    digest = coord(ws, "due", "--on", "2024-09-01", "--within", "30d", "--digest", "--lang", "zh")
    assert digest.startswith(
        "到期事项（2024年9月1日）\n\n已逾期\n"
        "- 2024年7月31日 · 履约事项 · 每季度向街道办事处提交书面工作报告 · 猎德人家社工站（第三方社会组织） · "
        "AGR-2024-001 · 逾期32天\n"
    )  # the party by the name the group knows
    assert "· Liede Renjia Social Work Station (third-party social organisation) · AGR-2024-001 ·" in coord(
        ws, "due", "--on", "2024-09-01", "--digest", "--lang", "en"
    )


def test_the_calendar_parses_back_with_stable_uids(ws: Path, isolated: Path) -> None:
    from icalendar import Calendar

    coord(ws, "calendar", "-o", "a.ics", "--on", "2024-09-01")
    coord(ws, "calendar", "-o", "b.ics", "--on", "2024-09-01", "--lang", "zh")
    first = Calendar.from_ical((isolated / "a.ics").read_bytes())
    second = Calendar.from_ical((isolated / "b.ics").read_bytes())
    todos = list(first.walk("VTODO"))
    occurrences = json.loads(coord(ws, "obligation", "list", "--on", "2025-12-31", "-f", "json"))
    assert len(todos) == len(occurrences) == 16  # one VTODO per occurrence: 4 reports, 12 markets
    completed = sorted(t["due"].dt.isoformat() for t in todos if str(t["status"]) == "COMPLETED")
    assert completed[:3] == ["2024-01-31", "2024-03-31", "2024-04-30"] and len(completed) == 8  # 2 reports, 6 markets
    overdue = [t for t in todos if int(t["priority"]) == 1]
    assert [t["due"].dt.isoformat() for t in overdue] == ["2024-07-31"]
    uids = sorted(str(c["uid"]) for c in first.walk() if "uid" in c)
    assert uids == sorted(str(c["uid"]) for c in second.walk() if "uid" in c)
    assert len(set(uids)) == len(uids)


def test_bad_due_arguments(ws: Path) -> None:
    for args, message in (
        (["--within", "soon"], "Error: --within"),
        (["--party", "nobody"], "Error: "),
        (["--lang", "fr", "--digest"], "Error: --lang 'fr'"),
    ):
        result = run_coord("--db", str(ws), "due", *args)
        assert result.exit_code == 2 and result.stderr.startswith(message), (args, result.stderr)


def test_bad_calendar_alarms_and_the_last_day_of_the_calendar(ws: Path, isolated: Path) -> None:
    for alarms in ("99999999", "-1", "soon"):
        result = run_coord("--db", str(ws), "calendar", "-o", "c.ics", "--alarms", alarms)
        assert (result.exit_code, result.stderr) == (
            2,
            f"Error: --alarms '{alarms}': give days from 0 to 366 as whole numbers, such as 7,1\n",
        )
        assert not (isolated / "c.ics").exists()
    for command in (["due", "-f", "json"], ["calendar", "-o", "c.ics"]):  # a year ahead would pass 9999-12-31
        result = run_coord("--db", str(ws), *command, "--on", "9999-12-31")
        assert result.exit_code == 0, result.stderr


def test_fulfilment_as_code_round_trips_and_never_changes(ws: Path, isolated: Path) -> None:
    coord(ws, "obligation", "partly", "AGR-2024-002", "1", "--on", "2024-09-14", "--actual", "180")
    coord(ws, "export", "-o", "a.yaml")
    exported = (isolated / "a.yaml").read_text(encoding="utf-8")
    assert (
        "  fulfilment:\n  - obligation: 19\n    occurrence: '2024-01-31'\n    status: met\n    date: '2024-02-05'\n"
        in exported
    )
    ok("init", "fresh")
    ok("--db", "fresh", "apply", "a.yaml")
    ok("--db", "fresh", "export", "-o", "b.yaml")
    assert (isolated / "b.yaml").read_text(encoding="utf-8") == exported
    assert "0 to create, 0 to change" in run_coord("--db", "fresh", "apply", "a.yaml").stderr
    plain = "\n".join(exported.splitlines()[2:-1]) + "\n"  # without the export's seal: a file a person edits
    changed = plain.replace("    status: met\n    date: '2024-02-05'", "    status: missed\n    date: '2024-02-05'")
    assert changed != plain
    (isolated / "c.yaml").write_text(changed, encoding="utf-8")
    before = tables(isolated / "fresh")
    result = run_coord("--db", "fresh", "apply", "c.yaml")
    assert result.exit_code == 2
    assert "agreement 'AGR-2024-001': recorded fulfilment reports are never changed or removed" in result.stderr
    assert tables(isolated / "fresh") == before
    added = plain.replace(
        "    actual: '180'\n",
        "    actual: '180'\n  - obligation: 1\n    occurrence: '2024-10-31'\n    status: met\n    date: '2024-10-12'\n",
    )
    assert added != plain
    (isolated / "d.yaml").write_text(added, encoding="utf-8")
    ok("--db", "fresh", "apply", "d.yaml")
    rows = json.loads(ok("--db", "fresh", "obligation", "list", "AGR-2024-002", "--on", "2024-10-31", "-f", "json"))
    assert [(r["due"], r["status"]) for r in rows if r["due"] >= "2024-09-30"][:2] == [
        ("2024-09-30", "partly"),
        ("2024-10-31", "met"),
    ]
