"""Every failure a user can cause, each with a message that says what to do.

The CLI turns any ``CoordError`` into one line on stderr and its ``exit_code``;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CoordError(Exception):
    """Root of the errors a user can cause (bad input, missing store, refusals)."""

    exit_code = 2


class InvalidInput(CoordError):
    """A value that is malformed or out of range."""


class NotFound(CoordError):
    """A key that names nothing; the message suggests the closest key."""

    def __init__(self, kind: str, key: str, candidates: Iterable[str] = (), scope: str = "") -> None:
        where = f" in {scope}" if scope else ""
        message = f"no {kind} '{key}'{where}"
        close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
        if close:
            message += f"; did you mean '{close[0]}'?"
        super().__init__(message)
        self.kind, self.key = kind, key


class AlreadyExists(CoordError):
    """A key that is taken in its scope."""


class Refused(CoordError):
    """A change that would lose or contradict something that must be kept."""


class StoreError(CoordError):
    """The store cannot be found, opened or trusted."""


class StoreLocked(StoreError):
    """Another process holds the write lock longer than the busy timeout."""
