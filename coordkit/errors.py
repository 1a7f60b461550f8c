"""Every failure a user can cause, each with a message that says what to do.

The CLI turns any ``CoordError`` into one line on stderr and its ``exit_code``;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CoordError(Exception):
    """Root of the errors a user can cause (bad input, missing store, refusals).

    ``field`` is the path of the value at fault inside the thing checked
    (``("assignments", 1, "to")``), so that ``coord apply`` can say where in a
    file it is; the message itself is the same wherever the value came from.
    """

    exit_code = 2

    def __init__(self, message: str = "", *, field: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.field = field


class InvalidInput(CoordError):
    """A value that is malformed or out of range."""


class NotFound(CoordError):
    """A key that names nothing; the message suggests the closest key."""

    def __init__(self, kind: str, key: str, candidates: Iterable[str] = (), scope: str = "") -> None:
        where = f" in {scope}" if scope else ""
        super().__init__(f"no {kind} '{key}'{where}{did_you_mean(key, candidates)}")
        self.kind, self.key = kind, key


class AlreadyExists(CoordError):
    """A key that is taken in its scope."""


class Refused(CoordError):
    """A change that would lose or contradict something that must be kept."""


class StoreError(CoordError):
    """The store cannot be found, opened or trusted."""


class StoreLocked(StoreError):
    """Another process holds the write lock longer than the busy timeout."""


def did_you_mean(value: str, candidates: Iterable[str], *, otherwise: str | None = None) -> str:
    """``"; did you mean 'liede-sw'?"`` for the closest candidate; when none is close, nothing, or
    with ``otherwise`` the whole list (``"; rules: no-accountable, …"``)."""
    options = list(candidates)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; {otherwise}: {', '.join(options)}" if otherwise else ""
