"""The evaluation report's data: one project over one period, read from the store in one transaction.

What an evaluator of a government-purchased service or a funder asks for, in
the order they read it: who takes part and where they stand, who answers for
what and what is still unowned or doubly owned, the agreements and who signed
them, what each party promised, the joint meetings and their follow-up, the
concerns and how fast they were settled, and the chain head that ties every
figure to the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any

from coordkit.dates import today
from coordkit.domain.report import (
    Period,
    action_figures,
    concern_figures,
    findings_by_rule,
    fulfilment_by_party,
    parse_period,
    period_between,
)
from coordkit.storage.sql import Conn, tuples

FULFILMENT_COUNTS = ("scheduled", "met", "partly", "missed", "waived")


def report_period(
    conn: Conn, *, project: str | None, period: str | None, start: str | None, end: str | None
) -> tuple[str, Period]:
    """The project and the period the report covers; by default the project's whole term up to today."""
    from coordkit.errors import InvalidInput
    from coordkit.i18n import _
    from coordkit.services.projects import get_project
    from coordkit.storage.lookup import resolve_project

    _pid, key = resolve_project(conn, project)
    if period and (start or end):
        raise InvalidInput(_("give either --period or --from/--to, not both"))
    if period:
        return key, parse_period(period)
    info = get_project(conn, key)
    now = today().isoformat()
    last = info["end"] if info["end"] and info["end"] < now else now
    return key, period_between(start, end, default=(info["start"] or last, last))


NO_NAME: dict[str, str | None] = {"subject_name": None, "subject_name_zh": None}


def _subject_names(conn: Conn, project: str) -> dict[str, dict[str, str | None]]:
    """What a finding's subject is called, for the report to quote in its language: the project's duties by title,
    parties and the project by name (``services.checking.subject_names`` as ``coord check`` shows them)."""
    from coordkit.services.checking import subject_names

    names: dict[str, dict[str, str | None]] = {}
    for (owner, key), (name, name_zh) in subject_names(conn).items():
        # a duty of this project wins over a party of the same key
        if owner == project or (owner is None and key not in names):
            names[key] = {"subject_name": name, "subject_name_zh": name_zh}
    for key, name, name_zh in tuples(conn, "SELECT key, name, name_zh FROM project WHERE key = :k", {"k": project}):
        names.setdefault(str(key), {"subject_name": str(name), "subject_name_zh": name_zh})
    return names


def _parties(conn: Conn, pid: int) -> list[str]:
    """Keys of the parties that take part: they carry a duty or are party to an agreement of the project."""
    return [
        key
        for (key,) in tuples(
            conn,
            "SELECT s.key FROM stakeholder s WHERE s.id IN ("
            "SELECT a.stakeholder_id FROM assignment a JOIN duty d ON d.id = a.duty_id WHERE d.project_id = :p "
            "UNION SELECT ap.stakeholder_id FROM agreement_party ap JOIN agreement_version v ON v.id = ap.version_id "
            "JOIN agreement g ON g.id = v.agreement_id WHERE g.project_id = :p) ORDER BY s.key",
            {"p": pid},
        )
    ]


def _reviews(conn: Conn, pid: int, period: Period, titles: dict[str, tuple[str, str | None]]) -> list[dict[str, Any]]:
    """The partnership reviews of the project's agreements opened in the period, with their averages per area (1–5,
    to one decimal as ``coord review show`` gives them) over every party's ratings."""
    from coordkit.services.reviews import get_review

    found = []
    for (key,) in tuples(
        conn,
        "SELECT r.key FROM review r JOIN agreement_version v ON v.id = r.version_id "
        "JOIN agreement a ON a.id = v.agreement_id WHERE a.project_id = :p ORDER BY r.opened_on, r.key",
        {"p": pid},
    ):
        review = get_review(conn, str(key))
        if not period.holds(review["opened"]):
            continue
        found.append(
            {
                "key": review["key"],
                "agreement": review["agreement"],
                "version": review["version"],
                "title": titles.get(review["agreement"], ("", None))[0],
                "title_zh": titles.get(review["agreement"], ("", None))[1],
                "opened": review["opened"],
                "closed": review["closed"],
                "ratings": len(review["ratings"]),
                "parties": len({r["party"] for r in review["ratings"]}),
                "by_area": {area: float(score) for area, score in review["by_area"].items()},
            }
        )
    return found


def build_report(conn: Conn, *, root: Path, project: str, period: Period) -> dict[str, Any]:
    """Everything the report shows, as plain data (``coord report --format json`` prints it)."""
    from coordkit.services.agreements.reading import list_agreements, newest_version_ids
    from coordkit.services.checking import check_store
    from coordkit.services.concerns import read_concerns
    from coordkit.services.projects import get_project
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.services.verify import chain_head
    from coordkit.storage.documents import read_documents
    from coordkit.storage.lookup import resolve
    from coordkit.storage.meetings import read_meetings

    pid, project = resolve(conn, "project", project)  # its key, name or Chinese name
    info = get_project(conn, project)
    keys = _parties(conn, pid)
    stakeholders = list_stakeholders(conn, keys=keys) if keys else []
    letters: dict[str, dict[str, int]] = {key: {"R": 0, "A": 0} for key in keys}
    for key, letter, count in tuples(
        conn,
        "SELECT s.key, a.letter, count(DISTINCT a.duty_id) FROM assignment a JOIN duty d ON d.id = a.duty_id "
        "JOIN stakeholder s ON s.id = a.stakeholder_id WHERE d.project_id = :p AND a.letter IN ('R', 'A') "
        "AND (a.valid_from IS NULL OR a.valid_from <= :end) AND (a.valid_to IS NULL OR a.valid_to >= :end) "
        "GROUP BY s.key, a.letter",
        {"p": pid, "end": period.end},
    ):
        letters.setdefault(key, {"R": 0, "A": 0})[letter] = int(count)
    report = check_store(conn, root=root, project=project, on=period.end)
    duties = int(tuples(conn, "SELECT count(*) FROM duty WHERE project_id = :p", {"p": pid})[0][0])
    flagged = {f.subject for f in report.findings if f.rule in ("no-accountable", "multiple-accountable")}
    agreements = list_agreements(conn, project=project, on=period.end)
    docs = read_documents(conn, version_ids=newest_version_ids(conn, project=project, in_force_first=True))
    titles_zh = {doc["key"]: doc["title_zh"] for doc in docs}
    subjects = _subject_names(conn, project)
    for doc in docs:  # agreements (``AGR-1 v2``) and obligations (``AGR-1/19``, ``AGR-1/19 2024-07-31``) too
        subjects[f"{doc['key']} v{doc['version']}"] = {"subject_name": doc["title"], "subject_name_zh": doc["title_zh"]}
        for number, o in enumerate(doc["obligations"], 1):
            subjects[f"{doc['key']}/{number}"] = {"subject_name": o["text"], "subject_name_zh": o["text_zh"]}
    meetings = read_meetings(conn, project_id=pid)
    concerns = read_concerns(conn, project_id=pid)
    held = [m for m in meetings if period.holds(m["date"])]
    from coordkit.services.obligations import occurrences

    counted: dict[tuple[str, int], dict[str, int]] = {}
    for item in occurrences(conn, until=dt.date.fromisoformat(period.end), project=project):
        if period.holds(item.date.isoformat()):
            tally = counted.setdefault((item.agreement, item.number), dict.fromkeys(FULFILMENT_COUNTS, 0))
            tally[item.status] += 1
    obligations = [
        {
            "agreement": doc["key"],
            "version": doc["version"],
            "status": doc["status"],
            "number": number,
            "party": o["party"],
            "text": o["text"],
            "text_zh": o["text_zh"],
            "due": o["due"],
            "every": o["every"],
            "target": o["target"],
            "fulfilment": counted.get((doc["key"], number)),  # occurrences due in the period, by status
        }
        for doc in docs
        for number, o in enumerate(doc["obligations"], 1)
    ]
    return {
        "project": {"key": info["key"], "name": info["name"], "name_zh": info["name_zh"]},
        "period": asdict(period),
        "made": today().isoformat(),
        "parties": [
            {
                "key": s["key"],
                "name": s["name"],
                "name_zh": s["name_zh"],
                "kind": s["kind"],
                "influence": s["influence"],
                "interest": s["interest"],
                "responsible": letters.get(s["key"], {}).get("R", 0),
                "accountable": letters.get(s["key"], {}).get("A", 0),
            }
            for s in stakeholders
        ],
        "responsibility": {
            "duties": duties,
            "owned_once": duties - len(flagged),
            "checked_on": report.on,
            "errors": report.errors,
            "warnings": report.warnings,
            "by_rule": [{"rule": r, "severity": s, "count": n} for r, s, n in findings_by_rule(report.findings)],
            "findings": [
                f.as_dict() | subjects.get(f.subject, subjects.get(f.subject.split(" ")[0], NO_NAME))
                for f in report.findings
            ],
        },
        "agreements": [
            {
                "key": a["key"],
                "version": a["version"],
                "title": a["title"],
                "title_zh": titles_zh.get(a["key"]),
                "status": a["status"],
                "effective": a["effective"],
                "expires": a["expires"],
                "signatures": a["signatures"],
                "parties": a["parties"],
                "fingerprint": a["fingerprint"],
            }
            for a in agreements
        ],
        "obligations": obligations,
        "fulfilment_by_party": fulfilment_by_party(obligations),
        "reviews": _reviews(conn, pid, period, {d["key"]: (d["title"], d["title_zh"]) for d in docs}),
        "meetings": [
            {
                "key": m["key"],
                "date": m["date"],
                "place": m["place"],
                "attendees": len(m["attendees"]),
                "absent": len(m["absent"]),
                "decisions": len(m["decisions"]),
                "actions": len(m["actions"]),
                "signed_off": m["signed_off"]["date"] if m["signed_off"] else None,
            }
            for m in held
        ],
        "actions": asdict(action_figures(meetings, period)),
        "concerns": asdict(concern_figures(concerns, period)),
        "chain": chain_head(conn),
    }
