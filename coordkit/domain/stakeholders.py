"""A stakeholder as data, and the rules every stakeholder obeys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from coordkit.domain.values import at, check_choice, check_level, check_slug, check_text, optional_text
from coordkit.vocab import STAKEHOLDER_KINDS


class Contact(TypedDict):
    channel: str
    value: str


class Representative(TypedDict):
    name: str
    title: str | None


class Stakeholder(TypedDict):
    """One party in the register, as services return it and ``coord stakeholder show`` prints it."""

    key: str
    name: str
    name_zh: str | None
    kind: str
    influence: int | None
    interest: int | None
    interests: str | None
    active: bool
    contacts: list[Contact]
    representatives: list[Representative]


def check_contacts(contacts: Sequence[tuple[str, str]]) -> list[Contact]:
    checked: list[Contact] = []
    for index, (channel, value) in enumerate(contacts):
        with at("contacts", index):
            name = check_text(channel, "contact channel", field="channel").lower()
            checked.append({"channel": name, "value": check_text(value, f"contact '{name}'", field="value")})
    return checked


def check_representatives(reps: Sequence[tuple[str, str | None]]) -> list[Representative]:
    checked: list[Representative] = []
    for index, (name, title) in enumerate(reps):
        with at("representatives", index):
            checked.append(
                {"name": check_text(name, "representative name", field="name"), "title": optional_text(title, "title")}
            )
    return checked


def check_stakeholder(
    *,
    key: str,
    name: str,
    kind: str,
    name_zh: str | None = None,
    influence: int | None = None,
    interest: int | None = None,
    interests: str | None = None,
    active: bool = True,
    contacts: Sequence[tuple[str, str]] = (),
    representatives: Sequence[tuple[str, str | None]] = (),
) -> Stakeholder:
    """The stakeholder with its values cleaned, or ``InvalidInput`` naming the field that is wrong."""
    return {
        "key": check_slug(key, "stakeholder"),
        "name": check_text(name, "name"),
        "name_zh": optional_text(name_zh, "name_zh"),
        "kind": check_choice(kind, STAKEHOLDER_KINDS, "kind"),
        "influence": check_level(influence, "influence"),
        "interest": check_level(interest, "interest"),
        "interests": optional_text(interests, "interests"),
        "active": active,
        "contacts": check_contacts(contacts),
        "representatives": check_representatives(representatives),
    }
