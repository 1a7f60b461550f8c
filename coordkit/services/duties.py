"""Duties (one responsibility each) and their RACI assignments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from coordkit.dates import OPEN_END, OPEN_START, day_after, day_before, iso, parse_date
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
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import exists, lookup_id, new_key, resolve_key, resolve_project
from coordkit.storage.sql import Conn, column, execute, executemany, in_list, rows, scalar
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
        f"ORDER BY a.duty_id, {LETTER_SQL}, coalesce(s.key, r.key), a.valid_from IS NOT NULL, a.valid_from, a.id"
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
    key = resolve_key(conn, "duty", key, project_id=pid)
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
    key: str | None,
    title: str,
    project: str | None = None,
    title_zh: str | None = None,
    category: str | None = None,
    due: str | None = None,
    parties: Mapping[str, Sequence[str]] | None = None,
) -> Duty:
    """Add a duty, with its letters when ``parties`` gives them ({'R': ['liede-sw'], 'C': ['a', 'role:host']}):
    one command and one event for what took five. Without ``key`` one is made from the title (``new_key``)."""
    pid, pkey = resolve_project(conn, project)
    if key is None:
        key = new_key(conn, "duty", title, title_zh, project_id=pid)
    fields = check_duty(key=key, title=title, title_zh=title_zh, category=category, due=parse_date(due, "--due"))
    if exists(conn, "duty", key, pid):
        raise AlreadyExists(_("duty '{key}' already exists in project '{project}'").format(key=key, project=pkey))
    write_duties(conn, pid, [fields], new=True)
    given = [(check_letter(letter), party) for letter, named in (parties or {}).items() for party in named]
    if given:
        did = lookup_id(conn, "duty", key, "duty", project_id=pid, scope=f"project '{pkey}'")
        values, letters = [], []
        for letter, party in sorted(given, key=lambda pair: LETTERS.index(pair[0])):
            sid, rid = resolve_party(conn, party, pid, pkey)
            named = party.removeprefix("role:")
            letters.append(Letter(named if sid else f"role:{named}", letter, None, None))
            values.append({"duty": did, "stakeholder": sid, "role": rid, "letter": letter, "from": None, "to": None})
        check_letters(key, letters)
        write_assignments(conn, values)
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
        role = resolve_key(conn, "role", party[5:], project_id=pid)  # role:场地提供方 too
        rid = lookup_id(conn, "role", role, "role", project_id=pid, scope=f"project '{pkey}'")
        return None, rid
    party = resolve_key(conn, "stakeholder", party)  # a party's name in place of its key
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
    """Give ``party`` the RACI ``letter`` for ``duty`` (several at once: 'R,A'), open-ended unless a window is given."""
    pid, pkey = resolve_project(conn, project)
    chosen = letter_list(letter)
    duty = resolve_key(conn, "duty", duty, project_id=pid)
    did = lookup_id(conn, "duty", duty, "duty", project_id=pid, scope=f"project '{pkey}'")
    sid, rid = resolve_party(conn, party, pid, pkey)
    start, end = iso(parse_date(valid_from, "--from")), iso(parse_date(valid_to, "--to"))
    before = get_duty(conn, key=duty, project=pkey)
    named = party.removeprefix("role:")
    check_letters(
        duty,
        [Letter(named if sid else f"role:{named}", one, start, end) for one in chosen],
        held=letters_of(before["assignments"]),
    )
    write_assignments(
        conn,
        [{"duty": did, "stakeholder": sid, "role": rid, "letter": one, "from": start, "to": end} for one in chosen],
    )
    after = get_duty(conn, key=duty, project=pkey)
    events.record(conn, action="duty.assign", entity="duty", key=f"{pkey}/{duty}", before=before, after=after)
    return after


def letter_list(text: str) -> list[str]:
    """'R,A', 'R A', 'R，A' or 'RA' → ['R', 'A'] (RACI order, each once); a wrong letter is refused by name."""
    from coordkit.textparse import split_list

    items = [
        part
        for item in split_list(text.replace(" ", ","))
        for part in (list(item) if len(item) > 1 and all(c in "RACIraci" for c in item) else [item])
    ]
    letters = [check_letter(item) for item in items] or [check_letter(text)]
    return sorted(set(letters), key=LETTERS.index)


def unassign_duty(
    conn: Conn,
    *,
    duty: str,
    party: str,
    letter: str | None = None,
    project: str | None = None,
    valid_from: str | None = None,
    valid_to: str | None = None,
) -> Duty:
    """Remove the party's manual assignments to the duty (only ``letter`` when given; several: 'R,A').

    With ``valid_from``/``valid_to``, only that period goes: an open-ended A
    unassigned from 2024-03-01 to 2024-12-31 becomes an A until 2024-02-29 and
    another from 2025-01-01, so a hint that resolves an overlap removes the
    overlap and keeps the rest of a correct window.
    """
    pid, pkey = resolve_project(conn, project)
    duty = resolve_key(conn, "duty", duty, project_id=pid)
    did = lookup_id(conn, "duty", duty, "duty", project_id=pid, scope=f"project '{pkey}'")
    sid, rid = resolve_party(conn, party, pid, pkey)
    chosen = letter_list(letter) if letter else None
    cut_from, cut_to = iso(parse_date(valid_from, "--from")), iso(parse_date(valid_to, "--to"))
    if cut_from and cut_to and cut_to < cut_from:
        raise InvalidInput(f"--to {cut_to} is before --from {cut_from}")
    before = get_duty(conn, key=duty, project=pkey)
    which, value = ("stakeholder_id", sid) if sid is not None else ("role_id", rid)
    params: dict[str, Any] = {"d": did, "v": value}
    only_letter = " AND letter IN " + in_list("letter", chosen, params) if chosen else ""
    base = f"FROM assignment WHERE duty_id = :d AND {which} = :v{only_letter}"
    found = rows(conn, f"SELECT id, letter, valid_from, valid_to, source {base}", params)
    low, high = cut_from or OPEN_START, cut_to or OPEN_END
    hit = [r for r in found if (iso(r.valid_from) or OPEN_START) <= high and low <= (iso(r.valid_to) or OPEN_END)]
    manual = [r for r in hit if r.source == "manual"]
    if not manual:
        if any(r.source != "manual" for r in hit):
            raise Refused(f"'{party}' holds duty '{duty}' through a signed agreement; amend or terminate it instead")
        what = f" as {','.join(chosen)}" if chosen else ""
        when = " in that period" if cut_from or cut_to else ""
        raise InvalidInput(f"'{party}' has no assignment{what} for duty '{duty}'{when}")
    execute(conn, "DELETE FROM assignment WHERE id IN " + in_list("gone", [r.id for r in manual], params), params)
    kept: list[tuple[str, str | None, str | None]] = []
    for r in manual:
        start, end = iso(r.valid_from), iso(r.valid_to)
        if cut_from and (start or OPEN_START) < cut_from:
            kept.append((r.letter, start, day_before(cut_from)))
        if cut_to and cut_to < (end or OPEN_END):
            kept.append((r.letter, day_after(cut_to), end))
    write_assignments(
        conn, [{"duty": did, "stakeholder": sid, "role": rid, "letter": x, "from": s, "to": e} for x, s, e in kept]
    )
    after = get_duty(conn, key=duty, project=pkey)
    events.record(conn, action="duty.unassign", entity="duty", key=f"{pkey}/{duty}", before=before, after=after)
    return after
