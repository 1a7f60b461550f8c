"""Overlap in substance (issue 19): similar duties and their merge, exclusive duties, shared resources and budgets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coordkit.checks import run_rules
from coordkit.checks.config import CheckConfig
from coordkit.checks.snapshot import DutyRow, Effective, PartyRow, ProjectRow, ResourceRow, Snapshot
from tests.conftest import Workspace, ok, run_coord

BASE = """\
version: 1
stakeholders:
  - {key: a, name: A, kind: other}
  - {key: b, name: B, kind: other}
projects:
  - {key: p, name: P, start: 2024-01-01, end: 2024-12-31, lead: a}
duties:
  - {project: p, key: publicity, title: Publicise the project, assignments: [{as: R, stakeholder: a}, {as: A, stakeholder: a}]}
  - {project: p, key: promotion, title: Project publicity, assignments: [{as: R, stakeholder: b}, {as: A, stakeholder: b}]}
  - {project: p, key: brand, title: Brand, title_zh: 项目宣传, assignments: [{as: R, stakeholder: a}, {as: A, stakeholder: a}]}
  - {project: p, key: outreach, title: Outreach, title_zh: 宣传项目, assignments: [{as: A, stakeholder: b}]}
  - {project: p, key: courses, title: Courses, title_zh: 课程规划, assignments: [{as: A, stakeholder: a}]}
  - {project: p, key: funds, title: Funds, title_zh: 资金筹措, assignments: [{as: A, stakeholder: b}]}
  - {project: p, key: venue, title: Provide the square, assignments: [{as: R, stakeholder: b}]}
agreements:
  - key: AGR-1
    project: p
    title: Square
    effective: 2024-01-01
    expires: 2024-12-31
    parties: [{stakeholder: a}, {stakeholder: b}]
    obligations: [{party: b, text: Lend the square, duty: venue, as: A}]
    resources:
      - {party: b, kind: venue, resource: square, when: monthly second sat 09:00-17:00}
      - {party: a, kind: funds, amount: 300000, unit: CNY, resource: fund}
    status: signed
    signatures:
      - {party: a, signatory: X, date: 2023-12-20, method: seal}
      - {party: b, signatory: Y, date: 2023-12-20, method: seal}
"""


@pytest.fixture
def based(ws: Workspace, isolated: Path) -> Workspace:
    (isolated / "base.yaml").write_text(BASE, encoding="utf-8")
    ok("apply", "base.yaml")
    return ws


def findings(rule: str, on: str = "2024-06-01") -> list[tuple[str, str, str]]:
    report = json.loads(run_coord("check", "--select", rule, "--on", on, "-f", "json").stdout)
    return [(f["subject"], f["message"], f["hint"]) for f in report["findings"]]


def test_similar_duties_fire_in_english_and_chinese_and_not_for_unrelated_titles(based: Workspace) -> None:
    assert findings("similar-duties") == [
        (
            "brand",
            "duties 'brand' and 'outreach' may be one (their Chinese titles '项目宣传' and '宣传项目' are 86% alike); "
            "carried by 'a' and by 'b'",
            "merge them, or make their titles say how the work differs: coord duty merge brand outreach --project p",
        ),
        (
            "publicity",
            "duties 'publicity' and 'promotion' may be one (100% alike); carried by 'a' and by 'b'",
            "merge them, or make their titles say how the work differs: coord duty merge publicity promotion --project p",
        ),
    ]  # 课程规划 (courses, a) and 资金筹措 (funds, b) are different work


def test_similar_duties_threshold_comes_from_coord_toml(based: Workspace, isolated: Path) -> None:
    (isolated / "coord.toml").write_text("[check]\nsimilar_duties = 0.9\n", encoding="utf-8")
    assert [subject for subject, _m, _h in findings("similar-duties")] == ["publicity"]  # 86% is below 90%
    (isolated / "coord.toml").write_text("[check]\nsimilar_duties = 1.5\n", encoding="utf-8")
    result = run_coord("check", "--select", "similar-duties")
    assert result.exit_code == 2
    assert result.stderr.endswith("check.similar_duties must be above 0 and at most 1 (got 1.5)\n")


def test_similar_duties_carried_by_the_same_party_are_not_reported(based: Workspace) -> None:
    ok("duty", "unassign", "promotion", "b")
    ok("duty", "assign", "promotion", "a", "--as", "R,A")
    assert [subject for subject, _m, _h in findings("similar-duties")] == ["brand"]


def test_merge_moves_letters_keeps_the_old_key_and_records_it(based: Workspace) -> None:
    result = run_coord("duty", "merge", "publicity", "promotion")
    assert (result.exit_code, result.stderr) == (
        0,
        "Merged duty 'promotion' into 'publicity'; 'promotion' now names 'publicity'.\n",
    )
    shown = json.loads(ok("duty", "show", "promotion", "-f", "json"))
    assert shown["key"] == "publicity" and shown["aliases"] == ["promotion"]
    assert [(a["letter"], a["stakeholder"]) for a in shown["assignments"]] == [
        ("R", "a"),
        ("R", "b"),
        ("A", "a"),
        ("A", "b"),
    ]
    assert [d["key"] for d in json.loads(ok("duty", "list", "-f", "json"))] == [
        "brand",
        "courses",
        "funds",
        "outreach",
        "publicity",
        "venue",
    ]
    ok("duty", "assign", "promotion", "a", "--as", "C")  # the old key resolves wherever a duty key is taken
    assert ("C", "a") in [
        (a["letter"], a["stakeholder"])
        for a in json.loads(ok("duty", "show", "publicity", "-f", "json"))["assignments"]
    ]
    event = json.loads(ok("log", "-f", "json"))[1]
    assert (event["action"], event["key"]) == ("duty.merge", "p/publicity")
    assert event["before"]["other"]["key"] == "promotion" and event["after"]["aliases"] == ["promotion"]
    again = run_coord("duty", "add", "promotion", "--title", "Something else")
    assert (again.exit_code, again.stderr) == (
        2,
        "Error: 'promotion' is the old key of duty 'publicity', which it was merged into; choose another key\n",
    )
    assert findings("similar-duties")[0][0] == "brand"  # the pair is one duty now
    (based.folder / "again.yaml").write_text(
        "version: 1\nduties:\n  - {project: p, key: promotion, title: Something else}\n", encoding="utf-8"
    )
    applied = run_coord("apply", "again.yaml")
    assert (applied.exit_code, applied.stderr.splitlines()[-1]) == (
        2,
        "Error: 'promotion' is the old key of duty 'publicity', which it was merged into; choose another key",
    )


def test_merge_refuses_a_duty_an_agreement_names_and_changes_nothing(based: Workspace) -> None:
    before = based.snapshot()
    result = run_coord("duty", "merge", "publicity", "venue")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: duty 'venue' is named by agreement AGR-1; its terms are not re-pointed: amend it to name "
        "'publicity' (coord agreement amend AGR-1), or merge the other way\n",
    )
    assert based.snapshot() == before
    same = run_coord("duty", "merge", "publicity", "publicity")
    assert (same.exit_code, same.stderr) == (2, "Error: 'publicity' and 'publicity' are the same duty\n")


# ------------------------------------------------------------------ exclusive duties


def exclusive_snapshot(
    *effective: tuple[str, str, str | None, str | None, str | None], exclusive: bool = True
) -> Snapshot:
    items = [Effective(1, party, letter, start, end, role, None) for party, letter, start, end, role in effective]
    return Snapshot(
        projects={1: ProjectRow(1, "p", "2024-01-01", "2024-12-31")},
        duties=[DutyRow(1, 1, "keys", "Hold the keys of the square", None, None, exclusive)],
        effective=items,
        role_assignments=[],
        parties={p: PartyRow(p, p.upper(), True, 1) for p in "abc"},
    )


def responsible(snap: Snapshot, explicit: bool = False) -> list[tuple[str, str]]:
    report = run_rules(
        snap, on="2024-07-01", explicit_on=explicit, config=CheckConfig(), select=["multiple-responsible"]
    )
    return [(f.message, f.hint) for f in report.findings]


def test_multiple_responsible_fires_for_exclusive_duties_directly_and_through_roles() -> None:
    snap = exclusive_snapshot(("a", "R", None, "2024-06-30", None), ("b", "R", "2024-06-01", None, "host"))
    assert responsible(snap) == [
        (
            "exclusive duty 'keys' has two responsible (R) parties at once: 'a' and 'b' (through role 'host') "
            "from 2024-06-01 to 2024-06-30",
            "keep one R, or make the duty shared (coord duty edit keys --shared): "
            "coord duty unassign keys a --as R --from 2024-06-01 --to 2024-06-30 --project p",
        )
    ]
    assert responsible(snap, explicit=True) == []  # on 2024-07-01 only b holds it


def test_multiple_responsible_is_silent_for_shared_duties_and_back_to_back_windows() -> None:
    both = (("a", "R", None, None, None), ("b", "R", None, None, None))
    assert responsible(exclusive_snapshot(*both, exclusive=False)) == []
    assert (
        responsible(exclusive_snapshot(("a", "R", None, "2024-06-30", None), ("b", "R", "2024-07-01", None, None)))
        == []
    )


def test_exclusive_is_set_and_cleared_by_commands_and_checked(based: Workspace) -> None:
    ok("duty", "add", "keys", "--title", "Hold the keys of the square", "--exclusive", "--r", "a,b")
    assert json.loads(ok("duty", "show", "keys", "-f", "json"))["exclusive"] is True
    assert [m for _s, m, _h in findings("multiple-responsible")] == [
        "exclusive duty 'keys' has two responsible (R) parties at once: 'a' and 'b' on 2024-06-01"
    ]
    ok("duty", "edit", "keys", "--shared")
    assert "exclusive" not in json.loads(ok("duty", "show", "keys", "-f", "json"))
    assert findings("multiple-responsible") == []


# ------------------------------------------------------------------ shared resources and budgets


def resource_snapshot(
    *uses: tuple[str, str, int], capacity: int = 1, agreements: list[dict[str, object]] | None = None
) -> Snapshot:
    """Duty i+1 held (R) by party 'abc'[i] uses the square at ``uses[i]``."""
    return Snapshot(
        projects={1: ProjectRow(1, "p", "2024-01-01", "2024-12-31")},
        duties=[
            DutyRow(i + 1, 1, f"d{i + 1}", f"Duty {i + 1}", None, None, False, ((resource, slot, units),))
            for i, (resource, slot, units) in enumerate(uses)
        ],
        effective=[Effective(i + 1, "abc"[i], "R", None, None, None, None) for i in range(len(uses))],
        role_assignments=[],
        parties={p: PartyRow(p, p.upper(), True, 1) for p in "abc"},
        agreements=agreements or [],  # type: ignore[arg-type]
        resources={
            "square": ResourceRow("square", "Liede Square", capacity),
            "fund": ResourceRow("fund", "Street fund", 1, "a", "500000", "CNY"),
        },
    )


def contended(snap: Snapshot, on: str = "2024-07-01", explicit: bool = False) -> list[str]:
    report = run_rules(snap, on=on, explicit_on=explicit, config=CheckConfig(), select=["contended-resource"])
    return [f.message for f in report.findings]


def test_back_to_back_slots_do_not_contend_and_overlapping_ones_do() -> None:
    assert (
        contended(resource_snapshot(("square", "2024-06-08 09:00-12:00", 1), ("square", "2024-06-08 12:00-15:00", 1)))
        == []
    )
    assert contended(
        resource_snapshot(("square", "2024-06-08 09:00-12:00", 1), ("square", "2024-06-08 11:00-15:00", 1))
    ) == [
        "'square' is promised 2 at once but has 1, on 2024-06-08 11:00-12:00: "
        "duty d1 (a, 2024-06-08 09:00-12:00); duty d2 (b, 2024-06-08 11:00-15:00)"
    ]


def test_a_capacity_of_two_takes_two_but_not_three() -> None:
    two = (("square", "2024-06-08", 1), ("square", "2024-06-08 10:00-11:00", 1))
    assert contended(resource_snapshot(*two, capacity=2)) == []
    assert contended(resource_snapshot(*two, ("square", "2024-06-08 10:30-12:00", 1), capacity=2)) == [
        "'square' is promised 3 at once but has 2, on 2024-06-08 10:30-11:00: duty d1 (a, 2024-06-08); "
        "duty d2 (b, 2024-06-08 10:00-11:00); duty d3 (c, 2024-06-08 10:30-12:00)"
    ]
    assert contended(
        resource_snapshot(("square", "2024-06-08 10:00-11:00", 2), ("square", "2024-06-08", 1), capacity=2)
    ) == [
        "'square' is promised 3 at once but has 2, on 2024-06-08 10:00-11:00: duty d1 (a, 2024-06-08 10:00-11:00); "
        "duty d2 (b, 2024-06-08)"
    ]  # two units of one duty count twice


def test_a_recurring_slot_that_contends_on_one_date_is_reported_for_that_date() -> None:
    snap = resource_snapshot(("square", "monthly second sat 09:00-17:00", 1), ("square", "2024-06-08..2024-06-09", 1))
    assert contended(snap) == [
        "'square' is promised 2 at once but has 1, on 2024-06-08 09:00-17:00: "
        "duty d1 (a, monthly second sat 09:00-17:00); duty d2 (b, 2024-06-08..2024-06-09)"
    ]
    assert len(contended(snap, on="2024-06-08", explicit=True)) == 1
    assert contended(snap, on="2024-07-13", explicit=True) == []  # the market alone on July's second Saturday


def funds(
    key: str, amount: str, effective: str = "2024-01-01", expires: str | None = "2024-12-31"
) -> dict[str, object]:
    return {
        "key": key,
        "version": 1,
        "project": "p",
        "status": "signed",
        "effective": effective,
        "expires": expires,
        "terminated_on": None,
        "obligations": [],
        "resources": [
            {"party": "a", "kind": "funds", "amount": amount, "unit": "元", "resource": "fund", "when": None}
        ],
    }


def budget(*agreements: dict[str, object], on: str = "2024-07-01") -> list[str]:
    snap = resource_snapshot(agreements=list(agreements))
    report = run_rules(snap, on=on, explicit_on=True, config=CheckConfig(), select=["overcommitted-budget"])
    return [f.message for f in report.findings]


def test_a_budget_exactly_used_is_fine_and_one_unit_over_is_not() -> None:
    assert budget(funds("AGR-1", "300000"), funds("AGR-2", "200000")) == []
    assert budget(funds("AGR-1", "300000"), funds("AGR-2", "200001")) == [
        "'a' has promised 500,001 CNY of fund from 2024-01-01 to 2024-12-31, 1 more than its budget of 500,000: "
        "AGR-1 v1 (300,000, 2024-01-01..2024-12-31); AGR-2 v1 (200,001, 2024-01-01..2024-12-31)"
    ]
    assert budget(funds("AGR-1", "300000"), funds("AGR-2", "200001", "2025-01-01", "2025-12-31")) == []  # next year


def test_resources_are_registered_used_and_contended_through_the_commands(based: Workspace) -> None:
    ok("resource", "add", "square", "--name", "Liede Square", "--name-zh", "猎德广场", "--owner", "b")
    ok("resource", "add", "fund", "--name", "Street fund", "--budget", "50万", "--unit", "yuan", "--owner", "a")
    ok("duty", "add", "festival", "--title", "Heritage festival", "--r", "a")
    result = run_coord("duty", "use", "festival", "square", "--when", "2024年6月8日 ９：００～１７：００")
    assert (result.exit_code, result.stderr) == (
        0,
        "Duty 'festival' uses 'square' (2024年6月8日 ９：００～１７：００).\n",
    )
    assert json.loads(ok("duty", "show", "festival", "-f", "json"))["uses"] == [
        {"resource": "square", "when": "2024-06-08 09:00-17:00", "units": 1}
    ]
    shown = json.loads(ok("resource", "show", "square", "-f", "json"))
    assert (shown["name_zh"], shown["capacity"], shown["owner"]) == ("猎德广场", 1, "b")
    assert [(b["source"], b["party"], b["when"], b["start"], b["end"]) for b in shown["calendar"]] == [
        ("AGR-1 v1", "b", "monthly second sat 09:00-17:00", "2024-01-01", "2024-12-31"),
        ("duty festival", "a", "2024-06-08 09:00-17:00", "2024-01-01", "2024-12-31"),
    ]
    fund = json.loads(ok("resource", "list", "-f", "json"))[0]
    assert (fund["key"], fund["budget"], fund["unit"], fund["calendar"][0]["amount"]) == (
        "fund",
        "500000",
        "CNY",
        "300000",
    )
    assert findings("contended-resource", on="2024-06-08") == [
        (
            "square",
            "'square' is promised 2 at once but has 1, on 2024-06-08 09:00-17:00: "
            "AGR-1 v1 (b, monthly second sat 09:00-17:00); duty festival (a, 2024-06-08 09:00-17:00)",
            "agree at the joint meeting who gives way on 2024-06-08 09:00-17:00; then release one booking (and book "
            "another time with coord duty use): coord duty release festival square --when '2024-06-08 09:00-17:00'",
        )
    ]
    assert findings("contended-resource", on="2024-07-13") == []
    assert findings("overcommitted-budget") == []
    ok("duty", "release", "festival", "square", "--when", "2024-06-08 09:00-17:00")  # the hint, followed
    assert findings("contended-resource", on="2024-06-08") == []
    assert "uses" not in json.loads(ok("duty", "show", "festival", "-f", "json"))
    again = run_coord("duty", "release", "festival", "square")
    assert (again.exit_code, again.stderr) == (2, "Error: duty 'festival' has no booking of 'square'\n")


def test_resource_refusals_leave_the_store_unchanged(based: Workspace) -> None:
    ok("resource", "add", "square", "--name", "Liede Square")
    before = based.snapshot()
    for args, message in [
        (("resource", "add", "square", "--name", "Again"), "Error: resource 'square' already exists\n"),
        (
            ("resource", "add", "hall", "--name", "Hall", "--capacity", "0"),
            "Error: capacity '0' is not a whole number of 1 or more\n",
        ),
        (
            ("resource", "add", "fund", "--name", "Fund", "--budget", "100"),
            "Error: a budget needs a unit and a unit a budget: give --budget and --unit together\n",
        ),
        (("resource", "add", "hall", "--name", "Hall", "--owner", "nobody"), None),
        (("duty", "use", "venue", "hall", "--when", "2024-06-08"), None),
        (("duty", "use", "venue", "square", "--when", "every day"), None),
    ]:
        result = run_coord(*args)
        assert result.exit_code == 2, args
        if message is not None:
            assert result.stderr == message
    assert based.snapshot() == before


def test_exclusivity_travels_as_code_and_round_trips(based: Workspace, isolated: Path) -> None:
    ok("duty", "edit", "venue", "--exclusive")
    ok("export", "-o", "out.yaml")
    text = (isolated / "out.yaml").read_text(encoding="utf-8")
    assert "  key: venue\n  title: Provide the square\n  exclusive: true\n" in text
    assert text.count("exclusive") == 1  # shared duties say nothing
    assert (
        "0 to change, "
        in run_coord("apply", "out.yaml", "--dry-run").stdout + run_coord("apply", "out.yaml", "--dry-run").stderr
    )
    ok("duty", "edit", "venue", "--shared")
    ok("apply", "out.yaml")
    assert json.loads(ok("duty", "show", "venue", "-f", "json"))["exclusive"] is True
    ok("export", "-o", "again.yaml")
    assert (isolated / "again.yaml").read_bytes() == (isolated / "out.yaml").read_bytes()


def test_resources_and_bookings_travel_as_code_and_round_trip(based: Workspace, isolated: Path) -> None:
    ok("resource", "add", "square", "--name", "Liede Square", "--name-zh", "猎德广场", "--owner", "b")
    ok("resource", "add", "fund", "--name", "Street fund", "--budget", "50万", "--unit", "yuan", "--capacity", "2")
    ok("duty", "use", "venue", "square", "--when", "每月第二个星期六 09:00-17:00", "--units", "1")
    ok("export", "-o", "out.yaml")
    text = (isolated / "out.yaml").read_text(encoding="utf-8")
    assert (
        "resources:\n- key: fund\n  name: Street fund\n  capacity: 2\n  budget: '500000'\n  unit: CNY\n"
        "- key: square\n  name: Liede Square\n  name_zh: 猎德广场\n  owner: b\nroles: []\n"
    ) in text
    assert "  uses:\n  - resource: square\n    when: monthly second sat 09:00-17:00\n" in text
    assert text.splitlines()[-1].startswith("# coord export end: projects=1 ") and " resources=2 sha256=" in text
    fresh = isolated / "fresh"
    fresh.mkdir()
    assert run_coord("init", str(fresh)).exit_code == 0
    assert run_coord("--db", str(fresh), "apply", "out.yaml").exit_code == 0
    assert run_coord("--db", str(fresh), "export", "-o", "again.yaml").exit_code == 0
    assert (isolated / "again.yaml").read_bytes() == (isolated / "out.yaml").read_bytes()
    (isolated / "bad.yaml").write_text(
        "version: 1\nduties:\n  - {project: p, key: x, title: X, uses: [{resource: squre, when: weekly sat}]}\n",
        encoding="utf-8",
    )
    bad = run_coord("validate", "bad.yaml")
    assert bad.exit_code != 0 and "duties[0].uses[0].resource: no resource 'squre'" in bad.stderr


def test_old_keys_of_merged_duties_travel_as_code_and_are_never_dropped(based: Workspace, isolated: Path) -> None:
    ok("duty", "merge", "publicity", "promotion")
    ok("export", "-o", "out.yaml")
    text = (isolated / "out.yaml").read_text(encoding="utf-8")
    assert "  aliases:\n  - key: promotion\n    title: Project publicity\n    merged: '20" in text
    fresh = isolated / "fresh"
    fresh.mkdir()
    assert run_coord("init", str(fresh)).exit_code == 0
    assert run_coord("--db", str(fresh), "apply", "out.yaml").exit_code == 0
    assert json.loads(ok("--db", str(fresh), "duty", "show", "promotion", "-f", "json"))["key"] == "publicity"
    assert run_coord("--db", str(fresh), "export", "-o", "again.yaml").exit_code == 0
    assert (isolated / "again.yaml").read_bytes() == (isolated / "out.yaml").read_bytes()
    # a file that leaves the old key unsaid changes nothing and removes nothing
    unsaid = re.sub(r"  aliases:\n(    .*\n|  - .*\n)+", "", text)
    unsaid = "".join(line for line in unsaid.splitlines(keepends=True) if not line.startswith("# coord export"))
    assert "aliases" not in unsaid
    (isolated / "unsaid.yaml").write_text(unsaid, encoding="utf-8")
    result = run_coord("apply", "unsaid.yaml")
    assert result.exit_code == 0 and "0 to create, 0 to change" in result.stdout + result.stderr
    assert json.loads(ok("duty", "show", "promotion", "-f", "json"))["aliases"] == ["promotion"]
    clash = re.sub(r"- key: promotion\n", "- key: brand\n", text, count=1)
    clash = "".join(line for line in clash.splitlines(keepends=True) if not line.startswith("# coord export"))
    (isolated / "clash.yaml").write_text(clash, encoding="utf-8")
    refused = run_coord("apply", "clash.yaml")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: duty 'p/publicity': its old key 'brand' is another duty's key\n",
    )
