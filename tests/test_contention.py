"""Writers at the same moment: on PostgreSQL as on SQLite, every check a command makes before it
writes still holds when it writes (the write lock), and what must never exist twice cannot (the
unique guards of migration m002).

The parallel cases run real processes against the real server (``COORD_TEST_DATABASE_URL``): each
round, the processes meet at a barrier and then run the same command at once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from coordkit.services.history import verify_history
from coordkit.storage.engine import open_store
from coordkit.storage.location import from_path, from_url
from coordkit.storage.sql import scalar, tuples
from tests.conftest import BACKENDS, PG_URL, Workspace, ok, reset_postgres, run_coord

AGREEMENTS = 20
PARTIES = ("street", "sw", "market")


def workspace_file(folder: Path) -> Path:
    """20 three-party agreements, each circulating with the street office's signature; one duty each."""
    data: dict[str, Any] = {
        "version": 1,
        "stakeholders": [{"key": key, "name": key.title(), "kind": "other"} for key in PARTIES],
        "projects": [{"key": "lr", "name": "Liede Renjia"}],
        "duties": [{"project": "lr", "key": f"duty-{n:02d}", "title": f"Duty {n}"} for n in range(AGREEMENTS)],
        "agreements": [
            {
                "key": f"AGR-{n:02d}",
                "project": "lr",
                "title": f"Market {n}",
                "effective": "2024-03-01",
                "parties": [{"stakeholder": key} for key in PARTIES],
                "goals": ["A monthly market"],
                "obligations": [
                    {"party": "sw", "text": "Run it", "duty": f"duty-{n:02d}", "as": "R"},
                    {"party": "market", "text": "Host it", "duty": f"duty-{n:02d}", "as": "A"},
                ],
                "status": "circulating",
                "signatures": [{"party": "street", "signatory": "Li", "date": "2024-02-20"}],
            }
            for n in range(AGREEMENTS)
        ],
    }
    path = folder / "contention.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A store every process names with --db: the PostgreSQL URL, or a SQLite file."""
    if request.param == "postgresql":
        assert PG_URL
        reset_postgres(PG_URL)
        space = Workspace("postgresql", PG_URL, None)
    else:
        space = Workspace("sqlite", str(isolated / "coord.db"), isolated / "coord.db")
    ok("--db", space.url, "init")
    yield space


def _run(args: list[str]) -> int:
    from coordkit.cli.app import app

    try:
        app(args, prog_name="coord")
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def _worker(rounds: list[list[str]], barrier: Any, results: Any, name: str) -> None:
    """Meet the others at the barrier before each command, then run it; report the exit codes."""
    codes = []
    for args in rounds:
        barrier.wait(timeout=60)
        codes.append(_run(args))
    results.put((name, codes))


def run_together(commands: dict[str, list[list[str]]]) -> dict[str, list[int]]:
    """Each name's commands, one per round, run in its own process; all processes start each round at once."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(commands))
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(rounds, barrier, results, name)) for name, rounds in commands.items()
    ]
    for process in processes:
        process.start()
    found = dict(results.get(timeout=300) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return found


def store_of(space: Workspace) -> Any:
    if space.path is not None:
        return open_store(from_path(space.path, "test"))
    return open_store(from_url(space.url, "test", Path.cwd()))


@pytest.mark.slow
def test_the_last_two_parties_signing_at_once_leave_every_agreement_signed(db: Workspace, isolated: Path) -> None:
    """The issue's case: 20 three-party agreements; the last two parties sign each at the same moment.
    Without the lock both count 2 of 3 signatures and the version stays "circulating 3/3" forever."""
    ok("--db", db.url, "apply", str(workspace_file(isolated)))
    sign = [["--db", db.url, "agreement", "sign"], ["--date", "2024-02-25"]]
    codes = run_together(
        {
            party: [
                [*sign[0], f"AGR-{n:02d}", "--party", party, "--signatory", party.title(), *sign[1]]
                for n in range(AGREEMENTS)
            ]
            for party in ("sw", "market")
        }
    )
    assert codes == {"sw": [0] * AGREEMENTS, "market": [0] * AGREEMENTS}
    store = store_of(db)
    try:
        with store.read() as conn:
            statuses = tuples(
                conn,
                "SELECT a.key, v.status, (SELECT count(*) FROM signature s WHERE s.version_id = v.id) "
                "FROM agreement a JOIN agreement_version v ON v.agreement_id = a.id ORDER BY a.key",
            )
            assignments = tuples(
                conn,
                "SELECT d.key, s.key, a.letter, a.agreement_key FROM assignment a JOIN duty d ON d.id = a.duty_id "
                "JOIN stakeholder s ON s.id = a.stakeholder_id ORDER BY d.key, a.letter",
            )
            assert verify_history(conn) == []
    finally:
        store.dispose()
    assert statuses == [(f"AGR-{n:02d}", "signed", 3) for n in range(AGREEMENTS)]
    assert assignments == [
        row
        for n in range(AGREEMENTS)
        for row in ((f"duty-{n:02d}", "market", "A", f"AGR-{n:02d}"), (f"duty-{n:02d}", "sw", "R", f"AGR-{n:02d}"))
    ]


@pytest.mark.slow
def test_identical_duty_assign_at_once_makes_one_assignment(db: Workspace) -> None:
    """The issue's case: the same ``duty assign`` from several processes at once. One wins; the others
    are told the letter is already held (exit 2); one row per duty."""
    for args in (
        ["stakeholder", "add", "sw", "--name", "SW", "--kind", "other"],
        ["project", "add", "lr", "--name", "LR"],
        *(["duty", "add", f"duty-{n}", "--title", f"Duty {n}"] for n in range(5)),
    ):
        ok("--db", db.url, *args)
    rounds = [["--db", db.url, "duty", "assign", f"duty-{n}", "sw", "--as", "R"] for n in range(5)]
    codes = run_together({f"p{i}": rounds for i in range(4)})
    for n in range(5):
        assert sorted(codes[f"p{i}"][n] for i in range(4)) == [0, 2, 2, 2], n
    store = store_of(db)
    try:
        with store.read() as conn:
            assert tuples(
                conn,
                "SELECT d.key, count(*) FROM assignment a JOIN duty d ON d.id = a.duty_id "
                "GROUP BY d.key ORDER BY d.key",
            ) == [(f"duty-{n}", 1) for n in range(5)]
            assert verify_history(conn) == []
    finally:
        store.dispose()


def _store_with_an_assignment(space: Workspace) -> None:
    for args in (
        ["stakeholder", "add", "sw", "--name", "SW", "--kind", "other"],
        ["project", "add", "lr", "--name", "LR"],
        ["duty", "add", "report", "--title", "Report"],
        ["role", "add", "host", "--name", "Host"],
        ["role", "assign", "host", "sw"],
        ["duty", "assign", "report", "sw", "--as", "R"],
    ):
        ok("--db", space.url, *args)


@pytest.mark.parametrize(
    ("case", "sql"),
    [
        (
            "an identical open-ended manual assignment",
            "INSERT INTO assignment (duty_id, stakeholder_id, letter, source) "
            "SELECT duty_id, stakeholder_id, letter, source FROM assignment",
        ),
        (
            "an identical holding of a role",
            "INSERT INTO role_holder (role_id, stakeholder_id) SELECT role_id, stakeholder_id FROM role_holder",
        ),
        (
            "a second event after the same one (a forked chain)",
            "INSERT INTO event (at, actor, action, entity, key, prev_hash, hash) "
            "SELECT at, actor, action, entity, key, prev_hash, 'x' FROM event WHERE id = 1",
        ),
    ],
)
def test_the_database_itself_refuses_a_duplicate(db: Workspace, case: str, sql: str) -> None:
    """Whatever the code does, these rows cannot exist twice (on both databases)."""
    from coordkit.errors import AlreadyExists

    _store_with_an_assignment(db)
    store = store_of(db)
    try:
        with pytest.raises(AlreadyExists, match=r"^the change conflicts with the store: "), store.write() as conn:
            conn.execute(sql) if db.path else conn.exec_driver_sql(sql)
    finally:
        store.dispose()


def test_an_assignment_for_another_window_or_letter_is_no_duplicate(db: Workspace) -> None:
    _store_with_an_assignment(db)
    ok("--db", db.url, "duty", "assign", "report", "sw", "--as", "C")
    ok("--db", db.url, "duty", "unassign", "report", "sw", "--as", "R")
    ok("--db", db.url, "duty", "assign", "report", "sw", "--as", "R", "--from", "2024-01-01", "--to", "2024-06-30")
    ok("--db", db.url, "duty", "assign", "report", "sw", "--as", "R", "--from", "2024-07-01")
    again = run_coord("--db", db.url, "duty", "assign", "report", "sw", "--as", "R", "--from", "2024-07-01")
    assert (again.exit_code, again.stderr) == (2, "Error: 'sw' is already R for duty 'report' in that period\n")


def test_the_models_declare_the_guards_the_migration_makes() -> None:
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex
    from sqlmodel import SQLModel

    import coordkit.models  # noqa: F401
    from coordkit.storage.migrations import UNIQUE_GUARDS

    declared = sorted(
        str(CreateIndex(index).compile(dialect=postgresql.dialect()))
        for table in SQLModel.metadata.sorted_tables
        for index in table.indexes
        if index.name and index.name.startswith("ux_")
    )
    assert declared == sorted(UNIQUE_GUARDS)


def test_migrating_merges_identical_duplicates_a_race_left(isolated: Path) -> None:
    """A store from before the guards, with the duplicate rows the race made, opens with one of each."""
    import sqlite3

    old = isolated / "old" / "coord.db"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((Path(__file__).parent / "data" / "store-v1.sql").read_text(encoding="utf-8"))
        conn.execute(
            "INSERT INTO assignment (duty_id, stakeholder_id, role_id, letter, valid_from, valid_to, source) "
            "SELECT duty_id, stakeholder_id, role_id, letter, valid_from, valid_to, source FROM assignment"
        )
        before = conn.execute("SELECT count(*) FROM assignment").fetchone()[0]
    conn.close()
    assert before == 2
    ok("--db", str(old), "duty", "list")
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT count(*) FROM assignment").fetchone()[0] == 1
    conn.close()


def test_a_store_whose_history_forks_is_refused_before_anything_changes(isolated: Path) -> None:
    import sqlite3

    old = isolated / "old" / "coord.db"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((Path(__file__).parent / "data" / "store-v1.sql").read_text(encoding="utf-8"))
        conn.execute(
            "INSERT INTO event (at, actor, action, entity, key, prev_hash, hash) "
            "SELECT at, actor, action, entity, key, prev_hash, 'fork' FROM event WHERE id = 1"
        )
        last = conn.execute("SELECT max(id) FROM event").fetchone()[0]
    conn.close()
    before = old.read_bytes()
    result = run_coord("--db", str(old), "duty", "list")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: the history of this store forks: events 1 and {last} both follow the same event; restore a "
        "backup made before, or ask for help: coord cannot guard it without losing one\n"
    )
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT value FROM coord_meta WHERE key = 'schema_version'").fetchone()[0] == "1"
    conn.close()
    assert before  # the file was read, the schema left at version 1


def test_busy_timeout_of_inf_or_nan_is_one_line(sqlite_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("inf", "nan", "-1", "1e9", "soon"):
        monkeypatch.setenv("COORD_BUSY_TIMEOUT", value)
        result = run_coord("stakeholder", "list")
        assert (result.exit_code, result.stderr) == (
            2,
            f"Error: COORD_BUSY_TIMEOUT='{value}' is not a number of seconds from 0 to 86400\n",
        )
    monkeypatch.setenv("COORD_BUSY_TIMEOUT", "0.5")
    assert run_coord("stakeholder", "list").exit_code == 0
    assert os.environ["COORD_BUSY_TIMEOUT"] == "0.5"
    store = open_store(from_path(sqlite_ws.path or Path(), "test"))
    try:
        with store.write() as conn:
            assert scalar(conn, "PRAGMA busy_timeout") == 500
    finally:
        store.dispose()
