"""A stakeholder as data, and the rules every stakeholder obeys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from coordkit.domain.values import at, check_choice, check_level, check_slug, check_text, optional_text
from coordkit.errors import InvalidInput
from coordkit.i18n import _
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
    address: str | None
    legal_representative: str | None  # 法定代表人 or 负责人: who answers for the organisation in law
    registration_number: str | None  # 统一社会信用代码, or another registration number
    contacts: list[Contact]
    representatives: list[Representative]  # people who may sign for it; the first signs by default


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
    address: str | None = None,
    legal_representative: str | None = None,
    registration_number: str | None = None,
    contacts: Sequence[tuple[str, str]] = (),
    representatives: Sequence[tuple[str, str | None]] = (),
) -> Stakeholder:
    """The stakeholder with its values cleaned, or ``InvalidInput`` naming the field that is wrong."""
    return {
        "key": check_slug(key, "stakeholder"),
        "name": check_text(name, "name"),
        "name_zh": optional_text(name_zh, "name_zh"),
        "kind": check_kind(kind),
        "influence": check_level(influence, "influence"),
        "interest": check_level(interest, "interest"),
        "interests": optional_text(interests, "interests"),
        "active": active,
        "address": optional_text(address),
        "legal_representative": optional_text(legal_representative),
        "registration_number": check_registration(registration_number),
        "contacts": check_contacts(contacts),
        "representatives": check_representatives(representatives),
    }


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_registration(value: str | None) -> str | None:
    """A registration number as written; an 18-character unified social credit code (统一社会信用代码) must
    carry its check character (GB 32100-2015), so a mistyped code is caught before it is printed on a contract."""
    text = optional_text(value)
    if text is None or len(text) != 18:
        return text
    code = text.upper()
    if all(c in USCC_CHARS for c in code):
        total = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], USCC_WEIGHTS, strict=True))
        expected = USCC_CHARS[(31 - total % 31) % 31]
        if code[17] != expected:
            raise InvalidInput(
                _(
                    "registration number '{code}' is not a valid unified social credit code: its last character "
                    "should be {expected}; check the code on the business licence"
                ).format(code=text, expected=expected),
                field=("registration_number",),
            )
        return code
    return text


def check_kind(value: str) -> str:
    """A stakeholder kind as stored (``enterprise``), given in English or as a Chinese table shows it (企业), so
    what a coordinator reads in ``coord stakeholder list`` can be typed back; anything else refused with the kinds."""
    from coordkit.render.i18n import ZH_KINDS

    english = {zh: en for en, zh in ZH_KINDS.items()}
    return check_choice(english.get(value.strip(), value), STAKEHOLDER_KINDS, "kind")
