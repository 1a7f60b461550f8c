"""Projects: the cooperation efforts that roles and duties belong to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coordkit.dates import iso, parse_date
from coordkit.domain.projects import Project, ProjectFields, check_project
from coordkit.errors import AlreadyExists
from coordkit.storage import events
from coordkit.storage.lookup import exists, get_meta, lookup_id, set_meta
from coordkit.storage.sql import Conn, executemany, rows

_SELECT = (
    "SELECT p.key, p.name, p.name_zh, p.starts_on, p.ends_on, s.key AS lead, "
    "(SELECT count(*) FROM duty d WHERE d.project_id = p.id) AS duties, "
    "(SELECT count(*) FROM role r WHERE r.project_id = p.id) AS roles "
    "FROM project p LEFT JOIN stakeholder s ON s.id = p.lead_id"
)


def _row(row: Any, current: str | None) -> Project:
    return {
        "key": row.key,
        "name": row.name,
        "name_zh": row.name_zh,
        "start": iso(row.starts_on),
        "end": iso(row.ends_on),
        "lead": row.lead,
        "current": row.key == current,
        "roles": int(row.roles),
        "duties": int(row.duties),
    }


def list_projects(conn: Conn) -> list[Project]:
    current = get_meta(conn, "current_project")
    return [_row(r, current) for r in rows(conn, _SELECT + " ORDER BY p.key")]


def get_project(conn: Conn, key: str) -> Project:
    lookup_id(conn, "project", key, "project")
    row = rows(conn, _SELECT + " WHERE p.key = :k", {"k": key})[0]
    return _row(row, get_meta(conn, "current_project"))


def write_projects(conn: Conn, records: Sequence[ProjectFields], leads: Mapping[str, int | None], *, new: bool) -> None:
    """Store checked projects (insert, or update those with the same keys); ``leads`` maps key to the lead's id."""
    values = [
        {
            "key": r["key"],
            "name": r["name"],
            "name_zh": r["name_zh"],
            "s": r["start"],
            "e": r["end"],
            "lead": leads.get(r["key"]),
        }
        for r in records
    ]
    if new:
        sql = "INSERT INTO project (key, name, name_zh, starts_on, ends_on, lead_id) VALUES (:key, :name, :name_zh, :s, :e, :lead)"
    else:
        sql = "UPDATE project SET name = :name, name_zh = :name_zh, starts_on = :s, ends_on = :e, lead_id = :lead WHERE key = :key"
    executemany(conn, sql, values)


def add_project(
    conn: Conn,
    *,
    key: str,
    name: str,
    name_zh: str | None = None,
    start: str | None = None,
    end: str | None = None,
    lead: str | None = None,
) -> Project:
    first, last = parse_date(start, "--start"), parse_date(end, "--end")
    fields = check_project(key=key, name=name, name_zh=name_zh, start=first, end=last)
    lead_id = lookup_id(conn, "stakeholder", lead, "stakeholder") if lead else None
    if exists(conn, "project", key):
        raise AlreadyExists(f"project '{key}' already exists")
    write_projects(conn, [fields], {key: lead_id}, new=True)
    after = get_project(conn, key)
    events.record(conn, action="project.add", entity="project", key=key, after=after)
    return after


def use_project(conn: Conn, *, key: str) -> Project:
    """Make ``key`` the project that project-scoped commands use by default."""
    lookup_id(conn, "project", key, "project")
    before = get_meta(conn, "current_project")
    if before != key:
        set_meta(conn, "current_project", key)
        events.record(
            conn, action="project.use", entity="project", key=key, before={"current": before}, after={"current": key}
        )
    return get_project(conn, key)
