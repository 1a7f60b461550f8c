"""Loading what ``coordkit.proof`` checks: frozen versions with their raw signature rows, keys, the whole event
history, and the hashes of the files the store refers to (read in chunks, only under their own folders)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coordkit.domain.agreements import AgreementDoc
from coordkit.proof import KeyRecord, ProofData, SignatureRecord, VersionProof, read_history
from coordkit.storage.documents import read_documents
from coordkit.storage.events import EVENT_COLUMNS
from coordkit.storage.sql import Conn, column, rows, scalar, stream, tuples

# Other kinds of hashed files (evidence of fulfilment, signed-off minutes …) register a loader here:
# it returns (subject, path shown, expected SHA-256, SHA-256 now or None when missing).
FileLoader = Callable[[Conn, Path], list[tuple[str, str, str, str | None]]]


def evidence_of_fulfilment(conn: Conn, workspace: Path) -> list[tuple[str, str, str, str | None]]:
    """Every evidence file of a fulfilment report (``coord obligation done --evidence``), in ``evidence/``."""
    import json

    from coordkit.dates import iso
    from coordkit.files import hash_file, safe_stored_name

    found = []
    for key, obligation, occurrence, evidence in tuples(
        conn,
        "SELECT a.key, f.obligation, f.occurrence, f.evidence FROM fulfilment f "
        "JOIN agreement_version v ON v.id = f.version_id JOIN agreement a ON a.id = v.agreement_id "
        "WHERE f.evidence IS NOT NULL ORDER BY f.id",
    ):
        for item in json.loads(evidence):
            name = str(item["name"])
            subject = f"{key} obligation {obligation} ({iso(occurrence)})"
            now = hash_file(workspace / "evidence" / name) if safe_stored_name(name) else None
            found.append((subject, f"evidence/{name}", str(item["sha256"]), now))
    return found


FILE_LOADERS: list[FileLoader] = [evidence_of_fulfilment]


def load_proof(conn: Conn, workspace: Path, *, every_document: list[AgreementDoc] | None = None) -> ProofData:
    """Everything verification needs, in a handful of queries; ``every_document``, every version as
    ``read_documents`` gives them when the caller has read them already (coord check: 1,000 versions not read
    twice), is where the frozen ones are taken from."""
    from coordkit.files import hash_file, safe_stored_name

    frozen = column(
        conn,
        "SELECT v.id FROM agreement_version v WHERE v.status <> 'draft' OR v.terms_hash IS NOT NULL "
        "OR EXISTS (SELECT 1 FROM signature g WHERE g.version_id = v.id) ORDER BY v.id",
    )
    ids = {
        (key, number): vid
        for vid, key, number in tuples(
            conn, "SELECT v.id, a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id"
        )
    }
    if every_document is not None:
        chosen = set(frozen)
        docs = [doc for doc in every_document if ids[(doc["key"], doc["version"])] in chosen]
    else:
        docs = read_documents(conn, version_ids=frozen) if frozen else []
    envelopes = dict(tuples(conn, "SELECT id, envelope_hash FROM agreement_version"))
    signatures: dict[int, list[SignatureRecord]] = defaultdict(list)
    for r in rows(
        conn,
        "SELECT g.version_id, s.key AS party, g.stakeholder_id, g.signatory, g.title, g.signed_on, g.method, "
        "g.terms_hash, g.scan_sha256, g.scan_name, g.key_fingerprint, g.key_signature, g.recorded_at "
        "FROM signature g JOIN stakeholder s ON s.id = g.stakeholder_id ORDER BY g.version_id, g.id",
    ):
        signatures[r.version_id].append(
            SignatureRecord(
                r.party,
                int(r.stakeholder_id),
                r.signatory,
                r.title,
                _day(r.signed_on),
                r.method,
                r.terms_hash,
                r.scan_sha256,
                r.scan_name,
                r.key_fingerprint,
                r.key_signature,
                r.recorded_at,
            )
        )
    versions = [
        VersionProof(
            doc, envelopes.get(ids[(doc["key"], doc["version"])]), signatures[ids[(doc["key"], doc["version"])]]
        )
        for doc in docs
    ]
    keys = [
        KeyRecord(r.party, int(r.stakeholder_id), r.fingerprint, r.public_key, r.created_at, r.revoked_at)
        for r in rows(
            conn,
            "SELECT s.key AS party, k.stakeholder_id, k.fingerprint, k.public_key, k.created_at, k.revoked_at "
            "FROM party_key k JOIN stakeholder s ON s.id = k.stakeholder_id ORDER BY k.id",
        )
    ]
    head = str(scalar(conn, "SELECT value FROM coord_meta WHERE key = 'event_head'") or "")
    chain = read_history(stream(conn, f"SELECT {', '.join(EVENT_COLUMNS)} FROM event ORDER BY id"), head)
    scans: dict[str, str | None] = {}
    for sigs in signatures.values():
        for sig in sigs:
            name = sig.scan_name or sig.scan_sha256
            if name and safe_stored_name(name) and name not in scans:
                scans[name] = hash_file(workspace / "scans" / name)
    files = [item for loader in FILE_LOADERS for item in loader(conn, workspace)]
    return ProofData(
        versions=versions,
        keys=keys,
        chain=chain,
        head=head,
        agreement_keys=set(column(conn, "SELECT key FROM agreement")),
        states={
            (key, int(number)): (status, terms_hash)
            for key, number, status, terms_hash in tuples(
                conn,
                "SELECT a.key, v.number, v.status, v.terms_hash FROM agreement_version v "
                "JOIN agreement a ON a.id = v.agreement_id",
            )
        },
        envelopes_since=int(scalar(conn, "SELECT value FROM coord_meta WHERE key = 'envelopes_since'") or 0),
        scans=scans,
        files=files,
    )


def _day(value: Any) -> str:
    from coordkit.dates import iso

    return iso(value) or ""


def envelope_rows(conn: Conn, version_id: int) -> list[dict[str, Any]]:
    """The signature rows of one version, as the envelope seals them."""
    return [
        {
            "party": r.party,
            "signatory": r.signatory,
            "title": r.title,
            "date": _day(r.signed_on),
            "method": r.method,
            "terms_hash": r.terms_hash,
            "scan_sha256": r.scan_sha256,
            "scan_name": r.scan_name,
            "key_fingerprint": r.key_fingerprint,
            "key_signature": r.key_signature,
        }
        for r in rows(
            conn,
            "SELECT s.key AS party, g.signatory, g.title, g.signed_on, g.method, g.terms_hash, g.scan_sha256, "
            "g.scan_name, g.key_fingerprint, g.key_signature FROM signature g "
            "JOIN stakeholder s ON s.id = g.stakeholder_id WHERE g.version_id = :v ORDER BY g.id",
            {"v": version_id},
        )
    ]


def seal_envelope(conn: Conn, version_id: int) -> str:
    """Recompute and store the envelope of a version (after each signature and status change)."""
    from coordkit.proof import envelope
    from coordkit.storage.sql import execute

    v = rows(
        conn,
        "SELECT terms_hash, status, terminated_on, termination_reason FROM agreement_version WHERE id = :v",
        {"v": version_id},
    )[0]
    sealed = envelope(
        v.terms_hash, v.status, _day(v.terminated_on) or None, v.termination_reason, envelope_rows(conn, version_id)
    )
    execute(conn, "UPDATE agreement_version SET envelope_hash = :e WHERE id = :v", {"e": sealed, "v": version_id})
    return sealed
