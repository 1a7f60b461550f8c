"""coord due and coord calendar: one list of everything that falls due, as a table, a digest or iCalendar."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from coordkit.cli.display import emit, people_names, write_out
from coordkit.cli.helptext import helptext
from coordkit.cli.options import KeysOpt, OnOpt, OutputOpt, reader_lang
from coordkit.i18n import _


class DueFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


COLUMNS = [  # what is late and how late first: a narrow terminal drops the last columns
    ("date", "date"),
    ("late", "days late"),
    ("kind", "what"),
    ("title", "title"),
    ("party", "party"),
    ("agreement", "agreement"),
    ("status", "status"),
]

MAX_ALARM_DAYS = 366
"""A reminder more than a year ahead is a typing slip (the calendar holds a year); a negative one would come late."""

WithinOpt = Annotated[
    str | None, typer.Option("--within", help=_("Only what falls due within this time: 30d, 2w, 3m."))
]
PartyOpt = Annotated[str | None, typer.Option("--party", help=_("Only this party's items."))]
ProjectFilter = Annotated[str | None, typer.Option("--project", help=_("Only this project's items."))]


def _horizon(day: Any, days: int | None) -> Any:
    """``days`` after ``day`` (a year when None), stopping at 31 December 9999: ``--on 9999-12-31`` is answered."""
    import datetime as dt

    span = days if days is not None else 366
    return day + dt.timedelta(days=span) if (dt.date.max - day).days > span else dt.date.max


def _items(
    on: Any, horizon: Any, *, party: str | None = None, project: str | None = None, names_in: str | None = None
) -> tuple[list[Any], Mapping[str, str], str | None, str | None]:
    """What is due, (``names_in`` a language) every party's name in it, and the keys of ``party`` and ``project``
    (either may be typed by name), from one read of the store."""
    from coordkit.checks.config import load_config
    from coordkit.cli.context import store
    from coordkit.services.followup import due_list, due_scope
    from coordkit.services.names import names

    with store() as opened, opened.read() as conn:
        party, project = due_scope(conn, party=party, project=project)
        items = due_list(conn, on=on, until=horizon, config=load_config(opened.root), party=party, project=project)
        return items, names(conn, names_in).parties if names_in else {}, party, project


def due(
    within: WithinOpt = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=_("Only what is late."))] = False,
    party: PartyOpt = None,
    project: ProjectFilter = None,
    on: OnOpt = None,
    digest: Annotated[
        bool, typer.Option("--digest", help=_("Plain text to paste into a group chat or an e-mail."))
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help=_("Language of the digest: en or zh (default: the reader's)."))
    ] = None,
    fmt: Annotated[DueFormat, typer.Option("--format", "-f", help=_("table, json, csv or md."))] = DueFormat.table,
    keys: KeysOpt = False,
    output: OutputOpt = None,
) -> None:
    """``coord due``: its help is set below, in the reader's language."""

    from coordkit.dates import parse_date, today
    from coordkit.due import digest as digest_text
    from coordkit.due import select
    from coordkit.schedule import span_days

    day = parse_date(on, "--on") or today()
    days = span_days(within, day, what="--within") if within is not None else None
    digest_lang = reader_lang(lang)
    items, parties, party, project = _items(
        day, _horizon(day, days), party=party, project=project, names_in=digest_lang if digest else None
    )
    chosen = select(items, on=day, within_days=days, party=party, project=project, overdue_only=overdue)
    if digest:
        write_out(digest_text(chosen, on=day, lang=digest_lang, within_days=days, parties=parties), output)
        return
    from coordkit.due import catalogue, kind_label
    from coordkit.i18n import language

    reader = language()
    t = catalogue(reader)
    rows = [
        {
            "date": item.date.isoformat(),
            "kind": item.kind,
            "title": item.title_in("en"),
            "title_zh": item.title_zh,
            "party": item.party,
            "agreement": item.agreement,
            "project": item.project,
            "status": item.status,
            "late": (day - item.date).days if item.overdue(day) else None,
            "done": item.done_on.isoformat() if item.done_on else None,
            "contacts": [{"channel": c, "value": v} for c, v in item.contacts],
            "detail": item.detail,
        }
        for item in chosen
    ]
    shown = [
        {**row, "kind": kind_label(item.kind, t), "title": item.title_in(reader)}
        for row, item in zip(rows, chosen, strict=True)
    ]
    emit(
        rows,
        shown,
        COLUMNS,
        fmt.value,
        output,
        title=_("What is due, {date}").format(date=day.isoformat()),
        named=people_names(fmt.value, keys, parties=("party",), projects=("project",)),
    )


due.__doc__ = helptext(
    _("List everything that falls due, overdue first."),
    _(
        "Overdue items first (oldest first), then by date. Obligation occurrences of signed agreements with "
        "what was reported on them, notice deadlines, renewals and expiries, the next review, signatures still "
        "missing on circulating agreements (with the party's contact channels), actions of joint meetings, the "
        "next joint meeting and the concerns waiting for an answer."
    ),
    example="coord due --within 30d --on 2024-09-01",
)


def calendar(
    output: Annotated[Path, typer.Option("--output", "-o", help=_("The .ics file to write."), dir_okay=False)],
    party: PartyOpt = None,
    project: ProjectFilter = None,
    on: OnOpt = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help=_("Language of the entries: en or zh (default: the reader's)."))
    ] = None,
    alarms: Annotated[
        str, typer.Option("--alarms", help=_("Days before each item to remind, comma-separated."))
    ] = "7,1",
) -> None:
    """``coord calendar``: its help is set below, in the reader's language."""
    import datetime as dt

    from coordkit.dates import parse_date, today
    from coordkit.due import select
    from coordkit.errors import InvalidInput
    from coordkit.render.ics import to_ics
    from coordkit.textparse import split_list

    day = parse_date(on, "--on") or today()
    try:
        lead = [int(part) for part in split_list(alarms)]
    except ValueError:
        lead = [-1]
    if not all(0 <= days <= MAX_ALARM_DAYS for days in lead):
        raise InvalidInput(
            _("--alarms '{value}': give days from 0 to {most} as whole numbers, such as 7,1").format(
                value=alarms, most=MAX_ALARM_DAYS
            )
        )
    items, _names, party, project = _items(day, _horizon(day, None), party=party, project=project)
    chosen = select(items, on=day, party=party, project=project, settled=True)
    stamp = dt.datetime.combine(day, dt.time(), dt.UTC)
    write_out(to_ics(chosen, lang=reader_lang(lang), alarms_days=lead, stamp=stamp, on=day), output)


calendar.__doc__ = helptext(
    _("Write what falls due as an iCalendar file for phones and desktop calendars."),
    _(
        "A task (VTODO) per obligation occurrence, marked completed once met, and an all-day event per review, "
        "notice deadline, expiry, missing signature, action and concern, with reminders; overdue items are "
        "included. Each entry keeps its UID from one export to the next, so importing again updates it."
    ),
    example="coord calendar -o coord.ics --party liede-sw",
)
