"""Run one SQL statement on either kind of connection the store hands out.

A SQLite store is used through the standard ``sqlite3`` module (importing
SQLAlchemy costs more, about 0.3 s here, than a whole command may take); a
server database through a SQLAlchemy Core connection. Both take the same SQL
with ``:name`` parameters, so services write it once.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from sqlalchemy import Connection as SAConnection

Conn = Union[sqlite3.Connection, "SAConnection"]
Params = Mapping[str, Any] | None


@lru_cache(maxsize=256)
def _row_type(names: tuple[str, ...]) -> Any:
    return namedtuple("Row", names, rename=True)


def _namedtuple_rows(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Any:
    return _row_type(tuple(column[0] for column in cursor.description))(*row)


def configure_sqlite(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Rows with attribute access, like SQLAlchemy's."""
    conn.row_factory = _namedtuple_rows
    return conn


def insert(conn: Conn, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row and return its id."""
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    if isinstance(conn, sqlite3.Connection):
        rowid = conn.execute(sql, dict(values)).lastrowid  # RETURNING needs SQLite 3.35; lastrowid works everywhere
        assert rowid is not None
        return rowid
    return int(scalar(conn, sql + " RETURNING id", values))


def rows(conn: Conn, sql: str, params: Params = None) -> list[Any]:
    """All rows; each supports ``row.column`` and tuple unpacking."""
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql, dict(params or {})).fetchall()
    from sqlalchemy import text

    return list(conn.execute(text(sql), dict(params or {})))


def tuples(conn: Conn, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
    """All rows as plain tuples: the fastest form, for reads of many rows."""
    if isinstance(conn, sqlite3.Connection):
        cursor = conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, dict(params or {})).fetchall()
    from sqlalchemy import text

    return [tuple(row) for row in conn.execute(text(sql), dict(params or {}))]


def stream(conn: Conn, sql: str, params: Params = None, *, size: int = 2000) -> Iterator[tuple[Any, ...]]:
    """Rows as plain tuples, a batch at a time: for reading a whole table (the event chain) without holding it."""
    if isinstance(conn, sqlite3.Connection):
        cursor = conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, dict(params or {}))
        while batch := cursor.fetchmany(size):
            yield from batch
        return
    from sqlalchemy import text

    result = conn.execution_options(stream_results=True, max_row_buffer=size).execute(text(sql), dict(params or {}))
    for row in result:
        yield tuple(row)


def scalar(conn: Conn, sql: str, params: Params = None) -> Any:
    """The first column of the first row, or None."""
    if isinstance(conn, sqlite3.Connection):
        found = conn.execute(sql, dict(params or {})).fetchone()
        return None if found is None else found[0]
    from sqlalchemy import text

    return conn.execute(text(sql), dict(params or {})).scalar()


def column(conn: Conn, sql: str, params: Params = None) -> list[Any]:
    return [row[0] for row in rows(conn, sql, params)]


def execute(conn: Conn, sql: str, params: Params = None) -> int:
    """A statement that changes rows; returns how many."""
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql, dict(params or {})).rowcount
    from sqlalchemy import text

    return int(conn.execute(text(sql), dict(params or {})).rowcount)


def executemany(conn: Conn, sql: str, params: Sequence[Mapping[str, Any]]) -> None:
    """One statement for many rows (bulk writes), not a round trip per row."""
    if not params:
        return
    if isinstance(conn, sqlite3.Connection):
        conn.executemany(sql, [dict(p) for p in params])
        return
    from sqlalchemy import text

    conn.execute(text(sql), [dict(p) for p in params])


def in_list(name: str, values: Iterable[Any], params: dict[str, Any]) -> str:
    """``(:name_0, :name_1, …)`` for ``IN``, adding the values to ``params``."""
    items: Sequence[Any] = list(values)
    names = [f"{name}_{i}" for i in range(len(items))]
    params.update(zip(names, items, strict=True))
    return "(" + ", ".join(f":{n}" for n in names) + ")" if names else "(NULL)"


def dialect(conn: Conn) -> str:
    return "sqlite" if isinstance(conn, sqlite3.Connection) else conn.dialect.name
