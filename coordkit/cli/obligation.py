"""coord obligation: what was done about each signed obligation, occurrence by occurrence, with evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import emit, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, ListFormat, OnOpt, OutputOpt, ProjectOpt
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(
        _("Obligations of signed agreements: record what was done, with evidence."),
        example="coord obligation done AGR-2024-001 2 --occurrence 2024-03-31 --on 2024-03-28 --evidence report-q1.pdf",
    ),
    no_args_is_help=True,
)

AgreementArg = Annotated[str, typer.Argument(help=_("The agreement's key."))]
NumberArg = Annotated[int, typer.Argument(help=_("The obligation's number, as coord obligation list shows it."))]
OccurrenceOpt = Annotated[
    str | None,
    typer.Option(
        "--occurrence", help=_("The due date it answers (default: the earliest not yet recorded), YYYY-MM-DD.")
    ),
]
DoneOnOpt = Annotated[str | None, typer.Option("--on", help=_("When it was done (or found missed), YYYY-MM-DD."))]
ActualOpt = Annotated[
    str | None, typer.Option("--actual", help=_("What was delivered, in the target's unit (8, 230)."))
]
EvidenceOpt = Annotated[
    list[Path] | None,
    typer.Option("--evidence", help=_("A file that proves it (repeat for more); kept under its SHA-256.")),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help=_("A note on what was done."))]
COLUMNS = [
    ("agreement", "agreement"),
    ("obligation", "no."),
    ("party", "party"),
    ("text", "obligation"),
    ("due", "due"),
    ("target", "target"),
    ("actual", "actual"),
    ("status", "status"),
    ("on", "on"),
    ("evidence", "evidence"),
]


def _record(
    verb: str,
    key: str,
    number: int,
    *,
    on: str | None,
    occurrence: str | None,
    actual: str | None,
    evidence: list[Path] | None,
    note: str | None,
    reason: str | None = None,
) -> None:
    from coordkit.domain.fulfilment import VERBS
    from coordkit.due import STATUS_LABELS
    from coordkit.services.fulfilment import record_fulfilment

    with store() as opened, opened.write() as conn:
        found = record_fulfilment(
            conn,
            workspace=opened.root,
            key=key,
            number=number,
            status=VERBS[verb],
            on=on,
            occurrence=occurrence,
            actual=actual,
            evidence=evidence or [],
            note=note,
            reason=reason,
        )
    say(
        _("Recorded {key} obligation {number}, due {due}: {status} on {on}.").format(
            key=key,
            number=number,
            due=found["occurrence"] or "-",
            status=_(STATUS_LABELS[found["status"]]),
            on=found["on"],
        )
    )


@app.command(
    "done",
    help=helptext(
        _("Record an occurrence of an obligation as met."),
        _(
            "The record points at the signed terms and never changes them; evidence files are copied into the "
            "workspace's evidence/ folder under their SHA-256, and coord verify checks them."
        ),
        example="coord obligation done AGR-2024-001 2 --occurrence 2024-03-31 --on 2024-03-28 --evidence report-q1.pdf",
    ),
)
def done(
    key: AgreementArg,
    number: NumberArg,
    on: DoneOnOpt = None,
    occurrence: OccurrenceOpt = None,
    actual: ActualOpt = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
) -> None:
    _record("done", key, number, on=on, occurrence=occurrence, actual=actual, evidence=evidence, note=note)


@app.command(
    "partly",
    help=helptext(
        _("Record an occurrence of an obligation as partly met."),
        example="coord obligation partly AGR-2024-001 3 --on 2024-06-30 --actual 5 --note 'Two markets rained off'",
    ),
)
def partly(
    key: AgreementArg,
    number: NumberArg,
    on: DoneOnOpt = None,
    occurrence: OccurrenceOpt = None,
    actual: ActualOpt = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
) -> None:
    _record("partly", key, number, on=on, occurrence=occurrence, actual=actual, evidence=evidence, note=note)


@app.command(
    "missed",
    help=helptext(
        _("Record an occurrence of an obligation as not met."),
        example="coord obligation missed AGR-2024-001 2 --occurrence 2024-06-30 --on 2024-07-15",
    ),
)
def missed(
    key: AgreementArg,
    number: NumberArg,
    on: DoneOnOpt = None,
    occurrence: OccurrenceOpt = None,
    actual: ActualOpt = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
) -> None:
    _record("missed", key, number, on=on, occurrence=occurrence, actual=actual, evidence=evidence, note=note)


@app.command(
    "waive",
    help=helptext(
        _("Waive an occurrence of an obligation, saying why."),
        example="coord obligation waive AGR-2024-001 2 --occurrence 2024-12-31 --on 2024-12-01 "
        "--reason 'The street office merged the Q4 report into the annual one'",
    ),
)
def waive(
    key: AgreementArg,
    number: NumberArg,
    on: DoneOnOpt = None,
    occurrence: OccurrenceOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help=_("Why it is waived (required)."))] = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
) -> None:
    _record(
        "waive", key, number, on=on, occurrence=occurrence, actual=None, evidence=evidence, note=note, reason=reason
    )


@app.command(
    "list",
    help=helptext(
        _("Each occurrence of signed obligations: target, actual, status."),
        _("--status is scheduled, met, partly, missed, waived or overdue (still open after its date)."),
        example="coord obligation list AGR-2024-001 --on 2024-09-01",
    ),
)
def list_(
    key: Annotated[str | None, typer.Argument(help=_("Only this agreement's obligations."))] = None,
    party: Annotated[str | None, typer.Option("--party", help=_("Only this party's obligations."))] = None,
    status: Annotated[str | None, typer.Option("--status", help=_("Only occurrences with this status."))] = None,
    on: OnOpt = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    from coordkit.services.fulfilment import fulfilment_rows

    with store() as opened, opened.read() as conn:
        found = fulfilment_rows(conn, key=key, party=party, status=status, project=project, on=on)
    flat = [{**row, "evidence": len(row["evidence"]) or ""} for row in found]
    emit(found, flat, COLUMNS, fmt.value, output, title=_("Obligations"))
