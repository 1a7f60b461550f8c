"""Proof of agreements: each frozen version's terms, envelope, signatures, keys and scans, with its history.

The checks themselves are ``coordkit.proof`` (shared with ``coord verify`` and ``coord check``); this
groups their problems by version, for ``coord agreement verify`` and for refusing to render a version
whose proof fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coordkit.proof import verify_history, verify_versions
from coordkit.storage.lookup import lookup_id
from coordkit.storage.proofdata import load_proof
from coordkit.storage.sql import Conn


def verify(conn: Conn, *, workspace: Path, key: str | None = None) -> list[dict[str, Any]]:
    """One row per frozen version (of ``key``, or all): ok, and the problems found."""
    if key is not None:
        lookup_id(conn, "agreement", key, "agreement")
    data = load_proof(conn, workspace)
    problems = [*verify_history(data), *verify_versions(data)]
    results = []
    for proof in data.versions:
        doc = proof.doc
        if key is not None and doc["key"] != key:
            continue
        mine = [p.message for p in problems if p.subject == proof.subject]
        results.append(
            {
                "key": doc["key"],
                "version": doc["version"],
                "fingerprint": doc["fingerprint"],
                "signatures": len(proof.signatures),
                "ok": not mine,
                "problems": mine,
            }
        )
    deleted = [p for p in problems if p.rule == "broken-history" and p.subject not in {r["key"] for r in results}]
    for problem in deleted:
        if key is None or problem.subject.startswith(key):
            results.append(
                {
                    "key": problem.subject,
                    "version": None,
                    "fingerprint": None,
                    "signatures": 0,
                    "ok": False,
                    "problems": [problem.message],
                }
            )
    return results


def proof_problems(conn: Conn, workspace: Path, key: str, number: int) -> list[str]:
    """What fails for one version: a copy for signature or a signed paper is never printed over these."""
    return next((r["problems"] for r in verify(conn, workspace=workspace, key=key) if r["version"] == number), [])
