"""Shared resources registered once, what uses them and when: a calendar per resource, and duties' uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coordkit.dates import iso
from coordkit.domain.agreements import AgreementDoc
from coordkit.domain.duties import Duty
from coordkit.domain.resources import (
    Booking,
    Resource,
    ResourceFields,
    check_capacity,
    check_resource_fields,
    unregistered,
)
from coordkit.errors import AlreadyExists, InvalidInput, NotFound
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import exists, lookup_id, resolve, resolve_duty, resolve_key, resolve_project
from coordkit.storage.sql import Conn, column, execute, rows, scalar


def write_resources(conn: Conn, records: list[ResourceFields]) -> None:
    """Insert checked resources (their owners must exist)."""
    for record in records:
        owner = lookup_id(conn, "stakeholder", record["owner"], "stakeholder") if record["owner"] else None
        execute(
            conn,
            "INSERT INTO resource (key, name, name_zh, capacity, owner_id, budget, unit) "
            "VALUES (:key, :name, :name_zh, :capacity, :owner, :budget, :unit)",
            {**record, "owner": owner},
        )


def add_resource(
    conn: Conn,
    *,
    key: str,
    name: str,
    name_zh: str | None = None,
    capacity: int | str = 1,
    owner: str | None = None,
    budget: str | None = None,
    unit: str | None = None,
) -> Resource:
    """Register a shared resource once, so that every agreement and duty that uses it names the same one."""
    if owner:
        owner = resolve_key(conn, "stakeholder", owner)  # its key, name or Chinese name
    record = check_resource_fields(
        key=key, name=name, name_zh=name_zh, capacity=capacity, owner=owner, budget=budget, unit=unit
    )
    if exists(conn, "resource", record["key"]):
        raise AlreadyExists(_("resource '{key}' already exists").format(key=record["key"]))
    write_resources(conn, [record])
    after = get_resource(conn, key=record["key"])
    events.record(conn, action="resource.add", entity="resource", key=record["key"], after=after)
    return after


def _fields(conn: Conn, key: str | None = None) -> list[ResourceFields]:
    only = " WHERE r.key = :k" if key is not None else ""
    return [
        {
            "key": r.key,
            "name": r.name,
            "name_zh": r.name_zh,
            "capacity": int(r.capacity),
            "owner": r.owner,
            "budget": r.budget,
            "unit": r.unit,
        }
        for r in rows(
            conn,
            "SELECT r.key, r.name, r.name_zh, r.capacity, s.key AS owner, r.budget, r.unit FROM resource r "
            f"LEFT JOIN stakeholder s ON s.id = r.owner_id{only} ORDER BY r.key",
            {"k": key},
        )
    ]


def resource_fields(conn: Conn) -> list[ResourceFields]:
    """Every registered resource without its calendar (what a workspace file says of it)."""
    return _fields(conn)


def list_resources(conn: Conn) -> list[Resource]:
    """Every registered resource with its calendar; the signed agreements are read once for all of them (once
    per resource made exporting the reference store take 290 s instead of 7)."""
    from coordkit.storage.documents import read_documents

    signed = [doc for doc in read_documents(conn) if doc["status"] == "signed"]
    return [{**fields, "calendar": calendar(conn, fields["key"], signed)} for fields in _fields(conn)]


def get_resource(conn: Conn, *, key: str) -> Resource:
    key = resolve_key(conn, "resource", key)
    found = _fields(conn, key)
    if not found:
        raise NotFound("resource", key, [f["key"] for f in _fields(conn)])
    return {**found[0], "calendar": calendar(conn, key)}


def calendar(conn: Conn, key: str, signed: Sequence[AgreementDoc] | None = None) -> list[Booking]:
    """What is promised of a resource: signed agreements' resources that name it (for their term), then the
    duties that use it (for their project's dates, by their R), each in order of its start. ``signed``: the
    signed agreements, when the caller has read them already."""
    from coordkit.storage.documents import read_documents

    found: list[Booking] = []
    for doc in signed if signed is not None else read_documents(conn):
        if doc["status"] != "signed":
            continue
        for res in doc["resources"]:
            if res["resource"] == key and (res["when"] or res["amount"]):
                found.append(
                    {
                        "source": f"{doc['key']} v{doc['version']}",
                        "project": doc["project"],
                        "party": res["party"],
                        "when": res["when"] or "",
                        "start": doc["effective"],
                        "end": doc["terminated_on"] or doc["expires"],
                        "units": 1,
                        "amount": res["amount"],
                    }
                )
    doers: dict[int, list[str]] = {}
    booked = (
        "JOIN duty_resource u ON u.duty_id = a.duty_id JOIN resource r ON r.id = u.resource_id "
        "WHERE r.key = :k AND a.letter = 'R'"
    )
    for duty_id, party in rows(
        conn,
        f"SELECT a.duty_id, s.key FROM assignment a JOIN stakeholder s ON s.id = a.stakeholder_id {booked} UNION "
        "SELECT a.duty_id, s.key FROM assignment a JOIN role_holder h ON h.role_id = a.role_id "
        f"JOIN stakeholder s ON s.id = h.stakeholder_id {booked} ORDER BY 2",
        {"k": key},
    ):
        doers.setdefault(duty_id, []).append(party)
    for row in rows(
        conn,
        "SELECT d.id, d.key, p.key AS project, p.starts_on, p.ends_on, u.slot, u.units FROM duty_resource u "
        "JOIN duty d ON d.id = u.duty_id JOIN project p ON p.id = d.project_id JOIN resource r ON r.id = u.resource_id "
        "WHERE r.key = :k ORDER BY p.key, d.key, u.position",
        {"k": key},
    ):
        found.append(
            {
                "source": _("duty {key}").format(key=row.key),
                "project": row.project,
                "party": ", ".join(doers.get(row.id, [])),
                "when": row.slot,
                "start": iso(row.starts_on),
                "end": iso(row.ends_on),
                "units": int(row.units),
                "amount": None,
            }
        )
    found.sort(key=lambda b: (b["start"] or "", b["source"]))
    return found


def use_resource(
    conn: Conn, *, duty: str, resource: str, when: str, units: int | str = 1, project: str | None = None
) -> Duty:
    """Record that a duty uses a registered resource at ``when`` (a slot): the festival holds the square on
    2024-06-08, the market on the second Saturday of each month."""
    from coordkit.services.agreements.drafting import check_when
    from coordkit.services.duties import get_duty

    pid, pkey = resolve_project(conn, project)
    did, key = resolve_duty(conn, duty, pid, f"project '{pkey}'")
    resource = resolve_key(conn, "resource", resource)  # its key, name or Chinese name (猎德广场)
    refusal = unregistered(resource, column(conn, "SELECT key FROM resource"))
    if refusal:
        raise InvalidInput(refusal)
    rid = lookup_id(conn, "resource", resource, "resource")
    slot = check_when(when) or ""
    count = check_capacity(units)
    before = get_duty(conn, key=key, project=pkey)
    last = scalar(conn, "SELECT max(position) FROM duty_resource WHERE duty_id = :d", {"d": did})
    params: dict[str, Any] = {"d": did, "r": rid, "slot": slot, "units": count, "pos": (last or 0) + 1}
    execute(
        conn,
        "INSERT INTO duty_resource (duty_id, resource_id, slot, units, position) VALUES (:d, :r, :slot, :units, :pos)",
        params,
    )
    after = get_duty(conn, key=key, project=pkey)
    events.record(conn, action="duty.use", entity="duty", key=f"{pkey}/{key}", before=before, after=after)
    return after


def release_resource(
    conn: Conn, *, duty: str, resource: str, when: str | None = None, project: str | None = None
) -> Duty:
    """Take back a duty's booking of a resource (only the one at ``when``, if given): the festival moves elsewhere."""
    from coordkit.errors import InvalidInput
    from coordkit.services.agreements.drafting import check_when
    from coordkit.services.duties import get_duty

    pid, pkey = resolve_project(conn, project)
    did, key = resolve_duty(conn, duty, pid, f"project '{pkey}'")
    rid, resource = resolve(conn, "resource", resource)  # its key, name or Chinese name (猎德广场)
    slot = check_when(when) if when else None
    before = get_duty(conn, key=key, project=pkey)
    only = " AND slot = :slot" if slot else ""
    gone = execute(
        conn,
        f"DELETE FROM duty_resource WHERE duty_id = :d AND resource_id = :r{only}",
        {"d": did, "r": rid, "slot": slot},
    )
    if not gone:
        raise InvalidInput(
            _("duty '{duty}' has no booking of '{resource}'{at}").format(
                duty=key, resource=resource, at=f" ({slot})" if slot else ""
            )
        )
    after = get_duty(conn, key=key, project=pkey)
    events.record(conn, action="duty.release", entity="duty", key=f"{pkey}/{key}", before=before, after=after)
    return after
