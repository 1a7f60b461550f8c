"""A snapshot: the plain rows the rules look at, read with a handful of set-based queries.

Rules never touch the database, so the same rules run over YAML files later.
Assignments made to a role are expanded here onto each holder, for the part of
the window in which both the assignment and the holding are valid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from coordkit.dates import OPEN_END, OPEN_START, iso
from coordkit.domain.agreements import AgreementDoc
from coordkit.domain.meetings import Meeting
from coordkit.proof import ProofData
from coordkit.storage.documents import read_documents
from coordkit.storage.sql import Conn, tuples

if TYPE_CHECKING:
    from coordkit.checks.rules import Proven


class ProjectRow(NamedTuple):
    id: int
    key: str
    start: str | None
    end: str | None
    lead: str | None = None  # the lead stakeholder's key: who a hint proposes when nobody else is the obvious one


class DutyRow(NamedTuple):
    id: int
    project_id: int
    key: str
    title: str
    category: str | None
    title_zh: str | None = None
    exclusive: bool = False  # one R at a time
    uses: tuple[tuple[str, str, int], ...] = ()  # registered resources it uses: (resource, slot text, units)


class Effective(NamedTuple):
    """One party's letter for one duty over one window, after role expansion."""

    duty_id: int
    party: str  # stakeholder key
    letter: str
    start: str | None
    end: str | None
    role: str | None  # the role it comes through, if any
    agreement: str | None  # "AGR-2024-001 v2" when it comes from a signed agreement
    meeting: str | None = None  # "2024-03-04/1" when it comes from a joint meeting's action item


class RoleAssignment(NamedTuple):
    duty_id: int
    role: str
    letter: str
    start: str | None
    end: str | None
    agreement: str | None


class PartyRow(NamedTuple):
    key: str
    name: str
    active: bool
    contacts: int
    name_zh: str | None = None


class ResourceRow(NamedTuple):
    """A registered shared resource: how many can use it at once, and for funds the budget (a decimal text)."""

    key: str
    name: str
    capacity: int
    owner: str | None = None
    budget: str | None = None
    unit: str | None = None
    name_zh: str | None = None


class MeetingRow(NamedTuple):
    project_id: int
    key: str
    date: str
    present: tuple[str, ...]  # the parties that attended


class ActionRow(NamedTuple):
    project_id: int
    meeting: str
    number: int
    text: str
    owner: str
    due: str
    done: str | None


class ConcernRow(NamedTuple):
    """A concern not yet resolved, with what its clock needs."""

    project_id: int
    key: str
    severity: str
    status: str
    holder: str
    about: str
    clock_from: str  # UTC time the holder got it
    acknowledged: str | None


class ContactRow(NamedTuple):
    project_id: int | None  # None: logged for no project in particular (counts for every project)
    party: str
    date: str


@dataclass
class Snapshot:
    projects: dict[int, ProjectRow]
    duties: list[DutyRow]
    effective: list[Effective]
    role_assignments: list[RoleAssignment]
    parties: dict[str, PartyRow]
    roles: dict[tuple[int, str], str] = field(default_factory=dict)  # (project id, role key) -> name
    agreements: list[AgreementDoc] = field(default_factory=list)  # documents, as coord agreement show gives
    proof: ProofData | None = None  # what verification checks (None for files, which prove nothing yet)
    # or what it found, asked for when a rule needs it: coord check verifies a large store in a second process
    proven: Callable[[], Proven] | None = None
    meetings: list[MeetingRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)  # every action item; the rules pick the open ones
    concerns: list[ConcernRow] = field(default_factory=list)  # pending ones only
    contacts: list[ContactRow] = field(default_factory=list)  # one row per party, project and day in touch
    minutes: list[Meeting] = field(default_factory=list)  # signed-off minutes, to check against their hash
    # the newest fulfilment report of each occurrence: (agreement, version, obligation, due date) -> status
    fulfilment: dict[tuple[str, int, int, str], str] = field(default_factory=dict)
    follow_up: bool = False  # reviews were read (a store); files are checked without them
    last_reviews: dict[str, str] = field(default_factory=dict)  # agreement key -> the day its last review opened
    resources: dict[str, ResourceRow] = field(default_factory=dict)  # registered shared resources by key

    @cached_property
    def duty_index(self) -> dict[int, DutyRow]:
        return {d.id: d for d in self.duties}


def intersect(
    a_start: str | None, a_end: str | None, b_start: str | None, b_end: str | None
) -> tuple[str | None, str | None] | None:
    """The overlap of two inclusive windows (None = open), or None when they do not meet."""
    start = max(a_start or OPEN_START, b_start or OPEN_START)
    end = min(a_end or OPEN_END, b_end or OPEN_END)
    if start > end:
        return None
    return (None if start == OPEN_START else start), (None if end == OPEN_END else end)


def load_snapshot(
    conn: Conn, *, project_id: int | None = None, workspace: Path | None = None, minutes: bool = True
) -> Snapshot:
    """Read everything the rules and the matrix need, for one project or all; without ``minutes``, not the
    signed-off minutes (``coord check`` hands them to its second process with the rest of what is hashed)."""
    params = {"pid": project_id}
    only = " WHERE d.project_id = :pid" if project_id is not None else ""
    projects = {
        pid: ProjectRow(pid, key, iso(start), iso(end), lead)
        for pid, key, start, end, lead in tuples(
            conn,
            "SELECT p.id, p.key, p.starts_on, p.ends_on, s.key FROM project p "
            "LEFT JOIN stakeholder s ON s.id = p.lead_id" + (" WHERE p.id = :pid" if project_id is not None else ""),
            params,
        )
    }
    uses: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for did, rkey, slot, units in tuples(
        conn,
        "SELECT u.duty_id, r.key, u.slot, u.units FROM duty_resource u JOIN resource r ON r.id = u.resource_id "
        f"JOIN duty d ON d.id = u.duty_id{only} ORDER BY u.duty_id, u.position, u.id",
        params,
    ):
        uses[did].append((rkey, slot, int(units)))
    duties = [
        DutyRow(did, pid, key, title, category, title_zh, bool(exclusive), tuple(uses.get(did, ())))
        for did, pid, key, title, category, title_zh, exclusive in tuples(
            conn,
            f"SELECT d.id, d.project_id, d.key, d.title, d.category, d.title_zh, d.exclusive FROM duty d{only} "
            "ORDER BY d.project_id, coalesce(d.category, ''), d.key",
            params,
        )
    ]
    holders: dict[int, list[tuple[str, str | None, str | None]]] = {}
    role_keys: dict[int, str] = {}
    roles: dict[tuple[int, str], str] = {}
    role_only = " WHERE r.project_id = :pid" if project_id is not None else ""
    for rid, pid, rkey, rname in tuples(
        conn, f"SELECT r.id, r.project_id, r.key, r.name FROM role r{role_only}", params
    ):
        role_keys[rid] = rkey
        roles[(pid, rkey)] = rname
    for rid, skey, start, end in tuples(
        conn,
        "SELECT h.role_id, s.key, h.valid_from, h.valid_to FROM role_holder h "
        f"JOIN role r ON r.id = h.role_id JOIN stakeholder s ON s.id = h.stakeholder_id{role_only}",
        params,
    ):
        holders.setdefault(rid, []).append((skey, iso(start), iso(end)))
    effective: list[Effective] = []
    role_assignments: list[RoleAssignment] = []
    refs = _action_refs(conn, project_id)
    for duty_id, letter, skey, rid, start, end, akey, aversion, action_id in tuples(
        conn,
        "SELECT a.duty_id, a.letter, s.key, a.role_id, a.valid_from, a.valid_to, a.agreement_key, "
        "a.agreement_version, a.action_id FROM assignment a "
        + ("JOIN duty d ON d.id = a.duty_id " if project_id is not None else "")
        + f"LEFT JOIN stakeholder s ON s.id = a.stakeholder_id{only}",
        params,
    ):
        if start is not None and type(start) is not str:
            start, end = iso(start), iso(end)
        elif end is not None and type(end) is not str:
            end = iso(end)
        agreement = f"{akey} v{aversion}" if akey else None
        if skey is not None:
            meeting = refs.get(action_id) if action_id is not None else None
            effective.append(Effective(duty_id, skey, letter, start, end, None, agreement, meeting))
            continue
        role = role_keys[rid]
        role_assignments.append(RoleAssignment(duty_id, role, letter, start, end, agreement))
        for holder, h_start, h_end in holders.get(rid, ()):
            window = intersect(start, end, h_start, h_end)
            if window is not None:
                effective.append(Effective(duty_id, holder, letter, window[0], window[1], role, agreement))
    parties = {
        key: PartyRow(key, name, bool(active), int(contacts), name_zh)
        for key, name, active, contacts, name_zh in tuples(
            conn,
            "SELECT s.key, s.name, s.active, count(c.id), s.name_zh FROM stakeholder s "
            "LEFT JOIN contact c ON c.stakeholder_id = s.id GROUP BY s.id, s.key, s.name, s.active, s.name_zh",
        )
    }
    keys = {p.key for p in projects.values()}
    every = read_documents(conn)
    agreements = [doc for doc in every if doc["project"] in keys]
    proof = None
    if workspace is not None:
        from coordkit.storage.proofdata import load_proof

        proof = load_proof(conn, workspace, every_document=every)
    snapshot = Snapshot(projects, duties, effective, role_assignments, parties, roles, agreements, proof)
    _load_follow_up(conn, snapshot, project_id, minutes=minutes)
    snapshot.resources = {
        key: ResourceRow(key, name, int(capacity), owner, budget, unit, name_zh)
        for key, name, capacity, owner, budget, unit, name_zh in tuples(
            conn,
            "SELECT r.key, r.name, r.capacity, s.key, r.budget, r.unit, r.name_zh FROM resource r "
            "LEFT JOIN stakeholder s ON s.id = r.owner_id ORDER BY r.key",
        )
    }
    return snapshot


def _action_refs(conn: Conn, project_id: int | None) -> dict[int, str]:
    """``2024-03-04/1`` for each action item that gives a letter (source ``meeting``)."""
    only = " AND m.project_id = :pid" if project_id is not None else ""
    return {
        aid: f"{mkey}/{number}"
        for aid, mkey, number in tuples(
            conn,
            "SELECT a.id, m.key, a.number FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id "
            f"WHERE a.duty_id IS NOT NULL{only}",
            {"pid": project_id},
        )
    }


def _load_follow_up(conn: Conn, snapshot: Snapshot, project_id: int | None, *, minutes: bool = True) -> None:
    """Meetings, action items, pending concerns, contacts and signed-off minutes (issue 15); fulfilment reports
    (issue 14)."""
    from coordkit.storage.documents import last_reviews
    from coordkit.storage.meetings import read_meetings

    for key, version, number, occurrence, status in tuples(
        conn,
        "SELECT a.key, v.number, f.obligation, f.occurrence, f.status FROM fulfilment f "
        "JOIN agreement_version v ON v.id = f.version_id JOIN agreement a ON a.id = v.agreement_id ORDER BY f.id",
    ):
        snapshot.fulfilment[(key, int(version), int(number), iso(occurrence) or "")] = status
    snapshot.follow_up = True
    snapshot.last_reviews = last_reviews(conn)

    params = {"pid": project_id}
    only = " AND m.project_id = :pid" if project_id is not None else ""
    present: dict[int, list[str]] = {}
    for mid, skey in tuples(
        conn,
        "SELECT a.meeting_id, s.key FROM meeting_attendee a JOIN stakeholder s ON s.id = a.stakeholder_id "
        f"JOIN meeting m ON m.id = a.meeting_id WHERE a.present = :yes{only} ORDER BY a.meeting_id, a.position",
        {**params, "yes": True},
    ):
        present.setdefault(mid, []).append(skey)
    snapshot.meetings = [
        MeetingRow(pid, key, iso(held) or "", tuple(present.get(mid, ())))
        for mid, pid, key, held in tuples(
            conn,
            f"SELECT m.id, m.project_id, m.key, m.held_on FROM meeting m WHERE 1 = 1{only} ORDER BY m.held_on",
            params,
        )
    ]
    snapshot.actions = [
        ActionRow(pid, mkey, number, text, owner, iso(due) or "", iso(done))
        for pid, mkey, number, text, owner, due, done in tuples(
            conn,
            "SELECT m.project_id, m.key, a.number, a.text, s.key, a.due_on, a.done_on FROM meeting_action a "
            "JOIN meeting m ON m.id = a.meeting_id JOIN stakeholder s ON s.id = a.owner_id "
            f"WHERE 1 = 1{only} ORDER BY m.held_on, m.key, a.number",
            params,
        )
    ]
    concern_only = " AND c.project_id = :pid" if project_id is not None else ""
    snapshot.concerns = [
        ConcernRow(*row)
        for row in tuples(
            conn,
            "SELECT c.project_id, c.key, c.severity, c.status, h.key, c.about, c.clock_from, c.acknowledged_at "
            "FROM concern c JOIN stakeholder h ON h.id = c.holder_id "
            f"WHERE c.status IN ('open', 'acknowledged'){concern_only} ORDER BY c.key",
            params,
        )
    ]
    contact_only = " AND (i.project_id = :pid OR i.project_id IS NULL)" if project_id is not None else ""
    snapshot.contacts = [
        ContactRow(pid, party, iso(on) or "")
        for pid, party, on in tuples(
            conn,
            "SELECT DISTINCT i.project_id, s.key, i.happened_on FROM interaction i "
            f"JOIN stakeholder s ON s.id = i.stakeholder_id WHERE 1 = 1{contact_only}",
            params,
        )
    ]
    snapshot.minutes = read_meetings(conn, project_id=project_id, signed_only=True) if minutes else []
