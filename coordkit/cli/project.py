"""coord project: cooperation efforts."""

from __future__ import annotations

from typing import Annotated

import typer

from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, emit_record, say
from coordkit.cli.options import FormatOpt, ListFormat, OutputOpt, ProjectOpt, ShowFormat, ShowFormatOpt
from coordkit.i18n import _

app = typer.Typer(
    help="Projects: the cooperation efforts that roles and duties belong to.\n\n\b\nExample:\n  coord project add liede-renjia --name 'Liede Renjia'",
    no_args_is_help=True,
)

COLUMNS = [
    ("key", "key"),
    ("name", "name"),
    ("name_zh", "中文名"),
    ("start", "start"),
    ("end", "end"),
    ("lead", "lead"),
    ("roles", "roles"),
    ("duties", "duties"),
    ("current", "current"),
]


@app.command("add")
def add(
    name: Annotated[str, typer.Option("--name", help="Name.")],
    key: Annotated[
        str | None, typer.Argument(help="Project key, a slug such as liede-renjia (default: made from the name).")
    ] = None,
    name_zh: Annotated[str | None, typer.Option("--name-zh", help="Chinese name.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD.")] = None,
    lead: Annotated[str | None, typer.Option("--lead", help="Lead stakeholder key.")] = None,
) -> None:
    """Add a project.

    \b
    Example:
      coord project add liede-renjia --name "Liede Renjia" --name-zh 猎德人家 --start 2024-01-01 --lead liede-street
    """
    from coordkit.services.projects import add_project

    with writing() as conn:
        added = add_project(conn, key=key, name=name, name_zh=name_zh, start=start, end=end, lead=lead)
    if key is None:
        say(_("Added project '{key}' (a key made from its name).").format(key=added["key"]))
    else:
        say(_("Added project '{key}'.").format(key=key))


@app.command("list")
def list_(fmt: FormatOpt = ListFormat.table, output: OutputOpt = None) -> None:
    """List the projects.

    \b
    Example:
      coord project list --format csv
    """
    from coordkit.services.projects import list_projects

    with reading() as conn:
        rows = list_projects(conn)
    emit(rows, rows, COLUMNS, fmt.value, output, title="Projects")


@app.command("show")
def show(
    key: Annotated[str, typer.Argument(help="Project key.")],
    fmt: ShowFormatOpt = ShowFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show one project.

    \b
    Example:
      coord project show liede-renjia
    """
    from coordkit.services.projects import get_project

    with reading() as conn:
        found = get_project(conn, key)
    emit_record(found, fmt.value, output, title=_("Project {key}").format(key=key))


@app.command("use")
def use(key: Annotated[str, typer.Argument(help="Project key.")]) -> None:
    """Make a project the current one, used when --project is not given.

    \b
    Example:
      coord project use liede-renjia
    """
    from coordkit.services.projects import use_project

    with writing() as conn:
        chosen = use_project(conn, key=key)
    say(_("Current project: '{key}'.").format(key=chosen["key"]))


@app.command("category")
def category(
    key: Annotated[str, typer.Argument(help="Category key, as duties name it (markets).")],
    name: Annotated[str | None, typer.Option("--name", help="Name in English.")] = None,
    name_zh: Annotated[str | None, typer.Option("--name-zh", help="Name in Chinese.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Name a duty category in English and Chinese, for tables and documents.

    \b
    Example:
      coord project category markets --name "Public-welfare markets" --name-zh 公益市集
    """
    from coordkit.services.projects import name_category

    with writing() as conn:
        name_category(conn, key=key, project=project, name=name, name_zh=name_zh)
    say(_("Named category '{key}'.").format(key=key))
