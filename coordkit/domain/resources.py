"""A shared resource as data: registered once (the square, a community room, volunteers, a fund), and its rules."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypedDict

from coordkit.domain.values import at, check_slug, check_text, optional_text
from coordkit.errors import InvalidInput, did_you_mean
from coordkit.i18n import _


class ResourceFields(TypedDict):
    key: str
    name: str
    name_zh: str | None
    capacity: int
    owner: str | None
    budget: str | None  # a decimal as text, for funds
    unit: str | None


class Booking(TypedDict):
    """One commitment of a resource, as a calendar lists it."""

    source: str  # "AGR-2024-002 v1" or "duty market-venue"
    project: str
    party: str  # who uses it (an agreement's party; a duty's R holders)
    when: str  # a slot's canonical text
    start: str | None  # the term it holds for (the agreement's, the project's)
    end: str | None
    units: int
    amount: str | None  # funds promised, for a budget


class Resource(ResourceFields):
    calendar: list[Booking]


def unregistered(key: str, registered: Collection[str]) -> str | None:
    """Why ``key`` cannot be the shared resource an agreement's resource or a duty uses; None when it is registered.

    An agreement's resource says what is promised in free text (its kind and description: "funding: 300,000
    yuan", "two social workers") and, only when it is one, which registered shared resource it is (the square):
    contended-resource and overcommitted-budget count that one against its capacity and budget. Free text never
    goes in that field, so a key there that names nothing is a typo those rules would leave out without a word.
    The refusal names the registered keys (the closest one when one is close), the same from the command line,
    coord apply and coord validate.
    """
    if key in registered:
        return None
    if not registered:
        return _("no resource '{key}': no shared resource is registered (coord resource add)").format(key=key)
    return _("no resource '{key}'").format(key=key) + did_you_mean(
        key, sorted(registered), otherwise=_("registered resources")
    )


def check_capacity(value: int | str) -> int:
    """How many can use it at once: a whole number from 1 (the square: 1; three rooms: 3)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise InvalidInput(
            _("capacity '{value}' is not a whole number of 1 or more").format(value=value), field=("capacity",)
        )
    return number


def check_resource_fields(
    *,
    key: str,
    name: str,
    name_zh: str | None = None,
    capacity: int | str = 1,
    owner: str | None = None,
    budget: str | None = None,
    unit: str | None = None,
) -> ResourceFields:
    """A resource's particulars cleaned: a budget has a unit (``yuan`` is stored as CNY), and a unit a budget."""
    from coordkit.amounts import amount_text, parse_amount, unit_of

    if (budget is None or str(budget).strip() == "") != (unit is None or unit.strip() == ""):
        raise InvalidInput(_("a budget needs a unit and a unit a budget: give --budget and --unit together"))
    amount = None
    if budget is not None and str(budget).strip():
        with at("budget"):
            amount = amount_text(parse_amount(str(budget), what="--budget", unit=unit))
    with at("capacity"):
        count = check_capacity(capacity)
    return {
        "key": check_slug(key, "resource"),
        "name": check_text(name, "name", field="name"),
        "name_zh": optional_text(name_zh, "name_zh"),
        "capacity": count,
        "owner": optional_text(owner),
        "budget": amount,
        "unit": unit_of(unit) if unit and amount is not None else None,
    }
