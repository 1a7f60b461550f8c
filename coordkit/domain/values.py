"""Checks of single values that every entity uses: keys, texts, choices, levels, windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from coordkit.errors import CoordError, InvalidInput, did_you_mean
from coordkit.i18n import _
from coordkit.vocab import SLUG_RE


@contextmanager
def at(*path: str | int) -> Iterator[None]:
    """Errors raised inside are about ``path`` (prefixed to their own field path)."""
    try:
        yield
    except CoordError as error:
        error.field = (*path, *error.field)
        raise


def check_slug(key: str, what: str) -> str:
    """Keys are slugs: lower-case letters, digits, '.', '_' and '-' (they become file names and URLs)."""
    if not SLUG_RE.match(key or ""):
        raise InvalidInput(
            f"{what} key '{key}' is not a slug: use lower-case letters, digits, '-', '_' "
            "or '.', starting with a letter or digit (at most 64)",
            field=("key",),
        )
    return key


def check_text(value: str | None, what: str, *, field: str | None = None) -> str:
    """A required text, trimmed; only spaces is as empty as nothing."""
    if value is None or not value.strip():
        raise InvalidInput(f"{what} must not be empty", field=(field or what,))
    return value.strip()


def optional_text(value: str | None) -> str | None:
    """An optional text, trimmed; empty means absent."""
    return value.strip() or None if value is not None else None


def check_choice(value: str, choices: Iterable[str], what: str, *, field: str | None = None) -> str:
    """One of ``choices``; ``Property_Management`` and ``property management`` are taken as ``property-management``."""
    options = list(choices)
    if value in options:
        return value
    lowered = value.lower().replace("_", "-").replace(" ", "-")
    if lowered in options:
        return lowered
    raise InvalidInput(
        f"{what} '{value}' is not one of: {', '.join(options)}{did_you_mean(value, options)}", field=(field or what,)
    )


def check_level(value: int | None, what: str) -> int | None:
    """Influence and interest are scored 1 (low) to 5 (high), as on a power/interest grid."""
    if value is not None and not 1 <= value <= 5:
        raise InvalidInput(f"{what} must be from 1 to 5 (got {value})", field=(what,))
    return value


def iso_text(value: str | dt.date | None) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def check_window(start: str | dt.date | None, end: str | dt.date | None, what: str, *, field: str = "to") -> None:
    """Refuse a window that ends before it starts (windows are inclusive, so one day is start == end);
    ``field`` names the end (``to``, ``end``, ``expires``) for files."""
    first, last = iso_text(start), iso_text(end)
    if first and last and last < first:
        raise InvalidInput(
            _("{what}: ends {end} before it starts {start}").format(what=what, end=last, start=first), field=(field,)
        )
