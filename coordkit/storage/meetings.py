"""Reading meetings as minutes (``Meeting``), for services, checks, renderers and export alike.

A handful of set-based queries whatever the number of meetings: the meetings,
then their attendees, agenda and decisions, and actions, each in one query
filtered by the same condition (a sub-select, not a list of ids, so 2,000
meetings never meet SQLite's limit on parameters).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coordkit.canonical import fingerprint
from coordkit.dates import iso
from coordkit.domain.meetings import Action, Attendee, Meeting, OpenAction, is_open
from coordkit.storage.sql import Conn, tuples


def _where(project_id: int | None, key: str | None, signed_only: bool) -> tuple[str, dict[str, Any]]:
    conditions, params = [], {"pid": project_id, "key": key}
    if project_id is not None:
        conditions.append("m.project_id = :pid")
    if key is not None:
        conditions.append("m.key = :key")
    if signed_only:
        conditions.append("m.minutes_hash IS NOT NULL")
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def read_meetings(
    conn: Conn, *, project_id: int | None = None, key: str | None = None, signed_only: bool = False
) -> list[Meeting]:
    """Meetings (of one project, or one meeting by ``key`` in it), by project, date and key.

    Each lists ``earlier_open``: the actions of the project's earlier meetings
    still open on its date, which its minutes carry forward.
    """
    where, params = _where(project_id, key, signed_only)
    ids = f"(SELECT m.id FROM meeting m{where})"
    found = tuples(
        conn,
        "SELECT m.id, p.key, m.key, m.held_on, m.place, m.title, s.key, m.chair_person, m.signed_off_by, "
        "m.signed_off_on, m.minutes_hash, m.minutes_form, m.project_id FROM meeting m "
        f"JOIN project p ON p.id = m.project_id JOIN stakeholder s ON s.id = m.chair_id{where} "
        "ORDER BY p.key, m.held_on, m.key",
        params,
    )
    if not found:
        return []
    attendees: dict[int, list[Attendee]] = defaultdict(list)
    absent: dict[int, list[str]] = defaultdict(list)
    for mid, party, person, present in tuples(
        conn,
        "SELECT a.meeting_id, s.key, a.person, a.present FROM meeting_attendee a "
        f"JOIN stakeholder s ON s.id = a.stakeholder_id WHERE a.meeting_id IN {ids} ORDER BY a.meeting_id, a.position",
        params,
    ):
        if present:
            attendees[mid].append({"party": party, "person": person})
        else:
            absent[mid].append(party)
    items: dict[tuple[int, str], list[str]] = defaultdict(list)
    for mid, section, text in tuples(
        conn,
        f"SELECT meeting_id, section, text FROM meeting_item WHERE meeting_id IN {ids} ORDER BY meeting_id, position",
        params,
    ):
        items[(mid, section)].append(text)
    actions: dict[int, list[Action]] = defaultdict(list)
    projects = {row[12] for row in found}
    earlier: dict[int, list[tuple[str, str, Action]]] = defaultdict(list)  # project id -> (date, meeting, action)
    project_filter = " AND m.project_id = :pid" if project_id is not None else ""
    for mid, pid, mkey, held, number, text, owner, due, duty, letter, done, note in tuples(
        conn,
        "SELECT a.meeting_id, m.project_id, m.key, m.held_on, a.number, a.text, s.key, a.due_on, d.key, a.letter, "
        "a.done_on, a.note FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id "
        "JOIN stakeholder s ON s.id = a.owner_id LEFT JOIN duty d ON d.id = a.duty_id "
        f"WHERE 1 = 1{project_filter} ORDER BY m.held_on, m.key, a.number",
        params,
    ):
        if pid not in projects:
            continue
        action: Action = {
            "number": number,
            "text": text,
            "owner": owner,
            "due": iso(due) or "",
            "duty": duty,
            "as": letter,
            "done": iso(done),
            "note": note,
        }
        actions[mid].append(action)
        earlier[pid].append((iso(held) or "", mkey, action))
    meetings: list[Meeting] = []
    for row in found:
        mid, pkey, key_, held, place, title, chair, chair_person, by, on, digest, form, pid = row
        day = iso(held) or ""
        before = [(mkey, a) for d, mkey, a in earlier.get(pid, []) if (d, mkey) < (day, key_)]
        still: list[OpenAction] = [
            {"meeting": mkey, "number": a["number"], "text": a["text"], "owner": a["owner"], "due": a["due"]}
            for mkey, a in before
            if is_open(a, day)
        ]
        meetings.append(
            {
                "project": pkey,
                "key": key_,
                "date": day,
                "place": place,
                "title": title,
                "chair": {"party": chair, "person": chair_person},
                "attendees": attendees.get(mid, []),
                "absent": absent.get(mid, []),
                "agenda": items.get((mid, "agenda"), []),
                "decisions": items.get((mid, "decision"), []),
                "actions": actions.get(mid, []),
                "signed_off": (
                    {"by": by, "date": iso(on) or "", "hash": digest, "form": int(form or 1)} if digest else None
                ),
                "fingerprint": fingerprint(digest),
                "earlier_open": still,
            }
        )
    return meetings
