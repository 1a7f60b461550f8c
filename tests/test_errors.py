"""Bad input: one line on stderr, exit code 2, and the store exactly as it was."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coordkit.storage.migrations import LATEST
from tests.conftest import Workspace, run_coord


@pytest.fixture
def filled(ws: Workspace) -> Workspace:
    for args in (
        ["stakeholder", "add", "liede-sw", "--name", "Liede SW", "--kind", "social-organisation"],
        ["stakeholder", "add", "liede-street", "--name", "Liede Street Office", "--kind", "government"],
        ["project", "add", "liede-renjia", "--name", "Liede Renjia"],
        ["duty", "add", "report", "--title", "Report to the street office"],
    ):
        assert run_coord(*args).exit_code == 0
    return ws


CASES = {
    "unknown key": (["stakeholder", "show", "liede-s"], "no stakeholder 'liede-s'; did you mean 'liede-sw'?"),
    "unknown duty": (
        ["duty", "assign", "reprot", "liede-sw", "--as", "R"],
        "no duty 'reprot' in project 'liede-renjia'; did you mean 'report'?",
    ),
    "unknown party": (
        ["duty", "assign", "report", "liede-stret", "--as", "R"],
        "no stakeholder or role 'liede-stret' in project 'liede-renjia'; did you mean 'liede-street'?",
    ),
    "duplicate key": (
        ["stakeholder", "add", "liede-sw", "--name", "Again", "--kind", "other"],
        "stakeholder 'liede-sw' already exists; change it with 'coord stakeholder edit liede-sw'",
    ),
    "letter X": (["duty", "assign", "report", "liede-sw", "--as", "X"], "RACI letter 'X' is not one of: R, A, C, I"),
    "from after to": (
        ["duty", "assign", "report", "liede-sw", "--as", "R", "--from", "2024-06-01", "--to", "2024-05-01"],
        "assignment: ends 2024-05-01 before it starts 2024-06-01",
    ),
    "impossible date": (
        ["duty", "assign", "report", "liede-sw", "--as", "R", "--from", "2024-02-30"],
        "--from '2024-02-30' is not a date (2024-02 has 29 days); use 2025-03-01, 2025/3/1 or 2025年3月1日",
    ),
    "not a date": (
        ["project", "add", "p2", "--name", "P2", "--start", "next week"],
        "--start 'next week' is not a date; use 2025-03-01, 2025/3/1 or 2025年3月1日",
    ),
    "influence 7": (
        ["stakeholder", "add", "x", "--name", "X", "--kind", "other", "--influence", "7"],
        "influence must be from 1 to 5 (got 7)",
    ),
    "wrong kind": (
        ["stakeholder", "add", "x", "--name", "X", "--kind", "goverment"],
        "kind 'goverment' is not one of: government, party-committee, neighbourhood-committee, "
        "social-organisation, enterprise, property-management, university, volunteer-team, "
        "resident-group, individual, other; did you mean 'government'?",
    ),
    "bad slug": (
        ["stakeholder", "add", "Liede SW", "--name", "X", "--kind", "other"],
        "stakeholder key 'Liede SW' is not a slug: use lower-case letters, digits, '-', '_' or '.', "
        "starting with a letter or digit (at most 64)",
    ),
    "bad contact": (
        ["stakeholder", "add", "x", "--name", "X", "--kind", "other", "--contact", "phone"],
        "--contact 'phone': expected CHANNEL:VALUE, e.g. phone:020-8888-0000",
    ),
    "duplicate assignment": (["duty", "assign", "report", "liede-street", "--as", "A"], None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_exit_2_store_unchanged(filled: Workspace, case: str) -> None:
    args, message = CASES[case]
    if case == "duplicate assignment":
        assert run_coord(*args).exit_code == 0
        message = "'liede-street' is already A for duty 'report' in that period"
    before = filled.snapshot()
    result = run_coord(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    assert filled.snapshot() == before


def test_no_store_found(isolated: Path) -> None:
    result = run_coord("stakeholder", "list")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no coord store in {isolated} or any folder above it; "
        "run 'coord init' to make one here, or pass --db PATH\n"
    )


def test_store_found_in_a_parent_folder(sqlite_ws: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_coord("stakeholder", "add", "a", "--name", "A", "--kind", "other").exit_code == 0
    deeper = isolated / "sub" / "deeper"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    assert run_coord("stakeholder", "list", "-f", "csv").stdout.splitlines()[1].startswith("a,A,")


def test_db_option_and_env_take_precedence(
    sqlite_ws: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = isolated / "other"
    assert run_coord("init", str(other)).exit_code == 0
    assert run_coord("--db", str(other), "stakeholder", "add", "b", "--name", "B", "--kind", "other").exit_code == 0
    monkeypatch.setenv("COORD_DB", str(other / "coord.db"))
    assert "b,B," in run_coord("stakeholder", "list", "-f", "csv").stdout
    assert run_coord("--db", str(isolated), "stakeholder", "list", "-f", "csv").stdout.count("\n") == 1


def test_db_pointing_at_missing_path(isolated: Path) -> None:
    result = run_coord("--db", "nowhere/coord.db", "stakeholder", "list")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no coord store at {isolated}/nowhere/coord.db: the file does not exist; "
        f"run 'coord init {isolated}/nowhere' to make one\n"
    )
    assert not (isolated / "nowhere").exists()


def test_db_pointing_at_a_text_file(isolated: Path) -> None:
    notes = isolated / "notes.txt"
    notes.write_text("not a database\n")
    result = run_coord("--db", str(notes), "stakeholder", "list")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {notes} is not a coord store (not an SQLite database); left untouched\n"
    assert notes.read_text() == "not a database\n"


def _foreign_sqlite(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.close()
    return path.read_bytes()


def test_db_pointing_at_another_apps_sqlite(isolated: Path) -> None:
    other = isolated / "app.db"
    content = _foreign_sqlite(other)
    result = run_coord("--db", str(other), "stakeholder", "add", "a", "--name", "A", "--kind", "other")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {other} is not a coord store (an SQLite database of another application); left untouched\n"
    )
    assert other.read_bytes() == content
    refused = run_coord("init", str(other))
    assert refused.exit_code == 2
    assert refused.stderr == f"Error: {other} is not a coord store (it holds other tables); left untouched\n"
    assert other.read_bytes() == content


def test_store_from_a_newer_schema(sqlite_ws: Workspace) -> None:
    assert sqlite_ws.path
    with sqlite3.connect(sqlite_ws.path) as conn:
        conn.execute("UPDATE coord_meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    before = sqlite_ws.snapshot()
    result = run_coord("stakeholder", "add", "a", "--name", "A", "--kind", "other")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: the store {sqlite_ws.path} was written by a newer coord (schema 99; this coord knows up to {LATEST}); "
        "upgrade coordkit to use it\n"
    )
    assert sqlite_ws.snapshot() == before


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE coord_meta SET value = value WHERE key = 'app'")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


@pytest.mark.slow
def test_store_locked_past_the_timeout(sqlite_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sqlite_ws.path
    before = sqlite_ws.snapshot()
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(sqlite_ws.path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert locker.stdout and locker.stdout.readline() == "locked\n"
        monkeypatch.setenv("COORD_BUSY_TIMEOUT", "0.5")
        result = run_coord("stakeholder", "add", "a", "--name", "A", "--kind", "other")
    finally:
        locker.communicate("done\n", timeout=10)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: the store {sqlite_ws.path} is locked by another process (waited 0.5 s); "
        "try again when it has finished\n"
    )
    assert sqlite_ws.snapshot() == before
