"""coord duty: responsibilities and their RACI assignments."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from coordkit.cli.completion import complete
from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, emit_record, say, write_out
from coordkit.cli.options import (
    FromOpt,
    OutputOpt,
    ProjectOpt,
    ShowFormat,
    ShowFormatOpt,
    ToOpt,
)
from coordkit.domain.duties import Assignment, Duty
from coordkit.i18n import _

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
PartyArg = Annotated[
    str,
    typer.Argument(
        help="Stakeholder key, or role:KEY for a role of the project.", autocompletion=complete("stakeholder", "role")
    ),
]
DutyArg = Annotated[str, typer.Argument(help="Duty key or title.", autocompletion=complete("duty"))]


def _parties(flag: str, meaning: str) -> typer.models.OptionInfo:
    """``--r liede-sw`` … : the parties given a letter when the duty is made (comma-separated or repeated)."""
    return typer.Option(
        flag,
        help=meaning + ": stakeholder keys or role:KEY, comma-separated or repeated.",
        autocompletion=complete("stakeholder", "role"),
    )


ROpt = Annotated[list[str] | None, _parties("--r", "Responsible: who does the work")]
AOpt = Annotated[list[str] | None, _parties("--a", "Accountable: who answers for it (one)")]
COpt = Annotated[list[str] | None, _parties("--c", "Consulted: asked before")]
IOpt = Annotated[list[str] | None, _parties("--i", "Informed: told after")]


def _assignment_text(item: Assignment) -> str:
    party = item["stakeholder"] or f"role:{item['role']}"
    window = ""
    if item["from"] or item["to"]:
        window = f" {item['from'] or '…'}..{item['to'] or '…'}"
    source = f" [{item['agreement']}]" if item.get("agreement") else ""
    return f"{item['letter']} {party}{window}{source}"


def _flat(duty: Duty, *, as_stored: bool = False) -> dict[str, Any]:
    """One row of the list; under zh the title is the Chinese one (else the English one), except ``as_stored``
    (the XLSX that ``coord import duties`` reads back has both titles in their own columns)."""
    from coordkit.i18n import language

    title = (duty["title_zh"] if language() == "zh" and not as_stored else None) or duty["title"]
    return {**duty, "title": title, "assignments": ", ".join(_assignment_text(a) for a in duty["assignments"])}


@app.command("add")
def add(
    title: Annotated[str, typer.Option("--title", help="What must be done.")],
    key: Annotated[
        str | None, typer.Argument(help="Duty key, a slug such as market-venue (default: made from the title).")
    ] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help="Chinese title.")] = None,
    category: Annotated[str | None, typer.Option("--category", help="Group in the matrix, e.g. markets.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")] = None,
    r: ROpt = None,
    a: AOpt = None,
    c: COpt = None,
    i: IOpt = None,
    exclusive: Annotated[
        bool, typer.Option("--exclusive", help="One R at a time, such as holding the keys of the square.")
    ] = False,
    project: ProjectOpt = None,
) -> None:
    """Add a duty to a project, with its RACI letters if you like.

    \b
    Example:
      coord duty add market-venue --title "Provide the market square" --r liede-property --a liede-street --c liede-sw,role:venue-host
    """
    from coordkit.services.duties import add_duty
    from coordkit.textparse import split_list

    parties = {
        letter: split_list(",".join(given)) for letter, given in (("R", r), ("A", a), ("C", c), ("I", i)) if given
    }
    with writing() as conn:
        added = add_duty(
            conn,
            key=key,
            title=title,
            title_zh=title_zh,
            category=category,
            due=due,
            project=project,
            parties=parties,
            exclusive=exclusive,
        )
    if key is None:
        say(_("Added duty '{key}' (a key made from its title).").format(key=added["key"]))
    else:
        say(_("Added duty '{key}'.").format(key=key))


class DutyListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    md = "md"
    xlsx = "xlsx"


@app.command("list")
def list_(
    category: Annotated[str | None, typer.Option("--category", help="Only this category.")] = None,
    project: ProjectOpt = None,
    fmt: Annotated[
        DutyListFormat, typer.Option("--format", "-f", help="Output format (xlsx: to edit and import).")
    ] = DutyListFormat.table,
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
    if fmt == DutyListFormat.xlsx:
        import sys

        from coordkit.dates import today
        from coordkit.errors import InvalidInput
        from coordkit.render.sheet import to_xlsx

        if output is None and sys.stdout.isatty():
            raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format="xlsx"))
        from coordkit.i18n import language

        lang = language()
        title = ("职责清单" if lang == "zh" else "Duties") + f" · {project or ''} · {today().isoformat()}"
        flat = [_flat(r, as_stored=True) for r in rows]
        write_out(to_xlsx(title.replace(" ·  ·", " ·"), flat, COLUMNS, lang=lang, sheet_name="Duties"), output)
        return
    emit(rows, [_flat(r) for r in rows], COLUMNS, fmt.value, output, title="Duties", hide_first=("project", "due"))


@app.command("show")
def show(
    key: DutyArg,
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
    emit_record(data, fmt.value, output, title=_("Duty {key}").format(key=key))


@app.command("edit")
def edit(
    key: DutyArg,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help="New Chinese title ('' clears).")] = None,
    category: Annotated[str | None, typer.Option("--category", help="New category ('' clears).")] = None,
    due: Annotated[str | None, typer.Option("--due", help="New due date ('' clears).")] = None,
    exclusive: Annotated[
        bool | None,
        typer.Option("--exclusive/--shared", help="One R at a time, or any number of R.", show_default=False),
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Change a duty's title, category, due date or exclusivity.

    \b
    Example:
      coord duty edit market-venue --due 2024-12-31
    """
    from coordkit.services.duties import edit_duty

    with writing() as conn:
        changed = edit_duty(
            conn,
            key=key,
            project=project,
            title=title,
            title_zh=title_zh,
            category=category,
            due=due,
            exclusive=exclusive,
        )
    say(_("Changed duty '{key}'.").format(key=changed["key"]))


@app.command("remove")
def remove(key: DutyArg, project: ProjectOpt = None) -> None:
    """Remove a duty that has no assignments.

    \b
    Example:
      coord duty remove old-duty
    """
    from coordkit.services.duties import remove_duty

    with writing() as conn:
        removed = remove_duty(conn, key=key, project=project)
    say(_("Removed duty '{key}'.").format(key=removed["key"]))


@app.command("assign")
def assign(
    duty: DutyArg,
    party: PartyArg,
    letter: Annotated[str, typer.Option("--as", help="RACI letters: R, A, C or I; several as R,A.")],
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Give a stakeholder (or a role) RACI letters for a duty.

    \b
    Example:
      coord duty assign market-venue liede-committee --as R,A --from 2024-01-01
    """
    from coordkit.services.duties import assign_duty, letter_list

    with writing() as conn:
        assign_duty(
            conn, duty=duty, party=party, letter=letter, project=project, valid_from=valid_from, valid_to=valid_to
        )
    say(
        _("'{party}' is {letters} for duty '{duty}'.").format(
            party=party, letters=",".join(letter_list(letter)), duty=duty
        )
    )


@app.command("unassign")
def unassign(
    duty: DutyArg,
    party: PartyArg,
    letter: Annotated[
        str | None, typer.Option("--as", help="Only these letters, e.g. A or R,A (default: all of the party's).")
    ] = None,
    valid_from: Annotated[
        str | None, typer.Option("--from", help="Remove only from this day on, YYYY-MM-DD (the rest stays).")
    ] = None,
    valid_to: Annotated[
        str | None, typer.Option("--to", help="Remove only up to this day, inclusive (the rest stays).")
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Remove a party's manual assignments to a duty, or only a period of them.

    \b
    Example:
      coord duty unassign market-venue liede-committee --as A --from 2024-03-01 --to 2024-12-31
    """
    from coordkit.services.duties import unassign_duty

    with writing() as conn:
        unassign_duty(
            conn, duty=duty, party=party, letter=letter, project=project, valid_from=valid_from, valid_to=valid_to
        )
    say(_("Removed the assignment(s) of '{party}' to duty '{duty}'.").format(party=party, duty=duty))


@app.command("merge")
def merge(
    keep: Annotated[str, typer.Argument(help="The duty that stays.", autocompletion=complete("duty"))],
    other: Annotated[str, typer.Argument(help="The duty folded into it.", autocompletion=complete("duty"))],
    project: ProjectOpt = None,
) -> None:
    """Merge a duplicate duty into another; its old key still resolves.

    \b
    Example:
      coord duty merge brand-publicity project-publicity
    """
    from coordkit.services.duties import merge_duties

    with writing() as conn:
        merge_duties(conn, keep=keep, other=other, project=project)
    say(_("Merged duty '{other}' into '{keep}'; '{other}' now names '{keep}'.").format(other=other, keep=keep))


@app.command("use")
def use(
    duty: DutyArg,
    resource: Annotated[
        str, typer.Argument(help="A registered resource: its key or name.", autocompletion=complete("resource"))
    ],
    when: Annotated[
        str, typer.Option("--when", help="When: 2024-06-08, 2024-06-08 09:00-12:00, monthly second sat 09:00-17:00.")
    ],
    units: Annotated[int, typer.Option("--units", help="How much of its capacity it takes.")] = 1,
    project: ProjectOpt = None,
) -> None:
    """Record that a duty uses a shared resource, and when.

    \b
    Example:
      coord duty use heritage-festival square --when "2024-06-08..2024-06-09"
    """
    from coordkit.services.resources import use_resource

    with writing() as conn:
        after = use_resource(conn, duty=duty, resource=resource, when=when, units=units, project=project)
    booked = after.get("uses", [])[-1]["resource"]  # its key, when a name was typed
    say(_("Duty '{duty}' uses '{resource}' ({when}).").format(duty=after["key"], resource=booked, when=when))


@app.command("release")
def release(
    duty: DutyArg,
    resource: Annotated[
        str, typer.Argument(help="A registered resource: its key or name.", autocompletion=complete("resource"))
    ],
    when: Annotated[str | None, typer.Option("--when", help="Only the booking at this slot.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Take back a duty's booking of a shared resource.

    \b
    Example:
      coord duty release heritage-festival square
    """
    from coordkit.services.resources import release_resource

    with writing() as conn:
        after = release_resource(conn, duty=duty, resource=resource, when=when, project=project)
    say(_("Duty '{duty}' no longer uses '{resource}'.").format(duty=after["key"], resource=resource))
