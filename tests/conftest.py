"""Shared fixtures: an isolated environment, a workspace on each backend, and a
``coord`` helper that runs the real command line in-process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

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
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # English, whatever the developer's locale: tests assert exact text
    monkeypatch.setenv("COORD_USER", "tester")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def run_coord(*args: str, input: str | None = None) -> Result:
    runner = CliRunner()
    result = runner.invoke(app, list(args), input=input, prog_name="coord")
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


def reset_postgres(url: str) -> None:
    engine = create_engine(server_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@dataclass
class Workspace:
    backend: str
    url: str
    path: Path | None

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


@pytest.fixture(params=BACKENDS)
def ws(request: pytest.FixtureRequest, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A fresh workspace in the current folder, on SQLite or on PostgreSQL."""
    if request.param == "postgresql":
        assert PG_URL
        reset_postgres(PG_URL)
        monkeypatch.setenv("COORD_DATABASE_URL", PG_URL)
        space = Workspace("postgresql", server_url(PG_URL), None)
    else:
        space = Workspace("sqlite", "", isolated / "coord.db")
    result = run_coord("init")
    assert result.exit_code == 0, result.stderr
    yield space


@pytest.fixture
def sqlite_ws(isolated: Path) -> Workspace:
    result = run_coord("init")
    assert result.exit_code == 0, result.stderr
    return Workspace("sqlite", "", isolated / "coord.db")
