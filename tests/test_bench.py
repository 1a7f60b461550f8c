"""The benchmark runs end to end at a small scale, so it never breaks (timings are not asserted).

It is ten seconds of child processes, each figure run once (``--repeat 1``). So that the suite
does not wait for them, the run starts as soon as the tests are collected (conftest.py calls
``start_early`` of tests marked ``early``) and goes on beside the other tests; this test waits for
it and checks what it did. Run alone, or under pytest-xdist, the test starts the run itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EARLY

ROOT = Path(__file__).parent.parent


def start_early(folder: Path) -> subprocess.Popen[str]:
    """``python -m bench.run --scale small --repeat 1`` in the background, its table into ``folder``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COORD_") and k != "EDITOR"}
    env |= {"COORD_USER": "tester", "HOME": str(folder / "home")}
    command = [sys.executable, "-m", "bench.run", "--scale", "small", "--repeat", "1"]
    command += ["--data", str(folder / "data"), "--json", str(folder / "out.json")]
    with (folder / "table.md").open("w") as table, (folder / "stderr.txt").open("w") as stderr:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=table, stderr=stderr, text=True)


@pytest.mark.slow
@pytest.mark.early
def test_benchmark_small_scale(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    started = request.config.stash.get(EARLY, {}).get(request.node.nodeid)
    folder, run = started or (tmp_path, start_early(tmp_path))
    assert run.wait(timeout=600) == 0, (folder / "stderr.txt").read_text()
    printed = (folder / "table.md").read_text()
    saved = json.loads((folder / "out.json").read_text())
    names = [f["name"] for f in saved["figures"]]
    assert "coord check" in names and "coord matrix --format csv" in names
    for figure in saved["figures"]:
        assert len(figure["samples"]) == 1 and figure["samples"][0] > 0 and figure["peak_mb"] > 0
    rows = [line.split(" | ")[0].removeprefix("| ") for line in printed.splitlines() if line.startswith("| ")]
    assert rows == ["figure", *names]  # the table prints every figure, in order
    assert (folder / "data" / "store" / "coord.db").is_file()
    assert (folder / "data" / "pdf-store" / "coord.db").is_file()
