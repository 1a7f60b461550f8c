"""coord role: named positions in a project and who holds them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, people_names, say
from coordkit.cli.options import FormatOpt, FromOpt, KeysOpt, ListFormat, OutputOpt, ProjectOpt, ToOpt
from coordkit.i18n import _, language

app = typer.Typer(
    help="Roles in a project (funder, service provider, venue host) and their holders.\n\n\b\nExample:\n  coord role assign venue-host liede-committee",
    no_args_is_help=True,
)

COLUMNS = [
    ("project", "project"),
    ("key", "key"),
    ("name", "name"),
    ("name_zh", "中文名"),
    ("holders", "holders"),
    ("description", "description"),
]
# In Chinese: the Chinese name (else the English one) first, the English name after it, as stakeholder list does
COLUMNS_ZH = [("project", "project"), ("key", "key"), ("display", "name"), ("name", "English name"), *COLUMNS[4:]]
# What a narrow terminal leaves out first: who holds a role is what the list is read for
HIDE_FIRST = ("description", "name_zh")


@app.command("add")
def add(
    key: Annotated[
        str | None, typer.Argument(help="Role key, a slug such as venue-host (default: made from the name).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name (may be left out when --name-zh is given).")] = None,
    name_zh: Annotated[str | None, typer.Option("--name-zh", help="Chinese name.")] = None,
    description: Annotated[str | None, typer.Option("--description", help="What the role does.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a role to a project.

    \b
    Example:
      coord role add venue-host --name "Venue host" --project liede-renjia
    """
    from coordkit.services.roles import add_role

    with writing() as conn:
        added = add_role(conn, key=key, name=name, name_zh=name_zh, description=description, project=project)
    if key is None:
        say(_("Added role '{key}' (a key made from its name).").format(key=added["key"]))
    else:
        say(_("Added role '{key}'.").format(key=key))


@app.command("assign")
def assign(
    role: Annotated[str, typer.Argument(help="Role key or name.")],
    stakeholder: Annotated[str, typer.Argument(help="Stakeholder key or name.")],
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Make a stakeholder a holder of a role, optionally for a period.

    \b
    Example:
      coord role assign venue-host liede-committee --from 2024-01-01 --to 2024-12-31
    """
    from coordkit.services.roles import assign_role

    with writing() as conn:
        assign_role(conn, role=role, stakeholder=stakeholder, project=project, valid_from=valid_from, valid_to=valid_to)
    say(_("'{stakeholder}' now holds role '{role}'.").format(stakeholder=stakeholder, role=role))


@app.command("unassign")
def unassign(
    role: Annotated[str, typer.Argument(help="Role key or name.")],
    stakeholder: Annotated[str, typer.Argument(help="Stakeholder key or name.")],
    project: ProjectOpt = None,
) -> None:
    """Stop a stakeholder holding a role.

    \b
    Example:
      coord role unassign venue-host liede-committee
    """
    from coordkit.services.roles import unassign_role

    with writing() as conn:
        unassign_role(conn, role=role, stakeholder=stakeholder, project=project)
    say(_("'{stakeholder}' no longer holds role '{role}'.").format(stakeholder=stakeholder, role=role))


@app.command("list")
def list_(
    project: ProjectOpt = None, fmt: FormatOpt = ListFormat.table, output: OutputOpt = None, keys: KeysOpt = False
) -> None:
    """List a project's roles with their holders.

    \b
    Example:
      coord role list --format yaml
    """
    from coordkit.services.roles import list_roles

    with reading() as conn:
        rows = list_roles(conn, project=project)
    named = people_names(fmt.value, keys, parties=("holders",), projects=("project",))
    flat: list[dict[str, Any]] = [dict(row) for row in rows]
    if "holders" in named:  # holders are records (a key and dates): the table names the party in each
        parties = named.pop("holders")
        for row in flat:
            row["holders"] = [
                {**h, "stakeholder": parties.get(h["stakeholder"], h["stakeholder"])} for h in row["holders"]
            ]
    if language() == "zh" and fmt.value in ("table", "csv", "md"):
        flat = [{**row, "display": row["name_zh"] or row["name"]} for row in flat]
        emit(rows, flat, COLUMNS_ZH, fmt.value, output, title="Roles", hide_first=("name", *HIDE_FIRST), named=named)
        return
    emit(rows, flat, COLUMNS, fmt.value, output, title="Roles", hide_first=HIDE_FIRST, named=named)
