"""Opening a store: checks that it is ours and current, then hands out read
connections and write units of work.

SQLite runs with foreign keys on, WAL and a busy timeout; a write takes the
lock at BEGIN (``BEGIN IMMEDIATE``) so two coordinators at once wait for each
other instead of failing half-way. Opening never writes to a file that is not
a coord store. Reading a current SQLite store needs only the ``sqlite3``
module; SQLAlchemy is loaded when something is written or migrated.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordkit.errors import AlreadyExists, StoreError, StoreLocked
from coordkit.storage.location import StoreLocation
from coordkit.storage.migrations import LATEST
from coordkit.storage.sql import Conn, configure_sqlite

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
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

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self._engine: Engine | None = None

    @property
    def root(self) -> Path:
        return self.location.root

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = _make_engine(self.location)
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Conn]:
        """A connection for a consistent read (one snapshot, no writes)."""
        with self._translate():
            if self.location.is_sqlite and self._engine is None:
                conn = _raw_sqlite(self.location)
                try:
                    conn.execute("BEGIN")
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.rollback()
                    conn.close()
                return
            with self.engine.connect() as sa_conn, sa_conn.begin():
                yield sa_conn

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
        """Database errors a user can cause, as ``CoordError``s."""
        try:
            yield
        except Exception as error:
            translated = translate_error(error, self.location)
            if translated is None:
                raise
            raise translated from None

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def translate_error(error: Exception, location: StoreLocation) -> Exception | None:
    original = getattr(error, "orig", error)
    name = type(error).__name__
    if isinstance(original, sqlite3.OperationalError) or name == "OperationalError":
        text = str(original)
        if "locked" in text or "busy" in text:
            return StoreLocked(
                f"the store {location.display} is locked by another process "
                f"(waited {busy_timeout():g} s); try again when it has finished"
            )
        return StoreError(f"cannot use the store {location.display}: {text.strip()}")
    if isinstance(original, sqlite3.IntegrityError) or name == "IntegrityError":
        return AlreadyExists(f"the change conflicts with the store: {str(original).strip()}")
    if isinstance(original, sqlite3.DatabaseError):
        return StoreError(f"{location.display} is not a usable coord store: {original}")
    return None


def _raw_sqlite(location: StoreLocation) -> sqlite3.Connection:
    conn = sqlite3.connect(location.path, timeout=busy_timeout(), isolation_level=None)  # type: ignore[arg-type]
    conn.execute("PRAGMA foreign_keys = ON")
    return configure_sqlite(conn)


def _make_engine(location: StoreLocation) -> Engine:
    from sqlalchemy import create_engine, event

    if not location.is_sqlite:
        return create_engine(location.url)
    engine = create_engine(location.url, connect_args={"timeout": busy_timeout()})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we say BEGIN ourselves, below
        configure_sqlite(dbapi_conn)  # services also use this connection directly (storage.sql.connection)
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
            f"no coord store at {path}: the file does not exist; run 'coord init {path.parent}' to make one"
        )
    if not path.is_file():
        raise StoreError(f"{path} is not a coord store (not a file)")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a coord store (not an SQLite database); left untouched")


def _version_from(tables: set[str], read_version: Any) -> int | None:
    """None: no coord schema here; -1: a damaged one; else the schema version."""
    if "coord_meta" not in tables:
        return None
    value = read_version()
    return int(value) if value is not None and str(value).isdigit() else -1


def _sqlite_version(location: StoreLocation) -> tuple[int | None, set[str]]:
    store = Store(location)
    with store.read() as conn:
        assert isinstance(conn, sqlite3.Connection)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = _version_from(
            tables,
            lambda: (conn.execute("SELECT value FROM coord_meta WHERE key = 'schema_version'").fetchone() or [None])[0],
        )
    return version, tables


def _server_version(store: Store) -> tuple[int | None, set[str]]:
    from sqlalchemy import inspect, text

    with store._translate(), store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        version = _version_from(
            tables,
            lambda: conn.execute(text("SELECT value FROM coord_meta WHERE key = 'schema_version'")).scalar(),
        )
        conn.rollback()
    return version, tables


def open_store(location: StoreLocation, *, create: bool = False) -> Store:
    """Open (or with ``create``, make) the store; refuses foreign or newer stores."""
    store = Store(location)
    if location.is_sqlite:
        assert location.path is not None
        is_new = create and not location.path.exists()
        if is_new:
            location.path.parent.mkdir(parents=True, exist_ok=True)
            version, tables = None, set[str]()
        else:
            _check_sqlite_file(location)
            version, tables = _sqlite_version(location)
    else:
        is_new = False
        version, tables = _server_version(store)
    try:
        if version == LATEST:
            return store
        if version is None or version < 0:
            if not create:
                _refuse_foreign(location)
            _refuse_non_empty(location, tables, is_new)
            if location.is_sqlite:
                _enable_wal(store)
            version = 0
        if version > LATEST:
            raise StoreError(
                f"the store {location.display} was written by a newer coord "
                f"(schema {version}; this coord knows up to {LATEST}); upgrade coordkit to use it"
            )
        _migrate(store)
    except BaseException:
        store.dispose()
        raise
    return store


def _enable_wal(store: Store) -> None:
    raw = store.engine.raw_connection()  # outside any transaction, as SQLite requires
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
    finally:
        raw.close()


def _migrate(store: Store) -> None:
    from sqlalchemy import inspect, text

    from coordkit.storage.migrations import migrate

    with store._translate(), store.engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        tables = set(inspect(conn).get_table_names())
        current = _version_from(
            tables, lambda: conn.execute(text("SELECT value FROM coord_meta WHERE key = 'schema_version'")).scalar()
        )  # another process may have migrated meanwhile
        if (current or 0) < LATEST:
            migrate(conn, max(current or 0, 0))


def _refuse_foreign(location: StoreLocation) -> None:
    if location.is_sqlite:
        raise StoreError(
            f"{location.display} is not a coord store (an SQLite database of another application); left untouched"
        )
    raise StoreError(f"the database {location.display} holds no coord store; run 'coord init' to make one")


def _refuse_non_empty(location: StoreLocation, existing: set[str], is_new: bool) -> None:
    if is_new:
        return
    if location.is_sqlite and existing:
        raise StoreError(f"{location.display} is not a coord store (it holds other tables); left untouched")
    from sqlmodel import SQLModel

    import coordkit.models  # noqa: F401  (the table names coord would create)

    clash = sorted(existing & set(SQLModel.metadata.tables))
    if clash:
        raise StoreError(
            f"the database {location.display} already has tables named like coord's "
            f"({', '.join(clash)}) but no coord store; use another database"
        )
