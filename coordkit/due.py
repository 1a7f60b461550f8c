"""One list of what is due: the typed item, its order, and the digest a coordinator pastes.

Every dated thing (an obligation's occurrence, a review, a notice deadline,
an expiry, a missing signature, a concern's respond-by date, an action, a
meeting) becomes a ``DueItem``; ``coord due`` orders and selects them,
``coord calendar`` writes the same items as iCalendar (``render/ics.py``).

Fulfilment follows the Open Contracting Data Standard's implementation
milestones: an item has a due date, the date it was met (``done_on``) and a
status; ``OCDS_STATUS`` maps ours onto theirs.

The digest is text a PARTY reads (in a WeChat group, an e-mail), so it takes
its language explicitly and gets its words from that language's catalogue,
not from the coordinator's ``--lang``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from gettext import NullTranslations

from coordkit.errors import InvalidInput
from coordkit.i18n import LANGUAGES, N_, _, normalise, translations

KINDS = ("obligation", "review", "notice", "expiry", "renewal", "signature", "concern", "action", "meeting")
"""In this order items of the same day are listed: what a party owes first, then what the parties do together."""

PENDING = ("scheduled", "open", "partly")
"""Statuses still waiting for something: these can be overdue."""

SETTLED = ("met", "missed", "waived", "done", "cancelled")
"""Statuses that close an item: a ``missed`` deliverable is recorded as not met, not shouted about every day."""

STATUSES = PENDING + SETTLED

OCDS_STATUS = {"scheduled": "scheduled", "met": "met", "missed": "notMet", "partly": "partiallyMet"}
"""Our fulfilment statuses as the Open Contracting Data Standard's milestone statuses."""

KIND_LABELS = {
    "obligation": N_("Obligation"),
    "review": N_("Review"),
    "notice": N_("Notice deadline"),
    "expiry": N_("Agreement expires"),
    "renewal": N_("Agreement renews"),
    "signature": N_("Signature missing"),
    "concern": N_("Concern"),
    "action": N_("Action"),
    "meeting": N_("Meeting"),
}
STATUS_LABELS = {
    "scheduled": N_("scheduled"),
    "open": N_("open"),
    "partly": N_("partly met"),
    "met": N_("met"),
    "missed": N_("not met"),
    "waived": N_("waived"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
CHANNEL_LABELS = {
    "mobile": N_("mobile"),
    "phone": N_("phone"),
    "wechat": N_("WeChat"),
    "email": N_("e-mail"),
    "qq": N_("QQ"),
    "address": N_("address"),
    "fax": N_("fax"),
    "website": N_("website"),
}
"""Display names of the canonical contact channels; any other channel is shown as stored."""

_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_PENDING = frozenset(PENDING)
_STATUSES = frozenset(STATUSES)


@dataclass(frozen=True, slots=True, kw_only=True)
class DueItem:
    """One dated thing someone has to do, with the identity a calendar keeps across exports.

    ``uid_seed`` is stable identity text such as ``obligation/AGR-2024-001/3/2024-03-31``:
    the same thing must give the same seed on every export, two things never the same.
    """

    kind: str
    date: dt.date
    title: str
    uid_seed: str
    title_zh: str | None = None
    agreement: str | None = None
    party: str | None = None
    project: str | None = None
    status: str = "scheduled"
    detail: str = ""
    contacts: tuple[tuple[str, str], ...] = field(default=())
    done_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KIND_RANK:
            raise ValueError(f"due item kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.status not in _STATUSES:
            raise ValueError(f"due item status {self.status!r} is not one of {', '.join(STATUSES)}")
        if not self.uid_seed:
            raise ValueError("a due item needs a uid_seed (its stable identity)")

    @property
    def pending(self) -> bool:
        return self.status in _PENDING

    def overdue(self, on: dt.date) -> bool:
        """Still pending after its date: due 31 August, open on 1 September."""
        return self.date < on and self.status in _PENDING

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (else the other language's) on one line: a line break would split a digest line."""
        text = (self.title_zh or self.title) if lang == "zh" else (self.title or self.title_zh or "")
        return " ".join(text.split())


def _key(item: DueItem, on: dt.date) -> tuple[bool, dt.date, int, str, str, str, str]:
    return (
        item.date >= on or item.status not in _PENDING,  # not overdue; inlined: sorting 100,000 items calls this
        item.date,
        _KIND_RANK[item.kind],
        item.agreement or "",
        item.party or "",
        item.title,
        item.uid_seed,
    )


def order(items: Iterable[DueItem], *, on: dt.date) -> list[DueItem]:
    """Overdue first (oldest first), then by date, then kind (``KINDS`` order), agreement, party and title.

    The uid seed breaks the last ties so the order never depends on how the store returned rows.
    """
    return sorted(items, key=lambda item: _key(item, on))


def select(
    items: Iterable[DueItem],
    *,
    on: dt.date,
    within_days: int | None = None,
    overdue_only: bool = False,
    party: str | None = None,
    project: str | None = None,
    settled: bool = False,
) -> list[DueItem]:
    """The items to show on ``on``, in ``order``.

    Pending items only unless ``settled``; overdue items always (a window
    never hides what is late); ``within_days=14`` keeps what falls due from
    ``on`` to 14 days after it; ``overdue_only`` keeps only what is late.
    """
    if within_days is not None and within_days < 0:
        raise InvalidInput(_("--within {days}: give a number of days, 0 or more").format(days=within_days))
    horizon = on + dt.timedelta(days=within_days) if within_days is not None else None
    chosen = []
    for item in items:
        if party is not None and item.party != party:
            continue
        if project is not None and item.project != project:
            continue
        if item.overdue(on):
            chosen.append(item)
            continue
        if overdue_only or (not settled and item.status not in _PENDING):
            continue
        if horizon is not None and not on <= item.date <= horizon:
            continue
        chosen.append(item)
    return order(chosen, on=on)


def catalogue(lang: str) -> NullTranslations:
    """The catalogue of the language a party reads (``en`` or ``zh``; ``zh_CN`` and ``中文`` also do)."""
    found = normalise(lang)
    if found not in LANGUAGES:
        raise InvalidInput(_("--lang '{lang}': use en or zh").format(lang=lang))
    return translations(found)


def format_day(day: dt.date, lang: str) -> str:
    """``1 September 2024`` or ``2024年9月1日``, as documents write dates (``render.i18n.format_date``)."""
    from coordkit.render.i18n import format_date

    return format_date(day.isoformat(), lang)


def kind_label(kind: str, t: NullTranslations) -> str:
    return t.gettext(KIND_LABELS[kind])


def status_label(status: str, t: NullTranslations) -> str:
    return t.gettext(STATUS_LABELS[status])


def contact_text(contacts: Sequence[tuple[str, str]], lang: str, t: NullTranslations) -> str:
    """``mobile 13900000000, WeChat liede-li`` (``手机 13900000000，微信 liede-li``): channels translated, values as stored."""
    parts = []
    for channel, value in contacts:
        label = CHANNEL_LABELS.get(channel)
        parts.append(f"{t.gettext(label) if label else channel} {value}")
    return ("，" if lang == "zh" else ", ").join(parts)


def _line(item: DueItem, *, on: dt.date, lang: str, t: NullTranslations, parties: Mapping[str, str]) -> str:
    """``- date · what · title · party · agreement · state · contacts``: fields, each whole in its language."""
    fields = [format_day(item.date, lang), kind_label(item.kind, t), item.title_in(lang)]
    fields += [
        value for value in (parties.get(item.party, item.party) if item.party else None, item.agreement) if value
    ]
    if item.overdue(on):
        days = (on - item.date).days
        fields.append(t.ngettext("{n} day overdue", "{n} days overdue", days).format(n=days))
    if item.status not in ("scheduled", "open"):
        fields.append(status_label(item.status, t))
    if item.kind == "signature" and item.contacts:
        fields.append(contact_text(item.contacts, lang, t))
    return "- " + " · ".join(fields)


def digest(
    items: Iterable[DueItem],
    *,
    on: dt.date,
    lang: str,
    within_days: int | None = None,
    parties: Mapping[str, str] | None = None,
) -> str:
    """Plain text for a WeChat group or an e-mail: a title line, "Overdue", then "Due within N days".

    No Markdown, no colours, one line per item (date, what, who; contact
    channels for missing signatures). Settled items are left out; without
    ``within_days`` every pending item to come is listed under "Coming up".
    ``parties`` names each party as the group knows it (猎德人家社工站, not ``liede-sw``).
    """
    parties = parties or {}
    t = catalogue(lang)
    lang = normalise(lang) or "en"
    shown = select(items, on=on, within_days=within_days)
    late = [item for item in shown if item.overdue(on)]
    coming = [item for item in shown if not item.overdue(on)]
    lines = [t.gettext("What is due, {date}").format(date=format_day(on, lang))]
    if not shown:
        lines += ["", t.gettext("Nothing is due.")]
    if late:
        lines += ["", t.gettext("Overdue")]
        lines += [_line(item, on=on, lang=lang, t=t, parties=parties) for item in late]
    if coming:
        if within_days is None:
            heading = t.gettext("Coming up")
        else:
            heading = t.ngettext("Due within {n} day", "Due within {n} days", within_days).format(n=within_days)
        lines += ["", heading]
        lines += [_line(item, on=on, lang=lang, t=t, parties=parties) for item in coming]
    return "\n".join(lines) + "\n"
