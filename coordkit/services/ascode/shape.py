"""The one shape of each entity in files and exports, whether it came from a file or from the store."""

from __future__ import annotations

from typing import Any

from coordkit.domain.agreements import check_amount
from coordkit.vocab import LETTER_ORDER

ENTITIES = ("stakeholders", "projects", "roles", "duties", "agreements", "meetings", "interactions", "concerns")
SINGULAR = {
    "stakeholders": "stakeholder",
    "projects": "project",
    "roles": "role",
    "duties": "duty",
    "agreements": "agreement",
    "meetings": "meeting",
    "interactions": "interaction",
    "concerns": "concern",
}


def clean(value: Any) -> Any:
    """Drop empty optional values so that equal things serialise equally."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def identity(entity: str, item: dict[str, Any]) -> str:
    """The key an entity is known by in plans and errors (``project/key`` for roles and duties)."""
    return f"{item['project']}/{item['key']}" if entity in ("roles", "duties", "meetings") else str(item["key"])


def _assignment_order(a: dict[str, Any]) -> tuple[Any, ...]:
    return (LETTER_ORDER[a["as"]], a.get("stakeholder") or a.get("role"), a.get("from") or "", a.get("to") or "")


def _holder_order(h: dict[str, Any]) -> tuple[Any, ...]:
    return (h["stakeholder"], h.get("from") or "", h.get("to") or "")


def normalise(entity: str, item: dict[str, Any]) -> dict[str, Any]:
    """One canonical form for an entity, whether it came from a file or from the store."""
    if entity == "stakeholders" and item.get("active") is True:
        item.pop("active")
    if entity == "agreements":
        item = agreement_shape(item)
    if entity == "duties" and item.get("assignments"):
        item["assignments"] = sorted(item["assignments"], key=_assignment_order)
    if entity == "roles" and item.get("holders"):
        item["holders"] = sorted(item["holders"], key=_holder_order)
    if entity == "concerns" and item.get("severity") == "medium":
        item.pop("severity")
    return clean(item)


_AREA_ORDER = {
    area: i for i, area in enumerate(("communication", "decision-making", "resources", "fulfilment", "trust"))
}


def agreement_shape(item: dict[str, Any]) -> dict[str, Any]:
    for name in ("goals", "methods", "dispute_resolution", "communication"):
        item[name] = [
            text["text"] if isinstance(text, dict) and text.get("text_zh") is None else text
            for text in item.get(name, [])
        ]
    for obligation in item.get("obligations", []):
        if obligation.get("target"):
            for name in ("amount", "each_min"):
                if obligation["target"].get(name) is not None:
                    obligation["target"][name] = check_amount(str(obligation["target"][name]))
    for resource in item.get("resources", []):
        if resource.get("amount") is not None:
            resource["amount"] = check_amount(str(resource["amount"]))
    for record in item.get("fulfilment", []):
        if record.get("actual") is not None:
            record["actual"] = check_amount(str(record["actual"]))
        for name in ("occurrence", "on"):
            if record.get(name) is not None:
                record[name] = str(record[name])
    for review in item.get("reviews", []):
        for name in ("opened", "closed"):
            if review.get(name) is not None:
                review[name] = str(review[name])
        if review.get("ratings"):  # the order they are shown in: by party, then the areas' own order
            review["ratings"] = sorted(review["ratings"], key=lambda r: (r["party"], _AREA_ORDER.get(r["area"], 9)))
        if review.get("verdicts"):
            review["verdicts"] = sorted(review["verdicts"], key=lambda v: int(v["obligation"]))
    if item.get("renewal") == "none":
        item.pop("renewal")
    if item.get("status") in (None, "draft") and not item.get("signatures"):
        item.pop("status", None)
    if item.get("kind") == "activity":
        item.pop("kind")
    return item
