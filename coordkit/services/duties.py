"""Duties (one responsibility each) and their RACI assignments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from coordkit.dates import iso, parse_date
from coordkit.domain.duties import (
    Assignment,
    Duty,
    DutyFields,
    Letter,
    check_duty,
    check_letter,
    check_letters,
    party_of,
)
from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.storage import events
from coordkit.storage.lookup import exists, lookup_id, resolve_project
from coordkit.storage.sql import Conn, column, execute, executemany, in_list, insert, rows, scalar
from coordkit.vocab import LETTERS

LETTER_SQL = "CASE a.letter " + " ".join(f"WHEN '{letter}' THEN {i}" for i, letter in enumerate(LETTERS)) + " END"


def assignments_of(conn: Conn, pid: int, duty_ids: list[int] | None) -> dict[int, list[Assignment]]:
    """The assignments of a project's duties (or of some of them), in letter, party, window order."""
    params: dict[str, Any] = {"pid": pid}
    only = " AND d.id IN " + in_list("duty", duty_ids, params) if duty_ids is not None else ""
    sql = (
        "SELECT a.duty_id, a.letter, s.key AS stakeholder, r.key AS role, a.valid_from, a.valid_to, "
        "a.source, a.agreement_key, a.agreement_version "
        "FROM assignment a JOIN duty d ON d.id = a.duty_id "
        "LEFT JOIN stakeholder s ON s.id = a.stakeholder_id LEFT JOIN role r ON r.id = a.role_id "
        f"WHERE d.project_id = :pid{only} "
        f"ORDER BY a.duty_id, {LETTER_SQL}, coalesce(s.key, r.key), a.valid_from, a.id"
    )
    found: dict[int, list[Assignment]] = defaultdict(list)
    for row in rows(conn, sql, params):
        item: Assignment = {
            "letter": row.letter,
            "stakeholder": row.stakeholder,
            "role": row.role,
            "from": iso(row.valid_from),
            "to": iso(row.valid_to),
            "source": row.source,
        }
        if row.agreement_key:
            item["agreement"] = f"{row.agreement_key} v{row.agreement_version}"
        found[row.duty_id].append(item)
    return found


def list_duties(
    conn: Conn, *, project: str | None = None, key: str | None = None, category: str | None = None
) -> list[Duty]:
    """Duties of a project (by category, then key), each with its assignments."""
    pid, pkey = resolve_project(conn, project)
    where, params = ["project_id = :pid"], {"pid": pid, "key": key, "category": category}
    if key:
        where.append("key = :key")
    if category:
        where.append("category = :category")
    found = rows(
        conn,
        "SELECT id, key, title, title_zh, category, due_on FROM duty WHERE "
        + " AND ".join(where)
        + " ORDER BY coalesce(category, ''), key",
        params,
    )
    assigned = assignments_of(conn, pid, [r.id for r in found] if key else None)
    return [
        {
            "project": pkey,
            "key": r.key,
            "title": r.title,
            "title_zh": r.title_zh,
            "category": r.category,
            "due": iso(r.due_on),
            "assignments": assigned.get(r.id, []),
        }
        for r in found
    ]


def get_duty(conn: Conn, *, key: str, project: str | None = None) -> Duty:
    pid, pkey = resolve_project(conn, project)
    lookup_id(conn, "duty", key, "duty", project_id=pid, scope=f"project '{pkey}'")
    return list_duties(conn, project=pkey, key=key)[0]


def letters_of(assignments: Sequence[Assignment]) -> list[Letter]:
    return [Letter(party_of(a.get("stakeholder"), a.get("role")), a["letter"], a["from"], a["to"]) for a in assignments]


def write_duties(conn: Conn, project_id: int, records: Sequence[DutyFields], *, new: bool) -> None:
    """Store checked duties of one project: insert them, or update those with the same keys."""
    values = [
        {"p": project_id, "k": d["key"], "t": d["title"], "z": d["title_zh"], "c": d["category"], "d": d["due"]}
        for d in records
    ]
    if new:
        sql = "INSERT INTO duty (project_id, key, title, title_zh, category, due_on) VALUES (:p, :k, :t, :z, :c, :d)"
    else:
        sql = "UPDATE duty SET title = :t, title_zh = :z, category = :c, due_on = :d WHERE project_id = :p AND key = :k"
    executemany(conn, sql, values)


def write_assignments(conn: Conn, values: Sequence[Mapping[str, Any]]) -> None:
    """Insert manual assignments: each value has duty (id), stakeholder or role (ids), letter, from, to."""
    executemany(
        conn,
        "INSERT INTO assignment (duty_id, stakeholder_id, role_id, letter, valid_from, valid_to, source) "
        "VALUES (:duty, :stakeholder, :role, :letter, :from, :to, 'manual')",
        values,
    )


def add_duty(
    conn: Conn,
    *,
    key: str,
    title: str,
    project: str | None = None,
    title_zh: str | None = None,
    category: str | None = None,
    due: str | None = None,
) -> Duty:
    pid, pkey = resolve_project(conn, project)
    fields = check_duty(key=key, title=title, title_zh=title_zh, category=category, due=parse_date(due, "--due"))
    if exists(conn, "duty", key, pid):
        raise AlreadyExists(f"duty '{key}' already exists in project '{pkey}'")
    write_duties(conn, pid, [fields], new=True)
    after = get_duty(conn, key=key, project=pkey)
    events.record(conn, action="duty.add", entity="duty", key=f"{pkey}/{key}", after=after)
    return after


def edit_duty(
    conn: Conn,
    *,
    key: str,
    project: str | None = None,
    title: str | None = None,
    title_zh: str | None = None,
    category: str | None = None,
    due: str | None = None,
) -> Duty:
    """Change the fields given (None leaves a field; '' clears an optional one)."""
    pid, pkey = resolve_project(conn, project)
    lookup_id(conn, "duty", key, "duty", project_id=pid, scope=f"project '{pkey}'")
    before = get_duty(conn, key=key, project=pkey)
    fields = check_duty(
        key=key,
        title=before["title"] if title is None else title,
        title_zh=before["title_zh"] if title_zh is None else title_zh,
        category=before["category"] if category is None else category,
        due=before["due"] if due is None else parse_date(due, "--due"),
    )
    write_duties(conn, pid, [fields], new=False)
    after = get_duty(conn, key=key, project=pkey)
    if after != before:
        events.record(conn, action="duty.edit", entity="duty", key=f"{pkey}/{key}", before=before, after=after)
    return after


def remove_duty(conn: Conn, *, key: str, project: str | None = None) -> Duty:
    pid, pkey = resolve_project(conn, project)
    did = lookup_id(conn, "duty", key, "duty", project_id=pid, scope=f"project '{pkey}'")
    before = get_duty(conn, key=key, project=pkey)
    if before["assignments"]:
        parties = sorted({party_of(a.get("stakeholder"), a.get("role")) for a in before["assignments"]})
        raise Refused(
            f"duty '{key}' still has {len(before['assignments'])} assignment(s) "
            f"({', '.join(parties)}); unassign them first"
        )
    referenced = scalar(conn, "SELECT count(*) FROM agreement_obligation WHERE duty_id = :d", {"d": did})
    if referenced:
        raise Refused(f"duty '{key}' is named by {referenced} agreement obligation(s); it stays in the register")
    execute(conn, "DELETE FROM duty WHERE id = :d", {"d": did})
    events.record(conn, action="duty.remove", entity="duty", key=f"{pkey}/{key}", before=before)
    return before


def resolve_party(conn: Conn, party: str, pid: int, pkey: str) -> tuple[int | None, int | None]:
    """A party is a stakeholder key, or a role of the project (``role:KEY`` or a plain role key)."""
    if party.startswith("role:"):
        rid = lookup_id(conn, "role", party[5:], "role", project_id=pid, scope=f"project '{pkey}'")
        return None, rid
    sid = scalar(conn, "SELECT id FROM stakeholder WHERE key = :k", {"k": party})
    if sid is not None:
        return int(sid), None
    rid = scalar(conn, "SELECT id FROM role WHERE key = :k AND project_id = :p", {"k": party, "p": pid})
    if rid is not None:
        return None, int(rid)
    keys = column(conn, "SELECT key FROM stakeholder")
    keys += [f"role:{k}" for k in column(conn, "SELECT key FROM role WHERE project_id = :p", {"p": pid})]
    raise NotFound("stakeholder or role", party, keys, f"project '{pkey}'")


def assign_duty(
    conn: Conn,
    *,
    duty: str,
    party: str,
    letter: str,
    project: str | None = None,
    valid_from: str | None = None,
    valid_to: str | None = None,
) -> Duty:
    """Give ``party`` the RACI ``letter`` for ``duty``, open-ended unless a window is given."""
    pid, pkey = resolve_project(conn, project)
    letter = check_letter(letter)
    did = lookup_id(conn, "duty", duty, "duty", project_id=pid, scope=f"project '{pkey}'")
    sid, rid = resolve_party(conn, party, pid, pkey)
    start, end = iso(parse_date(valid_from, "--from")), iso(parse_date(valid_to, "--to"))
    before = get_duty(conn, key=duty, project=pkey)
    named = party.removeprefix("role:")
    check_letters(
        duty, [Letter(named if sid else f"role:{named}", letter, start, end)], held=letters_of(before["assignments"])
    )
    insert(
        conn,
        "assignment",
        {
            "duty_id": did,
            "stakeholder_id": sid,
            "role_id": rid,
            "letter": letter,
            "valid_from": start,
            "valid_to": end,
            "source": "manual",
        },
    )
    after = get_duty(conn, key=duty, project=pkey)
    events.record(conn, action="duty.assign", entity="duty", key=f"{pkey}/{duty}", before=before, after=after)
    return after


def unassign_duty(conn: Conn, *, duty: str, party: str, letter: str | None = None, project: str | None = None) -> Duty:
    """Remove the party's manual assignments to the duty (only ``letter`` when given)."""
    pid, pkey = resolve_project(conn, project)
    did = lookup_id(conn, "duty", duty, "duty", project_id=pid, scope=f"project '{pkey}'")
    sid, rid = resolve_party(conn, party, pid, pkey)
    before = get_duty(conn, key=duty, project=pkey)
    which, value = ("stakeholder_id", sid) if sid is not None else ("role_id", rid)
    params = {"d": did, "v": value, "l": check_letter(letter) if letter else None}
    only_letter = " AND letter = :l" if letter else ""
    base = f"FROM assignment WHERE duty_id = :d AND {which} = :v{only_letter}"
    from_agreement = scalar(conn, f"SELECT count(*) {base} AND source <> 'manual'", params)
    if execute(conn, f"DELETE {base} AND source = 'manual'", params) == 0:
        if from_agreement:
            raise Refused(f"'{party}' holds duty '{duty}' through a signed agreement; amend or terminate it instead")
        what = f" as {params['l']}" if letter else ""
        raise InvalidInput(f"'{party}' has no assignment{what} for duty '{duty}'")
    after = get_duty(conn, key=duty, project=pkey)
    events.record(conn, action="duty.unassign", entity="duty", key=f"{pkey}/{duty}", before=before, after=after)
    return after
