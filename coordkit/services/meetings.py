"""Joint meetings: minutes, sign-off, action items and their follow-up; what falls due; the minutes' integrity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from coordkit.dates import OPEN_END, OPEN_START, iso, overlaps, parse_date, today
from coordkit.domain.meetings import (
    Action,
    Meeting,
    Minutes,
    action_ref,
    action_window,
    check_minutes,
    check_sign_off,
    minutes_hash,
    parse_action_ref,
    parse_party_person,
)
from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import lookup_id, resolve, resolve_project
from coordkit.storage.meetings import read_meetings
from coordkit.storage.sql import Conn, column, execute, executemany, insert, scalar, tuples

if TYPE_CHECKING:
    from coordkit.checks.config import CheckConfig
    from coordkit.due import DueItem


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def meeting_key(conn: Conn, pid: int, day: str) -> str:
    """A new meeting's key: its date (``2024-03-04``), then ``2024-03-04-2`` for a second one that day."""
    taken = set(
        column(conn, "SELECT key FROM meeting WHERE project_id = :p AND key LIKE :d", {"p": pid, "d": f"{day}%"})
    )
    if day not in taken:
        return day
    return next(f"{day}-{n}" for n in range(2, len(taken) + 3) if f"{day}-{n}" not in taken)


def meeting_id(conn: Conn, pid: int, pkey: str, key: str) -> int:
    return lookup_id(conn, "meeting", key, "meeting", project_id=pid, scope=f"project '{pkey}'")


def get_meeting(conn: Conn, *, key: str, project: str | None = None) -> Meeting:
    """One meeting's minutes, with its sign-off and the open actions of earlier meetings."""
    pid, pkey = resolve_project(conn, project)
    meeting_id(conn, pid, pkey, key)
    return read_meetings(conn, project_id=pid, key=key)[0]


def duty_titles(conn: Conn, project: str) -> dict[str, tuple[str, str | None]]:
    """Each duty's title and Chinese title by key, so printed minutes name the duty an action serves, not its key."""
    pid, _pkey = resolve_project(conn, project)
    return {
        key: (title, title_zh)
        for key, title, title_zh in tuples(
            conn, "SELECT key, title, title_zh FROM duty WHERE project_id = :pid", {"pid": pid}
        )
    }


def list_meetings(conn: Conn, *, project: str | None = None) -> list[dict[str, Any]]:
    """A project's meetings (every project's when none is current), oldest first, with their follow-up in numbers."""
    from coordkit.storage.lookup import project_scope

    pid, _pkey = project_scope(conn, project)
    found = []
    for m in read_meetings(conn, project_id=pid):
        open_now = [a for a in m["actions"] if not a["done"]]
        found.append(
            {
                "project": m["project"],
                "key": m["key"],
                "date": m["date"],
                "place": m["place"],
                "chair": m["chair"]["party"],
                "attendees": len(m["attendees"]),
                "absent": len(m["absent"]),
                "decisions": len(m["decisions"]),
                "actions": len(m["actions"]),
                "open_actions": len(open_now),
                "signed_off": m["signed_off"]["date"] if m["signed_off"] else None,
                "fingerprint": m["fingerprint"],
            }
        )
    return found


def minutes_of(
    *,
    project: str,
    date: str | dt.date | None,
    chair: str | Mapping[str, Any] | None,
    attendees: Sequence[str | Mapping[str, Any]],
    key: str,
    place: str | None = None,
    title: str | None = None,
    absent: Sequence[str] = (),
    agenda: Sequence[str] = (),
    decisions: Sequence[str] = (),
    actions: Sequence[Mapping[str, Any]] = (),
) -> Minutes:
    """Typed values (``PARTY/PERSON`` texts, dates as typed) or a file's mappings → checked minutes."""

    def person(value: str | Mapping[str, Any], what: str) -> Any:
        if isinstance(value, str):
            return parse_party_person(value, what)
        return {"party": value.get("party") or "", "person": value.get("person")}

    day = parse_date(date, "--date") if isinstance(date, str) else date
    wanted = []
    for index, item in enumerate(actions):
        due = item.get("due")
        done = item.get("done")
        wanted.append(
            {
                **item,
                "due": parse_date(due, _("--due of action {number}").format(number=index + 1))
                if isinstance(due, str)
                else due,
                "done": parse_date(done, "done") if isinstance(done, str) else done,
            }
        )
    return check_minutes(
        project=project,
        key=key,
        date=day,
        chair=person(chair, "--chair") if chair else None,
        attendees=[person(a, "--attendee") for a in attendees],
        place=place,
        title=title,
        absent=list(absent),
        agenda=list(agenda),
        decisions=list(decisions),
        actions=wanted,
    )


def _party_ids(conn: Conn, minutes: Minutes) -> dict[str, int]:
    """Ids of every party the minutes name; an unknown one is refused with the closest key."""
    named = [minutes["chair"]["party"], *(a["party"] for a in minutes["attendees"]), *minutes["absent"]]
    named += [a["owner"] for a in minutes["actions"]]
    ids: dict[str, int] = {}
    for party in named:
        if party not in ids:
            ids[party] = lookup_id(conn, "stakeholder", party, "stakeholder")
    return ids


def _check_action_letters(conn: Conn, pid: int, pkey: str, minutes: Minutes, duties: Mapping[str, int]) -> None:
    """An action's letter must not double one its owner already holds for that duty in that window."""
    held: dict[int, list[tuple[str, str, str | None, str | None]]] = {}
    for index, action in enumerate(minutes["actions"]):
        if not action["duty"]:
            continue
        did = duties[action["duty"]]
        if did not in held:
            held[did] = [
                (party, letter, iso(start), iso(end))
                for party, letter, start, end in tuples(
                    conn,
                    "SELECT s.key, a.letter, a.valid_from, a.valid_to FROM assignment a "
                    "JOIN stakeholder s ON s.id = a.stakeholder_id WHERE a.duty_id = :d",
                    {"d": did},
                )
            ]
        start, end = action_window(minutes["date"], action["due"])
        for party, letter, h_start, h_end in held[did]:
            if (party, letter) == (action["owner"], action["as"]) and overlaps(h_start, h_end, start, end):
                raise AlreadyExists(
                    _("action {number}: '{party}' is already {letter} for duty '{duty}' in that period").format(
                        number=action["number"], party=party, letter=letter, duty=action["duty"]
                    ),
                    field=("actions", index, "as"),
                )
        held[did].append((action["owner"], str(action["as"]), start, end))


def write_minutes(conn: Conn, pid: int, pkey: str, minutes: Minutes, *, replace: int | None = None) -> int:
    """Store checked minutes (a new meeting, or in place of meeting ``replace``): attendees, items, actions, and the
    letters actions give (source ``meeting``, from the meeting's date to the action's due date)."""
    parties = _party_ids(conn, minutes)
    duties: dict[str, int] = {}
    for action in minutes["actions"]:
        if action["duty"] and action["duty"] not in duties:
            duties[action["duty"]] = lookup_id(
                conn, "duty", action["duty"], "duty", project_id=pid, scope=f"project '{pkey}'"
            )
    values = {
        "held_on": minutes["date"],
        "place": minutes["place"],
        "title": minutes["title"],
        "chair_id": parties[minutes["chair"]["party"]],
        "chair_person": minutes["chair"]["person"],
    }
    if replace is None:
        mid = insert(conn, "meeting", {"project_id": pid, "key": minutes["key"], **values, "recorded_at": _now()})
    else:
        mid = replace
        old = {"m": mid}
        execute(
            conn, "DELETE FROM assignment WHERE action_id IN (SELECT id FROM meeting_action WHERE meeting_id = :m)", old
        )
        for table in ("meeting_action", "meeting_item", "meeting_attendee"):
            execute(conn, f"DELETE FROM {table} WHERE meeting_id = :m", old)
        execute(
            conn,
            "UPDATE meeting SET key = :key, held_on = :held_on, place = :place, title = :title, chair_id = :chair_id, "
            "chair_person = :chair_person WHERE id = :m",
            {**values, "key": minutes["key"], "m": mid},
        )
    _check_action_letters(conn, pid, pkey, minutes, duties)
    people = [(a["party"], a["person"], True) for a in minutes["attendees"]] + [
        (p, None, False) for p in minutes["absent"]
    ]
    executemany(
        conn,
        "INSERT INTO meeting_attendee (meeting_id, stakeholder_id, person, present, position) VALUES (:m, :s, :p, :x, :i)",
        [
            {"m": mid, "s": parties[party], "p": who, "x": present, "i": i}
            for i, (party, who, present) in enumerate(people)
        ],
    )
    items = [("agenda", text) for text in minutes["agenda"]] + [("decision", text) for text in minutes["decisions"]]
    executemany(
        conn,
        "INSERT INTO meeting_item (meeting_id, section, text, position) VALUES (:m, :s, :t, :i)",
        [{"m": mid, "s": section, "t": text, "i": i} for i, (section, text) in enumerate(items)],
    )
    for action in minutes["actions"]:
        aid = insert(
            conn,
            "meeting_action",
            {
                "meeting_id": mid,
                "number": action["number"],
                "text": action["text"],
                "owner_id": parties[action["owner"]],
                "due_on": action["due"],
                "duty_id": duties.get(action["duty"] or ""),
                "letter": action["as"],
                "done_on": action["done"],
                "note": action["note"],
            },
        )
        if action["duty"]:
            start, end = action_window(minutes["date"], action["due"])
            insert(
                conn,
                "assignment",
                {
                    "duty_id": duties[action["duty"]],
                    "stakeholder_id": parties[action["owner"]],
                    "letter": action["as"],
                    "valid_from": start,
                    "valid_to": end,
                    "source": "meeting",
                    "action_id": aid,
                },
            )
    return mid


def _by_key(conn: Conn, pid: int, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The minutes' fields with every party and duty named by its key: a chair, attendee, absent party or action
    owner may be typed by name or Chinese name (猎德社区党委/张华), an action's duty by its title (提供市集场地)."""
    from coordkit.domain.meetings import parse_party_person
    from coordkit.storage.lookup import resolve_key

    def party(text: Any) -> Any:
        return resolve_key(conn, "stakeholder", text) if isinstance(text, str) and text else text

    def person(value: Any, what: str) -> Any:
        if not value:
            return value
        found = parse_party_person(value, what) if isinstance(value, str) else dict(value)
        return {**found, "party": party(found.get("party"))}

    out = dict(fields)
    if out.get("chair") is not None:
        out["chair"] = person(out["chair"], "--chair")
    if out.get("attendees") is not None:
        out["attendees"] = [person(a, "--attendee") for a in out["attendees"]]
    if out.get("absent") is not None:
        out["absent"] = [party(a) for a in out["absent"]]
    if out.get("actions") is not None:
        out["actions"] = [
            {
                **action,
                "owner": party(action.get("owner")),
                "duty": resolve_key(conn, "duty", action["duty"], project_id=pid)
                if isinstance(action.get("duty"), str) and action["duty"]
                else action.get("duty"),
            }
            for action in out["actions"]
        ]
    return out


def add_meeting(conn: Conn, *, project: str | None = None, key: str | None = None, **fields: Any) -> Meeting:
    """Record a meeting's minutes (fields as ``minutes_of`` takes them); the key defaults to its date."""
    pid, pkey = resolve_project(conn, project)
    day = parse_date(fields.get("date"), "--date") if isinstance(fields.get("date"), str) else fields.get("date")
    if key is None:
        key = meeting_key(conn, pid, iso(day) or "") if day else ""
    elif scalar(conn, "SELECT 1 FROM meeting WHERE project_id = :p AND key = :k", {"p": pid, "k": key}):
        raise AlreadyExists(_("meeting '{key}' already exists in project '{project}'").format(key=key, project=pkey))
    minutes = minutes_of(project=pkey, key=key, **{**_by_key(conn, pid, fields), "date": day})
    write_minutes(conn, pid, pkey, minutes)
    after = read_meetings(conn, project_id=pid, key=minutes["key"])[0]
    events.record(conn, action="meeting.add", entity="meeting", key=f"{pkey}/{minutes['key']}", after=after)
    return after


def refuse_if_signed(meeting: Meeting) -> None:
    if meeting["signed_off"]:
        raise Refused(
            _(
                "the minutes of meeting '{key}' were signed off by {by} on {on}; they cannot change "
                "(record a correction in the next meeting's minutes)"
            ).format(key=meeting["key"], by=meeting["signed_off"]["by"], on=meeting["signed_off"]["date"])
        )


def edit_meeting(
    conn: Conn, *, key: str, project: str | None = None, new_key: str | None = None, **changes: Any
) -> Meeting:
    """Change minutes that are not signed off yet: the fields given replace the ones there (``minutes_of`` names);
    ``new_key`` renames the meeting."""
    pid, pkey = resolve_project(conn, project)
    mid = meeting_id(conn, pid, pkey, key)
    before = read_meetings(conn, project_id=pid, key=key)[0]
    refuse_if_signed(before)
    current: dict[str, Any] = {
        "date": before["date"],
        "place": before["place"],
        "title": before["title"],
        "chair": before["chair"],
        "attendees": before["attendees"],
        "absent": before["absent"],
        "agenda": before["agenda"],
        "decisions": before["decisions"],
        "actions": before["actions"],
    }
    new_key = new_key or key
    current.update({name: value for name, value in _by_key(conn, pid, changes).items() if value is not None})
    if new_key != key and scalar(
        conn, "SELECT 1 FROM meeting WHERE project_id = :p AND key = :k", {"p": pid, "k": new_key}
    ):
        raise AlreadyExists(
            _("meeting '{key}' already exists in project '{project}'").format(key=new_key, project=pkey)
        )
    minutes = minutes_of(project=pkey, key=new_key, **current)
    write_minutes(conn, pid, pkey, minutes, replace=mid)
    after = read_meetings(conn, project_id=pid, key=new_key)[0]
    if after != before:
        events.record(conn, action="meeting.edit", entity="meeting", key=f"{pkey}/{key}", before=before, after=after)
    return after


def sign_off(conn: Conn, *, key: str, by: str, on: str | None = None, project: str | None = None) -> Meeting:
    """The chair signs the minutes off: they are hashed (canonical form 1) and never change again."""
    pid, pkey = resolve_project(conn, project)
    mid = meeting_id(conn, pid, pkey, key)
    before = read_meetings(conn, project_id=pid, key=key)[0]
    refuse_if_signed(before)
    day = (parse_date(on, "--on") or today()).isoformat()
    seal(conn, mid, before, by=check_sign_off(by, day, before["date"]), on=day)
    after = read_meetings(conn, project_id=pid, key=key)[0]
    events.record(conn, action="meeting.sign-off", entity="meeting", key=f"{pkey}/{key}", before=before, after=after)
    return after


def seal(conn: Conn, mid: int, minutes: Minutes, *, by: str, on: str) -> str:
    """Freeze meeting ``mid``: the hash of its minutes (canonical form ``MINUTES_FORM``), who and when."""
    from coordkit.domain.meetings import MINUTES_FORM

    digest = minutes_hash(minutes)
    execute(
        conn,
        "UPDATE meeting SET signed_off_by = :b, signed_off_on = :o, minutes_hash = :h, minutes_form = :f WHERE id = :m",
        {"b": by, "o": on, "h": digest, "f": MINUTES_FORM, "m": mid},
    )
    return digest


def _action(conn: Conn, ref: str, project: str | None) -> tuple[int, str, Meeting, Action]:
    pid, pkey = resolve_project(conn, project)
    mkey, number = parse_action_ref(ref)
    meeting_id(conn, pid, pkey, mkey)
    meeting = read_meetings(conn, project_id=pid, key=mkey)[0]
    found = [a for a in meeting["actions"] if a["number"] == number]
    if not found:
        numbers = [action_ref(mkey, a["number"]) for a in meeting["actions"]]
        raise NotFound("action", ref, numbers, ("meeting", mkey))
    return pid, pkey, meeting, found[0]


def action_done(
    conn: Conn, *, ref: str, on: str | None = None, note: str | None = None, project: str | None = None
) -> Action:
    """Mark an action done (follow-up: signed-off minutes allow it, the hash does not cover it)."""
    pid, pkey, meeting, action = _action(conn, ref, project)
    if action["done"]:
        raise Refused(_("action {ref} was already done on {date}").format(ref=ref, date=action["done"]))
    day = (parse_date(on, "--on") or today()).isoformat()
    if day < meeting["date"]:
        raise InvalidInput(
            _("action {number}: done on {done}, before the meeting that decided it ({date})").format(
                number=action["number"], done=day, date=meeting["date"]
            )
        )
    execute(
        conn,
        "UPDATE meeting_action SET done_on = :d, note = :n WHERE number = :x AND meeting_id = "
        "(SELECT id FROM meeting WHERE project_id = :p AND key = :k)",
        {"d": day, "n": (note or "").strip() or action["note"], "x": action["number"], "p": pid, "k": meeting["key"]},
    )
    after = {**action, "done": day, "note": (note or "").strip() or action["note"]}
    events.record(
        conn,
        action="action.done",
        entity="meeting",
        key=f"{pkey}/{action_ref(meeting['key'], action['number'])}",
        before=dict(action),
        after=dict(after),
    )
    return after  # type: ignore[return-value]


def list_actions(
    conn: Conn,
    *,
    project: str | None = None,
    open_only: bool = False,
    owner: str | None = None,
    on: str | None = None,
) -> list[dict[str, Any]]:
    """Every action of the project's meetings (oldest meeting first), with its state on ``on``: open, overdue, done."""
    from coordkit.storage.lookup import project_scope

    pid, _pkey = project_scope(conn, project)
    if owner:
        _sid, owner = resolve(conn, "stakeholder", owner)  # its key, name or Chinese name
    day = (parse_date(on, "--on") or today()).isoformat()
    found = []
    for m in read_meetings(conn, project_id=pid):
        for a in m["actions"]:
            if (open_only and a["done"]) or (owner and a["owner"] != owner):
                continue
            state = "done" if a["done"] else ("overdue" if a["due"] < day else "open")
            found.append(
                {
                    "project": m["project"],
                    "action": action_ref(m["key"], a["number"]),
                    "meeting": m["date"],
                    "text": a["text"],
                    "owner": a["owner"],
                    "due": a["due"],
                    "duty": f"{a['duty']} ({a['as']})" if a["duty"] else None,
                    "state": state,
                    "days_overdue": (dt.date.fromisoformat(day) - dt.date.fromisoformat(a["due"])).days
                    if state == "overdue"
                    else 0,
                    "done": a["done"],
                    "note": a["note"],
                }
            )
    return found


def minutes_problems(conn: Conn) -> list[str]:
    """Signed-off minutes whose stored record no longer gives the hash signed off (empty when all hold).

    For ``coord verify``: the same comparison as the ``tampered-minutes`` check, over every project.
    """
    from coordkit.domain.meetings import minutes_hash as digest

    problems = []
    for meeting in read_meetings(conn, signed_only=True):
        sign = meeting["signed_off"]
        assert sign is not None
        now = digest(meeting, sign["form"])
        if now != sign["hash"]:
            problems.append(
                _(
                    "meeting {project}/{key}: its minutes no longer match what was signed off "
                    "(fingerprint {signed}, now {now})"
                ).format(project=meeting["project"], key=meeting["key"], signed=sign["hash"][:12], now=now[:12])
            )
    return problems


def due_items(conn: Conn, *, on: dt.date, config: CheckConfig | None = None) -> list[DueItem]:
    """What meetings and concerns make due (for ``coord due`` and ``coord calendar``):

    - every action item, due on its due date (``done`` once done);
    - the next joint meeting of each project in progress on ``on``: ``no_meeting_days`` after the last one
      (or after the project's start when it has had none);
    - each open concern's next deadline (acknowledge, then respond), from ``coordkit.services.concerns``.
    """
    from coordkit.checks.config import CheckConfig
    from coordkit.due import DueItem
    from coordkit.services.concerns import concern_due_items

    config = config or CheckConfig()
    items: list[DueItem] = []
    for pkey, mkey, held, number, text, owner, due, done in tuples(
        conn,
        "SELECT p.key, m.key, m.held_on, a.number, a.text, s.key, a.due_on, a.done_on FROM meeting_action a "
        "JOIN meeting m ON m.id = a.meeting_id JOIN project p ON p.id = m.project_id "
        "JOIN stakeholder s ON s.id = a.owner_id",
    ):
        ref = action_ref(mkey, number)
        items.append(
            DueItem(
                kind="action",
                date=dt.date.fromisoformat(iso(due) or ""),
                title=text,
                uid_seed=f"action/{pkey}/{ref}",
                party=owner,
                project=pkey,
                status="done" if done else "open",
                done_on=dt.date.fromisoformat(iso(done) or "") if done else None,
                detail=_("Action {ref} of the joint meeting of {date}").format(ref=ref, date=iso(held)),
            )
        )
    day = on.isoformat()
    last = dict(
        tuples(conn, "SELECT project_id, max(held_on) FROM meeting WHERE held_on <= :d GROUP BY project_id", {"d": day})
    )
    for pid, pkey, start, end in tuples(conn, "SELECT id, key, starts_on, ends_on FROM project"):
        since = iso(last.get(pid)) or iso(start)
        if not since or not (iso(start) or OPEN_START) <= day <= (iso(end) or OPEN_END):
            continue
        next_day = dt.date.fromisoformat(since) + dt.timedelta(days=config.no_meeting_days)
        items.append(
            DueItem(
                kind="meeting",
                date=next_day,
                title=_("Joint meeting of {project} (the last was on {date})").format(project=pkey, date=since)
                if pid in last
                else _("First joint meeting of {project}").format(project=pkey),
                uid_seed=f"meeting/{pkey}/after/{since}",
                project=pkey,
                status="scheduled",
            )
        )
    items.extend(concern_due_items(conn, config=config))
    return items


def meeting_spec(meeting: Meeting) -> dict[str, Any]:
    """A meeting in the shape of workspace files: what ``export`` writes and ``meeting edit`` opens in $EDITOR."""
    sign = meeting["signed_off"]
    return minutes_spec(meeting, {"by": sign["by"], "date": sign["date"]} if sign else None)


def minutes_spec(meeting: Minutes, signed_off: Mapping[str, str] | None) -> dict[str, Any]:
    """Checked minutes (and their sign-off, if any) in the shape of workspace files."""
    return {
        "project": meeting["project"],
        "key": meeting["key"],
        "date": meeting["date"],
        "place": meeting["place"],
        "title": meeting["title"],
        "chair": dict(meeting["chair"]),
        "attendees": [dict(a) for a in meeting["attendees"]],
        "absent": list(meeting["absent"]),
        "agenda": list(meeting["agenda"]),
        "decisions": list(meeting["decisions"]),
        "actions": [
            {
                "text": a["text"],
                "owner": a["owner"],
                "due": a["due"],
                "duty": a["duty"],
                "as": a["as"],
                "done": a["done"],
                "note": a["note"],
            }
            for a in meeting["actions"]
        ],
        "signed_off": dict(signed_off) if signed_off else None,
    }


def fields_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """A workspace file's meeting (or ``--from FILE``) as the fields ``minutes_of`` takes."""
    return {
        "date": record.get("date"),
        "place": record.get("place"),
        "title": record.get("title"),
        "chair": record.get("chair"),
        "attendees": record.get("attendees") or [],
        "absent": record.get("absent") or [],
        "agenda": record.get("agenda") or [],
        "decisions": record.get("decisions") or [],
        "actions": record.get("actions") or [],
    }
