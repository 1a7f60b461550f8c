"""What applying files to a store would do: a pure function of what is there and what is wanted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coordkit.services.ascode.shape import ENTITIES, SINGULAR, identity


@dataclass(frozen=True)
class Change:
    entity: str  # stakeholders, projects, …
    key: str
    action: str  # create, change, unchanged
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (field, old, new)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity": SINGULAR[self.entity],
            "key": self.key,
            "action": self.action,
            "changes": [{"field": f, "from": old, "to": new} for f, old, new in self.fields],
        }


def plan(current: dict[str, Any], desired: dict[str, list[dict[str, Any]]]) -> list[Change]:
    """What applying ``desired`` to a store holding ``current`` would do (a pure function)."""
    changes = []
    for entity in ENTITIES:
        existing = {identity(entity, item): item for item in current[entity]}
        for item in desired[entity]:
            key = identity(entity, item)
            old = existing.get(key)
            if old is None:
                changes.append(Change(entity, key, "create"))
                continue
            diffs = tuple(
                (name, old.get(name), item.get(name))
                for name in sorted(set(old) | set(item))
                if old.get(name) != item.get(name)
            )
            changes.append(Change(entity, key, "change" if diffs else "unchanged", diffs))
    return changes
