"""The README's shell blocks run as written, in order, in a temporary folder: a reader who types them gets
what the README says.

A block is skipped only when the line just above it says so and why
(``<!-- not run in tests: installs system packages -->``) or hands it to the
agreement work (``<!-- lead: agreements -->``): never silently. A command
that must fail says so on its own line (``# exits 1: …``). The folder starts
as a clone's does, with ``agreements/``; ``coord`` is the one this Python
runs (its bin folder first on the PATH); the working folder carries over from
one command to the next, as in one terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIP = re.compile(r"<!-- (not run in tests: .+|lead: agreements) -->")
EXITS = re.compile(r"#\s*exits (\d+)")


@dataclass
class Block:
    line: int  # where its first command is in the README
    commands: list[tuple[int, str]]  # (line, command), continuation lines joined
    skipped: str  # the marker's reason, or "" when it runs


def shell_blocks(text: str) -> list[Block]:
    """Every ```sh block, with the marker (if any) on the last non-empty line before it."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```sh":
            index += 1
            continue
        before = next((line for line in reversed(lines[:index]) if line.strip()), "")
        marker = SKIP.search(before)
        body_start = index + 1
        index += 1
        commands: list[tuple[int, str]] = []
        pending = ""
        start_line = 0
        while lines[index].strip() != "```":
            line = lines[index]
            if not pending:
                start_line = index + 1
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
            else:
                command = (pending + line).strip()
                pending = ""
                if command and not command.startswith("#"):
                    commands.append((start_line, command))
            index += 1
        found.append(Block(body_start, commands, marker.group(1) if marker else ""))
        index += 1
    return found


def test_the_readme_has_blocks_to_run_and_marks_every_skipped_one() -> None:
    blocks = shell_blocks(README.read_text(encoding="utf-8"))
    run = [b for b in blocks if not b.skipped]
    assert len(run) >= 5 and sum(len(b.commands) for b in run) >= 30
    assert {b.skipped for b in blocks if b.skipped} <= {
        "not run in tests: makes a virtual environment and installs coord",
        "not run in tests: installs the test dependencies and runs this whole suite",
        "not run in tests: installs system packages",
        "not run in tests: needs a PostgreSQL server",
        "lead: agreements",
    }
    first = next(b for b in run)
    assert first.commands[0][1] == "coord demo liede-renjia-demo"


@pytest.mark.slow
def test_every_shell_block_of_the_readme_runs_in_order(tmp_path: Path) -> None:
    work = tmp_path / "clone"
    work.mkdir()
    shutil.copytree(ROOT / "agreements", work / "agreements")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "COORD_PAGER": "cat",
    }
    for name in ("COORD_DB", "COORD_DATABASE_URL", "COORD_LANG", "VIRTUAL_ENV"):
        env.pop(name, None)
    cwd = work
    where = tmp_path / "cwd"
    ran = 0
    for block in shell_blocks(README.read_text(encoding="utf-8")):
        if block.skipped:
            continue
        for line, command in block.commands:
            expected = int(EXITS.search(command).group(1)) if EXITS.search(command) else 0
            script = f'{command}\nstatus=$?\npwd > "{where}"\nexit $status\n'
            result = subprocess.run(
                ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
            )
            assert result.returncode == expected, (
                f"README.md:{line}: {command}\nexit {result.returncode}, expected {expected}\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )
            cwd = Path(where.read_text().strip())
            ran += 1
    assert ran >= 30
    assert (work / "liede-renjia-demo" / "documents" / "matrix.xlsx").is_file()
    assert (work / "ascode-demo" / "workspace.yaml").is_file()
