"""Checking files without any store: the rules run over a snapshot built from the files' content."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coordkit.canonical import CURRENT_FORM, compute_hash, fingerprint
from coordkit.domain.agreements import AgreementDoc, Party, Target, Text, assignment_window, obligation_letters
from coordkit.domain.kinds import kind_names
from coordkit.services.ascode.load import Known, Loaded, check_references, load
from coordkit.vocab import PARTY_LABELS


def validate_files(paths: Sequence[Path], *, on: str | None) -> tuple[Loaded, Any]:
    """Check files without any store: syntax, schema, references, then the rules over their content.

    Without ``on``: today, or the last day of projects that have all ended (``report.note`` says so).
    """
    from dataclasses import replace

    from coordkit.checks import run_rules
    from coordkit.checks.config import CheckConfig
    from coordkit.checks.when import day_to_check
    from coordkit.dates import today

    loaded = load(paths)
    check_references(loaded, Known.of(loaded.items))
    snapshot = snapshot_of(loaded.items)
    now = today().isoformat()
    day, note = (on, "") if on else day_to_check(snapshot.projects.values(), now)
    report = run_rules(snapshot, on=day, explicit_on=False, config=CheckConfig(), today=now)
    return loaded, replace(report, note=note)


def snapshot_of(items: dict[str, list[dict[str, Any]]]) -> Any:
    """The rules' snapshot built from file content, as the store would hold it after ``apply``."""
    from coordkit.checks.snapshot import (
        DutyRow,
        Effective,
        PartyRow,
        ProjectRow,
        RoleAssignment,
        Snapshot,
        intersect,
    )

    projects = {
        i: ProjectRow(i, p["key"], p.get("start"), p.get("end"), p.get("lead"))
        for i, p in enumerate(items["projects"], 1)
    }
    project_ids = {p.key: i for i, p in projects.items()}
    duties = [
        DutyRow(i, project_ids[d["project"]], d["key"], d["title"], d.get("category"), d.get("title_zh"))
        for i, d in enumerate(items["duties"], 1)
    ]
    duty_ids = {f"{d['project']}/{d['key']}": i for i, d in enumerate(items["duties"], 1)}
    holders = {f"{r['project']}/{r['key']}": r.get("holders", []) for r in items["roles"]}
    roles = {(project_ids[r["project"]], r["key"]): r["name"] for r in items["roles"]}
    effective: list[Effective] = []
    role_assignments: list[RoleAssignment] = []
    for d in items["duties"]:
        did = duty_ids[f"{d['project']}/{d['key']}"]
        for a in d.get("assignments", []):
            if "stakeholder" in a:
                effective.append(Effective(did, a["stakeholder"], a["as"], a.get("from"), a.get("to"), None, None))
                continue
            role_assignments.append(RoleAssignment(did, a["role"], a["as"], a.get("from"), a.get("to"), None))
            for h in holders.get(f"{d['project']}/{a['role']}", []):
                window = intersect(a.get("from"), a.get("to"), h.get("from"), h.get("to"))
                if window:
                    effective.append(Effective(did, h["stakeholder"], a["as"], window[0], window[1], a["role"], None))
    names = {s["key"]: s for s in items["stakeholders"]}
    docs = []
    for a in items["agreements"]:
        doc = document_of(a, names)
        docs.append(doc)
        window = assignment_window(doc["effective"], doc["expires"], ends_on=doc["terminated_on"])
        if doc["status"] not in ("signed", "terminated") or window is None:
            continue
        for item in obligation_letters(doc["obligations"]):
            linked = duty_ids.get(f"{doc['project']}/{item.duty}")
            if linked is not None:
                effective.append(
                    Effective(linked, item.party, item.letter, window[0], window[1], None, f"{doc['key']} v1")
                )
    party_rows = {
        key: PartyRow(key, s["name"], s.get("active", True), len(s.get("contacts", [])), s.get("name_zh"))
        for key, s in names.items()
    }
    snapshot = Snapshot(projects, duties, effective, role_assignments, party_rows, roles, docs)
    for a, doc in zip(items["agreements"], docs, strict=True):
        for report in a.get("fulfilment", []):
            occurrence = str(report["occurrence"])
            snapshot.fulfilment[(doc["key"], doc["version"], int(report["obligation"]), occurrence)] = report["status"]
        opened = [str(review["opened"]) for review in a.get("reviews", [])]
        if opened:
            snapshot.last_reviews[doc["key"]] = max(opened)
    snapshot.follow_up = True  # files carry their fulfilment and reviews
    _follow_up_of(items, snapshot, project_ids, duty_ids)
    return snapshot


def _follow_up_of(
    items: dict[str, list[dict[str, Any]]], snapshot: Any, project_ids: dict[str, int], duty_ids: dict[str, int]
) -> None:
    """Meetings, their actions (and the letters they give), contacts and pending concerns of the files."""
    from coordkit.checks.snapshot import ActionRow, ConcernRow, ContactRow, Effective, MeetingRow
    from coordkit.domain.concerns import replay, step_record
    from coordkit.domain.meetings import action_ref, action_window

    for m in sorted(items["meetings"], key=lambda m: (m["date"], m["key"])):
        pid = project_ids[m["project"]]
        snapshot.meetings.append(
            MeetingRow(pid, m["key"], m["date"], tuple(a["party"] for a in m.get("attendees", [])))
        )
        for number, a in enumerate(m.get("actions", []), 1):
            snapshot.actions.append(ActionRow(pid, m["key"], number, a["text"], a["owner"], a["due"], a.get("done")))
            linked = duty_ids.get(f"{m['project']}/{a.get('duty')}")
            if linked is not None:
                start, end = action_window(m["date"], a["due"])
                ref = action_ref(m["key"], number)
                snapshot.effective.append(Effective(linked, a["owner"], a["as"], start, end, None, None, ref))
    for c in items["interactions"]:
        snapshot.contacts.append(ContactRow(project_ids.get(c.get("project") or ""), c["party"], c["date"]))
    for c in items["concerns"]:
        steps = [step_record(step) for step in c.get("steps", [])]
        state = replay(c["key"], against=c["against"], opened=c["opened"], steps=steps)
        if state.status in ("open", "acknowledged"):
            snapshot.concerns.append(
                ConcernRow(
                    project_ids[c["project"]],
                    c["key"],
                    c.get("severity", "medium"),
                    state.status,
                    state.holder,
                    c["about"],
                    state.clock_from,
                    state.acknowledged,
                )
            )


def texts(items: list[Any]) -> list[Text]:
    return [
        {"text": t, "text_zh": None} if isinstance(t, str) else {"text": t["text"], "text_zh": t.get("text_zh")}
        for t in items
    ]


def target_of(target: dict[str, Any] | None) -> Target | None:
    if not target:
        return None
    return {
        "amount": str(target["amount"]),
        "unit": target["unit"],
        "each_min": target.get("each_min"),
        "each_unit": target.get("each_unit"),
    }


def party_of(given: dict[str, Any], index: int, names: dict[str, dict[str, Any]]) -> Party:
    """A party of a file as a draft names it: the register's particulars of that stakeholder."""
    known = names.get(given["stakeholder"], {})
    reps = known.get("representatives", [])
    return {
        "stakeholder": given["stakeholder"],
        "label": given.get("label") or PARTY_LABELS[index % len(PARTY_LABELS)],
        "name": known.get("name", given["stakeholder"]),
        "name_zh": known.get("name_zh"),
        "address": known.get("address"),
        "legal_representative": known.get("legal_representative"),
        "registration_number": known.get("registration_number"),
        "signer": {"name": reps[0]["name"], "title": reps[0].get("title")} if reps else None,
        "key_fingerprint": None,
    }


def document_of(item: dict[str, Any], names: dict[str, dict[str, Any]]) -> AgreementDoc:
    """An agreement of a file as the store would hold it once applied (version 1; the status the
    signatures make: a version every party has signed is signed)."""
    signed = {sig["party"] for sig in item.get("signatures", [])}
    parties = [p["stakeholder"] for p in item.get("parties", [])]
    status = item.get("status") or ("circulating" if signed else "draft")
    if status in ("draft", "circulating") and signed and signed == set(parties):
        status = "signed"
    kind = item.get("kind", "activity")
    doc: AgreementDoc = {
        "key": item["key"],
        "version": 1,
        "versions": 1,
        "project": item["project"],
        "kind": kind,
        "kind_name": kind_names(kind)[0],
        "kind_name_zh": kind_names(kind)[1],
        "title": item["title"],
        "title_zh": item.get("title_zh"),
        "status": status,
        "effective": item.get("effective"),
        "expires": item.get("expires"),
        "notice": item.get("notice"),
        "renewal": item.get("renewal", "none"),
        "review_every": item.get("review_every"),
        "languages": item.get("languages", ["en"]),
        "form": CURRENT_FORM,
        "terms_hash": None,
        "fingerprint": None,
        "envelope_hash": None,
        "frozen_at": None,
        "terminated_on": item.get("terminated_on"),
        "termination_reason": item.get("termination_reason"),
        "notes": item.get("notes"),
        "superseded_by": None,
        "parties": [party_of(p, i, names) for i, p in enumerate(item.get("parties", []))],
        "goals": texts(item.get("goals", [])),
        "methods": texts(item.get("methods", [])),
        "dispute_resolution": texts(item.get("dispute_resolution", [])),
        "communication": texts(item.get("communication", [])),
        "clauses": [
            {"section": c["section"], "text": c["text"], "text_zh": c.get("text_zh")} for c in item.get("clauses", [])
        ],
        "rights": [
            {"party": r["party"], "text": r["text"], "text_zh": r.get("text_zh")} for r in item.get("rights", [])
        ],
        "obligations": [
            {
                "party": o["party"],
                "text": o["text"],
                "text_zh": o.get("text_zh"),
                "duty": o.get("duty"),
                "as": (o.get("as") or "R") if o.get("duty") else None,
                "due": o.get("due"),
                "every": o.get("every") if isinstance(o.get("every"), str | None) else ", ".join(o["every"]),
                "target": target_of(o.get("target")),
            }
            for o in item.get("obligations", [])
        ],
        "resources": [
            {
                "party": r["party"],
                "kind": r["kind"],
                "description": r.get("description"),
                "description_zh": r.get("description_zh"),
                "amount": r.get("amount"),
                "unit": r.get("unit"),
                "resource": r.get("resource"),
                "when": r.get("when"),
            }
            for r in item.get("resources", [])
        ],
        "signatures": [],
        "unsigned": [p for p in parties if p not in signed],
    }
    if status != "draft":  # frozen from circulation on
        doc["terms_hash"] = compute_hash(doc)
        doc["fingerprint"] = fingerprint(doc["terms_hash"])
    return doc


def file_subject_names(items: dict[str, list[dict[str, Any]]]) -> dict[tuple[str | None, str], tuple[str, str | None]]:
    """What ``coordkit.services.checking.subject_names`` gives for a store, from file content: coord validate's
    findings read with names as coord check's do (parties, then resources, then projects; duties by project)."""
    names: dict[tuple[str | None, str], tuple[str, str | None]] = {}
    for entity, label in (("stakeholders", "name"), ("resources", "name"), ("projects", "name")):
        for item in items.get(entity, []):
            if item.get(label):
                names.setdefault((None, str(item["key"])), (str(item[label]), item.get(f"{label}_zh")))
    for duty in items.get("duties", []):
        if duty.get("title"):
            names[(str(duty.get("project")), str(duty["key"]))] = (str(duty["title"]), duty.get("title_zh"))
    return names
