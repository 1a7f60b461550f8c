"""Duties (one responsibility each) and their RACI assignments."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from coordkit.dates import check_window, iso, overlaps, parse_date
from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.services.common import (
    check_choice,
    check_key,
    check_text,
    exists,
    lookup_id,
    resolve_project,
)
from coordkit.storage import events
from coordkit.storage.sql import Conn, column, connection, execute, in_list, rows, scalar

if TYPE_CHECKING:
    from sqlmodel import Session

LETTERS = ("R", "A", "C", "I")
LETTER_WORDS = {"R": "responsible", "A": "accountable", "C": "consulted", "I": "informed"}


def _assignments(conn: Conn, pid: int, duty_ids: list[int] | None) -> dict[int, list[dict[str, Any]]]:
    params: dict[str, Any] = {"pid": pid}
    only = " AND d.id IN " + in_list("duty", duty_ids, params) if duty_ids is not None else ""
    sql = (
        "SELECT a.duty_id, a.letter, s.key AS stakeholder, r.key AS role, a.valid_from, a.valid_to, "
        "a.source, a.agreement_key, a.agreement_version "
        "FROM assignment a JOIN duty d ON d.id = a.duty_id "
        "LEFT JOIN stakeholder s ON s.id = a.stakeholder_id LEFT JOIN role r ON r.id = a.role_id "
        f"WHERE d.project_id = :pid{only} "
        "ORDER BY a.duty_id, CASE a.letter WHEN 'R' THEN 0 WHEN 'A' THEN 1 WHEN 'C' THEN 2 ELSE 3 END, "
        "coalesce(s.key, r.key), a.valid_from, a.id"
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows(conn, sql, params):
        item: dict[str, Any] = {
            "letter": row.letter,
            "stakeholder": row.stakeholder,
            "role": row.role,
            "from": iso(row.valid_from),
            "to": iso(row.valid_to),
            "source": row.source,
        }
        if row.agreement_key:
            item["agreement"] = f"{row.agreement_key} v{row.agreement_version}"
        found[row.duty_id].append(item)
    return found


def list_duties(
    conn: Conn, *, project: str | None = None, key: str | None = None, category: str | None = None
) -> list[dict[str, Any]]:
    """Duties of a project (by category, then key), each with its assignments."""
    pid, pkey = resolve_project(conn, project)
    where, params = ["project_id = :pid"], {"pid": pid, "key": key, "category": category}
    if key:
        where.append("key = :key")
    if category:
        where.append("category = :category")
    found = rows(
        conn,
        "SELECT id, key, title, title_zh, category, due_on FROM duty WHERE "
        + " AND ".join(where)
        + " ORDER BY coalesce(category, ''), key",
        params,
    )
    assigned = _assignments(conn, pid, [r.id for r in found] if key else None)
    return [
        {
            "project": pkey,
            "key": r.key,
            "title": r.title,
            "title_zh": r.title_zh,
            "category": r.category,
            "due": iso(r.due_on),
            "assignments": assigned.get(r.id, []),
        }
        for r in found
    ]


def get_duty(conn: Conn, *, key: str, project: str | None = None) -> dict[str, Any]:
    pid, pkey = resolve_project(conn, project)
    lookup_id(conn, "duty", key, "duty", project_id=pid, scope=f"project '{pkey}'")
    return list_duties(conn, project=pkey, key=key)[0]


def add_duty(
    session: Session,
    *,
    key: str,
    title: str,
    project: str | None = None,
    title_zh: str | None = None,
    category: str | None = None,
    due: str | None = None,
) -> dict[str, Any]:
    from coordkit.models import Duty

    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    check_key(key, "duty")
    due_on = parse_date(due, "--due")
    if exists(conn, "duty", key, pid):
        raise AlreadyExists(f"duty '{key}' already exists in project '{pkey}'")
    session.add(
        Duty(
            project_id=pid,
            key=key,
            title=check_text(title, "title"),
            title_zh=title_zh or None,
            category=category or None,
            due_on=due_on,
        )
    )
    session.flush()
    after = get_duty(conn, key=key, project=pkey)
    events.record(conn, action="duty.add", entity="duty", key=f"{pkey}/{key}", after=after)
    return after


def edit_duty(
    session: Session,
    *,
    key: str,
    project: str | None = None,
    title: str | None = None,
    title_zh: str | None = None,
    category: str | None = None,
    due: str | None = None,
) -> dict[str, Any]:
    """Change the fields given (None leaves a field; '' clears an optional one)."""
    from coordkit.models import Duty

    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    did = lookup_id(conn, "duty", key, "duty", project_id=pid, scope=f"project '{pkey}'")
    before = get_duty(conn, key=key, project=pkey)
    row = session.get(Duty, did)
    assert row is not None
    if title is not None:
        row.title = check_text(title, "title")
    if title_zh is not None:
        row.title_zh = title_zh or None
    if category is not None:
        row.category = category or None
    if due is not None:
        row.due_on = parse_date(due, "--due")
    session.flush()
    after = get_duty(conn, key=key, project=pkey)
    if after != before:
        events.record(conn, action="duty.edit", entity="duty", key=f"{pkey}/{key}", before=before, after=after)
    return after


def remove_duty(session: Session, *, key: str, project: str | None = None) -> dict[str, Any]:
    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    did = lookup_id(conn, "duty", key, "duty", project_id=pid, scope=f"project '{pkey}'")
    before = get_duty(conn, key=key, project=pkey)
    if before["assignments"]:
        parties = sorted({a["stakeholder"] or f"role:{a['role']}" for a in before["assignments"]})
        raise Refused(
            f"duty '{key}' still has {len(before['assignments'])} assignment(s) "
            f"({', '.join(parties)}); unassign them first"
        )
    execute(conn, "DELETE FROM duty WHERE id = :d", {"d": did})
    events.record(conn, action="duty.remove", entity="duty", key=f"{pkey}/{key}", before=before)
    return before


def resolve_party(conn: Conn, party: str, pid: int, pkey: str) -> tuple[int | None, int | None]:
    """A party is a stakeholder key, or a role of the project (``role:KEY`` or a plain role key)."""
    if party.startswith("role:"):
        rid = lookup_id(conn, "role", party[5:], "role", project_id=pid, scope=f"project '{pkey}'")
        return None, rid
    sid = scalar(conn, "SELECT id FROM stakeholder WHERE key = :k", {"k": party})
    if sid is not None:
        return int(sid), None
    rid = scalar(conn, "SELECT id FROM role WHERE key = :k AND project_id = :p", {"k": party, "p": pid})
    if rid is not None:
        return None, int(rid)
    keys = column(conn, "SELECT key FROM stakeholder")
    keys += [f"role:{k}" for k in column(conn, "SELECT key FROM role WHERE project_id = :p", {"p": pid})]
    raise NotFound("stakeholder or role", party, keys, f"project '{pkey}'")


def check_letter(letter: str) -> str:
    return check_choice(letter.upper(), LETTERS, "RACI letter")


def assign_duty(
    session: Session,
    *,
    duty: str,
    party: str,
    letter: str,
    project: str | None = None,
    valid_from: str | None = None,
    valid_to: str | None = None,
) -> dict[str, Any]:
    """Give ``party`` the RACI ``letter`` for ``duty``, open-ended unless a window is given."""
    from coordkit.models import Assignment

    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    letter = check_letter(letter)
    did = lookup_id(conn, "duty", duty, "duty", project_id=pid, scope=f"project '{pkey}'")
    sid, rid = resolve_party(conn, party, pid, pkey)
    start, end = parse_date(valid_from, "--from"), parse_date(valid_to, "--to")
    check_window(start, end, "assignment")
    before = get_duty(conn, key=duty, project=pkey)
    party_key = party.removeprefix("role:")
    for held in before["assignments"]:
        same_party = held["stakeholder"] == party_key if sid else held["role"] == party_key
        if same_party and held["letter"] == letter and overlaps(held["from"], held["to"], iso(start), iso(end)):
            raise AlreadyExists(f"'{party}' is already {letter} for duty '{duty}' in that period")
    session.add(
        Assignment(
            duty_id=did, stakeholder_id=sid, role_id=rid, letter=letter, valid_from=start, valid_to=end, source="manual"
        )
    )
    session.flush()
    after = get_duty(conn, key=duty, project=pkey)
    events.record(conn, action="duty.assign", entity="duty", key=f"{pkey}/{duty}", before=before, after=after)
    return after


def unassign_duty(
    session: Session, *, duty: str, party: str, letter: str | None = None, project: str | None = None
) -> dict[str, Any]:
    """Remove the party's manual assignments to the duty (only ``letter`` when given)."""
    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    did = lookup_id(conn, "duty", duty, "duty", project_id=pid, scope=f"project '{pkey}'")
    sid, rid = resolve_party(conn, party, pid, pkey)
    before = get_duty(conn, key=duty, project=pkey)
    column, value = ("stakeholder_id", sid) if sid is not None else ("role_id", rid)
    params = {"d": did, "v": value, "l": check_letter(letter) if letter else None}
    only_letter = " AND letter = :l" if letter else ""
    base = f"FROM assignment WHERE duty_id = :d AND {column} = :v{only_letter}"
    from_agreement = scalar(conn, f"SELECT count(*) {base} AND source <> 'manual'", params)
    if execute(conn, f"DELETE {base} AND source = 'manual'", params) == 0:
        if from_agreement:
            raise Refused(f"'{party}' holds duty '{duty}' through a signed agreement; amend or terminate it instead")
        what = f" as {params['l']}" if letter else ""
        raise InvalidInput(f"'{party}' has no assignment{what} for duty '{duty}'")
    after = get_duty(conn, key=duty, project=pkey)
    events.record(conn, action="duty.unassign", entity="duty", key=f"{pkey}/{duty}", before=before, after=after)
    return after
