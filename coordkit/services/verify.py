"""``coord verify``: everything the store can prove, in one run (the same problems ``coord check`` reports)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coordkit.collector import paused_collector
from coordkit.errors import InvalidInput
from coordkit.files import read_limited
from coordkit.i18n import _
from coordkit.proof import Problem, verify_all
from coordkit.storage.proofdata import load_proof
from coordkit.storage.sql import Conn, rows

ANCHOR = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{12,64})\s*$")


def chain_head(conn: Conn) -> dict[str, Any]:
    """The newest event: its sequence number and hash (``SEQ:HASH``), to note outside the store."""
    found = rows(conn, "SELECT id, hash FROM event ORDER BY id DESC LIMIT 1")
    if not found:
        return {"seq": 0, "hash": "0" * 64, "anchor": "0:" + "0" * 64}
    seq, digest = int(found[0][0]), str(found[0][1])
    return {"seq": seq, "hash": digest, "anchor": f"{seq}:{digest}"}


def parse_anchors(values: Sequence[str]) -> list[tuple[int, str]]:
    """``SEQ:HASH`` values, or files holding one per line (``#`` starts a comment)."""
    anchors = []
    for value in values:
        path = Path(value)
        lines = (
            read_limited(path, limit=1024 * 1024, what="--anchor").decode("utf-8", "replace").splitlines()
            if ":" not in value and path.is_file()
            else [value]
        )
        for line in lines:
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            found = ANCHOR.match(text)
            if not found:
                raise InvalidInput(
                    _("--anchor '{value}': expected SEQ:HASH as coord log --head prints it, or a file of them").format(
                        value=text
                    )
                )
            anchors.append((int(found.group(1)), found.group(2).lower()))
    return anchors


def parse_allowed_signers(path: Path) -> dict[str, set[str]]:
    """``PARTY PUBLIC_KEY`` per line, as ssh's allowed_signers: kept outside the store, by each party."""
    allowed: dict[str, set[str]] = {}
    text = read_limited(path, limit=1024 * 1024, what="--allowed-signers").decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise InvalidInput(
                _("{file}:{line}: expected PARTY PUBLIC_KEY (the key coord key new printed)").format(
                    file=path, line=number
                )
            )
        allowed.setdefault(parts[0], set()).add(parts[1])
    return allowed


@paused_collector()
def verify_store(
    conn: Conn,
    *,
    workspace: Path,
    anchors: Sequence[tuple[int, str]] = (),
    allowed: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """Every problem, and what was checked (to say "N versions, M events, K files verified")."""
    data = load_proof(conn, workspace)
    problems: list[Problem] = verify_all(data, anchors=anchors, allowed=allowed)
    return {
        "ok": not problems,
        "checked": {
            "events": data.chain.count,
            "versions": len(data.versions),
            "signatures": sum(len(v.signatures) for v in data.versions),
            "keys": len(data.keys),
            "files": len(data.scans) + len(data.files),
            "anchors": len(anchors),
        },
        "head": chain_head(conn),
        "problems": [
            {"rule": p.rule, "subject": p.subject, "project": p.project, "message": p.message} for p in problems
        ],
    }
