"""Proof: recompute what was signed and check it against what the store holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coordkit.canonical import compute_hash
from coordkit.files import hash_file, safe_stored_name
from coordkit.storage.documents import read_document
from coordkit.storage.lookup import lookup_id
from coordkit.storage.sql import Conn, rows


def verify(conn: Conn, *, workspace: Path, key: str | None = None) -> list[dict[str, Any]]:
    """Recompute every frozen version's hash; check signatures, keys and scans. One row per version."""
    from coordkit.services import keys

    if key is not None:
        lookup_id(conn, "agreement", key, "agreement")
    found = rows(
        conn,
        "SELECT a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id "
        "WHERE v.terms_hash IS NOT NULL" + (" AND a.key = :k" if key else "") + " ORDER BY a.key, v.number",
        {"k": key},
    )
    public_keys = keys.public_keys(conn)
    results = []
    for agreement_key, number in found:
        doc = read_document(conn, agreement_key, number)
        problems = []
        actual = compute_hash(doc)
        if actual != doc["terms_hash"]:
            problems.append(f"terms changed since signing: hash is {actual[:12]}, was signed as {doc['fingerprint']}")
        signatures = rows(
            conn,
            "SELECT s.key AS party, g.* FROM signature g JOIN stakeholder s ON s.id = g.stakeholder_id "
            "JOIN agreement_version v ON v.id = g.version_id JOIN agreement a ON a.id = v.agreement_id "
            "WHERE a.key = :k AND v.number = :n ORDER BY g.id",
            {"k": agreement_key, "n": number},
        )
        for sig in signatures:
            if sig.terms_hash != doc["terms_hash"]:
                problems.append(f"{sig.party}'s signature is on other terms ({sig.terms_hash[:12]})")
            if sig.key_fingerprint:
                problem = keys.check_signature(public_keys, sig.key_fingerprint, sig.key_signature, sig.terms_hash)
                if problem:
                    problems.append(f"{sig.party}'s key signature: {problem}")
            if sig.scan_sha256:
                name = sig.scan_name or sig.scan_sha256
                stored = workspace / "scans" / name
                if not safe_stored_name(name):
                    problems.append(f"{sig.party}'s scan has a stored name that is not a hash ({name!r})")
                elif not stored.is_file():
                    problems.append(f"{sig.party}'s scan is missing ({stored})")
                elif hash_file(stored) != sig.scan_sha256:
                    problems.append(f"{sig.party}'s scan {stored.name} no longer matches its hash")
        results.append(
            {
                "key": agreement_key,
                "version": number,
                "fingerprint": doc["fingerprint"],
                "signatures": len(signatures),
                "ok": not problems,
                "problems": problems,
            }
        )
    return results
