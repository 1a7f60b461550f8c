"""Opening a store: checks that it is ours and current, then hands out
read connections and write units of work.

SQLite runs with foreign keys on, WAL and a busy timeout; a write takes the
lock at BEGIN (``BEGIN IMMEDIATE``) so two coordinators at once wait for each
other instead of failing half-way. Opening never writes to a file that is not
a coord store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect, text

from coordkit.errors import AlreadyExists, StoreError, StoreLocked
from coordkit.storage.location import StoreLocation
from coordkit.storage.migrations import LATEST, migrate

if TYPE_CHECKING:
    from sqlmodel import Session

SQLITE_HEADER = b"SQLite format 3\x00"


def busy_timeout() -> float:
    """Seconds a writer waits for another one (``COORD_BUSY_TIMEOUT``, default 5)."""
    try:
        return max(float(os.environ.get("COORD_BUSY_TIMEOUT", "5")), 0.0)
    except ValueError:
        return 5.0


class Store:
    """An open, checked, current store."""

    def __init__(self, location: StoreLocation, engine: Engine) -> None:
        self.location = location
        self.engine = engine

    @property
    def root(self) -> Path:
        return self.location.root

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for a consistent read (one snapshot, no writes)."""
        with self._translate(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: everything inside commits together or not at all."""
        from sqlmodel import Session

        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with self._translate(), Session(engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except exc.OperationalError as error:
            if "locked" in str(error.orig) or "busy" in str(error.orig):
                raise StoreLocked(
                    f"the store {self.location.display} is locked by another process "
                    f"(waited {busy_timeout():g} s); try again when it has finished"
                ) from None
            raise StoreError(f"cannot use the store {self.location.display}: {error.orig}") from None
        except exc.IntegrityError as error:
            raise AlreadyExists(f"the change conflicts with the store: {error.orig}") from None

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(location: StoreLocation) -> Engine:
    engine = create_engine(location.url, connect_args={"timeout": busy_timeout()})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we say BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _check_sqlite_file(location: StoreLocation) -> None:
    path = location.path
    assert path is not None
    if not path.exists():
        raise StoreError(
            f"no coord store at {path}: the file does not exist; "
            f"run 'coord init {path.parent}' to make one"
        )
    if not path.is_file():
        raise StoreError(f"{path} is not a coord store (not a file)")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a coord store (not an SQLite database); left untouched")


def _schema_version(conn: Connection) -> int | None:
    """The store's schema version, or None when the database has no coord schema."""
    names = set(inspect(conn).get_table_names())
    if "coord_meta" not in names:
        return None
    value = conn.execute(
        text("SELECT value FROM coord_meta WHERE key = 'schema_version'")
    ).scalar_one_or_none()
    if value is None or not str(value).isdigit():
        return -1
    return int(value)


def open_store(location: StoreLocation, *, create: bool = False) -> Store:
    """Open (or with ``create``, make) the store; refuses foreign or newer stores."""
    is_new_file = False
    if location.is_sqlite:
        assert location.path is not None
        if create and not location.path.exists():
            location.path.parent.mkdir(parents=True, exist_ok=True)
            is_new_file = True
        else:
            _check_sqlite_file(location)
        engine = _sqlite_engine(location)
    else:
        engine = create_engine(location.url)
    store = Store(location, engine)
    try:
        with store._translate(), engine.connect() as conn:
            version = _schema_version(conn)
            conn.rollback()
        if version is None or version < 0:
            if not create:
                _refuse_foreign(store, version)
            if not is_new_file:
                _refuse_non_empty(store)
            if location.is_sqlite:
                raw = engine.raw_connection()  # outside any transaction, as SQLite requires
                try:
                    raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
                finally:
                    raw.close()
            version = 0
        if version > LATEST:
            raise StoreError(
                f"the store {location.display} was written by a newer coord "
                f"(schema {version}; this coord knows up to {LATEST}); upgrade coordkit to use it"
            )
        if version < LATEST:
            with store._translate(), engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
                current = _schema_version(conn) or 0  # another process may have migrated meanwhile
                if current < LATEST:
                    migrate(conn, current)
    except BaseException:
        engine.dispose()
        raise
    return store


def _refuse_foreign(store: Store, version: int | None) -> None:
    where = store.location.display
    if store.location.is_sqlite:
        raise StoreError(f"{where} is not a coord store (an SQLite database of another application); left untouched")
    raise StoreError(f"the database {where} holds no coord store; run 'coord init' to make one")


def _refuse_non_empty(store: Store) -> None:
    from coordkit.models import SQLModel  # the table names coord would create

    with store.engine.connect() as conn:
        existing = set(inspect(conn).get_table_names())
    clash = sorted(existing & set(SQLModel.metadata.tables))
    if store.location.is_sqlite and existing:
        raise StoreError(f"{store.location.display} is not a coord store (it holds other tables); left untouched")
    if clash:
        raise StoreError(
            f"the database {store.location.display} already has tables named like coord's "
            f"({', '.join(clash)}) but no coord store; use another database"
        )
