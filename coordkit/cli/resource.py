"""coord resource: shared resources registered once (the square, rooms, volunteers, funds) and their calendars."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from coordkit.cli.completion import complete
from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, people_names, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, KeysOpt, ListFormat, OutputOpt
from coordkit.domain.resources import Booking, Resource
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(
        _("Shared resources (the square, rooms, funds) and who uses them when."),
        example='coord resource add square --name "Liede Square" --name-zh 猎德广场 --capacity 1',
    ),
    no_args_is_help=True,
)

COLUMNS = [
    ("key", "key"),
    ("name", "name"),
    ("name_zh", "name_zh"),
    ("capacity", "capacity"),
    ("owner", "owned by"),
    ("budget", "budget"),
    ("commitments", "commitments"),
]
CALENDAR = [
    ("source", "source"),
    ("project", "project"),
    ("party", "party"),
    ("when", "when"),
    ("term", "term"),
    ("units", "units"),
    ("amount", "amount"),
]


def _flat(resource: Resource) -> dict[str, Any]:
    budget = f"{resource['budget']} {resource['unit']}" if resource["budget"] else ""
    return {**resource, "budget": budget, "commitments": len(resource["calendar"])}


def _booking(booking: Booking) -> dict[str, Any]:
    term = f"{booking['start'] or '…'}..{booking['end'] or '…'}"
    return {**booking, "term": term, "amount": booking["amount"] or ""}


@app.command(
    "add",
    help=helptext(
        _("Register a shared resource once: capacity, owner, budget."),
        example='coord resource add square --name "Liede Square" --name-zh 猎德广场 --capacity 1 --owner liede-property',
    ),
)
def add(
    key: Annotated[str, typer.Argument(help=_("Resource key, a slug such as square."))],
    name: Annotated[str, typer.Option("--name", help=_("Its name."))],
    name_zh: Annotated[str | None, typer.Option("--name-zh", help=_("Its Chinese name."))] = None,
    capacity: Annotated[
        int, typer.Option("--capacity", help=_("How many can use it at once (rooms, teams); the square: 1."))
    ] = 1,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help=_("The stakeholder it belongs to."), autocompletion=complete("stakeholder")),
    ] = None,
    budget: Annotated[
        str | None, typer.Option("--budget", help=_("For funds: the budget for a year, such as 500000 or 50万."))
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help=_("The budget's unit, such as yuan."))] = None,
) -> None:
    from coordkit.services.resources import add_resource

    with writing() as conn:
        add_resource(
            conn, key=key, name=name, name_zh=name_zh, capacity=capacity, owner=owner, budget=budget, unit=unit
        )
    say(_("Registered resource '{key}'.").format(key=key))


@app.command(
    "list",
    help=helptext(_("List the registered resources and their commitments."), example="coord resource list"),
)
def list_(fmt: FormatOpt = ListFormat.table, keys: KeysOpt = False, output: OutputOpt = None) -> None:
    from coordkit.services.resources import list_resources

    with reading() as conn:
        found = list_resources(conn)
    named = people_names(fmt.value, keys, parties=("owner",))
    emit(found, [_flat(r) for r in found], COLUMNS, fmt.value, output, title=_("Resources"), named=named)


@app.command(
    "show",
    help=helptext(
        _("Show a resource's calendar: who uses it, when, and by what."),
        example="coord resource show square",
    ),
)
def show(
    key: Annotated[str, typer.Argument(help=_("Resource key."))],
    fmt: FormatOpt = ListFormat.table,
    keys: KeysOpt = False,
    output: OutputOpt = None,
) -> None:
    from coordkit.services.resources import get_resource

    with reading() as conn:
        found = get_resource(conn, key=key)
    title = _("{name} ({key}), capacity {capacity}").format(
        name=found["name"], key=found["key"], capacity=found["capacity"]
    )
    named = people_names(fmt.value, keys, parties=("party",), projects=("project",))
    emit(found, [_booking(b) for b in found["calendar"]], CALENDAR, fmt.value, output, title=title, named=named)
