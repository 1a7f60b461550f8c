"""Reading the audit log and checking its hash chain."""

from __future__ import annotations

import json
from typing import Any

from coordkit.storage.events import chain_problems
from coordkit.storage.lookup import get_meta
from coordkit.storage.sql import Conn, rows


def like_escaped(text: str) -> str:
    """``text`` matched literally by ``LIKE … ESCAPE '\\'``: ``v_nue`` must not match ``venue`` (``_`` is any
    one character to LIKE, ``%`` any run of them)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_events(conn: Conn, *, key: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Events newest first; ``key`` matches an entity key or its last part (``duty`` of ``proj/duty``)."""
    where = " WHERE key = :k OR key LIKE :suffix ESCAPE '\\'" if key else ""
    sql = f"SELECT id, at, actor, action, entity, key, before, after, hash FROM event{where} ORDER BY id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [
        {
            "id": r.id,
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "entity": r.entity,
            "key": r.key,
            "before": json.loads(r.before) if r.before else None,
            "after": json.loads(r.after) if r.after else None,
            "hash": r.hash,
        }
        for r in rows(conn, sql, {"k": key, "suffix": "%/" + like_escaped(key or "")})
    ]


def verify_history(conn: Conn) -> list[str]:
    """Problems in the event chain (empty when history is intact)."""
    found = rows(
        conn, "SELECT id, at, actor, action, entity, key, before, after, prev_hash, hash FROM event ORDER BY id"
    )
    return chain_problems(
        (r._asdict() if hasattr(r, "_asdict") else r._mapping for r in found), get_meta(conn, "event_head") or ""
    )
