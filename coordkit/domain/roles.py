"""A role as data (a position in a project, held by stakeholders for windows), and its rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from coordkit.dates import overlaps
from coordkit.domain.values import at, check_slug, check_text, check_window, optional_text
from coordkit.errors import AlreadyExists
from coordkit.i18n import _

Holder = TypedDict("Holder", {"stakeholder": str, "from": str | None, "to": str | None})


class Role(TypedDict):
    project: str
    key: str
    name: str
    name_zh: str | None
    description: str | None
    holders: list[Holder]


class RoleFields(TypedDict):
    key: str
    name: str
    name_zh: str | None
    description: str | None


def check_role(*, key: str, name: str | None, name_zh: str | None = None, description: str | None = None) -> RoleFields:
    return {
        "key": check_slug(key, "role"),
        "name": check_text(name or name_zh, "name"),
        "name_zh": optional_text(name_zh, "name_zh"),
        "description": optional_text(description, "description"),
    }


def check_holders(role: str, holders: Sequence[Holder], *, held: Sequence[Holder] = ()) -> None:
    """Each holding's window is well formed, and nobody holds the same role twice at once: each of
    ``holders`` is checked against ``held`` (already in the store) and the holdings before it, so the
    command that adds one and the file that lists it second are refused with the same words."""
    for index, holder in enumerate(holders):
        with at("holders", index):
            check_window(holder["from"], holder["to"], f"holding of role '{role}'")
            for earlier in (*held, *holders[:index]):
                if earlier["stakeholder"] == holder["stakeholder"] and overlaps(
                    earlier["from"], earlier["to"], holder["from"], holder["to"]
                ):
                    raise AlreadyExists(
                        _("'{stakeholder}' already holds role '{role}' in that period").format(
                            stakeholder=holder["stakeholder"], role=role
                        )
                    )
