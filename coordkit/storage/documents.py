"""Reading agreement versions as documents (``AgreementDoc``), for services, checks and renderers alike.

A draft names its parties as the register has them now; from circulation on,
a version names them as they stood when it circulated (frozen with the terms,
so renaming a party later never changes what was signed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coordkit.canonical import CURRENT_FORM, fingerprint
from coordkit.dates import iso
from coordkit.domain.agreements import AgreementDoc, Party, Signer, Target
from coordkit.errors import NotFound
from coordkit.storage.lookup import lookup_id
from coordkit.storage.sql import Conn, column, in_list, rows, tuples
from coordkit.vocab import CLAUSE_KINDS, CLAUSE_SECTIONS

IN_FORCE_FIRST = (
    "(SELECT coalesce(max(CASE WHEN x.status = 'signed' THEN x.number END), max(x.number)) "
    "FROM agreement_version x WHERE x.agreement_id = a.id)"
)
NEWEST = "(SELECT max(x.number) FROM agreement_version x WHERE x.agreement_id = a.id)"


def version_row(conn: Conn, key: str, number: int | None = None, *, newest: bool = False) -> Any:
    """The version row with its agreement's key, kind and project: ``number``, else the version in force
    (after an amendment the signed version stays the default until the new one is signed), or with
    ``newest`` the newest one (the draft that is being changed)."""
    which = ":n" if number is not None else (NEWEST if newest else IN_FORCE_FIRST)
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


def read_document(conn: Conn, key: str, number: int | None = None, *, newest: bool = False) -> AgreementDoc:
    """Everything about one version of an agreement (see ``version_row`` for which one by default)."""
    return read_documents(conn, version_ids=[version_row(conn, key, number, newest=newest).id])[0]


def _target(amount: str | None, unit: str | None, each_min: str | None, each_unit: str | None) -> Target | None:
    if amount is None:
        return None
    return {"amount": amount, "unit": unit or "", "each_min": each_min, "each_unit": each_unit}


def _signers_and_keys(conn: Conn, version_ids: Sequence[int] | None = None) -> tuple[dict[int, Signer], dict[int, str]]:
    """Each party's first representative (who signs unless another is named) and current key, by stakeholder id;
    only the parties of ``version_ids`` when given (``apply`` reads one document at a time: reading every
    party's representatives each time made applying the reference export 14 s slower)."""
    params: dict[str, Any] = {}
    only = (
        f" WHERE stakeholder_id IN (SELECT stakeholder_id FROM agreement_party WHERE version_id IN "
        f"{in_list('v', version_ids, params)})"
        if version_ids is not None
        else ""
    )
    first_rep: dict[int, Signer] = {}
    for sid, name, title in tuples(
        conn,
        f"SELECT stakeholder_id, name, title FROM representative{only} ORDER BY stakeholder_id, position DESC, id DESC",
        params,
    ):
        first_rep[sid] = {"name": name, "title": title}  # the last written is the first in order
    revoked = " AND" if only else " WHERE"
    keys: dict[int, str] = dict(
        tuples(conn, f"SELECT stakeholder_id, fingerprint FROM party_key{only}{revoked} revoked_at IS NULL", params)
    )
    return first_rep, keys


def live_particulars(conn: Conn) -> dict[str, dict[str, Any]]:
    """What circulating a draft today would freeze for each party, by stakeholder key (``export`` writes a
    frozen party's particulars only where they differ from these)."""
    first_rep, keys = _signers_and_keys(conn)
    return {
        r.key: {
            "name": r.name,
            "name_zh": r.name_zh,
            "address": r.address,
            "legal_representative": r.legal_representative,
            "registration_number": r.registration_number,
            "signer": first_rep.get(r.id),
            "key_fingerprint": keys.get(r.id),
        }
        for r in rows(
            conn,
            "SELECT id, key, name, name_zh, address, legal_representative, registration_number FROM stakeholder",
        )
    }


def read_documents(conn: Conn, *, version_ids: Sequence[int] | None = None) -> list[AgreementDoc]:
    """Many versions at once, with one query per kind of clause (ordered by key and number)."""
    from coordkit.domain.kinds import kind_names

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
    frozen: dict[int, bool] = {}
    for v in versions:
        frozen[v.id] = v.status != "draft"
        form = v.canonical_form or (1 if v.terms_hash else CURRENT_FORM)
        docs[v.id] = {
            "key": v.agreement_key,
            "version": v.number,
            "versions": int(v.versions),
            "project": v.project,
            "kind": v.kind,
            "kind_name": kind_names(v.kind)[0],
            "kind_name_zh": kind_names(v.kind)[1],
            "title": v.title,
            "title_zh": v.title_zh,
            "status": v.status,
            "effective": iso(v.effective),
            "expires": iso(v.expires),
            "notice": v.notice,
            "renewal": v.renewal or "none",
            "review_every": v.review_every,
            "languages": v.languages.split(","),
            "form": form,
            "terms_hash": v.terms_hash,
            "fingerprint": fingerprint(v.terms_hash),
            "envelope_hash": v.envelope_hash,
            "frozen_at": v.frozen_at,
            "terminated_on": iso(v.terminated_on),
            "termination_reason": v.termination_reason,
            "notes": v.notes,
            "superseded_by": v.number + 1 if v.status == "superseded" else None,
            "parties": [],
            "goals": [],
            "methods": [],
            "dispute_resolution": [],
            "communication": [],
            "clauses": [],
            "rights": [],
            "obligations": [],
            "resources": [],
            "signatures": [],
            "unsigned": [],
        }
    first_rep, keys = _signers_and_keys(conn, version_ids)
    for r in rows(
        conn,
        "SELECT p.version_id, p.stakeholder_id, s.key, s.name, s.name_zh, s.address, s.legal_representative, "
        "s.registration_number, p.label, p.name AS f_name, p.name_zh AS f_name_zh, p.address AS f_address, "
        "p.legal_representative AS f_legal, p.registration_number AS f_reg, p.signer_name, p.signer_title, "
        f"p.key_fingerprint AS f_key FROM agreement_party p JOIN stakeholder s ON s.id = p.stakeholder_id{sub('p')} "
        "ORDER BY p.version_id, p.position, p.id",
        params,
    ):
        signer: Signer | None = {"name": r.signer_name, "title": r.signer_title} if r.signer_name else None
        party: Party
        if frozen[r.version_id] and r.f_name is not None:
            party = {
                "stakeholder": r.key,
                "label": r.label,
                "name": r.f_name,
                "name_zh": r.f_name_zh,
                "address": r.f_address,
                "legal_representative": r.f_legal,
                "registration_number": r.f_reg,
                "signer": signer,
                "key_fingerprint": r.f_key,
            }
        else:
            party = {
                "stakeholder": r.key,
                "label": r.label,
                "name": r.name,
                "name_zh": r.name_zh,
                "address": r.address,
                "legal_representative": r.legal_representative,
                "registration_number": r.registration_number,
                "signer": signer or first_rep.get(r.stakeholder_id),
                "key_fingerprint": keys.get(r.stakeholder_id),
            }
        docs[r.version_id]["parties"].append(party)
    for vid, section, party_key, text, text_zh in tuples(
        conn,
        "SELECT t.version_id, t.section, s.key, t.text, t.text_zh FROM agreement_term t "
        f"LEFT JOIN stakeholder s ON s.id = t.stakeholder_id{sub('t')} ORDER BY t.version_id, t.position, t.id",
        params,
    ):
        doc = docs[vid]
        if section == "right":
            doc["rights"].append({"party": party_key, "text": text, "text_zh": text_zh})
        elif section in CLAUSE_KINDS:
            doc["clauses"].append({"section": section, "text": text, "text_zh": text_zh})
        else:
            doc[CLAUSE_SECTIONS[section]].append({"text": text, "text_zh": text_zh})  # type: ignore[literal-required]
    for o in rows(
        conn,
        "SELECT o.version_id, s.key AS party, o.text, o.text_zh, d.key AS duty, o.letter, o.due_on, o.every, "
        "o.target_amount, o.target_unit, o.each_min, o.each_unit FROM agreement_obligation o "
        "JOIN stakeholder s ON s.id = o.stakeholder_id LEFT JOIN duty d ON d.id = o.duty_id"
        f"{sub('o')} ORDER BY o.version_id, o.position, o.id",
        params,
    ):
        docs[o.version_id]["obligations"].append(
            {
                "party": o.party,
                "text": o.text,
                "text_zh": o.text_zh,
                "duty": o.duty,
                "as": o.letter,
                "due": iso(o.due_on),
                "every": o.every,
                "target": _target(o.target_amount, o.target_unit, o.each_min, o.each_unit),
            }
        )
    for r in rows(
        conn,
        "SELECT r.version_id, s.key AS party, r.kind, r.description, r.description_zh, r.amount, r.unit, "
        "r.resource_key, r.slot FROM agreement_resource r "
        f"JOIN stakeholder s ON s.id = r.stakeholder_id{sub('r')} ORDER BY r.version_id, r.position, r.id",
        params,
    ):
        docs[r.version_id]["resources"].append(
            {
                "party": r.party,
                "kind": r.kind,
                "description": r.description,
                "description_zh": r.description_zh,
                "amount": r.amount,
                "unit": r.unit,
                "resource": r.resource_key,
                "when": r.slot,
            }
        )
    for r in rows(
        conn,
        "SELECT g.version_id, s.key AS party, g.signatory, g.title, g.signed_on, g.method, g.terms_hash, "
        "g.scan_sha256, g.scan_name, g.key_fingerprint, g.key_signature FROM signature g "
        "JOIN stakeholder s ON s.id = g.stakeholder_id"
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
                "scan_name": r.scan_name,
                "key_fingerprint": r.key_fingerprint,
                "key_signature": r.key_signature,
            }
        )
    for doc in docs.values():
        signed = {s["party"] for s in doc["signatures"]}
        doc["unsigned"] = [p["stakeholder"] for p in doc["parties"] if p["stakeholder"] not in signed]
    return list(docs.values())


def last_reviews(conn: Conn) -> dict[str, str]:
    """The day each agreement's latest partnership review was opened (a review held moves the next ones due)."""
    return {
        akey: iso(day) or ""
        for akey, day in tuples(
            conn,
            "SELECT a.key, max(r.opened_on) FROM review r JOIN agreement_version v ON v.id = r.version_id "
            "JOIN agreement a ON a.id = v.agreement_id GROUP BY a.key",
        )
    }
