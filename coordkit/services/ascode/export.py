"""Writing the store as a workspace file, in a fixed order, so that ``apply(export(store))`` changes nothing.

An export is sealed: its second line says so, and its last line holds the
count of each entity and the SHA-256 of everything above it. A copy cut short
(an interrupted transfer, ``head``, a full disk under another tool) lost its
last line, so ``validate`` and ``apply`` refuse it instead of importing 3,999
of 10,000 duties and none of the agreements (``load.check_seal``).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from coordkit.canonical import CURRENT_FORM
from coordkit.collector import paused_collector
from coordkit.dates import iso
from coordkit.domain.agreements import AgreementDoc
from coordkit.services.ascode.shape import agreement_shape, clean, normalise
from coordkit.storage.sql import Conn, rows, tuples


def _projects(conn: Conn, project: str | None) -> list[tuple[int, str]]:
    found = sorted(((pid, pkey) for pid, pkey in tuples(conn, "SELECT id, key FROM project")), key=lambda p: p[1])
    return [(pid, pkey) for pid, pkey in found if not project or pkey == project]


def project_duties(conn: Conn, pid: int, pkey: str) -> list[dict[str, Any]]:
    """One project's duties in export shape, sorted by key, with their manual assignments."""
    from coordkit.services.duties import assignments_of, uses_of

    assigned = assignments_of(conn, pid, None)
    booked = uses_of(conn, pid, None)
    merged: dict[int, list[dict[str, Any]]] = {}
    for did, key, title, title_zh, at in tuples(
        conn,
        "SELECT duty_id, key, title, title_zh, merged_at FROM duty_alias WHERE project_id = :p ORDER BY key",
        {"p": pid},
    ):
        merged.setdefault(did, []).append({"key": key, "title": title, "title_zh": title_zh, "merged": at})
    duties = []
    for did, key, title, title_zh, category, due, exclusive in tuples(
        conn,
        "SELECT id, key, title, title_zh, category, due_on, exclusive FROM duty WHERE project_id = :p",
        {"p": pid},
    ):
        manual = [
            {"as": a["letter"], "stakeholder": a["stakeholder"], "role": a["role"], "from": a["from"], "to": a["to"]}
            for a in assigned.get(did, [])
            if a["source"] == "manual"
        ]
        duties.append(
            normalise(
                "duties",
                {
                    "project": pkey,
                    "key": key,
                    "title": title,
                    "title_zh": title_zh,
                    "category": category,
                    "due": iso(due),
                    "exclusive": True if exclusive else None,
                    "assignments": manual,
                    "uses": [dict(u) for u in booked.get(did, [])],
                    "aliases": merged.get(did, []),
                },
            )
        )
    return sorted(duties, key=lambda d: d["key"])


def _as_signed(item: dict[str, Any], doc: AgreementDoc, live: dict[str, dict[str, Any]]) -> None:
    """A frozen version's fingerprint, its form when older, and each party's frozen particulars where the
    register says otherwise now: ``apply`` freezes the same terms and must arrive at the same hash."""
    item["fingerprint"] = doc["terms_hash"]
    if doc["version"] > 1:
        item["version"] = doc["version"]
    if doc["form"] != CURRENT_FORM:
        item["form"] = doc["form"]
    if doc["form"] < 2:
        return  # form 1 froze no particulars
    for party, written in zip(doc["parties"], item["parties"], strict=True):
        frozen = {
            "name": party["name"],
            "name_zh": party["name_zh"],
            "address": party["address"],
            "legal_representative": party["legal_representative"],
            "registration_number": party["registration_number"],
            "signer": party["signer"],
            "key_fingerprint": party["key_fingerprint"],
        }
        if frozen != live.get(party["stakeholder"]):
            written["as_signed"] = {
                **{k: v for k, v in frozen.items() if k != "key_fingerprint"},
                "key": frozen["key_fingerprint"],
            }


def _keys_by_party(conn: Conn) -> dict[str, list[str]]:
    """Each party's registered public keys, oldest first (the last one is current)."""
    found: dict[str, list[str]] = {}
    for party, public_key in tuples(
        conn, "SELECT s.key, k.public_key FROM party_key k JOIN stakeholder s ON s.id = k.stakeholder_id ORDER BY k.id"
    ):
        found.setdefault(party, []).append(public_key)
    return found


def export_state(conn: Conn, *, project: str | None = None, with_duties: bool = True) -> dict[str, Any]:
    """The store as a workspace file, in a fixed order (``apply`` of it changes nothing)."""
    from coordkit.services.agreements.drafting import spec_of
    from coordkit.services.agreements.reading import newest_version_ids
    from coordkit.services.projects import categories
    from coordkit.services.roles import list_roles
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.storage.documents import live_particulars, read_documents
    from coordkit.storage.lookup import resolve

    if project:
        _pid, project = resolve(conn, "project", project)  # its key, name or Chinese name
    named = categories(conn)
    projects = [
        clean(
            {
                "key": r.key,
                "name": r.name,
                "name_zh": r.name_zh,
                "start": iso(r.starts_on),
                "end": iso(r.ends_on),
                "lead": r.lead,
                "categories": [dict(c) for _k, c in sorted(named.get(r.id, {}).items())],
            }
        )
        for r in rows(
            conn,
            "SELECT p.id, p.key, p.name, p.name_zh, p.starts_on, p.ends_on, s.key AS lead FROM project p "
            "LEFT JOIN stakeholder s ON s.id = p.lead_id ORDER BY p.key",
        )
        if not project or r.key == project
    ]
    roles: list[dict[str, Any]] = []
    duties: list[dict[str, Any]] = []
    for pid, pkey in _projects(conn, project):
        for role in list_roles(conn, project=pkey):
            holders = [{"stakeholder": h["stakeholder"], "from": h["from"], "to": h["to"]} for h in role["holders"]]
            roles.append(
                clean(
                    {
                        "project": pkey,
                        "key": role["key"],
                        "name": role["name"],
                        "name_zh": role["name_zh"],
                        "description": role["description"],
                        "holders": holders,
                    }
                )
            )
        if with_duties:
            duties.extend(project_duties(conn, pid, pkey))
    from coordkit.services.obligations import reports_of
    from coordkit.services.reviews import export_reviews

    reviews = export_reviews(conn)

    agreements = []
    live = live_particulars(conn)
    version_ids = {
        (key, int(number)): int(vid)
        for vid, key, number in tuples(
            conn, "SELECT v.id, a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id"
        )
    }
    for doc in read_documents(conn, version_ids=newest_version_ids(conn, project=project)):
        item = spec_of(doc)
        if doc["status"] != "draft":
            item["status"] = doc["status"]
        if doc["terms_hash"]:
            _as_signed(item, doc, live)
        item["signatures"] = [
            {
                "party": s["party"],
                "signatory": s["signatory"],
                "title": s["title"],
                "date": s["date"],
                "method": s["method"],
                "key": s["key_fingerprint"],
                "key_signature": s["key_signature"],
                "scan": s["scan_name"],
            }
            for s in doc["signatures"]
        ]
        if doc["status"] != "draft":
            item["fulfilment"] = reports_of(conn, version_ids[(doc["key"], doc["version"])])
            item["reviews"] = reviews.get((doc["key"], doc["version"]), [])
        item["terminated_on"] = doc["terminated_on"]
        item["termination_reason"] = doc["termination_reason"]
        agreements.append(clean(agreement_shape(item)))
    meetings, interactions, concerns = follow_up(conn, project)
    wanted: set[str] | None = None
    if project:
        wanted = (
            {p.get("lead") for p in projects if p.get("lead")}
            | {h["stakeholder"] for r in roles for h in r.get("holders", [])}
            | {a["stakeholder"] for d in duties for a in d.get("assignments", []) if "stakeholder" in a}
            | {p["stakeholder"] for a in agreements for p in a["parties"]}
            | {party for m in meetings for party in _meeting_parties(m)}
            | {i["party"] for i in interactions}
            | {party for c in concerns for party in (c["by"], c["against"], *(s["to"] for s in c["steps"] if s["to"]))}
        )
    stakeholders = []
    registered = _keys_by_party(conn)
    for s in list_stakeholders(conn):
        if wanted is not None and s["key"] not in wanted:
            continue
        stakeholders.append({**s, "keys": registered.get(s["key"], [])})
    from coordkit.services.resources import list_resources, resource_fields

    if project:
        resources: list[dict[str, Any]] = [
            {k: v for k, v in r.items() if k != "calendar"}
            for r in list_resources(conn)
            if any(b["project"] == project for b in r["calendar"])
            or any(u["resource"] == r["key"] for d in duties for u in d.get("uses", []))
        ]
    else:
        resources = [dict(r) for r in resource_fields(conn)]  # every one: no calendars needed
    state: dict[str, Any] = {"version": 1}
    for entity, items in (
        ("projects", projects),
        ("stakeholders", stakeholders),
        ("resources", resources),
        ("roles", roles),
        ("duties", duties),
        ("agreements", agreements),
        ("meetings", meetings),
        ("interactions", interactions),
        ("concerns", concerns),
    ):
        normal = [normalise(entity, item) for item in items]
        state[entity] = sorted(normal, key=lambda item: (item.get("project", ""), item["key"]))
    return state


SEAL_ENTITIES = ("projects", "stakeholders", "roles", "duties", "agreements", "meetings", "interactions", "concerns")
SEALED = "# coord export: the last line seals it (counts and SHA-256); a copy without that line was cut short\n"
SEAL_PREFIX = "# coord export end:"
SEAL_RE = re.compile(
    r"# coord export end: "
    + " ".join(rf"{entity}=(?P<{entity}>\d+)" for entity in SEAL_ENTITIES)
    + r"(?: resources=(?P<resources>\d+))?"  # written only when the store registers resources (issue 19)
    + r" sha256=(?P<sha256>[0-9a-f]{64})\n?"
)


def seal(body: str, counts: dict[str, int]) -> str:
    """The last line of an export: how many of each entity it holds, and the SHA-256 of ``body`` (all above)."""
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    numbers = " ".join(f"{entity}={counts.get(entity, 0)}" for entity in SEAL_ENTITIES)
    if counts.get("resources"):
        numbers += f" resources={counts['resources']}"
    return f"{SEAL_PREFIX} {numbers} sha256={digest}\n"


@paused_collector()
def export_yaml(conn: Conn, *, project: str | None = None) -> str:
    """The export as YAML, sealed. For the whole store, duties are written a project at a time, so that the
    largest table never sits in memory as Python objects all at once (the text is the same)."""
    from coordkit.yamlio import dump  # texts of several lines as literal blocks

    header = "# yaml-language-server: $schema=coord-workspace.schema.json\n" + SEALED
    if project:
        state = export_state(conn, project=project)
        if not state["resources"]:
            state.pop("resources")  # files without registered resources read as before
        body = header + dump(state)
        return body + seal(body, {entity: len(state.get(entity, [])) for entity in (*SEAL_ENTITIES, "resources")})
    state = export_state(conn, with_duties=False)
    counts = {entity: len(state[entity]) for entity in (*SEAL_ENTITIES, "resources")}
    parts = [header, dump({"version": 1})]
    for entity in SEAL_ENTITIES:
        if entity == "roles" and state["resources"]:
            parts.append("resources:\n" + dump(state["resources"]))
        if entity == "duties":
            chunks = []
            counts["duties"] = 0
            for pid, pkey in _projects(conn, None):
                duties = project_duties(conn, pid, pkey)
                counts["duties"] += len(duties)
                if duties:
                    chunks.append(dump(duties))
            parts.append("duties:\n" + "".join(chunks) if chunks else "duties: []\n")
        elif state[entity]:
            parts.append(f"{entity}:\n" + dump(state[entity]))
        else:
            parts.append(f"{entity}: []\n")
    body = "".join(parts)
    return body + seal(body, counts)


def _meeting_parties(meeting: dict[str, Any]) -> list[str]:
    return [
        meeting["chair"]["party"],
        *(a["party"] for a in meeting["attendees"]),
        *meeting["absent"],
        *(a["owner"] for a in meeting["actions"]),
    ]


def follow_up(
    conn: Conn, project: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Meetings, contacts and concerns in export shape (of one project when ``project`` is given)."""
    from coordkit.services.concerns import read_concerns
    from coordkit.services.meetings import meeting_spec
    from coordkit.storage.meetings import read_meetings

    pid = None
    if project:
        from coordkit.storage.lookup import lookup_id

        pid = lookup_id(conn, "project", project, "project")
    meetings = [meeting_spec(m) for m in read_meetings(conn, project_id=pid)]
    interactions = [
        dict(i) for i in sorted(_all_contacts(conn), key=lambda i: i["key"]) if not project or i["project"] == project
    ]
    concerns = [
        {
            "key": c["key"],
            "project": c["project"],
            "by": c["by"],
            "against": c["against"],
            "about": c["about"],
            "severity": c["severity"],
            "text": c["text"],
            "opened": c["opened"],
            "steps": [dict(step) for step in c["steps"]],
        }
        for c in read_concerns(conn, project_id=pid)
    ]
    return meetings, interactions, concerns


def _all_contacts(conn: Conn) -> list[dict[str, Any]]:
    """Every contact of the store, whatever project is current (an export is of the whole store or one project)."""
    return [
        {"key": key, "party": party, "project": pkey, "date": iso(on), "channel": channel, "summary": summary, "by": by}
        for key, party, pkey, on, channel, summary, by in tuples(
            conn,
            "SELECT i.key, s.key, p.key, i.happened_on, i.channel, i.summary, i.by_person FROM interaction i "
            "JOIN stakeholder s ON s.id = i.stakeholder_id LEFT JOIN project p ON p.id = i.project_id",
        )
    ]
