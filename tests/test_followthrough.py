"""After signing: fulfilment records with evidence, ``coord obligation list``, ``coord due`` and ``coord calendar``."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Workspace, ok, run_coord

BASE: dict[str, Any] = {
    "version": 1,
    "stakeholders": [
        {"key": "sw", "name": "Social workers", "kind": "social-organisation"},
        {
            "key": "street",
            "name": "Street office",
            "kind": "government",
            "contacts": [{"channel": "mobile", "value": "13900000000"}, {"channel": "wechat", "value": "street-li"}],
        },
    ],
    "projects": [{"key": "p", "name": "P", "start": "2024-01-01", "end": "2024-12-31"}],
    "agreements": [
        {
            "key": "AGR-1",
            "project": "p",
            "title": "Service",
            "title_zh": "服务协议",
            "effective": "2024-01-01",
            "expires": "2024-12-31",
            "review_every": "6m",
            "parties": [{"stakeholder": "sw"}, {"stakeholder": "street"}],
            "obligations": [
                {"party": "sw", "text": "Quarterly report", "text_zh": "季度报告", "every": "quarterly"},
                {
                    "party": "sw",
                    "text": "Hold markets",
                    "every": "2024-03-09, 2024-06-08",
                    "target": {"amount": "1", "unit": "sessions", "each_min": "200", "each_unit": "people"},
                },
                {"party": "street", "text": "Pay the fee", "due": "2024-03-01"},
            ],
        },
        {
            "key": "AGR-2",
            "project": "p",
            "title": "Placements",
            "effective": "2024-03-01",
            "expires": "2024-12-31",
            "parties": [{"stakeholder": "sw"}, {"stakeholder": "street"}],
            "obligations": [{"party": "sw", "text": "Host students", "due": "2024-06-30"}],
        },
    ],
}
SIGNED = [
    ["apply", "base.yaml"],
    ["agreement", "circulate", "AGR-1"],
    ["agreement", "sign", "AGR-1", "--party", "sw", "--signatory", "Li", "--date", "2023-12-20"],
    ["agreement", "sign", "AGR-1", "--party", "street", "--signatory", "Wang", "--date", "2023-12-21"],
    ["agreement", "circulate", "AGR-2"],
    ["agreement", "sign", "AGR-2", "--party", "sw", "--signatory", "Li", "--date", "2024-02-20"],
]


@pytest.fixture
def signed(ws: Workspace, isolated: Path) -> Workspace:
    (isolated / "base.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return ws.replay(SIGNED)


def _hash(key: str) -> str:
    return str(json.loads(ok("agreement", "show", key, "--format", "json"))["terms_hash"])


def test_fulfilment_with_evidence_leaves_the_terms_and_verify_unchanged(signed: Workspace, isolated: Path) -> None:
    before = _hash("AGR-1")
    (isolated / "q1.txt").write_text("Q1 report, received by the street office\n", encoding="utf-8")
    result = run_coord(
        "obligation", "done", "AGR-1", "1", "--occurrence", "2024-03-31", "--on", "2024-03-28", "--evidence", "q1.txt"
    )
    assert (result.exit_code, result.stderr) == (0, "Recorded AGR-1 obligation 1, due 2024-03-31: met on 2024-03-28.\n")
    result = run_coord("obligation", "partly", "AGR-1", "2", "--on", "2024-03-09", "--actual", "1", "--note", "Rain")
    assert result.stderr == "Recorded AGR-1 obligation 2, due 2024-03-09: partly met on 2024-03-09.\n"
    ok("obligation", "waive", "AGR-1", "3", "--on", "2024-02-15", "--reason", "Paid by the district instead")
    assert _hash("AGR-1") == before
    verified = run_coord("verify")
    assert verified.exit_code == 0, verified.stdout
    assert "1 files" in verified.stderr
    rows = json.loads(ok("obligation", "list", "AGR-1", "--on", "2024-07-01", "--format", "json"))
    assert [(r["obligation"], r["due"], r["status"], r["actual"], r["overdue_days"], r["on"]) for r in rows] == [
        (1, "2024-03-31", "met", None, 0, "2024-03-28"),
        (1, "2024-06-30", "scheduled", None, 1, None),
        (1, "2024-09-30", "scheduled", None, 0, None),
        (1, "2024-12-31", "scheduled", None, 0, None),
        (2, "2024-03-09", "partly", "1", 114, "2024-03-09"),
        (2, "2024-06-08", "scheduled", None, 23, None),
        (3, "2024-03-01", "waived", None, 0, "2024-02-15"),
    ]
    digest = hashlib.sha256(b"Q1 report, received by the street office\n").hexdigest()
    assert rows[0]["evidence"] == [f"{digest}.txt"]
    assert rows[4]["target"] == "1 sessions (each at least 200 people)"
    overdue = json.loads(ok("obligation", "list", "--status", "overdue", "--on", "2024-07-01", "-p", "p", "-f", "json"))
    assert [(r["agreement"], r["obligation"], r["due"]) for r in overdue] == [
        ("AGR-1", 1, "2024-06-30"),
        ("AGR-1", 2, "2024-03-09"),
        ("AGR-1", 2, "2024-06-08"),
    ]
    stored = isolated / "evidence" / rows[0]["evidence"][0]
    assert stored.read_text(encoding="utf-8") == "Q1 report, received by the street office\n"
    stored.write_text("Q1 report, edited later\n", encoding="utf-8")
    tampered = run_coord("verify")
    assert tampered.exit_code == 1
    assert f"evidence/{stored.name} no longer matches its hash" in tampered.stdout + tampered.stderr
    assert "AGR-1/1/2024-03-31" in tampered.stdout + tampered.stderr
    log = ok("log", "--format", "json")
    assert '"fulfilment.met"' in log and '"fulfilment.waived"' in log


def test_without_occurrence_the_earliest_not_settled_is_answered(signed: Workspace) -> None:
    ok("obligation", "done", "AGR-1", "1", "--on", "2024-03-30")
    ok("obligation", "missed", "AGR-1", "1", "--on", "2024-07-10")
    result = run_coord("obligation", "done", "AGR-1", "1", "--on", "2024-09-29")
    assert result.stderr == "Recorded AGR-1 obligation 1, due 2024-09-30: met on 2024-09-29.\n"


REFUSALS = {
    "an occurrence that does not exist": (
        ["obligation", "done", "AGR-1", "1", "--occurrence", "2024-04-01", "--on", "2024-04-01"],
        "AGR-1 obligation 1 has no occurrence on 2024-04-01; its occurrences are: 2024-03-31, 2024-06-30, "
        "2024-09-30, 2024-12-31",
    ),
    "an actual without a target": (
        ["obligation", "done", "AGR-1", "1", "--on", "2024-03-30", "--actual", "3"],
        "AGR-1 obligation 1 has no target to measure --actual against; leave --actual out",
    ),
    "a date outside the term": (
        ["obligation", "done", "AGR-1", "1", "--on", "2025-01-05"],
        "--on 2025-01-05 is outside the term of AGR-1 (2024-01-01 – 2024-12-31)",
    ),
    "an agreement not signed": (
        ["obligation", "done", "AGR-2", "1", "--on", "2024-06-30"],
        "AGR-2 version 1 is circulating, not signed; fulfilment is recorded against signed terms",
    ),
    "an obligation that does not exist": (
        ["obligation", "done", "AGR-1", "4", "--on", "2024-03-30"],
        "AGR-1 has 3 obligation(s); there is no obligation 4 (see coord obligation list AGR-1)",
    ),
    "a waiver without a reason": (
        ["obligation", "waive", "AGR-1", "3", "--on", "2024-02-15"],
        "say why it is waived: --reason TEXT",
    ),
    "no date": (["obligation", "done", "AGR-1", "3"], "say when it was done: --on DATE"),
    "a missing evidence file": (
        ["obligation", "done", "AGR-1", "3", "--on", "2024-02-15", "--evidence", "nothing.pdf"],
        None,
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_are_one_line_exit_2_store_unchanged(signed: Workspace, isolated: Path, case: str) -> None:
    argv, message = REFUSALS[case]
    before = signed.snapshot()
    result = run_coord(*argv)
    assert result.exit_code == 2
    if message is not None:
        assert result.stderr == f"Error: {message}\n"
    else:
        assert result.stderr.startswith("Error: --evidence") and result.stderr.count("\n") == 1
    assert signed.snapshot() == before
    assert not (isolated / "evidence").exists() or not any((isolated / "evidence").iterdir())


def test_due_lists_overdue_first_with_contacts_and_a_digest(signed: Workspace) -> None:
    ok("obligation", "done", "AGR-1", "1", "--occurrence", "2024-03-31", "--on", "2024-03-28")
    ok("obligation", "done", "AGR-1", "3", "--on", "2024-03-01")
    found = json.loads(ok("due", "--on", "2024-06-01", "--within", "200d", "--format", "json"))
    assert [(i["kind"], i["date"], i["agreement"], i["party"], i["status"], i["overdue_days"]) for i in found] == [
        ("signature", "2024-03-01", "AGR-2", "street", "open", 92),
        ("obligation", "2024-03-09", "AGR-1", "sw", "scheduled", 84),
        ("meeting", "2024-03-31", None, None, "scheduled", 62),
        ("obligation", "2024-06-08", "AGR-1", "sw", "scheduled", 0),
        ("obligation", "2024-06-30", "AGR-1", "sw", "scheduled", 0),
        ("review", "2024-07-01", "AGR-1", None, "scheduled", 0),
        ("obligation", "2024-09-30", "AGR-1", "sw", "scheduled", 0),
    ]
    assert found[0]["contacts"] == [
        {"channel": "mobile", "value": "13900000000"},
        {"channel": "wechat", "value": "street-li"},
    ]
    assert found[1]["detail"] == "Target: 1 sessions (each at least 200 people)"
    assert ok("due", "--on", "2024-07-02", "--within", "30d", "--digest") == (
        "What is due, 2 July 2024\n"
        "\n"
        "Overdue\n"
        "- 1 March 2024 · Signature missing · street to sign AGR-2: Placements · street · AGR-2 · 123 days overdue"
        " · mobile 13900000000, WeChat street-li\n"
        "- 9 March 2024 · Obligation · Hold markets · sw · AGR-1 · 115 days overdue\n"
        "- 31 March 2024 · Meeting · First joint meeting of p · 93 days overdue\n"
        "- 8 June 2024 · Obligation · Hold markets · sw · AGR-1 · 24 days overdue\n"
        "- 30 June 2024 · Obligation · Quarterly report · sw · AGR-1 · 2 days overdue\n"
        "- 1 July 2024 · Review · Partnership review of AGR-1: Service · AGR-1 · 1 day overdue\n"
    )
    assert ok("due", "--on", "2024-07-02", "--overdue", "--party", "street", "--format", "csv") == (
        "date,kind,title,party,agreement,status,overdue_days,contacts\n"
        '2024-03-01,Signature missing,street to sign AGR-2: Placements,street,AGR-2,open,123,"mobile 13900000000, '
        'WeChat street-li"\n'
    )
    refused = run_coord("due", "--within", "a month")
    assert (refused.exit_code, refused.stderr) == (2, "Error: --within 'a month': give a number of days, such as 30d\n")


def test_calendar_has_a_todo_per_occurrence_and_stable_uids(signed: Workspace, isolated: Path) -> None:
    from icalendar import Calendar

    ok("obligation", "done", "AGR-1", "1", "--occurrence", "2024-03-31", "--on", "2024-03-28")
    result = run_coord("calendar", "-o", "coord.ics", "--on", "2024-06-01")
    assert (result.exit_code, result.stderr) == (0, "Wrote 11 entries to coord.ics.\n")
    first = Calendar.from_ical((isolated / "coord.ics").read_bytes())
    todos = list(first.walk("VTODO"))
    assert sorted((str(t["summary"]), t["due"].dt.isoformat(), str(t["status"])) for t in todos) == [
        ("Obligation: Hold markets", "2024-03-09", "NEEDS-ACTION"),
        ("Obligation: Hold markets", "2024-06-08", "NEEDS-ACTION"),
        ("Obligation: Pay the fee", "2024-03-01", "NEEDS-ACTION"),
        ("Obligation: Quarterly report", "2024-03-31", "COMPLETED"),
        ("Obligation: Quarterly report", "2024-06-30", "NEEDS-ACTION"),
        ("Obligation: Quarterly report", "2024-09-30", "NEEDS-ACTION"),
        ("Obligation: Quarterly report", "2024-12-31", "NEEDS-ACTION"),
    ]
    assert str(todos[0]["summary"]) == "Obligation: Pay the fee"  # overdue first
    events = sorted((str(e["summary"]), e["dtstart"].dt.isoformat()) for e in first.walk("VEVENT"))
    assert events == [
        ("Agreement expires: AGR-1 expires: Service", "2024-12-31"),
        ("Meeting: First joint meeting of p", "2024-03-31"),
        ("Review: Partnership review of AGR-1: Service", "2024-07-01"),
        ("Signature missing: street to sign AGR-2: Placements", "2024-03-01"),
    ]
    ok("calendar", "-o", "again.ics", "--on", "2024-06-01")
    second = Calendar.from_ical((isolated / "again.ics").read_bytes())
    uids = [str(c["uid"]) for c in first.walk() if "uid" in c]
    assert len(set(uids)) == 11
    assert [str(c["uid"]) for c in second.walk() if "uid" in c] == uids
    ok("calendar", "-o", "sw.ics", "--party", "sw", "--on", "2024-06-01")
    mine = Calendar.from_ical((isolated / "sw.ics").read_bytes())
    assert len(list(mine.walk("VTODO"))) == 6 and not list(mine.walk("VEVENT"))


def _findings(*argv: str) -> list[tuple[str, str, str, str]]:
    result = run_coord("check", "--format", "json", *argv)
    return [(f["rule"], f["severity"], f["subject"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_the_checks_after_signing(signed: Workspace, isolated: Path) -> None:
    ok("obligation", "done", "AGR-1", "1", "--occurrence", "2024-03-31", "--on", "2024-03-28")
    ok("obligation", "partly", "AGR-1", "2", "--occurrence", "2024-03-09", "--on", "2024-03-09", "--actual", "1")
    ok("obligation", "missed", "AGR-1", "3", "--on", "2024-03-20")
    rules = ("overdue-obligation", "review-overdue", "notice-date-near")
    found = [f for f in _findings("--on", "2024-07-02", "--select", ",".join(rules)) if f[0] in rules]
    assert found == [
        (
            "overdue-obligation",
            "error",
            "AGR-1/2",
            "obligation 2 of 'sw' was due on 2024-03-09 and is not recorded as done (115 days late): Hold markets",
        ),
        (
            "overdue-obligation",
            "error",
            "AGR-1/2",
            "obligation 2 of 'sw' was due on 2024-06-08 and is not recorded as done (24 days late): Hold markets",
        ),
        (
            "overdue-obligation",
            "warning",
            "AGR-1/1",
            "obligation 1 of 'sw' was due on 2024-06-30 and is not recorded as done (2 days late): Quarterly report",
        ),
        (
            "review-overdue",
            "warning",
            "AGR-1 v1",
            "AGR-1 v1 was due for a partnership review on 2024-07-01 (1 day ago); none has been held since",
        ),
    ]
    (isolated / "coord.toml").write_text("[check]\noverdue_grace_days = 30\n", encoding="utf-8")
    severities = [
        (f[3].split(" was due on ")[1][:10], f[1]) for f in _findings("--on", "2024-07-02", "--select", rules[0])
    ]
    assert severities == [("2024-03-09", "error"), ("2024-06-30", "warning"), ("2024-06-08", "warning")]
    ok("review", "open", "AGR-1", "--on", "2024-07-02")
    assert _findings("--on", "2024-07-03", "--select", "review-overdue") == []


def test_notice_date_near_counts_from_the_renewed_term(ws: Workspace, isolated: Path) -> None:
    base = json.loads(json.dumps(BASE))
    base["agreements"][0].update({"notice": "3m", "renewal": "tacit", "review_every": None})
    base["agreements"][0]["obligations"] = [{"party": "sw", "text": "Quarterly report", "every": "quarterly"}]
    (isolated / "base.yaml").write_text(yaml.safe_dump(base, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ws.replay(SIGNED[:4])
    assert _findings("--on", "2025-09-01", "--select", "notice-date-near") == [
        (
            "notice-date-near",
            "warning",
            "AGR-1 v1",
            "the last day to give notice on AGR-1 v1 is 2025-09-30 (in 29 days); the term ends on 2025-12-31",
        )
    ]
    assert _findings("--on", "2025-08-01", "--select", "notice-date-near") == []
    found = json.loads(ok("due", "--on", "2025-09-01", "--within", "130d", "-f", "json"))
    assert [(i["kind"], i["date"]) for i in found if i["kind"] != "meeting"] == [
        ("obligation", "2024-03-31"),
        ("obligation", "2024-06-30"),
        ("obligation", "2024-09-30"),
        ("obligation", "2024-12-31"),
        ("obligation", "2025-03-31"),
        ("obligation", "2025-06-30"),
        ("obligation", "2025-09-30"),
        ("notice", "2025-09-30"),
        ("obligation", "2025-12-31"),
        ("renewal", "2026-01-01"),
    ]


def test_a_review_rated_by_the_parties_and_closed(signed: Workspace) -> None:
    refused = run_coord("review", "open", "AGR-2")
    assert refused.stderr == "Error: AGR-2 version 1 is circulating, not signed; only signed terms are reviewed\n"
    assert run_coord("review", "open", "AGR-1", "--on", "2024-07-05").stderr == "Opened review R-0001 of AGR-1.\n"
    ok("review", "rate", "R-0001", "--party", "sw", "--area", "communication", "--score", "4", "--comment", "Calls")
    ok("review", "rate", "R-0001", "--party", "street", "--area", "communication", "--score", "3")
    ok("review", "rate", "R-0001", "--party", "street", "--area", "trust", "--score", "2")
    ok("review", "rate", "R-0001", "--party", "street", "--area", "trust", "--score", "3")
    ok("review", "verdict", "R-0001", "--obligation", "1", "met")
    ok("review", "verdict", "R-0001", "--obligation", "2", "not-met")
    before = signed.snapshot()
    for argv, message in (
        (
            ["rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "6"],
            "--score 6: rate from 1 (poor) to 5 (excellent)",
        ),
        (
            ["rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "0"],
            "--score 0: rate from 1 (poor) to 5 (excellent)",
        ),
        (
            ["verdict", "R-0001", "--obligation", "9", "met"],
            "AGR-1 has 3 obligation(s); there is no obligation 9 (see coord obligation list AGR-1)",
        ),
    ):
        result = run_coord("review", *argv)
        assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    assert signed.snapshot() == before
    closed = run_coord("review", "close", "R-0001", "--lessons", "Plan the markets earlier", "--on", "2024-07-20")
    assert (closed.stdout, closed.stderr) == (
        "Averages by area:\n  communication: 3.5\n  trust: 3.0\nAverages by party:\n  street: 3.0\n  sw: 4.0\n"
        "Obligations not met:\n  2. sw: Hold markets (not-met)\n",
        "Closed review R-0001 on 2024-07-20.\n",
    )
    shown = json.loads(ok("review", "show", "R-0001", "-f", "json"))
    assert (shown["lessons"], shown["closed"], len(shown["ratings"])) == ("Plan the markets earlier", "2024-07-20", 3)
    late = run_coord("review", "rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "3")
    assert late.stderr == "Error: review R-0001 was closed on 2024-07-20; open a new one: coord review open AGR-1\n"
    listed = json.loads(ok("review", "list", "AGR-1", "-f", "json"))
    assert listed == [
        {
            "key": "R-0001",
            "agreement": "AGR-1",
            "version": 1,
            "opened": "2024-07-05",
            "closed": "2024-07-20",
            "ratings": 3,
        }
    ]
    found = json.loads(ok("due", "--on", "2024-07-21", "--within", "200", "-f", "json"))
    assert [i["date"] for i in found if i["kind"] == "review"] == []  # the next (2025-01-05) is after the expiry


def test_the_demo_shows_the_overdue_quarterly_report_first(isolated: Path) -> None:
    from icalendar import Calendar

    assert run_coord("demo", "d").exit_code == 0
    os.chdir(isolated / "d")
    found = json.loads(ok("due", "--on", "2024-09-01", "-f", "json"))
    assert [(i["kind"], i["date"], i["agreement"], i["status"], i["overdue_days"]) for i in found[:3]] == [
        ("obligation", "2024-07-31", "AGR-2024-001", "scheduled", 32),
        ("signature", "2024-08-15", "AGR-2024-003", "open", 17),
        ("obligation", "2024-08-31", "AGR-2024-002", "partly", 1),
    ]
    assert found[0]["title"] == "Submit a written progress report to the street office every quarter"
    reports = json.loads(
        ok("obligation", "list", "AGR-2024-001", "--party", "liede-sw", "--on", "2024-09-01", "-f", "json")
    )
    assert [(r["due"], r["status"], len(r["evidence"])) for r in reports if r["due"]] == [
        ("2024-01-31", "met", 1),
        ("2024-04-30", "met", 1),
        ("2024-07-31", "scheduled", 0),
        ("2024-10-31", "scheduled", 0),
    ]
    shown = json.loads(ok("review", "show", "R-0001", "-f", "json"))
    assert (shown["agreement"], shown["closed"], shown["by_area"]["communication"]) == (
        "AGR-2024-002",
        "2024-07-19",
        "3.5",
    )
    assert "2 files" in run_coord("verify").stderr
    ok("calendar", "-o", "coord.ics", "--on", "2024-09-01")
    calendar = Calendar.from_ical(Path("coord.ics").read_bytes())
    first = next(iter(calendar.walk("VTODO")))
    assert (first["due"].dt.isoformat(), int(first["priority"])) == ("2024-07-31", 1)


def test_fulfilment_as_code_round_trips_and_only_grows(sqlite_ws: Workspace, isolated: Path) -> None:
    (isolated / "base.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False, allow_unicode=True), encoding="utf-8")
    sqlite_ws.replay(SIGNED)
    (isolated / "q1.txt").write_text("Q1\n", encoding="utf-8")
    ok("obligation", "done", "AGR-1", "1", "--on", "2024-03-28", "--evidence", "q1.txt", "--note", "On time")
    ok("obligation", "partly", "AGR-1", "2", "--on", "2024-03-09", "--actual", "1.0")
    ok("review", "open", "AGR-1", "--on", "2024-07-05")
    ok("review", "rate", "R-0001", "--party", "street", "--area", "trust", "--score", "4", "--comment", "Fair")
    first = ok("export")
    agreement = next(a for a in yaml.safe_load(first)["agreements"] if a["key"] == "AGR-1")
    digest = hashlib.sha256(b"Q1\n").hexdigest()
    assert agreement["fulfilment"] == [
        {
            "obligation": 1,
            "occurrence": "2024-03-31",
            "status": "met",
            "on": "2024-03-28",
            "note": "On time",
            "evidence": [f"{digest}.txt"],
        },
        {"obligation": 2, "occurrence": "2024-03-09", "status": "partly", "on": "2024-03-09", "actual": "1"},
    ]
    (isolated / "other").mkdir()
    (isolated / "other" / "a.yaml").write_text(first, encoding="utf-8")
    os.chdir(isolated / "other")
    ok("init")
    ok("apply", "a.yaml")
    assert ok("export") == first
    data = yaml.safe_load(first)
    changed = next(a for a in data["agreements"] if a["key"] == "AGR-1")
    changed["fulfilment"][0]["on"] = "2024-03-27"
    Path("b.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    refused = run_coord("apply", "b.yaml")
    assert refused.exit_code == 2
    assert "recorded fulfilment never changes; add new records after the last one" in refused.stderr
    changed["fulfilment"][0]["on"] = "2024-03-28"
    changed["fulfilment"].append({"obligation": 3, "status": "missed", "on": "2024-03-20", "occurrence": "2024-03-02"})
    Path("c.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    wrong = run_coord("apply", "c.yaml")
    assert wrong.exit_code == 2
    assert "AGR-1 obligation 3 has no occurrence on 2024-03-02; its occurrences are: 2024-03-01" in wrong.stderr
    changed["fulfilment"][-1]["occurrence"] = "2024-03-01"
    Path("c.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert run_coord("apply", "c.yaml").stderr.startswith("Plan: 0 to create, 1 to change")
    rows = json.loads(ok("obligation", "list", "AGR-1", "--status", "missed", "-f", "json"))
    assert [(r["obligation"], r["due"], r["on"]) for r in rows] == [(3, "2024-03-01", "2024-03-20")]
    assert changed["reviews"] == [
        {
            "key": "R-0001",
            "opened": "2024-07-05",
            "ratings": [{"party": "street", "area": "trust", "score": 4, "comment": "Fair"}],
        }
    ]
    changed["reviews"][0].update(
        closed="2024-07-20", lessons="Earlier reports", verdicts=[{"obligation": 2, "verdict": "not-met"}]
    )
    changed["reviews"][0]["ratings"].append({"party": "sw", "area": "trust", "score": 2})
    Path("d.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert run_coord("apply", "d.yaml").stderr.startswith("Plan: 0 to create, 1 to change")
    shown = json.loads(ok("review", "show", "R-0001", "-f", "json"))
    assert (shown["closed"], shown["by_party"], shown["not_met"][0]["obligation"]) == (
        "2024-07-20",
        {"street": "4.0", "sw": "2.0"},
        2,
    )
    again = ok("export")
    Path("f.yaml").write_text(again, encoding="utf-8")
    assert run_coord("apply", "f.yaml").stderr.startswith("Plan: 0 to create, 0 to change")
    assert ok("export") == again
    changed["reviews"][0]["lessons"] = "Something else"
    Path("e.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    closed = run_coord("apply", "e.yaml")
    assert closed.exit_code == 2 and "review 'R-0001': a closed review never changes" in closed.stderr
