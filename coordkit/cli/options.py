"""Options shared by many commands, defined once (as pip-tools does)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.completion import complete


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    md = "md"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


FormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
ShowFormatOpt = Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.", dir_okay=False)
]
ProjectOpt = Annotated[
    str | None,
    typer.Option(
        "--project",
        "-p",
        help="Project key or name (default: the current project, see 'coord project use').",
        autocompletion=complete("project"),
    ),
]
KeysOpt = Annotated[bool, typer.Option("--keys", help="Show parties and projects by key instead of by name.")]


def reader_lang(value: str | None) -> str:
    """A document's or a list's language: the one asked for, else the reader's (``--lang`` of the command line,
    ``COORD_LANG``, ``coord.toml``, the locale), so a coordinator who set zh once gets Chinese everywhere."""
    from coordkit.i18n import language

    return value or language()


FromOpt = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: open).")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day, inclusive, YYYY-MM-DD (default: open).")]
OnOpt = Annotated[str | None, typer.Option("--on", help="The date to look at, YYYY-MM-DD (default: today).")]
