"""Agreements as documents and as lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from coordkit.canonical import fingerprint
from coordkit.dates import add_days, iso, today
from coordkit.domain.agreements import AgreementDoc, AgreementRow, in_force
from coordkit.domain.values import check_choice
from coordkit.storage.documents import IN_FORCE_FIRST, NEWEST, version_row
from coordkit.storage.lookup import lookup_id, resolve
from coordkit.storage.sql import Conn, column, in_list, rows
from coordkit.vocab import AGREEMENT_STATUSES, CLAUSE_SECTIONS


def version_id(conn: Conn, key: str, number: int | None = None) -> int:
    return int(version_row(conn, key, number).id)


def newest_version_ids(
    conn: Conn,
    *,
    keys: Sequence[str] = (),
    status: str | None = None,
    project: str | None = None,
    in_force_first: bool = False,
) -> list[int]:
    """The newest version of each agreement (or with ``in_force_first`` the version in force, where one is
    signed: what people read), all or those named, optionally filtered."""
    params: dict[str, Any] = {}
    which = IN_FORCE_FIRST if in_force_first else NEWEST
    where = [f"v.number = {which.replace('a.id', 'v.agreement_id')}"]
    for key in keys:
        lookup_id(conn, "agreement", key, "agreement")
    if keys:
        where.append("a.key IN " + in_list("k", keys, params))
    if status:
        where.append("v.status = :status")
        params["status"] = check_choice(status, AGREEMENT_STATUSES, "status")
    if project:
        params["pid"] = resolve(conn, "project", project)[0]
        where.append("a.project_id = :pid")
    return column(
        conn,
        "SELECT v.id FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id WHERE "
        + " AND ".join(where)
        + " ORDER BY a.key",
        params,
    )


def list_agreements(
    conn: Conn,
    *,
    project: str | None = None,
    status: str | None = None,
    party: str | None = None,
    expiring_days: int | None = None,
    on: str | None = None,
) -> list[AgreementRow]:
    """One row per agreement (its newest version), ordered by key."""
    day = on or today().isoformat()
    params: dict[str, Any] = {}
    where = []
    if project:
        params["pid"] = resolve(conn, "project", project)[0]
        where.append("a.project_id = :pid")
    if party:
        params["sid"] = resolve(conn, "stakeholder", party)[0]  # its key, name or Chinese name
        where.append(
            "EXISTS (SELECT 1 FROM agreement_party ap WHERE ap.version_id = v.id AND ap.stakeholder_id = :sid)"
        )
    if status:
        params["status"] = check_choice(status, AGREEMENT_STATUSES, "status")
        where.append("v.status = :status")
    found = rows(
        conn,
        "SELECT a.key, p.key AS project, a.kind, v.number, v.title, v.title_zh, v.status, v.effective, v.expires, "
        "v.terms_hash, v.terminated_on, "
        "(SELECT count(*) FROM agreement_party ap WHERE ap.version_id = v.id) AS parties, "
        "(SELECT count(*) FROM signature g WHERE g.version_id = v.id) AS signatures "
        f", {NEWEST} AS newest, "
        "(SELECT n.status FROM agreement_version n WHERE n.agreement_id = a.id AND n.number = "
        f"{NEWEST}) AS newest_status "
        "FROM agreement a JOIN project p ON p.id = a.project_id JOIN agreement_version v ON v.agreement_id = a.id "
        f"AND v.number = {IN_FORCE_FIRST}" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY a.key",
        params,
    )
    result = []
    limit = add_days(day, expiring_days) if expiring_days else None
    for r in found:
        item: AgreementRow = {
            "key": r.key,
            "project": r.project,
            "kind": r.kind,
            "version": r.number,
            "title": r.title,
            "title_zh": r.title_zh,
            "status": r.status,
            "effective": iso(r.effective),
            "expires": iso(r.expires),
            "parties": int(r.parties),
            "signatures": int(r.signatures),
            "fingerprint": fingerprint(r.terms_hash),
            "terminated_on": iso(r.terminated_on),
            "in_force": False,
            "pending": {"version": r.newest, "status": r.newest_status} if r.newest != r.number else None,
        }
        item["in_force"] = in_force(item, day)
        if limit is not None and not (item["in_force"] and item["expires"] and item["expires"] <= limit):
            continue
        result.append(item)
    return result


def items(doc: AgreementDoc, section: str) -> list[Any]:
    """The clauses of one section (``goal``, ``right``, ``obligation`` …), numbered as ``list`` shows them."""
    field = {"obligation": "obligations", "resource": "resources"}.get(section) or CLAUSE_SECTIONS[section]
    return list(doc[field])  # type: ignore[literal-required]


def annex_duties(conn: Conn, projects: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The duties of ``projects`` as an agreement's annex names them: title and category, in both languages.

    Duty keys are unique within a project, and an agreement belongs to one; for
    documents of several projects (``render --all``) the mapping is per project,
    keyed ``PROJECT/DUTY`` as well as by the bare key of the first project.
    """
    if not projects:
        return {}
    params: dict[str, Any] = {}
    sql = (
        "SELECT p.key AS project, d.key, d.title, d.title_zh, d.category, c.name AS category_name, "
        "c.name_zh AS category_name_zh FROM duty d JOIN project p ON p.id = d.project_id "
        "LEFT JOIN project_category c ON c.project_id = d.project_id AND c.key = d.category "
        "WHERE p.key IN " + in_list("p", sorted(set(projects)), params) + " ORDER BY p.key, d.key"
    )
    uses: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for use in rows(
        conn,
        "SELECT p.key AS project, d.key AS duty, r.key AS resource, r.name, r.name_zh, u.slot, u.units "
        "FROM duty_resource u JOIN resource r ON r.id = u.resource_id JOIN duty d ON d.id = u.duty_id "
        "JOIN project p ON p.id = d.project_id WHERE p.key IN "
        + in_list("q", sorted(set(projects)), params)
        + " ORDER BY u.duty_id, u.position, u.id",
        params,
    ):
        uses[(use.project, use.duty)].append(
            {"resource": use.resource, "name": use.name, "name_zh": use.name_zh, "when": use.slot, "units": use.units}
        )
    found: dict[str, dict[str, Any]] = {}
    for row in rows(conn, sql, params):
        info = {
            "title": row.title,
            "title_zh": row.title_zh,
            "category": row.category,
            "category_name": row.category_name or row.category,
            "category_name_zh": row.category_name_zh,
            "uses": uses.get((row.project, row.key), []),  # the shared resources it uses (coord duty use)
        }
        found[f"{row.project}/{row.key}"] = info
        found.setdefault(row.key, info)
    return found


def duties_of(annex: dict[str, dict[str, Any]], project: str | None) -> dict[str, dict[str, Any]]:
    """The annex mapping of one agreement's project, by bare duty key."""
    prefix = f"{project}/"
    return {key.removeprefix(prefix): info for key, info in annex.items() if key.startswith(prefix)}
