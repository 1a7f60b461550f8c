"""Carrying a plan out: the same rules and writers as the commands, in the caller's one transaction.

Stakeholders, projects, roles and duties are written with one statement per
table for any number of them (the services' ``write_*`` functions, which the
commands use for one); agreements go through the agreement services, so frozen
terms are refused in exactly the same words as on the command line.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from coordkit.canonical import CURRENT_FORM
from coordkit.domain.duties import Letter, check_letters
from coordkit.domain.projects import ProjectFields
from coordkit.errors import CoordError, InvalidInput, Refused
from coordkit.i18n import _
from coordkit.services.ascode.export import export_state
from coordkit.services.ascode.load import Known, Loaded, at_field, check_references, dotted
from coordkit.services.ascode.plan import Change, plan
from coordkit.services.ascode.shape import ENTITIES, SINGULAR, identity
from coordkit.services.duties import check_not_alias, write_assignments, write_duties
from coordkit.services.projects import write_categories, write_projects
from coordkit.services.stakeholders import write_stakeholders
from coordkit.storage import events
from coordkit.storage.documents import read_document
from coordkit.storage.sql import Conn, column, execute, executemany, in_list, tuples

Todo = list[tuple[Change, dict[str, Any]]]


def apply(conn: Conn, *, loaded: Loaded, workspace: Path) -> list[Change]:
    """Make the store say what the files say, in the caller's transaction; returns the plan carried out."""
    current = export_state(conn)
    check_references(loaded, Known.of(loaded.items).merge(Known.of(current)))
    changes = plan(current, loaded.items)
    desired = {entity: {identity(entity, item): item for item in loaded.items[entity]} for entity in ENTITIES}
    todo: dict[str, Todo] = defaultdict(list)
    for change in changes:
        if change.action != "unchanged":
            todo[change.entity].append((change, desired[change.entity][change.key]))
    _check_against_store(conn, loaded, todo["duties"])
    before = {entity: {identity(entity, item): item for item in current[entity]} for entity in ENTITIES}
    _apply_stakeholders(conn, todo["stakeholders"])
    _apply_resources(conn, todo["resources"])
    _apply_projects(conn, todo["projects"])
    _apply_roles(conn, todo["roles"])
    _apply_duties(conn, todo["duties"])
    log = [
        {
            "action": f"{SINGULAR[c.entity]}.apply",
            "entity": SINGULAR[c.entity],
            "key": c.key,
            "before": before[c.entity].get(c.key),
            "after": item,
        }
        for entity in ("stakeholders", "resources", "projects", "roles", "duties")
        for c, item in todo[entity]
    ]
    events.record_many(conn, log)
    for change, item in todo["agreements"]:
        with _located(loaded, "agreements", change.key):
            _apply_agreement(conn, change, item, workspace, exists=change.key in before["agreements"])
    for change, item in todo["meetings"]:
        with _located(loaded, "meetings", change.key):
            _apply_meeting(conn, change, item)
    _apply_interactions(conn, loaded, todo["interactions"])
    for change, item in todo["concerns"]:
        with _located(loaded, "concerns", change.key):
            _apply_concern(conn, change, item)
    events.record_many(
        conn,
        [
            {
                "action": f"{SINGULAR[c.entity]}.apply",
                "entity": SINGULAR[c.entity],
                "key": c.key,
                "before": before[c.entity].get(c.key),
                "after": item,
            }
            for entity in ("meetings", "interactions", "concerns")
            for c, item in todo[entity]
        ],
    )
    return changes


def _apply_meeting(conn: Conn, change: Change, item: dict[str, Any]) -> None:
    """A new meeting is written (and sealed if the file signs it off); one not signed off yet is rewritten; a
    signed-off one takes only follow-up (actions done), never other minutes."""
    from coordkit.domain.meetings import canonical_minutes
    from coordkit.services.meetings import fields_of, minutes_of, refuse_if_signed, seal, write_minutes
    from coordkit.storage.lookup import lookup_id
    from coordkit.storage.meetings import read_meetings

    pkey = item["project"]
    pid = lookup_id(conn, "project", pkey, "project")
    minutes = minutes_of(project=pkey, key=item["key"], **fields_of(item))
    signed = item.get("signed_off")
    if change.action == "create":
        mid = write_minutes(conn, pid, pkey, minutes)
        if signed:
            seal(conn, mid, minutes, by=signed["by"], on=signed["date"])
        return
    stored = read_meetings(conn, project_id=pid, key=item["key"])[0]
    mid = lookup_id(conn, "meeting", item["key"], "meeting", project_id=pid)
    if stored["signed_off"] is None:
        write_minutes(conn, pid, pkey, minutes, replace=mid)
        if signed:
            seal(conn, mid, minutes, by=signed["by"], on=signed["date"])
        return
    kept = {"by": stored["signed_off"]["by"], "date": stored["signed_off"]["date"]}
    if canonical_minutes(minutes) != canonical_minutes(stored) or signed != kept:
        refuse_if_signed(stored)
    executemany(
        conn,
        "UPDATE meeting_action SET done_on = :done, note = :note WHERE meeting_id = :m AND number = :number",
        [{"done": a["done"], "note": a["note"], "m": mid, "number": a["number"]} for a in minutes["actions"]],
    )


def _apply_interactions(conn: Conn, loaded: Loaded, todo: Todo) -> None:
    """Contacts are a log: new ones are added; one already logged never changes."""
    from coordkit.i18n import _
    from coordkit.services.contacts import interaction_record, write_interactions

    for change, _item in todo:
        if change.action == "change":
            located, base = loaded.where[("interactions", change.key)]
            message = _("contact '{key}' is logged as it happened and never changes; log a new contact instead")
            raise Refused(
                _("{where}: {message}").format(where=located.where(base), message=message.format(key=change.key))
            )
    write_interactions(conn, [interaction_record(item) for _change, item in todo])


def _apply_concern(conn: Conn, change: Change, item: dict[str, Any]) -> None:
    """A new concern is written with its steps; for one already recorded, the file may only add steps after the
    recorded ones (each checked against the state before it, as the commands check them)."""
    from coordkit.domain.concerns import parse_about, replay, step_record
    from coordkit.i18n import _
    from coordkit.services.concerns import append_steps, check_about, get_concern, write_concern
    from coordkit.storage.lookup import lookup_id

    pkey = item["project"]
    pid = lookup_id(conn, "project", pkey, "project")
    steps = [step_record(step) for step in item.get("steps", [])]
    if change.action == "create":
        check_about(conn, parse_about(item["about"]), pid, pkey)
        state = replay(item["key"], against=item["against"], opened=item["opened"], steps=steps)
        record = {**item, "severity": item.get("severity", "medium")}
        write_concern(conn, pid=pid, record=record, steps=steps, state=state)
        return
    stored = get_concern(conn, key=item["key"])
    same = all(
        stored[name] == item.get(name, "medium" if name == "severity" else None)
        for name in ("project", "by", "against", "about", "severity", "text", "opened")
    )
    recorded = [step_record(step) for step in stored["steps"]]
    if not same or steps[: len(recorded)] != recorded:
        raise Refused(
            _("concern '{key}': its particulars and recorded steps never change; add new steps after them").format(
                key=item["key"]
            )
        )
    append_steps(conn, item["key"], steps[len(recorded) :])


class _located:
    """Errors from the services about one entity, with the file, line and field path it came from."""

    def __init__(self, loaded: Loaded, entity: str, key: str) -> None:
        self.loaded, self.entity, self.key = loaded, entity, key

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, _tb: Any) -> None:
        if isinstance(error, CoordError) and error.field:
            located, base = self.loaded.where[(self.entity, self.key)]
            path = (*base, *error.field)
            raise type(error)(at_field(located.where(path), dotted(path), error)) from None


def _check_against_store(conn: Conn, loaded: Loaded, todo: Todo) -> None:
    """A duty's letters in the file must not double the letters its signed agreements give (the
    command refuses the same): ``R`` twice for one party in overlapping windows is one too many."""
    if not todo:
        return
    held: dict[str, list[Letter]] = defaultdict(list)
    for pkey, dkey, skey, letter, start, end in tuples(
        conn,
        "SELECT p.key, d.key, s.key, a.letter, a.valid_from, a.valid_to FROM assignment a "
        "JOIN duty d ON d.id = a.duty_id JOIN project p ON p.id = d.project_id "
        "JOIN stakeholder s ON s.id = a.stakeholder_id WHERE a.source <> 'manual'",
    ):
        held[f"{pkey}/{dkey}"].append(Letter(skey, letter, _iso(start), _iso(end)))
    errors = []
    for change, duty in todo:
        if change.key not in held:
            continue
        letters = [
            Letter(a.get("stakeholder") or f"role:{a['role']}", a["as"], a.get("from"), a.get("to"))
            for a in duty.get("assignments", [])
        ]
        try:
            check_letters(duty["key"], letters, held=held[change.key])
        except CoordError as error:
            located, base = loaded.where[("duties", change.key)]
            path = (*base, *error.field)
            errors.append(at_field(located.where(path), dotted(path), error))
    if errors:
        raise InvalidInput("\n".join(errors))


def _iso(value: Any) -> str | None:
    from coordkit.dates import iso

    return iso(value)


def _ids(conn: Conn, table: str) -> dict[str, int]:
    return {key: rid for rid, key in tuples(conn, f"SELECT id, key FROM {table}")}


def _scoped_ids(conn: Conn, table: str) -> dict[str, int]:
    return {
        f"{pkey}/{key}": rid
        for rid, key, pkey in tuples(
            conn, f"SELECT t.id, t.key, p.key FROM {table} t JOIN project p ON p.id = t.project_id"
        )
    }


def _record(item: dict[str, Any]) -> Any:
    """A stakeholder of a file as the register keeps it (the file leaves defaults out)."""
    return {
        "key": item["key"],
        "name": item["name"],
        "name_zh": item.get("name_zh"),
        "kind": item["kind"],
        "influence": item.get("influence"),
        "interest": item.get("interest"),
        "interests": item.get("interests"),
        "active": item.get("active", True),
        "address": item.get("address"),
        "legal_representative": item.get("legal_representative"),
        "registration_number": item.get("registration_number"),
        "contacts": item.get("contacts", []),
        "representatives": [{"name": r["name"], "title": r.get("title")} for r in item.get("representatives", [])],
    }


def _apply_stakeholders(conn: Conn, todo: Todo) -> None:
    for new in (True, False):
        records = [_record(item) for change, item in todo if (change.action == "create") == new]
        write_stakeholders(conn, records, new=new)
    for _change, item in todo:
        _apply_keys(conn, item["key"], item.get("keys", []))


def _apply_aliases(conn: Conn, todo: Todo, duties: dict[str, int]) -> None:
    """Old keys of merged duties the store lacks are added; none is removed or moved to another duty."""
    projects = _ids(conn, "project")
    have = {
        f"{pkey}/{key}": did
        for key, did, pkey in tuples(
            conn, "SELECT a.key, a.duty_id, p.key FROM duty_alias a JOIN project p ON p.id = a.project_id"
        )
    }
    rows = []
    for change, d in todo:
        for alias in d.get("aliases", []):
            scoped = f"{d['project']}/{alias['key']}"
            if scoped in duties:
                raise InvalidInput(
                    _("duty '{key}': its old key '{old}' is another duty's key").format(
                        key=change.key, old=alias["key"]
                    )
                )
            if scoped in have:
                if have[scoped] != duties[change.key]:
                    raise Refused(
                        _("duty '{key}': '{old}' is already the old key of another duty").format(
                            key=change.key, old=alias["key"]
                        )
                    )
                continue
            rows.append(
                {
                    "p": projects[d["project"]],
                    "key": alias["key"],
                    "d": duties[change.key],
                    "t": alias["title"],
                    "z": alias.get("title_zh"),
                    "at": alias["merged"],
                }
            )
    executemany(
        conn,
        "INSERT INTO duty_alias (project_id, key, duty_id, title, title_zh, merged_at) VALUES (:p, :key, :d, :t, :z, :at)",
        rows,
    )


def _apply_resources(conn: Conn, todo: Todo) -> None:
    """Registered resources: new ones inserted, changed ones updated in place (their bookings keep pointing at them)."""
    from coordkit.domain.resources import ResourceFields
    from coordkit.services.resources import write_resources

    people = _ids(conn, "stakeholder")
    records: list[ResourceFields] = [
        {
            "key": r["key"],
            "name": r["name"],
            "name_zh": r.get("name_zh"),
            "capacity": r.get("capacity", 1),
            "owner": r.get("owner"),
            "budget": r.get("budget"),
            "unit": r.get("unit"),
        }
        for _change, r in todo
    ]
    created = {change.key for change, _r in todo if change.action == "create"}
    write_resources(conn, [r for r in records if r["key"] in created])
    executemany(
        conn,
        "UPDATE resource SET name = :name, name_zh = :name_zh, capacity = :capacity, owner_id = :owner, "
        "budget = :budget, unit = :unit WHERE key = :key",
        [{**r, "owner": people.get(r["owner"] or "")} for r in records if r["key"] not in created],
    )


def _apply_keys(conn: Conn, party: str, wanted: list[str]) -> None:
    """Register the keys a file lists after those the store has (oldest first; each one after the first
    rotates). A key the store has is never removed, so the file must list them all, in order."""
    from coordkit.services.keys import key_fingerprint, parse_public_key, register_key

    have = [
        str(k)
        for k in column(
            conn,
            "SELECT k.public_key FROM party_key k JOIN stakeholder s ON s.id = k.stakeholder_id WHERE s.key = :p "
            "ORDER BY k.id",
            {"p": party},
        )
    ]
    fingerprints = [key_fingerprint(parse_public_key(k)) for k in wanted]
    if [key_fingerprint(parse_public_key(k)) for k in have] != fingerprints[: len(have)]:
        raise Refused(
            _(
                "stakeholder '{party}': registered keys are never removed or reordered; list them all, oldest first"
            ).format(party=party)
        )
    for public_key in wanted[len(have) :]:
        register_key(conn, party=party, public_key=public_key, rotate=bool(have))
        have.append(public_key)


def _apply_projects(conn: Conn, todo: Todo) -> None:
    people = _ids(conn, "stakeholder")
    leads = {item["key"]: people.get(item.get("lead", "")) for _change, item in todo}
    for new in (True, False):
        records: list[ProjectFields] = [
            {
                "key": p["key"],
                "name": p["name"],
                "name_zh": p.get("name_zh"),
                "start": p.get("start"),
                "end": p.get("end"),
            }
            for change, p in todo
            if (change.action == "create") == new
        ]
        write_projects(conn, records, leads, new=new)
    ids = _ids(conn, "project")
    for _change, item in todo:
        write_categories(conn, ids[item["key"]], item.get("categories", []))


def _apply_roles(conn: Conn, todo: Todo) -> None:
    projects, people = _ids(conn, "project"), _ids(conn, "stakeholder")
    executemany(
        conn,
        "INSERT INTO role (project_id, key, name, name_zh, description) VALUES (:p, :k, :n, :z, :d)",
        [
            {
                "p": projects[r["project"]],
                "k": r["key"],
                "n": r["name"],
                "z": r.get("name_zh"),
                "d": r.get("description"),
            }
            for change, r in todo
            if change.action == "create"
        ],
    )
    roles = _scoped_ids(conn, "role")
    changed = [roles[change.key] for change, _r in todo if change.action == "change"]
    executemany(
        conn,
        "UPDATE role SET name = :n, name_zh = :z, description = :d WHERE id = :id",
        [
            {"n": r["name"], "z": r.get("name_zh"), "d": r.get("description"), "id": roles[c.key]}
            for c, r in todo
            if c.action == "change"
        ],
    )
    if changed:
        params: dict[str, Any] = {}
        execute(conn, f"DELETE FROM role_holder WHERE role_id IN {in_list('r', changed, params)}", params)
    executemany(
        conn,
        "INSERT INTO role_holder (role_id, stakeholder_id, valid_from, valid_to) VALUES (:r, :s, :f, :t)",
        [
            {"r": roles[change.key], "s": people[h["stakeholder"]], "f": h.get("from"), "t": h.get("to")}
            for change, r in todo
            for h in r.get("holders", [])
        ],
    )


def _apply_duties(conn: Conn, todo: Todo) -> None:
    projects, people, roles = _ids(conn, "project"), _ids(conn, "stakeholder"), _scoped_ids(conn, "role")
    by_project: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
    for change, d in todo:
        fields = {
            "key": d["key"],
            "title": d["title"],
            "title_zh": d.get("title_zh"),
            "category": d.get("category"),
            "due": d.get("due"),
        }
        by_project[(d["project"], change.action == "create")].append(fields)
    for (project, new), records in by_project.items():
        if new:
            for record in records:
                check_not_alias(conn, record["key"], projects[project])
        write_duties(conn, projects[project], records, new=new)  # type: ignore[arg-type]
    duties = _scoped_ids(conn, "duty")
    executemany(
        conn,
        "UPDATE duty SET exclusive = :x WHERE id = :d",
        [{"x": bool(d.get("exclusive")), "d": duties[change.key]} for change, d in todo],
    )
    changed = [duties[change.key] for change, _d in todo if change.action == "change"]
    if changed:
        params: dict[str, Any] = {}
        execute(
            conn,
            f"DELETE FROM assignment WHERE source = 'manual' AND duty_id IN {in_list('d', changed, params)}",
            params,
        )
    if changed:
        params = {}
        execute(conn, f"DELETE FROM duty_resource WHERE duty_id IN {in_list('d', changed, params)}", params)
    _apply_aliases(conn, todo, duties)
    resources = _ids(conn, "resource")
    executemany(
        conn,
        "INSERT INTO duty_resource (duty_id, resource_id, slot, units, position) VALUES (:d, :r, :slot, :units, :pos)",
        [
            {
                "d": duties[change.key],
                "r": resources[u["resource"]],
                "slot": u["when"],
                "units": u.get("units", 1),
                "pos": position + 1,
            }
            for change, d in todo
            for position, u in enumerate(d.get("uses", []))
        ],
    )
    write_assignments(
        conn,
        [
            {
                "duty": duties[change.key],
                "stakeholder": people.get(a.get("stakeholder", "")),
                "role": roles.get(f"{d['project']}/{a['role']}") if "role" in a else None,
                "letter": a["as"],
                "from": a.get("from"),
                "to": a.get("to"),
            }
            for change, d in todo
            for a in d.get("assignments", [])
        ],
    )


TERMS = (
    "version",
    "fingerprint",
    "form",
    "notice",
    "renewal",
    "clauses",
    "title",
    "title_zh",
    "kind",
    "effective",
    "expires",
    "review_every",
    "languages",
    "notes",
    "parties",
    "goals",
    "methods",
    "dispute_resolution",
    "communication",
    "rights",
    "obligations",
    "resources",
)


def _apply_agreement(conn: Conn, change: Change, item: dict[str, Any], workspace: Path, *, exists: bool) -> None:
    from coordkit.services.agreements import drafting, life
    from coordkit.spec import AgreementSpec

    key = item["key"]
    spec = AgreementSpec.model_validate(
        {k: v for k, v in item.items() if k not in ("status", "signatures", "terminated_on", "termination_reason")}
    )
    if not exists:
        drafting.new_from_spec(conn, spec=spec)
        current: dict[str, Any] = {"status": "draft", "signatures": []}
    else:
        doc = read_document(conn, key)
        current = {"status": doc["status"], "signatures": doc["signatures"]}
        if any(name in (f for f, _o, _n in change.fields) for name in TERMS):
            drafting.replace_terms(conn, key=key, spec=spec)  # refuses frozen terms, as the CLI does
    wanted = item.get("status", "draft")
    have = {s["party"] for s in current["signatures"]}
    recorded = {s["party"]: s for s in current["signatures"]}
    for signature in item.get("signatures", []):
        old = recorded.get(signature["party"])
        if old is not None and (old["signatory"], old["date"], old["method"], old["title"]) != (
            signature["signatory"],
            signature["date"],
            signature["method"],
            signature.get("title"),
        ):
            raise Refused(
                _("agreement '{key}': the signature of '{party}' is recorded and cannot change").format(
                    key=key, party=signature["party"]
                )
            )
    gone = have - {s["party"] for s in item.get("signatures", [])}
    if gone:
        raise Refused(
            _("agreement '{key}': recorded signatures are never removed ({parties})").format(
                key=key, parties=", ".join(sorted(gone))
            )
        )
    new_signatures = [s for s in item.get("signatures", []) if s["party"] not in have]
    if (wanted != "draft" or new_signatures) and current["status"] == "draft":
        life.circulate(
            conn,
            key=key,
            as_signed={p["stakeholder"]: p["as_signed"] for p in item.get("parties", []) if p.get("as_signed")},
            form=item.get("form") or CURRENT_FORM,
            expect=item.get("fingerprint"),
        )
    for signature in new_signatures:
        life.sign(
            conn,
            key=key,
            party=signature["party"],
            signatory=signature["signatory"],
            title=signature.get("title"),
            date=signature["date"],
            method=signature["method"],
            workspace=workspace,
            recorded=life.RecordedProof(signature.get("key"), signature.get("key_signature"), signature.get("scan")),
        )
    if item.get("fulfilment"):
        from coordkit.services.obligations import append_reports

        append_reports(conn, key=key, reports=item["fulfilment"])
    if item.get("reviews"):
        from coordkit.services.reviews import apply_reviews

        apply_reviews(conn, agreement=key, reviews=item["reviews"])
    if wanted == "terminated" and current["status"] != "terminated":
        life.terminate(conn, key=key, reason=item.get("termination_reason") or "terminated", date=item["terminated_on"])
    elif wanted == "draft" and current["status"] != "draft":
        raise Refused(
            _("agreement '{key}' is {status}; it cannot go back to draft").format(
                key=key, status=life.status_word(current["status"])
            )
        )
