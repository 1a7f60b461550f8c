"""Proof that holds: what was signed, who signed it, and the history of every change, checked from the
store's own rows (pure functions; ``coordkit.storage.proofdata`` loads them).

Three things are hashed and cross-checked, so that editing one row is seen:

* the terms of every version that ever circulated (``coordkit.canonical``);
* the envelope of each such version: its terms hash, status and every
  signature record (party, signatory, title, date, method, scan, key
  fingerprint and key signature), sealed on every change (``envelope``);
* the audit log: each event's hash covers the one before, and every status
  change, signature and key registration is an event, so the agreements and
  keys the store holds must be the ones its history describes.

An attacker who can write the store can recompute all three; anchors kept
outside it (a chain head printed on a document or noted elsewhere, given back
with ``coord verify --anchor SEQ:HASH``) and an allowed-signers file (party →
public key, like ssh's) are what catch a full rewrite.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coordkit.canonical import compute_hash
from coordkit.domain.agreements import AgreementDoc
from coordkit.i18n import _
from coordkit.storage.events import chain_row_problems

ENVELOPE_FIELDS = (
    "party",
    "signatory",
    "title",
    "date",
    "method",
    "terms_hash",
    "scan_sha256",
    "scan_name",
    "key_fingerprint",
    "key_signature",
)
# The rules of ``coord check`` that report what verification finds (one source of truth, two outputs).
PROOF_RULES = ("tampered-agreement", "broken-history", "bad-evidence", "unbound-key")


@dataclass(frozen=True)
class Problem:
    rule: str  # one of PROOF_RULES
    subject: str  # "AGR-2024-001 v1", "event 42", "liede-sw", a file
    message: str
    project: str | None = None


@dataclass
class SignatureRecord:
    """A signature row as stored (nothing mapped or hidden: the envelope seals exactly this)."""

    party: str
    party_id: int
    signatory: str
    title: str | None
    date: str
    method: str
    terms_hash: str
    scan_sha256: str | None
    scan_name: str | None
    key_fingerprint: str | None
    key_signature: str | None
    recorded_at: str

    def sealed(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ENVELOPE_FIELDS}


@dataclass
class VersionProof:
    doc: AgreementDoc
    envelope_hash: str | None
    signatures: list[SignatureRecord]

    @property
    def subject(self) -> str:
        return f"{self.doc['key']} v{self.doc['version']}"


@dataclass
class KeyRecord:
    party: str
    party_id: int
    fingerprint: str
    public_key: str
    created_at: str
    revoked_at: str | None


@dataclass
class History:
    """What proof needs from the event chain, gathered in one pass over it: the chain itself is never held in
    memory (113,001 events at reference scale held as rows took 120 MB of ``coord check``'s 260 MB)."""

    count: int = 0
    problems: list[str] = field(default_factory=list)  # where the chain does not hold
    versions: dict[tuple[str, int], tuple[int, dict[str, Any]]] = field(default_factory=dict)  # last event of each
    agreements: set[str] = field(default_factory=set)  # agreement keys the history names
    key_fingerprints: set[str] = field(default_factory=set)  # keys the history made or registered
    hashes: dict[int, str] = field(default_factory=dict)  # event id -> hash (anchors are checked against it)

    def take(self, event: Sequence[Any]) -> None:
        """One event of an agreement or a key (``TAKEN``) as a tuple in ``EVENT_COLUMNS`` order."""
        number, _at, _actor, action, entity, key, _before, after, _prev, _digest = event
        if entity == "agreement":
            self.agreements.add(key)
            if str(action).startswith("agreement."):
                doc = _load(after)
                if doc and "version" in doc and "key" in doc:
                    self.versions[(doc["key"], int(doc["version"]))] = (int(number), doc)
        if action in ("key.new", "key.register", "key.rotate"):
            found = _load(after)
            if found and found.get("fingerprint"):
                self.key_fingerprints.add(found["fingerprint"])


def read_history(events: Iterable[Sequence[Any]], head: str) -> History:
    """One pass over the events (oldest first, as stored, tuples in ``EVENT_COLUMNS`` order): the chain checked
    and what proof needs kept."""
    history = History()
    history.problems = chain_row_problems(events, head, hashes=history.hashes, keep=history.take, kept=TAKEN)
    history.count = len(history.hashes)
    return history


TAKEN = frozenset(("agreement", "key.new", "key.register", "key.rotate"))
"""The entity and the actions whose events ``History.take`` reads."""


@dataclass
class ProofData:
    versions: list[VersionProof]
    keys: list[KeyRecord]
    chain: History
    head: str
    agreement_keys: set[str]
    states: dict[tuple[str, int], tuple[str, str | None]] = field(default_factory=dict)  # every version: status, hash
    envelopes_since: int = 0  # the last event before envelopes began (a store made by coordkit 0.1)
    scans: dict[str, str | None] = field(default_factory=dict)  # stored name -> SHA-256 now (None: missing)
    files: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # (subject, path, hash, now)

    @property
    def history(self) -> dict[tuple[str, int], tuple[int, dict[str, Any]]]:
        """The last event of each agreement version: its id and the version as it recorded it."""
        return self.chain.versions


def envelope(
    terms_hash: str | None,
    status: str,
    terminated_on: str | None,
    reason: str | None,
    signatures: Iterable[Mapping[str, Any]],
) -> str:
    """The SHA-256 sealing a version's terms hash, status and signature records, in signing order."""
    payload = {
        "terms_hash": terms_hash,
        "status": status,
        "terminated_on": terminated_on,
        "termination_reason": reason,
        "signatures": [{name: s[name] for name in ENVELOPE_FIELDS} for s in signatures],
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def envelope_of(proof: VersionProof) -> str:
    doc = proof.doc
    return envelope(
        doc["terms_hash"],
        doc["status"],
        doc["terminated_on"],
        doc["termination_reason"],
        [s.sealed() for s in proof.signatures],
    )


def key_fingerprint(raw_public: bytes) -> str:
    return hashlib.sha256(raw_public).hexdigest()[:32]


def _key_signature_problem(public_key: str, signature: str | None, terms_hash: str) -> str | None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)).verify(
            base64.b64decode(signature or ""), bytes.fromhex(terms_hash)
        )
    except (InvalidSignature, ValueError):
        return _("does not match the terms hash")
    return None


def verify_versions(data: ProofData) -> list[Problem]:
    """Terms, envelopes and key signatures of every version that ever circulated."""
    problems: list[Problem] = []
    keys = {k.fingerprint: k for k in data.keys}
    for proof in data.versions:
        doc = proof.doc
        bad = _reporter(problems, proof)
        if doc["status"] == "draft" and not proof.signatures:
            continue
        if not doc["terms_hash"]:
            bad(
                "tampered-agreement",
                _("{subject} is {status} but has no terms hash: what was signed cannot be proven").format(
                    subject=proof.subject, status=doc["status"]
                ),
            )
            continue
        actual = compute_hash(doc)
        if actual != doc["terms_hash"]:
            bad(
                "tampered-agreement",
                _("{subject}: its terms no longer match what was frozen (hash now {now}, frozen as {then})").format(
                    subject=proof.subject, now=actual[:12], then=doc["terms_hash"][:12]
                ),
            )
        if proof.envelope_hash is None:
            last = data.history.get((doc["key"], doc["version"]))
            if last is None or last[0] > data.envelopes_since:
                bad(
                    "tampered-agreement",
                    _("{subject}: its envelope (the seal over its signatures and status) is missing").format(
                        subject=proof.subject
                    ),
                )
        elif envelope_of(proof) != proof.envelope_hash:
            bad(
                "tampered-agreement",
                _(
                    "{subject}: its signatures or status were changed after they were "
                    "recorded (the envelope no longer matches)"
                ).format(subject=proof.subject),
            )
        frozen_keys = {p["stakeholder"]: p["key_fingerprint"] for p in doc["parties"]}
        for sig in proof.signatures:
            if sig.terms_hash != doc["terms_hash"]:
                bad(
                    "tampered-agreement",
                    _("{party}'s signature on {subject} is on other terms ({hash})").format(
                        party=sig.party, subject=proof.subject, hash=sig.terms_hash[:12]
                    ),
                )
            if sig.method == "electronic" and not sig.key_fingerprint:
                bad(
                    "unbound-key",
                    _("{party}'s signature on {subject} says electronic but carries no key signature").format(
                        party=sig.party, subject=proof.subject
                    ),
                )
            if not sig.key_fingerprint:
                continue
            key = keys.get(sig.key_fingerprint)
            if key is None:
                bad(
                    "unbound-key",
                    _("{party}'s key {fingerprint} on {subject} is not in the store").format(
                        party=sig.party, fingerprint=sig.key_fingerprint, subject=proof.subject
                    ),
                )
                continue
            if key.party_id != sig.party_id:
                bad(
                    "unbound-key",
                    _("{party}'s signature on {subject} was made with a key of '{owner}'").format(
                        party=sig.party, subject=proof.subject, owner=key.party
                    ),
                )
            if doc["form"] >= 2 and frozen_keys.get(sig.party) != sig.key_fingerprint:
                bad(
                    "unbound-key",
                    _("{party} signed {subject} with key {used}, not the key {frozen} frozen with the terms").format(
                        party=sig.party,
                        subject=proof.subject,
                        used=sig.key_fingerprint,
                        frozen=frozen_keys.get(sig.party) or "-",
                    ),
                )
            if key.created_at > sig.recorded_at:
                bad(
                    "unbound-key",
                    _("{party}'s key {fingerprint} was registered after it signed {subject}").format(
                        party=sig.party, fingerprint=sig.key_fingerprint, subject=proof.subject
                    ),
                )
            problem = _key_signature_problem(key.public_key, sig.key_signature, sig.terms_hash)
            if problem:
                bad(
                    "unbound-key",
                    _("{party}'s key signature on {subject}: {problem}").format(
                        party=sig.party, subject=proof.subject, problem=problem
                    ),
                )
        for sig in proof.signatures:
            if sig.scan_sha256:
                problems.extend(_scan_problems(data, proof, sig))
    return problems


def _reporter(problems: list[Problem], proof: VersionProof) -> Any:
    def bad(rule: str, message: str) -> None:
        problems.append(Problem(rule, proof.subject, message, proof.doc["project"]))

    return bad


def _scan_problems(data: ProofData, proof: VersionProof, sig: SignatureRecord) -> list[Problem]:
    from coordkit.files import safe_stored_name

    name = sig.scan_name or sig.scan_sha256 or ""
    subject = proof.subject
    if not safe_stored_name(name) or not name.startswith(sig.scan_sha256 or "-"):
        return [
            Problem(
                "bad-evidence",
                proof.subject,
                _("{party}'s scan is stored under a name that is not its hash ({name!r}); it is not read").format(
                    party=sig.party, name=name
                ),
                proof.doc["project"],
            )
        ]
    now = data.scans.get(name)
    if now is None:
        return [
            Problem(
                "bad-evidence",
                subject,
                _("{party}'s scan of {subject} is missing").format(party=sig.party, subject=proof.subject),
                proof.doc["project"],
            )
        ]
    if now != sig.scan_sha256:
        return [
            Problem(
                "bad-evidence",
                subject,
                _("{party}'s scan of {subject} no longer matches its hash").format(
                    party=sig.party, subject=proof.subject
                ),
                proof.doc["project"],
            )
        ]
    return []


def verify_files(data: ProofData) -> list[Problem]:
    """Other hashed files (evidence of fulfilment, signed-off minutes …): each still matches its hash."""
    problems = []
    for subject, path, expected, now in data.files:
        if now is None:
            problems.append(Problem("bad-evidence", subject, _("{path} is missing").format(path=path)))
        elif now != expected:
            problems.append(Problem("bad-evidence", subject, _("{path} no longer matches its hash").format(path=path)))
    return problems


def verify_history(data: ProofData) -> list[Problem]:
    """The event chain, and the agreements, versions, signatures and keys against what history says."""
    problems = [Problem("broken-history", "events", message) for message in data.chain.problems]
    expected = {version: doc for version, (_id, doc) in data.history.items()}
    keys_seen = data.chain.key_fingerprints
    agreements_seen = data.chain.agreements
    for gone in sorted(agreements_seen - data.agreement_keys):
        problems.append(
            Problem(
                "broken-history",
                gone,
                _("agreement {key} is in the history but no longer in the store: it was deleted").format(key=gone),
            )
        )
    stored = {(p.doc["key"], p.doc["version"]): p for p in data.versions}
    for (key, number), doc in sorted(expected.items()):
        if key not in data.agreement_keys:
            continue
        state = data.states.get((key, number))
        proof = stored.get((key, number))
        if state is not None and proof is None:  # a draft: its status and (empty) hash against its history
            if state != (doc.get("status"), doc.get("terms_hash")):
                problems.append(
                    Problem(
                        "tampered-agreement",
                        f"{key} v{number}",
                        _("{key} v{number} is {status} but its history says {then}").format(
                            key=key, number=number, status=state[0], then=doc.get("status")
                        ),
                    )
                )
            continue
        if proof is None:
            problems.append(
                Problem(
                    "broken-history",
                    f"{key} v{number}",
                    _("{key} v{number} is in the history but no longer in the store").format(key=key, number=number),
                )
            )
            continue
        problems.extend(_against_history(proof, doc))
    for proof in data.versions:
        if (proof.doc["key"], proof.doc["version"]) not in expected and proof.doc["key"] in agreements_seen:
            problems.append(
                Problem(
                    "broken-history",
                    proof.subject,
                    _("{subject} is in the store but its history has no event for it").format(subject=proof.subject),
                    proof.doc["project"],
                )
            )
    for record in data.keys:
        if key_fingerprint(base64.b64decode(record.public_key)) != record.fingerprint:
            problems.append(
                Problem(
                    "unbound-key",
                    record.party,
                    _("the public key stored as {fingerprint} of '{party}' is another key").format(
                        fingerprint=record.fingerprint, party=record.party
                    ),
                )
            )
        if record.fingerprint not in keys_seen:
            problems.append(
                Problem(
                    "unbound-key",
                    record.party,
                    _("key {fingerprint} of '{party}' has no registration in the history").format(
                        fingerprint=record.fingerprint, party=record.party
                    ),
                )
            )
    return problems


def _against_history(proof: VersionProof, doc: Mapping[str, Any]) -> list[Problem]:
    """A version as stored against its last event: same status, terms hash and signatures."""
    now = proof.doc
    found = []
    if doc.get("status") != now["status"]:
        found.append(
            _("its status is {now} but its history says {then}").format(now=now["status"], then=doc.get("status"))
        )
    if doc.get("terms_hash") != now["terms_hash"]:
        found.append(_("its terms hash is not the one its history recorded"))
    signed = [(s["party"], s["signatory"], s.get("title"), s["date"], s["method"]) for s in now["signatures"]]
    recorded = [(s["party"], s["signatory"], s.get("title"), s["date"], s["method"]) for s in doc.get("signatures", [])]
    if signed != recorded:
        found.append(_("its signatures are not the ones its history recorded"))
    return [
        Problem("tampered-agreement", proof.subject, f"{proof.subject}: {message}", now["project"]) for message in found
    ]


def _load(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return value
    try:
        loaded = json.loads(value)
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) else None


def verify_anchors(data: ProofData, anchors: Sequence[tuple[int, str]]) -> list[Problem]:
    """Each anchor (a sequence number and the chain head hash noted at that time, outside the store) is
    still in the chain: what truncating and re-hashing the history cannot keep."""
    by_id = data.chain.hashes
    problems = []
    for seq, digest in anchors:
        have = by_id.get(seq)
        if have is None:
            problems.append(
                Problem(
                    "broken-history",
                    f"anchor {seq}",
                    _("event {seq} of the anchor is no longer in the history (it was cut short)").format(seq=seq),
                )
            )
        elif not have.startswith(digest.lower()):
            problems.append(
                Problem(
                    "broken-history",
                    f"anchor {seq}",
                    _("event {seq} has hash {have}, not the anchor's {want}: the history was rewritten").format(
                        seq=seq, have=have[:16], want=digest[:16]
                    ),
                )
            )
    return problems


def verify_allowed_signers(data: ProofData, allowed: Mapping[str, set[str]]) -> list[Problem]:
    """Keys in the store against a file kept outside it (party → public keys), as ssh's allowed_signers."""
    problems = []
    for key in data.keys:
        permitted = allowed.get(key.party)
        if permitted is None:
            problems.append(
                Problem(
                    "unbound-key",
                    key.party,
                    _("'{party}' has key {fingerprint} in the store but none in the allowed signers").format(
                        party=key.party, fingerprint=key.fingerprint
                    ),
                )
            )
        elif key.public_key not in permitted:
            problems.append(
                Problem(
                    "unbound-key",
                    key.party,
                    _("key {fingerprint} of '{party}' is not the one the allowed signers name").format(
                        party=key.party, fingerprint=key.fingerprint
                    ),
                )
            )
    return problems


def verify_all(
    data: ProofData, *, anchors: Sequence[tuple[int, str]] = (), allowed: Mapping[str, set[str]] | None = None
) -> list[Problem]:
    """Everything: versions, files, history, anchors and (when given) the allowed signers."""
    problems = [*verify_history(data), *verify_versions(data), *verify_files(data), *verify_anchors(data, anchors)]
    if allowed is not None:
        problems.extend(verify_allowed_signers(data, allowed))
    return problems


def by_subject(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        grouped[problem.subject].append(problem)
    return grouped
