"""Projects: the cooperation efforts that roles and duties belong to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coordkit.dates import iso, parse_date
from coordkit.domain.projects import Category, Project, ProjectFields, check_category, check_project
from coordkit.errors import AlreadyExists
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import exists, get_meta, lookup_id, new_key, resolve_key, resolve_project, set_meta
from coordkit.storage.sql import Conn, execute, executemany, rows

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
    key = resolve_key(conn, "project", key)
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
    key: str | None,
    name: str,
    name_zh: str | None = None,
    start: str | None = None,
    end: str | None = None,
    lead: str | None = None,
) -> Project:
    """Add a project; without ``key`` one is made from its name (``new_key``). ``lead`` may be a party's name."""
    if key is None:
        key = new_key(conn, "project", name, name_zh)
    if lead:
        lead = resolve_key(conn, "stakeholder", lead)
    first, last = parse_date(start, "--start"), parse_date(end, "--end")
    fields = check_project(key=key, name=name, name_zh=name_zh, start=first, end=last)
    lead_id = lookup_id(conn, "stakeholder", lead, "stakeholder") if lead else None
    if exists(conn, "project", key):
        raise AlreadyExists(_("project '{key}' already exists").format(key=key))
    write_projects(conn, [fields], {key: lead_id}, new=True)
    after = get_project(conn, key)
    events.record(conn, action="project.add", entity="project", key=key, after=after)
    return after


def use_project(conn: Conn, *, key: str) -> Project:
    """Make ``key`` (or the project's name) the project that project-scoped commands use by default."""
    key = resolve_key(conn, "project", key)
    lookup_id(conn, "project", key, "project")
    before = get_meta(conn, "current_project")
    if before != key:
        set_meta(conn, "current_project", key)
        events.record(
            conn, action="project.use", entity="project", key=key, before={"current": before}, after={"current": key}
        )
    return get_project(conn, key)


def categories(conn: Conn, project_id: int | None = None) -> dict[int, dict[str, Category]]:
    """Duty categories with their names, by project id."""
    found: dict[int, dict[str, Category]] = {}
    where = " WHERE project_id = :p" if project_id is not None else ""
    for pid, key, name, name_zh in rows(
        conn, f"SELECT project_id, key, name, name_zh FROM project_category{where} ORDER BY key", {"p": project_id}
    ):
        found.setdefault(pid, {})[key] = {"key": key, "name": name, "name_zh": name_zh}
    return found


def write_categories(conn: Conn, project_id: int, items: Sequence[Category]) -> None:
    """Replace a project's category names with ``items``."""
    execute(conn, "DELETE FROM project_category WHERE project_id = :p", {"p": project_id})
    executemany(
        conn,
        "INSERT INTO project_category (project_id, key, name, name_zh) VALUES (:p, :k, :n, :z)",
        [{"p": project_id, "k": c["key"], "n": c["name"], "z": c["name_zh"]} for c in items],
    )


def name_category(
    conn: Conn, *, key: str, project: str | None = None, name: str | None = None, name_zh: str | None = None
) -> Category:
    """Give a duty category (``markets``) its names in English and Chinese, for tables and documents."""
    pid, pkey = resolve_project(conn, project)
    known = categories(conn, pid).get(pid, {})
    before = known.get(key)
    item = check_category(
        key=key,
        name=name if name is not None else (before["name"] if before else None),
        name_zh=name_zh if name_zh is not None else (before["name_zh"] if before else None),
    )
    write_categories(conn, pid, [*(c for k, c in known.items() if k != key), item])
    events.record(conn, action="project.category", entity="project", key=pkey, before=before, after=item)
    return item
