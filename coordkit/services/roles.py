"""Roles in a project (funder, service provider, venue host) and who holds them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coordkit.dates import iso, parse_date
from coordkit.domain.roles import Holder, Role, check_holders, check_role
from coordkit.errors import AlreadyExists, InvalidInput
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import exists, lookup_id, new_key, resolve_key, resolve_project
from coordkit.storage.sql import Conn, execute, insert, rows


def list_roles(conn: Conn, *, project: str | None = None, key: str | None = None) -> list[Role]:
    pid, pkey = resolve_project(conn, project)
    params: dict[str, Any] = {"pid": pid, "key": key}
    only = " AND r.key = :key" if key else ""
    holders: dict[int, list[Holder]] = defaultdict(list)
    for rid, skey, valid_from, valid_to in rows(
        conn,
        "SELECT h.role_id, s.key, h.valid_from, h.valid_to FROM role_holder h "
        "JOIN role r ON r.id = h.role_id JOIN stakeholder s ON s.id = h.stakeholder_id "
        f"WHERE r.project_id = :pid{only} ORDER BY s.key, h.valid_from IS NOT NULL, h.valid_from, h.id",
        params,
    ):
        holders[rid].append({"stakeholder": skey, "from": iso(valid_from), "to": iso(valid_to)})
    found = rows(
        conn,
        f"SELECT r.id, r.key, r.name, r.name_zh, r.description FROM role r WHERE r.project_id = :pid{only} ORDER BY r.key",
        params,
    )
    return [
        {
            "project": pkey,
            "key": rkey,
            "name": name,
            "name_zh": name_zh,
            "description": description,
            "holders": holders.get(rid, []),
        }
        for rid, rkey, name, name_zh, description in found
    ]


def get_role(conn: Conn, *, key: str, project: str | None = None) -> Role:
    pid, pkey = resolve_project(conn, project)
    key = resolve_key(conn, "role", key, project_id=pid)  # 场地提供方 for venue-host
    lookup_id(conn, "role", key, "role", project_id=pid, scope=f"project '{pkey}'")
    return list_roles(conn, project=pkey, key=key)[0]


def add_role(
    conn: Conn,
    *,
    key: str | None,
    name: str | None,
    project: str | None = None,
    name_zh: str | None = None,
    description: str | None = None,
) -> Role:
    """Add a role; without ``key`` one is made from its name (``new_key``), unique in the project."""
    pid, pkey = resolve_project(conn, project)
    if key is None:
        if not (name or name_zh):
            raise InvalidInput(_("give a KEY, or a --name or --name-zh to make one from"))
        key = new_key(conn, "role", name, name_zh, project_id=pid)
    fields = check_role(key=key, name=name, name_zh=name_zh, description=description)
    if exists(conn, "role", key, pid):
        raise AlreadyExists(_("role '{key}' already exists in project '{project}'").format(key=key, project=pkey))
    insert(conn, "role", {"project_id": pid, **fields})
    after = get_role(conn, key=key, project=pkey)
    events.record(conn, action="role.add", entity="role", key=f"{pkey}/{key}", after=after)
    return after


def assign_role(
    conn: Conn,
    *,
    role: str,
    stakeholder: str,
    project: str | None = None,
    valid_from: str | None = None,
    valid_to: str | None = None,
) -> Role:
    """Make a stakeholder a holder of a role, optionally for a window."""
    pid, pkey = resolve_project(conn, project)
    role = resolve_key(conn, "role", role, project_id=pid)
    stakeholder = resolve_key(conn, "stakeholder", stakeholder)
    rid = lookup_id(conn, "role", role, "role", project_id=pid, scope=f"project '{pkey}'")
    sid = lookup_id(conn, "stakeholder", stakeholder, "stakeholder")
    start, end = iso(parse_date(valid_from, "--from")), iso(parse_date(valid_to, "--to"))
    before = get_role(conn, key=role, project=pkey)
    holding: Holder = {"stakeholder": stakeholder, "from": start, "to": end}
    check_holders(role, [holding], held=before["holders"])
    insert(conn, "role_holder", {"role_id": rid, "stakeholder_id": sid, "valid_from": start, "valid_to": end})
    after = get_role(conn, key=role, project=pkey)
    events.record(conn, action="role.assign", entity="role", key=f"{pkey}/{role}", before=before, after=after)
    return after


def unassign_role(conn: Conn, *, role: str, stakeholder: str, project: str | None = None) -> Role:
    pid, pkey = resolve_project(conn, project)
    role = resolve_key(conn, "role", role, project_id=pid)
    stakeholder = resolve_key(conn, "stakeholder", stakeholder)
    rid = lookup_id(conn, "role", role, "role", project_id=pid, scope=f"project '{pkey}'")
    sid = lookup_id(conn, "stakeholder", stakeholder, "stakeholder")
    before = get_role(conn, key=role, project=pkey)
    if execute(conn, "DELETE FROM role_holder WHERE role_id = :r AND stakeholder_id = :s", {"r": rid, "s": sid}) == 0:
        raise InvalidInput(_("'{stakeholder}' does not hold role '{role}'").format(stakeholder=stakeholder, role=role))
    after = get_role(conn, key=role, project=pkey)
    events.record(conn, action="role.unassign", entity="role", key=f"{pkey}/{role}", before=before, after=after)
    return after
