"""Slots: the canonical text round trip, Chinese input, occurrences, and contention for a resource."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordkit.errors import InvalidInput
from coordkit.slots import Commitment, Contention, Interval, Slot, contentions, occurrences, parse_slot

D = dt.date


def at(day: str, clock: str = "00:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day} {clock}")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("2024-06-15", Slot("dates", first=D(2024, 6, 15), last=D(2024, 6, 15))),
        ("2024-06-15 09:00-12:00", Slot("dates", first=D(2024, 6, 15), last=D(2024, 6, 15), start=540, end=720)),
        ("2024-06-01..2024-06-30", Slot("dates", first=D(2024, 6, 1), last=D(2024, 6, 30))),
        (
            "2024-06-01..2024-06-30 18:30-24:00",
            Slot("dates", first=D(2024, 6, 1), last=D(2024, 6, 30), start=1110, end=1440),
        ),
        ("weekly sat 14:00-17:00", Slot("weekly", weekday=5, start=840, end=1020)),
        ("weekly mon", Slot("weekly", weekday=0)),
        ("monthly first sat 09:00-12:00", Slot("monthly", weekday=5, nth=1, start=540, end=720)),
        ("monthly fourth wed", Slot("monthly", weekday=2, nth=4)),
        ("monthly last sun 00:00-00:30", Slot("monthly", weekday=6, nth=-1, start=0, end=30)),
    ],
)
def test_canonical_text_round_trips_exactly(text: str, slot: Slot) -> None:
    assert parse_slot(text) == slot
    assert slot.text() == str(slot) == text


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("每月第一个周六 09:00-12:00", "monthly first sat 09:00-12:00"),
        ("每月的第1个星期六 9:00～12:00", "monthly first sat 09:00-12:00"),
        ("每月最后一个星期日", "monthly last sun"),
        ("每月第三个礼拜天 14:00至16:30", "monthly third sun 14:00-16:30"),
        ("每周六 14:00-17:00", "weekly sat 14:00-17:00"),
        ("每个周三", "weekly wed"),
        ("每星期一 ０８：００－１０：００", "weekly mon 08:00-10:00"),
        ("Weekly  Saturday 14:00 – 17:00", "weekly sat 14:00-17:00"),
        ("every sat", "weekly sat"),
        ("Monthly 1st Saturday", "monthly first sat"),
        ("2024年6月15日 ９：００～１２：００", "2024-06-15 09:00-12:00"),
        ("2024/6/1至2024/6/30", "2024-06-01..2024-06-30"),
        ("2024-6-1 .. 2024-6-3", "2024-06-01..2024-06-03"),
        ("2024-06-15..2024-06-15", "2024-06-15"),
    ],
)
def test_typed_forms_mean_the_canonical_slot(typed: str, canonical: str) -> None:
    assert parse_slot(typed).text() == canonical


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2024-02-30", "slot '2024-02-30': '2024-02-30' is not a date; use a day that exists, such as 2024-06-15"),
        (
            "2024-06-15 12:00-09:00",
            "slot '2024-06-15 12:00-09:00': it ends at 09:00, not after it starts at 12:00; split a slot that runs past midnight",
        ),
        (
            "weekly sat 22:00-02:00",
            "slot 'weekly sat 22:00-02:00': it ends at 02:00, not after it starts at 22:00; split a slot that runs past midnight",
        ),
        (
            "weekly sat 24:00-24:30",
            "slot 'weekly sat 24:00-24:30': '24:00-24:30' is not a time of day; use 24-hour times such as 09:00-12:00",
        ),
        ("2024-06-30..2024-06-01", "slot '2024-06-30..2024-06-01': it ends 2024-06-01 before it starts 2024-06-30"),
        (
            "monthly fifth sat",
            "'monthly fifth sat' is not a slot; use one of: 2024-06-15, 2024-06-15 09:00-12:00, 2024-06-01..2024-06-30, weekly sat 14:00-17:00, monthly first sat 09:00-12:00",
        ),
        (
            "每周八",
            "'每周八' is not a slot; use one of: 2024-06-15, 2024-06-15 09:00-12:00, 2024-06-01..2024-06-30, weekly sat 14:00-17:00, monthly first sat 09:00-12:00",
        ),
    ],
)
def test_bad_slots_say_what_is_wrong_in_one_line(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_slot(typed)
    assert str(error.value) == message


def test_a_slot_built_wrong_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        Slot("weekly", weekday=7)
    with pytest.raises(ValueError):
        Slot("dates", first=D(2024, 6, 2), last=D(2024, 6, 1))
    with pytest.raises(ValueError):
        Slot("weekly", weekday=5, start=600)
    with pytest.raises(ValueError):
        Slot("weekly", weekday=5, nth=1)


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))
hours = st.one_of(
    st.just((None, None)),
    st.tuples(st.integers(0, 1439), st.integers(1, 1440)).filter(lambda h: h[0] < h[1]),
)
slots = st.one_of(
    st.builds(lambda a, b, h: Slot("dates", first=min(a, b), last=max(a, b), start=h[0], end=h[1]), days, days, hours),
    st.builds(lambda w, h: Slot("weekly", weekday=w, start=h[0], end=h[1]), st.integers(0, 6), hours),
    st.builds(
        lambda w, n, h: Slot("monthly", weekday=w, nth=n, start=h[0], end=h[1]),
        st.integers(0, 6),
        st.sampled_from([1, 2, 3, 4, -1]),
        hours,
    ),
)


@given(slots)
def test_every_slot_reads_back_from_its_text(slot: Slot) -> None:
    assert parse_slot(slot.text()) == slot


def test_a_whole_day_is_midnight_to_midnight_and_a_window_one_stretch() -> None:
    assert occurrences(parse_slot("2024-06-15"), start=D(2024, 1, 1), end=D(2024, 12, 31)) == [
        Interval(at("2024-06-15"), at("2024-06-16"))
    ]
    assert occurrences(parse_slot("2024-06-01..2024-06-30"), start=D(2024, 6, 10), end=D(2024, 7, 31)) == [
        Interval(at("2024-06-10"), at("2024-07-01"))
    ]
    assert occurrences(parse_slot("2024-06-29..2024-07-02 18:00-24:00"), start=D(2024, 6, 30), end=D(2024, 7, 1)) == [
        Interval(at("2024-06-30", "18:00"), at("2024-07-01")),
        Interval(at("2024-07-01", "18:00"), at("2024-07-02")),
    ]
    assert occurrences(parse_slot("2024-06-15"), start=D(2024, 6, 16), end=D(2024, 6, 30)) == []


def test_recurring_slots_fall_on_their_days_within_the_bounds() -> None:
    first_sat = occurrences(parse_slot("monthly first sat 09:00-12:00"), start=D(2024, 6, 2), end=D(2024, 9, 7))
    assert [i.start.isoformat(" ") for i in first_sat] == [
        "2024-07-06 09:00:00",
        "2024-08-03 09:00:00",
        "2024-09-07 09:00:00",
    ]
    last_thu = occurrences(parse_slot("monthly last thu"), start=D(2024, 1, 1), end=D(2024, 3, 31))
    assert [i.start.date().isoformat() for i in last_thu] == ["2024-01-25", "2024-02-29", "2024-03-28"]
    december = occurrences(parse_slot("monthly last sun"), start=D(2024, 12, 1), end=D(2025, 1, 31))
    assert [i.start.date().isoformat() for i in december] == ["2024-12-29", "2025-01-26"]
    weekly = occurrences(parse_slot("weekly sat 14:00-17:00"), start=D(2024, 6, 1), end=D(2024, 6, 15))
    assert weekly == [
        Interval(at("2024-06-01", "14:00"), at("2024-06-01", "17:00")),
        Interval(at("2024-06-08", "14:00"), at("2024-06-08", "17:00")),
        Interval(at("2024-06-15", "14:00"), at("2024-06-15", "17:00")),
    ]
    assert occurrences(parse_slot("weekly sat"), start=D(2024, 6, 3), end=D(2024, 6, 7)) == []
    assert occurrences(parse_slot("weekly sat"), start=D(2024, 6, 8), end=D(2024, 6, 1)) == []


def use(
    source: str,
    slot: str,
    who: str = "nc",
    *,
    resource: str = "square",
    units: int = 1,
    within: tuple[dt.date | None, dt.date | None] = (None, None),
) -> Commitment:
    return Commitment(resource, who, source, parse_slot(slot), within, units)


def summary(found: list[Contention]) -> list[tuple[str, str, int, list[str], tuple[str, ...]]]:
    return [(c.resource, c.when(), c.peak, [x.source for x in c.commitments], c.parties) for c in found]


def test_back_to_back_slots_do_not_contend_and_overlapping_ones_do() -> None:
    morning, afternoon = use("A", "2024-06-15 09:00-12:00"), use("B", "2024-06-15 12:00-15:00", "property")
    assert contentions([morning, afternoon], capacity=1) == []
    overlapping = use("C", "2024-06-15 11:00-13:00", "merchants")
    assert summary(contentions([morning, afternoon, overlapping], capacity=1)) == [
        ("square", "2024-06-15 11:00-13:00", 2, ["A", "B", "C"], ("merchants", "nc", "property")),
    ]
    assert contentions([morning, afternoon, overlapping], capacity=2) == []


def test_capacity_two_takes_two_and_the_third_contends() -> None:
    two = [use("A", "2024-06-15 09:00-12:00"), use("B", "2024-06-15 09:00-12:00", "property")]
    assert contentions(two, capacity=2) == []
    three = [*two, use("C", "2024-06-15 10:00-11:00", "merchants")]
    (found,) = contentions(three, capacity=2)
    assert (found.start, found.end, found.peak, found.capacity) == (
        at("2024-06-15", "10:00"),
        at("2024-06-15", "11:00"),
        3,
        2,
    )
    assert found.parties == ("merchants", "nc", "property")


def test_a_stretch_stays_one_while_the_commitments_in_it_change() -> None:
    found = contentions(
        [
            use("A", "2024-06-15 09:00-12:00"),
            use("B", "2024-06-15 09:00-15:00", "b"),
            use("C", "2024-06-15 12:00-15:00", "c"),
        ],
        capacity=1,
    )
    assert summary(found) == [("square", "2024-06-15 09:00-15:00", 2, ["A", "B", "C"], ("b", "c", "nc"))]


def test_the_square_for_the_market_and_the_festival_the_same_weekend() -> None:
    """The neighbourhood committee lends the square for the monthly market (first Saturday mornings, 2024);
    the property company has promised it for a festival over the first weekend of June; only 1 June contends."""
    market = use(
        "AGR-2024-003 v1",
        "monthly first sat 09:00-12:00",
        "neighbourhood-committee",
        within=(D(2024, 1, 1), D(2024, 12, 31)),
    )
    festival = use("AGR-2024-007 v1", "2024-06-01..2024-06-02", "property-co")
    (found,) = contentions([market, festival], capacity=1)
    assert found.days == (D(2024, 6, 1),)
    assert found.when() == "2024-06-01 09:00-12:00"
    assert found.describe() == (
        "'square' is promised 2 at once but has 1, on 2024-06-01 09:00-12:00: "
        "AGR-2024-003 v1 (neighbourhood-committee, monthly first sat 09:00-12:00); "
        "AGR-2024-007 v1 (property-co, 2024-06-01..2024-06-02)"
    )


def test_whole_days_merge_into_one_stretch_and_terms_bound_recurring_slots() -> None:
    exhibition = use("AGR-1 v1", "2024-06-01..2024-06-10", "museum")
    fair = use("AGR-2 v1", "2024-06-05..2024-06-20", "merchants")
    weekly = use("AGR-3 v2", "weekly sat", "club", within=(D(2024, 6, 10), D(2024, 6, 30)))
    assert summary(contentions([exhibition, fair, weekly], capacity=1)) == [
        ("square", "2024-06-05..2024-06-10", 2, ["AGR-1 v1", "AGR-2 v1"], ("merchants", "museum")),
        ("square", "2024-06-15", 2, ["AGR-2 v1", "AGR-3 v2"], ("club", "merchants")),
    ]
    (stretch,) = contentions([exhibition, fair], capacity=1)
    assert stretch.days == tuple(D(2024, 6, d) for d in range(5, 11))


def test_resources_are_counted_apart_and_units_add_up() -> None:
    room = use("AGR-5 v1", "2024-06-15 09:00-12:00", "school", resource="room-2", units=3)
    square = use("AGR-6 v1", "2024-06-15 09:00-12:00", "nc")
    assert contentions([room, square], capacity=3) == []
    assert summary(contentions([room, square], capacity=2)) == [
        ("room-2", "2024-06-15 09:00-12:00", 3, ["AGR-5 v1"], ("school",))
    ]


def test_a_horizon_bounds_open_terms_and_an_endless_recurring_slot_is_refused() -> None:
    a = use("A", "weekly sat 09:00-12:00", "nc", within=(D(2024, 1, 1), None))
    b = use("B", "weekly sat 10:00-11:00", "pc", within=(None, D(2024, 12, 31)))
    found = contentions([a, b], capacity=1, horizon=(D(2024, 6, 1), D(2024, 6, 30)))
    assert [c.when() for c in found] == [f"2024-06-{d:02d} 10:00-11:00" for d in (1, 8, 15, 22, 29)]
    with pytest.raises(InvalidInput) as error:
        contentions([a, b], capacity=1)
    assert (
        str(error.value)
        == "A: 'weekly sat 09:00-12:00' of 'square' recurs with no end; give it a term or check a period"
    )


def test_a_stretch_across_midnight_names_both_ends() -> None:
    late = [use("A", "2024-06-15 18:00-24:00"), use("B", "2024-06-15..2024-06-16", "pc")]
    assert [c.when() for c in contentions(late, capacity=1)] == ["2024-06-15 18:00-24:00"]
    night = [
        use("A", "2024-06-15 22:00-24:00"),
        use("A2", "2024-06-16 00:00-02:00"),
        use("B", "2024-06-15..2024-06-16", "pc"),
    ]
    assert [c.when() for c in contentions(night, capacity=1)] == ["2024-06-15 22:00..2024-06-16 02:00"]


def swept_whole(commitments: list[Commitment], capacity: int, horizon: tuple[dt.date, dt.date]) -> list[tuple]:
    """What ``contentions`` must give, the plain way: every commitment's every occurrence in one sweep."""
    events = []
    for index, c in enumerate(commitments):
        first, last = max(c.within[0] or horizon[0], horizon[0]), min(c.within[1] or horizon[1], horizon[1])
        for interval in occurrences(c.slot, start=first, end=last):
            events += [(interval.start, c.units, index), (interval.end, -c.units, index)]
    found, load, active, opened, members, peak = [], 0, [0] * len(commitments), None, set(), 0
    for moment in sorted({e[0] for e in events}):
        started = set()
        for _m, delta, index in (e for e in events if e[0] == moment):
            load += delta
            active[index] += 1 if delta > 0 else -1
            started |= {index} if delta > 0 else set()
        if load > capacity:
            if opened is None:
                opened, peak, members = moment, load, {i for i, n in enumerate(active) if n > 0}
            members, peak = members | started, max(peak, load)
        elif opened is not None:
            found.append((opened, moment, peak, sorted(members)))
            opened = None
    return found


near_days = st.dates(min_value=D(2024, 2, 20), max_value=D(2024, 4, 10))
near_slots = st.one_of(
    st.builds(
        lambda a, b, h: Slot("dates", first=min(a, b), last=max(a, b), start=h[0], end=h[1]),
        near_days,
        near_days,
        hours,
    ),
    st.builds(lambda w, h: Slot("weekly", weekday=w, start=h[0], end=h[1]), st.integers(5, 6), hours),
    st.builds(
        lambda w, n, h: Slot("monthly", weekday=w, nth=n, start=h[0], end=h[1]),
        st.integers(5, 6),
        st.sampled_from([1, 2, 3, 4, -1]),
        hours,
    ),
)


@given(st.lists(st.tuples(near_slots, st.integers(1, 2)), min_size=1, max_size=5), st.integers(1, 2))
def test_only_commitments_that_may_meet_are_swept_and_nothing_is_lost(
    drawn: list[tuple[Slot, int]], capacity: int
) -> None:
    """Commitments that cannot meet another one are left out of the sweep: the contentions are those of a sweep
    over every occurrence of every commitment (weekends of March 2024, so slots meet often)."""
    horizon = (D(2024, 3, 1), D(2024, 3, 31))
    commitments = [
        Commitment("square", f"p{n}", f"S{n}", slot, (None, None), units) for n, (slot, units) in enumerate(drawn)
    ]
    found = contentions(commitments, capacity=capacity, horizon=horizon)
    assert [(c.start, c.end, c.peak, [int(x.source[1:]) for x in c.commitments]) for c in found] == swept_whole(
        commitments, capacity, horizon
    )


def test_a_resource_booked_many_times_is_swept_whole() -> None:
    """Past ``PAIRED`` commitments of one resource none is left out unpaired: the sweep takes them all."""
    from coordkit.slots import PAIRED

    horizon = (D(2024, 3, 1), D(2024, 3, 31))
    slots = ["weekly sat 09:00-10:00", "weekly sun", "monthly first sat 09:30-11:00", "2024-03-16..2024-03-17"]
    commitments = [
        Commitment("room", f"p{n}", f"S{n}", parse_slot(slots[n % 4]), (None, None), 1) for n in range(PAIRED + 3)
    ]
    found = contentions(commitments, capacity=PAIRED // 4, horizon=horizon)
    assert [(c.start, c.end, c.peak, [int(x.source[1:]) for x in c.commitments]) for c in found] == swept_whole(
        commitments, PAIRED // 4, horizon
    )
    assert found  # 17 Sundays' bookings on the 3rd of March are more than 16
