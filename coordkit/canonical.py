"""The canonical form of an agreement version's terms, and its SHA-256 hash.

The bytes that are hashed are the JSON of the terms, with keys sorted, no
whitespace (separators ``,`` and ``:``) and non-ASCII text as UTF-8 (not
``\\u`` escapes). Dates are ``YYYY-MM-DD``, absent values ``null``, amounts
decimal strings as entered, and lists keep the agreement's order.

A version records the form its hash was made with, so a store made years ago
keeps verifying after coord learns a richer form:

* form 1 (coordkit 0.1; versions with no ``form`` recorded): ``key, version,
  project, kind, title, title_zh, effective, expires, review_every, languages,
  parties [{stakeholder, label}], goals, methods, dispute_resolution,
  communication`` (lists of English texts), ``rights [{party, text}],
  obligations [{party, text, duty, as, due}], resources [{party, kind, amount,
  unit}]``.
* form 2 (hashed when a version circulates): ``form`` (2), ``key, version,
  project, kind, title, title_zh, effective, expires, notice, renewal,
  review_every, languages``, ``parties`` with each party's particulars as they
  stood then (``stakeholder, label, name, name_zh, address,
  legal_representative, registration_number, signer {name, title},
  key_fingerprint``), every text in both languages (``{text, text_zh}``),
  ``clauses [{section, text, text_zh}]``, ``rights [{party, text, text_zh}]``,
  ``obligations [{party, text, text_zh, duty, as, due, every, target}]`` and
  ``resources [{party, kind, description, description_zh, amount, unit,
  resource, when}]``.

The README shows how to recompute a hash from ``coord agreement show KEY
--format json`` in a few lines of Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

CURRENT_FORM = 2
FORM_1 = (
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
FORM_2 = (
    "form",
    "key",
    "version",
    "project",
    "kind",
    "title",
    "title_zh",
    "effective",
    "expires",
    "notice",
    "renewal",
    "review_every",
    "languages",
    "parties",
    "goals",
    "methods",
    "dispute_resolution",
    "communication",
    "clauses",
    "rights",
    "obligations",
    "resources",
)
PARTY_2 = (
    "stakeholder",
    "label",
    "name",
    "name_zh",
    "address",
    "legal_representative",
    "registration_number",
    "signer",
    "key_fingerprint",
)
TEXTS = ("goals", "methods", "dispute_resolution", "communication")


def canonical_terms(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The terms a signature covers, in the form the version was (or will be) hashed with."""
    if doc.get("form", 1) == 1:
        terms = {name: doc[name] for name in FORM_1}
        terms["parties"] = [{"stakeholder": p["stakeholder"], "label": p["label"]} for p in doc["parties"]]
        for name in TEXTS:
            terms[name] = [_text(item) for item in doc[name]]
        terms["rights"] = [{"party": r["party"], "text": r["text"]} for r in doc["rights"]]
        terms["obligations"] = [{k: o[k] for k in ("party", "text", "duty", "as", "due")} for o in doc["obligations"]]
        terms["resources"] = [{k: r[k] for k in ("party", "kind", "amount", "unit")} for r in doc["resources"]]
        return terms
    terms = {name: doc[name] for name in FORM_2}
    terms["parties"] = [{k: p[k] for k in PARTY_2} for p in doc["parties"]]
    return terms


def _text(item: Any) -> str:
    return item["text"] if isinstance(item, Mapping) else str(item)


def canonical_json(doc: Mapping[str, Any]) -> str:
    return json.dumps(canonical_terms(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compute_hash(doc: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def fingerprint(terms_hash: str | None) -> str | None:
    """The short form printed on every page: the first 12 hex digits of the hash."""
    return terms_hash[:12] if terms_hash else None
