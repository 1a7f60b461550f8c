"""coord obligation: what signed agreements oblige each party to do, occurrence by occurrence, and what was done."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from coordkit.cli.context import reading, store
from coordkit.cli.display import emit, people_names, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, KeysOpt, ListFormat, OnOpt, OutputOpt, ProjectOpt
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(
        _("Obligations of signed agreements: when each falls due and whether it was met."),
        example="coord obligation list AGR-2024-001 --on 2024-09-01",
    ),
    no_args_is_help=True,
)

COLUMNS = [  # a narrow terminal drops the last columns: the target and the figure reached before the report's date
    ("agreement", "agreement"),
    ("number", "no."),
    ("party", "party"),
    ("text", "obligation"),
    ("due", "due"),
    ("status", "status"),
    ("target", "target"),
    ("actual", "actual"),
    ("done", "reported"),
]

KeyArg = Annotated[str, typer.Argument(help=_("The agreement, such as AGR-2024-001."))]
NumberArg = Annotated[int, typer.Argument(help=_("The obligation's number, as coord obligation list shows it."))]
OccurrenceOpt = Annotated[
    str | None,
    typer.Option(
        "--occurrence", help=_("Which due date (default: the first one not yet reported as met, missed or waived).")
    ),
]
DayOpt = Annotated[str | None, typer.Option("--on", help=_("The day it happened (default: today)."))]
NoteOpt = Annotated[str | None, typer.Option("--note", help=_("What was done, or why not."))]
EvidenceOpt = Annotated[
    list[Path] | None,
    typer.Option("--evidence", help=_("A file that shows it (repeatable): kept under its hash, checked by verify.")),
]


def _target(target: dict[str, Any] | None) -> str:
    if not target:
        return ""
    text = f"{target['amount']} {target['unit']}".strip()
    if target.get("each_min"):
        text += f" (≥ {target['each_min']} {target.get('each_unit') or ''})".rstrip()
    return text


def _row(o: Any) -> dict[str, Any]:
    return {
        "agreement": o.agreement,
        "version": o.version,
        "number": o.number,
        "party": o.party,
        "text": o.text,
        "text_zh": o.text_zh,
        "due": o.date.isoformat(),
        "status": o.status,
        "done": o.done_on.isoformat() if o.done_on else None,
        "actual": o.actual,
        "target": _target(o.target),
        "note": o.note,
        "evidence": o.evidence,
    }


@app.command(
    "list",
    help=helptext(
        _("List the occurrences of obligations of signed agreements, with their status."),
        _("Every due date up to --on (default: today) and the next one of each obligation after it."),
        example="coord obligation list AGR-2024-001 --status scheduled --on 2024-09-01",
    ),
)
def list_(
    agreement: Annotated[str | None, typer.Argument(help=_("Only this agreement."))] = None,
    party: Annotated[str | None, typer.Option("--party", help=_("Only this party's obligations."))] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=_("Only this status: scheduled, met, partly, missed, waived."))
    ] = None,
    on: OnOpt = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    keys: KeysOpt = False,
    output: OutputOpt = None,
) -> None:
    from coordkit.dates import parse_date, today
    from coordkit.services.obligations import list_occurrences

    day = parse_date(on, "--on") or today()
    with reading() as conn:
        found = list_occurrences(conn, on=day, agreement=agreement, party=party, status=status, project=project)
    rows = [_row(o) for o in found]
    emit(
        rows,
        _shown(rows),
        COLUMNS,
        fmt.value,
        output,
        title=_("Obligations on {date}").format(date=day.isoformat()),
        named=people_names(fmt.value, keys, parties=("party",), projects=("project",)),
    )


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as the reader reads them: the obligation in their language, the status in words (JSON keeps both
    texts and the status key)."""
    from coordkit.due import catalogue, status_label
    from coordkit.i18n import language

    reader = language()
    t = catalogue(reader)
    return [
        {
            **row,
            "text": (row["text_zh"] or row["text"]) if reader == "zh" else row["text"],
            "status": status_label(row["status"], t),
        }
        for row in rows
    ]


def _record(status: str, key: str, number: int, **options: Any) -> None:
    from coordkit.services.obligations import record_fulfilment

    with store() as opened, opened.write() as conn:
        found = record_fulfilment(conn, key=key, number=number, status=status, workspace=opened.root, **options)
    say(
        _("{key} obligation {number}, due {due}: {status} on {day}.").format(
            key=key,
            number=number,
            due=found.date.isoformat(),
            status=status,
            day=found.done_on.isoformat() if found.done_on else "",
        )
    )


@app.command(
    "done",
    help=helptext(
        _("Record that an occurrence of an obligation was met."),
        _("The signed terms do not change: the report is a record of its own, and an audit event."),
        example="coord obligation done AGR-2024-001 19 --on 2024-04-28 --evidence report-q1.pdf",
    ),
)
def done(
    key: KeyArg,
    number: NumberArg,
    occurrence: OccurrenceOpt = None,
    on: DayOpt = None,
    actual: Annotated[str | None, typer.Option("--actual", help=_("The figure reached, against the target."))] = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
) -> None:
    _record("met", key, number, occurrence=occurrence, on=on, actual=actual, note=note, evidence=evidence or [])


@app.command(
    "partly",
    help=helptext(
        _("Record that an occurrence of an obligation was partly met."),
        example="coord obligation partly AGR-2024-002 1 --on 2024-06-30 --actual 5 --note 'two markets rained off'",
    ),
)
def partly(
    key: KeyArg,
    number: NumberArg,
    occurrence: OccurrenceOpt = None,
    on: DayOpt = None,
    actual: Annotated[str | None, typer.Option("--actual", help=_("The figure reached, against the target."))] = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
) -> None:
    _record("partly", key, number, occurrence=occurrence, on=on, actual=actual, note=note, evidence=evidence or [])


@app.command(
    "missed",
    help=helptext(
        _("Record that an occurrence of an obligation was not met."),
        example="coord obligation missed AGR-2024-001 19 --occurrence 2024-07-31 --note 'report not received'",
    ),
)
def missed(
    key: KeyArg, number: NumberArg, occurrence: OccurrenceOpt = None, on: DayOpt = None, note: NoteOpt = None
) -> None:
    _record("missed", key, number, occurrence=occurrence, on=on, note=note)


@app.command(
    "waive",
    help=helptext(
        _("Waive an occurrence of an obligation, with the reason."),
        example="coord obligation waive AGR-2024-002 1 --occurrence 2024-02-29 --reason 'Spring Festival'",
    ),
)
def waive(
    key: KeyArg,
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help=_("Why the parties agreed to waive it."))],
    occurrence: OccurrenceOpt = None,
    on: DayOpt = None,
) -> None:
    _record("waived", key, number, occurrence=occurrence, on=on, note=reason)
