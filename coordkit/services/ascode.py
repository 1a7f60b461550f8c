"""Agreements as code: workspaces described in YAML files, validated, planned, applied, exported.

``load`` reads and merges files (every error names file, line, column and field
path); ``export_state`` writes the store in the same shape, in a fixed order;
``plan`` compares the two (a pure function, as pip-tools' ``diff``); ``apply``
carries a plan out in the caller's one transaction, with bulk statements for
the large tables and the agreement services for agreements, so that signed
terms are refused in exactly the same words as on the command line.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordkit.dates import iso
from coordkit.errors import InvalidInput, Refused
from coordkit.services.common import KEY_RE
from coordkit.services.stakeholders import KINDS
from coordkit.storage.sql import Conn, connection, executemany, rows, tuples

if TYPE_CHECKING:
    from sqlmodel import Session

    from coordkit.yamlio import Located

ENTITIES = ("stakeholders", "projects", "roles", "duties", "agreements")
SINGULAR = {
    "stakeholders": "stakeholder",
    "projects": "project",
    "roles": "role",
    "duties": "duty",
    "agreements": "agreement",
}


# ---------------------------------------------------------------- shape


def _clean(value: Any) -> Any:
    """Drop empty optional values so that equal things serialise equally."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def identity(entity: str, item: dict[str, Any]) -> str:
    """The key an entity is known by in plans and errors (``project/key`` for roles and duties)."""
    return f"{item['project']}/{item['key']}" if entity in ("roles", "duties") else str(item["key"])


LETTER_ORDER = {"R": 0, "A": 1, "C": 2, "I": 3}


def _assignment_order(a: dict[str, Any]) -> tuple[Any, ...]:
    return (LETTER_ORDER[a["as"]], a.get("stakeholder") or a.get("role"), a.get("from") or "", a.get("to") or "")


def _holder_order(h: dict[str, Any]) -> tuple[Any, ...]:
    return (h["stakeholder"], h.get("from") or "", h.get("to") or "")


def _normalise(entity: str, item: dict[str, Any]) -> dict[str, Any]:
    """One canonical form for an entity, whether it came from a file or from the store."""
    if entity == "stakeholders" and item.get("active") is True:
        item.pop("active")
    if entity == "agreements":
        item = _agreement_shape(item)
    if entity == "duties" and item.get("assignments"):
        item["assignments"] = sorted(item["assignments"], key=_assignment_order)
    if entity == "roles" and item.get("holders"):
        item["holders"] = sorted(item["holders"], key=_holder_order)
    return _clean(item)


def _agreement_shape(item: dict[str, Any]) -> dict[str, Any]:
    for obligation in item.get("obligations", []):
        for name in ("duty", "as", "due"):
            if obligation.get(name) is None:
                obligation.pop(name, None)
    for resource in item.get("resources", []):
        resource["amount"] = _amount(resource["amount"])
    if item.get("status") in (None, "draft") and not item.get("signatures"):
        item.pop("status", None)
    if item.get("kind") == "activity":
        item.pop("kind")
    return item


def _amount(value: Any) -> str:
    from coordkit.services.agreements import check_amount

    return check_amount(str(value))


# ---------------------------------------------------------------- loading


@dataclass
class Loaded:
    """Files read, validated and merged (as export-shaped dicts), with where each entity came from."""

    items: dict[str, list[dict[str, Any]]]
    where: dict[tuple[str, str], tuple[Located, tuple[str | int, ...]]] = field(default_factory=dict)

    def at(self, entity: str, key: str, *path: str | int) -> str:
        located, base = self.where[(entity, key)]
        return located.where((*base, *path))


def _validate_file(located: Located) -> dict[str, list[dict[str, Any]]]:
    """Validate one file entity by entity, keeping only the validated dicts (a fraction of the memory
    that the raw data, the models and the dicts of a 100,000-assignment file would take together)."""
    from coordkit.spec import MODELS, WorkspaceSpec, unknown_field, validate

    data = located.data
    if not isinstance(data, dict):
        raise InvalidInput(f"{located.name}:1:1: a workspace file is a mapping (version, projects, stakeholders, …)")
    for name in data:
        if name not in WorkspaceSpec.model_fields:
            raise InvalidInput(unknown_field(WorkspaceSpec, located, (), str(name)))
    if data.get("version", 1) != 1:
        raise InvalidInput(f"{located.where(('version',))}: version: this coord reads version 1 files")
    out: dict[str, list[dict[str, Any]]] = {}
    for entity in ENTITIES:
        raw = data.get(entity) or []
        if not isinstance(raw, list):
            raise InvalidInput(f"{located.where((entity,))}: {entity}: must be a list")
        items = []
        for index in range(len(raw)):
            model = validate(MODELS[entity], located, (entity, index))
            raw[index] = None
            items.append(_normalise(entity, model.model_dump(mode="json", by_alias=True)))
        out[entity] = items
    located.data = None  # the text stays, to find positions for errors
    return out


def load(paths: Sequence[Path]) -> Loaded:
    """Read, validate and merge workspace files; all errors at once, each with file, line and column."""
    from coordkit.yamlio import load_file

    if not paths:
        raise InvalidInput("name at least one YAML file")
    merged: dict[str, list[dict[str, Any]]] = {entity: [] for entity in ENTITIES}
    where: dict[tuple[str, str], tuple[Located, tuple[str | int, ...]]] = {}
    errors: list[str] = []
    for path in paths:
        located = load_file(path)
        if located.data is None:
            continue
        items = _validate_file(located)
        for entity in ENTITIES:
            for index, item in enumerate(items[entity]):
                if entity == "agreements" and not item.get("key"):
                    errors.append(
                        f"{located.where((entity, index))}: {entity}[{index}].key: an agreement in a "
                        "workspace file needs a key"
                    )
                    continue
                key = identity(entity, item)
                if (entity, key) in where:
                    first, base = where[(entity, key)]
                    errors.append(
                        f"{located.where((entity, index, 'key'))}: {entity}[{index}].key: "
                        f"{SINGULAR[entity]} '{key}' is already defined at {first.where((*base, 'key'))}"
                    )
                    continue
                where[(entity, key)] = (located, (entity, index))
                merged[entity].append(item)
    if errors:
        raise InvalidInput("\n".join(errors))
    return Loaded(merged, where)


@dataclass
class Known:
    """Keys that references may name: from the files, plus (for apply) from the store."""

    stakeholders: set[str] = field(default_factory=set)
    projects: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)  # project/key
    duties: set[str] = field(default_factory=set)  # project/key

    @classmethod
    def of(cls, items: dict[str, list[dict[str, Any]]]) -> Known:
        return cls(
            {s["key"] for s in items["stakeholders"]},
            {p["key"] for p in items["projects"]},
            {f"{r['project']}/{r['key']}" for r in items["roles"]},
            {f"{d['project']}/{d['key']}" for d in items["duties"]},
        )

    def merge(self, other: Known) -> Known:
        return Known(
            self.stakeholders | other.stakeholders,
            self.projects | other.projects,
            self.roles | other.roles,
            self.duties | other.duties,
        )


def _unknown(kind: str, key: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
    return f"no {kind} '{key}'" + (f"; did you mean '{close[0]}'?" if close else "")


def check_references(loaded: Loaded, known: Known) -> None:
    """Keys well formed, kinds known, and every reference pointing at something that exists."""
    errors: list[str] = []
    items = loaded.items

    def bad(entity: str, key: str, path: tuple[str | int, ...], label: str, message: str) -> None:
        errors.append(f"{loaded.at(entity, key, *path)}: {label}: {message}")

    for entity in ("stakeholders", "projects", "roles", "duties"):
        for index, item in enumerate(items[entity]):
            if not KEY_RE.match(item["key"]):
                bad(
                    entity,
                    identity(entity, item),
                    ("key",),
                    f"{entity}[{index}].key",
                    f"'{item['key']}' is not a slug (lower-case letters, digits, '-', '_' or '.')",
                )
    for index, item in enumerate(items["stakeholders"]):
        if item["kind"] not in KINDS:
            close = difflib.get_close_matches(item["kind"], KINDS, n=1)
            bad(
                "stakeholders",
                item["key"],
                ("kind",),
                f"stakeholders[{index}].kind",
                f"'{item['kind']}' is not a kind" + (f"; did you mean '{close[0]}'?" if close else ""),
            )

    def ref(
        entity: str, key: str, path: tuple[str | int, ...], label: str, kind: str, value: str, pool: set[str]
    ) -> None:
        if value not in pool:
            bad(entity, key, path, label, _unknown(kind, value, pool))

    roles_of: dict[str, set[str]] = defaultdict(set)
    for scoped in known.roles:
        project_key, _, role_key = scoped.partition("/")
        roles_of[project_key].add(role_key)
    duties_of: dict[str, set[str]] = defaultdict(set)
    for scoped in known.duties:
        project_key, _, duty_key = scoped.partition("/")
        duties_of[project_key].add(duty_key)
    for index, project in enumerate(items["projects"]):
        if project.get("lead"):
            ref(
                "projects",
                project["key"],
                ("lead",),
                f"projects[{index}].lead",
                "stakeholder",
                project["lead"],
                known.stakeholders,
            )
    for index, role in enumerate(items["roles"]):
        key = identity("roles", role)
        ref("roles", key, ("project",), f"roles[{index}].project", "project", role["project"], known.projects)
        for h, holder in enumerate(role.get("holders", [])):
            ref(
                "roles",
                key,
                ("holders", h, "stakeholder"),
                f"roles[{index}].holders[{h}].stakeholder",
                "stakeholder",
                holder["stakeholder"],
                known.stakeholders,
            )
    for index, duty in enumerate(items["duties"]):
        key = identity("duties", duty)
        ref("duties", key, ("project",), f"duties[{index}].project", "project", duty["project"], known.projects)
        for a, assignment in enumerate(duty.get("assignments", [])):
            if "stakeholder" in assignment:
                ref(
                    "duties",
                    key,
                    ("assignments", a, "stakeholder"),
                    f"duties[{index}].assignments[{a}].stakeholder",
                    "stakeholder",
                    assignment["stakeholder"],
                    known.stakeholders,
                )
            else:
                roles = roles_of.get(duty["project"], set())
                ref(
                    "duties",
                    key,
                    ("assignments", a, "role"),
                    f"duties[{index}].assignments[{a}].role",
                    "role",
                    assignment["role"],
                    roles,
                )
    for index, agreement in enumerate(items["agreements"]):
        key = agreement["key"]
        label = f"agreements[{index}]"
        if agreement.get("project") is None:
            bad("agreements", key, (), f"{label}.project", "required in a workspace file")
            continue
        ref("agreements", key, ("project",), f"{label}.project", "project", agreement["project"], known.projects)
        parties = [p["stakeholder"] for p in agreement.get("parties", [])]
        if len(parties) < 2:
            bad("agreements", key, ("parties",), f"{label}.parties", "an agreement needs at least two parties")
        for p, party in enumerate(parties):
            ref(
                "agreements",
                key,
                ("parties", p, "stakeholder"),
                f"{label}.parties[{p}].stakeholder",
                "stakeholder",
                party,
                known.stakeholders,
            )
        duties = duties_of.get(agreement["project"], set())
        for section in ("rights", "obligations", "resources", "signatures"):
            for i, clause in enumerate(agreement.get(section, [])):
                ref(
                    "agreements",
                    key,
                    (section, i, "party"),
                    f"{label}.{section}[{i}].party",
                    "party",
                    clause["party"],
                    set(parties),
                )
                if section == "obligations" and clause.get("duty"):
                    ref(
                        "agreements",
                        key,
                        (section, i, "duty"),
                        f"{label}.{section}[{i}].duty",
                        "duty",
                        clause["duty"],
                        duties,
                    )
        signed = {s["party"] for s in agreement.get("signatures", [])}
        if agreement.get("status") in ("signed", "terminated") and signed != set(parties):
            missing = ", ".join(p for p in parties if p not in signed)
            bad(
                "agreements",
                key,
                ("status",),
                f"{label}.status",
                f"'{agreement['status']}' needs every party's signature; missing: {missing}",
            )
        if agreement.get("status") == "terminated" and not agreement.get("terminated_on"):
            bad("agreements", key, ("status",), f"{label}.terminated_on", "a terminated agreement needs terminated_on")
    if errors:
        raise InvalidInput("\n".join(errors))


# ---------------------------------------------------------------- export


def _projects(conn: Conn, project: str | None) -> list[tuple[int, str]]:
    found = sorted(((pid, pkey) for pid, pkey in tuples(conn, "SELECT id, key FROM project")), key=lambda p: p[1])
    return [(pid, pkey) for pid, pkey in found if not project or pkey == project]


def project_duties(conn: Conn, pid: int, pkey: str) -> list[dict[str, Any]]:
    """One project's duties in export shape, sorted by key, with their manual assignments."""
    from coordkit.services.duties import _assignments

    assigned = _assignments(conn, pid, None)
    duties = []
    for did, key, title, title_zh, category, due in tuples(
        conn, "SELECT id, key, title, title_zh, category, due_on FROM duty WHERE project_id = :p", {"p": pid}
    ):
        manual = [
            {"as": a["letter"], "stakeholder": a["stakeholder"], "role": a["role"], "from": a["from"], "to": a["to"]}
            for a in assigned.get(did, [])
            if a["source"] == "manual"
        ]
        duties.append(
            _normalise(
                "duties",
                {
                    "project": pkey,
                    "key": key,
                    "title": title,
                    "title_zh": title_zh,
                    "category": category,
                    "due": iso(due),
                    "assignments": manual,
                },
            )
        )
    return sorted(duties, key=lambda d: d["key"])


def export_state(conn: Conn, *, project: str | None = None, with_duties: bool = True) -> dict[str, Any]:
    """The store as a workspace file, in a fixed order (``apply`` of it changes nothing)."""
    from coordkit.services.agreements import documents, newest_version_ids, spec_of
    from coordkit.services.common import lookup_id
    from coordkit.services.roles import list_roles
    from coordkit.services.stakeholders import list_stakeholders

    if project:
        lookup_id(conn, "project", project, "project")
    projects = [
        _clean(
            {
                "key": r.key,
                "name": r.name,
                "name_zh": r.name_zh,
                "start": iso(r.starts_on),
                "end": iso(r.ends_on),
                "lead": r.lead,
            }
        )
        for r in rows(
            conn,
            "SELECT p.key, p.name, p.name_zh, p.starts_on, p.ends_on, s.key AS lead FROM project p "
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
                _clean(
                    {
                        "project": pkey,
                        "key": role["key"],
                        "name": role["name"],
                        "description": role["description"],
                        "holders": holders,
                    }
                )
            )
        if with_duties:
            duties.extend(project_duties(conn, pid, pkey))
    agreements = []
    for doc in documents(conn, version_ids=newest_version_ids(conn, project=project)):
        item = spec_of(doc)
        if doc["status"] != "draft":
            item["status"] = doc["status"]
        item["signatures"] = [
            {
                "party": s["party"],
                "signatory": s["signatory"],
                "title": s["title"],
                "date": s["date"],
                "method": s["method"],
            }
            for s in doc["signatures"]
        ]
        item["terminated_on"] = doc["terminated_on"]
        item["termination_reason"] = doc["termination_reason"]
        agreements.append(_clean(_agreement_shape(item)))
    wanted: set[str] | None = None
    if project:
        wanted = (
            {p.get("lead") for p in projects if p.get("lead")}
            | {h["stakeholder"] for r in roles for h in r.get("holders", [])}
            | {a["stakeholder"] for d in duties for a in d.get("assignments", []) if "stakeholder" in a}
            | {p["stakeholder"] for a in agreements for p in a["parties"]}
        )
    stakeholders = []
    for s in list_stakeholders(conn):
        if wanted is not None and s["key"] not in wanted:
            continue
        stakeholders.append(dict(s))
    state: dict[str, Any] = {"version": 1}
    for entity, items in (
        ("projects", projects),
        ("stakeholders", stakeholders),
        ("roles", roles),
        ("duties", duties),
        ("agreements", agreements),
    ):
        normal = [_normalise(entity, item) for item in items]
        state[entity] = sorted(normal, key=lambda item: (item.get("project", ""), item["key"]))
    return state


def export_yaml(conn: Conn, *, project: str | None = None) -> str:
    """The export as YAML. For the whole store, duties are written a project at a time, so that the
    largest table never sits in memory as Python objects all at once (the text is the same)."""
    from coordkit.output import to_yaml

    header = "# yaml-language-server: $schema=coord-workspace.schema.json\n"
    if project:
        return header + to_yaml(export_state(conn, project=project))
    state = export_state(conn, with_duties=False)
    parts = [header, to_yaml({"version": 1})]
    for entity in ("projects", "stakeholders", "roles", "duties", "agreements"):
        if entity == "duties":
            chunks = [to_yaml(project_duties(conn, pid, pkey)) for pid, pkey in _projects(conn, None)]
            chunks = [chunk for chunk in chunks if chunk != "[]\n"]
            parts.append("duties:\n" + "".join(chunks) if chunks else "duties: []\n")
        elif state[entity]:
            parts.append(f"{entity}:\n" + to_yaml(state[entity]))
        else:
            parts.append(f"{entity}: []\n")
    return "".join(parts)


# ---------------------------------------------------------------- plan


@dataclass(frozen=True)
class Change:
    entity: str  # stakeholders, projects, …
    key: str
    action: str  # create, change, unchanged
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (field, old, new)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity": SINGULAR[self.entity],
            "key": self.key,
            "action": self.action,
            "changes": [{"field": f, "from": old, "to": new} for f, old, new in self.fields],
        }


def plan(current: dict[str, Any], desired: dict[str, list[dict[str, Any]]]) -> list[Change]:
    """What applying ``desired`` to a store holding ``current`` would do (a pure function)."""
    changes = []
    for entity in ENTITIES:
        existing = {identity(entity, item): item for item in current[entity]}
        for item in desired[entity]:
            key = identity(entity, item)
            old = existing.get(key)
            if old is None:
                changes.append(Change(entity, key, "create"))
                continue
            diffs = tuple(
                (name, old.get(name), item.get(name))
                for name in sorted(set(old) | set(item))
                if old.get(name) != item.get(name)
            )
            changes.append(Change(entity, key, "change" if diffs else "unchanged", diffs))
    return changes


# ---------------------------------------------------------------- apply


def apply(session: Session, *, loaded: Loaded, workspace: Path) -> list[Change]:
    """Make the store say what the files say, in the caller's transaction; returns the plan carried out."""
    from coordkit.storage import events

    conn = connection(session)
    current = export_state(conn)
    check_references(loaded, Known.of(loaded.items).merge(Known.of(current)))
    changes = plan(current, loaded.items)
    desired = {entity: {identity(entity, item): item for item in loaded.items[entity]} for entity in ENTITIES}
    todo: dict[str, list[tuple[Change, dict[str, Any]]]] = defaultdict(list)
    for change in changes:
        if change.action != "unchanged":
            todo[change.entity].append((change, desired[change.entity][change.key]))
    before = {entity: {identity(entity, item): item for item in current[entity]} for entity in ENTITIES}
    _apply_stakeholders(conn, todo["stakeholders"])
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
        for entity in ("stakeholders", "projects", "roles", "duties")
        for c, item in todo[entity]
    ]
    events.record_many(conn, log)
    for change, item in todo["agreements"]:
        _apply_agreement(session, change, item, workspace, exists=change.key in before["agreements"])
    return changes


def _ids(conn: Conn, table: str) -> dict[str, int]:
    return {key: rid for rid, key in tuples(conn, f"SELECT id, key FROM {table}")}


def _scoped_ids(conn: Conn, table: str) -> dict[str, int]:
    return {
        f"{pkey}/{key}": rid
        for rid, key, pkey in tuples(
            conn, f"SELECT t.id, t.key, p.key FROM {table} t JOIN project p ON p.id = t.project_id"
        )
    }


def _bulk(conn: Conn, sql: str, params: list[dict[str, Any]]) -> None:
    executemany(conn, sql, params)


def _apply_stakeholders(conn: Conn, todo: list[tuple[Change, dict[str, Any]]]) -> None:
    from coordkit.storage.sql import execute

    fields = ("name", "name_zh", "kind", "influence", "interest", "interests", "active")
    new = [item for change, item in todo if change.action == "create"]
    _bulk(
        conn,
        f"INSERT INTO stakeholder (key, {', '.join(fields)}) VALUES (:key, {', '.join(':' + f for f in fields)})",
        [{"key": s["key"], **{f: s.get(f, True if f == "active" else None) for f in fields}} for s in new],
    )
    for change, item in todo:
        if change.action == "change":
            execute(
                conn,
                f"UPDATE stakeholder SET {', '.join(f'{f} = :{f}' for f in fields)} WHERE key = :key",
                {"key": item["key"], **{f: item.get(f, True if f == "active" else None) for f in fields}},
            )
    ids = _ids(conn, "stakeholder")
    changed = [ids[item["key"]] for change, item in todo if change.action == "change"]
    for table in ("contact", "representative"):
        for sid in changed:
            execute(conn, f"DELETE FROM {table} WHERE stakeholder_id = :s", {"s": sid})
    _bulk(
        conn,
        "INSERT INTO contact (stakeholder_id, channel, value, position) VALUES (:s, :c, :v, :p)",
        [
            {"s": ids[item["key"]], "c": c["channel"], "v": c["value"], "p": i}
            for _c, item in todo
            for i, c in enumerate(item.get("contacts", []))
        ],
    )
    _bulk(
        conn,
        "INSERT INTO representative (stakeholder_id, name, title, position) VALUES (:s, :n, :t, :p)",
        [
            {"s": ids[item["key"]], "n": r["name"], "t": r.get("title"), "p": i}
            for _c, item in todo
            for i, r in enumerate(item.get("representatives", []))
        ],
    )


def _apply_projects(conn: Conn, todo: list[tuple[Change, dict[str, Any]]]) -> None:
    from coordkit.storage.sql import execute

    people = _ids(conn, "stakeholder")
    for change, item in todo:
        params = {
            "key": item["key"],
            "name": item["name"],
            "name_zh": item.get("name_zh"),
            "s": item.get("start"),
            "e": item.get("end"),
            "lead": people.get(item.get("lead", "")),
        }
        if change.action == "create":
            execute(
                conn,
                "INSERT INTO project (key, name, name_zh, starts_on, ends_on, lead_id) "
                "VALUES (:key, :name, :name_zh, :s, :e, :lead)",
                params,
            )
        else:
            execute(
                conn,
                "UPDATE project SET name = :name, name_zh = :name_zh, starts_on = :s, ends_on = :e, "
                "lead_id = :lead WHERE key = :key",
                params,
            )


def _apply_roles(conn: Conn, todo: list[tuple[Change, dict[str, Any]]]) -> None:
    from coordkit.storage.sql import execute

    projects, people = _ids(conn, "project"), _ids(conn, "stakeholder")
    _bulk(
        conn,
        "INSERT INTO role (project_id, key, name, description) VALUES (:p, :k, :n, :d)",
        [
            {"p": projects[r["project"]], "k": r["key"], "n": r["name"], "d": r.get("description")}
            for change, r in todo
            if change.action == "create"
        ],
    )
    roles = _scoped_ids(conn, "role")
    for change, r in todo:
        if change.action == "change":
            execute(
                conn,
                "UPDATE role SET name = :n, description = :d WHERE id = :id",
                {"n": r["name"], "d": r.get("description"), "id": roles[change.key]},
            )
            execute(conn, "DELETE FROM role_holder WHERE role_id = :id", {"id": roles[change.key]})
    _bulk(
        conn,
        "INSERT INTO role_holder (role_id, stakeholder_id, valid_from, valid_to) VALUES (:r, :s, :f, :t)",
        [
            {"r": roles[change.key], "s": people[h["stakeholder"]], "f": h.get("from"), "t": h.get("to")}
            for change, r in todo
            for h in r.get("holders", [])
        ],
    )


def _apply_duties(conn: Conn, todo: list[tuple[Change, dict[str, Any]]]) -> None:
    from coordkit.storage.sql import execute

    projects, people, roles = _ids(conn, "project"), _ids(conn, "stakeholder"), _scoped_ids(conn, "role")
    _bulk(
        conn,
        "INSERT INTO duty (project_id, key, title, title_zh, category, due_on) VALUES (:p, :k, :t, :z, :c, :d)",
        [
            {
                "p": projects[d["project"]],
                "k": d["key"],
                "t": d["title"],
                "z": d.get("title_zh"),
                "c": d.get("category"),
                "d": d.get("due"),
            }
            for change, d in todo
            if change.action == "create"
        ],
    )
    duties = _scoped_ids(conn, "duty")
    for change, d in todo:
        if change.action == "change":
            execute(
                conn,
                "UPDATE duty SET title = :t, title_zh = :z, category = :c, due_on = :d WHERE id = :id",
                {
                    "t": d["title"],
                    "z": d.get("title_zh"),
                    "c": d.get("category"),
                    "d": d.get("due"),
                    "id": duties[change.key],
                },
            )
            execute(
                conn, "DELETE FROM assignment WHERE duty_id = :id AND source = 'manual'", {"id": duties[change.key]}
            )
    _bulk(
        conn,
        "INSERT INTO assignment (duty_id, stakeholder_id, role_id, letter, valid_from, valid_to, source) "
        "VALUES (:d, :s, :r, :l, :f, :t, 'manual')",
        [
            {
                "d": duties[change.key],
                "s": people.get(a.get("stakeholder", "")),
                "r": roles.get(f"{d['project']}/{a['role']}") if "role" in a else None,
                "l": a["as"],
                "f": a.get("from"),
                "t": a.get("to"),
            }
            for change, d in todo
            for a in d.get("assignments", [])
        ],
    )


TERMS = (
    "title",
    "title_zh",
    "kind",
    "effective",
    "expires",
    "review_every",
    "languages",
    "parties",
    "goals",
    "methods",
    "dispute_resolution",
    "communication",
    "rights",
    "obligations",
    "resources",
)


def _apply_agreement(session: Session, change: Change, item: dict[str, Any], workspace: Path, *, exists: bool) -> None:
    from coordkit.services import agreements
    from coordkit.spec import AgreementSpec

    key = item["key"]
    spec = AgreementSpec.model_validate(
        {k: v for k, v in item.items() if k not in ("status", "signatures", "terminated_on", "termination_reason")}
    )
    conn = connection(session)
    if not exists:
        agreements.new_from_spec(session, spec=spec)
        current: dict[str, Any] = {"status": "draft", "signatures": []}
    else:
        doc = agreements.document(conn, key)
        current = {"status": doc["status"], "signatures": doc["signatures"]}
        if any(name in (f for f, _o, _n in change.fields) for name in TERMS):
            agreements.replace_terms(session, key=key, spec=spec)  # refuses frozen terms, as the CLI does
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
            raise Refused(f"agreement '{key}': the signature of '{signature['party']}' is recorded and cannot change")
    gone = have - {s["party"] for s in item.get("signatures", [])}
    if gone:
        raise Refused(f"agreement '{key}': recorded signatures are never removed ({', '.join(sorted(gone))})")
    new_signatures = [s for s in item.get("signatures", []) if s["party"] not in have]
    if (wanted != "draft" or new_signatures) and current["status"] == "draft":
        agreements.circulate(session, key=key)
    for signature in new_signatures:
        agreements.sign(
            session,
            key=key,
            party=signature["party"],
            signatory=signature["signatory"],
            title=signature.get("title"),
            date=signature["date"],
            method=signature["method"],
            workspace=workspace,
        )
    if wanted == "terminated" and current["status"] != "terminated":
        agreements.terminate(
            session, key=key, reason=item.get("termination_reason") or "terminated", date=item["terminated_on"]
        )
    elif wanted == "draft" and current["status"] != "draft":
        raise Refused(f"agreement '{key}' is {current['status']}; it cannot go back to draft")


# ---------------------------------------------------------------- validation without a store


def validate_files(paths: Sequence[Path], *, on: str) -> tuple[Loaded, Any]:
    """Check files without any store: syntax, schema, references, then the rules over their content."""
    from coordkit.checks import run_rules
    from coordkit.checks.config import CheckConfig

    loaded = load(paths)
    check_references(loaded, Known.of(loaded.items))
    report = run_rules(snapshot_of(loaded.items), on=on, explicit_on=False, config=CheckConfig())
    return loaded, report


def snapshot_of(items: dict[str, list[dict[str, Any]]]) -> Any:
    """The rules' snapshot built from file content, as the store would hold it after ``apply``."""
    from coordkit.canonical import compute_hash, fingerprint
    from coordkit.checks.snapshot import (
        DutyRow,
        Effective,
        PartyRow,
        ProjectRow,
        RoleAssignment,
        Snapshot,
        intersect,
    )

    projects = {i: ProjectRow(i, p["key"], p.get("start"), p.get("end")) for i, p in enumerate(items["projects"], 1)}
    project_ids = {p.key: i for i, p in projects.items()}
    duties = [
        DutyRow(i, project_ids[d["project"]], d["key"], d["title"], d.get("category"))
        for i, d in enumerate(items["duties"], 1)
    ]
    duty_ids = {f"{d['project']}/{d['key']}": i for i, d in enumerate(items["duties"], 1)}
    holders = {f"{r['project']}/{r['key']}": r.get("holders", []) for r in items["roles"]}
    roles = {(project_ids[r["project"]], r["key"]): r["name"] for r in items["roles"]}
    effective: list[Effective] = []
    role_assignments: list[RoleAssignment] = []
    for d in items["duties"]:
        did = duty_ids[f"{d['project']}/{d['key']}"]
        for a in d.get("assignments", []):
            if "stakeholder" in a:
                effective.append(Effective(did, a["stakeholder"], a["as"], a.get("from"), a.get("to"), None, None))
                continue
            role_assignments.append(RoleAssignment(did, a["role"], a["as"], a.get("from"), a.get("to"), None))
            for h in holders.get(f"{d['project']}/{a['role']}", []):
                window = intersect(a.get("from"), a.get("to"), h.get("from"), h.get("to"))
                if window:
                    effective.append(Effective(did, h["stakeholder"], a["as"], window[0], window[1], a["role"], None))
    names = {s["key"]: s for s in items["stakeholders"]}
    docs = []
    for a in items["agreements"]:
        signed = {s["party"] for s in a.get("signatures", [])}
        parties = [p["stakeholder"] for p in a.get("parties", [])]
        status = a.get("status") or ("circulating" if signed else "draft")
        if status in ("draft", "circulating") and signed and signed == set(parties):
            status = "signed"
        doc = {
            "key": a["key"],
            "version": 1,
            "project": a["project"],
            "kind": a.get("kind", "activity"),
            "title": a["title"],
            "title_zh": a.get("title_zh"),
            "effective": a.get("effective"),
            "expires": a.get("expires"),
            "review_every": a.get("review_every"),
            "languages": a.get("languages", ["en"]),
            "parties": [
                {
                    "stakeholder": p["stakeholder"],
                    "label": p.get("label") or f"Party {'ABCDEFGH'[i % 8]}",
                    "name": names.get(p["stakeholder"], {}).get("name", p["stakeholder"]),
                }
                for i, p in enumerate(a.get("parties", []))
            ],
            "goals": a.get("goals", []),
            "methods": a.get("methods", []),
            "dispute_resolution": a.get("dispute_resolution", []),
            "communication": a.get("communication", []),
            "rights": a.get("rights", []),
            "obligations": [
                {
                    "party": o["party"],
                    "text": o["text"],
                    "duty": o.get("duty"),
                    "as": (o.get("as") or "R") if o.get("duty") else None,
                    "due": o.get("due"),
                }
                for o in a.get("obligations", [])
            ],
            "resources": a.get("resources", []),
            "status": status,
            "terminated_on": a.get("terminated_on"),
            "termination_reason": a.get("termination_reason"),
            "unsigned": [p for p in parties if p not in signed],
        }
        doc["terms_hash"] = compute_hash(doc) if signed else None
        doc["fingerprint"] = fingerprint(doc["terms_hash"])
        docs.append(doc)
        if status in ("signed", "terminated"):
            end = a.get("terminated_on") or a.get("expires")
            for o in doc["obligations"]:
                linked = duty_ids.get(f"{a['project']}/{o['duty']}") if o["duty"] else None
                if linked is not None:
                    effective.append(
                        Effective(linked, o["party"], o["as"], a.get("effective"), end, None, f"{a['key']} v1")
                    )
    party_rows = {
        key: PartyRow(key, s["name"], s.get("active", True), len(s.get("contacts", []))) for key, s in names.items()
    }
    return Snapshot(projects, duties, effective, role_assignments, party_rows, roles, docs)
