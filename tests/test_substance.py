"""Overlap in substance (issue 19): similar duties and their merge, exclusive duties, shared resources and budgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coordkit.checks import run_rules
from coordkit.checks.config import CheckConfig
from coordkit.checks.snapshot import DutyRow, Effective, PartyRow, ProjectRow, Snapshot
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
            "duties 'brand' and 'outreach' may be one: '项目宣传' and '宣传项目' look like the same duty (86% alike); "
            "carried by 'a' and by 'b'",
            "merge them (coord duty merge brand outreach --project p), or make their titles say how the work differs",
        ),
        (
            "publicity",
            "duties 'publicity' and 'promotion' may be one: 'Publicise the project' and 'Project publicity' look like "
            "the same duty (100% alike); carried by 'a' and by 'b'",
            "merge them (coord duty merge publicity promotion --project p), or make their titles say how the work "
            "differs",
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
