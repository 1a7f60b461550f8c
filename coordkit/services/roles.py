"""Roles in a project (funder, service provider, venue host) and who holds them."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from coordkit.dates import check_window, iso, overlaps, parse_date
from coordkit.errors import AlreadyExists, InvalidInput
from coordkit.services.common import check_key, check_text, exists, lookup_id, resolve_project
from coordkit.storage import events
from coordkit.storage.sql import Conn, connection, execute, rows

if TYPE_CHECKING:
    from sqlmodel import Session


def list_roles(conn: Conn, *, project: str | None = None, key: str | None = None) -> list[dict[str, Any]]:
    pid, pkey = resolve_project(conn, project)
    params: dict[str, Any] = {"pid": pid, "key": key}
    only = " AND r.key = :key" if key else ""
    holders: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rid, skey, valid_from, valid_to in rows(
        conn,
        "SELECT h.role_id, s.key, h.valid_from, h.valid_to FROM role_holder h "
        "JOIN role r ON r.id = h.role_id JOIN stakeholder s ON s.id = h.stakeholder_id "
        f"WHERE r.project_id = :pid{only} ORDER BY s.key, h.valid_from",
        params,
    ):
        holders[rid].append({"stakeholder": skey, "from": iso(valid_from), "to": iso(valid_to)})
    found = rows(
        conn,
        f"SELECT r.id, r.key, r.name, r.description FROM role r WHERE r.project_id = :pid{only} ORDER BY r.key",
        params,
    )
    return [
        {"project": pkey, "key": rkey, "name": name, "description": description, "holders": holders.get(rid, [])}
        for rid, rkey, name, description in found
    ]


def get_role(conn: Conn, *, key: str, project: str | None = None) -> dict[str, Any]:
    pid, pkey = resolve_project(conn, project)
    lookup_id(conn, "role", key, "role", project_id=pid, scope=f"project '{pkey}'")
    return list_roles(conn, project=pkey, key=key)[0]


def add_role(
    session: Session, *, key: str, name: str, project: str | None = None, description: str | None = None
) -> dict[str, Any]:
    from coordkit.models import Role

    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    check_key(key, "role")
    if exists(conn, "role", key, pid):
        raise AlreadyExists(f"role '{key}' already exists in project '{pkey}'")
    session.add(Role(project_id=pid, key=key, name=check_text(name, "name"), description=description or None))
    session.flush()
    after = get_role(conn, key=key, project=pkey)
    events.record(conn, action="role.add", entity="role", key=f"{pkey}/{key}", after=after)
    return after


def assign_role(
    session: Session,
    *,
    role: str,
    stakeholder: str,
    project: str | None = None,
    valid_from: str | None = None,
    valid_to: str | None = None,
) -> dict[str, Any]:
    """Make a stakeholder a holder of a role, optionally for a window."""
    from coordkit.models import RoleHolder

    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    rid = lookup_id(conn, "role", role, "role", project_id=pid, scope=f"project '{pkey}'")
    sid = lookup_id(conn, "stakeholder", stakeholder, "stakeholder")
    start, end = parse_date(valid_from, "--from"), parse_date(valid_to, "--to")
    check_window(start, end, f"holding of role '{role}'")
    before = get_role(conn, key=role, project=pkey)
    for held in before["holders"]:
        if held["stakeholder"] == stakeholder and overlaps(held["from"], held["to"], iso(start), iso(end)):
            raise AlreadyExists(f"'{stakeholder}' already holds role '{role}' in that period")
    session.add(RoleHolder(role_id=rid, stakeholder_id=sid, valid_from=start, valid_to=end))
    session.flush()
    after = get_role(conn, key=role, project=pkey)
    events.record(conn, action="role.assign", entity="role", key=f"{pkey}/{role}", before=before, after=after)
    return after


def unassign_role(session: Session, *, role: str, stakeholder: str, project: str | None = None) -> dict[str, Any]:
    conn = connection(session)
    pid, pkey = resolve_project(conn, project)
    rid = lookup_id(conn, "role", role, "role", project_id=pid, scope=f"project '{pkey}'")
    sid = lookup_id(conn, "stakeholder", stakeholder, "stakeholder")
    before = get_role(conn, key=role, project=pkey)
    if execute(conn, "DELETE FROM role_holder WHERE role_id = :r AND stakeholder_id = :s", {"r": rid, "s": sid}) == 0:
        raise InvalidInput(f"'{stakeholder}' does not hold role '{role}'")
    after = get_role(conn, key=role, project=pkey)
    events.record(conn, action="role.unassign", entity="role", key=f"{pkey}/{role}", before=before, after=after)
    return after
