"""Checks of single values that every entity uses: keys, texts, choices, levels, windows.

Every text a person gives passes through here, from the command line and from
files alike, before any database sees it: so SQLite and PostgreSQL take and
refuse exactly the same values. PostgreSQL cannot store a NUL character and
limits some columns to 32 characters; a terminal set to GBK sends bytes that
are not UTF-8 (Python keeps them as lone surrogates, which no database can
encode). Each is refused here in one line that names the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from coordkit.errors import CoordError, InvalidInput, did_you_mean, kind_name
from coordkit.i18n import _
from coordkit.limits import FIELD_CHARS, TEXT_CHARS
from coordkit.vocab import SLUG_RE

SHOWN_CHARS = 80  # how much of a refused value a message repeats: a 10 MB name is not echoed whole


@contextmanager
def at(*path: str | int) -> Iterator[None]:
    """Errors raised inside are about ``path`` (prefixed to their own field path)."""
    try:
        yield
    except CoordError as error:
        error.field = (*path, *error.field)
        raise


def shown(value: str) -> str:
    """``value`` as a one-line message may repeat it: at most 80 characters; control characters and
    bytes that are not UTF-8 written as ``\\n``, ``\\xc1`` (a key ending in a newline stays on one line)."""
    text = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
    return "".join(_shown_char(ch) for ch in text)


def _shown_char(ch: str) -> str:
    if "\udc80" <= ch <= "\udcff":
        return f"\\x{ord(ch) - 0xDC00:02x}"
    if "\ud800" <= ch <= "\udfff" or ch < " " or "\x7f" <= ch <= "\x9f":
        return repr(ch)[1:-1]
    return ch


def not_utf8(value: str) -> str | None:
    """The bytes of ``value`` that were not UTF-8 (``0xc1 0xd4``), or None when it is all text.

    Python decodes such bytes in an argument to lone surrogates (U+DC80–U+DCFF); no database can encode them.
    """
    bad = [ord(ch) - 0xDC00 for ch in value if "\udc80" <= ch <= "\udcff"]
    if bad:
        return " ".join(f"0x{byte:02x}" for byte in bad[:8]) + (" …" if len(bad) > 8 else "")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "?"
    return None


def check_plain(value: str, what: str, *, field: str | None = None, limit: int | None = None) -> str:
    """``value`` if a database can keep it exactly: no NUL, only UTF-8 text, at most ``limit`` characters.

    The limit is the field's (``coordkit.limits.FIELD_CHARS``: 200 for a name, 32 for a contact
    channel or an agreement kind), else 10,000 characters.
    """
    name = field or what
    path = (name,)
    if "\x00" in value:
        raise InvalidInput(_("{what} holds a NUL character (\\0); remove it").format(what=what), field=path)
    bytes_ = not_utf8(value)
    if bytes_ is not None:
        raise InvalidInput(
            _(
                "{what} holds bytes that are not UTF-8 text ({bytes}); set the terminal or file to UTF-8 "
                "(a GBK terminal sends other bytes) and type it again"
            ).format(what=what, bytes=bytes_),
            field=path,
        )
    longest = limit if limit is not None else FIELD_CHARS.get(name.rsplit(".", 1)[-1], TEXT_CHARS)
    if len(value) > longest:
        raise InvalidInput(
            _("{what} is {length:,} characters long; at most {limit:,} are allowed").format(
                what=what, length=len(value), limit=longest
            ),
            field=path,
        )
    return value


def check_slug(key: str, what: str) -> str:
    """Keys are slugs: lower-case letters, digits, '.', '_' and '-' (they become file names and URLs).

    The whole key must match: ``re.match`` with ``$`` would let ``'report\\n'`` through.
    """
    if not SLUG_RE.fullmatch(key or ""):
        raise InvalidInput(
            _(
                "{kind} key '{key}' is not a slug: use lower-case letters, digits, '-', '_' "
                "or '.', starting with a letter or digit (at most 64)"
            ).format(kind=kind_name(what), key=shown(key or "")),
            field=("key",),
        )
    return key


def check_text(value: str | None, what: str, *, field: str | None = None, limit: int | None = None) -> str:
    """A required text, trimmed; only spaces is as empty as nothing; no NUL, UTF-8, within its limit."""
    if value is None or not value.strip():
        raise InvalidInput(_("{what} must not be empty").format(what=what), field=(field or what,))
    return check_plain(value.strip(), what, field=field, limit=limit)


def optional_text(
    value: str | None, what: str = "text", *, field: str | None = None, limit: int | None = None
) -> str | None:
    """An optional text, trimmed; empty means absent; no NUL, UTF-8, within its limit."""
    if value is None or not value.strip():
        return None
    return check_plain(value.strip(), what, field=field, limit=limit)


def check_choice(value: str, choices: Iterable[str], what: str, *, field: str | None = None) -> str:
    """One of ``choices``; ``Property_Management`` and ``property management`` are taken as ``property-management``."""
    options = list(choices)
    if value in options:
        return value
    lowered = value.lower().replace("_", "-").replace(" ", "-")
    if lowered in options:
        return lowered
    hint = did_you_mean(value, options) if len(value) <= SHOWN_CHARS else ""
    raise InvalidInput(
        _("{what} '{value}' is not one of: {options}").format(
            what=_(what), value=shown(value), options=", ".join(options)
        )
        + hint,
        field=(field or what,),
    )


def check_level(value: int | None, what: str) -> int | None:
    """Influence and interest are scored 1 (low) to 5 (high), as on a power/interest grid."""
    if value is not None and not 1 <= value <= 5:
        raise InvalidInput(
            _("{what} must be from 1 to 5 (got {value})").format(what=_(what), value=value), field=(what,)
        )
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
