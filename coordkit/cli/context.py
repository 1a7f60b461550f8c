"""The store a command works on, opened once per command and closed after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coordkit.storage.engine import Store
    from coordkit.storage.sql import Conn


class State:
    """Global options, set by the root callback."""

    db: str | None = None


state = State()


@contextmanager
def store() -> Iterator[Store]:
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import locate

    opened = open_store(locate(state.db))
    try:
        yield opened
    finally:
        opened.dispose()


@contextmanager
def reading() -> Iterator[Conn]:
    with store() as opened, opened.read() as conn:
        yield conn


@contextmanager
def writing() -> Iterator[Conn]:
    with store() as opened, opened.write() as conn:
        yield conn
