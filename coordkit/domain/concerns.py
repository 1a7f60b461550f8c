"""A concern between parties as data: what it is about, its steps, its clock, and where it escalates.

A concern is raised by one party against another about a duty, an agreement,
one obligation of an agreement, or a shared resource. Its history is a list of
steps (open, ack, respond, escalate, resolve, reopen); its state is what the
steps make (``replay``), so a file and the store can never disagree about it.

The clock: the party holding a concern must acknowledge it within
``ack_days`` and respond within ``response_days`` (per severity, coord.toml
``[concerns]``), both counted from when it reached them: opened, escalated or
reopened on 11 March with 1 and 5 days → acknowledge by 12 March, respond by
16 March; on 13 March the acknowledgement is 1 day overdue. Escalation follows
the responsibility chain coord knows (``escalation_chain``): the party
Responsible for the duty, then the Accountable one, then the project's lead,
then the party coord.toml names; each step records to whom, when and why.

Times are UTC ISO text (``2024-03-11T01:00:00Z``), like events; people see
dates, in local time. A date typed without a time means noon local time, so
it is the same date wherever the store is read within eleven hours of here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypedDict

from coordkit.domain.values import at, check_choice, check_text, optional_text
from coordkit.errors import InvalidInput, Refused
from coordkit.i18n import _
from coordkit.textparse import fold
from coordkit.vocab import ABOUT_KINDS, AGREEMENT_KEY_RE, CONCERN_STEPS, ESCALATION_CAUSES, SEVERITIES

RUNGS = ("responsible", "accountable", "lead", "named")
"""The rungs of the escalation ladder, in order."""


class About(NamedTuple):
    kind: str  # duty, agreement, obligation or resource
    key: str  # the duty or agreement key, or the resource as written
    number: int | None = None  # the obligation's number (obligation:AGR/N)

    def __str__(self) -> str:
        if self.kind == "obligation":
            return f"obligation:{self.key}/{self.number}"
        return f"{self.kind}:{self.key}"


def parse_about(text: str | None) -> About:
    """``duty:market-venue``, ``agreement:AGR-2024-002``, ``obligation:AGR-2024-002/5`` or ``resource:the square``.

    Obligations are numbered 1.. as ``coord agreement obligation list`` shows
    them; shared resources have no keys yet, so ``resource:`` takes free text.
    A full-width colon (``duty：market-venue``) is read as a colon.
    """
    shown = (text or "").strip()
    folded = fold(shown)
    kind, sep, rest = folded.partition(":")
    kind = kind.strip().lower()
    usage = _("use duty:KEY, agreement:KEY, obligation:AGREEMENT/N or resource:TEXT")
    if not sep or kind not in ABOUT_KINDS:
        raise InvalidInput(
            _("--about '{value}' names nothing a concern can be about; {usage}").format(value=shown, usage=usage),
            field=("about",),
        )
    value = shown[len(shown) - len(rest) :].strip() if kind == "resource" else rest.strip()
    if not value:
        raise InvalidInput(
            _("--about '{value}' is empty after '{kind}:'; {usage}").format(value=shown, kind=kind, usage=usage),
            field=("about",),
        )
    if kind == "obligation":
        agreement, _slash, number = value.rpartition("/")
        if not agreement or not number.isdigit() or int(number) < 1:
            raise InvalidInput(
                _(
                    "--about '{value}': name the obligation as obligation:AGREEMENT/N, such as obligation:AGR-2024-002/5"
                    " (numbers as coord agreement obligation list shows them)"
                ).format(value=shown),
                field=("about",),
            )
        return About(kind, agreement, int(number))
    if kind == "agreement" and not AGREEMENT_KEY_RE.match(value):
        raise InvalidInput(
            _("--about '{value}': '{key}' is not an agreement key").format(value=shown, key=value), field=("about",)
        )
    return About(kind, value)


# One step of a concern's history. "by" is the person who acted; "to" the party it went to (escalate) and
# "rung" the step of the ladder that party stands on; "text" is the response (respond), the reason
# (escalate, reopen) or the outcome (resolve); "satisfaction" (1-5) is the raising party's, on resolve.
class Step(TypedDict):
    step: str
    at: str
    by: str | None
    to: str | None
    rung: str | None
    cause: str | None
    text: str | None
    satisfaction: int | None


class Clock(NamedTuple):
    stage: str | None  # "ack" or "response" while one is awaited; None once responded or resolved
    deadline: str | None  # the last day for it (ISO date)
    overdue: int  # days past the deadline on the day looked at (0 when not late)


class Concern(TypedDict):
    """One concern as the store gives it back (``coord concern show --format json``)."""

    key: str
    project: str
    by: str
    against: str
    about: str
    severity: str
    text: str
    opened: str
    status: str
    holder: str
    level: int
    acknowledged: str | None
    responded: str | None
    resolved: str | None
    outcome: str | None
    satisfaction: int | None
    steps: list[Step]


@dataclasses.dataclass(frozen=True)
class State:
    """What a concern's steps add up to."""

    status: str
    holder: str
    level: int  # how many times it was escalated
    clock_from: str  # when the current holder got it (opened, escalated or reopened)
    acknowledged: str | None = None
    responded: str | None = None
    resolved: str | None = None
    outcome: str | None = None
    satisfaction: int | None = None
    last: str = ""  # the time of the latest step
    held: tuple[str, ...] = ()  # every party that has held it, in order


def stamp(moment: dt.datetime) -> str:
    """UTC ISO text to the second, as the store keeps step times: ``2024-03-11T01:00:00Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> str:
    return stamp(dt.datetime.now(dt.UTC))


def moment(value: str | dt.date | dt.datetime | None, what: str) -> str:
    """When something happened, as stored: a time as given (no zone: local time), a date alone as its noon.

    ``2024-03-12`` and ``2024年3月12日`` are noon local time that day;
    ``2024-03-12 09:30`` is local time; ``2024-03-12T09:30+08:00`` is exact.
    """
    if value is None or value == "":
        return now()
    if isinstance(value, dt.datetime):
        found = value
    elif isinstance(value, dt.date):
        found = dt.datetime.combine(value, dt.time(12))
    else:
        text = fold(value.strip())
        parsed: dt.datetime | None = None
        if "T" in text or ":" in text:
            try:
                parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                parsed = None
        if parsed is not None:
            found = parsed
        else:
            from coordkit.dates import parse_date

            try:
                day = parse_date(value, what)
            except InvalidInput:
                raise InvalidInput(
                    _(
                        "{what} '{value}' is not a date or a time; use 2024-03-12, 2024-03-12 09:30 or 2024年3月12日"
                    ).format(what=what, value=value.strip())
                ) from None
            assert day is not None
            found = dt.datetime.combine(day, dt.time(12))
    if found.tzinfo is None:
        found = found.astimezone()  # local time, as the person typed it
    return stamp(found)


def local_day(value: str) -> str:
    """The local date of a stored time: what people are shown and what deadlines count from."""
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone().date().isoformat()


def add_days(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def check_severity(value: str | None) -> str:
    return check_choice((value or "medium").strip(), SEVERITIES, "severity", field="severity")


def check_satisfaction(value: int | None) -> int:
    """How satisfied the party that raised the concern is with its outcome: 1 (not at all) to 5 (fully)."""
    if value is None:
        raise InvalidInput(
            _("resolving needs the raising party's satisfaction: --satisfaction 1-5"), field=("satisfaction",)
        )
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(
            _("--satisfaction must be from 1 to 5 (got {value})").format(value=value), field=("satisfaction",)
        )
    return value


def check_concern(*, key: str, by: str, against: str, about: str, severity: str | None, text: str) -> dict[str, str]:
    """A new concern's particulars, cleaned; a party cannot raise a concern against itself."""
    check_concern_key(key)
    if by == against:
        raise InvalidInput(
            _("'{party}' cannot raise a concern against itself; --against names the other party").format(party=by),
            field=("against",),
        )
    return {
        "key": key,
        "by": by,
        "against": against,
        "about": str(parse_about(about)),
        "severity": check_severity(severity),
        "text": check_text(text, "--text", field="text"),
    }


def check_concern_key(key: str) -> str:
    """Concern keys read like document numbers (C-0001), as agreement keys do."""
    if not AGREEMENT_KEY_RE.match(key or ""):
        raise InvalidInput(
            _("concern key '{key}' is not a key: use letters, digits, '-', '_' or '.' (at most 64)").format(key=key),
            field=("key",),
        )
    return key


def _when(value: str) -> str:
    return local_day(value)


def apply_step(key: str, state: State, step: Step) -> State:
    """The state after ``step``; a step the state does not allow is refused in one line."""
    kind = check_choice(step["step"], CONCERN_STEPS[1:], "step", field="step")
    when = step["at"]
    if state.last and when < state.last:
        raise InvalidInput(
            _("concern {key}: a step on {at} cannot come before the step before it ({last})").format(
                key=key, at=_when(when), last=_when(state.last)
            ),
            field=("at",),
        )
    state = dataclasses.replace(state, last=when)
    if state.status == "resolved" and kind != "reopen":
        raise Refused(
            _("concern {key} was resolved on {date}; reopen it first: coord concern reopen {key} --reason TEXT").format(
                key=key, date=_when(state.resolved or when)
            )
        )
    if kind == "ack":
        if state.status == "responded":
            raise Refused(
                _("concern {key} already has a response ({date}); resolve it or escalate it").format(
                    key=key, date=_when(state.responded or when)
                )
            )
        if state.acknowledged:
            raise Refused(
                _("concern {key} was already acknowledged on {date}").format(key=key, date=_when(state.acknowledged))
            )
        return dataclasses.replace(state, status="acknowledged", acknowledged=when)
    if kind == "respond":
        if state.status == "responded":
            raise Refused(
                _("concern {key} already has a response ({date}); resolve it or escalate it").format(
                    key=key, date=_when(state.responded or when)
                )
            )
        check_text(step.get("text"), "the response (--text)", field="text")
        return dataclasses.replace(state, status="responded", acknowledged=state.acknowledged or when, responded=when)
    if kind == "escalate":
        to = step.get("to")
        if not to:
            raise InvalidInput(
                _("concern {key}: an escalation names the party it goes to").format(key=key), field=("to",)
            )
        cause, rung = step.get("cause"), step.get("rung")
        if cause is not None:
            check_choice(cause, ESCALATION_CAUSES, "cause", field="cause")
        if rung is not None:
            check_choice(rung, RUNGS, "rung", field="rung")
        return dataclasses.replace(
            state,
            status="open",
            holder=to,
            level=state.level + 1,
            clock_from=when,
            acknowledged=None,
            responded=None,
            held=(*state.held, to),
        )
    if kind == "resolve":
        outcome = optional_text(step.get("text"))
        if not outcome:
            raise InvalidInput(_("resolving needs the outcome: --outcome TEXT"), field=("text",))
        satisfaction = check_satisfaction(step.get("satisfaction"))
        return dataclasses.replace(state, status="resolved", resolved=when, outcome=outcome, satisfaction=satisfaction)
    # reopen
    if state.status != "resolved":
        raise Refused(
            _("concern {key} is {status}, not resolved; only a resolved concern can be reopened").format(
                key=key, status=state.status
            )
        )
    check_text(step.get("text"), "the reason (--reason)", field="text")
    return dataclasses.replace(
        state,
        status="open",
        clock_from=when,
        acknowledged=None,
        responded=None,
        resolved=None,
        outcome=None,
        satisfaction=None,
    )


def replay(key: str, *, against: str, opened: str, steps: Sequence[Step]) -> State:
    """The state ``steps`` make, each checked against the state before it (a file is refused as a command is)."""
    state = State(status="open", holder=against, level=0, clock_from=opened, last=opened, held=(against,))
    for index, step in enumerate(steps):
        with at("steps", index):
            state = apply_step(key, state, step)
    return state


def clock(state: State, *, ack_days: int, response_days: int, on: str) -> Clock:
    """What the holder owes and by when, on ``on``: the acknowledgement, then the response; nothing after."""
    if state.status in ("responded", "resolved"):
        return Clock(None, None, 0)
    start = local_day(state.clock_from)
    stage, days = ("response", response_days) if state.acknowledged else ("ack", ack_days)
    deadline = add_days(start, days)
    late = (dt.date.fromisoformat(on) - dt.date.fromisoformat(deadline)).days
    return Clock(stage, deadline, max(late, 0))


def escalation_chain(
    *, responsible: Iterable[str], accountable: Iterable[str], lead: str | None, named: str | None
) -> list[tuple[str, str]]:
    """The ladder as (party, rung): the duty's R, its A, the project's lead, the party coord.toml names."""
    chain: list[tuple[str, str]] = [(p, "responsible") for p in sorted(set(responsible))]
    chain += [(p, "accountable") for p in sorted(set(accountable))]
    chain += [(p, "lead") for p in [lead] if p]
    chain += [(p, "named") for p in [named] if p]
    return chain


def next_rung(chain: Sequence[tuple[str, str]], *, raised_by: str, held: Iterable[str]) -> tuple[str, str] | None:
    """The first party up the ladder that has not held the concern yet and did not raise it (None: top reached)."""
    done = set(held) | {raised_by}
    return next(((party, rung) for party, rung in chain if party not in done), None)


def escalation_cause(found: Clock) -> str | None:
    """Why a concern goes up on its own: its acknowledgement or its response is late (None: it is not)."""
    if found.overdue and found.stage == "ack":
        return "ack-overdue"
    if found.overdue and found.stage == "response":
        return "response-overdue"
    return None


def step_record(row: Mapping[str, Any]) -> Step:
    """A step from a stored row or a file's mapping, with every field present."""
    return {
        "step": row["step"],
        "at": row["at"],
        "by": row.get("by"),
        "to": row.get("to"),
        "rung": row.get("rung"),
        "cause": row.get("cause"),
        "text": row.get("text"),
        "satisfaction": row.get("satisfaction"),
    }
