"""Schema changes, as an ordered list of small functions (as simonw/llm does).

Each migration runs once, inside the transaction that opens the store, and is
recorded in ``coord_migration``; ``coord_meta.schema_version`` is the count.
Rule for the next one: migration 1 builds the tables as ``coordkit.models``
declares them. The first later migration that changes a table must first
freeze migration 1 into explicit DDL (tests/test_migrations.py opens the
committed version-1 store and fails if the two paths disagree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

MigrationFn = Callable[["Connection"], None]


def m001_initial(conn: Connection) -> None:
    from sqlmodel import SQLModel

    import coordkit.models  # noqa: F401  (registers the tables)

    SQLModel.metadata.create_all(conn)


MIGRATIONS: list[MigrationFn] = [m001_initial]
LATEST = len(MIGRATIONS)


def migrate(conn: Connection, current: int) -> list[str]:
    """Apply every migration after ``current``; returns the names applied."""
    from sqlalchemy import text

    applied = []
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number <= current:
            continue
        migration(conn)
        name = migration.__name__
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        conn.execute(
            text("INSERT INTO coord_migration (name, applied_at) VALUES (:n, :at)"),
            {"n": name, "at": now},
        )
        applied.append(name)
    if current == 0:
        conn.execute(
            text(
                "INSERT INTO coord_meta (key, value) VALUES ('app', 'coordkit'), "
                "('schema_version', :v), ('event_head', :h)"
            ),
            {"v": str(LATEST), "h": "0" * 64},
        )
    else:
        conn.execute(
            text("UPDATE coord_meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(LATEST)},
        )
    return applied
