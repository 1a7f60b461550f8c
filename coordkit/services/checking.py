"""Running the checks over the store, and building the responsibility matrix."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from coordkit.background import Background
from coordkit.checks import Report, run_rules
from coordkit.checks.config import load_config
from coordkit.checks.rules import Proven, minutes_findings
from coordkit.checks.snapshot import Effective, Snapshot, load_snapshot
from coordkit.checks.when import day_to_check
from coordkit.collector import paused_collector
from coordkit.dates import OPEN_END, parse_date, today
from coordkit.domain.matrix import Matrix, MatrixRow, ResourceUse
from coordkit.i18n import N_
from coordkit.storage.location import StoreLocation
from coordkit.storage.lookup import project_scope
from coordkit.storage.sql import Conn, scalar
from coordkit.vocab import LETTER_ORDER

ROLE_MARK, AGREEMENT_MARK = "*", "#"
MEETING_MARK = "+"
LEGEND = {  # English in JSON; translated where people read it (the table, XLSX, HTML)
    "R": N_("Responsible: does the work"),
    "A": N_("Accountable: answers for it (exactly one per duty)"),
    "C": N_("Consulted: asked before"),
    "I": N_("Informed: told after"),
    ROLE_MARK: N_("carried through a role"),
    AGREEMENT_MARK: N_("from a signed agreement"),
    MEETING_MARK: N_("from a joint meeting's decision (until the action's due date)"),
}
DUTY_RULES = ("no-accountable", "multiple-accountable", "multiple-responsible", "no-responsible")


def check_date(on: str | None) -> tuple[str, bool]:
    parsed = parse_date(on, "--on")
    return (parsed or today()).isoformat(), parsed is not None


WORKER_EVENTS = 20_000
"""From this many events on, ``check_store`` verifies the store in a second process: hashing 20,000 events takes
about 0.08 s here, more than starting the process costs the command (0.05 s)."""


def check_store(
    conn: Conn,
    *,
    root: Path,
    project: str | None = None,
    on: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    location: StoreLocation | None = None,
) -> Report:
    """The findings on ``on``; without it, today, or the last day of a project that has ended (``Report.note`` says so).

    Given the store's ``location``, a store of ``WORKER_EVENTS`` or more events is verified in a second process
    while the rules run here: at reference scale that takes the 0.5 s of hashing 113,001 events out of the
    command's time. That process reads the store in its own transaction; the findings are the same either way.
    """
    day, explicit = check_date(on)
    config = load_config(root)
    pid, pkey = project_scope(conn, project)
    big = location is not None and (scalar(conn, "SELECT max(id) FROM event") or 0) >= WORKER_EVENTS
    with contextlib.ExitStack() as stack, paused_collector():
        proving = stack.enter_context(Background(proven_elsewhere, location, pid)) if big else None
        snapshot = load_snapshot(conn, project_id=pid, workspace=None if proving else root, minutes=not proving)
        if proving is not None:
            snapshot.proven = proving.result
        note = ""
        if not explicit:
            day, note = day_to_check(snapshot.projects.values(), day)
        now = today().isoformat()
        report = run_rules(
            snapshot, on=day, explicit_on=explicit, config=config, select=select, ignore=ignore, project=pkey, today=now
        )
        # Freed while the collector is paused: once it runs again it would first walk everything made in the
        # block that is still alive (234,000 objects at reference scale, 0.06 s), only to find no garbage.
        del snapshot
    return replace(report, note=note)


def proven_elsewhere(location: StoreLocation, project_id: int | None) -> Proven:
    """``check_store``'s second process: everything hashed in the store checked: what ``coord verify``
    checks, and the signed-off minutes of the project checked (or of all). The minutes are here, not with the
    rules, because here there is time to spare: reading and hashing them took the rules' process 0.08 s."""
    from coordkit.proof import verify_all
    from coordkit.storage.engine import open_store
    from coordkit.storage.meetings import read_meetings
    from coordkit.storage.proofdata import load_proof

    store = open_store(location)
    try:
        with paused_collector(), store.read() as conn:
            problems = verify_all(load_proof(conn, location.root))
            minutes = list(minutes_findings(read_meetings(conn, project_id=project_id, signed_only=True)))
    finally:
        store.dispose()
    return Proven(problems, minutes)


def subject_names(conn: Conn) -> dict[tuple[str | None, str], tuple[str, str | None]]:
    """What a finding's subject is called: ``(project, duty key)`` → (title, title_zh) for duties,
    ``(None, key)`` → (name, name_zh) for parties, then resources, then projects (a party keeps its key when
    a resource or a project has the same); the CLI picks the reader's language."""
    from coordkit.storage.sql import tuples

    names: dict[tuple[str | None, str], tuple[str, str | None]] = {
        (None, str(key)): (str(name), name_zh)
        for key, name, name_zh in tuples(conn, "SELECT key, name, name_zh FROM stakeholder")
    }
    for pkey, key, title, title_zh in tuples(
        conn, "SELECT p.key, d.key, d.title, d.title_zh FROM duty d JOIN project p ON p.id = d.project_id"
    ):
        names[(str(pkey), str(key))] = (str(title), title_zh)
    for table in ("resource", "project"):  # a party of the same key keeps it
        for key, name, name_zh in tuples(conn, f"SELECT key, name, name_zh FROM {table}"):
            names.setdefault((None, str(key)), (str(name), name_zh))
    return names


def _marks(item: Effective) -> str:
    """What a letter carries in the matrix: * through a role, # from a signed agreement, + from a joint meeting."""
    return (
        (ROLE_MARK if item.role else "")
        + (AGREEMENT_MARK if item.agreement else "")
        + (MEETING_MARK if item.meeting else "")
    )


def cell_text(marks: dict[str, set[str]]) -> str:
    """Each letter once, in RACI order, with every mark it carries: {'A': {'', '#'}, 'R': {'*'}} → 'R*,A#'.

    A party that holds the A by hand and by a signed agreement holds one A, which
    an agreement backs: the cell says 'A#', not 'A,A#'.
    """
    return ",".join(
        letter
        + "".join(mark for mark in (ROLE_MARK, AGREEMENT_MARK, MEETING_MARK) if any(mark in m for m in marks[letter]))
        for letter in sorted(marks, key=LETTER_ORDER.__getitem__)
    )


def build_matrix(snapshot: Snapshot, *, on: str, by: str, report: Report, project: str | None) -> Matrix:
    """The matrix as data: columns (parties or roles), rows (duties), cells and row findings."""
    cells: dict[int, dict[str, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    if by == "role":
        for item in snapshot.role_assignments:
            if (item.start or "") <= on <= (item.end or OPEN_END):
                cells[item.duty_id][item.role][item.letter].add(AGREEMENT_MARK if item.agreement else "")
    else:
        for eff in snapshot.effective:
            if (eff.start or "") <= on <= (eff.end or OPEN_END):
                cells[eff.duty_id][eff.party][eff.letter].add(_marks(eff))
    flagged: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for finding in report.findings:
        if finding.rule in DUTY_RULES and finding.rule not in flagged[(finding.project, finding.subject)]:
            flagged[(finding.project, finding.subject)].append(finding.rule)
    used = sorted({party for row in cells.values() for party in row})
    names_zh: dict[str, str | None] = {}
    if by == "role":
        names = {key: name for (_pid, key), name in snapshot.roles.items()}
    else:
        names = {key: snapshot.parties[key].name for key in used if key in snapshot.parties}
        names_zh = {key: snapshot.parties[key].name_zh for key in used if key in snapshot.parties}
    rows: list[MatrixRow] = []
    for duty in snapshot.duties:
        pkey = snapshot.projects[duty.project_id].key
        row_cells = {party: cell_text(marks) for party, marks in sorted(cells.get(duty.id, {}).items())}
        row: MatrixRow = {
            "project": pkey,
            "category": duty.category,
            "duty": duty.key,
            "title": duty.title,
            "title_zh": duty.title_zh,
            "cells": row_cells,
            "findings": flagged.get((pkey, duty.key), []),
        }
        if duty.uses:
            row["uses"] = [_use(snapshot, resource, when, units) for resource, when, units in duty.uses]
        rows.append(row)
    return {
        "project": project,
        "on": on,
        "by": by,
        "columns": [{"key": key, "name": names.get(key, key), "name_zh": names_zh.get(key)} for key in used],
        "rows": rows,
        "legend": LEGEND,
    }


def _use(snapshot: Snapshot, resource: str, when: str, units: int) -> ResourceUse:
    found = snapshot.resources.get(resource)
    name, name_zh = (found.name, found.name_zh) if found else (resource, None)
    return {"resource": resource, "name": name, "name_zh": name_zh, "when": when, "units": units}


@paused_collector()
def matrix(
    conn: Conn, *, root: Path, project: str | None = None, on: str | None = None, by: str = "stakeholder"
) -> Matrix:
    day, _explicit = check_date(on)
    config = load_config(root)
    pid, pkey = project_scope(conn, project)
    snapshot = load_snapshot(conn, project_id=pid)
    report = run_rules(snapshot, on=day, explicit_on=True, config=config, select=DUTY_RULES, project=pkey)
    data = build_matrix(snapshot, on=day, by=by, report=report, project=pkey)
    name_categories(conn, data)
    if by == "role":
        name_roles(conn, data, pid)
    return data


def name_roles(conn: Conn, data: Matrix, project_id: int | None) -> None:
    """Give each role column its Chinese name (the snapshot holds roles' English names only), so ``--by role``
    heads its columns 场地提供方 under zh; a role without one keeps None and shows in English."""
    from coordkit.storage.sql import tuples

    only = " WHERE project_id = :pid" if project_id is not None else ""
    chinese: dict[str, str] = {}
    for key, name_zh in tuples(conn, f"SELECT key, name_zh FROM role{only} ORDER BY project_id", {"pid": project_id}):
        if name_zh:
            chinese.setdefault(str(key), str(name_zh))  # one key in several projects: the first project's name
    for column in data["columns"]:
        column["name_zh"] = chinese.get(column["key"])


def name_categories(conn: Conn, data: Matrix) -> None:
    """Give each row its category's names (the snapshot holds only category keys), so the matrix heads its groups
    公益课程, not ``courses``, under zh."""
    from coordkit.storage.sql import tuples

    names = {
        (str(project_key), str(key)): (name, name_zh)
        for project_key, key, name, name_zh in tuples(
            conn,
            "SELECT p.key, c.key, c.name, c.name_zh FROM project_category c JOIN project p ON p.id = c.project_id",
        )
    }
    for row in data["rows"]:
        name, name_zh = names.get((row["project"], row["category"] or ""), (None, None))
        row["category_name"], row["category_name_zh"] = name, name_zh
