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
            old = _as_stated(entity, old, item)
            diffs = tuple(
                (name, old.get(name), item.get(name))
                for name in sorted(set(old) | set(item))
                if old.get(name) != item.get(name)
            )
            changes.append(Change(entity, key, "change" if diffs else "unchanged", diffs))
    return changes


PROOF_FIELDS = {
    "agreements": ("version", "fingerprint", "form"),
    "stakeholders": ("keys",),
    "duties": ("aliases",),  # old keys of merged duties are never removed: a file need not repeat them
}
SIGNATURE_PROOF = ("key", "key_signature", "scan")


def _as_stated(entity: str, old: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """The store's side without the proof a file leaves unsaid: an export writes fingerprints, frozen
    particulars, keys and key signatures; a file a person wrote (the demo's) need not repeat them to be
    "unchanged". What a file does say is compared."""
    if entity not in PROOF_FIELDS:
        return old
    old = {k: v for k, v in old.items() if k in item or k not in PROOF_FIELDS[entity]}
    if entity != "agreements":
        return old
    stated = {p["stakeholder"] for p in item.get("parties", []) if "as_signed" in p}
    if "parties" in old:
        old["parties"] = [
            p if p["stakeholder"] in stated else {k: v for k, v in p.items() if k != "as_signed"}
            for p in old["parties"]
        ]
    said = {s["party"]: s for s in item.get("signatures", [])}
    if "signatures" in old:
        old["signatures"] = [
            {k: v for k, v in s.items() if k not in SIGNATURE_PROOF or k in said.get(s["party"], {})}
            for s in old["signatures"]
        ]
    return old
