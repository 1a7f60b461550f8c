"""Budgets: one party's funds promised across agreements, against its budget for a period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coordkit.budgets import FundsCommitment, money, overcommitted

D = dt.date
YEAR = (D(2024, 1, 1), D(2024, 12, 31))


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


def funds(source: str, amount: str, first: dt.date | None, last: dt.date | None) -> FundsCommitment:
    return FundsCommitment("street-office", source, Decimal(amount), (first, last))


MARKET = funds("AGR-2024-001 v2", "60000", D(2024, 3, 1), D(2024, 12, 31))
COURSES = funds("AGR-2024-004 v1", "40000.00", D(2024, 6, 1), D(2025, 5, 31))


def test_exactly_the_budget_is_fine_and_one_unit_over_is_not() -> None:
    assert overcommitted([MARKET, COURSES], budget=Decimal("100000"), period=YEAR) is None
    found = overcommitted([MARKET, COURSES], budget=Decimal("99999"), period=YEAR)
    assert found is not None
    assert (found.committed, found.excess, found.commitments) == (
        Decimal("100000.00"),
        Decimal("1.00"),
        (MARKET, COURSES),
    )
    cent = overcommitted([MARKET, COURSES], budget=Decimal("99999.99"), period=YEAR)
    assert cent is not None and cent.excess == Decimal("0.01")


def test_a_term_that_only_partly_meets_the_period_counts_in_full() -> None:
    next_year = (D(2025, 1, 1), D(2025, 12, 31))
    found = overcommitted([MARKET, COURSES], budget=Decimal("30000"), period=next_year)
    assert found is not None
    assert (found.committed, found.commitments) == (Decimal("40000.00"), (COURSES,))


def test_terms_that_do_not_meet_the_period_do_not_count() -> None:
    before = funds("AGR-2023-009 v1", "90000", D(2023, 1, 1), D(2023, 12, 31))
    after = funds("AGR-2025-002 v1", "90000", D(2025, 1, 1), None)
    assert overcommitted([before, MARKET, after], budget=Decimal("60000"), period=YEAR) is None
    edge = funds("AGR-2023-010 v1", "1", D(2023, 6, 1), D(2024, 1, 1))  # one shared day is enough
    found = overcommitted([before, MARKET, after, edge], budget=Decimal("60000"), period=YEAR)
    assert found is not None and [c.source for c in found.commitments] == ["AGR-2024-001 v2", "AGR-2023-010 v1"]
    open_ended = funds("AGR-2020-001 v3", "5", None, None)
    assert overcommitted([open_ended], budget=Decimal("4.99"), period=YEAR) is not None


def test_no_commitments_hold_any_budget() -> None:
    assert overcommitted([], budget=Decimal(0), period=YEAR) is None


def test_the_message_names_party_sums_and_each_agreement() -> None:
    found = overcommitted([MARKET, COURSES], budget=Decimal("80000"), period=YEAR)
    assert found is not None
    assert found.describe() == (
        "'street-office' has promised 100,000.00 CNY of funds from 2024-01-01 to 2024-12-31, "
        "20,000.00 more than its budget of 80,000: "
        "AGR-2024-001 v2 (60,000, 2024-03-01..2024-12-31); AGR-2024-004 v1 (40,000.00, 2024-06-01..2025-05-31)"
    )
    assert money(Decimal("6E+4")) == "60,000" and money(Decimal("1234.5")) == "1,234.5"


def test_mixed_parties_units_and_bad_amounts_are_programming_errors() -> None:
    other = FundsCommitment("district", "AGR-2024-002 v1", Decimal(1), (None, None))
    with pytest.raises(ValueError, match="one party, resource and unit"):
        overcommitted([MARKET, other], budget=Decimal(1), period=YEAR)
    wan = FundsCommitment("street-office", "AGR-2024-003 v1", Decimal(6), (None, None), unit="万元")
    with pytest.raises(ValueError, match="one party, resource and unit"):
        overcommitted([MARKET, wan], budget=Decimal(1), period=YEAR)
    with pytest.raises(ValueError, match="period ends"):
        overcommitted([MARKET], budget=Decimal(1), period=(D(2024, 12, 31), D(2024, 1, 1)))
    with pytest.raises(ValueError, match="non-negative Decimal"):
        overcommitted([MARKET], budget=100, period=YEAR)  # type: ignore[arg-type]
    for bad in (Decimal("NaN"), Decimal("-1"), 5.0):
        with pytest.raises(ValueError, match="non-negative Decimal"):
            FundsCommitment("street-office", "X", bad, (None, None))  # type: ignore[arg-type]
