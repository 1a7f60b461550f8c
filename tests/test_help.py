"""Every command explains itself: a one-line summary and an example."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
import typer

from coordkit.cli.app import app
from tests.conftest import run_coord


def walk(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            found += walk(command.get_command(ctx, name), (*path, name))
    return found


COMMANDS = walk(typer.main.get_command(app))


def test_there_are_commands_to_walk() -> None:
    assert ("stakeholder", "add") in COMMANDS and ("duty", "assign") in COMMANDS and ("log",) in COMMANDS


def test_every_command_has_a_summary_and_an_example() -> None:
    for path in COMMANDS:
        result = run_coord(*path, "--help")
        assert result.exit_code == 0, path
        lines = result.stdout.splitlines()
        assert lines[0].startswith("Usage: coord"), path
        summary = lines[2].strip()
        assert lines[3] == "", (path, "the summary is more than one line")
        assert summary[0].isupper() and summary.endswith("."), (path, summary)
        assert "Example:" in result.stdout, path
        example = result.stdout.split("Example:")[1].strip().splitlines()[0]
        assert example.startswith("coord "), (path, example)


@pytest.mark.parametrize(
    ("argv", "lang"),
    [(["--help"], "en"), (["--help"], "zh"), (["key", "--help"], "zh"), (["key", "new", "--help"], "en")],
)
def test_help_imports_no_database_template_pdf_or_build_library(argv: list[str], lang: str) -> None:
    """Babel compiles the catalogues at build time; coord reads them with the standard gettext."""
    probe = (
        "import sys\n"
        "from coordkit.cli import main\n"
        f"sys.argv = ['coord', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'sqlmodel', 'sqlalchemy', 'jinja2', 'weasyprint', 'pydantic', 'openpyxl', 'yaml', 'babel'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy), file=sys.stderr)\n"
    )
    env = {**os.environ, "COORD_LANG": lang}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.startswith("Usage: coord"), result.stdout
    assert result.stderr.strip() == "[]"


def test_root_help_lists_each_command_with_its_own_summary() -> None:
    """The root help is written out (so that it loads no command); it must say what each command says."""
    from coordkit.cli.app import COMMANDS, load_command

    for name, (_module, _attribute, summary) in COMMANDS.items():
        help_text = load_command(name).help or ""
        assert help_text.strip().split("\n\n")[0].replace("\n", " ") == summary, name
    listing = run_coord("--help").stdout
    for name in COMMANDS:
        assert f"  {name} " in listing


def test_version() -> None:
    from coordkit import __version__

    assert run_coord("--version").stdout == f"coord {__version__}\n"


def test_usage_error_exits_2() -> None:
    result = run_coord("stakeholder", "add")  # KEY may be left out (made from the name); --kind may not
    assert result.exit_code == 2
    assert "Missing option '--kind'" in result.stderr
