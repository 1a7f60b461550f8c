"""Helpers every service shares: keys, lookups with suggestions, choices, scope."""

from __future__ import annotations

import re
from collections.abc import Iterable

from coordkit.errors import InvalidInput, NotFound
from coordkit.storage.sql import Conn, column, execute, rows, scalar

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def check_key(key: str, what: str) -> str:
    """Keys are slugs: lower-case letters, digits, '.', '_' and '-'."""
    if not KEY_RE.match(key or ""):
        raise InvalidInput(
            f"{what} key '{key}' is not a slug: use lower-case letters, digits, '-', '_' "
            "or '.', starting with a letter or digit (at most 64)"
        )
    return key


def check_text(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise InvalidInput(f"{what} must not be empty")
    return value.strip()


def check_choice(value: str, choices: Iterable[str], what: str) -> str:
    options = list(choices)
    if value in options:
        return value
    lowered = value.lower().replace("_", "-").replace(" ", "-")
    if lowered in options:
        return lowered
    raise InvalidInput(f"{what} '{value}' is not one of: {', '.join(options)}{_suggest(value, options)}")


def _suggest(value: str, options: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def check_level(value: int | None, what: str) -> int | None:
    if value is not None and not 1 <= value <= 5:
        raise InvalidInput(f"{what} must be from 1 to 5 (got {value})")
    return value


def lookup_id(conn: Conn, table: str, key: str, what: str, *, project_id: int | None = None, scope: str = "") -> int:
    """The id of the row with ``key``; NotFound with the closest key otherwise."""
    where = "key = :key" + (" AND project_id = :pid" if project_id is not None else "")
    found = scalar(conn, f"SELECT id FROM {table} WHERE {where}", {"key": key, "pid": project_id})
    if found is not None:
        return int(found)
    keys_where = "WHERE project_id = :pid" if project_id is not None else ""
    keys = column(conn, f"SELECT key FROM {table} {keys_where}", {"pid": project_id})
    raise NotFound(what, key, keys, scope)


def exists(conn: Conn, table: str, key: str, project_id: int | None = None) -> bool:
    where = "key = :key" + (" AND project_id = :pid" if project_id is not None else "")
    return scalar(conn, f"SELECT 1 FROM {table} WHERE {where}", {"key": key, "pid": project_id}) is not None


def get_meta(conn: Conn, key: str) -> str | None:
    value = scalar(conn, "SELECT value FROM coord_meta WHERE key = :k", {"k": key})
    return None if value is None else str(value)


def set_meta(conn: Conn, key: str, value: str | None) -> None:
    if execute(conn, "UPDATE coord_meta SET value = :v WHERE key = :k", {"k": key, "v": value}) == 0:
        execute(conn, "INSERT INTO coord_meta (key, value) VALUES (:k, :v)", {"k": key, "v": value})


def project_scope(conn: Conn, key: str | None) -> tuple[int | None, str | None]:
    """For whole-store views: ``--project``, else the current project, else every project (None)."""
    if key:
        return lookup_id(conn, "project", key, "project"), key
    current = get_meta(conn, "current_project")
    if current:
        pid = scalar(conn, "SELECT id FROM project WHERE key = :k", {"k": current})
        if pid is not None:
            return int(pid), current
    return None, None


def resolve_project(conn: Conn, key: str | None) -> tuple[int, str]:
    """The project a command works on: ``--project``, the current one, or the only one."""
    pid, pkey = project_scope(conn, key)
    if pid is not None and pkey is not None:
        return pid, pkey
    found = rows(conn, "SELECT id, key FROM project ORDER BY key LIMIT 2")
    if len(found) == 1:
        return int(found[0][0]), str(found[0][1])
    if not found:
        raise InvalidInput("there is no project yet; add one with 'coord project add KEY --name NAME'")
    raise InvalidInput("which project? pass --project KEY, or set one with 'coord project use KEY'")
