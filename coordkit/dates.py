"""Dates as users type them and as the store keeps them (ISO 8601, ``YYYY-MM-DD``).

Windows are inclusive on both ends; ``None`` means open (since ever / for ever).
ISO strings compare in date order, so the checks work on strings directly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from coordkit.errors import InvalidInput
from coordkit.i18n import N_, _
from coordkit.textparse import fold

FORMS = N_("2025-03-01, 2025/3/1 or 2025年3月1日")  # translated where a message names it
# 2025-3-1, 2025/3/1, 2025.3.1 (one separator, used twice) or 2025年3月1日 (日 or 号).
_TYPED = re.compile(
    r"(?P<year>[0-9]{4})(?:(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    r"|\s*年\s*(?P<month_zh>[0-9]{1,2})\s*月\s*(?P<day_zh>[0-9]{1,2})\s*[日号])"
)


def parse_date(value: str | dt.date | None, what: str) -> dt.date | None:
    """``2025-03-01``, ``2025-3-1``, ``2025/3/1``, ``2025.3.1`` or ``2025年3月1日`` → 1 March 2025.

    Full-width digits and surrounding spaces (the ideographic one too) are
    accepted; the year has four digits (0001 to 9999) so that ``3/1/2025``
    is never read year-first. What ``date.fromisoformat`` accepts is read by
    it first, exactly as before. An impossible date names ``what``, the value,
    why (``2025-02 has 28 days``) and the forms accepted.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    found = _TYPED.fullmatch(fold(text).strip())
    if not found:
        raise InvalidInput(
            _("{what} '{value}' is not a date; use {forms}").format(what=what, value=text, forms=_(FORMS))
        )
    year = int(found["year"])
    month = int(found["month"] or found["month_zh"])
    day = int(found["day"] or found["day_zh"])
    if year < 1:
        reason = _("there is no year 0")
    elif not 1 <= month <= 12:
        reason = _("there is no month {month}").format(month=month)
    elif not 1 <= day <= calendar.monthrange(year, month)[1]:
        reason = _("{year}-{month:02d} has {days} days").format(
            year=year, month=month, days=calendar.monthrange(year, month)[1]
        )
    else:
        return dt.date(year, month, day)
    raise InvalidInput(
        _("{what} '{value}' is not a date ({reason}); use {forms}").format(
            what=what, value=text, reason=reason, forms=_(FORMS)
        )
    )


def iso(value: dt.date | str | None) -> str | None:
    """The store's text form of a date (drivers return ``date`` or ``str``)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def today() -> dt.date:
    return dt.date.today()


OPEN_START, OPEN_END = "0000-01-01", "9999-12-31"
FIRST_DAY = dt.date.min.isoformat()  # 0001-01-01: OPEN_START sorts before it but is no day


def add_days(value: str, days: int) -> str:
    """``value`` moved by ``days``, clamped to the calendar (0001-01-01 to 9999-12-31).

    Past either edge the answer is the edge itself: ``add_days('9999-12-30', 30)``
    is ``'9999-12-31'``, the store's "for ever" (``OPEN_END``), because "30 days
    after 30 December 9999" has no date and every later limit means the same
    thing as the last day. The result is always a real date, so it can be
    stored (PostgreSQL has no year 0) and parsed again. ``OPEN_START``
    (``'0000-01-01'``, "since ever") is returned unchanged.
    """
    if value == OPEN_START:
        return value
    day = dt.date.fromisoformat(value)
    try:
        return (day + dt.timedelta(days=days)).isoformat()
    except OverflowError:
        return (dt.date.max if days > 0 else dt.date.min).isoformat()


def day_before(value: str) -> str:
    """The previous day; ``'0001-01-01'`` (the calendar's first day) has none and stays itself."""
    return add_days(value, -1)


def day_after(value: str) -> str:
    """The next day; ``'9999-12-31'`` (the last day, also ``OPEN_END``) has none and stays itself."""
    return add_days(value, 1)


def overlaps(a_from: str | None, a_to: str | None, b_from: str | None, b_to: str | None) -> bool:
    """Inclusive windows overlap when each starts on or before the day the other ends."""
    return (a_from or OPEN_START) <= (b_to or OPEN_END) and (b_from or OPEN_START) <= (a_to or OPEN_END)


def covers(start: str | None, end: str | None, day: str) -> bool:
    return (start or OPEN_START) <= day <= (end or OPEN_END)


def local_time(value: str | dt.datetime | None) -> str:
    """``2026-11-28T01:07:31.531037Z`` → ``2026-11-28 09:07:31`` in UTC+8: a stored UTC time as people read it.

    Local to the machine (``TZ`` where set), to the second; a time without a
    zone is taken as UTC, as the store writes them. Text that is no time is
    returned as it is. JSON and YAML keep the stored UTC ISO form.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    else:
        moment = value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
