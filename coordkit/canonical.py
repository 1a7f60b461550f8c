"""The canonical form of an agreement version's terms, and its SHA-256 hash.

The bytes that are hashed are the JSON of these fields of the version, with
keys sorted, no whitespace (separators ``,`` and ``:``) and non-ASCII text as
UTF-8 (not ``\\u`` escapes):

    key, version, project, kind, title, title_zh, effective, expires,
    review_every, languages, parties [{stakeholder, label}], goals, methods,
    dispute_resolution, communication, rights [{party, text}],
    obligations [{party, text, duty, as, due}], resources [{party, kind, amount, unit}]

Dates are ``YYYY-MM-DD``, absent values are ``null``, amounts are decimal
strings as entered, and lists keep the agreement's order. The README shows how
to recompute a hash from ``coord agreement show KEY --format json`` in a few
lines of Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

CANONICAL_FIELDS = (
    "key",
    "version",
    "project",
    "kind",
    "title",
    "title_zh",
    "effective",
    "expires",
    "review_every",
    "languages",
    "parties",
    "goals",
    "methods",
    "dispute_resolution",
    "communication",
    "rights",
    "obligations",
    "resources",
)


def canonical_terms(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The terms a signature covers: the agreement's identity and every clause, no signatures."""
    terms = {name: doc[name] for name in CANONICAL_FIELDS}
    terms["parties"] = [{"stakeholder": p["stakeholder"], "label": p["label"]} for p in doc["parties"]]
    return terms


def canonical_json(doc: Mapping[str, Any]) -> str:
    return json.dumps(canonical_terms(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compute_hash(doc: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def fingerprint(terms_hash: str | None) -> str | None:
    """The short form printed on every page: the first 12 hex digits of the hash."""
    return terms_hash[:12] if terms_hash else None
