"""coord matrix: who does what, one row per duty and one column per party."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say, write_out
from coordkit.cli.options import OnOpt, OutputOpt, ProjectOpt
from coordkit.domain.matrix import Matrix


class MatrixFormat(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"
    html = "html"
    xlsx = "xlsx"
    pdf = "pdf"


class By(StrEnum):
    stakeholder = "stakeholder"
    role = "role"


STYLES = {"R": "bold blue", "A": "bold red", "C": "yellow", "I": "dim"}


def matrix(
    project: ProjectOpt = None,
    by: Annotated[By, typer.Option("--by", help="Columns are stakeholders or roles.")] = By.stakeholder,
    on: OnOpt = None,
    fmt: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show the responsibility (RACI) matrix: duties by parties.

    Cells hold the letters a party carries for a duty (R,C when several);
    * marks a letter carried through a role, # one from a signed agreement.
    The last column names each row's findings. Without --project: the current
    project, else every project.

    \b
    Example:
      coord matrix --project liede-renjia --on 2024-07-01 --format xlsx -o matrix.xlsx
    """
    from coordkit.render import matrix as render
    from coordkit.services.checking import matrix as build

    with store() as opened, opened.read() as conn:
        data = build(conn, root=opened.root, project=project, on=on, by=by.value)
    if fmt == MatrixFormat.json:
        from coordkit.output import to_json

        write_out(to_json(data), output)
    elif fmt == MatrixFormat.csv:
        write_out(render.to_csv(data), output)
    elif fmt == MatrixFormat.md:
        from coordkit.output import to_markdown

        columns, rows = render.flat(data)
        write_out(to_markdown(rows, columns), output)
    elif fmt == MatrixFormat.html:
        with store() as opened:
            root = opened.root
        write_out(render.to_html(data, root), output)
    elif fmt in (MatrixFormat.xlsx, MatrixFormat.pdf):
        if output is None and sys.stdout.isatty():
            from coordkit.errors import InvalidInput

            raise InvalidInput(f"{fmt.value} is a binary format: pass -o FILE.{fmt.value}")
        if fmt == MatrixFormat.xlsx:
            write_out(render.to_xlsx(data), output)
        else:
            from coordkit.render.pdf import html_to_pdf

            with store() as opened:
                root = opened.root
            write_out(html_to_pdf(render.to_html(data, root), lang="en", workspace=root), output)
    else:
        _table(data, output)


def _table(data: Matrix, output: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not data["rows"]:
        say("No duties to show.")
        return
    title = f"Responsibility matrix · {data['project'] or 'all projects'} · {data['on']}"
    table = Table(title=title, header_style="bold")
    for header in ("category", "duty"):
        table.add_column(header)
    for column in data["columns"]:
        table.add_column(column["key"], justify="center")
    table.add_column("findings", style="red")
    for row in data["rows"]:
        cells = []
        for column in data["columns"]:
            text = Text()
            for index, mark in enumerate(row["cells"].get(column["key"], "").split(",")):
                if mark:
                    text.append(("," if index else "") + mark, style=STYLES[mark[0]])
            cells.append(text)
        style = "on grey23" if row["findings"] and sys.stdout.isatty() and output is None else None
        table.add_row(row["category"] or "", row["duty"], *cells, ", ".join(row["findings"]), style=style)
    terminal = output is None and sys.stdout.isatty()
    console = Console(force_terminal=terminal, no_color=not terminal, width=None if terminal else 250)
    with console.capture() as capture:
        console.print(table)
    write_out(capture.get(), output)
