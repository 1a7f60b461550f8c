"""coord member: who may do what in a team store (PostgreSQL logins mapped to parties and kinds)."""

from __future__ import annotations

from typing import Annotated

import typer

from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, ListFormat, OutputOpt
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(
        _("Members of a team store on PostgreSQL: coordinators, party members, viewers."),
        example="coord member add liede-sw --party liede-sw --as party --password",
    ),
    no_args_is_help=True,
)

COLUMNS = [("login", "login"), ("kind", "kind"), ("party", "party")]


@app.command(
    "add",
    help=helptext(
        _("Let a database login work here as a coordinator, party member or viewer."),
        _("The login role is created when missing; only the store's owner may add members."),
        example="coord member add liede-sw --party liede-sw --as party --password",
    ),
)
def add(
    login: Annotated[str, typer.Argument(help=_("The PostgreSQL login name."))],
    kind: Annotated[str, typer.Option("--as", help=_("coordinator, party or viewer."))],
    party: Annotated[
        str | None, typer.Option("--party", help=_("The party (its key or name) a party member acts for."))
    ] = None,
    password: Annotated[
        bool, typer.Option("--password", help=_("Ask for a password for the login (else: peer or other auth)."))
    ] = False,
) -> None:
    from coordkit.services.members import add_member, require_team

    with reading() as conn:  # refuse a store without members before asking for a password
        require_team(conn)
    secret = typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True) if password else None
    with writing() as conn:
        found = add_member(conn, login=login, kind=kind, party=party, password=secret)
    if found["party"]:
        say(_("Added {login} as a member for party '{party}'.").format(login=login, party=found["party"]))
    elif found["kind"] == "coordinator":
        say(_("Added {login} as a coordinator.").format(login=login))
    else:
        say(_("Added {login} as a viewer.").format(login=login))


@app.command("list", help=helptext(_("List the members of this team store."), example="coord member list"))
def list_(fmt: FormatOpt = ListFormat.table, output: OutputOpt = None) -> None:
    from coordkit.services.members import list_members

    with reading() as conn:
        found = list_members(conn)
    emit(found, list(found), COLUMNS, fmt.value, output, title=_("Members"))


@app.command(
    "remove",
    help=helptext(
        _("Take a login out of the members; its role and history stay."),
        example="coord member remove liede-sw",
    ),
)
def remove(login: Annotated[str, typer.Argument(help=_("The PostgreSQL login name."))]) -> None:
    from coordkit.services.members import remove_member

    with writing() as conn:
        remove_member(conn, login=login)
    say(_("Removed {login} from the members.").format(login=login))
