"""Schema versions: old stores open and migrate forward; the history chain holds."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from coordkit.services.history import verify_history
from coordkit.storage.engine import open_store
from coordkit.storage.location import from_path
from coordkit.storage.migrations import LATEST
from coordkit.storage.sql import scalar
from tests.conftest import Workspace, run_coord

DATA = Path(__file__).parent / "data"


def _schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
    conn.close()
    return rows


def test_oldest_store_opens_and_migrates_to_the_latest_schema(isolated: Path) -> None:
    old = isolated / "old" / "coord.db"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((DATA / "store-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    result = run_coord("--db", str(old), "duty", "list", "-f", "json")
    assert result.exit_code == 0, result.stderr
    duties = json.loads(result.stdout)
    assert duties[0]["key"] == "report" and duties[0]["assignments"][0]["stakeholder"] == "liede-sw"
    with sqlite3.connect(old) as conn:
        version = conn.execute("SELECT value FROM coord_meta WHERE key = 'schema_version'").fetchone()[0]
        applied = [r[0] for r in conn.execute("SELECT name FROM coord_migration ORDER BY name")]
    conn.close()
    assert int(version) == LATEST and len(applied) == LATEST
    assert run_coord("init", str(isolated / "fresh")).exit_code == 0
    assert _schema(old) == _schema(isolated / "fresh" / "coord.db")


def test_init_twice_leaves_the_store_as_it_was(sqlite_ws: Workspace) -> None:
    assert run_coord("stakeholder", "add", "a", "--name", "A", "--kind", "other").exit_code == 0
    before = sqlite_ws.snapshot()
    again = run_coord("init")
    assert again.exit_code == 0
    assert "already" in again.stderr
    assert sqlite_ws.snapshot() == before


def test_sqlite_settings(sqlite_ws: Workspace) -> None:
    """Reads and writes both get the settings."""
    assert sqlite_ws.path
    store = open_store(from_path(sqlite_ws.path, "test"))
    with store.read() as conn:
        assert scalar(conn, "PRAGMA foreign_keys") == 1
        assert scalar(conn, "PRAGMA journal_mode") == "wal"
    with store.write() as conn:
        assert scalar(conn, "PRAGMA foreign_keys") == 1
        assert scalar(conn, "PRAGMA busy_timeout") >= 5000
    store.dispose()


def test_edited_history_is_detected(sqlite_ws: Workspace) -> None:
    assert sqlite_ws.path
    for key in ("a", "b", "c"):
        assert run_coord("stakeholder", "add", key, "--name", key.upper(), "--kind", "other").exit_code == 0
    store = open_store(from_path(sqlite_ws.path, "test"))
    with store.read() as conn:
        assert verify_history(conn) == []
    with sqlite3.connect(sqlite_ws.path) as raw:
        raw.execute("UPDATE event SET actor = 'someone else' WHERE id = 2")
    raw.close()
    with store.read() as conn:
        assert verify_history(conn) == ["event 2: its content no longer matches its hash"]
    with sqlite3.connect(sqlite_ws.path) as raw:
        raw.execute("DELETE FROM event WHERE id = 3")
    raw.close()
    with store.read() as conn:
        assert verify_history(conn) == [
            "event 2: its content no longer matches its hash",
            "the newest events are missing (the chain head does not match)",
        ]
    store.dispose()
