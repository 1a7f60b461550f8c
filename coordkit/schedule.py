"""What falls due when: cadences, recurring obligations, terms that renew, reviews.

Pure functions over ``datetime.date``; the services read the store and call
them, the due list and the calendar are built from what they return.

Rules, each decided once here:

- Month arithmetic counts from the ANCHOR and clamps to the month's end:
  31 January 2024 + 1 month is 29 February, + 2 months is 31 March (not
  29 March, which chaining from the previous date would give); 29 February
  2024 + 1 year is 28 February 2025.
- A recurring obligation in a term [start, end] has one occurrence per period
  counted from ``start``, due on the period's last day (a term from 1 January,
  quarterly: 31 March, 30 June, 30 September, 31 December); a final partial
  period is due on the term's last day, and a term shorter than one period
  has one occurrence, on its last day. With ``first_due`` the occurrences are
  ``first_due`` and then ``first_due`` + k periods while within the term.
- Listed dates are refused, not dropped, when they fall outside the term: an
  agreement that says "report on 1 March 2026" for a term ending 2025 is a
  mistake in the agreement that the coordinator must see.
- Notice periods follow Article 201 of the Civil Code (the day an act is
  done does not count): 3 months' notice for a term ending 31 December must
  be given by 30 September, 30 days' notice by 1 December.
- Nothing returns an unbounded list: an open-ended term needs ``until``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from coordkit.dates import parse_date
from coordkit.errors import InvalidInput
from coordkit.i18n import _

Unit = Literal["d", "w", "m", "y"]
Renewal = Literal["none", "tacit"]
TermDateKind = Literal["notice", "renewal", "expiry"]

ONE_DAY = dt.timedelta(days=1)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_length(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` + ``months``, the day clamped to the month's end, never rolled into the next month.

    31 January 2024 + 1 is 29 February, 31 March - 1 is 29 February (leap year),
    31 August + 1 is 30 September. Raises OverflowError beyond years 1–9999.
    The same results as ``dateutil.relativedelta(months=n)`` (the tests check
    it) at a tenth of the cost, which matters for 100,000 occurrences.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    month += 1
    return dt.date(year, month, min(day.day, _month_length(year, month)))


@dataclass(frozen=True, slots=True)
class Cadence:
    """A period such as ``3m``: ``count`` days, weeks, months or years."""

    count: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in ("d", "w", "m", "y") or self.count < 1:
            raise ValueError(f"not a cadence: {self.count}{self.unit}")

    def text(self) -> str:
        """The canonical text, ``3m``; ``parse_cadence(c.text()) == c``."""
        return f"{self.count}{self.unit}"

    def after(self, anchor: dt.date, times: int = 1) -> dt.date:
        """``anchor`` + ``times`` periods, counted from the anchor so month ends never drift.

        Negative ``times`` go back (notice deadlines). OverflowError beyond year 9999.
        """
        if self.unit == "d":
            return anchor + dt.timedelta(days=self.count * times)
        if self.unit == "w":
            return anchor + dt.timedelta(weeks=self.count * times)
        return add_months(anchor, self.count * times * (12 if self.unit == "y" else 1))


def _after(cadence: Cadence, anchor: dt.date, times: int) -> dt.date | None:
    """``cadence.after`` with None for "past the end of the calendar" (a term ending 9999-12-31)."""
    try:
        return cadence.after(anchor, times)
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class Recurrence:
    """When an obligation falls due: every ``cadence``, or on each of ``dates`` (sorted, distinct)."""

    cadence: Cadence | None = None
    dates: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        if (self.cadence is None) == (not self.dates):
            raise ValueError("a recurrence has either a cadence or dates")
        if list(self.dates) != sorted(set(self.dates)):
            raise ValueError("recurrence dates must be sorted and distinct")

    def text(self) -> str:
        """``3m`` or ``2024-03-31, 2024-06-30``: what YAML and the terms hash store.

        Words are stored as their cadence (``quarterly`` and ``每季度`` are both
        ``3m``) so writing the Chinese word does not change an agreement's hash.
        """
        if self.cadence is not None:
            return self.cadence.text()
        return ", ".join(day.isoformat() for day in self.dates)


_UNITS: dict[str, Unit] = {
    "d": "d",
    "day": "d",
    "days": "d",
    "w": "w",
    "wk": "w",
    "wks": "w",
    "week": "w",
    "weeks": "w",
    "m": "m",
    "mo": "m",
    "month": "m",
    "months": "m",
    "y": "y",
    "yr": "y",
    "yrs": "y",
    "year": "y",
    "years": "y",
}
_WORDS: dict[str, tuple[int, Unit]] = {
    "daily": (1, "d"),
    "weekly": (1, "w"),
    "fortnightly": (2, "w"),
    "monthly": (1, "m"),
    "quarterly": (3, "m"),
    "half-yearly": (6, "m"),
    "half yearly": (6, "m"),
    "semi-annually": (6, "m"),
    "semiannually": (6, "m"),
    "yearly": (1, "y"),
    "annually": (1, "y"),
    "每半年": (6, "m"),
    "半年": (6, "m"),
}
_ZH_UNITS: dict[str, tuple[int, Unit]] = {
    "天": (1, "d"),
    "日": (1, "d"),
    "周": (1, "w"),
    "星期": (1, "w"),
    "月": (1, "m"),
    "季度": (3, "m"),
    "季": (3, "m"),
    "年": (1, "y"),
}
_EN_RE = re.compile(r"^(?:every\s*)?(\d{1,4})\s*([a-z]+)$")
_ZH_RE = re.compile(
    r"^(?:每\s*(\d{1,4})?|(\d{1,4}))\s*个?\s*(天|日|周|星期|月|季度|季|年)$"
)  # 每2周, 每月, 30天 (notice)
_DATE_LIKE = re.compile(r"\d{1,4}\s*[-/.年]\s*\d{1,2}")
_SEPARATORS = re.compile(r"[,;、\s]+")


def _cadence_error(value: str, what: str) -> InvalidInput:
    return InvalidInput(
        _(
            "{what} '{value}' is not a cadence: use a number and d, w, m or y (90d, 2w, 3m, 1y), "
            "weekly, monthly, quarterly, half-yearly, yearly (每周, 每月, 每季度, 每半年, 每年) or dates (2024-03-31, 2024-06-30)"
        ).format(what=what, value=value)
    )


def _cadence_from_text(text: str) -> Cadence | None:
    """``text`` already NFKC-normalised, stripped and lower-cased; None when it is no cadence."""
    if text in _WORDS:
        count, unit = _WORDS[text]
        return Cadence(count, unit)
    match = _EN_RE.match(text)
    if match and match.group(2) in _UNITS:
        count = int(match.group(1))
        return Cadence(count, _UNITS[match.group(2)]) if 1 <= count <= 9999 else None
    if text.startswith("every "):
        # "every week", "every month"
        word = _UNITS.get(text[len("every ") :].strip())
        return Cadence(1, word) if word else None
    match = _ZH_RE.match(text)
    if match:
        times = int(match.group(1) or match.group(2) or "1")
        count, unit = _ZH_UNITS[match.group(3)]
        return Cadence(count * times, unit) if 1 <= count * times <= 9999 else None
    return None


def parse_cadence(value: str | Cadence, *, what: str = "every") -> Cadence:
    """``3m``, ``90 days``, ``quarterly``, ``每季度``, ``每2周``, ``３ｍ`` (full width) → a Cadence.

    ``what`` names the field or option in the one-line error (``--review-every``, ``notice``).
    """
    if isinstance(value, Cadence):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    found = _cadence_from_text(text)
    if found is None:
        raise _cadence_error(str(value), what)
    return found


def parse_recurrence(
    value: str | dt.date | Sequence[str | dt.date] | Cadence | Recurrence, *, what: str = "every"
) -> Recurrence:
    """A cadence (see ``parse_cadence``) or one or more dates (a YAML list, or text split at , ， 、 ; and spaces).

    ``parse_recurrence(r.text()) == r`` for every Recurrence ``r``.
    """
    if isinstance(value, Recurrence):
        return value
    if isinstance(value, Cadence):
        return Recurrence(cadence=value)
    if isinstance(value, dt.date):
        return Recurrence(dates=(value,))
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lower()
        cadence = _cadence_from_text(text)
        if cadence is not None:
            return Recurrence(cadence=cadence)
        if not _DATE_LIKE.search(text):
            raise _cadence_error(value, what)
        parts: Sequence[str | dt.date] = [part for part in _SEPARATORS.split(text) if part]
    else:
        parts = list(value)
    days = []
    for part in parts:
        day = parse_date(part, what)
        if day is None:
            continue
        days.append(day)
    if not days:
        raise _cadence_error(str(value), what)
    return Recurrence(dates=tuple(sorted(set(days))))


def occurrences(
    rec: Recurrence,
    *,
    start: dt.date,
    end: dt.date | None,
    first_due: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dt.date]:
    """The due dates of an obligation within the term [start, end], both inclusive, up to ``until``.

    Quarterly in 1 January – 31 December 2024: 31 March, 30 June, 30 September,
    31 December; in 1 January – 15 August: 31 March, 30 June, 15 August (the
    partial period is due on the last day); in 1 January – 15 February: 15 February.
    ``end=None`` (open-ended) requires ``until``. Listed dates outside the term
    are refused; ``first_due`` outside the term too.
    """
    if end is None and until is None:
        raise ValueError("an open-ended term needs a horizon (until)")
    if end is not None and end < start:
        raise InvalidInput(
            _("the term ends {end} before it starts {start}").format(end=end.isoformat(), start=start.isoformat())
        )
    limit = min(d for d in (end, until) if d is not None)
    if rec.cadence is None:
        if first_due is not None:
            raise ValueError("first_due applies to a cadence, not to listed dates")
        for day in rec.dates:
            if day < start or (end is not None and day > end):
                raise _outside(day, start, end, "every")
        return [day for day in rec.dates if day <= limit]
    found: list[dt.date] = []
    if first_due is not None:
        if first_due < start or (end is not None and first_due > end):
            raise _outside(first_due, start, end, "first due")
        if first_due <= limit:
            found.append(first_due)
            for next_due in _steps(rec.cadence, first_due):
                if next_due > limit:
                    break
                found.append(next_due)
        return found
    period_start = start
    steps = _steps(rec.cadence, start)
    while period_start <= limit:
        following = next(steps, None)
        if following is None:  # the period ends past the calendar: due on the term's end, if it has one
            if end is not None and end <= limit:
                found.append(end)
            break
        due = following - ONE_DAY
        if end is not None and due > end:
            due = end
        if due > limit:
            break
        found.append(due)
        period_start = following
    return found


def _steps(cadence: Cadence, anchor: dt.date) -> Iterator[dt.date]:
    """``anchor`` + 1, 2, 3 … periods, until the calendar ends (year 9999).

    Days and weeks step by addition; months are counted from the anchor each
    time (31 January, 29 February, 31 March), never from the previous date.
    """
    try:
        if cadence.unit in ("d", "w"):
            step = dt.timedelta(days=cadence.count * (7 if cadence.unit == "w" else 1))
            day = anchor
            while True:
                day += step
                yield day
        months = cadence.count * (12 if cadence.unit == "y" else 1)
        k = 1
        while True:
            yield add_months(anchor, months * k)
            k += 1
    except OverflowError:
        return


def _outside(day: dt.date, start: dt.date, end: dt.date | None, what: str) -> InvalidInput:
    return InvalidInput(
        _("{what}: {date} is outside the term {start} – {end}; remove the date or change the term").format(
            what=what, date=day.isoformat(), start=start.isoformat(), end=end.isoformat() if end else "…"
        )
    )


# Terms that end, and terms that renew.

_RENEWALS: dict[str, Renewal] = {
    "none": "none",
    "no": "none",
    "不续期": "none",
    "不自动续期": "none",
    "tacit": "tacit",
    "auto": "tacit",
    "automatic": "tacit",
    "自动续期": "tacit",
    "默示续期": "tacit",
}


def parse_renewal(value: str | None, *, what: str = "renewal") -> Renewal:
    """``none`` (the default) or ``tacit``; also ``auto``, 自动续期, 不续期."""
    if value is None or not value.strip():
        return "none"
    found = _RENEWALS.get(unicodedata.normalize("NFKC", value).strip().lower())
    if found is None:
        raise InvalidInput(
            _("{what} '{value}' is not a renewal: use none or tacit (不续期, 自动续期)").format(what=what, value=value)
        )
    return found


@dataclass(frozen=True, slots=True)
class Term:
    """An agreement's term: ``effective`` to ``expires`` (inclusive; None is open-ended).

    ``renewal="tacit"`` renews the term for the same length unless notice is
    given: ``notice_given`` is the day a party gave it (the term then ends with
    the first period whose notice deadline is on or after that day).
    """

    effective: dt.date
    expires: dt.date | None = None
    notice: Cadence | None = None
    renewal: Renewal = "none"
    notice_given: dt.date | None = None

    def __post_init__(self) -> None:
        if self.renewal not in ("none", "tacit"):
            raise ValueError(f"renewal is none or tacit, not {self.renewal!r}")
        if self.expires is not None and self.expires < self.effective:
            raise InvalidInput(
                _("the term ends {end} before it starts {start}").format(
                    end=self.expires.isoformat(), start=self.effective.isoformat()
                )
            )
        if self.renewal == "tacit" and self.expires is None:
            raise InvalidInput(_("a term that renews tacitly needs an end date (expires)"))

    def length(self) -> Cadence | None:
        """The length a renewal repeats: whole months when the term is (1 January – 31 December 2024 renews as
        1 January – 31 December 2025, a year, not 366 days), else days. None when open-ended."""
        if self.expires is None:
            return None
        after = self.expires + ONE_DAY
        months = (after.year - self.effective.year) * 12 + after.month - self.effective.month
        if months >= 1 and add_months(self.effective, months) == after:
            return Cadence(months, "m")
        return Cadence((after - self.effective).days, "d")


def _period(term: Term, k: int) -> tuple[dt.date, dt.date] | None:
    """The k-th period (0 is the signed term) of a term with an end; None past the calendar's end."""
    assert term.expires is not None
    if k == 0:
        return term.effective, term.expires
    length = term.length()
    if length is None:
        return None
    start, following = _after(length, term.effective, k), _after(length, term.effective, k + 1)
    if start is None:
        return None
    return start, following - ONE_DAY if following is not None else dt.date.max


def _deadline(term: Term, end: dt.date) -> dt.date | None:
    """The last day to give notice for a period ending ``end`` (Civil Code art. 201: the day of notice does not count)."""
    if term.notice is None:
        return end
    return _after(term.notice, end, -1)


def _last_index(term: Term) -> int | None:
    """Index of the final period: 0 without tacit renewal, None while a tacit term renews for ever."""
    if term.renewal == "none":
        return 0
    if term.notice_given is None:
        return None
    k = 0
    while (period := _period(term, k)) is not None:
        deadline = _deadline(term, period[1])
        if deadline is None or deadline >= term.notice_given:
            return k
        k += 1
    return k - 1


def _index(term: Term, on: dt.date) -> int:
    """The index of the period that contains ``on`` (on >= effective, the term has an end)."""
    length = term.length()
    if length is None:
        return 0
    if length.unit == "d":
        k = (on - term.effective).days // length.count
    else:
        months = (on.year - term.effective.year) * 12 + on.month - term.effective.month
        k = max(0, months // length.count)
        while k > 0 and (period := _period(term, k)) is not None and period[0] > on:
            k -= 1
        while (period := _period(term, k + 1)) is not None and period[0] <= on:
            k += 1
    return k


def current_term(term: Term, on: dt.date) -> tuple[dt.date, dt.date | None] | None:
    """The period of ``term`` containing ``on``, walking tacit renewals; None before it starts or after it ended.

    The end is None only for an open-ended term. A yearly tacit term signed for
    2024 gives (2026-01-01, 2026-12-31) on 2026-05-01.
    """
    if on < term.effective:
        return None
    if term.expires is None:
        return term.effective, None
    if term.renewal == "none":
        return (term.effective, term.expires) if on <= term.expires else None
    k = _index(term, on)
    last = _last_index(term)
    if last is not None and k > last:
        return None
    return _period(term, k)


def notice_date(term: Term, on: dt.date) -> dt.date | None:
    """The last day to give notice that the term in force on ``on`` is to end (not renew), or None.

    Counted back from the CURRENT period's end, not the first one: a yearly
    tacit term from 2024 with 3 months' notice gives 2026-09-30 on 2026-05-01.
    A date before ``on`` means this period's chance has passed: it renews.
    None when the term has no notice period, is open-ended or not in force.
    """
    if term.notice is None:
        return None
    period = current_term(term, on)
    if period is None or period[1] is None:
        return None
    return _deadline(term, period[1])


@dataclass(frozen=True, slots=True)
class TermDate:
    """A dated moment of a term: the notice deadline, a renewal (the new period's first day) or the expiry."""

    kind: TermDateKind
    date: dt.date
    term_start: dt.date
    term_end: dt.date


def term_dates(term: Term, *, start: dt.date, end: dt.date) -> list[TermDate]:
    """Notice deadlines, renewals and the expiry of ``term`` within [start, end], in date order.

    A tacit term renewing every year from 2024 lists, for 2025: notice
    2025-09-30 (with 3 months' notice) and renewal 2026-01-01 only if the
    window reaches it. A term whose notice was given lists its expiry.
    """
    if term.expires is None or end < start:
        return []
    last = _last_index(term)
    k = _index(term, max(start, term.effective))
    if last is not None:
        k = min(k, last)
    found: list[TermDate] = []
    while (last is None or k <= last) and (period := _period(term, k)) is not None:
        period_start, period_end = period
        deadline = _deadline(term, period_end) if term.notice is not None else None
        if period_start > end and (deadline is None or deadline > end):
            break
        if k > 0 and start <= period_start <= end:
            found.append(TermDate("renewal", period_start, period_start, period_end))
        if deadline is not None and start <= deadline <= end and (last is None or k < last or term.renewal == "none"):
            found.append(TermDate("notice", deadline, period_start, period_end))
        if k == last and start <= period_end <= end:
            found.append(TermDate("expiry", period_end, period_start, period_end))
        k += 1
    found.sort(key=lambda item: (item.date, item.kind))
    return found


def due_dates(rec: Recurrence, term: Term, *, until: dt.date, first_due: dt.date | None = None) -> list[dt.date]:
    """An obligation's due dates across the term and its tacit renewals, up to ``until``.

    Each renewed period repeats the cadence from its own start (and ``first_due``
    moves with it by the term's length); listed dates belong to the signed term only.
    """
    if term.expires is None or term.renewal == "none" or rec.cadence is None:
        return occurrences(rec, start=term.effective, end=term.expires, first_due=first_due, until=until)
    last = _last_index(term)
    length = term.length()
    found: list[dt.date] = []
    k = 0
    while (last is None or k <= last) and (period := _period(term, k)) is not None and period[0] <= until:
        shifted = None
        if first_due is not None:
            shifted = first_due if k == 0 or length is None else _after(length, first_due, k)
            if shifted is not None and not period[0] <= shifted <= period[1]:
                shifted = None
        found.extend(occurrences(rec, start=period[0], end=period[1], first_due=shifted, until=until))
        k += 1
    return found


def review_dates(
    effective: dt.date,
    expires: dt.date | None,
    cadence: Cadence | str,
    *,
    last_review: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dt.date]:
    """Reviews due every ``cadence`` after the last one held (else after ``effective``), up to the term's end.

    Every 6 months from 1 January 2024 to 31 December 2025: 1 July 2024,
    1 January 2025, 1 July 2025; a review held on 15 March 2025 moves the
    next ones to 15 September 2025. ``expires=None`` requires ``until``.
    """
    if expires is None and until is None:
        raise ValueError("an open-ended term needs a horizon (until)")
    period = parse_cadence(cadence, what="review_every")
    limit = min(d for d in (expires, until) if d is not None)
    anchor = last_review if last_review is not None and last_review > effective else effective
    found: list[dt.date] = []
    for day in _steps(period, anchor):
        if day > limit:
            break
        found.append(day)
    return found


def span_days(text: str, start: dt.date, *, what: str) -> int:
    """How many days ``30d``, ``2w``, ``3m``, ``1y`` (or a bare number of days) reach from ``start``: months count
    on the calendar, so ``1m`` from 31 January is 29 days in 2024."""
    value = text.strip()
    if value.isdigit():
        return int(value)
    cadence = parse_cadence(value, what=what)
    if cadence.unit == "d":
        return cadence.count
    if cadence.unit == "w":
        return cadence.count * 7
    months = cadence.count * (12 if cadence.unit == "y" else 1)
    return (add_months(start, months) - start).days
