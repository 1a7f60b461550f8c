"""Reading agreement versions as documents (``AgreementDoc``), for services, checks and renderers alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coordkit.canonical import fingerprint
from coordkit.dates import iso
from coordkit.domain.agreements import AgreementDoc
from coordkit.errors import NotFound
from coordkit.storage.lookup import lookup_id
from coordkit.storage.sql import Conn, column, in_list, rows, tuples
from coordkit.vocab import CLAUSE_SECTIONS


def version_row(conn: Conn, key: str, number: int | None = None) -> Any:
    """The version row (the newest one unless ``number``), with its agreement's key, kind and project."""
    which = (
        ":n" if number is not None else "(SELECT max(x.number) FROM agreement_version x WHERE x.agreement_id = a.id)"
    )
    found = rows(
        conn,
        "SELECT v.*, a.key AS agreement_key, a.kind, p.key AS project FROM agreement a "
        "JOIN agreement_version v ON v.agreement_id = a.id JOIN project p ON p.id = a.project_id "
        f"WHERE a.key = :k AND v.number = {which}",
        {"k": key, "n": number},
    )
    if found:
        return found[0]
    aid = lookup_id(conn, "agreement", key, "agreement")
    versions = column(conn, "SELECT number FROM agreement_version WHERE agreement_id = :a", {"a": aid})
    raise NotFound("version", str(number), [str(v) for v in versions], f"agreement '{key}'")


def read_document(conn: Conn, key: str, number: int | None = None) -> AgreementDoc:
    """Everything about one version of an agreement (the newest unless ``number``)."""
    return read_documents(conn, version_ids=[version_row(conn, key, number).id])[0]


def read_documents(conn: Conn, *, version_ids: Sequence[int] | None = None) -> list[AgreementDoc]:
    """Many versions at once, with one query per kind of clause (ordered by key and number)."""
    params: dict[str, Any] = {}
    only = f" WHERE v.id IN {in_list('v', version_ids, params)}" if version_ids is not None else ""

    def sub(alias: str) -> str:
        return f" WHERE {alias}.version_id IN {in_list('v', version_ids, {})}" if version_ids is not None else ""

    versions = rows(
        conn,
        "SELECT v.*, a.key AS agreement_key, a.kind, p.key AS project, "
        "(SELECT count(*) FROM agreement_version x WHERE x.agreement_id = v.agreement_id) AS versions "
        "FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id JOIN project p ON p.id = a.project_id"
        f"{only} ORDER BY a.key, v.number",
        params,
    )
    docs: dict[int, AgreementDoc] = {}
    for v in versions:
        docs[v.id] = {
            "key": v.agreement_key,
            "version": v.number,
            "versions": int(v.versions),
            "project": v.project,
            "kind": v.kind,
            "title": v.title,
            "title_zh": v.title_zh,
            "status": v.status,
            "effective": iso(v.effective),
            "expires": iso(v.expires),
            "review_every": v.review_every,
            "languages": v.languages.split(","),
            "terms_hash": v.terms_hash,
            "fingerprint": fingerprint(v.terms_hash),
            "frozen_at": v.frozen_at,
            "terminated_on": iso(v.terminated_on),
            "termination_reason": v.termination_reason,
            "parties": [],
            "goals": [],
            "methods": [],
            "dispute_resolution": [],
            "communication": [],
            "rights": [],
            "obligations": [],
            "resources": [],
            "signatures": [],
            "unsigned": [],
        }
    for vid, skey, name, name_zh, label in tuples(
        conn,
        "SELECT p.version_id, s.key, s.name, s.name_zh, p.label FROM agreement_party p "
        f"JOIN stakeholder s ON s.id = p.stakeholder_id{sub('p')} ORDER BY p.version_id, p.position, p.id",
        params,
    ):
        docs[vid]["parties"].append({"stakeholder": skey, "label": label, "name": name, "name_zh": name_zh})
    for vid, section, party, text in tuples(
        conn,
        "SELECT t.version_id, t.section, s.key, t.text FROM agreement_term t "
        f"LEFT JOIN stakeholder s ON s.id = t.stakeholder_id{sub('t')} ORDER BY t.version_id, t.position, t.id",
        params,
    ):
        doc = docs[vid]
        if section == "right":
            doc["rights"].append({"party": party, "text": text})
        else:
            doc[CLAUSE_SECTIONS[section]].append(text)  # type: ignore[literal-required]
    for vid, party, text, duty, letter, due in tuples(
        conn,
        "SELECT o.version_id, s.key, o.text, d.key, o.letter, o.due_on FROM agreement_obligation o "
        "JOIN stakeholder s ON s.id = o.stakeholder_id LEFT JOIN duty d ON d.id = o.duty_id"
        f"{sub('o')} ORDER BY o.version_id, o.position, o.id",
        params,
    ):
        docs[vid]["obligations"].append({"party": party, "text": text, "duty": duty, "as": letter, "due": iso(due)})
    for vid, party, kind, amount, unit in tuples(
        conn,
        "SELECT r.version_id, s.key, r.kind, r.amount, r.unit FROM agreement_resource r "
        f"JOIN stakeholder s ON s.id = r.stakeholder_id{sub('r')} ORDER BY r.version_id, r.position, r.id",
        params,
    ):
        docs[vid]["resources"].append({"party": party, "kind": kind, "amount": amount, "unit": unit})
    for r in rows(
        conn,
        "SELECT g.version_id, s.key AS party, g.signatory, g.title, g.signed_on, g.method, g.terms_hash, "
        "g.scan_sha256, g.key_fingerprint FROM signature g JOIN stakeholder s ON s.id = g.stakeholder_id"
        f"{sub('g')} ORDER BY g.version_id, g.id",
        params,
    ):
        docs[r.version_id]["signatures"].append(
            {
                "party": r.party,
                "signatory": r.signatory,
                "title": r.title,
                "date": iso(r.signed_on) or "",
                "method": r.method,
                "terms_hash": r.terms_hash,
                "scan_sha256": r.scan_sha256,
                "key_fingerprint": r.key_fingerprint,
            }
        )
    for doc in docs.values():
        signed = {s["party"] for s in doc["signatures"]}
        doc["unsigned"] = [p["stakeholder"] for p in doc["parties"] if p["stakeholder"] not in signed]
    return list(docs.values())
