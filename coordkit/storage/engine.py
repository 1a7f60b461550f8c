"""Opening a store: checks that it is ours and current, then hands out connections.

There is one kind of connection per database, for reads and writes alike: the
standard ``sqlite3`` module on SQLite (importing SQLAlchemy alone costs more,
about 0.3 s here, than a whole command may take), a SQLAlchemy Core connection
on PostgreSQL. Services run the same ``:name`` SQL on both (``storage.sql``).

SQLite runs with foreign keys on, WAL and a busy timeout; a write takes the
lock at ``BEGIN IMMEDIATE``. On PostgreSQL a write takes one advisory lock
first (held to the end of its transaction), so writers line up exactly as they
do on SQLite: whatever a command checks before it writes (missing signatures,
an existing assignment) is still true when it writes. Opening never writes to a file that is not a coord store.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from coordkit.errors import AlreadyExists, StoreError, StoreLocked
from coordkit.i18n import _
from coordkit.storage.location import StoreLocation
from coordkit.storage.migrations import LATEST
from coordkit.storage.sql import Conn, configure_sqlite, scalar

if TYPE_CHECKING:
    from sqlalchemy import Engine

SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_LOCK = 0x636F6F7264  # 'coord': the PostgreSQL advisory lock every coord writer takes first


def busy_timeout() -> float:
    """Seconds a writer waits for another one (``COORD_BUSY_TIMEOUT``, default 5, at most a day)."""
    value = os.environ.get("COORD_BUSY_TIMEOUT", "5")
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:  # also refuses inf and nan, which sqlite3 cannot take
        raise StoreError(
            _("COORD_BUSY_TIMEOUT='{value}' is not a number of seconds from 0 to 86400").format(value=value)
        )
    return seconds


class Store:
    """An open, checked, current store."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self._engine: Engine | None = None
        self.login: str | None = None  # on PostgreSQL, the role the last write connected as

    @property
    def root(self) -> Path:
        return self.location.root

    @property
    def read_only(self) -> bool:
        """A SQLite file (or its folder) this process may not write: read it, never change it."""
        path = self.location.path
        if path is None:
            return False
        return not (os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK)))

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine of a server database (SQLite never needs one)."""
        if self._engine is None:
            from sqlalchemy import create_engine

            self._engine = create_engine(self.location.url)
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Conn]:
        """A connection for a consistent read (one snapshot, no writes)."""
        with self._translate():
            if self.location.is_sqlite:
                conn = self._sqlite()
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
    def write(self) -> Iterator[Conn]:
        """One unit of work: everything inside commits together or not at all (Ctrl-C included)."""
        with self._translate():
            if self.location.is_sqlite:
                if self.read_only:
                    raise StoreError(
                        _("the store {store} is read-only here; nothing was changed").format(
                            store=self.location.display
                        )
                    )
                conn = self._sqlite()
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    yield conn
                    conn.commit()
                except BaseException:
                    if conn.in_transaction:
                        conn.rollback()
                    raise
                finally:
                    conn.close()
                return
            with self.engine.connect() as sa_conn, sa_conn.begin():
                self.login = scalar(sa_conn, "SELECT session_user, pg_advisory_xact_lock(:k)", {"k": WRITE_LOCK})
                yield sa_conn

    def _sqlite(self) -> sqlite3.Connection:
        path = self.location.path
        assert path is not None
        if self.read_only:
            from urllib.request import pathname2url

            # WAL needs a writable folder for its index; immutable=1 reads a frozen file without one.
            uri = f"file:{pathname2url(str(path))}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        return configure_sqlite(conn)

    @contextmanager
    def _translate(self) -> Iterator[None]:
        """Database errors a user can cause, as ``CoordError``s."""
        try:
            yield
        except Exception as error:
            translated = translate_error(error, self.location, login=self.login)
            if translated is None:
                raise
            raise translated from None

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def translate_error(error: Exception, location: StoreLocation, *, login: str | None = None) -> Exception | None:
    original = getattr(error, "orig", error)
    name = type(original).__name__
    if name == "InsufficientPrivilege":  # a team store's grant, policy or guard refused this member
        from coordkit.errors import PermissionDenied

        reason = str(original).strip().splitlines()[0] if str(original).strip() else name
        from coordkit.storage.team import guard_reason

        reason = guard_reason(reason)  # one of coord's own guards (storage.team), in the reader's language
        return PermissionDenied(
            _("{login} may not make this change in the team store ({reason}); nothing was changed").format(
                login=login or _("this role"), reason=reason
            )
        )
    if isinstance(original, sqlite3.OperationalError) or name == "OperationalError":
        text = str(original)
        if "disk is full" in text or "disk I/O error" in text:  # SQLITE_FULL, or a write the OS refused (EFBIG, ENOSPC)
            return StoreError(
                _(
                    "cannot write the store {store}: the disk is full or refused the write "
                    "({reason}); free some space and try again; nothing was changed"
                ).format(store=location.display, reason=text.strip())
            )
        if "locked" in text or "busy" in text:
            return StoreLocked(
                _(
                    "the store {store} is locked by another process (waited {seconds} s); try again when it has finished"
                ).format(store=location.display, seconds=f"{busy_timeout():g}")
            )
        return StoreError(
            _("cannot use the store {store}: {reason}").format(store=location.display, reason=text.strip())
        )
    if name == "DataError" or isinstance(getattr(error, "orig", None), ValueError):
        # a value PostgreSQL cannot hold (a NUL, a text longer than its column) that reached it unchecked
        from coordkit.errors import InvalidInput

        first = str(original).strip().splitlines()[0] if str(original).strip() else name
        return InvalidInput(_("the database refused a value: {reason}; nothing was changed").format(reason=first))
    if isinstance(original, sqlite3.IntegrityError) or name in ("IntegrityError", "UniqueViolation"):
        return AlreadyExists(_("the change conflicts with the store: {reason}").format(reason=str(original).strip()))
    if isinstance(original, sqlite3.DatabaseError):
        return StoreError(
            _("{store} is not a usable coord store: {reason}").format(store=location.display, reason=original)
        )
    return None


def _check_sqlite_file(location: StoreLocation) -> None:
    path = location.path
    assert path is not None
    if not path.exists():
        raise StoreError(
            _("no coord store at {path}: the file does not exist; run 'coord init {folder}' to make one").format(
                path=path, folder=path.parent
            )
        )
    if not path.is_file():
        raise StoreError(_("{path} is not a coord store (not a file)").format(path=path))
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header == b"" and path.stat().st_size == 0:
        return  # an empty file: what a killed 'coord init' leaves; init makes the store in it
    if header != SQLITE_HEADER:
        raise StoreError(_("{path} is not a coord store (not an SQLite database); left untouched").format(path=path))


def _version(conn: Conn, tables: set[str]) -> int | None:
    """None: no coord schema here; -1: a damaged one; else the schema version."""
    if "coord_meta" not in tables:
        return None
    value = scalar(conn, "SELECT value FROM coord_meta WHERE key = 'schema_version'")
    return int(value) if value is not None and str(value).isdigit() else -1


def _tables(conn: Conn) -> set[str]:
    if isinstance(conn, sqlite3.Connection):
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def open_store(location: StoreLocation, *, create: bool = False) -> Store:
    """Open (or with ``create``, make) the store; refuses foreign or newer stores."""
    store = Store(location)
    try:
        if location.is_sqlite:
            assert location.path is not None
            is_new = create and not location.path.exists()
            if is_new:
                try:
                    location.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as error:  # a file where the folder should be, no permission, a full disk
                    from coordkit.files import _reason

                    folder = location.path.parent
                    reason = _("it is a file, not a folder") if folder.exists() else _reason(error)
                    raise StoreError(
                        _("cannot make the store in {folder}: {reason}; name another folder").format(
                            folder=folder, reason=reason
                        )
                    ) from None
            else:
                _check_sqlite_file(location)
        else:
            is_new = False
        with store.read() as conn:
            tables = _tables(conn)
            version = _version(conn, tables)
        if version == LATEST:
            return store
        if version is not None and version > LATEST:
            raise StoreError(
                _(
                    "the store {store} was written by a newer coord "
                    "(schema {version}; this coord knows up to {latest}); upgrade coordkit to use it"
                ).format(store=location.display, version=version, latest=LATEST)
            )
        if version is None or version < 0:
            if not create:
                _refuse_foreign(location, tables)
            _refuse_non_empty(location, tables, is_new)
        _migrate(store)
    except BaseException:
        store.dispose()
        raise
    return store


def _migrate(store: Store) -> None:
    """Bring the store to the latest schema, in one transaction (another process may have done it meanwhile)."""
    from coordkit.storage.migrations import migrate

    if store.location.is_sqlite:
        with store._translate():
            raw = store._sqlite()
            try:
                raw.execute("PRAGMA journal_mode = WAL")  # outside any transaction, as SQLite requires
            finally:
                raw.close()
    with store.write() as conn:
        current = _version(conn, _tables(conn))
        if (current or 0) < LATEST:
            migrate(conn, max(current or 0, 0))


def _refuse_foreign(location: StoreLocation, tables: set[str]) -> None:
    if location.is_sqlite:
        if not tables:
            raise StoreError(
                _(
                    "{path} is an empty SQLite file, not a coord store yet; "
                    "run 'coord init {folder}' to make the store in it"
                ).format(path=location.display, folder=location.root)
            )
        raise StoreError(
            _("{path} is not a coord store (an SQLite database of another application); left untouched").format(
                path=location.display
            )
        )
    raise StoreError(
        _("the database {store} holds no coord store; run 'coord init' to make one").format(store=location.display)
    )


def _refuse_non_empty(location: StoreLocation, existing: set[str], is_new: bool) -> None:
    if is_new or not existing:
        return
    if location.is_sqlite:
        raise StoreError(
            _("{path} is not a coord store (it holds other tables); left untouched").format(path=location.display)
        )
    from coordkit.storage.migrations import table_names

    clash = sorted(existing & table_names())
    if clash:
        raise StoreError(
            _(
                "the database {store} already has tables named like coord's ({tables}) but no coord store; "
                "use another database"
            ).format(store=location.display, tables=", ".join(clash))
        )
