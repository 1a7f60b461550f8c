"""Lookups every service shares: ids by key (with suggestions), store settings, the project in scope."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coordkit.errors import InvalidInput, NotFound
from coordkit.i18n import _
from coordkit.storage.sql import Conn, column, execute, rows, scalar


def lookup_id(conn: Conn, table: str, key: str, what: str, *, project_id: int | None = None, scope: str = "") -> int:
    """The id of the row with ``key``; NotFound with the closest key otherwise."""
    where = "key = :key" + (" AND project_id = :pid" if project_id is not None else "")
    found = scalar(conn, f"SELECT id FROM {table} WHERE {where}", {"key": key, "pid": project_id})
    if found is not None:
        return int(found)
    if table == "duty" and project_id is not None:
        merged = scalar(
            conn,
            "SELECT duty_id FROM duty_alias WHERE key = :key AND project_id = :pid",
            {"key": key, "pid": project_id},
        )
        if merged is not None:
            return int(merged)
    keys_where = "WHERE project_id = :pid" if project_id is not None else ""
    keys = column(conn, f"SELECT key FROM {table} {keys_where}", {"pid": project_id})
    raise NotFound(what, key, keys, scope)


def resolve_duty(conn: Conn, key: str, project_id: int, scope: str = "") -> tuple[int, str]:
    """A duty's id and the key it goes by now: ``key`` itself (or the duty whose exact title it is), or, for the
    old key of a duty merged into another (``coord duty merge``), that other duty's; NotFound with the closest
    key otherwise."""
    key = resolve_key(conn, "duty", key, project_id=project_id)  # 提供市集场地 for market-venue
    did = lookup_id(conn, "duty", key, "duty", project_id=project_id, scope=scope)
    return did, str(scalar(conn, "SELECT key FROM duty WHERE id = :d", {"d": did}))


def duty_keys(conn: Conn, project_id: int) -> dict[str, int]:
    """Every key a project's duties answer to, old keys of merged duties included, with the duty's id."""
    found = {
        str(k): int(i)
        for k, i in rows(conn, "SELECT key, duty_id FROM duty_alias WHERE project_id = :p", {"p": project_id})
    }
    found.update(
        {str(k): int(i) for k, i in rows(conn, "SELECT key, id FROM duty WHERE project_id = :p", {"p": project_id})}
    )
    return found


# The columns that name a row of each keyed table, which a person may type in place of its key.
NAME_COLUMNS = {
    "stakeholder": ("name", "name_zh"),
    "project": ("name", "name_zh"),
    "duty": ("title", "title_zh"),
    "role": ("name", "name_zh"),
    "resource": ("name", "name_zh"),
}


def resolve_key(conn: Conn, table: str, text: str, *, project_id: int | None = None) -> str:
    """The key of the row that ``text`` names: its key, else its exact name in English or Chinese, else its name
    without a bracketed aside (猎德街道办事处 for 猎德街道办事处（职能部门）).

    ``猎德街道办事处`` or ``Liede Street Office`` → ``liede-street``. A key always
    wins over a name; a name two rows share is refused with the candidates
    (key and name each); text that names nothing comes back unchanged, so the
    lookup that follows says "no stakeholder …" with its suggestion as before.
    """
    scoped = " AND project_id = :pid" if project_id is not None and table in ("duty", "role") else ""
    params = {"k": text, "pid": project_id}
    if table not in NAME_COLUMNS or scalar(conn, f"SELECT 1 FROM {table} WHERE key = :k{scoped}", params):
        return text
    columns = NAME_COLUMNS[table]
    name = text.strip()
    if not name:
        return text
    matches = " OR ".join(f"{col} = :n" for col in columns)
    found = [
        (str(row[0]), _label(row[1:], name))
        for row in rows(
            conn,
            f"SELECT DISTINCT key, {', '.join(columns)} FROM {table} WHERE ({matches}){scoped} ORDER BY key LIMIT 11",
            {"n": name, "pid": project_id},
        )
    ]
    if not found:
        found = _by_short_name(conn, table, name, scoped, project_id)
    if len(found) == 1:
        return str(found[0][0])
    if found:
        from coordkit.errors import kind_name

        raise InvalidInput(
            _("'{name}' names more than one {kind}: {candidates}; give the key").format(
                name=name,
                kind=kind_name(table),
                candidates=", ".join(f"{key} ({label})" for key, label in found),
            )
        )
    return text


def _label(names: Sequence[object], typed: str) -> str:
    """A candidate's name in the reader's language (猎德街道办事处（档案室） under zh), or its other name when that
    one is just what was typed: two called 猎德商户 are told apart by their English names."""
    from coordkit.i18n import language

    found = [str(n) for n in names if n]
    if language() == "zh":
        found.reverse()
    return next((n for n in found if n != typed), found[0] if found else "")


_ASIDE = re.compile(r"\s*[（(][^（()）]*[）)]\s*$")


def _by_short_name(conn: Conn, table: str, name: str, scoped: str, project_id: int | None) -> list[tuple[str, str]]:
    """The rows whose name is ``name`` and a bracketed aside: 猎德街道办事处 names 猎德街道办事处（职能部门）, as
    people say it; only when no name matches exactly (a scan of the names that start with it)."""
    columns = NAME_COLUMNS[table]
    starts = " OR ".join(f"{col} LIKE :prefix ESCAPE '!'" for col in columns)
    found: dict[str, str] = {}
    for row in rows(
        conn,
        f"SELECT key, {', '.join(columns)} FROM {table} WHERE ({starts}){scoped} ORDER BY key",
        {"prefix": like_prefix(name), "pid": project_id},
    ):
        if any(text and _ASIDE.sub("", str(text)) == name for text in row[1:]):
            found.setdefault(str(row[0]), _label(row[1:], name))
    return list(found.items())[:11]


def resolve(conn: Conn, table: str, text: str, *, project_id: int | None = None, scope: str = "") -> tuple[int, str]:
    """The id and key of the row ``text`` names (its key, else its exact name: ``resolve_key``); NotFound with the
    closest key otherwise. For a duty, the old key of one merged into another names that other one."""
    key = resolve_key(conn, table, text, project_id=project_id)
    if table == "duty" and project_id is not None:
        return resolve_duty(conn, key, project_id, scope)
    return lookup_id(conn, table, key, table, project_id=project_id, scope=scope), key


def new_key(conn: Conn, table: str, name: str | None, name_zh: str | None, *, project_id: int | None = None) -> str:
    """A key nobody has yet, made from the English name, else the pinyin of the Chinese one.

    ``Liede Street Office`` → ``liede-street-office``; ``猎德街道办事处`` →
    ``liede-jiedao-banshichu``; a second of the same name gets ``-2``. Duties
    and roles are keyed per project (``project_id``); the rest per store.
    """
    from coordkit.slugs import slug_from, unique_slug

    base = slug_from(name, name_zh)
    return unique_slug(base, keys_starting(conn, table, base, project_id=project_id, limit=100_000))


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
        key = resolve_key(conn, "project", key)
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
        raise InvalidInput(_("there is no project yet; add one with 'coord project add KEY --name NAME'"))
    raise InvalidInput(_("which project? pass --project KEY, or set one with 'coord project use KEY'"))


KEYED = {"stakeholder", "project", "agreement", "duty", "role", "resource"}


def like_prefix(text: str) -> str:
    """``a_b%`` typed → ``a!_b!%%``: what was typed matches literally, then anything."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def keys_starting(conn: Conn, table: str, prefix: str, *, project_id: int | None = None, limit: int = 200) -> list[str]:
    """The distinct keys of ``table`` that start with ``prefix``, in order: a prefix scan of the key index.

    Duties and roles are keyed per project; ``project_id`` narrows them to one.
    """
    if table not in KEYED:
        raise ValueError(table)
    params: dict[str, object] = {"prefix": like_prefix(prefix), "limit": limit}
    scope = ""
    if project_id is not None and table in {"duty", "role"}:
        scope, params["pid"] = " AND project_id = :pid", project_id
    sql = f"SELECT DISTINCT key FROM {table} WHERE key LIKE :prefix ESCAPE '!'{scope} ORDER BY key LIMIT :limit"
    return [str(key) for key in column(conn, sql, params)]
