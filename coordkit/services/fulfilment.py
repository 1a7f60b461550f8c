"""Fulfilment of signed obligations: record what was done (met, partly, missed, waived) with its evidence.

A record points at the signed version and one occurrence of one obligation;
it never touches the frozen terms. Evidence files are kept under their SHA-256
in the workspace's ``evidence/`` folder (as scans are in ``scans/``) and
``coord verify`` re-hashes them. Every record is an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordkit.dates import iso, parse_date, today
from coordkit.domain.fulfilment import (
    FULFILMENT_STATUSES,
    Occurrence,
    check_in_term,
    horizon,
    latest,
    obligation_dates,
    occurrences,
    pick_occurrence,
    term_of,
)
from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.documents import read_documents, version_row
from coordkit.storage.lookup import lookup_id, project_scope
from coordkit.storage.sql import Conn, insert, tuples

if TYPE_CHECKING:
    from coordkit.domain.agreements import AgreementDoc
    from coordkit.due import DueItem

EVIDENCE_FOLDER = "evidence"


def signed_document(conn: Conn, key: str, *, review: bool = False) -> tuple[int, AgreementDoc]:
    """The version of ``key`` in force (signed), with its id; a draft or unsigned agreement is refused."""
    row = version_row(conn, key)
    if row.status != "signed":
        message = (
            _("{key} version {number} is {status}, not signed; only signed terms are reviewed")
            if review
            else _("{key} version {number} is {status}, not signed; fulfilment is recorded against signed terms")
        )
        raise InvalidInput(message.format(key=key, number=row.number, status=row.status))
    return int(row.id), read_documents(conn, version_ids=[int(row.id)])[0]


def export_records(conn: Conn) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """Each version's fulfilment records in the shape of workspace files (``fulfilment:`` of an agreement)."""
    keys = {
        int(vid): (akey, int(number))
        for vid, akey, number in tuples(
            conn, "SELECT v.id, a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id"
        )
    }
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for vid, records in _records(conn).items():
        found[keys[vid]] = [
            {
                "obligation": r["obligation"],
                "occurrence": r["occurrence"],
                "status": r["status"],
                "on": r["on"],
                "actual": r["actual"],
                "note": r["note"],
                "reason": r["reason"],
                "evidence": r["evidence"],
            }
            for r in records
        ]
    return found


def append_records(conn: Conn, *, key: str, records: Sequence[dict[str, Any]]) -> None:
    """Apply a file's ``fulfilment:``: the records stored must be the first ones of the file, unchanged; the
    records after them are checked as ``coord obligation`` checks them and added (evidence named by its hash)."""
    from coordkit.errors import Refused
    from coordkit.files import safe_stored_name

    vid, _doc = signed_document(conn, key)
    recorded = export_records(conn).get((key, int(version_row(conn, key).number)), [])
    wanted = [_file_record(r) for r in records]
    if [_file_record(r) for r in recorded] != wanted[: len(recorded)]:
        raise Refused(f"agreement '{key}': recorded fulfilment never changes; add new records after the last one")
    for record in wanted[len(recorded) :]:
        for name in record["evidence"]:
            if not safe_stored_name(name):
                raise InvalidInput(
                    _("agreement '{key}': evidence '{name}' is not a stored name (<sha256>.<ext>)").format(
                        key=key, name=name
                    )
                )
        checked = _check(
            conn,
            vid=vid,
            key=key,
            number=record["obligation"],
            status=record["status"],
            day=dt.date.fromisoformat(record["on"]),
            occurrence=record["occurrence"],
            actual=record["actual"],
            reason=record["reason"],
            check_settled=False,
        )
        stored = [(name.split(".", 1)[0], name, None) for name in record["evidence"]]
        _write(conn, vid=vid, key=key, checked=checked, note=record["note"], stored=stored)


def _file_record(record: dict[str, Any]) -> dict[str, Any]:
    """A record as files and the store both give it: dates as text, the actual as its canonical text."""
    from coordkit.amounts import amount_text, parse_amount

    actual = record.get("actual")
    return {
        "obligation": int(record["obligation"]),
        "occurrence": iso(record.get("occurrence")),
        "status": record["status"],
        "on": iso(record["on"]),
        "actual": amount_text(parse_amount(actual, what="actual")) if actual is not None else None,
        "note": record.get("note"),
        "reason": record.get("reason"),
        "evidence": list(record.get("evidence") or []),
    }


def _records(conn: Conn, version_ids: Sequence[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Fulfilment records per version, in recording order, with their evidence names."""
    where = ""
    params: dict[str, Any] = {}
    if version_ids is not None:
        if not version_ids:
            return {}
        names = [f"v{i}" for i in range(len(version_ids))]
        where = " WHERE f.version_id IN (" + ", ".join(f":{n}" for n in names) + ")"
        params = dict(zip(names, version_ids, strict=True))
    evidence: dict[int, list[str]] = defaultdict(list)
    for fid, name in tuples(
        conn,
        "SELECT e.fulfilment_id, e.name FROM fulfilment_evidence e JOIN fulfilment f ON f.id = e.fulfilment_id"
        f"{where} ORDER BY e.fulfilment_id, e.position",
        params,
    ):
        evidence[int(fid)].append(name)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for fid, vid, number, occurrence, status, done_on, actual, note, reason in tuples(
        conn,
        "SELECT f.id, f.version_id, f.obligation, f.occurrence, f.status, f.done_on, f.actual, f.note, f.reason "
        f"FROM fulfilment f{where} ORDER BY f.id",
        params,
    ):
        found[int(vid)].append(
            {
                "obligation": int(number),
                "occurrence": iso(occurrence),
                "status": status,
                "on": iso(done_on),
                "actual": actual,
                "note": note,
                "reason": reason,
                "evidence": evidence.get(int(fid), []),
            }
        )
    return found


def record_fulfilment(
    conn: Conn,
    *,
    workspace: Path,
    key: str,
    number: int,
    status: str,
    on: str | None,
    occurrence: str | None = None,
    actual: str | None = None,
    evidence: Sequence[Path] = (),
    note: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Record what was done about one occurrence of obligation ``number`` of ``key``'s signed version.

    Refused (nothing written): an unsigned agreement, an obligation or occurrence that does not exist, ``--on``
    outside the term or in the future, an actual on an obligation with no target, a waiver without a reason.
    """
    from coordkit.files import store_by_hash
    from coordkit.limits import SCAN_BYTES

    vid, _doc = signed_document(conn, key)
    day = parse_date(on, "--on")
    if day is None:
        raise InvalidInput(_("say when it was done: --on DATE"))
    checked = _check(
        conn,
        vid=vid,
        key=key,
        number=number,
        status=status,
        day=day,
        occurrence=occurrence,
        actual=actual,
        reason=reason,
        check_settled=True,
    )
    stored = [
        (*store_by_hash(path, workspace / EVIDENCE_FOLDER, limit=SCAN_BYTES, what="--evidence"), path.name)
        for path in evidence
    ]
    return _write(conn, vid=vid, key=key, checked=checked, note=note, stored=stored)


def _check(
    conn: Conn,
    *,
    vid: int,
    key: str,
    number: int,
    status: str,
    day: dt.date,
    occurrence: str | None,
    actual: str | None,
    reason: str | None,
    check_settled: bool,
) -> dict[str, Any]:
    """The rules of a fulfilment record, the same for the command and for a file; returns what to store."""
    from coordkit.amounts import amount_text, parse_amount
    from coordkit.storage.documents import read_documents

    if status not in FULFILMENT_STATUSES:
        raise ValueError(f"fulfilment status {status!r}")
    doc = read_documents(conn, version_ids=[vid])[0]
    obligations = doc["obligations"]
    if not 1 <= number <= len(obligations):
        raise InvalidInput(
            _(
                "{key} has {count} obligation(s); there is no obligation {number} (see coord obligation list {key})"
            ).format(key=key, count=len(obligations), number=number)
        )
    obligation = obligations[number - 1]
    where = _("{key} obligation {number}").format(key=key, number=number)
    if day > today():
        raise InvalidInput(_("--on {date} is in the future; record what has happened").format(date=day.isoformat()))
    check_in_term(doc, day)
    amount: Decimal | None = None
    if actual is not None and str(actual).strip():
        if obligation["target"] is None:
            raise InvalidInput(
                _("{where} has no target to measure --actual against; leave --actual out").format(where=where)
            )
        amount = parse_amount(str(actual), what="--actual")
    if status == "waived" and not (reason or "").strip():
        raise InvalidInput(_("say why it is waived: --reason TEXT"))
    given = parse_date(occurrence, "--occurrence")
    until = max(horizon(term_of(doc), day), given or day)
    dates = obligation_dates(doc, obligation, until=until)
    settled = (
        {
            dt.date.fromisoformat(r["occurrence"]) if r["occurrence"] else None
            for r in _records(conn, [vid]).get(vid, [])
            if r["obligation"] == number and r["status"] != "partly"
        }
        if check_settled
        else set()
    )
    chosen = pick_occurrence(dates, settled, given, where=where)
    return {
        "agreement": key,
        "version": doc["version"],
        "obligation": number,
        "occurrence": iso(chosen),
        "status": status,
        "on": day.isoformat(),
        "actual": amount_text(amount) if amount is not None else None,
        "reason": (reason or "").strip() or None,
    }


def _write(
    conn: Conn,
    *,
    vid: int,
    key: str,
    checked: dict[str, Any],
    note: str | None,
    stored: Sequence[tuple[str, str, str | None]],
) -> dict[str, Any]:
    """Store a checked record and its evidence names, and its audit event."""
    record = {
        **checked,
        "note": (note or "").strip() or None,
        "evidence": [name for _hash, name, _original in stored],
    }
    fid = insert(
        conn,
        "fulfilment",
        {
            "version_id": vid,
            "obligation": record["obligation"],
            "occurrence": dt.date.fromisoformat(record["occurrence"]) if record["occurrence"] else None,
            "status": record["status"],
            "done_on": dt.date.fromisoformat(record["on"]),
            "actual": record["actual"],
            "note": record["note"],
            "reason": record["reason"],
            "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )
    for position, (digest, name, original) in enumerate(stored):
        insert(
            conn,
            "fulfilment_evidence",
            {"fulfilment_id": fid, "sha256": digest, "name": name, "original": original, "position": position},
        )
    subject = f"{key}/{record['obligation']}/{record['occurrence'] or '-'}"
    events.record(conn, action=f"fulfilment.{record['status']}", entity="fulfilment", key=subject, after=record)
    return record


def _signed_docs(conn: Conn, *, key: str | None = None, project_id: int | None = None) -> list[tuple[int, Any]]:
    """(version id, document) of each signed version, by agreement key."""
    where, params = ["v.status = 'signed'"], {"k": key, "p": project_id}
    if key is not None:
        lookup_id(conn, "agreement", key, "agreement")
        where.append("a.key = :k")
    if project_id is not None:
        where.append("a.project_id = :p")
    found = tuples(
        conn,
        "SELECT v.id, a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id WHERE "
        + " AND ".join(where)
        + " ORDER BY a.key, v.number",
        params,
    )
    if not found:
        return []
    docs = {(d["key"], d["version"]): d for d in read_documents(conn, version_ids=[int(r[0]) for r in found])}
    return [(int(vid), docs[(akey, int(number))]) for vid, akey, number in found]


def fulfilment_rows(
    conn: Conn,
    *,
    key: str | None = None,
    party: str | None = None,
    status: str | None = None,
    project: str | None = None,
    on: str | None = None,
) -> list[dict[str, Any]]:
    """Each occurrence of each signed obligation up to the term's end (``on``: the day looked at, default today)
    with its target, actual, status and evidence; ``status`` ``overdue`` keeps what is late on ``on``."""
    from coordkit.domain.values import check_choice

    day = parse_date(on, "--on") or today()
    if status is not None:
        status = check_choice(status, ("scheduled", *FULFILMENT_STATUSES, "overdue"), "--status")
    if party is not None:
        lookup_id(conn, "stakeholder", party, "stakeholder")
    pid, _pkey = project_scope(conn, project) if key is None else (None, None)
    found = []
    pairs = _signed_docs(conn, key=key, project_id=pid)
    records = _records(conn, [vid for vid, _doc in pairs])
    for vid, doc in pairs:
        current = latest(records.get(vid, []))
        for occ in occurrences(doc, until=horizon(term_of(doc), day)):
            if party is not None and occ.party != party:
                continue
            record = current.get((occ.number, iso(occ.date)))
            state = record["status"] if record else "scheduled"
            late = state in ("scheduled", "partly") and occ.date is not None and occ.date < day
            if status is not None and status != ("overdue" if status == "overdue" and late else state):
                continue
            found.append(
                {
                    "agreement": occ.agreement,
                    "obligation": occ.number,
                    "party": occ.party,
                    "text": occ.text,
                    "due": iso(occ.date),
                    "target": occ.target,
                    "actual": record["actual"] if record else None,
                    "status": state,
                    "overdue_days": (day - occ.date).days if late and occ.date else 0,
                    "on": record["on"] if record else None,
                    "evidence": record["evidence"] if record else [],
                    "note": (record["note"] or record["reason"]) if record else None,
                }
            )
    return found


def obligation_due_items(
    conn: Conn, *, on: dt.date, until: dt.date | None = None, signed: Sequence[tuple[int, AgreementDoc]] | None = None
) -> list[DueItem]:
    """Every occurrence of every signed obligation with a date, as due items with their fulfilment status
    (``signed``: the (version id, document) pairs, when the caller has read them already)."""
    from coordkit.due import DueItem

    items = []
    labels = (_("Target: {target}"), _("Actual: {actual}"))  # looked up once: 100,000 occurrences at scale
    pairs = _signed_docs(conn) if signed is None else signed
    records = _records(conn, [vid for vid, _doc in pairs])
    for vid, doc in pairs:
        current = latest(records.get(vid, []))
        last = max(horizon(term_of(doc), on), until or on)
        for occ in occurrences(doc, until=last):
            if occ.date is None:
                continue
            record = current.get((occ.number, occ.date.isoformat()))
            items.append(_item(DueItem, occ, occ.date, record, labels))
    return items


def _item(cls: Any, occ: Occurrence, day: dt.date, record: Any, labels: tuple[str, str]) -> DueItem:
    detail = []
    if occ.target:
        detail.append(labels[0].format(target=occ.target))
    if record and record["actual"]:
        detail.append(labels[1].format(actual=record["actual"]))
    result: DueItem = cls(
        kind="obligation",
        date=day,
        title=occ.text,
        title_zh=occ.text_zh,
        uid_seed=f"obligation/{occ.agreement}/{occ.number}/{day.isoformat()}",
        agreement=occ.agreement,
        party=occ.party,
        project=occ.project,
        status=record["status"] if record else "scheduled",
        done_on=dt.date.fromisoformat(record["on"]) if record and record["status"] in ("met", "partly") else None,
        detail="\n".join(detail),
    )
    return result
