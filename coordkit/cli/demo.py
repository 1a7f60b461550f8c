"""coord demo: the Liede Renjia example as a workspace, its matrix, its findings and its documents."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.display import say
from coordkit.i18n import _


def demo(
    directory: Annotated[Path, typer.Argument(help="Folder to build it in (must not exist yet).")] = Path(
        "liede-renjia-demo"
    ),
) -> None:
    """Build the Liede Renjia example workspace and render its documents.

    What this machine cannot render (PDFs without WeasyPrint's libraries,
    Chinese PDFs without a CJK font) is skipped with one line that names the fix.

    \b
    Example:
      coord demo liede-renjia-demo
    """
    from coordkit.cli.check import findings_text
    from coordkit.cli.display import use_color, width
    from coordkit.cli.matrix import matrix_text
    from coordkit.services.demo import DEMO_DATE, build_demo

    result = build_demo(directory, progress=say)
    colour = use_color()
    say(
        "\n"
        + _("The responsibility matrix of {project} on {day} (the example's date):").format(
            project=result.project, day=DEMO_DATE
        )
    )
    sys.stdout.write(matrix_text(result.matrix, room=width(), colour=colour))
    say("\n" + _("What coord check finds on {day}:").format(day=DEMO_DATE))
    sys.stdout.write(findings_text(result.report, room=width(), colour=colour, names=result.names))
    say(
        _("{errors} error(s), {warnings} warning(s) on {on} in project '{project}'.").format(
            errors=result.report.errors, warnings=result.report.warnings, on=DEMO_DATE, project=result.project
        )
    )
    say("\n" + _("Made:"))
    for label, path in result.made:
        say(f"  {label:<36} {path}")
    for note in result.notes:
        say("  " + _("note: {note}").format(note=note))
    say("\n" + _("Try:"))
    run = how_to_run()
    if run:
        say("  " + run)
    say(f"  cd {directory}")
    for command in (f"coord matrix --on {DEMO_DATE}", f"coord check --on {DEMO_DATE}", "coord agreement list"):
        say(f"  {command}")


def how_to_run() -> str:
    """The line to type first when ``coord`` is not on the PATH (the quick start installs into a venv).

    ``.venv/bin/coord demo`` runs, but the ``coord matrix`` it suggests would
    say "command not found": the environment's activate script is named instead.
    """
    here = Path(sys.argv[0])
    found = shutil.which("coord")
    if found and (here.name not in ("coord", "coord.exe") or Path(found).resolve() == here.resolve()):
        return ""
    folder = here.resolve().parent
    if os.name == "nt" or (folder / "activate.bat").exists():
        script = folder / "activate.bat"
        return _("coord is not on your PATH; first run: {command}").format(command=script)
    script = folder / "activate"
    if script.exists():
        return _("coord is not on your PATH; first run: {command}").format(command=f"source {script}")
    return _("coord is not on your PATH; run it as {path}, or install it with pipx install .").format(path=here)
