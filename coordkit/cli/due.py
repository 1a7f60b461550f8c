"""coord due and coord calendar: one list of what is due, as a table, a digest to paste, or an iCalendar file."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coordkit.cli.context import store
from coordkit.cli.display import emit, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import OnOpt, OutputOpt
from coordkit.i18n import _

if TYPE_CHECKING:
    import datetime as dt
    from gettext import NullTranslations

    from coordkit.due import DueItem


class DueFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


PartyOpt = Annotated[str | None, typer.Option("--party", help=_("Only what this party has to do."))]
ProjectFilterOpt = Annotated[str | None, typer.Option("--project", "-p", help=_("Only this project's items."))]
COLUMNS = [
    ("date", "date"),
    ("kind", "what"),
    ("title", "title"),
    ("party", "party"),
    ("agreement", "agreement"),
    ("status", "status"),
    ("overdue_days", "overdue (days)"),
    ("contacts", "contacts"),
]
_WITHIN = re.compile(r"^\s*(\d{1,5})\s*(?:d|days?|天)?\s*$")


def parse_within(value: str | None) -> int | None:
    """``30d``, ``30`` or ``30天`` → 30 days."""
    from coordkit.errors import InvalidInput

    if value is None:
        return None
    found = _WITHIN.match(value)
    if not found:
        raise InvalidInput(_("--within '{value}': give a number of days, such as 30d").format(value=value))
    return int(found.group(1))


def _gather(on: str | None, within: int | None) -> tuple[dt.date, list[DueItem]]:
    from coordkit.checks.config import load_config
    from coordkit.dates import parse_date, today
    from coordkit.services.duelist import all_due_items

    day = parse_date(on, "--on") or today()
    with store() as opened, opened.read() as conn:
        config = load_config(opened.root)
        items = all_due_items(conn, on=day, config=config, within_days=within)
    return day, items


def _check_filters(party: str | None, project: str | None) -> None:
    from coordkit.storage.lookup import lookup_id

    if party is None and project is None:
        return
    with store() as opened, opened.read() as conn:
        if party is not None:
            lookup_id(conn, "stakeholder", party, "stakeholder")
        if project is not None:
            lookup_id(conn, "project", project, "project")


def _rows(items: list[DueItem], on: dt.date) -> list[dict[str, Any]]:
    """The table's rows, in the coordinator's language (looked up once, not per row)."""
    from coordkit.due import catalogue
    from coordkit.i18n import language, normalise

    lang = normalise(language()) or "en"
    t = catalogue(lang)
    return [_row(item, on, lang, t) for item in items]


def _row(item: DueItem, on: dt.date, lang: str, t: NullTranslations) -> dict[str, Any]:
    from coordkit.due import contact_text, kind_label, status_label

    return {
        "date": item.date.isoformat(),
        "kind": kind_label(item.kind, t),
        "title": item.title_in(lang),
        "party": item.party,
        "agreement": item.agreement,
        "project": item.project,
        "status": status_label(item.status, t),
        "overdue_days": (on - item.date).days if item.overdue(on) else 0,
        "contacts": contact_text(item.contacts, lang, t),
    }


def _data(item: DueItem, on: dt.date) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "date": item.date.isoformat(),
        "title": item.title,
        "title_zh": item.title_zh,
        "agreement": item.agreement,
        "party": item.party,
        "project": item.project,
        "status": item.status,
        "overdue": item.overdue(on),
        "overdue_days": (on - item.date).days if item.overdue(on) else 0,
        "done_on": item.done_on.isoformat() if item.done_on else None,
        "detail": item.detail,
        "contacts": [{"channel": c, "value": v} for c, v in item.contacts],
        "uid": item.uid_seed,
    }


def due(
    within: Annotated[
        str | None, typer.Option("--within", help=_("Only what falls due within this many days (30d); overdue always."))
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=_("Only what is overdue."))] = False,
    party: PartyOpt = None,
    project: ProjectFilterOpt = None,
    on: OnOpt = None,
    digest: Annotated[
        bool, typer.Option("--digest", help=_("Plain text to paste into a group chat or an e-mail."))
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help=_("The digest's language: en or zh."))] = "en",
    fmt: Annotated[DueFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)] = (
        DueFormat.table
    ),
    output: OutputOpt = None,
) -> None:
    from coordkit.due import digest as make_digest
    from coordkit.due import select
    from coordkit.files import atomic_write

    days = parse_within(within)
    _check_filters(party, project)
    day, items = _gather(on, days)
    if digest:
        text = make_digest(
            [i for i in items if (party is None or i.party == party) and (project is None or i.project == project)],
            on=day,
            lang=lang,
            within_days=days,
        )
        if output is not None:
            atomic_write(output, text)
        else:
            typer.echo(text, nl=False)
        return
    shown = select(items, on=day, within_days=days, overdue_only=overdue, party=party, project=project)
    emit(
        [_data(item, day) for item in shown],
        [] if fmt == DueFormat.json else _rows(shown, day),
        COLUMNS,
        fmt.value,
        output,
        title=_("What is due on {date}").format(date=day.isoformat()),
    )


def calendar(
    output: Annotated[Path, typer.Option("--output", "-o", help=_("The .ics file to write."), dir_okay=False)],
    party: PartyOpt = None,
    project: ProjectFilterOpt = None,
    on: OnOpt = None,
    lang: Annotated[str, typer.Option("--lang", help=_("The calendar's language: en or zh."))] = "en",
    alarms: Annotated[
        str, typer.Option("--alarms", help=_("Reminders, in days before each date, comma-separated."))
    ] = "7,1",
) -> None:
    import datetime as dt

    from coordkit.errors import InvalidInput
    from coordkit.files import atomic_write
    from coordkit.render.ics import to_ics

    try:
        days = [int(part) for part in alarms.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(_("--alarms '{value}': give days before, such as 7,1").format(value=alarms)) from None
    if any(d < 0 for d in days):
        raise InvalidInput(_("--alarms '{value}': give days before, such as 7,1").format(value=alarms))
    _check_filters(party, project)
    day, items = _gather(on, None)
    chosen = [i for i in items if (party is None or i.party == party) and (project is None or i.project == project)]
    from coordkit.due import order

    data = to_ics(order(chosen, on=day), lang=lang, alarms_days=days, stamp=dt.datetime.now(dt.UTC), on=day)
    atomic_write(output, data)
    say(_("Wrote {count} entries to {path}.").format(count=len(chosen), path=output))


due.__doc__ = helptext(
    _("One list of what is due: obligations, reviews, notices, signatures, actions."),
    _(
        "Obligation occurrences (with what was recorded about them), partnership reviews, notice deadlines, "
        "renewals and expiries, missing signatures (with the party's contact channels), meetings' actions and "
        "concerns: overdue first, then by date. --digest prints plain text to paste into a group chat."
    ),
    example="coord due --within 30d --on 2024-09-01",
)
calendar.__doc__ = helptext(
    _("Write what is due as an iCalendar file, with stable UIDs."),
    _(
        "A task (VTODO) per obligation occurrence, completed when met; an all-day event per review, notice "
        "deadline, expiry, missing signature, action and concern; overdue items included. Each entry keeps its UID "
        "on every export, so importing the file again updates a calendar instead of duplicating it."
    ),
    example="coord calendar -o coord.ics --party liede-sw",
)
