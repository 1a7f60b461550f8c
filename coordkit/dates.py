"""Dates as users type them and as the store keeps them (ISO 8601, ``YYYY-MM-DD``).

Windows are inclusive on both ends; ``None`` means open (since ever / for ever).
ISO strings compare in date order, so the checks work on strings directly.
"""

from __future__ import annotations

import datetime as dt

from coordkit.errors import InvalidInput


def parse_date(value: str | dt.date | None, what: str) -> dt.date | None:
    """Parse ``YYYY-MM-DD``; an impossible date is an error naming ``what``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        detail = str(exc) if "-" in value and len(value.strip()) == 10 else "expected YYYY-MM-DD"
        raise InvalidInput(f"{what}: '{value}' is not a valid date ({detail})") from None


def check_window(start: dt.date | None, end: dt.date | None, what: str) -> None:
    """Refuse a window that ends before it starts."""
    if start and end and end < start:
        raise InvalidInput(f"{what}: ends {end.isoformat()} before it starts {start.isoformat()}")


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


def day_before(value: str) -> str:
    return (dt.date.fromisoformat(value) - dt.timedelta(days=1)).isoformat()


def day_after(value: str) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat()


OPEN_START, OPEN_END = "0000-01-01", "9999-12-31"


def overlaps(a_from: str | None, a_to: str | None, b_from: str | None, b_to: str | None) -> bool:
    """Inclusive windows overlap when each starts on or before the day the other ends."""
    return (a_from or OPEN_START) <= (b_to or OPEN_END) and (b_from or OPEN_START) <= (a_to or OPEN_END)


def covers(start: str | None, end: str | None, day: str) -> bool:
    return (start or OPEN_START) <= day <= (end or OPEN_END)
