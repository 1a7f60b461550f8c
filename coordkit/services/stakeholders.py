"""The register of parties: organisations and groups that take part."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coordkit.errors import AlreadyExists, InvalidInput, Refused
from coordkit.services.common import (
    check_choice,
    check_key,
    check_level,
    check_text,
    exists,
    lookup_id,
)
from coordkit.storage import events
from coordkit.storage.sql import Conn, connection, execute, in_list, rows, scalar

if TYPE_CHECKING:
    from sqlmodel import Session

KINDS = (
    "government",
    "party-committee",
    "neighbourhood-committee",
    "social-organisation",
    "enterprise",
    "property-management",
    "university",
    "volunteer-team",
    "resident-group",
    "individual",
    "other",
)

Contact = tuple[str, str]  # (channel, value)
Rep = tuple[str, str | None]  # (name, title)


def list_stakeholders(
    conn: Conn, *, active: bool | None = None, kind: str | None = None, keys: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Every stakeholder (ordered by key) with contacts and representatives."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if active is not None:
        where.append("active = :active")
        params["active"] = active
    if kind:
        where.append("kind = :kind")
        params["kind"] = kind
    if keys:
        where.append("key IN " + in_list("key", keys, params))
    sql = (
        "SELECT id, key, name, name_zh, kind, influence, interest, interests, active FROM stakeholder"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY key"
    )
    found = rows(conn, sql, params)
    contacts: dict[int, list[dict[str, str]]] = defaultdict(list)
    for sid, channel, value in rows(
        conn, "SELECT stakeholder_id, channel, value FROM contact ORDER BY stakeholder_id, position, id"
    ):
        contacts[sid].append({"channel": channel, "value": value})
    reps: dict[int, list[dict[str, str | None]]] = defaultdict(list)
    for sid, name, title in rows(
        conn, "SELECT stakeholder_id, name, title FROM representative ORDER BY stakeholder_id, position, id"
    ):
        reps[sid].append({"name": name, "title": title})
    return [
        {
            "key": key,
            "name": name,
            "name_zh": name_zh,
            "kind": kind_,
            "influence": influence,
            "interest": interest,
            "interests": interests,
            "active": bool(is_active),
            "contacts": contacts.get(sid, []),
            "representatives": reps.get(sid, []),
        }
        for sid, key, name, name_zh, kind_, influence, interest, interests, is_active in found
    ]


def get_stakeholder(conn: Conn, key: str) -> dict[str, Any]:
    lookup_id(conn, "stakeholder", key, "stakeholder")
    return list_stakeholders(conn, keys=[key])[0]


def stakeholder_id(conn: Conn, key: str) -> int:
    return lookup_id(conn, "stakeholder", key, "stakeholder")


def _check_contacts(contacts: Sequence[Contact]) -> list[Contact]:
    return [(check_text(c, "contact channel").lower(), check_text(v, f"contact '{c}'")) for c, v in contacts]


def _check_reps(reps: Sequence[Rep]) -> list[Rep]:
    return [(check_text(n, "representative name"), (t or None)) for n, t in reps]


def add_stakeholder(
    session: Session,
    *,
    key: str,
    name: str,
    kind: str,
    name_zh: str | None = None,
    influence: int | None = None,
    interest: int | None = None,
    interests: str | None = None,
    contacts: Sequence[Contact] = (),
    representatives: Sequence[Rep] = (),
    active: bool = True,
) -> dict[str, Any]:
    from coordkit.models import Contact as ContactRow
    from coordkit.models import Representative, Stakeholder

    conn = connection(session)
    check_key(key, "stakeholder")
    row = Stakeholder(
        key=key,
        name=check_text(name, "name"),
        name_zh=name_zh or None,
        kind=check_choice(kind, KINDS, "kind"),
        influence=check_level(influence, "influence"),
        interest=check_level(interest, "interest"),
        interests=interests or None,
        active=active,
    )
    checked_contacts, checked_reps = _check_contacts(contacts), _check_reps(representatives)
    if exists(conn, "stakeholder", key):
        raise AlreadyExists(f"stakeholder '{key}' already exists; change it with 'coord stakeholder edit {key}'")
    session.add(row)
    session.flush()
    assert row.id is not None
    for position, (channel, value) in enumerate(checked_contacts):
        session.add(ContactRow(stakeholder_id=row.id, channel=channel, value=value, position=position))
    for position, (rep_name, title) in enumerate(checked_reps):
        session.add(Representative(stakeholder_id=row.id, name=rep_name, title=title, position=position))
    session.flush()
    after = get_stakeholder(conn, key)
    events.record(conn, action="stakeholder.add", entity="stakeholder", key=key, after=after)
    return after


def edit_stakeholder(
    session: Session,
    *,
    key: str,
    name: str | None = None,
    name_zh: str | None = None,
    kind: str | None = None,
    influence: int | None = None,
    interest: int | None = None,
    interests: str | None = None,
    active: bool | None = None,
    add_contacts: Sequence[Contact] = (),
    remove_contacts: Sequence[str] = (),
    add_representatives: Sequence[Rep] = (),
    remove_representatives: Sequence[str] = (),
) -> dict[str, Any]:
    """Change the fields given (None leaves a field as it is; '' clears an optional one)."""
    from coordkit.models import Contact as ContactRow
    from coordkit.models import Representative, Stakeholder

    conn = connection(session)
    sid = stakeholder_id(conn, key)
    before = get_stakeholder(conn, key)
    row = session.get(Stakeholder, sid)
    assert row is not None
    if name is not None:
        row.name = check_text(name, "name")
    if name_zh is not None:
        row.name_zh = name_zh or None
    if kind is not None:
        row.kind = check_choice(kind, KINDS, "kind")
    if influence is not None:
        row.influence = check_level(influence, "influence")
    if interest is not None:
        row.interest = check_level(interest, "interest")
    if interests is not None:
        row.interests = interests or None
    if active is not None:
        row.active = active
    for channel in remove_contacts:
        gone = execute(
            conn,
            "DELETE FROM contact WHERE stakeholder_id = :s AND (channel = :c OR value = :c)",
            {"s": sid, "c": channel},
        )
        if gone == 0:
            raise InvalidInput(f"stakeholder '{key}' has no contact '{channel}'")
    for rep_name in remove_representatives:
        gone = execute(
            conn, "DELETE FROM representative WHERE stakeholder_id = :s AND name = :n", {"s": sid, "n": rep_name}
        )
        if gone == 0:
            raise InvalidInput(f"stakeholder '{key}' has no representative '{rep_name}'")
    start = len(before["contacts"])
    for position, (channel, value) in enumerate(_check_contacts(add_contacts), start=start):
        session.add(ContactRow(stakeholder_id=sid, channel=channel, value=value, position=position))
    start = len(before["representatives"])
    for position, (rep_name, title) in enumerate(_check_reps(add_representatives), start=start):
        session.add(Representative(stakeholder_id=sid, name=rep_name, title=title, position=position))
    session.flush()
    after = get_stakeholder(conn, key)
    if after != before:
        events.record(conn, action="stakeholder.edit", entity="stakeholder", key=key, before=before, after=after)
    return after


def references(conn: Conn, sid: int) -> list[str]:
    """What still points at a stakeholder, in words."""
    found = []
    checks = [
        ("SELECT count(*) FROM assignment WHERE stakeholder_id = :s", "duty assignment(s)"),
        ("SELECT count(*) FROM role_holder WHERE stakeholder_id = :s", "role holding(s)"),
        ("SELECT count(*) FROM project WHERE lead_id = :s", "project(s) it leads"),
    ]
    for sql, words in checks:
        count = scalar(conn, sql, {"s": sid})
        if count:
            found.append(f"{count} {words}")
    return found


def remove_stakeholder(session: Session, *, key: str) -> dict[str, Any]:
    conn = connection(session)
    sid = stakeholder_id(conn, key)
    refs = references(conn, sid)
    if refs:
        raise Refused(
            f"stakeholder '{key}' is still referenced by {', '.join(refs)}; "
            f"retire it with 'coord stakeholder edit {key} --inactive' instead"
        )
    before = get_stakeholder(conn, key)
    for table, column in (("contact", "stakeholder_id"), ("representative", "stakeholder_id"), ("stakeholder", "id")):
        execute(conn, f"DELETE FROM {table} WHERE {column} = :s", {"s": sid})
    events.record(conn, action="stakeholder.remove", entity="stakeholder", key=key, before=before)
    return before
