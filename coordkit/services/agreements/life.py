"""An agreement's life after drafting: circulate, sign, amend, terminate.

The first signature on a version freezes its terms: their canonical form is
hashed with SHA-256 and every signature is on that hash. When every party has
signed, the obligations that name a duty become assignments for the term
(``coordkit.domain.agreements.assignment_window``) and the version supersedes
the one before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coordkit.canonical import compute_hash
from coordkit.dates import iso, parse_date, today
from coordkit.domain.agreements import AgreementDoc, assignment_window, obligation_letters, superseded_from
from coordkit.domain.values import check_choice, check_text
from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.files import store_by_hash
from coordkit.limits import SCAN_BYTES
from coordkit.services.agreements.drafting import changed, now, party_ids
from coordkit.storage import events
from coordkit.storage.documents import read_document, version_row
from coordkit.storage.sql import Conn, execute, executemany, insert, rows, scalar, tuples
from coordkit.vocab import SIGNATURE_METHODS


def circulate(conn: Conn, *, key: str) -> AgreementDoc:
    """Send a draft out for signature."""
    version = version_row(conn, key)
    if version.status != "draft":
        raise Refused(f"{key} v{version.number} is {version.status}, not a draft")
    clauses = scalar(
        conn,
        "SELECT (SELECT count(*) FROM agreement_term WHERE version_id = :v AND section = 'goal') "
        "+ (SELECT count(*) FROM agreement_obligation WHERE version_id = :v)",
        {"v": version.id},
    )
    if not clauses:
        raise InvalidInput(f"{key} has no goals and no obligations yet; add some before circulating it")
    execute(conn, "UPDATE agreement_version SET status = 'circulating' WHERE id = :v", {"v": version.id})
    return changed(conn, key, "agreement.circulate", {"status": "draft"})


def sign(
    conn: Conn,
    *,
    key: str,
    party: str,
    signatory: str,
    workspace: Path,
    title: str | None = None,
    date: str | None = None,
    method: str = "wet-ink",
    scan: Path | None = None,
    key_file: Path | None = None,
) -> AgreementDoc:
    """Record one party's signature on the newest version (the first one freezes the terms)."""
    from coordkit.services import keys

    version = version_row(conn, key)
    if version.status == "draft":
        raise Refused(f"{key} v{version.number} is still a draft; circulate it first: coord agreement circulate {key}")
    if version.status != "circulating":
        raise Refused(f"{key} v{version.number} is {version.status}; only a circulating version can be signed")
    parties = party_ids(conn, version.id)
    if party not in parties:
        raise NotFound("party", party, parties, f"agreement '{key}'")
    sid = parties[party]
    if scalar(
        conn, "SELECT 1 FROM signature WHERE version_id = :v AND stakeholder_id = :s", {"v": version.id, "s": sid}
    ):
        raise AlreadyExists(f"'{party}' has already signed {key} v{version.number}")
    signed_on = parse_date(date, "--date") or today()
    method = check_choice(method, SIGNATURE_METHODS, "method")
    who = check_text(signatory, "--signatory")
    before = {"status": version.status, "terms_hash": version.terms_hash}
    terms_hash = version.terms_hash
    if terms_hash is None:
        terms_hash = compute_hash(read_document(conn, key))
        execute(
            conn,
            "UPDATE agreement_version SET terms_hash = :h, frozen_at = :t WHERE id = :v",
            {"h": terms_hash, "t": now(), "v": version.id},
        )
    key_fp = key_sig = None
    if key_file is not None:
        key_fp, key_sig = keys.sign_hash(conn, key_file=key_file, party=party, party_id=sid, terms_hash=terms_hash)
    scan_hash = scan_name = None
    if scan is not None:
        scan_hash, scan_name = store_by_hash(scan, workspace / "scans", limit=SCAN_BYTES)
    insert(
        conn,
        "signature",
        {
            "version_id": version.id,
            "stakeholder_id": sid,
            "signatory": who,
            "title": (title or "").strip() or None,
            "signed_on": signed_on.isoformat(),
            "method": method,
            "terms_hash": terms_hash,
            "scan_sha256": scan_hash,
            "scan_name": scan_name,
            "key_fingerprint": key_fp,
            "key_signature": key_sig,
            "recorded_at": now(),
        },
    )
    if len(parties) == scalar(conn, "SELECT count(*) FROM signature WHERE version_id = :v", {"v": version.id}):
        execute(conn, "UPDATE agreement_version SET status = 'signed' WHERE id = :v", {"v": version.id})
        _activate(conn, version)
    return changed(conn, key, "agreement.sign", before)


def _activate(conn: Conn, version: Any) -> None:
    """Every party has signed: obligations become assignments; the version before is superseded."""
    doc = read_document(conn, version.agreement_key, version.number)
    for old in rows(
        conn,
        "SELECT id, number FROM agreement_version WHERE agreement_id = :a AND number < :n AND status = 'signed'",
        {"a": version.agreement_id, "n": version.number},
    ):
        execute(conn, "UPDATE agreement_version SET status = 'superseded' WHERE id = :v", {"v": old.id})
        end_assignments(conn, doc["key"], old.number, superseded_from(doc["effective"], today().isoformat()))
    window = assignment_window(doc["effective"], doc["expires"])
    if window is None:
        return
    duties = dict(
        tuples(
            conn,
            "SELECT d.key, d.id FROM duty d JOIN project p ON p.id = d.project_id WHERE p.key = :p",
            {"p": doc["project"]},
        )
    )
    parties = party_ids(conn, version.id)
    executemany(
        conn,
        "INSERT INTO assignment (duty_id, stakeholder_id, role_id, letter, valid_from, valid_to, source, "
        "agreement_key, agreement_version) VALUES (:d, :s, NULL, :l, :f, :t, 'agreement', :k, :n)",
        [
            {
                "d": duties[item.duty],
                "s": parties[item.party],
                "l": item.letter,
                "f": window[0],
                "t": window[1],
                "k": doc["key"],
                "n": doc["version"],
            }
            for item in obligation_letters(doc["obligations"])
        ],
    )


def end_assignments(conn: Conn, key: str, number: int, last_day: str) -> None:
    """The assignments a version gave end on ``last_day``; those that would end before they start go."""
    params = {"k": key, "n": number, "d": last_day}
    base = "FROM assignment WHERE agreement_key = :k AND agreement_version = :n"
    execute(conn, f"DELETE {base} AND valid_from IS NOT NULL AND valid_from > :d", params)
    execute(
        conn,
        "UPDATE assignment SET valid_to = :d WHERE agreement_key = :k AND agreement_version = :n "
        "AND (valid_to IS NULL OR valid_to > :d)",
        params,
    )


def amend(conn: Conn, *, key: str) -> AgreementDoc:
    """Start version n+1 as a draft carrying the terms over; version n stays as it is."""
    version = version_row(conn, key)
    if version.status == "draft":
        raise Refused(f"{key} v{version.number} is still a draft; change it directly instead of amending")
    if version.status == "circulating" and not version.terms_hash:
        raise Refused(f"nobody has signed {key} v{version.number} yet; change it directly instead of amending")
    if version.status == "circulating":
        raise Refused(f"{key} v{version.number} is being signed; amend it once every party has signed")
    if version.status == "terminated":
        raise Refused(f"{key} was terminated on {iso(version.terminated_on)}; draft a new agreement instead")
    before = read_document(conn, key)
    new_id = insert(
        conn,
        "agreement_version",
        {
            "agreement_id": version.agreement_id,
            "number": version.number + 1,
            "title": version.title,
            "title_zh": version.title_zh,
            "status": "draft",
            "effective": iso(version.effective),
            "expires": iso(version.expires),
            "review_every": version.review_every,
            "languages": version.languages,
        },
    )
    for table, columns in (
        ("agreement_party", "stakeholder_id, label, position"),
        ("agreement_term", "section, stakeholder_id, text, position"),
        ("agreement_obligation", "stakeholder_id, text, duty_id, letter, due_on, position"),
        ("agreement_resource", "stakeholder_id, kind, amount, unit, position"),
    ):
        execute(
            conn,
            f"INSERT INTO {table} (version_id, {columns}) SELECT :new, {columns} FROM {table} WHERE version_id = :old",
            {"new": new_id, "old": version.id},
        )
    after = read_document(conn, key)
    events.record(conn, action="agreement.amend", entity="agreement", key=key, before=before, after=after)
    return after


def terminate(conn: Conn, *, key: str, reason: str, date: str | None = None) -> AgreementDoc:
    """End an agreement early; its assignments end on that day. History stays."""
    version = version_row(conn, key)
    if version.status == "terminated":
        raise Refused(f"{key} was already terminated on {iso(version.terminated_on)}")
    if version.status == "superseded":
        raise Refused(f"{key} v{version.number} is superseded")
    day = parse_date(date, "--date") or today()
    if version.status == "signed" and day.isoformat() < (iso(version.effective) or ""):
        raise InvalidInput(f"--date {day} is before {key} takes effect ({iso(version.effective)})")
    before = read_document(conn, key)
    execute(
        conn,
        "UPDATE agreement_version SET status = 'terminated', terminated_on = :d, termination_reason = :r WHERE id = :v",
        {"d": day.isoformat(), "r": check_text(reason, "--reason"), "v": version.id},
    )
    end_assignments(conn, key, version.number, day.isoformat())
    return changed(conn, key, "agreement.terminate", before)
