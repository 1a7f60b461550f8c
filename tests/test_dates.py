"""Dates as people type them mean one day; the calendar's edges never crash a command."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordkit.checks.rules import gaps
from coordkit.dates import OPEN_END, OPEN_START, add_days, day_after, day_before, parse_date
from coordkit.errors import InvalidInput
from tests.conftest import Workspace, run_coord

FORMS = "use 2025-03-01, 2025/3/1 or 2025年3月1日"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-01",
        "2025-3-1",
        "2025/3/1",
        "2025/03/01",
        "2025.3.1",
        "2025年3月1日",
        "2025年03月01日",
        "2025 年 3 月 1 日",
        "2025年3月1号",
        "２０２５年３月１日",
        "２０２５／３／１",
        "２０２５－０３－０１",
        "  2025/3/1 ",
        "\u30002025年3月1日\u3000",
        "20250301",  # date.fromisoformat has always read the basic form; it still does
    ],
)
def test_every_form_is_the_first_of_march(text: str) -> None:
    assert parse_date(text, "--date") == dt.date(2025, 3, 1)


def test_nothing_and_dates_pass_through() -> None:
    assert parse_date(None, "--date") is None
    assert parse_date("", "--date") is None
    day = dt.date(2024, 2, 29)
    assert parse_date(day, "--date") is day


@given(st.dates())
def test_iso_is_read_as_before_and_the_typed_forms_agree(day: dt.date) -> None:
    assert parse_date(day.isoformat(), "--date") == dt.date.fromisoformat(day.isoformat()) == day
    assert parse_date(f"{day.year:04d}/{day.month}/{day.day}", "--date") == day
    assert parse_date(f"{day.year:04d}年{day.month}月{day.day}日", "--date") == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-02-30", "--date '2025-02-30' is not a date (2025-02 has 28 days); " + FORMS),
        ("2024/2/30", "--date '2024/2/30' is not a date (2024-02 has 29 days); " + FORMS),
        ("2025/13/1", "--date '2025/13/1' is not a date (there is no month 13); " + FORMS),
        ("2025年0月1日", "--date '2025年0月1日' is not a date (there is no month 0); " + FORMS),
        ("2025.4.31", "--date '2025.4.31' is not a date (2025-04 has 30 days); " + FORMS),
        ("0000-01-01", "--date '0000-01-01' is not a date (there is no year 0); " + FORMS),
        ("next week", "--date 'next week' is not a date; " + FORMS),
        ("3/1/2025", "--date '3/1/2025' is not a date; " + FORMS),
        ("25/3/1", "--date '25/3/1' is not a date; " + FORMS),
        ("2025/3-1", "--date '2025/3-1' is not a date; " + FORMS),
        ("2025年3月", "--date '2025年3月' is not a date; " + FORMS),
        ("   ", "--date '' is not a date; " + FORMS),
    ],
)
def test_a_bad_date_is_one_line_naming_value_option_and_forms(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(text, "--date")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "days", "expected"),
    [
        ("2024-02-28", 1, "2024-02-29"),
        ("2024-12-31", 1, "2025-01-01"),
        ("2025-03-01", -1, "2025-02-28"),
        ("9999-12-30", 1, "9999-12-31"),
        ("9999-12-31", 1, "9999-12-31"),
        ("0001-01-01", -1, "0001-01-01"),
        ("9999-12-30", 30, OPEN_END),
        ("2025-03-01", 10**10, "9999-12-31"),  # more days than timedelta holds
        ("2025-03-01", -(10**10), "0001-01-01"),
        (OPEN_START, 1, OPEN_START),
    ],
)
def test_days_at_the_calendars_edges_stay_on_it(value: str, days: int, expected: str) -> None:
    assert add_days(value, days) == expected
    if days == 1:
        assert day_after(value) == expected
    if days == -1:
        assert day_before(value) == expected


def test_a_window_from_the_first_day_leaves_no_gap_before_it() -> None:
    assert gaps([("0001-01-01", None)], None, "2025-12-31") == []
    assert gaps([("0001-01-02", None)], None, "2025-12-31") == [(None, "0001-01-01")]
    assert gaps([(None, "9999-12-30")], "2025-01-01", None) == [("9999-12-31", None)]


def test_check_on_the_last_days_of_the_calendar(sqlite_ws: Workspace) -> None:
    for day in ("9999-12-30", "9999/12/31"):
        result = run_coord("check", "--on", day)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == "0 error(s), 0 warning(s) on " + day.replace("/", "-") + ".\n"
