"""coord action: the action items of joint meetings, and their follow-up."""

from __future__ import annotations

from typing import Annotated

import typer

from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, people_names, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, KeysOpt, ListFormat, OnOpt, OutputOpt, ProjectOpt
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(
        _("Action items of joint meetings: owners, deadlines and follow-up."),
        example="coord action list --open",
    ),
    no_args_is_help=True,
)

COLUMNS = [
    ("action", "action"),
    ("meeting", "meeting"),
    ("text", "text"),
    ("owner", "owner"),
    ("due", "due"),
    ("duty", "duty"),
    ("state", "state"),
    ("done", "done"),
]


@app.command(
    "list",
    help=helptext(
        _("List a project's action items and their state on a date."),
        example="coord action list --open --owner liede-sw",
    ),
)
def list_(
    open_only: Annotated[bool, typer.Option("--open", help=_("Only the actions not done yet."))] = False,
    owner: Annotated[str | None, typer.Option("--owner", help=_("Only this party's actions."))] = None,
    on: OnOpt = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    keys: KeysOpt = False,
    output: OutputOpt = None,
) -> None:
    from coordkit.services.meetings import list_actions

    with reading() as conn:
        found = list_actions(conn, project=project, open_only=open_only, owner=owner, on=on)
    named = people_names(fmt.value, keys, parties=("owner",), projects=("project",))
    emit(found, found, COLUMNS, fmt.value, output, title=_("Action items"), named=named)


@app.command(
    "done",
    help=helptext(
        _("Record that an action item is done."),
        _("Signed-off minutes allow it: whether an action is done is follow-up, outside the minutes' hash."),
        example="coord action done 2024-03-04/1 --on 2024-04-22 --note 'Group chat set up'",
    ),
)
def done(
    ref: Annotated[str, typer.Argument(help=_("The action: MEETING/N, such as 2024-03-04/1."))],
    on: Annotated[str | None, typer.Option("--on", help=_("The day it was done (default: today)."))] = None,
    note: Annotated[str | None, typer.Option("--note", help=_("How it was done."))] = None,
    project: ProjectOpt = None,
) -> None:
    from coordkit.services.meetings import action_done

    with writing() as conn:
        found = action_done(conn, ref=ref, on=on, note=note, project=project)
    say(_("Action {ref} is done ({date}).").format(ref=ref, date=found["done"]))
