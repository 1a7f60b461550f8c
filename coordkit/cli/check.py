"""coord check: flag gaps, overlaps and integrity problems before they become conflicts."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say, table_text, write_out
from coordkit.cli.options import OutputOpt, ProjectOpt

if TYPE_CHECKING:
    from coordkit.checks import Report


class CheckFormat(StrEnum):
    table = "table"
    json = "json"


def check(
    project: ProjectOpt = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Check this date only, YYYY-MM-DD (default: today, plus every gap in A within the project's dates).",
        ),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rules (comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules (comma-separated).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    output: OutputOpt = None,
) -> None:
    """Flag duties left unowned or owned twice, overloaded parties and more.

    Exit code 0 when there is no error-level finding, 1 when there is (or any
    warning, with --strict), 2 on bad input. Thresholds live in coord.toml.

    \b
    Example:
      coord check --project liede-renjia --ignore no-contact-channel --format json
    """
    from coordkit.checks import rule_names
    from coordkit.services.checking import check_store

    chosen, skipped = rule_names(select or [], "--select"), rule_names(ignore or [], "--ignore")
    with store() as opened, opened.read() as conn:
        report = check_store(conn, root=opened.root, project=project, on=on, select=chosen, ignore=skipped)
    print_report(report, fmt.value, output)
    if report.errors or (strict and report.warnings):
        raise typer.Exit(1)


def print_report(report: Report, fmt: str, output: Path | None) -> None:
    """Findings as a table or JSON, and a one-line summary on stderr."""
    if fmt == "json":
        from coordkit.output import to_json

        write_out(to_json(report.as_dict()), output)
    elif report.findings:
        rows = [f.as_dict() for f in report.findings]
        columns = [
            ("severity", "severity"),
            ("rule", "rule"),
            ("subject", "subject"),
            ("message", "finding"),
            ("hint", "what to do"),
        ]
        styles = {"severity": "bold red" if sys.stdout.isatty() else ""}
        text = table_text(rows, columns, title=f"Findings on {report.on}", styles=styles, to_file=output is not None)
        write_out(text, output)
    where = f" in project '{report.project}'" if report.project else ""
    say(f"{report.errors} error(s), {report.warnings} warning(s) on {report.on}{where}.")
