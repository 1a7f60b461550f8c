"""Two coordinators writing at once: they wait for each other, nothing is lost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import Workspace, run_coord

WRITER = """
import sys
from coordkit.services.stakeholders import add_stakeholder
from coordkit.storage.engine import open_store
from coordkit.storage.location import from_path
from pathlib import Path

store = open_store(from_path(Path(sys.argv[1]), "test"))
prefix = sys.argv[2]
for number in range(200):
    with store.write() as conn:  # one unit of work per stakeholder, as 200 commands would
        add_stakeholder(conn, key=f"{prefix}-{number:03d}", name=f"{prefix} {number}", kind="volunteer-team")
store.dispose()
"""


@pytest.mark.slow
def test_two_processes_each_adding_200_stakeholders(sqlite_ws: Workspace) -> None:
    assert sqlite_ws.path
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(sqlite_ws.path), prefix], stderr=subprocess.PIPE, text=True)
        for prefix in ("east", "west")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    keys = [s["key"] for s in json.loads(run_coord("stakeholder", "list", "-f", "json").stdout)]
    assert len(keys) == 400
    assert keys == sorted([f"east-{n:03d}" for n in range(200)] + [f"west-{n:03d}" for n in range(200)])
    from coordkit.services.history import verify_history
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import from_path

    store = open_store(from_path(sqlite_ws.path, "test"))
    with store.read() as conn:
        assert verify_history(conn) == []
    store.dispose()
