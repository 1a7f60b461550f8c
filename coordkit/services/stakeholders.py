"""The register of parties: organisations and groups that take part."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from coordkit.domain.stakeholders import Contact, Representative, Stakeholder, check_kind, check_stakeholder
from coordkit.errors import AlreadyExists, InvalidInput, Refused
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import exists, lookup_id, new_key, resolve_key
from coordkit.storage.sql import Conn, execute, executemany, in_list, insert, scalar, tuples

Pair = tuple[str, str]  # (channel, value)
Rep = tuple[str, str | None]  # (name, title)
FIELDS = (
    "name",
    "name_zh",
    "kind",
    "influence",
    "interest",
    "interests",
    "active",
    "address",
    "legal_representative",
    "registration_number",
)


def list_stakeholders(
    conn: Conn, *, active: bool | None = None, kind: str | None = None, keys: Sequence[str] = ()
) -> list[Stakeholder]:
    """Every stakeholder (ordered by key) with contacts and representatives."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if active is not None:
        where.append("active = :active")
        params["active"] = active
    if kind:
        where.append("kind = :kind")
        params["kind"] = check_kind(kind)  # a kind that is none refused, not an empty list
    if keys:
        where.append("key IN " + in_list("key", keys, params))
    sql = (
        "SELECT id, key, name, name_zh, kind, influence, interest, interests, active, address, legal_representative, "
        "registration_number FROM stakeholder" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY key"
    )
    found = tuples(conn, sql, params)
    only = ""
    if keys:
        only = " WHERE stakeholder_id IN " + in_list("sid", [row[0] for row in found], params)
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for sid, channel, value in tuples(
        conn, f"SELECT stakeholder_id, channel, value FROM contact{only} ORDER BY stakeholder_id, position, id", params
    ):
        contacts[sid].append({"channel": channel, "value": value})
    reps: dict[int, list[Representative]] = defaultdict(list)
    for sid, name, title in tuples(
        conn,
        f"SELECT stakeholder_id, name, title FROM representative{only} ORDER BY stakeholder_id, position, id",
        params,
    ):
        reps[sid].append({"name": name, "title": title})
    return [
        {
            "key": key,
            "name": name,
            "name_zh": name_zh,
            "kind": kind_,
            "influence": influence,
            "interest": interest,
            "interests": interests,
            "active": bool(is_active),
            "address": address,
            "legal_representative": legal,
            "registration_number": registration,
            "contacts": contacts.get(sid, []),
            "representatives": reps.get(sid, []),
        }
        for sid, key, name, name_zh, kind_, influence, interest, interests, is_active, address, legal, registration in found
    ]


def get_stakeholder(conn: Conn, key: str) -> Stakeholder:
    key = resolve_key(conn, "stakeholder", key)
    lookup_id(conn, "stakeholder", key, "stakeholder")
    return list_stakeholders(conn, keys=[key])[0]


def stakeholder_id(conn: Conn, key: str) -> int:
    return lookup_id(conn, "stakeholder", resolve_key(conn, "stakeholder", key), "stakeholder")


def write_stakeholders(conn: Conn, records: Sequence[Stakeholder], *, new: bool) -> None:
    """Store checked records: insert them (``new``), or replace the stored ones with the same keys.
    One statement per table for any number of records, so ``apply`` of 2,000 costs what one costs."""
    if not records:
        return
    values = [{"key": r["key"], **{f: r[f] for f in FIELDS}} for r in records]  # type: ignore[literal-required]
    if new and len(records) == 1:
        ids = {records[0]["key"]: insert(conn, "stakeholder", values[0])}
    else:
        if new:
            columns = ", ".join(("key", *FIELDS))
            marks = ", ".join(f":{f}" for f in ("key", *FIELDS))
            executemany(conn, f"INSERT INTO stakeholder ({columns}) VALUES ({marks})", values)
        else:
            sets = ", ".join(f"{f} = :{f}" for f in FIELDS)
            executemany(conn, f"UPDATE stakeholder SET {sets} WHERE key = :key", values)
        params: dict[str, Any] = {}
        ids = {
            key: sid
            for sid, key in tuples(
                conn,
                "SELECT id, key FROM stakeholder WHERE key IN " + in_list("k", [r["key"] for r in records], params),
                params,
            )
        }
    if not new:
        params = {}
        where = in_list("s", ids.values(), params)
        execute(conn, f"DELETE FROM contact WHERE stakeholder_id IN {where}", params)
        execute(conn, f"DELETE FROM representative WHERE stakeholder_id IN {where}", params)
    executemany(
        conn,
        "INSERT INTO contact (stakeholder_id, channel, value, position) VALUES (:s, :c, :v, :p)",
        [
            {"s": ids[r["key"]], "c": c["channel"], "v": c["value"], "p": i}
            for r in records
            for i, c in enumerate(r["contacts"])
        ],
    )
    executemany(
        conn,
        "INSERT INTO representative (stakeholder_id, name, title, position) VALUES (:s, :n, :t, :p)",
        [
            {"s": ids[r["key"]], "n": p["name"], "t": p["title"], "p": i}
            for r in records
            for i, p in enumerate(r["representatives"])
        ],
    )


def add_stakeholder(
    conn: Conn,
    *,
    key: str | None,
    name: str | None,
    kind: str,
    name_zh: str | None = None,
    influence: int | None = None,
    interest: int | None = None,
    interests: str | None = None,
    address: str | None = None,
    legal_representative: str | None = None,
    registration_number: str | None = None,
    contacts: Sequence[Pair] = (),
    representatives: Sequence[Rep] = (),
) -> Stakeholder:
    """Add one party; without ``key``, one is made from its name (``new_key``): the record holds it."""
    if key is None:
        if not (name or name_zh):
            raise InvalidInput(_("give a KEY, or a --name or --name-zh to make one from"))
        key = new_key(conn, "stakeholder", name, name_zh)
    record = check_stakeholder(
        key=key or "",
        name=name or name_zh or "",  # a Chinese-only organisation: its Chinese name serves as its name
        kind=kind,
        name_zh=name_zh,
        influence=influence,
        interest=interest,
        interests=interests,
        address=address,
        legal_representative=legal_representative,
        registration_number=registration_number,
        contacts=contacts,
        representatives=representatives,
    )
    key = record["key"]
    if exists(conn, "stakeholder", key):
        raise AlreadyExists(
            _("stakeholder '{key}' already exists; change it with 'coord stakeholder edit {key}'").format(key=key)
        )
    write_stakeholders(conn, [record], new=True)
    events.record(conn, action="stakeholder.add", entity="stakeholder", key=key, after=record)
    return record


def edit_stakeholder(
    conn: Conn,
    *,
    key: str,
    name: str | None = None,
    name_zh: str | None = None,
    kind: str | None = None,
    influence: int | None = None,
    interest: int | None = None,
    interests: str | None = None,
    active: bool | None = None,
    address: str | None = None,
    legal_representative: str | None = None,
    registration_number: str | None = None,
    add_contacts: Sequence[Pair] = (),
    remove_contacts: Sequence[str] = (),
    add_representatives: Sequence[Rep] = (),
    remove_representatives: Sequence[str] = (),
) -> Stakeholder:
    """Change the fields given (None leaves a field as it is; '' clears an optional one)."""
    key = resolve_key(conn, "stakeholder", key)
    before = get_stakeholder(conn, key)
    contacts = [(c["channel"], c["value"]) for c in before["contacts"]]
    for channel in remove_contacts:
        kept = [(c, v) for c, v in contacts if channel not in (c, v)]
        if len(kept) == len(contacts):
            raise InvalidInput(_("stakeholder '{key}' has no contact '{channel}'").format(key=key, channel=channel))
        contacts = kept
    reps = [(r["name"], r["title"]) for r in before["representatives"]]
    for rep_name in remove_representatives:
        kept_reps = [(n, t) for n, t in reps if n != rep_name]
        if len(kept_reps) == len(reps):
            raise InvalidInput(_("stakeholder '{key}' has no representative '{name}'").format(key=key, name=rep_name))
        reps = kept_reps

    def pick(new: Any, old: Any) -> Any:
        return old if new is None else new

    after = check_stakeholder(
        key=key,
        name=pick(name, before["name"]),
        name_zh=pick(name_zh, before["name_zh"]),
        kind=pick(kind, before["kind"]),
        influence=pick(influence, before["influence"]),
        interest=pick(interest, before["interest"]),
        interests=pick(interests, before["interests"]),
        active=pick(active, before["active"]),
        address=pick(address, before["address"]),
        legal_representative=pick(legal_representative, before["legal_representative"]),
        registration_number=pick(registration_number, before["registration_number"]),
        contacts=[*contacts, *add_contacts],
        representatives=[*reps, *add_representatives],
    )
    if after != before:
        from coordkit.storage.team import refused_as

        with refused_as(conn, _("{login} may not edit {party}"), party=key):
            write_stakeholders(conn, [after], new=False)
        events.record(conn, action="stakeholder.edit", entity="stakeholder", key=key, before=before, after=after)
    return after


def references(conn: Conn, sid: int) -> list[str]:
    """What still points at a stakeholder, in words."""
    found = []
    checks = [
        ("SELECT count(*) FROM assignment WHERE stakeholder_id = :s", "duty assignment(s)"),
        ("SELECT count(*) FROM role_holder WHERE stakeholder_id = :s", "role holding(s)"),
        ("SELECT count(*) FROM project WHERE lead_id = :s", "project(s) it leads"),
        ("SELECT count(DISTINCT version_id) FROM agreement_party WHERE stakeholder_id = :s", "agreement version(s)"),
        ("SELECT count(*) FROM party_key WHERE stakeholder_id = :s", "signing key(s)"),
        (
            "SELECT (SELECT count(*) FROM meeting_attendee WHERE stakeholder_id = :s) + (SELECT count(*) FROM meeting "
            "WHERE chair_id = :s) + (SELECT count(*) FROM meeting_action WHERE owner_id = :s)",
            "meeting record(s)",
        ),
        (
            "SELECT (SELECT count(*) FROM interaction WHERE stakeholder_id = :s) + (SELECT count(*) FROM concern "
            "WHERE :s IN (raised_by_id, against_id, holder_id)) + (SELECT count(*) FROM concern_step WHERE to_id = :s)",
            "contact(s) and concern(s)",
        ),
    ]
    for sql, words in checks:
        count = scalar(conn, sql, {"s": sid})
        if count:
            found.append(f"{count} {words}")
    return found


def remove_stakeholder(conn: Conn, *, key: str) -> Stakeholder:
    key = resolve_key(conn, "stakeholder", key)
    sid = stakeholder_id(conn, key)
    refs = references(conn, sid)
    if refs:
        raise Refused(
            _(
                "stakeholder '{key}' is still referenced by {references}; "
                "retire it with 'coord stakeholder edit {key} --inactive' instead"
            ).format(key=key, references=", ".join(refs))
        )
    before = get_stakeholder(conn, key)
    for table, column in (("contact", "stakeholder_id"), ("representative", "stakeholder_id"), ("stakeholder", "id")):
        execute(conn, f"DELETE FROM {table} WHERE {column} = :s", {"s": sid})
    events.record(conn, action="stakeholder.remove", entity="stakeholder", key=key, before=before)
    return before
