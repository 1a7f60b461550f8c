"""coord duty: responsibilities and their RACI assignments."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, emit_record, say
from coordkit.cli.options import (
    FormatOpt,
    FromOpt,
    ListFormat,
    OutputOpt,
    ProjectOpt,
    ShowFormat,
    ShowFormatOpt,
    ToOpt,
)
from coordkit.domain.duties import Assignment, Duty

app = typer.Typer(
    help="Duties (one responsibility each) and their RACI assignments.\n\n\b\nExample:\n  coord duty assign market-venue liede-committee --as A",
    no_args_is_help=True,
)

COLUMNS = [
    ("project", "project"),
    ("category", "category"),
    ("key", "key"),
    ("title", "title"),
    ("due", "due"),
    ("assignments", "assignments"),
]
PartyArg = Annotated[str, typer.Argument(help="Stakeholder key, or role:KEY for a role of the project.")]


def _assignment_text(item: Assignment) -> str:
    party = item["stakeholder"] or f"role:{item['role']}"
    window = ""
    if item["from"] or item["to"]:
        window = f" {item['from'] or '…'}..{item['to'] or '…'}"
    source = f" [{item['agreement']}]" if item.get("agreement") else ""
    return f"{item['letter']} {party}{window}{source}"


def _flat(duty: Duty) -> dict[str, Any]:
    return {**duty, "assignments": ", ".join(_assignment_text(a) for a in duty["assignments"])}


@app.command("add")
def add(
    key: Annotated[str, typer.Argument(help="Duty key, a slug such as market-venue.")],
    title: Annotated[str, typer.Option("--title", help="What must be done.")],
    title_zh: Annotated[str | None, typer.Option("--title-zh", help="Chinese title.")] = None,
    category: Annotated[str | None, typer.Option("--category", help="Group in the matrix, e.g. markets.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a duty to a project.

    \b
    Example:
      coord duty add market-venue --title "Provide the venue for the monthly market" --category markets
    """
    from coordkit.services.duties import add_duty

    with writing() as conn:
        add_duty(conn, key=key, title=title, title_zh=title_zh, category=category, due=due, project=project)
    say(f"Added duty '{key}'.")


@app.command("list")
def list_(
    category: Annotated[str | None, typer.Option("--category", help="Only this category.")] = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """List a project's duties with their assignments.

    \b
    Example:
      coord duty list --category markets --format json
    """
    from coordkit.services.duties import list_duties

    with reading() as conn:
        rows = list_duties(conn, project=project, category=category)
    emit(rows, [_flat(r) for r in rows], COLUMNS, fmt.value, output, title="Duties")


@app.command("show")
def show(
    key: Annotated[str, typer.Argument(help="Duty key.")],
    project: ProjectOpt = None,
    fmt: ShowFormatOpt = ShowFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show one duty and who carries it.

    \b
    Example:
      coord duty show market-venue
    """
    from coordkit.services.duties import get_duty

    with reading() as conn:
        found = get_duty(conn, key=key, project=project)
    data = (
        found if fmt.value != "table" else {**found, "assignments": [_assignment_text(a) for a in found["assignments"]]}
    )
    emit_record(data, fmt.value, output, title=f"Duty {key}")


@app.command("edit")
def edit(
    key: Annotated[str, typer.Argument(help="Duty key.")],
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help="New Chinese title ('' clears).")] = None,
    category: Annotated[str | None, typer.Option("--category", help="New category ('' clears).")] = None,
    due: Annotated[str | None, typer.Option("--due", help="New due date ('' clears).")] = None,
    project: ProjectOpt = None,
) -> None:
    """Change a duty's title, category or due date.

    \b
    Example:
      coord duty edit market-venue --due 2024-12-31
    """
    from coordkit.services.duties import edit_duty

    with writing() as conn:
        edit_duty(conn, key=key, project=project, title=title, title_zh=title_zh, category=category, due=due)
    say(f"Changed duty '{key}'.")


@app.command("remove")
def remove(key: Annotated[str, typer.Argument(help="Duty key.")], project: ProjectOpt = None) -> None:
    """Remove a duty that has no assignments.

    \b
    Example:
      coord duty remove old-duty
    """
    from coordkit.services.duties import remove_duty

    with writing() as conn:
        remove_duty(conn, key=key, project=project)
    say(f"Removed duty '{key}'.")


@app.command("assign")
def assign(
    duty: Annotated[str, typer.Argument(help="Duty key.")],
    party: PartyArg,
    letter: Annotated[str, typer.Option("--as", help="RACI letter: R, A, C or I.")],
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Give a stakeholder (or a role) a RACI letter for a duty.

    \b
    Example:
      coord duty assign market-venue liede-committee --as A --from 2024-01-01
    """
    from coordkit.services.duties import assign_duty

    with writing() as conn:
        assign_duty(
            conn, duty=duty, party=party, letter=letter, project=project, valid_from=valid_from, valid_to=valid_to
        )
    say(f"'{party}' is {letter.upper()} for duty '{duty}'.")


@app.command("unassign")
def unassign(
    duty: Annotated[str, typer.Argument(help="Duty key.")],
    party: PartyArg,
    letter: Annotated[str | None, typer.Option("--as", help="Only this letter (default: all of the party's).")] = None,
    project: ProjectOpt = None,
) -> None:
    """Remove a party's manual assignments to a duty.

    \b
    Example:
      coord duty unassign market-venue liede-committee --as C
    """
    from coordkit.services.duties import unassign_duty

    with writing() as conn:
        unassign_duty(conn, duty=duty, party=party, letter=letter, project=project)
    say(f"Removed the assignment(s) of '{party}' to duty '{duty}'.")
