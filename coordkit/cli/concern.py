"""coord concern: issues and conflicts between parties, with deadlines and escalation up the responsibility chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from coordkit.cli.context import store
from coordkit.cli.display import emit, emit_record, people_names, say
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, KeysOpt, ListFormat, OnOpt, OutputOpt, ProjectOpt, ShowFormat, ShowFormatOpt
from coordkit.i18n import N_, _

if TYPE_CHECKING:
    from coordkit.domain.concerns import Concern, Step

app = typer.Typer(
    help=helptext(
        _("Concerns between parties: deadlines to answer, escalation, resolution."),
        example="coord concern open --by liede-neighbourhood-committee --against liede-property "
        "--about duty:market-venue --severity high --text 'The square was closed on market day'",
    ),
    no_args_is_help=True,
)

KeyArg = Annotated[str, typer.Argument(help=_("The concern's key, such as C-0001."))]
WhenOpt = Annotated[
    str | None, typer.Option("--on", help=_("When it happened: 2024-03-12 or 2024-03-12 09:30 (default: now)."))
]
PersonOpt = Annotated[str | None, typer.Option("--by", help=_("The person who did it."))]
COLUMNS = [
    ("key", "key"),
    ("severity", "severity"),
    ("status", "status"),
    ("by", "raised by"),
    ("against", "against"),
    ("holder", "holder"),
    ("about", "about"),
    ("opened", "opened"),
    ("age_days", "age (days)"),
    ("clock", "clock"),
]
STATUS_WORDS = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "responded": N_("responded"),
    "resolved": N_("resolved"),
}


def _step_line(step: Step) -> str:
    """One line of a concern's history: date, step, to whom and why, the text, who."""
    from coordkit.domain.concerns import local_day

    parts = [local_day(step["at"]), step["step"]]
    if step["to"]:
        parts.append(_("to {party} ({rung})").format(party=step["to"], rung=step["rung"] or "-"))
    if step["cause"]:
        parts.append(step["cause"])
    if step["text"]:
        parts.append(step["text"])
    if step["satisfaction"] is not None:
        parts.append(_("satisfaction {score}/5").format(score=step["satisfaction"]))
    if step["by"]:
        parts.append(_("by {person}").format(person=step["by"]))
    return " · ".join(parts)


def _done(verb: str, concern: Concern) -> None:
    say(
        _("Concern {key} {verb}: {status}, held by '{holder}'.").format(
            key=concern["key"], verb=verb, status=_(STATUS_WORDS[concern["status"]]), holder=concern["holder"]
        )
    )


@app.command(
    "open",
    help=helptext(
        _("Raise a concern of one party against another."),
        _(
            "--about names what it is about: duty:KEY, agreement:KEY, obligation:AGREEMENT/N (numbered as coord "
            "agreement obligation list shows them) or resource:TEXT. The party it is against must acknowledge it and "
            "respond within the days coord.toml gives per severity ([concerns] ack_days, response_days)."
        ),
        example="coord concern open --by liede-neighbourhood-committee --against liede-property "
        "--about duty:market-venue --severity high --text 'The square was closed on market day'",
    ),
)
def open_(
    by: Annotated[str | None, typer.Option("--by", help=_("The party raising it."))] = None,
    against: Annotated[str | None, typer.Option("--against", help=_("The party it is against."))] = None,
    about: Annotated[str | None, typer.Option("--about", help=_("What it is about (see above)."))] = None,
    text: Annotated[str | None, typer.Option("--text", help=_("What is wrong."))] = None,
    severity: Annotated[str | None, typer.Option("--severity", help=_("low, medium (default) or high."))] = None,
    on: WhenOpt = None,
    key: Annotated[str | None, typer.Option("--key", help=_("Its key (default: the next C-NNNN)."))] = None,
    project: ProjectOpt = None,
) -> None:
    from coordkit.errors import InvalidInput
    from coordkit.services.concerns import open_concern

    for value, flag in ((by, "--by PARTY"), (against, "--against PARTY"), (about, "--about"), (text, "--text")):
        if not value:
            raise InvalidInput(_("a concern needs {flag}").format(flag=flag))
    assert by and against and about and text
    with store() as opened, opened.write() as conn:
        found = open_concern(
            conn, by=by, against=against, about=about, text=text, severity=severity, project=project, on=on, key=key
        )
    say(_("Opened concern {key}: '{against}' holds it.").format(key=found["key"], against=found["against"]))


@app.command(
    "list",
    help=helptext(
        _("List concerns with their age and clock."),
        example="coord concern list --status pending --overdue",
    ),
)
def list_(
    status: Annotated[
        str | None,
        typer.Option("--status", help=_("open, acknowledged, responded, resolved, or pending (not resolved).")),
    ] = None,
    party: Annotated[
        str | None, typer.Option("--party", help=_("Only concerns this party raised, faces or holds."))
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=_("Only those past a deadline."))] = False,
    on: OnOpt = None,
    project: ProjectOpt = None,
    fmt: FormatOpt = ListFormat.table,
    keys: KeysOpt = False,
    output: OutputOpt = None,
) -> None:
    from coordkit.checks.config import load_config
    from coordkit.services.concerns import list_concerns

    with store() as opened, opened.read() as conn:
        settings = load_config(opened.root).concerns
        found = list_concerns(
            conn, config=settings, project=project, status=status, party=party, overdue=overdue, on=on
        )
    named = people_names(fmt.value, keys, parties=("by", "against", "holder"), projects=("project",))
    emit(found, found, COLUMNS, fmt.value, output, title=_("Concerns"), named=named)


@app.command(
    "show",
    help=helptext(
        _("Show one concern: its clock, and every step with when, to whom and why."),
        example="coord concern show C-0001",
    ),
)
def show(key: KeyArg, on: OnOpt = None, fmt: ShowFormatOpt = ShowFormat.table, output: OutputOpt = None) -> None:
    from coordkit.checks.config import load_config
    from coordkit.dates import parse_date, today
    from coordkit.services.concerns import get_concern, view

    day = (parse_date(on, "--on") or today()).isoformat()
    with store() as opened, opened.read() as conn:
        settings = load_config(opened.root).concerns
        found = get_concern(conn, key=key)
        record: dict[str, Any] = dict(found)
        record["clock_from"] = _clock_from(found)
        shown = view(record, settings, day)
    if fmt != ShowFormat.table:
        emit_record(
            {
                **found,
                "age_days": shown["age_days"],
                "clock": shown["clock"],
                "deadline": shown["deadline"],
                "overdue_days": shown["overdue_days"],
            },
            fmt.value,
            output,
        )
        return
    flat = {
        **{
            name: shown[name]
            for name in ("key", "project", "severity", "status", "by", "against", "holder", "level", "about")
        },
        "text": found["text"],
        "opened": shown["opened"],
        "age_days": shown["age_days"],
        "clock": shown["clock"],
        "outcome": found["outcome"],
        "satisfaction": found["satisfaction"],
        "steps": "\n".join(
            [
                _("{date} · opened by '{by}' against '{against}'").format(
                    date=shown["opened"], by=found["by"], against=found["against"]
                ),
                *(_step_line(step) for step in found["steps"]),
            ]
        ),
    }
    emit_record(flat, "table", output, title=_("Concern {key}").format(key=key))


def _clock_from(concern: Concern) -> str:
    from coordkit.services.concerns import state_of

    return state_of(concern).clock_from


@app.command(
    "ack",
    help=helptext(
        _("Acknowledge a concern (its holder has received it)."), example="coord concern ack C-0001 --by 梁伟"
    ),
)
def ack(key: KeyArg, by: PersonOpt = None, on: WhenOpt = None) -> None:
    from coordkit.services.concerns import ack_concern

    with store() as opened, opened.write() as conn:
        _done(_("acknowledged"), ack_concern(conn, key=key, by=by, on=on))


@app.command(
    "respond",
    help=helptext(
        _("Record the holder's response to a concern."),
        example="coord concern respond C-0001 --text 'We will meet on site on Friday'",
    ),
)
def respond(
    key: KeyArg,
    text: Annotated[str | None, typer.Option("--text", help=_("The response."))] = None,
    by: PersonOpt = None,
    on: WhenOpt = None,
) -> None:
    from coordkit.services.concerns import respond_concern

    with store() as opened, opened.write() as conn:
        _done(_("answered"), respond_concern(conn, key=key, text=text, by=by, on=on))


@app.command(
    "escalate",
    help=helptext(
        _("Take a concern one step up the responsibility chain."),
        _(
            "The chain: the party Responsible for the duty it is about, then the Accountable one, then the project's "
            "lead, then the party coord.toml names ([concerns] escalate_to). A late acknowledgement or response is "
            "reason enough; otherwise say why with --reason. Each step records to whom, when and why."
        ),
        example="coord concern escalate C-0001 --reason 'No written answer after a week'",
    ),
)
def escalate(
    key: KeyArg,
    reason: Annotated[str | None, typer.Option("--reason", help=_("Why it goes up."))] = None,
    by: PersonOpt = None,
    on: WhenOpt = None,
) -> None:
    from coordkit.checks.config import load_config
    from coordkit.services.concerns import escalate_concern

    with store() as opened, opened.write() as conn:
        found = escalate_concern(conn, key=key, config=load_config(opened.root).concerns, reason=reason, by=by, on=on)
    step = found["steps"][-1]
    say(
        _("Escalated concern {key} to '{party}' ({rung}): {cause}.").format(
            key=key, party=step["to"], rung=step["rung"], cause=step["cause"]
        )
    )


@app.command(
    "resolve",
    help=helptext(
        _("Resolve a concern with its outcome and the raising party's satisfaction (1-5)."),
        example="coord concern resolve C-0001 --outcome 'Square shared by a written schedule' --satisfaction 4",
    ),
)
def resolve(
    key: KeyArg,
    outcome: Annotated[str | None, typer.Option("--outcome", help=_("How it was settled."))] = None,
    satisfaction: Annotated[
        int | None, typer.Option("--satisfaction", help=_("1 (not at all) to 5 (fully): the raising party's."))
    ] = None,
    by: PersonOpt = None,
    on: WhenOpt = None,
) -> None:
    from coordkit.services.concerns import resolve_concern

    with store() as opened, opened.write() as conn:
        _done(_("resolved"), resolve_concern(conn, key=key, outcome=outcome, satisfaction=satisfaction, by=by, on=on))


@app.command(
    "reopen",
    help=helptext(
        _("Reopen a resolved concern; its clock starts again."),
        example="coord concern reopen C-0001 --reason 'The square was closed again'",
    ),
)
def reopen(
    key: KeyArg,
    reason: Annotated[str | None, typer.Option("--reason", help=_("Why it is open again."))] = None,
    by: PersonOpt = None,
    on: WhenOpt = None,
) -> None:
    from coordkit.services.concerns import reopen_concern

    with store() as opened, opened.write() as conn:
        _done(_("reopened"), reopen_concern(conn, key=key, reason=reason, by=by, on=on))
