"""Concerns between parties: open, acknowledge, respond, escalate up the responsibility chain, resolve, reopen.

Each step is a row of ``concern_step`` and an audit event; the concern's state
(status, holder, level, clock) is what its steps make (``domain.concerns.replay``),
kept on the ``concern`` row so that lists of 10,000 concerns are one query.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from gettext import NullTranslations
from typing import TYPE_CHECKING, Any

from coordkit.domain.concerns import (
    About,
    Clock,
    Concern,
    State,
    Step,
    apply_step,
    check_concern,
    clock,
    escalation_cause,
    escalation_chain,
    local_day,
    moment,
    next_rung,
    parse_about,
    replay,
    step_record,
)
from coordkit.errors import AlreadyExists, InvalidInput
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import lookup_id, project_scope, resolve, resolve_key, resolve_project
from coordkit.storage.sql import Conn, column, execute, executemany, insert, scalar, tuples

if TYPE_CHECKING:
    from coordkit.checks.config import CheckConfig, ConcernConfig
    from coordkit.due import DueItem

_KEY = re.compile(r"^C-(\d+)$")


def next_concern_key(conn: Conn) -> str:
    """``C-0001``, then one more than the highest ``C-`` number taken."""
    numbers = [
        int(m.group(1))
        for key in column(conn, "SELECT key FROM concern WHERE key LIKE 'C-%'")
        if (m := _KEY.match(key))
    ]
    return f"C-{max(numbers, default=0) + 1:04d}"


def _happened(value: str | None, what: str = "--on") -> str:
    """When a step happened (default now); a step in the future is refused: record what has happened."""
    found = moment(value, what)
    if local_day(found) > dt.date.today().isoformat():
        raise InvalidInput(
            _("{what} {value} is in the future; record what has happened").format(what=what, value=value)
        )
    return found


def check_about(conn: Conn, about: About, pid: int, pkey: str) -> None:
    """What the concern is about must exist: the duty in the project, the agreement, the obligation's number."""
    if about.kind == "duty":
        lookup_id(conn, "duty", about.key, "duty", project_id=pid, scope=f"project '{pkey}'")
    elif about.kind in ("agreement", "obligation"):
        lookup_id(conn, "agreement", about.key, "agreement")
        if about.kind == "obligation":
            count = _obligations(conn, about.key)
            if about.number is None or about.number > len(count):
                raise InvalidInput(
                    _(
                        "{agreement} has {count} obligation(s); there is no obligation {number} (see coord agreement "
                        "obligation list {agreement})"
                    ).format(agreement=about.key, count=len(count), number=about.number),
                    field=("about",),
                )


def _obligations(conn: Conn, agreement: str) -> list[tuple[str, str | None, str | None]]:
    """The obligations of an agreement's newest version, in order: (party, duty, letter)."""
    return [
        (party, duty, letter)
        for party, duty, letter in tuples(
            conn,
            "SELECT s.key, d.key, o.letter FROM agreement_obligation o JOIN stakeholder s ON s.id = o.stakeholder_id "
            "LEFT JOIN duty d ON d.id = o.duty_id WHERE o.version_id = (SELECT v.id FROM agreement_version v "
            "JOIN agreement a ON a.id = v.agreement_id WHERE a.key = :k ORDER BY v.number DESC LIMIT 1) "
            "ORDER BY o.position, o.id",
            {"k": agreement},
        )
    ]


def _letters(conn: Conn, pid: int, duty: str, day: str) -> dict[str, list[str]]:
    """Who holds each letter of a duty on ``day``: directly, or through a role they hold that day."""
    found: dict[str, list[str]] = defaultdict(list)
    params = {"p": pid, "k": duty, "day": day}
    valid = "(a.valid_from IS NULL OR a.valid_from <= :day) AND (a.valid_to IS NULL OR a.valid_to >= :day)"
    held = "(h.valid_from IS NULL OR h.valid_from <= :day) AND (h.valid_to IS NULL OR h.valid_to >= :day)"
    direct = (
        "SELECT s.key, a.letter FROM assignment a JOIN duty d ON d.id = a.duty_id "
        f"JOIN stakeholder s ON s.id = a.stakeholder_id WHERE d.project_id = :p AND d.key = :k AND {valid}"
    )
    through_role = (
        "SELECT s.key, a.letter FROM assignment a JOIN duty d ON d.id = a.duty_id "
        "JOIN role_holder h ON h.role_id = a.role_id JOIN stakeholder s ON s.id = h.stakeholder_id "
        f"WHERE d.project_id = :p AND d.key = :k AND {valid} AND {held}"
    )
    for party, letter in tuples(conn, f"{direct} UNION {through_role}", params):
        found[letter].append(party)
    return found


def chain_for(conn: Conn, *, about: About, pid: int, day: str, escalate_to: str | None) -> list[tuple[str, str]]:
    """The escalation ladder of a concern on ``day``: R and A of the duty it is about (an obligation's duty, or
    the obliged party as responsible), the project's lead, then coord.toml's ``concerns.escalate_to``."""
    responsible: list[str] = []
    accountable: list[str] = []
    duty = about.key if about.kind == "duty" else None
    if about.kind == "obligation":
        obligations = _obligations(conn, about.key)
        if about.number is not None and about.number <= len(obligations):
            party, duty, _letter = obligations[about.number - 1]
            if duty is None:
                responsible.append(party)
    if duty is not None:
        letters = _letters(conn, pid, duty, day)
        responsible += letters.get("R", [])
        accountable += letters.get("A", [])
    lead = scalar(
        conn, "SELECT s.key FROM project p JOIN stakeholder s ON s.id = p.lead_id WHERE p.id = :p", {"p": pid}
    )
    if escalate_to is not None and scalar(conn, "SELECT 1 FROM stakeholder WHERE key = :k", {"k": escalate_to}) is None:
        raise InvalidInput(
            _("coord.toml: concerns.escalate_to names no stakeholder '{key}'; add it or name another").format(
                key=escalate_to
            )
        )
    return escalation_chain(responsible=responsible, accountable=accountable, lead=lead, named=escalate_to)


# ------------------------------------------------------------------ reading

_SELECT = (
    "SELECT c.id, c.key, p.key AS project, b.key AS raised_by, g.key AS against, c.about, c.severity, c.text, "
    "c.opened_at, c.status, h.key AS holder, c.level, c.clock_from, c.acknowledged_at, c.responded_at, "
    "c.resolved_at, c.outcome, c.satisfaction FROM concern c JOIN project p ON p.id = c.project_id "
    "JOIN stakeholder b ON b.id = c.raised_by_id JOIN stakeholder g ON g.id = c.against_id "
    "JOIN stakeholder h ON h.id = c.holder_id"
)


def _record(row: Sequence[Any], steps: list[Step]) -> Concern:
    return {
        "key": row[1],
        "project": row[2],
        "by": row[3],
        "against": row[4],
        "about": row[5],
        "severity": row[6],
        "text": row[7],
        "opened": row[8],
        "status": row[9],
        "holder": row[10],
        "level": int(row[11]),
        "acknowledged": row[13],
        "responded": row[14],
        "resolved": row[15],
        "outcome": row[16],
        "satisfaction": row[17],
        "steps": steps,
    }


def read_concerns(conn: Conn, *, key: str | None = None, project_id: int | None = None) -> list[Concern]:
    """Concerns with their steps (one, by key; a project's; or all), by key."""
    where, params = [], {"k": key, "p": project_id}
    if key is not None:
        where.append("c.key = :k")
    if project_id is not None:
        where.append("c.project_id = :p")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    found = tuples(conn, f"{_SELECT}{clause} ORDER BY c.key", params)
    steps: dict[int, list[Step]] = defaultdict(list)
    ids = f"(SELECT c.id FROM concern c{clause})"
    for cid, step, at, by, to, rung, cause, text, satisfaction in tuples(
        conn,
        "SELECT x.concern_id, x.step, x.at, x.by_person, s.key, x.rung, x.cause, x.text, x.satisfaction "
        f"FROM concern_step x LEFT JOIN stakeholder s ON s.id = x.to_id WHERE x.concern_id IN {ids} "
        "ORDER BY x.concern_id, x.position",
        params,
    ):
        steps[cid].append(
            {
                "step": step,
                "at": at,
                "by": by,
                "to": to,
                "rung": rung,
                "cause": cause,
                "text": text,
                "satisfaction": satisfaction,
            }
        )
    return [_record(row, steps.get(row[0], [])) for row in found]


def get_concern(conn: Conn, *, key: str) -> Concern:
    lookup_id(conn, "concern", key, "concern")
    return read_concerns(conn, key=key)[0]


def state_of(concern: Concern) -> State:
    return replay(concern["key"], against=concern["against"], opened=concern["opened"], steps=concern["steps"])


def clock_of(state: State, severity: str, config: ConcernConfig, on: str) -> Clock:
    return clock(state, ack_days=config.ack_days[severity], response_days=config.response_days[severity], on=on)


def clock_text(found: Clock, t: NullTranslations | None = None) -> str:
    """``acknowledge by 2024-03-12``, ``response 3 days overdue (due 2024-03-16)``, or nothing once answered.

    A list passes its catalogue ``t`` (10,000 rows would otherwise look the language up 10,000 times)."""
    t = t or catalogue()
    if found.stage is None:
        return ""
    if found.stage == "ack":
        if found.overdue:
            return t.gettext("acknowledgement {late} overdue (due {date})").format(
                late=_late(t, found.overdue), date=found.deadline
            )
        return t.gettext("acknowledge by {date}").format(date=found.deadline)
    if found.overdue:
        return t.gettext("response {late} overdue (due {date})").format(
            late=_late(t, found.overdue), date=found.deadline
        )
    return t.gettext("respond by {date}").format(date=found.deadline)


def catalogue() -> NullTranslations:
    from coordkit.i18n import language, translations

    return translations(language())


def _late(t: NullTranslations, count: int) -> str:
    return t.ngettext("{count} day", "{count} days", count).format(count=count)


def view(
    concern: Mapping[str, Any], config: ConcernConfig, on: str, t: NullTranslations | None = None
) -> dict[str, Any]:
    """A concern as lists and ``show`` print it: dates in local time, its age in days and its clock on ``on``."""
    state = State(
        status=concern["status"],
        holder=concern["holder"],
        level=concern["level"],
        clock_from=concern["clock_from"],
        acknowledged=concern["acknowledged"],
        responded=concern["responded"],
        resolved=concern["resolved"],
    )
    found = clock_of(state, concern["severity"], config, on)
    opened = local_day(concern["opened"])
    until = local_day(concern["resolved"]) if concern["resolved"] else on
    return {
        "key": concern["key"],
        "project": concern["project"],
        "severity": concern["severity"],
        "status": concern["status"],
        "by": concern["by"],
        "against": concern["against"],
        "holder": concern["holder"],
        "level": concern["level"],
        "about": concern["about"],
        "opened": opened,
        "age_days": (dt.date.fromisoformat(until) - dt.date.fromisoformat(opened)).days,
        "clock": clock_text(found, t),
        "deadline": found.deadline,
        "overdue_days": found.overdue,
        "text": concern["text"],
    }


def list_concerns(
    conn: Conn,
    *,
    config: ConcernConfig,
    project: str | None = None,
    status: str | None = None,
    party: str | None = None,
    overdue: bool = False,
    on: str | None = None,
) -> list[dict[str, Any]]:
    """Concerns by key with their age and clock on ``on`` (default today); ``status`` ``pending`` is every
    status but resolved; ``party`` matches who raised it, whom it is against and who holds it."""
    from coordkit.dates import parse_date, today
    from coordkit.domain.values import check_choice
    from coordkit.vocab import CONCERN_STATUSES

    pid, _pkey = project_scope(conn, project)
    day = (parse_date(on, "--on") or today()).isoformat()
    where, params = [], {"p": pid, "s": status, "party": party}
    if pid is not None:
        where.append("c.project_id = :p")
    if status:
        status = check_choice(status, (*CONCERN_STATUSES, "pending"), "--status")
        where.append("c.status <> 'resolved'" if status == "pending" else "c.status = :s")
        params["s"] = status
    if party:
        _sid, params["party"] = resolve(conn, "stakeholder", party)
        where.append("(b.key = :party OR g.key = :party OR h.key = :party)")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    found = []
    t = catalogue()
    for row in tuples(conn, f"{_SELECT}{clause} ORDER BY c.key", params):
        record = {
            "key": row[1],
            "project": row[2],
            "by": row[3],
            "against": row[4],
            "about": row[5],
            "severity": row[6],
            "text": row[7],
            "opened": row[8],
            "status": row[9],
            "holder": row[10],
            "level": int(row[11]),
            "clock_from": row[12],
            "acknowledged": row[13],
            "responded": row[14],
            "resolved": row[15],
        }
        item = view(record, config, day, t)
        if overdue and not item["overdue_days"]:
            continue
        found.append(item)
    return found


# ------------------------------------------------------------------ writing


def write_concern(conn: Conn, *, pid: int, record: Mapping[str, Any], steps: Sequence[Step], state: State) -> int:
    """Store a checked concern and its steps (``record`` as ``check_concern`` gives it, plus ``opened``)."""
    ids = _party_ids(conn, [record["by"], record["against"], state.holder, *(s["to"] for s in steps if s.get("to"))])
    cid = insert(
        conn,
        "concern",
        {
            "key": record["key"],
            "project_id": pid,
            "raised_by_id": ids[record["by"]],
            "against_id": ids[record["against"]],
            "about": record["about"],
            "severity": record["severity"],
            "text": record["text"],
            "opened_at": record["opened"],
            **_state_columns(state, ids),
        },
    )
    _write_steps(conn, cid, 0, steps, ids)
    return cid


def _party_ids(conn: Conn, keys: Iterable[str | None]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for key in keys:
        if key and key not in ids:
            ids[key] = lookup_id(conn, "stakeholder", key, "stakeholder")
    return ids


def _state_columns(state: State, ids: Mapping[str, int]) -> dict[str, Any]:
    return {
        "status": state.status,
        "holder_id": ids[state.holder],
        "level": state.level,
        "clock_from": state.clock_from,
        "acknowledged_at": state.acknowledged,
        "responded_at": state.responded,
        "resolved_at": state.resolved,
        "outcome": state.outcome,
        "satisfaction": state.satisfaction,
    }


def _write_steps(conn: Conn, cid: int, start: int, steps: Sequence[Step], ids: Mapping[str, int]) -> None:
    executemany(
        conn,
        "INSERT INTO concern_step (concern_id, position, step, at, by_person, to_id, rung, cause, text, satisfaction) "
        "VALUES (:c, :i, :step, :at, :by, :to, :rung, :cause, :text, :satisfaction)",
        [
            {**step, "c": cid, "i": start + i, "to": ids[str(step["to"])] if step.get("to") else None}
            for i, step in enumerate(steps)
        ],
    )


def append_steps(conn: Conn, key: str, steps: Sequence[Step]) -> Concern:
    """Add steps to a concern's history (each checked against the state before it) and store the new state."""
    before = get_concern(conn, key=key)
    state = replay(key, against=before["against"], opened=before["opened"], steps=[*before["steps"], *steps])
    cid = lookup_id(conn, "concern", key, "concern")
    ids = _party_ids(conn, [state.holder, *(s["to"] for s in steps if s.get("to"))])
    _write_steps(conn, cid, len(before["steps"]), steps, ids)
    columns = _state_columns(state, ids)
    execute(
        conn,
        "UPDATE concern SET " + ", ".join(f"{name} = :{name}" for name in columns) + " WHERE id = :id",
        {**columns, "id": cid},
    )
    return before


def _step(conn: Conn, key: str, step: Step) -> Concern:
    before = append_steps(conn, key, [step])
    after = get_concern(conn, key=key)
    events.record(conn, action=f"concern.{step['step']}", entity="concern", key=key, before=before, after=after)
    return after


def _new_step(kind: str, at: str, **fields: Any) -> Step:
    return step_record({"step": kind, "at": at, **fields})


def open_concern(
    conn: Conn,
    *,
    by: str,
    against: str,
    about: str,
    text: str,
    severity: str | None = None,
    project: str | None = None,
    on: str | None = None,
    key: str | None = None,
) -> Concern:
    """Raise a concern of ``by`` against ``against``; it starts with ``against`` holding it, the clock running."""
    pid, pkey = resolve_project(conn, project)
    key = key or next_concern_key(conn)
    if scalar(conn, "SELECT 1 FROM concern WHERE key = :k", {"k": key}):
        raise AlreadyExists(_("concern '{key}' already exists").format(key=key))
    # the parties and the duty by key, name or Chinese name (猎德社区居委会, duty:提供市集场地)
    by, against = resolve_key(conn, "stakeholder", by), resolve_key(conn, "stakeholder", against)
    if about and (subject := parse_about(about)).kind == "duty":
        about = f"duty:{resolve_key(conn, 'duty', subject.key, project_id=pid)}"
    record: dict[str, Any] = check_concern(key=key, by=by, against=against, about=about, severity=severity, text=text)
    _party_ids(conn, [by, against])
    check_about(conn, parse_about(record["about"]), pid, pkey)
    record["opened"] = _happened(on)
    state = replay(key, against=against, opened=record["opened"], steps=[])
    from coordkit.storage.team import refused_as

    with refused_as(conn, _("{login} may not raise a concern for {party}"), party=by):
        write_concern(conn, pid=pid, record=record, steps=[], state=state)
    after = get_concern(conn, key=key)
    events.record(conn, action="concern.open", entity="concern", key=key, after=after)
    return after


def ack_concern(conn: Conn, *, key: str, by: str | None = None, on: str | None = None) -> Concern:
    """The holder acknowledges the concern (the response clock keeps running from when they got it)."""
    get_concern(conn, key=key)
    return _step(conn, key, _new_step("ack", _happened(on), by=(by or "").strip() or None))


def respond_concern(conn: Conn, *, key: str, text: str | None, by: str | None = None, on: str | None = None) -> Concern:
    get_concern(conn, key=key)
    return _step(
        conn, key, _new_step("respond", _happened(on), by=(by or "").strip() or None, text=(text or "").strip())
    )


def escalate_concern(
    conn: Conn,
    *,
    key: str,
    config: ConcernConfig,
    reason: str | None = None,
    by: str | None = None,
    on: str | None = None,
) -> Concern:
    """Send the concern one rung up the ladder (R, A, the project's lead, coord.toml's party), recording to whom,
    when and why: its late acknowledgement or response, else ``reason`` (required when nothing is late)."""
    concern = get_concern(conn, key=key)
    at = _happened(on)
    state = state_of(concern)
    if state.status == "resolved":  # the same refusal as any step on a resolved concern, before the ladder is asked
        apply_step(key, state, _new_step("escalate", at, to=state.holder))
    day = local_day(at)
    cause = escalation_cause(clock_of(state, concern["severity"], config, day))
    why = (reason or "").strip() or None
    if cause is None and why is None:
        found = clock_of(state, concern["severity"], config, day)
        raise InvalidInput(
            _("concern {key} is within its deadlines ({clock}); say why it goes up: --reason TEXT").format(
                key=key, clock=clock_text(found) or _("answered")
            )
        )
    pid = lookup_id(conn, "project", concern["project"], "project")
    chain = chain_for(conn, about=parse_about(concern["about"]), pid=pid, day=day, escalate_to=config.escalate_to)
    found_rung = next_rung(chain, raised_by=concern["by"], held=state.held)
    if found_rung is None:
        raise InvalidInput(
            _(
                "concern {key} has reached the top of its ladder ({held}); name a party above them in coord.toml: "
                '[concerns] escalate_to = "KEY"'
            ).format(key=key, held=", ".join(state.held))
        )
    party, rung = found_rung
    step = _new_step(
        "escalate", at, by=(by or "").strip() or None, to=party, rung=rung, cause=cause or "requested", text=why
    )
    return _step(conn, key, step)


def resolve_concern(
    conn: Conn,
    *,
    key: str,
    outcome: str | None,
    satisfaction: int | None,
    by: str | None = None,
    on: str | None = None,
) -> Concern:
    get_concern(conn, key=key)
    step = _new_step(
        "resolve",
        _happened(on),
        by=(by or "").strip() or None,
        text=(outcome or "").strip() or None,
        satisfaction=satisfaction,
    )
    return _step(conn, key, step)


def reopen_concern(
    conn: Conn, *, key: str, reason: str | None, by: str | None = None, on: str | None = None
) -> Concern:
    get_concern(conn, key=key)
    return _step(
        conn, key, _new_step("reopen", _happened(on), by=(by or "").strip() or None, text=(reason or "").strip())
    )


# ------------------------------------------------------------------ due


def concern_due_items(conn: Conn, *, config: CheckConfig) -> list[DueItem]:
    """Each pending concern's next deadline: its acknowledgement, else its response (none once answered)."""
    from coordkit.due import DueItem

    items = []
    for row in tuples(conn, f"{_SELECT} WHERE c.status IN ('open', 'acknowledged') ORDER BY c.key"):
        key, project, severity, holder, clock_from, acknowledged = row[1], row[2], row[6], row[10], row[12], row[13]
        state = State(
            status=row[9], holder=holder, level=int(row[11]), clock_from=clock_from, acknowledged=acknowledged
        )
        found = clock_of(state, severity, config.concerns, local_day(clock_from))
        assert found.stage is not None and found.deadline is not None
        title = (
            _("Acknowledge concern {key}: {text}") if found.stage == "ack" else _("Respond to concern {key}: {text}")
        ).format(key=key, text=row[7])
        items.append(
            DueItem(
                kind="concern",
                date=dt.date.fromisoformat(found.deadline),
                title=title,
                uid_seed=f"concern/{key}/{found.stage}/{clock_from}",
                party=holder,
                project=project,
                status="open",
                detail=_("Raised by {by} against {against} about {about} ({severity})").format(
                    by=row[3], against=row[4], about=row[5], severity=severity
                ),
            )
        )
    return items
