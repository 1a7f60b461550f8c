"""The interaction log: contacts with a party between meetings (calls, visits, messages).

Each contact is kept as it was logged (an audit event records it); the
``silent-party`` check reads the latest one per party, with the meetings a
party attended, to find parties with duties nobody has been in touch with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from coordkit.dates import iso, parse_date, today
from coordkit.domain.values import check_choice, check_text, optional_text
from coordkit.errors import AlreadyExists, InvalidInput
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import lookup_id, project_scope, resolve
from coordkit.storage.sql import Conn, column, executemany, scalar, tuples
from coordkit.vocab import AGREEMENT_KEY_RE, INTERACTION_CHANNELS

_KEY = re.compile(r"^I-(\d+)$")


class Interaction(TypedDict):
    key: str
    party: str
    project: str | None
    date: str
    channel: str
    summary: str
    by: str | None


def check_interaction(
    *, key: str, party: str, on: str, channel: str, summary: str, by: str | None = None, project: str | None = None
) -> Interaction:
    """A contact's particulars, cleaned: a known channel (call, visit, message, …), what was said, when."""
    if not AGREEMENT_KEY_RE.match(key or ""):
        raise InvalidInput(
            _("contact key '{key}' is not a key: use letters, digits, '-', '_' or '.' (at most 64)").format(key=key),
            field=("key",),
        )
    return {
        "key": key,
        "party": check_text(party, "party", field="party"),
        "project": optional_text(project),
        "date": on,
        "channel": check_choice(channel.strip(), INTERACTION_CHANNELS, "--channel", field="channel"),
        "summary": check_text(summary, "--summary", field="summary"),
        "by": optional_text(by),
    }


def next_contact_key(conn: Conn) -> str:
    """``I-0001``, then one more than the highest ``I-`` number taken."""
    numbers = [
        int(m.group(1))
        for key in column(conn, "SELECT key FROM interaction WHERE key LIKE 'I-%'")
        if (m := _KEY.match(key))
    ]
    return f"I-{max(numbers, default=0) + 1:04d}"


def write_interactions(conn: Conn, records: Sequence[Interaction]) -> None:
    """Store checked contacts in one statement (``apply`` writes hundreds at once)."""
    from coordkit.domain.concerns import now

    parties = {r["party"]: lookup_id(conn, "stakeholder", r["party"], "stakeholder") for r in records}
    projects = {r["project"]: lookup_id(conn, "project", r["project"], "project") for r in records if r["project"]}
    executemany(
        conn,
        "INSERT INTO interaction (key, stakeholder_id, project_id, happened_on, channel, summary, by_person, "
        "recorded_at) VALUES (:key, :s, :p, :date, :channel, :summary, :by, :at)",
        [
            {
                **r,
                "s": parties[r["party"]],
                "p": projects.get(r["project"]) if r["project"] else None,
                "at": now(),
            }
            for r in records
        ],
    )


def log_contact(
    conn: Conn,
    *,
    party: str,
    channel: str,
    summary: str,
    on: str | None = None,
    by: str | None = None,
    project: str | None = None,
    key: str | None = None,
) -> Interaction:
    """Log one contact with ``party`` (default: today, the current project if there is one)."""
    _pid, pkey = project_scope(conn, project)
    _sid, party = resolve(conn, "stakeholder", party)  # its key, name or Chinese name
    day = parse_date(on, "--on") or today()
    if day > today():
        raise InvalidInput(_("{what} {value} is in the future; record what has happened").format(what="--on", value=on))
    key = key or next_contact_key(conn)
    if scalar(conn, "SELECT 1 FROM interaction WHERE key = :k", {"k": key}):
        raise AlreadyExists(_("contact '{key}' already exists").format(key=key))
    record = check_interaction(
        key=key, party=party, on=day.isoformat(), channel=channel, summary=summary, by=by, project=pkey
    )
    write_interactions(conn, [record])
    events.record(conn, action="contact.log", entity="interaction", key=key, after=dict(record))
    return record


def list_contacts(conn: Conn, *, party: str | None = None, project: str | None = None) -> list[Interaction]:
    """Contacts, newest first: with a party, or in a project (contacts logged without a project count for each)."""
    pid, _pkey = project_scope(conn, project)
    if party:
        _sid, party = resolve(conn, "stakeholder", party)
    where, params = [], {"party": party, "p": pid}
    if party:
        where.append("s.key = :party")
    if pid is not None:
        where.append("(i.project_id = :p OR i.project_id IS NULL)")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    return [
        {
            "key": key,
            "party": skey,
            "project": pkey,
            "date": iso(on) or "",
            "channel": channel,
            "summary": summary,
            "by": by,
        }
        for key, skey, pkey, on, channel, summary, by in tuples(
            conn,
            "SELECT i.key, s.key, p.key, i.happened_on, i.channel, i.summary, i.by_person FROM interaction i "
            "JOIN stakeholder s ON s.id = i.stakeholder_id LEFT JOIN project p ON p.id = i.project_id"
            f"{clause} ORDER BY i.happened_on DESC, i.key DESC",
            params,
        )
    ]


def interaction_record(item: Mapping[str, Any]) -> Interaction:
    """A contact of a workspace file, checked as ``contact log`` checks it."""
    return check_interaction(
        key=item["key"],
        party=item["party"],
        on=str(item["date"]),
        channel=item["channel"],
        summary=item["summary"],
        by=item.get("by"),
        project=item.get("project"),
    )
