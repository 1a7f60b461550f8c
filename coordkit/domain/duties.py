"""A duty as data (one responsibility, with RACI letters for windows), and its rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple, NotRequired, TypedDict

from coordkit.dates import overlaps
from coordkit.domain.values import at, check_choice, check_slug, check_text, check_window, iso_text, optional_text
from coordkit.errors import AlreadyExists, InvalidInput
from coordkit.i18n import _
from coordkit.vocab import LETTERS

# One letter of a duty: exactly one of stakeholder and role is set; from/to are inclusive, None is open.
# source is "manual" or "agreement" (then agreement is "AGR-2024-001 v2").
Assignment = TypedDict(
    "Assignment",
    {
        "letter": str,
        "stakeholder": str | None,
        "role": str | None,
        "from": str | None,
        "to": str | None,
        "source": str,
        "agreement": str,
    },
    total=False,
)


class Use(TypedDict):
    """A duty's use of a registered resource: which, when (a slot's canonical text), how many units."""

    resource: str
    when: str
    units: int


class Duty(TypedDict):
    """A duty; ``exclusive``, ``uses`` and ``aliases`` appear only when set, so older outputs read the same."""

    project: str
    key: str
    title: str
    title_zh: str | None
    category: str | None
    due: str | None
    assignments: list[Assignment]
    exclusive: NotRequired[bool]  # one R at a time
    uses: NotRequired[list[Use]]  # registered resources it uses
    aliases: NotRequired[list[str]]  # old keys of duties merged into it


class DutyFields(TypedDict):
    key: str
    title: str
    title_zh: str | None
    category: str | None
    due: str | None


class Letter(NamedTuple):
    """One assignment as the rules see it: who (a stakeholder key or ``role:KEY``), which letter, when."""

    party: str
    letter: str
    start: str | None
    end: str | None


def check_letter(letter: str) -> str:
    return check_choice(letter.strip().upper(), LETTERS, "RACI letter", field="as")


def check_duty(
    *,
    key: str,
    title: str,
    title_zh: str | None = None,
    category: str | None = None,
    due: str | dt.date | None = None,
) -> DutyFields:
    return {
        "key": check_slug(key, "duty"),
        "title": check_text(title, "title"),
        "title_zh": optional_text(title_zh, "title_zh"),
        "category": optional_text(category, "category"),
        "due": iso_text(due),
    }


def check_letters(duty: str, letters: Sequence[Letter], *, held: Sequence[Letter] = ()) -> None:
    """Windows well formed, and no party holds the same letter twice at once: each of ``letters`` is
    checked against ``held`` (already in the store) and the letters before it, so a command adding
    one letter and a file listing it after the others are refused with the same words."""
    for index, item in enumerate(letters):
        with at("assignments", index):
            check_window(item.start, item.end, "assignment")
            for earlier in (*held, *letters[:index]):
                if (earlier.party, earlier.letter) == (item.party, item.letter) and overlaps(
                    earlier.start, earlier.end, item.start, item.end
                ):
                    raise AlreadyExists(
                        _("'{party}' is already {letter} for duty '{duty}' in that period").format(
                            party=item.party, letter=item.letter, duty=duty
                        )
                    )


def party_of(stakeholder: str | None, role: str | None) -> str:
    """How a party is written where either may be meant: a stakeholder key, or ``role:KEY``."""
    if (stakeholder is None) == (role is None):
        raise InvalidInput(_("name exactly one of stakeholder and role"), field=("stakeholder",))
    return stakeholder if stakeholder is not None else f"role:{role}"
