"""An agreement's life after drafting: circulate, sign, amend, terminate.

Circulating a version freezes it: each party's particulars are copied as they
stand (name, address, legal representative, registration number, the
representative who signs, the key that signs), the canonical terms are hashed
with SHA-256, and from then on nothing of it changes; the paper printed for
signature carries that hash. Every signature is on it. When every party has
signed, the obligations that name a duty become assignments for the term
(``coordkit.domain.agreements.assignment_window``) and the version supersedes
the one before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coordkit.canonical import CURRENT_FORM, compute_hash
from coordkit.dates import iso, parse_date, today
from coordkit.domain.agreements import (
    AgreementDoc,
    assignment_window,
    check_method,
    obligation_letters,
    superseded_from,
)
from coordkit.domain.values import check_text
from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.files import store_by_hash
from coordkit.i18n import _
from coordkit.limits import SCAN_BYTES
from coordkit.services.agreements.drafting import changed, now, party_ids
from coordkit.storage import events
from coordkit.storage.documents import read_document, version_row
from coordkit.storage.proofdata import seal_envelope
from coordkit.storage.sql import Conn, execute, executemany, insert, rows, scalar, tuples
from coordkit.vocab import PARTY_LABELS, PARTY_LABELS_ZH

PARTICULARS = ("name", "name_zh", "address", "legal_representative", "registration_number", "signer")


@dataclass(frozen=True)
class RecordedProof:
    """A signature's proof as a file carries it: the key and Ed25519 signature of an electronic one, a scan's
    stored name."""

    key: str | None = None
    key_signature: str | None = None
    scan: str | None = None


def circulate(
    conn: Conn,
    *,
    key: str,
    as_signed: Mapping[str, Mapping[str, Any]] | None = None,
    form: int = CURRENT_FORM,
    expect: str | None = None,
) -> AgreementDoc:
    """Send a draft out for signature: freeze its terms and its parties' particulars, and hash them.

    ``coord apply`` of an export passes what the export says was frozen (``as_signed`` particulars by party,
    the canonical ``form``) and the fingerprint it was signed under (``expect``): the same terms must give the
    same hash, or the file was changed where nothing may change.
    """
    version = version_row(conn, key, newest=True)
    if version.status != "draft":
        raise Refused(
            _("{key} v{version} is {status}, not a draft").format(
                key=key, version=version.number, status=status_word(version.status)
            )
        )
    clauses = scalar(
        conn,
        "SELECT (SELECT count(*) FROM agreement_term WHERE version_id = :v AND section = 'goal') "
        "+ (SELECT count(*) FROM agreement_obligation WHERE version_id = :v)",
        {"v": version.id},
    )
    if not clauses:
        raise InvalidInput(
            _("{key} has no goals and no obligations yet; add some before circulating it").format(key=key)
        )
    before = read_document(conn, key, newest=True)
    execute(conn, "UPDATE agreement_version SET status = 'circulating' WHERE id = :v", {"v": version.id})
    terms_hash = freeze(conn, key, version, as_signed=as_signed, form=form)
    if expect is not None and terms_hash != expect:
        raise Refused(
            _(
                "{key} v{version}: its terms and parties as written give the fingerprint {now}, not {expected} that "
                "it was signed under; a signed agreement's terms, parties or particulars were changed in the file"
            ).format(key=key, version=version.number, now=terms_hash[:12], expected=expect[:12])
        )
    seal_envelope(conn, version.id)
    return changed(conn, key, "agreement.circulate", before)


def freeze(
    conn: Conn,
    key: str,
    version: Any,
    *,
    as_signed: Mapping[str, Mapping[str, Any]] | None = None,
    form: int = CURRENT_FORM,
) -> str:
    """Copy the parties' particulars into the version (the register's, or ``as_signed``'s where given) and hash
    its terms in ``form``; returns the hash."""
    draft = read_document(conn, key, version.number)  # parties as the register has them (nothing frozen yet)
    for live in draft["parties"]:
        given = (as_signed or {}).get(live["stakeholder"])
        party: dict[str, Any] = dict(live)
        if given is not None:
            party |= {k: given.get(k) for k in PARTICULARS} | {"key_fingerprint": given.get("key")}
        signer = party["signer"] or {"name": None, "title": None}
        execute(
            conn,
            "UPDATE agreement_party SET name = :name, name_zh = :name_zh, address = :address, "
            "legal_representative = :legal, registration_number = :reg, signer_name = :sn, signer_title = :st, "
            "key_fingerprint = :kf WHERE version_id = :v AND stakeholder_id = "
            "(SELECT id FROM stakeholder WHERE key = :s)",
            {
                "name": party["name"],
                "name_zh": party["name_zh"],
                "address": party["address"],
                "legal": party["legal_representative"],
                "reg": party["registration_number"],
                "sn": signer["name"],
                "st": signer["title"],
                "kf": party["key_fingerprint"],
                "v": version.id,
                "s": party["stakeholder"],
            },
        )
    execute(conn, "UPDATE agreement_version SET canonical_form = :f WHERE id = :v", {"f": form, "v": version.id})
    terms_hash = compute_hash(read_document(conn, key, version.number))
    execute(
        conn,
        "UPDATE agreement_version SET terms_hash = :h, frozen_at = :t WHERE id = :v",
        {"h": terms_hash, "t": now(), "v": version.id},
    )
    return terms_hash


def signing_party(conn: Conn, key: str, version: Any, party: str) -> tuple[str, int]:
    """The party meant by ``party``: its key, its label as printed (Party A, 甲方), or its name."""
    parties = party_ids(conn, version.id)
    if party in parties:
        return party, parties[party]
    labels = dict(
        tuples(
            conn,
            "SELECT p.label, s.key FROM agreement_party p JOIN stakeholder s ON s.id = p.stakeholder_id "
            "WHERE p.version_id = :v",
            {"v": version.id},
        )
    )

    def forms(label: str) -> set[str]:
        """A label and its other language's form: 甲方 is Party A."""
        text = label.strip().casefold()
        found = {text}
        for english, chinese in zip(PARTY_LABELS, PARTY_LABELS_ZH, strict=True):
            if text in (english.casefold(), chinese):
                found |= {english.casefold(), chinese}
        return found

    for label, stakeholder in labels.items():
        if forms(label) & forms(party):
            return stakeholder, parties[stakeholder]
    from coordkit.storage.lookup import resolve_key

    named = resolve_key(conn, "stakeholder", party)  # its name or Chinese name: 猎德社区居委会
    if named in parties:
        return named, parties[named]
    raise NotFound("party", party, [*parties, *labels], f"agreement '{key}'")


def sign(
    conn: Conn,
    *,
    key: str,
    party: str,
    workspace: Path,
    signatory: str | None = None,
    title: str | None = None,
    date: str | None = None,
    method: str | None = None,
    scan: Path | None = None,
    key_file: Path | None = None,
    recorded: RecordedProof | None = None,
) -> AgreementDoc:
    """Record one party's signature on the version being signed (its key or its label names the party;
    the signatory is its frozen representative unless another is named).

    ``recorded`` is a signature made elsewhere, as ``coord export`` wrote it: its key signature must verify
    against the party's registered key, its scan is named by hash.
    """
    from coordkit.services import keys

    version = version_row(conn, key, newest=True)
    if version.status == "draft":
        raise Refused(
            _("{key} v{version} is still a draft; circulate it first: {command}").format(
                key=key, version=version.number, command=f"coord agreement circulate {key}"
            )
        )
    if version.status != "circulating":
        raise Refused(
            _("{key} v{version} is {status}; only a circulating version can be signed").format(
                key=key, version=version.number, status=status_word(version.status)
            )
        )
    party, sid = signing_party(conn, key, version, party)
    if scalar(
        conn, "SELECT 1 FROM signature WHERE version_id = :v AND stakeholder_id = :s", {"v": version.id, "s": sid}
    ):
        raise AlreadyExists(
            _("'{party}' has already signed {key} v{version}").format(party=party, key=key, version=version.number)
        )
    keyed = key_file is not None or (recorded is not None and recorded.key_signature is not None)
    chosen = check_method(method) if method else ("electronic" if keyed else "signature+seal")
    if keyed and chosen != "electronic":
        raise InvalidInput(_("--key signs electronically; leave out --method, or say --method electronic"))
    if chosen == "electronic" and not keyed:
        raise InvalidInput(_("an electronic signature is made with the party's key: pass --key FILE"))
    signed_on = parse_date(date, "--date") or today()
    frozen = rows(
        conn,
        "SELECT signer_name, signer_title FROM agreement_party WHERE version_id = :v AND stakeholder_id = :s",
        {"v": version.id, "s": sid},
    )[0]
    if signatory is None and not frozen.signer_name:
        raise InvalidInput(
            _("'{party}' has no registered representative to sign; name who signs with --signatory NAME").format(
                party=party
            )
        )
    who = check_text(signatory if signatory is not None else frozen.signer_name, "--signatory")
    role = (title if title is not None else (frozen.signer_title if signatory is None else None)) or None
    before = read_document(conn, key, version.number)
    terms_hash = version.terms_hash or freeze(conn, key, version)  # circulated by coordkit 0.1: freeze now
    key_fp = key_sig = None
    if key_file is not None:
        key_fp, key_sig = keys.sign_hash(conn, key_file=key_file, party=party, party_id=sid, terms_hash=terms_hash)
    elif recorded is not None and recorded.key_signature is not None:
        key_fp, key_sig = recorded.key or "", recorded.key_signature
        keys.check_recorded(
            conn, party=party, party_id=sid, fingerprint=key_fp, signature=key_sig, terms_hash=terms_hash
        )
    scan_hash = scan_name = None
    if scan is not None:
        scan_hash, scan_name = store_by_hash(scan, workspace / "scans", limit=SCAN_BYTES)
    elif recorded is not None and recorded.scan is not None:
        scan_name = recorded.scan
        scan_hash = scan_name.split(".", 1)[0]
    from coordkit.storage.team import refused_as

    with refused_as(conn, _("{login} may not sign for {party}"), party=party):
        insert(
            conn,
            "signature",
            {
                "version_id": version.id,
                "stakeholder_id": sid,
                "signatory": who,
                "title": (role or "").strip() or None,
                "signed_on": signed_on.isoformat(),
                "method": chosen,
                "terms_hash": terms_hash,
                "scan_sha256": scan_hash,
                "scan_name": scan_name,
                "key_fingerprint": key_fp,
                "key_signature": key_sig,
                "recorded_at": now(),
            },
        )
    if len(party_ids(conn, version.id)) == scalar(
        conn, "SELECT count(*) FROM signature WHERE version_id = :v", {"v": version.id}
    ):
        execute(conn, "UPDATE agreement_version SET status = 'signed' WHERE id = :v", {"v": version.id})
        _activate(conn, version)
    seal_envelope(conn, version.id)
    after = read_document(conn, key, version.number)
    events.record(conn, action="agreement.sign", entity="agreement", key=key, before=before, after=after)
    return after


def _activate(conn: Conn, version: Any) -> None:
    """Every party has signed: obligations become assignments; the version before is superseded."""
    doc = read_document(conn, version.agreement_key, version.number)
    for old in rows(
        conn,
        "SELECT id, number FROM agreement_version WHERE agreement_id = :a AND number < :n AND status = 'signed'",
        {"a": version.agreement_id, "n": version.number},
    ):
        supersede(conn, doc["key"], old.id, old.number)
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


def supersede(conn: Conn, key: str, version_id: int, number: int) -> None:
    """A later version replaces this one: its status changes, sealed and recorded like every status change."""
    before = read_document(conn, key, number)
    execute(conn, "UPDATE agreement_version SET status = 'superseded' WHERE id = :v", {"v": version_id})
    seal_envelope(conn, version_id)
    after = read_document(conn, key, number)
    events.record(conn, action="agreement.supersede", entity="agreement", key=key, before=before, after=after)


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


def amend(conn: Conn, *, key: str, notes: str | None = None) -> AgreementDoc:
    """Start version n+1 as a draft carrying the terms over, with ``notes`` (the drafters' notes, such as a
    review's lessons). A signed version n stays in force until the amendment is signed; a circulating one is
    replaced at once (its paper must not be signed any more)."""
    version = version_row(conn, key, newest=True)
    if version.status == "draft":
        raise Refused(
            _("{key} v{version} is still a draft; change it directly instead of amending").format(
                key=key, version=version.number
            )
        )
    if version.status == "terminated":
        raise Refused(
            _("{key} was terminated on {day}; draft a new agreement instead").format(
                key=key, day=iso(version.terminated_on)
            )
        )
    if version.status == "superseded":
        raise Refused(_("{key} v{version} is superseded").format(key=key, version=version.number))
    before = read_document(conn, key, version.number)
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
            "notice": version.notice,
            "renewal": version.renewal,
            "review_every": version.review_every,
            "languages": version.languages,
            "notes": (notes or "").strip() or None,
        },
    )
    for table, columns in (
        ("agreement_party", "stakeholder_id, label, position"),
        ("agreement_term", "section, stakeholder_id, text, text_zh, position"),
        (
            "agreement_obligation",
            "stakeholder_id, text, text_zh, duty_id, letter, due_on, every, target_amount, "
            "target_unit, each_min, each_unit, position",
        ),
        (
            "agreement_resource",
            "stakeholder_id, kind, amount, unit, description, description_zh, resource_key, slot, position",
        ),
    ):
        execute(
            conn,
            f"INSERT INTO {table} (version_id, {columns}) SELECT :new, {columns} FROM {table} WHERE version_id = :old",
            {"new": new_id, "old": version.id},
        )
    after = read_document(conn, key, newest=True)
    events.record(conn, action="agreement.amend", entity="agreement", key=key, before=before, after=after)
    if version.status == "circulating":  # its paper must not be signed any more
        supersede(conn, key, version.id, version.number)
    return after


def terminate(conn: Conn, *, key: str, reason: str, date: str | None = None) -> AgreementDoc:
    """End the version in force (or the one being signed) early; its assignments end on that day."""
    version = version_row(conn, key)
    if version.status == "terminated":
        raise Refused(_("{key} was already terminated on {day}").format(key=key, day=iso(version.terminated_on)))
    if version.status == "superseded":
        raise Refused(_("{key} v{version} is superseded").format(key=key, version=version.number))
    day = parse_date(date, "--date") or today()
    if version.status == "signed" and day.isoformat() < (iso(version.effective) or ""):
        raise InvalidInput(
            _("--date {day} is before {key} takes effect ({effective})").format(
                day=day, key=key, effective=iso(version.effective)
            )
        )
    before = read_document(conn, key, version.number)
    execute(
        conn,
        "UPDATE agreement_version SET status = 'terminated', terminated_on = :d, termination_reason = :r WHERE id = :v",
        {"d": day.isoformat(), "r": check_text(reason, "--reason"), "v": version.id},
    )
    end_assignments(conn, key, version.number, day.isoformat())
    if version.terms_hash:
        seal_envelope(conn, version.id)
    after = read_document(conn, key, version.number)
    events.record(conn, action="agreement.terminate", entity="agreement", key=key, before=before, after=after)
    return after


def status_word(status: str) -> str:
    """A version's status in the reader's language (已签署 under zh), for the refusals that quote it."""
    from coordkit.i18n import language
    from coordkit.render.i18n import TABLE_VALUES_ZH

    return TABLE_VALUES_ZH["status"].get(status, status) if language() == "zh" else status
