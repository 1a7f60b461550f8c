"""Projects: the cooperation efforts that roles and duties belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coordkit.dates import check_window, iso, parse_date
from coordkit.errors import AlreadyExists
from coordkit.services.common import check_key, check_text, exists, get_meta, lookup_id, set_meta
from coordkit.storage import events
from coordkit.storage.sql import Conn, connection, rows

if TYPE_CHECKING:
    from sqlmodel import Session

_SELECT = (
    "SELECT p.key, p.name, p.name_zh, p.starts_on, p.ends_on, s.key AS lead, "
    "(SELECT count(*) FROM duty d WHERE d.project_id = p.id) AS duties, "
    "(SELECT count(*) FROM role r WHERE r.project_id = p.id) AS roles "
    "FROM project p LEFT JOIN stakeholder s ON s.id = p.lead_id"
)


def _row(row: Any, current: str | None) -> dict[str, Any]:
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


def list_projects(conn: Conn) -> list[dict[str, Any]]:
    current = get_meta(conn, "current_project")
    return [_row(r, current) for r in rows(conn, _SELECT + " ORDER BY p.key")]


def get_project(conn: Conn, key: str) -> dict[str, Any]:
    lookup_id(conn, "project", key, "project")
    row = rows(conn, _SELECT + " WHERE p.key = :k", {"k": key})[0]
    return _row(row, get_meta(conn, "current_project"))


def add_project(
    session: Session,
    *,
    key: str,
    name: str,
    name_zh: str | None = None,
    start: str | None = None,
    end: str | None = None,
    lead: str | None = None,
) -> dict[str, Any]:
    from coordkit.models import Project

    conn = connection(session)
    check_key(key, "project")
    starts_on, ends_on = parse_date(start, "--start"), parse_date(end, "--end")
    check_window(starts_on, ends_on, f"project '{key}'")
    lead_id = lookup_id(conn, "stakeholder", lead, "stakeholder") if lead else None
    if exists(conn, "project", key):
        raise AlreadyExists(f"project '{key}' already exists")
    session.add(
        Project(
            key=key,
            name=check_text(name, "name"),
            name_zh=name_zh or None,
            starts_on=starts_on,
            ends_on=ends_on,
            lead_id=lead_id,
        )
    )
    session.flush()
    after = get_project(conn, key)
    events.record(conn, action="project.add", entity="project", key=key, after=after)
    return after


def use_project(session: Session, *, key: str) -> dict[str, Any]:
    """Make ``key`` the project that project-scoped commands use by default."""
    conn = connection(session)
    lookup_id(conn, "project", key, "project")
    before = get_meta(conn, "current_project")
    if before != key:
        set_meta(conn, "current_project", key)
        events.record(
            conn, action="project.use", entity="project", key=key, before={"current": before}, after={"current": key}
        )
    return get_project(conn, key)
