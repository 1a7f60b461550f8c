"""Making a workspace and describing it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from coordkit.storage.engine import Store, open_store
from coordkit.storage.location import StoreLocation
from coordkit.storage.migrations import LATEST


def init_workspace(location: StoreLocation) -> tuple[Store, bool]:
    """Make the store (or open the one that is there); returns it and whether it is new."""
    existed = location.path.exists() if location.path is not None else None
    store = open_store(location, create=True)
    with store.read() as conn:
        events = conn.execute(text("SELECT count(*) FROM event")).scalar_one()
    created = not existed if existed is not None else events == 0
    return store, created


def describe(store: Store) -> dict[str, Any]:
    """What is in the store: where it is, its schema, and how many of each thing."""
    counts = {}
    with store.read() as conn:
        for table in ("stakeholder", "project", "role", "duty", "assignment", "event"):
            counts[table + "s"] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        current = conn.execute(text("SELECT value FROM coord_meta WHERE key = 'current_project'")).scalar()
    return {
        "store": store.location.display,
        "workspace": str(store.root),
        "schema": LATEST,
        "current_project": current,
        **counts,
    }
