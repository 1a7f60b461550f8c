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
    Use,
    check_duty,
    check_letter,
    check_letters,
    party_of,
)
from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import exists, lookup_id, new_key, resolve_duty, resolve_key, resolve_project
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
        "SELECT id, key, title, title_zh, category, due_on, exclusive FROM duty WHERE "
        + " AND ".join(where)
        + " ORDER BY coalesce(category, ''), key",
        params,
    )
    ids = [r.id for r in found] if key else None
    assigned = assignments_of(conn, pid, ids)
    uses, aliases = uses_of(conn, pid, ids), aliases_of(conn, pid, ids)
    duties: list[Duty] = []
    for r in found:
        duty: Duty = {
            "project": pkey,
            "key": r.key,
            "title": r.title,
            "title_zh": r.title_zh,
            "category": r.category,
            "due": iso(r.due_on),
            "assignments": assigned.get(r.id, []),
        }
        if r.exclusive:
            duty["exclusive"] = True
        if r.id in uses:
            duty["uses"] = uses[r.id]
        if r.id in aliases:
            duty["aliases"] = aliases[r.id]
        duties.append(duty)
    return duties


def uses_of(conn: Conn, pid: int, duty_ids: list[int] | None) -> dict[int, list[Use]]:
    """The registered resources each duty uses, in the order they were added."""
    params: dict[str, Any] = {"pid": pid}
    only = " AND d.id IN " + in_list("duty", duty_ids, params) if duty_ids is not None else ""
    found: dict[int, list[Use]] = defaultdict(list)
    for row in rows(
        conn,
        "SELECT u.duty_id, r.key, u.slot, u.units FROM duty_resource u JOIN duty d ON d.id = u.duty_id "
        f"JOIN resource r ON r.id = u.resource_id WHERE d.project_id = :pid{only} ORDER BY u.duty_id, u.position, u.id",
        params,
    ):
        found[row.duty_id].append({"resource": row.key, "when": row.slot, "units": int(row.units)})
    return found


def aliases_of(conn: Conn, pid: int, duty_ids: list[int] | None) -> dict[int, list[str]]:
    """The old keys of the duties merged into each duty."""
    params: dict[str, Any] = {"pid": pid}
    only = " AND duty_id IN " + in_list("duty", duty_ids, params) if duty_ids is not None else ""
    found: dict[int, list[str]] = defaultdict(list)
    for duty_id, key in rows(
        conn, f"SELECT duty_id, key FROM duty_alias WHERE project_id = :pid{only} ORDER BY key", params
    ):
        found[duty_id].append(key)
    return found


def get_duty(conn: Conn, *, key: str, project: str | None = None) -> Duty:
    """One duty; the old key of a merged duty gives the duty it was merged into."""
    pid, pkey = resolve_project(conn, project)
    key = resolve_key(conn, "duty", key, project_id=pid)
    _did, key = resolve_duty(conn, key, pid, f"project '{pkey}'")
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
    exclusive: bool = False,
) -> Duty:
    """Add a duty, with its letters when ``parties`` gives them ({'R': ['liede-sw'], 'C': ['a', 'role:host']}):
    one command and one event for what took five. Without ``key`` one is made from the title (``new_key``)."""
    pid, pkey = resolve_project(conn, project)
    if key is None:
        key = new_key(conn, "duty", title, title_zh, project_id=pid)
    fields = check_duty(key=key, title=title, title_zh=title_zh, category=category, due=parse_date(due, "--due"))
    if exists(conn, "duty", key, pid):
        raise AlreadyExists(_("duty '{key}' already exists in project '{project}'").format(key=key, project=pkey))
    check_not_alias(conn, key, pid)
    write_duties(conn, pid, [fields], new=True)
    if exclusive:
        set_exclusive(conn, pid, key, True)
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


def check_not_alias(conn: Conn, key: str, pid: int) -> None:
    """A new duty may not take the old key of a merged duty: references to that key mean the other duty."""
    merged = scalar(
        conn,
        "SELECT d.key FROM duty_alias a JOIN duty d ON d.id = a.duty_id WHERE a.key = :k AND a.project_id = :p",
        {"k": key, "p": pid},
    )
    if merged is not None:
        raise AlreadyExists(
            _("'{key}' is the old key of duty '{duty}', which it was merged into; choose another key").format(
                key=key, duty=merged
            )
        )


def set_exclusive(conn: Conn, pid: int, key: str, exclusive: bool) -> None:
    execute(
        conn,
        "UPDATE duty SET exclusive = :x WHERE project_id = :p AND key = :k",
        {"x": exclusive, "p": pid, "k": key},
    )


def edit_duty(
    conn: Conn,
    *,
    key: str,
    project: str | None = None,
    title: str | None = None,
    title_zh: str | None = None,
    category: str | None = None,
    due: str | None = None,
    exclusive: bool | None = None,
) -> Duty:
    """Change the fields given (None leaves a field; '' clears an optional one)."""
    pid, pkey = resolve_project(conn, project)
    _did, key = resolve_duty(conn, key, pid, f"project '{pkey}'")
    before = get_duty(conn, key=key, project=pkey)
    fields = check_duty(
        key=key,
        title=before["title"] if title is None else title,
        title_zh=before["title_zh"] if title_zh is None else title_zh,
        category=before["category"] if category is None else category,
        due=before["due"] if due is None else parse_date(due, "--due"),
    )
    write_duties(conn, pid, [fields], new=False)
    if exclusive is not None:
        set_exclusive(conn, pid, key, exclusive)
    after = get_duty(conn, key=key, project=pkey)
    if after != before:
        events.record(conn, action="duty.edit", entity="duty", key=f"{pkey}/{key}", before=before, after=after)
    return after


def remove_duty(conn: Conn, *, key: str, project: str | None = None) -> Duty:
    pid, pkey = resolve_project(conn, project)
    did, key = resolve_duty(conn, key, pid, f"project '{pkey}'")
    before = get_duty(conn, key=key, project=pkey)
    if before["assignments"]:
        parties = sorted({party_of(a.get("stakeholder"), a.get("role")) for a in before["assignments"]})
        raise Refused(
            _("duty '{key}' still has {count} assignment(s) ({parties}); unassign them first").format(
                key=key, count=len(before["assignments"]), parties=", ".join(parties)
            )
        )
    referenced = scalar(conn, "SELECT count(*) FROM agreement_obligation WHERE duty_id = :d", {"d": did})
    if referenced:
        raise Refused(
            _("duty '{key}' is named by {count} agreement obligation(s); it stays in the register").format(
                key=key, count=referenced
            )
        )
    if before.get("aliases") or before.get("uses"):
        raise Refused(
            _("duty '{key}' has old keys of merged duties or uses resources; it stays in the register").format(key=key)
        )
    execute(conn, "DELETE FROM duty WHERE id = :d", {"d": did})
    events.record(conn, action="duty.remove", entity="duty", key=f"{pkey}/{key}", before=before)
    return before


def resolve_party(conn: Conn, party: str, pid: int, pkey: str) -> tuple[int | None, int | None]:
    """A party is a stakeholder, or a role of the project (``role:KEY`` or a plain role key), each by key or name;
    a stakeholder comes first, as its key does."""
    if party.startswith("role:"):
        role = resolve_key(conn, "role", party[5:], project_id=pid)  # role:场地提供方 too
        rid = lookup_id(conn, "role", role, "role", project_id=pid, scope=f"project '{pkey}'")
        return None, rid
    party = resolve_key(conn, "stakeholder", party)  # a party's name in place of its key
    sid = scalar(conn, "SELECT id FROM stakeholder WHERE key = :k", {"k": party})
    if sid is not None:
        return int(sid), None
    role = resolve_key(conn, "role", party, project_id=pid)  # 场地提供方 for venue-host, as role:场地提供方
    rid = scalar(conn, "SELECT id FROM role WHERE key = :k AND project_id = :p", {"k": role, "p": pid})
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
    did, duty = resolve_duty(conn, duty, pid, f"project '{pkey}'")
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


def _no_assignment(party: str, duty: str, letters: Sequence[str] | None, *, dated: bool) -> str:
    """Why nothing was unassigned, one sentence per shape (Chinese orders the letters and the period
    differently, so they are never English pieces added to a sentence)."""
    shown = ",".join(letters or ())
    if letters and dated:
        message = _("'{party}' has no assignment as {letters} for duty '{duty}' in that period")
    elif letters:
        message = _("'{party}' has no assignment as {letters} for duty '{duty}'")
    elif dated:
        message = _("'{party}' has no assignment for duty '{duty}' in that period")
    else:
        message = _("'{party}' has no assignment for duty '{duty}'")
    return message.format(party=party, duty=duty, letters=shown)


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
    did, duty = resolve_duty(conn, duty, pid, f"project '{pkey}'")
    sid, rid = resolve_party(conn, party, pid, pkey)
    chosen = letter_list(letter) if letter else None
    cut_from, cut_to = iso(parse_date(valid_from, "--from")), iso(parse_date(valid_to, "--to"))
    if cut_from and cut_to and cut_to < cut_from:
        raise InvalidInput(_("--to {end} is before --from {start}").format(end=cut_to, start=cut_from))
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
            raise Refused(
                _("'{party}' holds duty '{duty}' through a signed agreement; amend or terminate it instead").format(
                    party=party, duty=duty
                )
            )
        raise InvalidInput(_no_assignment(party, duty, chosen, dated=bool(cut_from or cut_to)))
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


def merge_duties(conn: Conn, *, keep: str, other: str, project: str | None = None) -> Duty:
    """Fold duty ``other`` into ``keep``: its manual letters and resource uses move over (a letter ``keep``
    already has for the same window is not doubled), ``other`` leaves the register and its key (and any old
    keys it had) become old keys of ``keep``, so references to them still resolve. An agreement or a meeting
    that names ``other`` is refused: what was signed or minuted is never re-pointed behind its back."""
    import datetime as dt

    pid, pkey = resolve_project(conn, project)
    scope = f"project '{pkey}'"
    keep_id, keep = resolve_duty(conn, keep, pid, scope)
    other_id, other = resolve_duty(conn, other, pid, scope)
    if keep_id == other_id:
        raise InvalidInput(_("'{keep}' and '{other}' are the same duty").format(keep=keep, other=other))
    signed = column(
        conn,
        "SELECT DISTINCT g.key FROM agreement_obligation o JOIN agreement_version v ON v.id = o.version_id "
        "JOIN agreement g ON g.id = v.agreement_id WHERE o.duty_id = :d ORDER BY g.key",
        {"d": other_id},
    )
    if signed:
        raise Refused(
            _(
                "duty '{other}' is named by agreement {agreement}; its terms are not re-pointed: "
                "amend it to name '{keep}' (coord agreement amend {agreement}), or merge the other way"
            ).format(other=other, agreement=signed[0], keep=keep)
        )
    minuted = column(
        conn,
        "SELECT DISTINCT m.key FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id WHERE a.duty_id = :d",
        {"d": other_id},
    )
    if minuted:
        raise Refused(
            _("duty '{other}' is named by an action of meeting {meeting}; the minutes stay as recorded").format(
                other=other, meeting=minuted[0]
            )
        )
    before = {"keep": get_duty(conn, key=keep, project=pkey), "other": get_duty(conn, key=other, project=pkey)}
    held = letters_of(before["keep"]["assignments"])
    moved: list[Letter] = []
    for row in rows(
        conn,
        "SELECT a.id, a.letter, s.key AS stakeholder, r.key AS role, a.valid_from, a.valid_to FROM assignment a "
        "LEFT JOIN stakeholder s ON s.id = a.stakeholder_id LEFT JOIN role r ON r.id = a.role_id "
        "WHERE a.duty_id = :d ORDER BY a.id",
        {"d": other_id},
    ):
        item = Letter(party_of(row.stakeholder, row.role), row.letter, iso(row.valid_from), iso(row.valid_to))
        if item in held or item in moved:
            execute(conn, "DELETE FROM assignment WHERE id = :a", {"a": row.id})
            continue
        check_letters(keep, [item], held=[*held, *moved])
        moved.append(item)
        execute(conn, "UPDATE assignment SET duty_id = :k WHERE id = :a", {"k": keep_id, "a": row.id})
    last = scalar(conn, "SELECT max(position) FROM duty_resource WHERE duty_id = :k", {"k": keep_id})
    execute(
        conn,
        "UPDATE duty_resource SET duty_id = :k, position = position + :shift WHERE duty_id = :o",
        {"k": keep_id, "o": other_id, "shift": (last or 0) + 1},
    )
    execute(conn, "UPDATE duty_alias SET duty_id = :k WHERE duty_id = :o", {"k": keep_id, "o": other_id})
    title = scalar(conn, "SELECT title FROM duty WHERE id = :o", {"o": other_id})
    title_zh = scalar(conn, "SELECT title_zh FROM duty WHERE id = :o", {"o": other_id})
    execute(conn, "DELETE FROM duty WHERE id = :o", {"o": other_id})
    execute(
        conn,
        "INSERT INTO duty_alias (project_id, key, duty_id, title, title_zh, merged_at) "
        "VALUES (:p, :key, :k, :t, :z, :at)",
        {
            "p": pid,
            "key": other,
            "k": keep_id,
            "t": title,
            "z": title_zh,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )
    after = get_duty(conn, key=keep, project=pkey)
    events.record(conn, action="duty.merge", entity="duty", key=f"{pkey}/{keep}", before=before, after=after)
    return after
