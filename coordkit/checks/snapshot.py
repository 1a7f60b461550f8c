"""A snapshot: the plain rows the rules look at, read with a handful of set-based queries.

Rules never touch the database, so the same rules run over YAML files later.
Assignments made to a role are expanded here onto each holder, for the part of
the window in which both the assignment and the holding are valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from coordkit.dates import OPEN_END, OPEN_START, iso
from coordkit.domain.agreements import AgreementDoc
from coordkit.proof import ProofData
from coordkit.storage.documents import read_documents
from coordkit.storage.sql import Conn, tuples


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


class Effective(NamedTuple):
    """One party's letter for one duty over one window, after role expansion."""

    duty_id: int
    party: str  # stakeholder key
    letter: str
    start: str | None
    end: str | None
    role: str | None  # the role it comes through, if any
    agreement: str | None  # "AGR-2024-001 v2" when it comes from a signed agreement


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


def load_snapshot(conn: Conn, *, project_id: int | None = None, workspace: Path | None = None) -> Snapshot:
    """Read everything the rules and the matrix need, for one project or all."""
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
    duties = [
        DutyRow(*row)
        for row in tuples(
            conn,
            f"SELECT d.id, d.project_id, d.key, d.title, d.category FROM duty d{only} "
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
    for duty_id, letter, skey, rid, start, end, akey, aversion in tuples(
        conn,
        "SELECT a.duty_id, a.letter, s.key, a.role_id, a.valid_from, a.valid_to, a.agreement_key, "
        "a.agreement_version FROM assignment a "
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
            effective.append(Effective(duty_id, skey, letter, start, end, None, agreement))
            continue
        role = role_keys[rid]
        role_assignments.append(RoleAssignment(duty_id, role, letter, start, end, agreement))
        for holder, h_start, h_end in holders.get(rid, ()):
            window = intersect(start, end, h_start, h_end)
            if window is not None:
                effective.append(Effective(duty_id, holder, letter, window[0], window[1], role, agreement))
    parties = {
        key: PartyRow(key, name, bool(active), int(contacts))
        for key, name, active, contacts in tuples(
            conn,
            "SELECT s.key, s.name, s.active, count(c.id) FROM stakeholder s "
            "LEFT JOIN contact c ON c.stakeholder_id = s.id GROUP BY s.id, s.key, s.name, s.active",
        )
    }
    keys = {p.key for p in projects.values()}
    agreements = [doc for doc in read_documents(conn) if doc["project"] in keys]
    proof = None
    if workspace is not None:
        from coordkit.storage.proofdata import load_proof

        proof = load_proof(conn, workspace)
    return Snapshot(projects, duties, effective, role_assignments, parties, roles, agreements, proof)
