"""Recurrences, terms that renew, notice deadlines and reviews (coordkit.schedule)."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from coordkit.errors import InvalidInput
from coordkit.schedule import (
    Cadence,
    Recurrence,
    Term,
    TermDate,
    add_months,
    current_term,
    due_dates,
    notice_date,
    occurrences,
    parse_cadence,
    parse_recurrence,
    parse_renewal,
    review_dates,
    term_dates,
)

D = dt.date


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


# Month arithmetic


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 2, D(2024, 3, 31)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 8, 31), 1, D(2024, 9, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 1, 15), -13, D(2022, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(min_value=-600, max_value=600))
def test_add_months_agrees_with_dateutil(day: dt.date, months: int) -> None:
    assert add_months(day, months) == day + relativedelta(months=months)


def test_add_months_past_the_calendar_overflows() -> None:
    with pytest.raises(OverflowError):
        add_months(D(9999, 12, 31), 1)


def test_cadence_counts_from_the_anchor_not_the_previous_date() -> None:
    monthly = Cadence(1, "m")
    assert [monthly.after(D(2024, 1, 31), k) for k in range(1, 5)] == [
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
        D(2024, 5, 31),
    ]
    assert Cadence(1, "y").after(D(2024, 2, 29)) == D(2025, 2, 28)
    assert Cadence(2, "w").after(D(2024, 12, 25)) == D(2025, 1, 8)
    assert Cadence(90, "d").after(D(2024, 1, 1)) == D(2024, 3, 31)


# Parsing


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("3m", "3m"),
        ("03m", "3m"),
        (" 90d ", "90d"),
        ("2W", "2w"),
        ("1y", "1y"),
        ("３ｍ", "3m"),
        ("90 days", "90d"),
        ("every 3 months", "3m"),
        ("every 2 weeks", "2w"),
        ("every year", "1y"),
        ("weekly", "1w"),
        ("monthly", "1m"),
        ("quarterly", "3m"),
        ("half-yearly", "6m"),
        ("yearly", "1y"),
        ("Quarterly", "3m"),
        ("每周", "1w"),
        ("每月", "1m"),
        ("每个月", "1m"),
        ("每季度", "3m"),
        ("每半年", "6m"),
        ("每年", "1y"),
        ("每2周", "2w"),
        ("每3个月", "3m"),
        ("每２季度", "6m"),
        ("每90天", "90d"),
        ("30天", "30d"),
        ("3个月", "3m"),
        ("1年", "1y"),
    ],
)
def test_parse_recurrence_cadences(typed: str, text: str) -> None:
    rec = parse_recurrence(typed)
    assert rec.text() == text
    assert parse_recurrence(rec.text()) == rec


def test_parse_recurrence_dates_are_sorted_distinct_and_round_trip() -> None:
    rec = parse_recurrence("2024-06-30, 2024-03-31，2024-06-30")
    assert rec == Recurrence(dates=(D(2024, 3, 31), D(2024, 6, 30)))
    assert rec.text() == "2024-03-31, 2024-06-30"
    assert parse_recurrence(rec.text()) == rec
    assert parse_recurrence([D(2024, 6, 30), "2024-03-31"]) == rec
    assert parse_recurrence(D(2024, 3, 31)).text() == "2024-03-31"


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["d", "w", "m", "y"]))
def test_every_cadence_round_trips(count: int, unit: str) -> None:
    rec = parse_recurrence(f"{count}{unit}")
    assert rec == Recurrence(cadence=parse_cadence(rec.text()))
    assert rec.text() == f"{count}{unit}"


@given(st.sets(st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)), min_size=1, max_size=8))
def test_every_date_list_round_trips(days: set[dt.date]) -> None:
    rec = Recurrence(dates=tuple(sorted(days)))
    assert parse_recurrence(rec.text()) == rec


@pytest.mark.parametrize("typed", ["", "0m", "3x", "sometimes", "每两周", "10000d", "m3", "月", "0天"])
def test_parse_recurrence_refuses_what_is_no_cadence(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_recurrence(typed, what="obligations[2].every")
    assert str(caught.value) == (
        f"obligations[2].every '{typed}' is not a cadence: use a number and d, w, m or y (90d, 2w, 3m, 1y), "
        "weekly, monthly, quarterly, half-yearly, yearly (每周, 每月, 每季度, 每半年, 每年) or dates (2024-03-31, 2024-06-30)"
    )


def test_parse_recurrence_refuses_an_impossible_date() -> None:
    with pytest.raises(InvalidInput, match="2024-02-30"):
        parse_recurrence("2024-01-31, 2024-02-30")


def test_parse_renewal() -> None:
    assert parse_renewal(None) == "none"
    assert parse_renewal("tacit") == "tacit"
    assert parse_renewal("自动续期") == "tacit"
    assert parse_renewal("不续期") == "none"
    with pytest.raises(InvalidInput) as caught:
        parse_renewal("sometimes")
    assert str(caught.value) == "renewal 'sometimes' is not a renewal: use none or tacit (不续期, 自动续期)"


# Occurrences within a term

QUARTERLY = parse_recurrence("quarterly")
MONTHLY = parse_recurrence("monthly")


def test_quarterly_report_is_due_at_the_end_of_each_quarter() -> None:
    assert occurrences(QUARTERLY, start=D(2024, 1, 1), end=D(2024, 12, 31)) == [
        D(2024, 3, 31),
        D(2024, 6, 30),
        D(2024, 9, 30),
        D(2024, 12, 31),
    ]


def test_a_final_partial_period_is_due_on_the_last_day_of_the_term() -> None:
    assert occurrences(QUARTERLY, start=D(2024, 1, 1), end=D(2024, 8, 15)) == [
        D(2024, 3, 31),
        D(2024, 6, 30),
        D(2024, 8, 15),
    ]


def test_a_term_shorter_than_one_period_has_one_occurrence_on_its_last_day() -> None:
    assert occurrences(QUARTERLY, start=D(2024, 1, 1), end=D(2024, 2, 15)) == [D(2024, 2, 15)]
    assert occurrences(QUARTERLY, start=D(2024, 5, 1), end=D(2024, 5, 1)) == [D(2024, 5, 1)]


def test_monthly_periods_from_a_month_end_are_counted_from_the_anchor() -> None:
    # Periods [31 Jan, 28 Feb], [29 Feb, 30 Mar], [31 Mar, 29 Apr]: each ends the day before anchor + k months.
    assert occurrences(MONTHLY, start=D(2024, 1, 31), end=D(2024, 4, 29)) == [
        D(2024, 2, 28),
        D(2024, 3, 30),
        D(2024, 4, 29),
    ]


def test_first_due_on_a_month_end_keeps_the_month_end() -> None:
    assert occurrences(MONTHLY, start=D(2024, 1, 1), end=D(2024, 6, 30), first_due=D(2024, 1, 31)) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
        D(2024, 5, 31),
        D(2024, 6, 30),
    ]


def test_first_due_on_a_leap_day() -> None:
    yearly = parse_recurrence("1y")
    assert occurrences(yearly, start=D(2024, 1, 1), end=D(2028, 12, 31), first_due=D(2024, 2, 29)) == [
        D(2024, 2, 29),
        D(2025, 2, 28),
        D(2026, 2, 28),
        D(2027, 2, 28),
        D(2028, 2, 29),
    ]


def test_weeks_and_days() -> None:
    assert occurrences(parse_recurrence("2w"), start=D(2024, 12, 23), end=D(2025, 1, 31)) == [
        D(2025, 1, 5),
        D(2025, 1, 19),
        D(2025, 1, 31),
    ]
    assert occurrences(parse_recurrence("90d"), start=D(2024, 1, 1), end=D(2024, 7, 1)) == [
        D(2024, 3, 30),
        D(2024, 6, 28),
        D(2024, 7, 1),
    ]


def test_listed_dates_inside_the_term() -> None:
    rec = parse_recurrence("2024-05-01, 2024-10-01")
    assert occurrences(rec, start=D(2024, 1, 1), end=D(2024, 12, 31)) == [D(2024, 5, 1), D(2024, 10, 1)]
    assert occurrences(rec, start=D(2024, 1, 1), end=D(2024, 12, 31), until=D(2024, 6, 1)) == [D(2024, 5, 1)]


def test_a_listed_date_outside_the_term_is_refused_not_dropped() -> None:
    rec = parse_recurrence("2024-05-01, 2025-03-01")
    with pytest.raises(InvalidInput) as caught:
        occurrences(rec, start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert str(caught.value) == (
        "every: 2025-03-01 is outside the term 2024-01-01 – 2024-12-31; remove the date or change the term"
    )
    with pytest.raises(InvalidInput, match="2023-12-31 is outside"):
        occurrences(parse_recurrence("2023-12-31"), start=D(2024, 1, 1), end=D(2024, 12, 31))


def test_first_due_outside_the_term_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        occurrences(QUARTERLY, start=D(2024, 1, 1), end=D(2024, 12, 31), first_due=D(2025, 1, 31))
    assert str(caught.value) == (
        "first due: 2025-01-31 is outside the term 2024-01-01 – 2024-12-31; remove the date or change the term"
    )


def test_a_term_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        occurrences(QUARTERLY, start=D(2024, 1, 1), end=D(2023, 12, 31))
    assert str(caught.value) == "the term ends 2023-12-31 before it starts 2024-01-01"


def test_an_open_ended_term_needs_a_horizon() -> None:
    with pytest.raises(ValueError, match="horizon"):
        occurrences(QUARTERLY, start=D(2024, 1, 1), end=None)
    assert occurrences(QUARTERLY, start=D(2024, 1, 1), end=None, until=D(2024, 10, 15)) == [
        D(2024, 3, 31),
        D(2024, 6, 30),
        D(2024, 9, 30),
    ]


def test_until_clips_a_term_with_an_end() -> None:
    assert occurrences(QUARTERLY, start=D(2024, 1, 1), end=D(2024, 12, 31), until=D(2024, 6, 30)) == [
        D(2024, 3, 31),
        D(2024, 6, 30),
    ]


def test_the_end_of_the_calendar_is_no_crash() -> None:
    assert occurrences(parse_recurrence("1y"), start=D(9997, 1, 1), end=D(9999, 12, 31)) == [
        D(9997, 12, 31),
        D(9998, 12, 31),
        D(9999, 12, 31),
    ]
    assert occurrences(parse_recurrence("1y"), start=D(9999, 6, 1), end=None, until=D(9999, 12, 31)) == []


# Terms that end and renew


def yearly_tacit(notice: str | None = "3m", notice_given: dt.date | None = None) -> Term:
    return Term(
        effective=D(2024, 1, 1),
        expires=D(2024, 12, 31),
        notice=parse_cadence(notice) if notice else None,
        renewal="tacit",
        notice_given=notice_given,
    )


def test_a_term_of_whole_months_renews_for_whole_months() -> None:
    assert yearly_tacit().length() == Cadence(12, "m")
    assert Term(D(2024, 3, 1), D(2024, 3, 31)).length() == Cadence(1, "m")
    assert Term(D(2024, 1, 10), D(2024, 2, 10)).length() == Cadence(32, "d")
    assert Term(D(2024, 1, 1)).length() is None


def test_current_term_walks_tacit_renewals() -> None:
    term = yearly_tacit()
    assert current_term(term, D(2023, 12, 31)) is None
    assert current_term(term, D(2024, 1, 1)) == (D(2024, 1, 1), D(2024, 12, 31))
    assert current_term(term, D(2024, 12, 31)) == (D(2024, 1, 1), D(2024, 12, 31))
    assert current_term(term, D(2025, 1, 1)) == (D(2025, 1, 1), D(2025, 12, 31))
    assert current_term(term, D(2026, 5, 1)) == (D(2026, 1, 1), D(2026, 12, 31))
    assert current_term(term, D(2124, 2, 29)) == (D(2124, 1, 1), D(2124, 12, 31))


def test_current_term_of_a_term_that_does_not_renew() -> None:
    term = Term(D(2024, 3, 1), D(2025, 2, 28))
    assert current_term(term, D(2025, 2, 28)) == (D(2024, 3, 1), D(2025, 2, 28))
    assert current_term(term, D(2025, 3, 1)) is None
    assert current_term(Term(D(2024, 3, 1)), D(2099, 1, 1)) == (D(2024, 3, 1), None)


def test_current_term_of_a_month_end_term_renewing_monthly() -> None:
    term = Term(D(2024, 1, 31), D(2024, 2, 28), renewal="tacit")  # one month from 31 January
    assert term.length() == Cadence(1, "m")
    assert current_term(term, D(2024, 3, 15)) == (D(2024, 2, 29), D(2024, 3, 30))
    assert current_term(term, D(2024, 3, 31)) == (D(2024, 3, 31), D(2024, 4, 29))


def test_notice_date_comes_from_the_current_renewed_term_not_the_first() -> None:
    term = yearly_tacit()
    assert notice_date(term, D(2024, 5, 1)) == D(2024, 9, 30)
    assert notice_date(term, D(2026, 5, 1)) == D(2026, 9, 30)
    # Past this period's deadline the term renews; the period in force still gives its own (passed) deadline.
    assert notice_date(term, D(2026, 10, 15)) == D(2026, 9, 30)
    assert notice_date(term, D(2027, 1, 1)) == D(2027, 9, 30)


def test_notice_period_in_days_does_not_count_the_day_notice_is_given() -> None:
    term = yearly_tacit("30d")
    assert notice_date(term, D(2025, 6, 1)) == D(2025, 12, 1)


def test_notice_date_is_none_without_notice_or_outside_the_term() -> None:
    assert notice_date(yearly_tacit(None), D(2025, 6, 1)) is None
    assert notice_date(yearly_tacit(), D(2023, 6, 1)) is None
    assert notice_date(Term(D(2024, 1, 1), notice=Cadence(1, "m")), D(2025, 6, 1)) is None
    fixed = Term(D(2024, 1, 1), D(2024, 12, 31), notice=Cadence(1, "m"))
    assert notice_date(fixed, D(2024, 6, 1)) == D(2024, 11, 30)
    assert notice_date(fixed, D(2025, 1, 1)) is None


def test_notice_given_ends_the_term_with_the_period_it_was_in_time_for() -> None:
    in_time = yearly_tacit(notice_given=D(2025, 9, 30))
    assert current_term(in_time, D(2025, 12, 31)) == (D(2025, 1, 1), D(2025, 12, 31))
    assert current_term(in_time, D(2026, 1, 1)) is None
    late = yearly_tacit(notice_given=D(2025, 10, 1))
    assert current_term(late, D(2026, 12, 31)) == (D(2026, 1, 1), D(2026, 12, 31))
    assert current_term(late, D(2027, 1, 1)) is None


def test_term_dates_of_a_tacit_term() -> None:
    assert term_dates(yearly_tacit(), start=D(2024, 6, 1), end=D(2026, 1, 1)) == [
        TermDate("notice", D(2024, 9, 30), D(2024, 1, 1), D(2024, 12, 31)),
        TermDate("renewal", D(2025, 1, 1), D(2025, 1, 1), D(2025, 12, 31)),
        TermDate("notice", D(2025, 9, 30), D(2025, 1, 1), D(2025, 12, 31)),
        TermDate("renewal", D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
    ]


def test_term_dates_after_notice_was_given_end_in_an_expiry() -> None:
    term = yearly_tacit(notice_given=D(2025, 10, 1))
    assert term_dates(term, start=D(2025, 6, 1), end=D(2030, 12, 31)) == [
        TermDate("notice", D(2025, 9, 30), D(2025, 1, 1), D(2025, 12, 31)),
        TermDate("renewal", D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
        TermDate("expiry", D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
    ]


def test_term_dates_of_a_fixed_term_and_an_open_one() -> None:
    fixed = Term(D(2024, 3, 1), D(2025, 2, 28), notice=Cadence(30, "d"))
    assert term_dates(fixed, start=D(2024, 1, 1), end=D(2025, 12, 31)) == [
        TermDate("notice", D(2025, 1, 29), D(2024, 3, 1), D(2025, 2, 28)),
        TermDate("expiry", D(2025, 2, 28), D(2024, 3, 1), D(2025, 2, 28)),
    ]
    assert term_dates(fixed, start=D(2025, 2, 1), end=D(2025, 12, 31)) == [
        TermDate("expiry", D(2025, 2, 28), D(2024, 3, 1), D(2025, 2, 28)),
    ]
    assert term_dates(Term(D(2024, 1, 1)), start=D(2024, 1, 1), end=D(2030, 1, 1)) == []


def test_a_notice_period_longer_than_the_term_falls_in_the_previous_period() -> None:
    term = Term(D(2024, 1, 1), D(2024, 1, 31), notice=Cadence(2, "m"), renewal="tacit")
    assert term_dates(term, start=D(2024, 2, 1), end=D(2024, 2, 29)) == [
        TermDate("renewal", D(2024, 2, 1), D(2024, 2, 1), D(2024, 2, 29)),
        TermDate("notice", D(2024, 2, 29), D(2024, 4, 1), D(2024, 4, 30)),
    ]


def test_a_tacit_term_needs_an_end_and_a_term_must_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidInput) as caught:
        Term(D(2024, 1, 1), renewal="tacit")
    assert str(caught.value) == "a term that renews tacitly needs an end date (expires)"
    with pytest.raises(InvalidInput, match="the term ends 2023-01-01 before it starts 2024-01-01"):
        Term(D(2024, 1, 1), D(2023, 1, 1))


def test_due_dates_repeat_in_renewed_periods() -> None:
    term = yearly_tacit(notice_given=D(2025, 10, 1))
    assert due_dates(parse_recurrence("6m"), term, until=D(2030, 1, 1)) == [
        D(2024, 6, 30),
        D(2024, 12, 31),
        D(2025, 6, 30),
        D(2025, 12, 31),
        D(2026, 6, 30),
        D(2026, 12, 31),
    ]
    assert due_dates(parse_recurrence("6m"), yearly_tacit(), until=D(2025, 7, 1)) == [
        D(2024, 6, 30),
        D(2024, 12, 31),
        D(2025, 6, 30),
    ]
    assert due_dates(parse_recurrence("1y"), yearly_tacit(), until=D(2026, 12, 31), first_due=D(2024, 2, 29)) == [
        D(2024, 2, 29),
        D(2025, 2, 28),
        D(2026, 2, 28),
    ]
    listed = parse_recurrence("2024-05-01")
    assert due_dates(listed, yearly_tacit(), until=D(2030, 1, 1)) == [D(2024, 5, 1)]


# Reviews


def test_reviews_every_six_months_from_the_effective_date() -> None:
    assert review_dates(D(2024, 1, 1), D(2025, 12, 31), "6m") == [D(2024, 7, 1), D(2025, 1, 1), D(2025, 7, 1)]


def test_the_next_review_is_counted_from_the_last_one_held() -> None:
    assert review_dates(D(2024, 1, 1), D(2025, 12, 31), "6m", last_review=D(2025, 3, 15)) == [D(2025, 9, 15)]
    assert review_dates(D(2024, 8, 31), D(2025, 6, 30), "每季度") == [
        D(2024, 11, 30),
        D(2025, 2, 28),
        D(2025, 5, 31),
    ]


def test_reviews_of_an_open_ended_term_need_a_horizon() -> None:
    with pytest.raises(ValueError, match="horizon"):
        review_dates(D(2024, 1, 1), None, "1y")
    assert review_dates(D(2024, 1, 1), None, "1y", until=D(2026, 6, 1)) == [D(2025, 1, 1), D(2026, 1, 1)]
    with pytest.raises(InvalidInput, match="review_every 'often' is not a cadence"):
        review_dates(D(2024, 1, 1), None, "often", until=D(2026, 6, 1))
