"""Obligations after signing: when each falls due, and what was reported on each occurrence.

An obligation's occurrences come from its terms (``due``, ``every``, the
agreement's term and its tacit renewals: ``coordkit.schedule``); one with
neither is a standing duty for the whole term (一直负责), not a deliverable,
and falls due on no day. Fulfilment is recorded beside
the frozen terms, never in them: each report (met, partly met, missed,
waived) is a new row and an audit event, the newest for an occurrence counts,
and evidence files are kept under their SHA-256 in the workspace's
``evidence/`` folder, which ``coord verify`` checks. This follows the Open
Contracting Data Standard's implementation milestones: a due date, a date
met, a status, documents as evidence.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coordkit.dates import iso, parse_date, today
from coordkit.domain.agreements import AgreementDoc, Obligation
from coordkit.errors import InvalidInput, NotFound, Refused
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.sql import Conn, insert, tuples

FULFILMENT_STATUSES = ("met", "partly", "missed", "waived")
EVIDENCE_BYTES = 256 * 1024 * 1024  # a photo set or a scanned sign-in sheet of an activity: 256 MB is plenty
HORIZON_DAYS = 366  # how far ahead an open-ended or tacitly renewing term is unrolled when nothing else bounds it


@dataclass(frozen=True)
class Occurrence:
    """One due date of one obligation, with what was last reported on it."""

    agreement: str
    version: int
    version_id: int
    number: int  # the obligation's number in its version, from 1
    party: str
    text: str
    text_zh: str | None
    project: str
    date: dt.date
    status: str  # scheduled, or the newest report's: met, partly, missed, waived
    done_on: dt.date | None
    actual: str | None
    target: dict[str, Any] | None
    note: str | None
    evidence: list[dict[str, str]]


def term_of(doc: AgreementDoc) -> Any:
    """The agreement's term as ``coordkit.schedule`` counts it (the document has an effective date)."""
    from coordkit.domain.terms import term_of as of

    term = of(doc)
    assert term is not None, doc["key"]
    return term


def due_dates_of(doc: AgreementDoc, obligation: Obligation, *, until: dt.date) -> list[dt.date]:
    """The due dates of one obligation of a signed version, up to ``until``."""
    from coordkit.schedule import due_dates, parse_recurrence

    if not doc["effective"]:
        return []
    term = term_of(doc)
    first = dt.date.fromisoformat(obligation["due"]) if obligation["due"] else None
    if obligation["every"]:
        return due_dates(parse_recurrence(obligation["every"]), term, until=until, first_due=first)
    return [first] if first is not None and first <= until else []


def signed_docs(conn: Conn, *, key: str | None = None, project: str | None = None) -> list[tuple[int, AgreementDoc]]:
    """(version id, document) of each agreement's version in force that was signed by every party."""
    from coordkit.services.agreements.reading import newest_version_ids
    from coordkit.storage.documents import read_documents

    ids = newest_version_ids(conn, keys=[key] if key else (), project=project, in_force_first=True)
    docs = read_documents(conn, version_ids=ids)
    numbers = {
        (k, n): vid
        for vid, k, n in tuples(
            conn,
            "SELECT v.id, a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id",
        )
    }
    return [(numbers[(d["key"], d["version"])], d) for d in docs if d["status"] == "signed"]


def _reports(conn: Conn, version_ids: Sequence[int]) -> dict[tuple[int, int, str], tuple[Any, ...]]:
    """The newest report of each (version, obligation, occurrence)."""
    if not version_ids:
        return {}
    from coordkit.storage.sql import in_list

    params: dict[str, Any] = {}
    found: dict[tuple[int, int, str], tuple[Any, ...]] = {}
    for row in tuples(
        conn,
        "SELECT version_id, obligation, occurrence, status, on_date, actual, note, evidence FROM fulfilment "
        f"WHERE version_id IN {in_list('v', version_ids, params)} ORDER BY id",
        params,
    ):
        found[(int(row[0]), int(row[1]), iso(row[2]) or "")] = row
    return found


def occurrences(
    conn: Conn,
    *,
    until: dt.date,
    agreement: str | None = None,
    project: str | None = None,
    party: str | None = None,
) -> list[Occurrence]:
    """Every occurrence up to ``until`` of the obligations of signed agreements in force, with its status."""
    docs = signed_docs(conn, key=agreement, project=project)
    reports = _reports(conn, [vid for vid, _doc in docs])
    found = []
    for vid, doc in docs:
        for number, obligation in enumerate(doc["obligations"], 1):
            if party is not None and obligation["party"] != party:
                continue
            for day in due_dates_of(doc, obligation, until=until):
                report = reports.get((vid, number, day.isoformat()))
                found.append(
                    Occurrence(
                        agreement=doc["key"],
                        version=doc["version"],
                        version_id=vid,
                        number=number,
                        party=obligation["party"],
                        text=obligation["text"],
                        text_zh=obligation["text_zh"],
                        project=doc["project"],
                        date=day,
                        status=report[3] if report else "scheduled",
                        done_on=dt.date.fromisoformat(iso(report[4]) or "") if report else None,
                        actual=report[5] if report else None,
                        target=dict(obligation["target"]) if obligation["target"] else None,
                        note=report[6] if report else None,
                        evidence=json.loads(report[7]) if report and report[7] else [],
                    )
                )
    return found


def _version(conn: Conn, key: str) -> tuple[int, AgreementDoc]:
    from coordkit.services.agreements.reading import newest_version_ids
    from coordkit.storage.documents import read_documents
    from coordkit.storage.lookup import lookup_id

    lookup_id(conn, "agreement", key, "agreement")
    doc = read_documents(conn, version_ids=newest_version_ids(conn, keys=[key], in_force_first=True))[0]
    if doc["status"] != "signed":
        raise Refused(
            _("{key} v{version} is {status}: fulfilment is recorded on a signed agreement").format(
                key=key, version=doc["version"], status=doc["status"]
            )
        )
    vid = int(
        tuples(
            conn,
            "SELECT v.id FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id "
            "WHERE a.key = :k AND v.number = :n",
            {"k": key, "n": doc["version"]},
        )[0][0]
    )
    return vid, doc


@dataclass(frozen=True)
class Report:
    """One fulfilment report as checked: what ``record_fulfilment`` and ``apply`` insert."""

    number: int
    occurrence: dt.date
    status: str
    on: dt.date
    actual: str | None
    note: str | None
    evidence: list[dict[str, str]]


def check_report(
    doc: AgreementDoc,
    reports: dict[tuple[int, int, str], tuple[Any, ...]],
    vid: int,
    *,
    number: int,
    status: str,
    occurrence: str | dt.date | None,
    on: str | dt.date | None,
    actual: str | None,
    note: str | None,
    evidence: list[dict[str, str]],
) -> Report:
    """The rules of a fulfilment report, the same from the command line and from a workspace file: a signed
    version, an obligation that falls due, an occurrence it has, a day inside the term, a figure only against
    a target."""
    from coordkit.amounts import parse_amount
    from coordkit.domain.values import check_text
    from coordkit.schedule import current_term

    key = doc["key"]
    if status not in FULFILMENT_STATUSES:
        raise InvalidInput(
            _("status '{status}' is not one of: {choices}").format(
                status=status, choices=", ".join(FULFILMENT_STATUSES)
            )
        )
    obligations = doc["obligations"]
    if not 1 <= number <= len(obligations):
        raise NotFound("obligation", str(number), [str(n) for n in range(1, len(obligations) + 1)], ("agreement", key))
    obligation = obligations[number - 1]
    day = parse_date(on, "--on") or today()
    term = term_of(doc)
    if day < term.effective or current_term(term, day) is None:
        message = _("--on {day} is outside the term of {key} ({start} to {end})").format(
            day=day.isoformat(), key=key, start=doc["effective"], end=doc["expires"] or "…"
        )
        if on is None:
            message += _("; give the day it happened with --on")
        raise InvalidInput(message)
    horizon = max(day, term.expires or day) + dt.timedelta(days=HORIZON_DAYS)
    dates = due_dates_of(doc, obligation, until=horizon)
    if not dates:
        raise Refused(_("obligation {number} of {key} has no due date to report on").format(number=number, key=key))
    if occurrence is not None:
        wanted = parse_date(occurrence, "--occurrence")
        if wanted not in dates:
            shown = ", ".join(d.isoformat() for d in dates[:6]) + (" …" if len(dates) > 6 else "")
            raise InvalidInput(
                _("obligation {number} of {key} has no occurrence on {day}; its occurrences: {dates}").format(
                    number=number, key=key, day=str(occurrence), dates=shown
                )
            )
        assert wanted is not None
        chosen = wanted
    else:
        open_ = [
            d
            for d in dates
            if (reports.get((vid, number, d.isoformat())) or (None,) * 4)[3] not in ("met", "missed", "waived")
        ]
        if not open_:
            raise Refused(
                _(
                    "every occurrence of obligation {number} of {key} is already reported as met, missed or waived"
                ).format(number=number, key=key)
            )
        chosen = open_[0]
    figure = None
    if actual is not None:
        if not obligation["target"]:
            raise InvalidInput(
                _("obligation {number} of {key} has no target: --actual needs one to compare with").format(
                    number=number, key=key
                )
            )
        figure = str(parse_amount(actual, what="--actual"))
    text = check_text(note, "note", field="note") if note else None
    return Report(number, chosen, status, day, figure, text, evidence)


def _insert(conn: Conn, key: str, version: int, vid: int, report: Report) -> None:
    insert(
        conn,
        "fulfilment",
        {
            "version_id": vid,
            "obligation": report.number,
            "occurrence": report.occurrence.isoformat(),
            "status": report.status,
            "on_date": report.on.isoformat(),
            "actual": report.actual,
            "note": report.note,
            "evidence": json.dumps(report.evidence, ensure_ascii=False) if report.evidence else None,
            "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )
    events.record(
        conn,
        action=f"obligation.{report.status}",
        entity="agreement",
        key=key,
        after={
            "version": version,
            "obligation": report.number,
            "occurrence": report.occurrence.isoformat(),
            "status": report.status,
            "on": report.on.isoformat(),
            "actual": report.actual,
            "note": report.note,
            "evidence": report.evidence,
        },
    )


def record_fulfilment(
    conn: Conn,
    *,
    key: str,
    number: int,
    status: str,
    workspace: Path,
    occurrence: str | None = None,
    on: str | None = None,
    actual: str | None = None,
    note: str | None = None,
    evidence: Sequence[Path] = (),
) -> Occurrence:
    """Report on one occurrence of obligation ``number`` of ``key``'s signed version (the first occurrence not
    yet met when none is named); the terms stay as signed."""
    from coordkit.files import store_by_hash

    vid, doc = _version(conn, key)
    args: dict[str, Any] = {
        "number": number,
        "status": status,
        "occurrence": occurrence,
        "on": on,
        "actual": actual,
        "note": note,
    }
    check_report(doc, _reports(conn, [vid]), vid, **args, evidence=[])  # refuse before copying any file
    kept = []
    for path in evidence:
        digest, name = store_by_hash(Path(path), workspace / "evidence", limit=EVIDENCE_BYTES, what="--evidence")
        kept.append({"name": name, "sha256": digest, "file": Path(path).name})
    report = check_report(doc, _reports(conn, [vid]), vid, **args, evidence=kept)
    from coordkit.storage.team import refused_as

    party = doc["obligations"][number - 1]["party"]  # check_report has refused a number out of range
    with refused_as(conn, _("{login} may not report on obligations of {party}"), party=party):
        _insert(conn, key, doc["version"], vid, report)
    horizon = report.occurrence + dt.timedelta(days=1)
    return next(
        o for o in occurrences(conn, until=horizon, agreement=key) if o.number == number and o.date == report.occurrence
    )


def reports_of(conn: Conn, vid: int) -> list[dict[str, Any]]:
    """Every report on a version's obligations, oldest first, as workspace files carry them."""
    return [
        {
            "obligation": int(number),
            "occurrence": iso(occurrence),
            "status": status,
            "date": iso(on_date),
            "actual": actual,
            "note": note,
            "evidence": json.loads(evidence) if evidence else [],
        }
        for number, occurrence, status, on_date, actual, note, evidence in tuples(
            conn,
            "SELECT obligation, occurrence, status, on_date, actual, note, evidence FROM fulfilment "
            "WHERE version_id = :v ORDER BY id",
            {"v": vid},
        )
    ]


def append_reports(conn: Conn, *, key: str, reports: Sequence[dict[str, Any]]) -> None:
    """What a workspace file adds to the reports already recorded (which never change): ``coord apply``."""
    vid, doc = _version(conn, key)
    recorded = reports_of(conn, vid)

    def comparable(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                k: (str(v) if k in ("occurrence", "date", "actual") else v)
                for k, v in r.items()
                if v is not None and v != []
            }
            for r in items
        ]

    if comparable(reports[: len(recorded)]) != comparable(recorded):
        raise Refused(
            _(
                "agreement '{key}': recorded fulfilment reports are never changed or removed; add new ones after them"
            ).format(key=key)
        )
    for item in reports[len(recorded) :]:
        report = check_report(
            doc,
            _reports(conn, [vid]),
            vid,
            number=int(item["obligation"]),
            status=str(item["status"]),
            occurrence=item["occurrence"],
            on=item["date"],
            actual=None if item.get("actual") is None else str(item["actual"]),
            note=item.get("note"),
            evidence=[dict(e) for e in item.get("evidence") or []],
        )
        _insert(conn, key, doc["version"], vid, report)


def list_occurrences(
    conn: Conn,
    *,
    on: dt.date,
    agreement: str | None = None,
    party: str | None = None,
    status: str | None = None,
    project: str | None = None,
) -> list[Occurrence]:
    """Every occurrence due by ``on`` and the next one of each obligation after it, by agreement, number, date."""
    from coordkit.storage.lookup import lookup_id, resolve, resolve_key

    choices = ("scheduled", *FULFILMENT_STATUSES)
    if status is not None and status not in choices:
        raise InvalidInput(
            _("--status '{status}' is not one of: {choices}").format(status=status, choices=", ".join(choices))
        )
    if party is not None:
        _sid, party = resolve(conn, "stakeholder", party)  # its key, name or Chinese name
    if agreement is not None:
        lookup_id(conn, "agreement", agreement, "agreement")
    if project is not None:
        project = resolve_key(conn, "project", project)
    found = occurrences(
        conn, until=on + dt.timedelta(days=HORIZON_DAYS), agreement=agreement, project=project, party=party
    )
    shown: list[Occurrence] = []
    next_seen: set[tuple[str, int]] = set()
    for item in sorted(found, key=lambda o: (o.agreement, o.number, o.date)):
        if item.date > on:
            if (item.agreement, item.number) in next_seen:
                continue
            next_seen.add((item.agreement, item.number))
        if status is None or item.status == status:
            shown.append(item)
    return shown
