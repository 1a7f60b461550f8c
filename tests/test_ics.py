"""The due list as iCalendar (coordkit.render.ics), read back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Component

from coordkit.due import DueItem
from coordkit.render.ics import PRODID, escape_text, fold, to_ics, uid
from coordkit.schedule import occurrences, parse_recurrence
from tests import zh_catalogue

D = dt.date
STAMP = dt.datetime(2024, 9, 1, 2, 0, tzinfo=dt.UTC)
ON = D(2024, 9, 1)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


@pytest.fixture
def zh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from zh_catalogue.install(tmp_path, monkeypatch)


def report(day: dt.date, status: str = "scheduled", done_on: dt.date | None = None) -> DueItem:
    return DueItem(
        kind="obligation",
        date=day,
        title="Quarterly written report to the street office",
        title_zh="每季度向街道办提交书面报告",
        agreement="AGR-2024-001",
        party="qichuang",
        project="liede",
        status=status,
        done_on=done_on,
        uid_seed=f"obligation/AGR-2024-001/0/{day.isoformat()}",
    )


DUE = occurrences(parse_recurrence("quarterly"), start=D(2024, 1, 1), end=D(2024, 12, 31))
REPORTS = [report(DUE[0], "met", D(2024, 3, 28))] + [report(day) for day in DUE[1:]]
REVIEW = DueItem(
    kind="review",
    date=D(2024, 9, 20),
    title="Review of results",
    title_zh="合作成效评估",
    agreement="AGR-2024-001",
    uid_seed="review/AGR-2024-001/2024-09-20",
)
NOTICE = DueItem(
    kind="notice",
    date=D(2024, 9, 30),
    title="Last day to give notice: the venue agreement renews on 1 January 2025",
    agreement="AGR-2023-007",
    uid_seed="notice/AGR-2023-007/2024-12-31",
)
EXPIRY = DueItem(
    kind="expiry",
    date=D(2024, 8, 31),
    title="Volunteer agreement expires",
    agreement="AGR-2023-002",
    uid_seed="expiry/AGR-2023-002/2024-08-31",
)
SIGNATURE = DueItem(
    kind="signature",
    date=D(2024, 9, 5),
    title="Venue agreement",
    party="street-office",
    agreement="AGR-2024-002",
    contacts=(("mobile", "13800000000"), ("wechat", "liede-jiedao")),
    uid_seed="signature/AGR-2024-002/1/street-office",
)
ITEMS = [*REPORTS, REVIEW, NOTICE, EXPIRY, SIGNATURE]


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def by_uid(calendar: Calendar) -> dict[str, Component]:
    return {str(c["UID"]): c for c in calendar.walk() if c.name in ("VTODO", "VEVENT")}


def triggers(component: Component) -> list[tuple[dt.timedelta, str | None]]:
    return [(alarm["TRIGGER"].dt, alarm["TRIGGER"].params.get("RELATED")) for alarm in component.walk("VALARM")]


def test_one_vtodo_per_occurrence_with_a_due_date() -> None:
    calendar = parse(to_ics(ITEMS, lang="en", stamp=STAMP))
    assert str(calendar["PRODID"]) == PRODID == "-//coordkit//coord//EN"
    assert str(calendar["VERSION"]) == "2.0"
    todos = calendar.walk("VTODO")
    assert [todo["DUE"].dt for todo in todos] == [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 31)]
    assert all(type(todo["DUE"].dt) is dt.date for todo in todos)
    assert [str(todo["SUMMARY"]) for todo in todos] == ["Obligation: Quarterly written report to the street office"] * 4
    assert str(todos[1]["DESCRIPTION"]) == "Agreement: AGR-2024-001\nParty: qichuang\nProject: liede\nStatus: scheduled"


def test_met_items_are_completed_and_overdue_ones_come_first_in_priority() -> None:
    todos = by_uid(parse(to_ics(ITEMS, lang="en", stamp=STAMP)))
    met, late, soon, later = (todos[uid(item)] for item in REPORTS)
    assert str(met["STATUS"]) == "COMPLETED"
    assert met["COMPLETED"].dt == dt.datetime(2024, 3, 28, tzinfo=dt.UTC)
    assert int(met["PERCENT-COMPLETE"]) == 100
    assert str(met["DESCRIPTION"]).endswith("Status: met\nMet on 28 March 2024")
    assert str(late["STATUS"]) == "NEEDS-ACTION"
    assert "COMPLETED" not in late
    assert int(late["PRIORITY"]) == 1
    assert int(soon["PRIORITY"]) == int(later["PRIORITY"]) == 5


def test_alarms_at_the_lead_times_relative_to_due_none_past_or_settled() -> None:
    data = to_ics(ITEMS, lang="en", stamp=STAMP)
    components = by_uid(parse(data))
    week, day = dt.timedelta(days=-7), dt.timedelta(days=-1)
    met, late, soon, later = (components[uid(item)] for item in REPORTS)
    assert triggers(met) == []
    assert triggers(late) == []
    assert triggers(soon) == [(week, "END"), (day, "END")]
    assert triggers(later) == [(week, "END"), (day, "END")]
    assert triggers(components[uid(REVIEW)]) == [(week, None), (day, None)]
    assert triggers(components[uid(SIGNATURE)]) == [(day, None)]  # 5 September: a week before is past
    assert b"TRIGGER;RELATED=END:-P7D\r\n" in data
    assert b"TRIGGER:-P1D\r\n" in data
    alarm = components[uid(REVIEW)].walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == "Review: Review of results"
    three = by_uid(parse(to_ics(ITEMS, lang="en", stamp=STAMP, alarms_days=(3,))))
    assert triggers(three[uid(REVIEW)]) == [(dt.timedelta(days=-3), None)]


def test_reviews_notices_and_expiries_are_all_day_events_overdue_included() -> None:
    calendar = parse(to_ics(ITEMS, lang="en", stamp=STAMP))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {uid(REVIEW), uid(NOTICE), uid(EXPIRY), uid(SIGNATURE)}
    notice = events[uid(NOTICE)]
    assert (notice["DTSTART"].dt, notice["DTEND"].dt) == (D(2024, 9, 30), D(2024, 10, 1))
    assert type(notice["DTSTART"].dt) is dt.date
    assert str(notice["TRANSP"]) == "TRANSPARENT"
    assert str(notice["SUMMARY"]) == (
        "Notice deadline: Last day to give notice: the venue agreement renews on 1 January 2025"
    )
    expiry = events[uid(EXPIRY)]  # 31 August, before the stamp: still listed, marked urgent
    assert expiry["DTSTART"].dt == D(2024, 8, 31)
    assert int(expiry["PRIORITY"]) == 1
    assert str(events[uid(SIGNATURE)]["DESCRIPTION"]) == (
        "Agreement: AGR-2024-002\nParty: street-office\nStatus: scheduled\nmobile: 13800000000\nWeChat: liede-jiedao"
    )


def test_uids_are_stable_across_exports_and_dtstamp_is_the_stamp_in_utc() -> None:
    first = by_uid(parse(to_ics(ITEMS, lang="en", stamp=STAMP)))
    beijing = dt.timezone(dt.timedelta(hours=8))
    later = dt.datetime(2024, 10, 2, 9, 30, tzinfo=beijing)
    second = by_uid(parse(to_ics(list(reversed(ITEMS)), lang="en", stamp=later, on=D(2024, 10, 2))))
    assert set(first) == set(second) == {uid(item) for item in ITEMS}
    assert len(first) == len(ITEMS)
    assert uid(REVIEW) == "194c81e0-3fc1-51de-aa26-fd2e4b4ba820"  # fixed for ever: calendars hold it
    assert {c["DTSTAMP"].dt for c in first.values()} == {STAMP}
    assert {c["DTSTAMP"].dt for c in second.values()} == {dt.datetime(2024, 10, 2, 1, 30, tzinfo=dt.UTC)}
    assert int(second[uid(REPORTS[2])]["PRIORITY"]) == 1  # 30 September is overdue on 2 October


def test_chinese_summaries_and_long_lines_folded(zh: None) -> None:
    long_title = (
        "向街道办提交季度书面报告，内容包括服务人次、活动场次、志愿者参与情况、居民满意度调查结果和下一季度的工作计划"
    )
    item = DueItem(kind="obligation", date=D(2024, 12, 31), title="Report", title_zh=long_title, uid_seed="long")
    data = to_ics([item, REVIEW], lang="zh", stamp=STAMP)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    components = by_uid(parse(data))
    assert str(components[uid(item)]["SUMMARY"]) == f"履约事项：{long_title}"
    assert str(components[uid(REVIEW)]["SUMMARY"]) == "成效评估：合作成效评估"
    assert str(components[uid(REVIEW)]["DESCRIPTION"]) == "协议：AGR-2024-001\n状态：待完成"
    assert str(parse(data)["X-WR-CALNAME"]) == "coord：到期事项"


def test_refuses_a_naive_stamp_and_two_items_with_one_identity() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        to_ics(ITEMS, lang="en", stamp=dt.datetime(2024, 9, 1))
    with pytest.raises(ValueError, match="share the uid_seed 'review/AGR-2024-001/2024-09-20'"):
        to_ics([REVIEW, REVIEW], lang="en", stamp=STAMP)


def test_making_a_calendar_does_not_import_icalendar() -> None:
    """coord writes the text itself (3.4 s → 0.2 s on the reference store); icalendar only reads it back here."""
    code = (
        "import sys, datetime as dt\n"
        "from coordkit.due import DueItem\n"
        "from coordkit.render.ics import to_ics\n"
        "item = DueItem(kind='review', date=dt.date(2024, 9, 20), title='Review', uid_seed='r')\n"
        "to_ics([item], lang='en', stamp=dt.datetime(2024, 9, 1, tzinfo=dt.UTC))\n"
        "print('icalendar' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


# ---------------------------------------------------------------- the text written by hand: escaping and folding

HOSTILE = "第三季度报告，含服务人次；活动场次\\备注\nline two\r\nline three\rline four\x07, done; ok"


def test_commas_semicolons_backslashes_and_line_breaks_are_escaped_and_read_back() -> None:
    item = DueItem(
        kind="review",
        date=D(2024, 9, 20),
        title="Review, round 1; with \\ and 评估，第一轮；",
        title_zh="合作成效评估，第一轮；含\\反斜杠",
        uid_seed="hostile",
        detail=HOSTILE,
    )
    data = to_ics([item], lang="en", stamp=STAMP)
    assert b"SUMMARY:Review: Review\\, round 1\\; with \\\\ and \xe8\xaf\x84\xe4\xbc\xb0\xef\xbc\x8c" in data
    event = by_uid(parse(data))[uid(item)]
    assert str(event["SUMMARY"]) == "Review: Review, round 1; with \\ and 评估，第一轮；"
    assert str(event["DESCRIPTION"]) == (
        "Status: scheduled\n第三季度报告，含服务人次；活动场次\\备注\nline two\nline three\nline four, done; ok"
    )
    assert str(event.walk("VALARM")[0]["DESCRIPTION"]) == "Review: Review, round 1; with \\ and 评估，第一轮；"
    zh = by_uid(parse(to_ics([item], lang="zh", stamp=STAMP)))[uid(item)]
    assert str(zh["SUMMARY"]) == "成效评估：合作成效评估，第一轮；含\\反斜杠"


def test_categories_with_a_comma_stay_one_category(zh: None) -> None:
    data = to_ics([REVIEW], lang="zh", stamp=STAMP)
    assert [str(c) for c in by_uid(parse(data))[uid(REVIEW)]["CATEGORIES"].cats] == ["成效评估"]
    assert escape_text("a,b") == "a\\,b"  # a comma unescaped would split one category into two


def octets(data: bytes) -> list[int]:
    return [len(line) for line in data.split(b"\r\n")]


def test_long_chinese_lines_fold_at_75_octets_between_characters() -> None:
    title = "提交季度书面报告" * 12  # 96 characters, 288 octets
    item = DueItem(kind="obligation", date=D(2024, 12, 31), title="R", title_zh=title, uid_seed="long")
    data = to_ics([item], lang="zh", stamp=STAMP)
    summary = next(line for line in data.split(b"\r\n") if line.startswith(b"SUMMARY:"))
    lines = data[data.index(summary) :].split(b"\r\n")
    # 8 octets of "SUMMARY:", 22 characters of 3 (履约事项： and the title); then a space and 24 characters
    assert [len(line) for line in lines[:6]] == [74, 73, 73, 73, 22, 40]
    assert all(line.startswith(b" ") for line in lines[1:5]) and lines[5].startswith(b"UID:")
    for line in lines[:5]:
        line.decode()  # a character cut in two would not decode
    assert max(octets(data)) <= 75
    assert str(by_uid(parse(data))[uid(item)]["SUMMARY"]) == f"履约事项：{title}"


def test_a_fold_keeps_a_backslash_with_the_character_it_escapes() -> None:
    assert fold("X" * 73 + "\\nY") == "X" * 73 + "\r\n \\nY"  # not "X…\\" + fold + "nY"
    assert fold("X" * 72 + "\\\\Y") == "X" * 72 + "\\\\\r\n Y"  # an escaped backslash is whole: fold after it
    assert fold("中" * 24 + "a\\;") == "中" * 24 + "a\r\n \\;"  # 73 octets + "\\" would end with half an escape
    assert fold("X" * 74) == "X" * 74
    assert fold("X" * 75) == "X" * 74 + "\r\n X"
    assert fold("中" * 25) == "中" * 24 + "\r\n 中"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_survives_escaping_and_folding(text: str) -> None:
    """Whatever a title or a note holds comes back from icalendar as it was, line breaks made LF, controls gone."""
    item = DueItem(kind="review", date=D(2024, 9, 20), title="T", uid_seed="any", detail=text)
    data = to_ics([item], lang="en", stamp=STAMP)
    assert max(octets(data)) <= 75
    for line in data.split(b"\r\n"):
        line.decode()  # no character cut in two
        assert (len(line) - len(line.rstrip(b"\\"))) % 2 == 0  # no escape cut in two
    sent = ("Status: scheduled\n" + text if text else "Status: scheduled").replace("\r\n", "\n").replace("\r", "\n")
    want = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", sent)
    assert str(by_uid(parse(data))[uid(item)]["DESCRIPTION"]) == want


def test_the_last_day_of_the_calendar_has_an_event_without_an_end() -> None:
    last = DueItem(kind="expiry", date=dt.date.max, title="Far", agreement="AGR-9", uid_seed="far")
    event = by_uid(parse(to_ics([last], lang="en", stamp=STAMP)))[uid(last)]
    assert event["DTSTART"].dt == dt.date.max
    assert "DTEND" not in event  # RFC 5545 3.6.1: an all-day event with no end lasts the day
    first = DueItem(kind="obligation", date=dt.date.min, title="Old", uid_seed="old")
    todo = by_uid(parse(to_ics([first], lang="en", stamp=STAMP)))[uid(first)]
    assert todo["DUE"].dt == dt.date.min and todo.walk("VALARM") == []
