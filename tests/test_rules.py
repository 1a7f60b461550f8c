"""Each rule fires with its exact finding, and stays silent when it should (pure, no store)."""

from __future__ import annotations

from coordkit.checks import run_rules
from coordkit.checks.config import CheckConfig
from coordkit.checks.rules import gaps
from coordkit.checks.snapshot import DutyRow, Effective, PartyRow, ProjectRow, Snapshot

HINT_A = "give one party the A: coord duty assign d PARTY --as A --project p"


def snapshot(
    *effective: tuple,
    start: str | None = "2024-01-01",
    end: str | None = "2024-12-31",
    duties: tuple[str, ...] = ("d",),
    no_contact: tuple[str, ...] = (),
) -> Snapshot:
    items = [Effective(1, *e) if len(e) == 6 else Effective(1, *e, None, None) for e in effective]
    parties = {p: PartyRow(p, p.upper(), True, 0 if p in no_contact else 1) for p in "abcdefgh"}
    return Snapshot(
        projects={1: ProjectRow(1, "p", start, end)},
        duties=[DutyRow(i + 1, 1, key, key.upper(), "cat") for i, key in enumerate(duties)],
        effective=items,
        role_assignments=[],
        parties=parties,
    )


def found(
    snap: Snapshot, rule: str, on: str = "2024-07-01", explicit: bool = True, config: CheckConfig | None = None
) -> list[tuple[str, str, str]]:
    report = run_rules(snap, on=on, explicit_on=explicit, config=config or CheckConfig(), select=[rule])
    return [(f.severity, f.subject, f.message) for f in report.findings]


def test_gaps_inside_a_span() -> None:
    assert gaps([("2024-01-01", "2024-06-30"), ("2024-09-01", None)], "2024-01-01", "2024-12-31") == [
        ("2024-07-01", "2024-08-31")
    ]
    assert gaps([], "2024-01-01", None) == [("2024-01-01", None)]
    assert gaps([(None, None)], "2024-01-01", "2024-12-31") == []
    assert gaps([("2024-01-01", "2024-06-30"), ("2024-07-01", "2024-12-31")], "2024-01-01", "2024-12-31") == []


def test_no_accountable_fires_on_the_date_and_is_silent_when_covered() -> None:
    assert found(snapshot(("a", "R", None, None)), "no-accountable") == [
        ("error", "d", "duty 'd' has no accountable (A) party")
    ]
    assert found(snapshot(("a", "A", "2024-01-01", "2024-06-30")), "no-accountable") == [
        ("error", "d", "duty 'd' has no accountable (A) party on 2024-07-01")
    ]
    assert found(snapshot(("a", "A", "2024-01-01", "2024-07-01")), "no-accountable") == []


def test_no_accountable_without_on_reports_every_gap_in_the_project_dates() -> None:
    snap = snapshot(("a", "A", "2024-01-01", "2024-06-30"), ("b", "A", "2024-09-01", "2024-10-31"))
    assert found(snap, "no-accountable", on="2024-02-01", explicit=False) == [
        ("error", "d", "duty 'd' has no accountable (A) party from 2024-07-01 to 2024-08-31"),
        ("error", "d", "duty 'd' has no accountable (A) party from 2024-11-01 to 2024-12-31"),
    ]
    # today inside a gap is reported once, as that gap
    assert found(snap, "no-accountable", on="2024-07-15", explicit=False) == [
        ("error", "d", "duty 'd' has no accountable (A) party from 2024-07-01 to 2024-08-31"),
        ("error", "d", "duty 'd' has no accountable (A) party from 2024-11-01 to 2024-12-31"),
    ]
    # back-to-back windows leave no gap
    whole = snapshot(("a", "A", "2024-01-01", "2024-06-30"), ("b", "A", "2024-07-01", None))
    assert found(whole, "no-accountable", on="2024-02-01", explicit=False) == []


def test_multiple_accountable_names_parties_and_the_overlapping_period() -> None:
    snap = snapshot(("a", "A", "2024-01-01", "2024-07-01"), ("b", "A", "2024-07-01", None))
    assert found(snap, "multiple-accountable", explicit=False) == [
        ("error", "d", "duty 'd' has two accountable (A) parties at once: 'a' and 'b' on 2024-07-01")
    ]
    longer = snapshot(("a", "A", None, None), ("b", "A", "2024-07-01", "2024-09-30"))
    assert found(longer, "multiple-accountable", explicit=False) == [
        ("error", "d", "duty 'd' has two accountable (A) parties at once: 'a' and 'b' from 2024-07-01 to 2024-09-30")
    ]


def test_back_to_back_windows_are_not_an_overlap() -> None:
    snap = snapshot(("a", "A", "2024-01-01", "2024-06-30"), ("b", "A", "2024-07-01", None))
    assert found(snap, "multiple-accountable", explicit=False) == []
    assert found(snap, "multiple-accountable", on="2024-06-30") == []


def test_multiple_accountable_with_on_only_looks_at_that_date() -> None:
    snap = snapshot(("a", "A", None, None), ("b", "A", "2024-07-01", "2024-09-30"))
    assert found(snap, "multiple-accountable", on="2024-06-30") == []
    assert found(snap, "multiple-accountable", on="2024-07-01") == [
        ("error", "d", "duty 'd' has two accountable (A) parties at once: 'a' and 'b' on 2024-07-01")
    ]


def test_multiple_accountable_through_a_role_and_directly() -> None:
    snap = snapshot(("a", "A", None, None, None, None), ("b", "A", None, None, "venue-host", None))
    assert found(snap, "multiple-accountable") == [
        (
            "error",
            "d",
            "duty 'd' has two accountable (A) parties at once: 'a' and 'b' (through role 'venue-host') on 2024-07-01",
        )
    ]


def test_the_same_party_twice_is_not_multiple() -> None:
    snap = snapshot(("a", "A", None, None, None, None), ("a", "A", None, None, "host", None))
    assert found(snap, "multiple-accountable") == []


def test_no_responsible() -> None:
    assert found(snapshot(("a", "A", None, None)), "no-responsible") == [
        ("warning", "d", "duty 'd' has no responsible (R) party on 2024-07-01")
    ]
    assert found(snapshot(("a", "R", "2024-01-01", "2024-06-30")), "no-responsible") == [
        ("warning", "d", "duty 'd' has no responsible (R) party on 2024-07-01")
    ]
    assert found(snapshot(("a", "R", None, None)), "no-responsible") == []


def test_overloaded_stakeholder_uses_the_configured_share() -> None:
    duties = tuple(f"d{i}" for i in range(10))
    items = [Effective(i + 1, "a" if i < 5 else "b", "R", None, None, None, None) for i in range(10)]
    items += [Effective(i + 1, "c", "A", None, None, None, None) for i in range(10)]
    snap = snapshot(duties=duties)
    snap.effective.extend(items)
    assert found(snap, "overloaded-stakeholder") == [
        ("warning", "c", "'c' carries 10 of the 20 R/A assignments in project 'p' (50%, above 40%)")
    ]
    assert found(snap, "overloaded-stakeholder", config=CheckConfig(overload_share=0.5)) == []
    assert found(snap, "overloaded-stakeholder", config=CheckConfig(overload_min=21)) == []


def test_no_contact_channel() -> None:
    snap = snapshot(("a", "A", None, None), ("b", "R", None, None), no_contact=("b", "c"))
    assert found(snap, "no-contact-channel") == [("warning", "b", "'b' carries duties but has no contact channel")]
    assert found(snapshot(("a", "A", None, None)), "no-contact-channel") == []


def test_findings_are_ordered_errors_first() -> None:
    snap = snapshot(("a", "C", None, None), no_contact=("a",))
    report = run_rules(snap, on="2024-07-01", explicit_on=True, config=CheckConfig())
    assert [(f.severity, f.rule) for f in report.findings] == [
        ("error", "no-accountable"),
        ("warning", "no-contact-channel"),
        ("warning", "no-joint-meeting"),
        ("warning", "no-responsible"),
    ]
    assert report.errors == 1 and report.warnings == 3
