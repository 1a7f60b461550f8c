"""What changed between two versions of an agreement, field by field and clause by clause."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from coordkit.storage.documents import read_document, version_row
from coordkit.storage.sql import Conn


def _index(items: list[dict[str, Any]], by: tuple[str, ...]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    found: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        found[tuple(item.get(k) for k in by)].append(item)
    return found


def _describe(item: dict[str, Any] | str) -> str:
    if isinstance(item, str):
        return item
    parts = [f"{item['party']}: {item.get('text') or item.get('kind')}"]
    if item.get("duty"):
        parts.append(f"[{item['as']} {item['duty']}]")
    if item.get("due"):
        parts.append(f"due {item['due']}")
    if "amount" in item:
        parts.append(f"{item['amount']} {item['unit']}")
    return " ".join(parts)


def diff(
    conn: Conn, *, key: str, from_version: int | None = None, to_version: int | None = None
) -> list[dict[str, Any]]:
    """What changed between two versions, field by field and clause by clause."""
    newest = version_row(conn, key, newest=True).number
    to_n = to_version or newest
    from_n = from_version or max(to_n - 1, 1)
    old: Mapping[str, Any] = read_document(conn, key, from_n)
    new: Mapping[str, Any] = read_document(conn, key, to_n)
    changes: list[dict[str, Any]] = []
    for field in ("title", "title_zh", "kind", "effective", "expires", "review_every", "languages"):
        if old[field] != new[field]:
            changes.append({"section": field, "change": "changed", "from": old[field], "to": new[field]})
    old_parties = {p["stakeholder"]: p["label"] for p in old["parties"]}
    new_parties = {p["stakeholder"]: p["label"] for p in new["parties"]}
    for party in sorted(old_parties.keys() | new_parties.keys()):
        if party not in new_parties:
            changes.append(
                {"section": "parties", "change": "removed", "from": f"{party} ({old_parties[party]})", "to": None}
            )
        elif party not in old_parties:
            changes.append(
                {"section": "parties", "change": "added", "from": None, "to": f"{party} ({new_parties[party]})"}
            )
        elif old_parties[party] != new_parties[party]:
            changes.append(
                {
                    "section": "parties",
                    "change": "changed",
                    "from": f"{party} ({old_parties[party]})",
                    "to": f"{party} ({new_parties[party]})",
                }
            )
    for field in ("goals", "methods", "dispute_resolution", "communication"):
        for text in old[field]:
            if text not in new[field]:
                changes.append({"section": field, "change": "removed", "from": text, "to": None})
        for text in new[field]:
            if text not in old[field]:
                changes.append({"section": field, "change": "added", "from": None, "to": text})
    for field, by in (
        ("rights", ("party", "text")),
        ("obligations", ("party", "duty")),
        ("resources", ("party", "kind")),
    ):
        if field == "obligations":
            olds = _index([o for o in old[field] if o["duty"]], by) | _index(
                [o for o in old[field] if not o["duty"]], ("party", "text")
            )
            news = _index([o for o in new[field] if o["duty"]], by) | _index(
                [o for o in new[field] if not o["duty"]], ("party", "text")
            )
        else:
            olds, news = _index(old[field], by), _index(new[field], by)
        for ident in list(dict.fromkeys([*olds, *news])):
            before_items, after_items = olds.get(ident, []), news.get(ident, [])
            for a, b in zip(before_items, after_items, strict=False):
                if a != b:
                    changes.append({"section": field, "change": "changed", "from": _describe(a), "to": _describe(b)})
            for a in before_items[len(after_items) :]:
                changes.append({"section": field, "change": "removed", "from": _describe(a), "to": None})
            for b in after_items[len(before_items) :]:
                changes.append({"section": field, "change": "added", "from": None, "to": _describe(b)})
    return [{"from_version": from_n, "to_version": to_n, **c} for c in changes]
