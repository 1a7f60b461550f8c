"""Workspace-wide commands: init and log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import reading, state
from coordkit.cli.display import emit, say, write_out
from coordkit.cli.options import FormatOpt, ListFormat, OutputOpt
from coordkit.i18n import _


def init(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder for the workspace (default: --db, COORD_DB, or here).")
    ] = None,
    team: Annotated[
        bool,
        typer.Option("--team", help="On PostgreSQL: group roles, grants and row-level security, for coord member add."),
    ] = False,
) -> None:
    """Make a workspace: a folder with a new coord.db store.

    With COORD_DATABASE_URL set, make the store in that database instead;
    --team (PostgreSQL only) makes it a team store, where the database
    decides who may do what.

    \b
    Example:
      coord init liede-renjia
    """
    from coordkit.services.workspace import describe, enable_team, init_workspace
    from coordkit.storage.location import for_init

    location = for_init(directory, state.db)
    if team and location.is_sqlite:
        from coordkit.errors import Refused

        raise Refused(
            _("--team needs a PostgreSQL store (COORD_DATABASE_URL or --db postgresql://…); nothing was made")
        )
    opened, created = init_workspace(location)
    try:
        info = describe(opened)
        roles = enable_team(opened) if team else None
    finally:
        opened.dispose()
    if created:
        say(_("Made a coord store at {store}.").format(store=info["store"]))
    elif roles is None:
        say(
            _("A coord store is already at {store} (schema {schema}); left as it was.").format(
                store=info["store"], schema=info["schema"]
            )
        )
    if roles is not None:
        say(
            _("Team store: group roles {coordinator}, {party} and {viewer}; the database enforces them.").format(
                **roles
            )
        )
        say(_("Next: coord member add LOGIN --as coordinator|party|viewer [--party PARTY] [--password]"))
        return
    say(_("Next: coord stakeholder add KEY --name NAME --kind KIND"))


def log(
    key: Annotated[str | None, typer.Argument(help="Only events about this key.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="At most N events.", min=1)] = None,
    head: Annotated[
        bool, typer.Option("--head", help="Print only the chain head, SEQ:HASH, to note outside the store.")
    ] = False,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show the history of changes, newest first.

    \b
    Example:
      coord log liede-sw --limit 5
    """
    from coordkit.services.history import list_events

    if head:
        from coordkit.services.verify import chain_head

        with reading() as conn:
            write_out(chain_head(conn)["anchor"] + "\n", output)
        return
    with reading() as conn:
        found = list_events(conn, key=key, limit=limit)
    from coordkit.dates import local_time

    rows = [
        {**event, "at": local_time(event["at"]), "change": _change_summary(event["before"], event["after"])}
        for event in found
    ]
    columns = [("at", "at"), ("actor", "actor"), ("action", "action"), ("key", "key"), ("change", "change")]
    emit(found, rows, columns, fmt.value, output, title="History")


def _change_summary(before: dict | None, after: dict | None) -> str:
    if before is None:
        return _("created")
    if after is None:
        return _("removed")
    fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return _("changed {fields}").format(fields=", ".join(fields)) if fields else _("no change")
