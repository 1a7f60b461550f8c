"""Shared fixtures: an isolated environment, a workspace on each backend, and a
``coord`` helper that runs the real command line in-process.

Two things keep the suite fast without testing less:

- ``run_coord`` builds click's command tree once per session. typer builds it
  from the commands' signatures, about 30 ms a noun: two thirds of a short
  command's time when rebuilt on every call.
- ``Workspace.replay(commands)`` runs a list of commands the first time a
  session needs them on a backend and keeps the store they made; later tests
  get a copy of it (the file on SQLite, the rows on PostgreSQL: about 1 ms and
  30 ms instead of 1 to 3 s of commands). A fresh ``ws`` is a copy of a store
  ``coord init`` made, the same way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
import typer
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, text

from coordkit.cli.app import app
from coordkit.storage.location import server_url

PG_URL = os.environ.get("COORD_TEST_DATABASE_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="COORD_TEST_DATABASE_URL is not set (no PostgreSQL to test)"),
        ],
    ),
]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the user's home, store or environment."""
    for name in (
        "COORD_DB",
        "COORD_DATABASE_URL",
        "COORD_BUSY_TIMEOUT",
        "EDITOR",
        "COORD_LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "COLUMNS",  # pytest-xdist's workers run with COLUMNS=80: tables would wrap where the tests read whole lines
        "LINES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # English, whatever the developer's locale: tests assert exact text
    monkeypatch.setenv("COORD_USER", "tester")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


# ------------------------------------------------------------------ slow child processes, started early

EARLY = pytest.StashKey[dict[str, tuple[Path, "subprocess.Popen[str]"]]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the child processes of tests marked ``early`` now, to run beside the other tests.

    Such a test's module has ``start_early(folder) -> Popen``; the test finds its run in
    ``config.stash[EARLY][nodeid]`` (or starts one itself when there is none) and checks it.
    Not under pytest-xdist (every worker collects every test) nor with --collect-only.
    """
    if session.config.option.collectonly or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    started = session.config.stash.setdefault(EARLY, {})
    for item in session.items:
        if isinstance(item, pytest.Function) and item.get_closest_marker("early"):
            folder = Path(tempfile.mkdtemp(prefix="coord-early-"))
            started[item.nodeid] = (folder, item.module.start_early(folder))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A run whose test did not wait for it (stopped by -x, or deselected after collection) is ended."""
    for folder, process in session.config.stash.get(EARLY, {}).values():
        if process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ the command line, in-process


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def _command_target(name: str) -> Any:
    """The Typer app or function behind a root command, once its module is imported (else None)."""
    from coordkit.cli import app as root_module

    entry = getattr(root_module, "COMMANDS", {}).get(name)
    module = sys.modules.get(entry[0]) if isinstance(entry, tuple) and entry else None
    return getattr(module, entry[1], None) if module is not None and entry is not None else None


_root: click.Group | None = None


def _cli() -> click.Group:
    """The root command, whose commands are built once per session.

    A built command is kept with the object it was built from and rebuilt when
    that object changes (a reloaded module), so the cache never serves stale
    help or options. Click commands hold no state between invocations: the
    context does.
    """
    global _root
    if _root is not None:
        return _root
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    build = root.get_command
    built: dict[str, tuple[Any, click.Command]] = {}

    def get_command(ctx: click.Context, name: str) -> click.Command | None:
        target = _command_target(name)
        hit = built.get(name)
        if hit is not None and target is not None and hit[0] is target:
            return hit[1]
        command = build(ctx, name)
        if command is not None and target is not None:
            built[name] = (target, command)
        return command

    root.get_command = get_command  # type: ignore[method-assign]
    _root = root
    return root


def run_coord(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(_cli(), list(args), input=input, prog_name="coord")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr, result.exception)


def ok(*args: str) -> str:
    """Run a command that must succeed; its stdout."""
    result = run_coord(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


@pytest.fixture
def coord() -> Any:
    return run_coord


# ------------------------------------------------------------------ stores made once, copied into each test


def reset_postgres(url: str) -> None:
    """An empty public schema: nothing of any earlier test is left, not even a table."""
    engine = create_engine(server_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _psycopg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def _pg_schema(conn: Any) -> tuple[Any, ...]:
    """What a copy of rows depends on: every table's columns, constraints and sequences, in order."""
    columns = conn.execute(
        "SELECT table_name, column_name, data_type, column_default FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    ).fetchall()
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
    ).fetchall()
    sequences = conn.execute(
        "SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
    ).fetchall()
    return (tuple(columns), tuple(constraints), tuple(sequences))


@dataclass
class PgRows:
    """Every row of every table of the public schema, and where each sequence stood."""

    schema: tuple[Any, ...]
    tables: dict[str, bytes]  # COPY text, table by table
    sequences: list[tuple[str, int | None]]  # None: never used

    @classmethod
    def save(cls, url: str) -> PgRows:
        import psycopg

        with psycopg.connect(_psycopg_url(url)) as conn:
            tables: dict[str, bytes] = {}
            names = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            for (name,) in names.fetchall():
                with conn.cursor().copy(f'COPY "{name}" TO STDOUT') as copy:
                    tables[name] = b"".join(bytes(block) for block in copy)
            sequences = conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall()
            return cls(_pg_schema(conn), tables, list(sequences))

    def restore(self, url: str) -> bool:
        """Put the rows back in one transaction; False (nothing done) when the schema is not the saved one.

        DELETE, not TRUNCATE: on a few dozen rows TRUNCATE costs 250 ms (a new file per table) and
        DELETE 30 ms. Foreign keys are not checked while the saved rows go back (replica mode): they
        were consistent when they were saved.
        """
        import psycopg

        with psycopg.connect(_psycopg_url(url)) as conn:
            if _pg_schema(conn) != self.schema:
                return False
            conn.execute("SET LOCAL session_replication_role = replica")
            for name, data in self.tables.items():
                conn.execute(f'DELETE FROM "{name}"')
                if data:
                    with conn.cursor().copy(f'COPY "{name}" FROM STDIN') as copy:
                        copy.write(data)
            for name, last in self.sequences:
                if last is None:
                    conn.execute(f'ALTER SEQUENCE "{name}" RESTART')
                else:
                    conn.execute("SELECT setval(%s, %s, true)", (f'"{name}"', last))
        return True


@dataclass
class Saved:
    """A store as a list of commands left it: its workspace folder's files, and its rows on PostgreSQL."""

    folder: Path
    rows: PgRows | None


@dataclass
class Stores:
    """Stores made during this session, by backend and the commands that made them."""

    root: Path
    saved: dict[tuple[str, str], Saved | None] = field(default_factory=dict)  # None: cannot be copied


_SIDE_FILES = ("-wal", "-shm", "-journal")


def _copy_folder(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_dir():
            shutil.copytree(item, target / item.name, dirs_exist_ok=True)
        elif not item.name.endswith(_SIDE_FILES):
            shutil.copy2(item, target / item.name)


def _checkpoint(db: Path) -> bool:
    """Fold SQLite's write-ahead log into the file, so that the file alone is the store."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        busy, _log, _moved = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    wal = db.with_name(db.name + "-wal")
    return busy == 0 and (not wal.exists() or wal.stat().st_size == 0)


@dataclass
class Workspace:
    backend: str
    url: str
    path: Path | None
    folder: Path = field(default_factory=Path.cwd)
    stores: Stores | None = field(default=None, repr=False)

    def execute(self, sql: str, **params: Any) -> None:
        """Change the store behind coord's back, as a tamperer would."""
        engine = create_engine(self.url if self.path is None else f"sqlite:///{self.path}")
        try:
            with engine.begin() as conn:
                conn.execute(text(sql), params)
        finally:
            engine.dispose()

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, to prove a failed command changed nothing."""
        engine = create_engine(self.url if self.path is None else f"sqlite:///{self.path}")
        try:
            with engine.connect() as conn:
                tables = sorted(inspect(conn).get_table_names())
                return {
                    t: sorted(tuple(map(str, row)) for row in conn.execute(text(f'SELECT * FROM "{t}"')))
                    for t in tables
                }
        finally:
            engine.dispose()

    def replay(self, commands: Sequence[Sequence[str]], *, fresh: bool = False) -> Workspace:
        """The store these commands make, each of which must succeed, on top of this workspace's own.

        The first time in a session (per backend) the commands run; the store they leave is kept
        and later calls get a copy of it. ``fresh=True`` always runs them: for the one test per
        setup where running them is what is tested. Call it on a workspace nothing else has
        changed yet (the copy replaces the store).
        """
        if not fresh and self.restored(commands):
            return self
        key = self._key(commands)
        for args in commands:
            result = run_coord(*args)
            assert result.exit_code == 0, (args, result.stderr)
        if self.stores is not None and (fresh or key not in self.stores.saved):
            self.stores.saved[key] = self._save(Path(tempfile.mkdtemp(dir=self.stores.root)))
        return self

    def restored(self, commands: Sequence[Sequence[str]]) -> bool:
        """Whether the store these commands made earlier in the session is now this workspace's."""
        saved = None if self.stores is None else self.stores.saved.get(self._key(commands))
        return saved is not None and self._restore(saved)

    def _key(self, commands: Sequence[Sequence[str]]) -> tuple[str, str]:
        return (self.backend, hashlib.sha256(repr([list(c) for c in commands]).encode()).hexdigest())

    def _save(self, target: Path) -> Saved | None:
        if self.path is not None and not _checkpoint(self.path):
            return None
        _copy_folder(self.folder, target)
        rows = PgRows.save(self.url) if self.path is None else None
        # a store that names its own folder cannot be copied into another one
        where = str(self.folder).encode()
        stored = [p.read_bytes() for p in target.rglob("*") if p.is_file()]
        if any(where in data for data in [*stored, *(rows.tables.values() if rows else [])]):
            return None
        return Saved(target, rows)

    def _restore(self, saved: Saved) -> bool:
        if saved.rows is not None and not saved.rows.restore(self.url):
            return False
        if self.path is not None:
            for suffix in _SIDE_FILES:
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        _copy_folder(saved.folder, self.folder)
        return True


INIT = [["init"]]


@pytest.fixture(scope="session")
def pg_url() -> str:
    """COORD_TEST_DATABASE_URL; under pytest-xdist, a database of each worker's own beside it
    (``test_gw0``, made from it when missing), so that workers never share rows."""
    assert PG_URL
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return PG_URL
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL)
    name = f"{base.database}_{worker}"
    with psycopg.connect(_psycopg_url(PG_URL), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Stores:
    return Stores(tmp_path_factory.mktemp("stores"))


@pytest.fixture(params=BACKENDS)
def ws(
    request: pytest.FixtureRequest, isolated: Path, monkeypatch: pytest.MonkeyPatch, stores: Stores
) -> Iterator[Workspace]:
    """A fresh workspace in the current folder, on SQLite or on PostgreSQL."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("COORD_DATABASE_URL", url)
        space = Workspace("postgresql", server_url(url), None, isolated, stores)
        if not space.restored(INIT):
            reset_postgres(url)
            space.replay(INIT, fresh=True)
    else:
        space = Workspace("sqlite", "", isolated / "coord.db", isolated, stores).replay(INIT)
    yield space


@pytest.fixture
def sqlite_ws(isolated: Path, stores: Stores) -> Workspace:
    return Workspace("sqlite", "", isolated / "coord.db", isolated, stores).replay(INIT)
