"""Making a workspace and describing it."""

from __future__ import annotations

from typing import Any

from coordkit.storage.engine import Store, open_store
from coordkit.storage.location import StoreLocation
from coordkit.storage.migrations import LATEST
from coordkit.storage.sql import scalar


def init_workspace(location: StoreLocation) -> tuple[Store, bool]:
    """Make the store (or open the one that is there); returns it and whether it is new."""
    existed = location.path.exists() if location.path is not None else None
    store = open_store(location, create=True)
    with store.read() as conn:
        events = scalar(conn, "SELECT count(*) FROM event")
    created = not existed if existed is not None else events == 0
    return store, created


def describe(store: Store) -> dict[str, Any]:
    """What is in the store: where it is, its schema, and how many of each thing."""
    counts = {}
    with store.read() as conn:
        for table in ("stakeholder", "project", "role", "duty", "assignment", "event"):
            counts[table + "s"] = scalar(conn, f"SELECT count(*) FROM {table}")
        current = scalar(conn, "SELECT value FROM coord_meta WHERE key = 'current_project'")
    return {
        "store": store.location.display,
        "workspace": str(store.root),
        "schema": LATEST,
        "current_project": current,
        **counts,
    }


def enable_team(store: Store) -> dict[str, str]:
    """Make the PostgreSQL store a team store (group roles, grants, policies); again: brought up to date."""
    from coordkit.storage import events, team

    with store.write() as conn:
        roles = team.enable(conn)
        events.record(
            conn, action="team.enable", entity="store", key=str(scalar(conn, "SELECT current_database()")), after=roles
        )
        return roles
