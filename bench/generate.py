"""Deterministic data at scale for the benchmark (and for anyone who wants to try coord big).

``generate(path, scale)`` makes a coord store with seeded random data, written
with bulk statements. The reference scale is the one the issues name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Scale:
    stakeholders: int
    projects: int
    duties: int
    assignments: int
    agreements: int
    meetings: int = 0  # joint meetings (two action items each) and as many logged contacts
    concerns: int = 0


SCALES = {
    "reference": Scale(
        stakeholders=2000,
        projects=200,
        duties=10_000,
        assignments=100_000,
        agreements=1000,
        meetings=2000,
        concerns=10_000,
    ),
    "small": Scale(stakeholders=60, projects=4, duties=120, assignments=1200, agreements=12, meetings=20, concerns=100),
    # a small workspace with many agreements, for the "100 agreements to PDF" figure
    "pdf": Scale(stakeholders=60, projects=4, duties=120, assignments=1200, agreements=100),
    "pdf-small": Scale(stakeholders=20, projects=2, duties=20, assignments=100, agreements=4),
}
VERBS = (
    ("Plan", "策划"),
    ("Run", "开展"),
    ("Publicise", "宣传"),
    ("Fund", "资助"),
    ("Staff", "安排人手参与"),
    ("Report on", "汇报"),
    ("Host", "承办"),
    ("Evaluate", "评估"),
    ("Record", "记录"),
    ("Supervise", "监督"),
    ("Clean up after", "清理"),
    ("Insure", "投保"),
    ("Translate", "翻译"),
    ("Photograph", "拍摄"),
    ("Recruit volunteers for", "招募志愿者参加"),
    ("Secure permits for", "办理审批"),
    ("Cater", "供餐"),
    ("Advertise", "推广"),
    ("Schedule", "排期"),
    ("Audit", "审计"),
)
OBJECTS = (
    ("the public-welfare market", "公益市集"),
    ("the heritage workshop", "非遗工作坊"),
    ("the dragon-boat race", "龙舟赛"),
    ("the elderly canteen", "长者饭堂"),
    ("the youth football league", "青少年足球联赛"),
    ("the calligraphy class", "书法班"),
    ("the river clean-up", "河涌清洁"),
    ("the lantern festival", "灯会"),
    ("the reading room", "阅览室"),
    ("the health fair", "健康义诊"),
    ("the job fair", "招聘会"),
    ("the cooking class", "烹饪课"),
    ("the film night", "露天电影"),
    ("the garden plots", "社区菜园"),
    ("the repair café", "维修集市"),
    ("the choir", "合唱团"),
    ("the chess club", "象棋社"),
    ("the safety patrol", "安全巡逻"),
    ("the recycling drive", "垃圾分类"),
    ("the homework club", "四点半课堂"),
    ("the tea house", "茶居"),
    ("the photo exhibition", "摄影展"),
    ("the oral-history archive", "口述历史档案"),
    ("the newsletter", "社区简报"),
    ("the flea market", "跳蚤市场"),
    ("the dance troupe", "舞蹈队"),
    ("the blood drive", "献血活动"),
    ("the tree planting", "植树活动"),
    ("the street art wall", "街头涂鸦墙"),
    ("the night market", "夜市"),
)
"""Duty titles are a verb and an object (600 of them): a project of 50 duties draws about two identical titles,
the near-duplicates ``similar-duties`` is for; the rest differ in the work named."""
VENUES = ("square", "hall", "room")
SLOTS = (
    "monthly first sat 09:00-12:00",
    "monthly second sat 09:00-17:00",
    "weekly sun 14:00-17:00",
    "weekly wed 19:00-21:00",
    "monthly last sun",
)
CATEGORIES = ("markets", "courses", "teaching", "heritage", "venues", "reporting", "volunteers", "funding")
CATEGORIES_ZH = ("公益市集", "公益课程", "教学", "非遗传承", "场地", "报告", "志愿服务", "经费")


def generate(path: Path, scale: Scale, seed: int = 2024) -> Path:
    """Write a new store in the folder ``path`` and return its coord.db."""
    from coordkit.storage import events
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import from_path
    from coordkit.storage.sql import executemany
    from coordkit.vocab import STAKEHOLDER_KINDS as KINDS

    path.mkdir(parents=True, exist_ok=True)
    location = from_path(path / "coord.db", "bench")
    assert location.path is not None
    if location.path.exists():
        raise SystemExit(f"{location.path} exists; remove it first")
    rng = random.Random(seed)
    substance = random.Random(seed + 19)  # titles, resources and slots (issue 19): the other rows stay as they were
    store = open_store(location, create=True)
    stakeholders = [
        {
            "id": i + 1,
            "key": f"org-{i:05d}",
            "name": f"Organisation {i}",
            "name_zh": f"组织{i}",
            "kind": KINDS[i % len(KINDS)],
            "influence": rng.randint(1, 5),
            "interest": rng.randint(1, 5),
            "interests": "venues; funding; volunteers",
            "active": True,
        }
        for i in range(scale.stakeholders)
    ]
    contacts = [
        {"stakeholder_id": s["id"], "channel": "phone", "value": f"020-{s['id']:08d}", "position": 0}
        for s in stakeholders
        if s["id"] % 10  # every tenth party has no way to be reached
    ]
    reps = [
        {"stakeholder_id": s["id"], "name": f"Rep {s['id']}", "title": "Director", "position": 0} for s in stakeholders
    ]
    projects, roles, holders, duties, assignments, categories = [], [], [], [], [], []
    members_of: dict[int, list[int]] = {}
    duties_of: dict[int, list[int]] = {}
    per_project = max(scale.duties // scale.projects, 1)
    per_duty = max(scale.assignments // scale.duties, 1)
    role_id = 0
    for p in range(scale.projects):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        projects.append(
            {
                "id": p + 1,
                "key": f"project-{p:04d}",
                "name": f"Project {p}",
                "name_zh": f"项目{p}",
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=730),
                "lead_id": rng.randint(1, scale.stakeholders),
            }
        )
        categories += [
            {"project_id": p + 1, "key": key, "name": key.capitalize(), "name_zh": name_zh}
            for key, name_zh in zip(CATEGORIES, CATEGORIES_ZH, strict=True)
        ]
        members = rng.sample(range(1, scale.stakeholders + 1), min(30, scale.stakeholders))
        members_of[p + 1] = members
        project_roles = []
        for r in range(5):
            role_id += 1
            project_roles.append(role_id)
            roles.append(
                {"id": role_id, "project_id": p + 1, "key": f"role-{r}", "name": f"Role {r}", "description": None}
            )
            for holder in rng.sample(members, 2):
                holders.append({"role_id": role_id, "stakeholder_id": holder, "valid_from": None, "valid_to": None})
        for d in range(per_project):
            duty_id = len(duties) + 1
            duties_of.setdefault(p + 1, []).append(duty_id)
            verb, thing = substance.choice(VERBS), substance.choice(OBJECTS)
            duties.append(
                {
                    "id": duty_id,
                    "project_id": p + 1,
                    "key": f"duty-{d:04d}",
                    "title": f"{verb[0]} {thing[0]}",
                    "title_zh": f"{verb[1]}{thing[1]}",
                    "category": CATEGORIES[d % len(CATEGORIES)],
                    "due_on": None,
                }
            )
            roll = rng.random()
            letters = ["A", "R"] if roll > 0.1 else (["R"] if roll > 0.05 else ["A", "A", "R"])
            letters += rng.choices("RCI", k=per_duty - len(letters))
            parties = rng.sample(members, len(letters))
            taken: set[tuple[int, str]] = set()  # a role holds a letter once per duty, as coord requires
            for letter, party in zip(letters, parties, strict=True):
                through_role = rng.random() < 0.1
                windowed = rng.random() < 0.2
                role = rng.choice(project_roles) if through_role else None
                if role is not None and (role, letter) in taken:
                    role = None
                if role is not None:
                    taken.add((role, letter))
                assignments.append(
                    {
                        "duty_id": duty_id,
                        "stakeholder_id": None if role is not None else party,
                        "role_id": role,
                        "letter": letter,
                        "valid_from": start if windowed else None,
                        "valid_to": start + dt.timedelta(days=rng.randint(30, 700)) if windowed else None,
                        "source": "manual",
                        "agreement_key": None,
                        "agreement_version": None,
                    }
                )
    agreements, versions, parties, terms, obligations, resources = [], [], [], [], [], []
    signed_versions = []
    for a in range(scale.agreements):
        project_id = a % scale.projects + 1
        start = projects[project_id - 1]["starts_on"]
        roll = rng.random()
        status = "signed" if roll < 0.6 else ("circulating" if roll < 0.8 else "draft")
        agreements.append(
            {
                "id": a + 1,
                "key": f"AGR-{2024 + a % 2}-{a:04d}",
                "project_id": project_id,
                "kind": "activity",
                "created_at": "2024-01-01T00:00:00+00:00",
            }
        )
        versions.append(
            {
                "id": a + 1,
                "agreement_id": a + 1,
                "number": 1,
                "title": f"Activity agreement {a}",
                "title_zh": f"活动协议{a}",
                "status": "circulating" if status == "signed" else status,
                "effective": start,
                "expires": start + dt.timedelta(days=365),
                "review_every": "6m",
                "languages": "en,zh",
                "terms_hash": None,
                "frozen_at": None,
                "terminated_on": None,
                "termination_reason": None,
            }
        )
        signers = rng.sample(members_of[project_id], 3)
        for position, sid in enumerate(signers):
            parties.append(
                {"version_id": a + 1, "stakeholder_id": sid, "label": f"Party {'ABC'[position]}", "position": position}
            )
        clauses = [
            ("goal", "Residents serve their community", "居民服务社区"),
            ("goal", "A market every month", "每月举办一次市集"),
            ("method", "Stalls run by residents", "摊位由居民经营"),
            ("dispute", "Mediation by the street office", "由街道办事处调解"),
        ]
        for position, (section, text, text_zh) in enumerate(clauses):
            terms.append(
                {
                    "version_id": a + 1,
                    "section": section,
                    "stakeholder_id": None,
                    "text": text,
                    "text_zh": text_zh,
                    "position": position,
                }
            )
        terms.append(
            {
                "version_id": a + 1,
                "section": "right",
                "stakeholder_id": signers[0],
                "text": "Use the square on market days",
                "text_zh": "市集日使用广场",
                "position": len(clauses),
            }
        )
        for position, duty_id in enumerate(rng.sample(duties_of[project_id], 3)):
            obligations.append(
                {
                    "version_id": a + 1,
                    "stakeholder_id": signers[position],
                    "text": f"Carry duty {duty_id}",
                    "text_zh": f"承担职责{duty_id}",
                    "duty_id": duty_id,
                    "letter": "RAC"[position],
                    "due_on": None,
                    "every": "3m"
                    if position == 0
                    else None,  # a quarterly report: what coord due and the calendar list
                    "position": position,
                }
            )
        resources.append(
            {
                "version_id": a + 1,
                "stakeholder_id": signers[0],
                "kind": "funds",
                "amount": "50000",
                "unit": "CNY",
                "position": 0,
                "resource_key": f"fund-{signers[0]:05d}",
                "slot": None,
            }
        )
        resources.append(
            {
                "version_id": a + 1,
                "stakeholder_id": signers[1],
                "kind": "venue",
                "amount": None,
                "unit": None,
                "position": 1,
                "resource_key": f"{VENUES[a % len(VENUES)]}-{project_id:04d}",
                "slot": substance.choice(SLOTS),
            }
        )
        if status == "signed":
            signed_versions.append((a + 1, signers))
    registered, uses = _resources(substance, scale, projects, duties)
    tables = (
        ("stakeholder", stakeholders),
        ("contact", contacts),
        ("representative", reps),
        ("project", projects),
        ("role", roles),
        ("role_holder", holders),
        ("project_category", categories),
        ("duty", duties),
        ("assignment", assignments),
        ("agreement", agreements),
        ("agreement_version", versions),
        ("agreement_party", parties),
        ("agreement_term", terms),
        ("agreement_obligation", obligations),
        ("agreement_resource", resources),
        ("resource", registered),
        ("duty_resource", uses),
    )
    with store.write() as conn:
        for table, rows in tables:
            if rows:
                columns = list(rows[0])
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
                executemany(conn, sql, rows)
        _sign(conn, signed_versions)
        _follow_up(conn, scale, seed, projects, members_of, duties, duties_of)
        events.record(
            conn,
            action="bench.generate",
            entity="store",
            key=str(location.path),
            after={"seed": seed, **scale.__dict__},
        )
    store.dispose()
    return location.path


def _resources(
    rng: random.Random, scale: Scale, projects: list[dict[str, Any]], duties: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A square, a hall and a room per project (capacity 1, 2, 1), a fund per party (budget 100,000 CNY: two
    agreements' 50,000 fit, a third does not); one duty in ten books its project's venue with a slot."""
    registered: list[dict[str, Any]] = []
    for project in projects:
        for venue, capacity in zip(VENUES, (1, 2, 1), strict=True):
            key = f"{venue}-{project['id']:04d}"
            registered.append(
                {
                    "key": key,
                    "name": f"{venue.capitalize()} of project {project['id']}",
                    "name_zh": None,
                    "capacity": capacity,
                    "owner_id": None,
                    "budget": None,
                    "unit": None,
                }
            )
    for sid in range(1, scale.stakeholders + 1):
        registered.append(
            {
                "key": f"fund-{sid:05d}",
                "name": f"Fund of organisation {sid}",
                "name_zh": None,
                "capacity": 1,
                "owner_id": sid,
                "budget": "100000",
                "unit": "CNY",
            }
        )
    ids = {r["key"]: i + 1 for i, r in enumerate(registered)}
    for row, number in zip(registered, ids.values(), strict=True):
        row["id"] = number
    uses = []
    for duty in duties:
        if rng.random() < 0.1:
            venue = f"{rng.choice(VENUES)}-{duty['project_id']:04d}"
            uses.append(
                {"duty_id": duty["id"], "resource_id": ids[venue], "slot": rng.choice(SLOTS), "units": 1, "position": 1}
            )
    return registered, uses


def _sign(conn: Any, signed_versions: list[tuple[int, list[int]]]) -> None:
    """Freeze, hash, sign and seal the versions meant to be signed exactly as coord does (particulars copied at
    circulation, canonical form 2, envelopes, duties from obligations), and record the history of every
    agreement and party as events, so that ``coord verify`` has a whole store to prove."""
    from coordkit.canonical import CURRENT_FORM, compute_hash
    from coordkit.storage import events
    from coordkit.storage.documents import read_documents
    from coordkit.storage.proofdata import seal_envelope
    from coordkit.storage.sql import execute, tuples

    stamp = "2024-01-01T00:00:00+00:00"
    frozen = [vid for (vid,) in tuples(conn, "SELECT id FROM agreement_version WHERE status <> 'draft'")]
    for vid in frozen:  # what circulation copies: each party's particulars as they stand
        execute(
            conn,
            "UPDATE agreement_party SET name = (SELECT s.name FROM stakeholder s WHERE s.id = stakeholder_id), "
            "name_zh = (SELECT s.name_zh FROM stakeholder s WHERE s.id = stakeholder_id) WHERE version_id = :v",
            {"v": vid},
        )
        execute(conn, "UPDATE agreement_version SET canonical_form = :f WHERE id = :v", {"f": CURRENT_FORM, "v": vid})
    by_id = dict(signed_versions)
    docs = {doc["key"]: doc for doc in read_documents(conn, version_ids=frozen)}
    keys = dict(tuples(conn, "SELECT id, key FROM agreement"))
    for vid in frozen:
        doc = docs[keys[vid]]  # version id = agreement id in generated data
        digest = compute_hash(doc)
        execute(
            conn,
            "UPDATE agreement_version SET terms_hash = :h, frozen_at = :t WHERE id = :v",
            {"h": digest, "t": stamp, "v": vid},
        )
        for sid in by_id.get(vid, []):
            execute(
                conn,
                "INSERT INTO signature (version_id, stakeholder_id, signatory, signed_on, method, terms_hash, "
                "recorded_at) VALUES (:v, :s, 'Signatory', :d, 'signature+seal', :h, :t)",
                {"v": vid, "s": sid, "d": doc["effective"], "h": digest, "t": stamp},
            )
        if vid in by_id:
            execute(conn, "UPDATE agreement_version SET status = 'signed' WHERE id = :v", {"v": vid})
            execute(
                conn,
                "INSERT INTO assignment (duty_id, stakeholder_id, letter, valid_from, valid_to, source, "
                "agreement_key, agreement_version) SELECT duty_id, stakeholder_id, letter, :f, :e, 'agreement', :k, 1 "
                "FROM agreement_obligation WHERE version_id = :v AND duty_id IS NOT NULL",
                {"f": doc["effective"], "e": doc["expires"], "k": doc["key"], "v": vid},
            )
        seal_envelope(conn, vid)
    history = [
        {"action": "stakeholder.add", "entity": "stakeholder", "key": key, "after": {"key": key, "name": name}}
        for key, name in tuples(conn, "SELECT key, name FROM stakeholder ORDER BY id")
    ]
    history += [
        {"action": "duty.add", "entity": "duty", "key": f"{project}/{key}", "after": {"key": key, "title": title}}
        for project, key, title in tuples(
            conn, "SELECT p.key, d.key, d.title FROM duty d JOIN project p ON p.id = d.project_id ORDER BY d.id"
        )
    ]
    history += [  # one event per assignment, as `coord duty assign` writes it: the chain verify walks is whole
        {
            "action": "duty.assign",
            "entity": "assignment",
            "key": f"{duty}/{party}/{letter}",
            "after": {"duty": duty, "party": party, "letter": letter, "from": start, "to": end},
        }
        for duty, party, letter, start, end in tuples(
            conn,
            "SELECT d.key, COALESCE(s.key, 'role:' || r.key), a.letter, a.valid_from, a.valid_to FROM assignment a "
            "JOIN duty d ON d.id = a.duty_id LEFT JOIN stakeholder s ON s.id = a.stakeholder_id "
            "LEFT JOIN role r ON r.id = a.role_id WHERE a.source = 'manual' ORDER BY a.id",
        )
    ]
    history += [
        {"action": "agreement.new", "entity": "agreement", "key": doc["key"], "after": doc}
        for doc in read_documents(conn)
    ]
    events.record_many(conn, history)


def _follow_up(
    conn: Any,
    scale: Scale,
    seed: int,
    projects: list[dict[str, Any]],
    members_of: dict[int, list[int]],
    duties: list[dict[str, Any]],
    duties_of: dict[int, list[int]],
) -> None:
    """Joint meetings (signed off, with actions; a quarter of the actions give a letter), one contact per meeting,
    and concerns at every stage of their life, with a random sequence of their own (the tables above keep theirs)."""
    from coordkit.domain.concerns import replay, stamp, step_record
    from coordkit.domain.meetings import minutes_hash
    from coordkit.storage.sql import executemany, tuples

    if not scale.meetings and not scale.concerns:
        return
    rng = random.Random(seed + 15)
    # an action's letter must not double one its owner holds (coord refuses it): C only where there is none
    taken = set(tuples(conn, "SELECT duty_id, stakeholder_id FROM assignment WHERE letter = 'C'"))

    def key(sid: int) -> str:
        return f"org-{sid - 1:05d}"

    meetings, attendees, items, actions, assignments, contacts = [], [], [], [], [], []
    for m in range(scale.meetings):
        pid = m % len(projects) + 1
        project = projects[pid - 1]
        held = project["starts_on"] + dt.timedelta(days=30 * (m // len(projects)) + rng.randint(0, 20))
        people = rng.sample(members_of[pid], 7)
        chair, present, away = people[0], people[:6], people[6:]
        record: dict[str, Any] = {
            "project": project["key"],
            "key": held.isoformat(),
            "date": held.isoformat(),
            "place": "Community centre",
            "title": None,
            "chair": {"party": key(chair), "person": f"Rep {chair}"},
            "attendees": [{"party": key(p), "person": f"Rep {p}"} for p in present],
            "absent": [key(p) for p in away],
            "agenda": ["The market", "The courses"],
            "decisions": ["Market on the second Saturday", "Courses from September"],
            "actions": [],
        }
        for number in (1, 2):
            duty_id = rng.choice(duties_of[pid]) if rng.random() < 0.25 else None
            due = held + dt.timedelta(days=rng.randint(7, 90))
            owner = rng.choice(present)
            if duty_id is not None and (duty_id, owner) in taken:
                duty_id = None
            if duty_id is not None:
                taken.add((duty_id, owner))
            record["actions"].append(
                {
                    "number": number,
                    "text": f"Action {number} of meeting {m}",
                    "owner": key(owner),
                    "due": due.isoformat(),
                    "duty": duties[duty_id - 1]["key"] if duty_id else None,
                    "as": "C" if duty_id else None,
                }
            )
            actions.append(
                {
                    "id": len(actions) + 1,
                    "meeting_id": m + 1,
                    "number": number,
                    "text": f"Action {number} of meeting {m}",
                    "owner_id": owner,
                    "due_on": due,
                    "duty_id": duty_id,
                    "letter": "C" if duty_id else None,
                    "done_on": due - dt.timedelta(days=2) if rng.random() < 0.6 else None,
                    "note": None,
                }
            )
            if duty_id:
                assignments.append({"d": duty_id, "s": owner, "f": held, "t": due, "a": len(actions)})
        signed = rng.random() < 0.8
        meetings.append(
            {
                "id": m + 1,
                "project_id": pid,
                "key": held.isoformat(),
                "held_on": held,
                "place": "Community centre",
                "title": None,
                "chair_id": chair,
                "chair_person": f"Rep {chair}",
                "signed_off_by": f"Rep {chair}" if signed else None,
                "signed_off_on": held + dt.timedelta(days=2) if signed else None,
                "minutes_hash": minutes_hash(record) if signed else None,
                "minutes_form": 1 if signed else None,
                "recorded_at": "2024-01-01T00:00:00Z",
            }
        )
        people_rows = [(p, f"Rep {p}", True) for p in present] + [(p, None, False) for p in away]
        attendees += [
            {"meeting_id": m + 1, "stakeholder_id": p, "person": who, "present": here, "position": i}
            for i, (p, who, here) in enumerate(people_rows)
        ]
        texts = [("agenda", t) for t in record["agenda"]] + [("decision", t) for t in record["decisions"]]
        items += [{"meeting_id": m + 1, "section": sec, "text": t, "position": i} for i, (sec, t) in enumerate(texts)]
        contact_on = held + dt.timedelta(days=rng.randint(1, 25))
        contacts.append(
            {
                "key": f"I-{m + 1:05d}",
                "stakeholder_id": rng.choice(members_of[pid]),
                "project_id": pid,
                "happened_on": contact_on,
                "channel": rng.choice(("call", "visit", "wechat")),
                "summary": "Told them what the meeting decided",
                "by_person": None,
                "recorded_at": "2024-01-01T00:00:00Z",
            }
        )
    concerns, steps = [], []
    for c in range(scale.concerns):
        pid = rng.randint(1, len(projects))
        project = projects[pid - 1]
        by, against = rng.sample(members_of[pid], 2)
        opened = dt.datetime.combine(project["starts_on"], dt.time(2), dt.UTC) + dt.timedelta(
            days=rng.randint(0, 500), hours=rng.randint(0, 8)
        )
        severity = rng.choice(("low", "medium", "high"))
        roll = rng.random()  # 5% open (half of them escalated), 5% acknowledged, 10% answered, 80% resolved
        made: list[dict[str, Any]] = []
        at = opened
        if roll > 0.05:
            at += dt.timedelta(days=rng.randint(0, 3))
            made.append({"step": "ack", "at": stamp(at), "by": "Officer"})
        if roll > 0.1:
            at += dt.timedelta(days=rng.randint(1, 5))
            made.append({"step": "respond", "at": stamp(at), "by": "Officer", "text": "We will meet on site"})
        if roll > 0.2:
            at += dt.timedelta(days=rng.randint(1, 10))
            made.append({"step": "resolve", "at": stamp(at), "text": "Settled", "satisfaction": rng.randint(1, 5)})
        if 0.025 < roll <= 0.05:
            lead = project["lead_id"]
            target = (
                lead
                if lead not in (by, against)
                else rng.choice([p for p in members_of[pid] if p not in (by, against)])
            )
            at += dt.timedelta(days=rng.randint(6, 12))
            made.append(
                {"step": "escalate", "at": stamp(at), "to": key(target), "rung": "lead", "cause": "ack-overdue"}
            )
        records = [step_record(x) for x in made]
        state = replay(f"C-{c + 1:05d}", against=key(against), opened=stamp(opened), steps=records)
        holder = int(state.holder.removeprefix("org-")) + 1
        concerns.append(
            {
                "id": c + 1,
                "key": f"C-{c + 1:05d}",
                "project_id": pid,
                "raised_by_id": by,
                "against_id": against,
                "about": f"duty:{duties[rng.choice(duties_of[pid]) - 1]['key']}",
                "severity": severity,
                "text": "The square was closed on market day",
                "opened_at": stamp(opened),
                "status": state.status,
                "holder_id": holder,
                "level": state.level,
                "clock_from": state.clock_from,
                "acknowledged_at": state.acknowledged,
                "responded_at": state.responded,
                "resolved_at": state.resolved,
                "outcome": state.outcome,
                "satisfaction": state.satisfaction,
            }
        )
        steps += [
            {
                "concern_id": c + 1,
                "position": i,
                "step": x["step"],
                "at": x["at"],
                "by_person": x["by"],
                "to_id": int(x["to"].removeprefix("org-")) + 1 if x["to"] else None,
                "rung": x["rung"],
                "cause": x["cause"],
                "text": x["text"],
                "satisfaction": x["satisfaction"],
            }
            for i, x in enumerate(records)
        ]
    for table, rows in (
        ("meeting", meetings),
        ("meeting_attendee", attendees),
        ("meeting_item", items),
        ("meeting_action", actions),
        ("interaction", contacts),
        ("concern", concerns),
        ("concern_step", steps),
    ):
        if rows:
            columns = list(rows[0])
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
            executemany(conn, sql, rows)
    executemany(
        conn,
        "INSERT INTO assignment (duty_id, stakeholder_id, letter, valid_from, valid_to, source, action_id) "
        "VALUES (:d, :s, 'C', :f, :t, 'meeting', :a)",
        assignments,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--scale", choices=sorted(SCALES), default="reference")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(generate(args.path, SCALES[args.scale], args.seed))


if __name__ == "__main__":
    main()
