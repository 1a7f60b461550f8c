"""The due list as an iCalendar file (RFC 5545) that a phone or desktop calendar subscribes to or imports.

An obligation's occurrence is a VTODO (a task with a due DATE that can be
ticked off); reviews, notice deadlines, expiries and everything else are
all-day VEVENTs. Each UID is a UUID derived from the item's ``uid_seed``, so
importing a second export updates the entries instead of duplicating them.
Writing, escaping and folding lines (75 octets) is the ``icalendar``
library's job; it is imported when a calendar is made, never by ``coord --help``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from gettext import NullTranslations
from typing import TYPE_CHECKING

from coordkit.due import CHANNEL_LABELS, DueItem, catalogue, format_day, kind_label, status_label
from coordkit.i18n import N_, normalise

if TYPE_CHECKING:
    from icalendar import Component

PRODID = "-//coordkit//coord//EN"
UID_NAMESPACE = uuid.UUID("6f1d2c1e-5a43-5b7e-9c1e-2f0c6b8a9d10")
"""Fixed for ever: changing it would change every UID and duplicate every entry in calendars that imported one."""

TODO_STATUS = {
    "scheduled": "NEEDS-ACTION",
    "open": "NEEDS-ACTION",
    "partly": "IN-PROCESS",
    "missed": "NEEDS-ACTION",
    "met": "COMPLETED",
    "done": "COMPLETED",
    "waived": "CANCELLED",
    "cancelled": "CANCELLED",
}
"""A ``missed`` obligation stays NEEDS-ACTION: it was not done, and the calendar shows it late."""

PRIORITY_OVERDUE, PRIORITY_NORMAL = 1, 5  # RFC 5545: 1 highest, 5 medium, 9 lowest
CALENDAR_NAME = N_("coord: what is due")


def uid(item: DueItem) -> str:
    """The item's UID: a name-based UUID (version 5) of its ``uid_seed``, the same on every export."""
    return str(uuid.uuid5(UID_NAMESPACE, item.uid_seed))


def _description(item: DueItem, lang: str, t: NullTranslations) -> str:
    lines = []
    if item.agreement:
        lines.append(t.gettext("Agreement: {key}").format(key=item.agreement))
    if item.party:
        lines.append(t.gettext("Party: {key}").format(key=item.party))
    if item.project:
        lines.append(t.gettext("Project: {key}").format(key=item.project))
    lines.append(t.gettext("Status: {status}").format(status=status_label(item.status, t)))
    if item.done_on is not None:
        lines.append(t.gettext("Met on {date}").format(date=format_day(item.done_on, lang)))
    for channel, value in item.contacts:
        label = CHANNEL_LABELS.get(channel)
        lines.append(f"{t.gettext(label) if label else channel}: {value}")
    if item.detail:
        lines.append(item.detail)
    return "\n".join(lines)


def _alarms(component: Component, item: DueItem, *, on: dt.date, days: Sequence[int], summary: str) -> None:
    """A display alarm ``days`` before the date; none for settled items or for alarms already past."""
    from icalendar import Alarm

    if not item.pending:
        return
    for lead in sorted(set(days), reverse=True):
        if item.date - dt.timedelta(days=lead) < on:
            continue
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        # A VTODO here has a DUE and no DTSTART: RFC 5545 3.8.6.3 requires RELATED=END to count from DUE.
        related = {"RELATED": "END"} if item.kind == "obligation" else {}
        alarm.add("trigger", dt.timedelta(days=-lead), parameters=related)
        component.add_component(alarm)


def to_ics(
    items: Sequence[DueItem],
    *,
    lang: str,
    alarms_days: Sequence[int] = (7, 1),
    stamp: dt.datetime,
    on: dt.date | None = None,
) -> bytes:
    """An RFC 5545 calendar of ``items``: a VTODO per obligation occurrence, an all-day VEVENT per other item.

    ``stamp`` (timezone-aware) is every DTSTAMP, in UTC; ``on`` (default:
    ``stamp``'s UTC date) decides what is overdue (PRIORITY 1) and which
    alarms are already past. Overdue items are included. Two items with the
    same ``uid_seed`` are a bug in the caller (one would overwrite the other).
    """
    from icalendar import Calendar, Event, Todo

    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware (DTSTAMP is UTC)")
    stamp = stamp.astimezone(dt.UTC)
    today = on if on is not None else stamp.date()
    t = catalogue(lang)
    lang = normalise(lang) or "en"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", t.gettext(CALENDAR_NAME))
    calendar.add("x-wr-calname", t.gettext(CALENDAR_NAME))
    seen: dict[str, str] = {}
    for item in items:
        identity = uid(item)
        if identity in seen:
            raise ValueError(f"two due items share the uid_seed {item.uid_seed!r}")
        seen[identity] = item.uid_seed
        summary = t.gettext("{what}: {title}").format(what=kind_label(item.kind, t), title=item.title_in(lang))
        component: Component
        if item.kind == "obligation":
            component = Todo()
            component.add("due", item.date)
            component.add("status", TODO_STATUS[item.status])
            component.add("priority", PRIORITY_OVERDUE if item.overdue(today) else PRIORITY_NORMAL)
            if TODO_STATUS[item.status] == "COMPLETED":
                component.add("percent-complete", 100)
                if item.done_on is not None:
                    component.add("completed", dt.datetime.combine(item.done_on, dt.time(), dt.UTC))
        else:
            component = Event()
            component.add("dtstart", item.date)
            component.add("dtend", item.date + dt.timedelta(days=1))
            component.add("transp", "TRANSPARENT")
            if item.status in ("waived", "cancelled"):
                component.add("status", "CANCELLED")
            if item.overdue(today):
                component.add("priority", PRIORITY_OVERDUE)
        component.add("uid", identity)
        component.add("dtstamp", stamp)
        component.add("summary", summary)
        component.add("description", _description(item, lang, t))
        component.add("categories", [kind_label(item.kind, t)])
        _alarms(component, item, on=today, days=alarms_days, summary=summary)
        calendar.add_component(component)
    return calendar.to_ical()
