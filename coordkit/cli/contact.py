"""coord contact: the contacts with parties between meetings (calls, visits, messages)."""

from __future__ import annotations

from typing import Annotated

import typer

from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, people_names, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, KeysOpt, ListFormat, OutputOpt, ProjectOpt
from coordkit.i18n import _
from coordkit.vocab import INTERACTION_CHANNELS

app = typer.Typer(
    help=helptext(
        _("Contacts with parties between meetings: calls, visits, messages."),
        example="coord contact log liede-merchants --channel call --summary 'Told them the new market hours'",
    ),
    no_args_is_help=True,
)

COLUMNS = [
    ("key", "key"),
    ("date", "date"),
    ("party", "party"),
    ("project", "project"),
    ("channel", "channel"),
    ("by", "by"),
    ("summary", "summary"),
]


@app.command(
    "log",
    help=helptext(
        _("Log a contact with a party."),
        example="coord contact log liede-merchants --channel call --summary 'Told them the new market hours' --on 2024-08-20",
    ),
)
def log(
    party: Annotated[str, typer.Argument(help=_("The party: its key or name."))],
    channel: Annotated[
        str, typer.Option("--channel", help=_("How: {channels}.").format(channels=", ".join(INTERACTION_CHANNELS)))
    ],
    summary: Annotated[str, typer.Option("--summary", help=_("What was said or agreed."))],
    on: Annotated[str | None, typer.Option("--on", help=_("The day (default: today)."))] = None,
    by: Annotated[str | None, typer.Option("--by", help=_("Who was in touch with them."))] = None,
    project: ProjectOpt = None,
) -> None:
    from coordkit.services.contacts import log_contact

    with writing() as conn:
        found = log_contact(conn, party=party, channel=channel, summary=summary, on=on, by=by, project=project)
    say(
        _("Logged contact {key} with '{party}' on {date}.").format(
            key=found["key"], party=found["party"], date=found["date"]
        )
    )


@app.command(
    "list",
    help=helptext(
        _("List the contacts logged, newest first: with one party, or in a project."),
        example="coord contact list liede-merchants",
    ),
)
def list_(
    party: Annotated[str | None, typer.Argument(help=_("Only contacts with this party."))] = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    keys: KeysOpt = False,
    output: OutputOpt = None,
) -> None:
    from coordkit.services.contacts import list_contacts

    with reading() as conn:
        found = list_contacts(conn, party=party, project=project)
    named = people_names(fmt.value, keys, parties=("party",), projects=("project",))
    emit(found, list(found), COLUMNS, fmt.value, output, title=_("Contacts"), named=named, hide_first=("project",))
