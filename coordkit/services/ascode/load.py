"""Reading workspace files: syntax, schema, the rules of each entity, and references across files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordkit.domain.agreements import (
    check_agreement_key,
    check_cadence,
    check_clause,
    check_languages,
    check_method,
    check_obligation_letter,
    check_parties,
    check_resource,
    check_target,
)
from coordkit.domain.duties import Letter, check_duty, check_letter, check_letters, party_of
from coordkit.domain.projects import check_category, check_project
from coordkit.domain.resources import unregistered
from coordkit.domain.roles import check_holders, check_role
from coordkit.domain.stakeholders import check_stakeholder
from coordkit.domain.values import at, check_choice, check_slug, check_text, check_window
from coordkit.errors import CoordError, InvalidInput, did_you_mean, kind_name
from coordkit.i18n import _
from coordkit.services.ascode.shape import ENTITIES, SINGULAR, identity, normalise
from coordkit.services.keys import parse_public_key

if TYPE_CHECKING:
    from coordkit.yamlio import Located


@dataclass
class Loaded:
    """Files read, validated and merged (as export-shaped dicts), with where each entity came from.

    ``edited`` names the sealed exports whose content changed after coord wrote them (their counts
    still hold, so nothing is missing: editing an export is what export is for)."""

    items: dict[str, list[dict[str, Any]]]
    where: dict[tuple[str, str], tuple[Located, tuple[str | int, ...]]] = field(default_factory=dict)
    edited: list[str] = field(default_factory=list)

    def at(self, entity: str, key: str, *path: str | int) -> str:
        located, base = self.where[(entity, key)]
        return located.where((*base, *path))


def _validate_file(located: Located) -> dict[str, list[dict[str, Any]]]:
    """Validate one file entity by entity, keeping only the validated dicts (a fraction of the memory
    that the raw data, the models and the dicts of a 100,000-assignment file would take together)."""
    from coordkit.spec import MODELS, WorkspaceSpec, unknown_field, validate

    data = located.data
    if not isinstance(data, dict):
        raise InvalidInput(
            _("{where}: a workspace file is a mapping (version, projects, stakeholders, …)").format(
                where=f"{located.name}:1:1"
            )
        )
    for name in data:
        if name not in WorkspaceSpec.model_fields:
            raise InvalidInput(unknown_field(WorkspaceSpec, located, (), str(name)))
    if data.get("version", 1) != 1:
        raise InvalidInput(
            _("{where}: version: this coord reads version 1 files").format(where=located.where(("version",)))
        )
    out: dict[str, list[dict[str, Any]]] = {}
    errors: list[str] = []
    for entity in ENTITIES:
        raw = data.get(entity) or []
        if not isinstance(raw, list):
            raise InvalidInput(
                _("{where}: {field}: must be a list").format(where=located.where((entity,)), field=entity)
            )
        items = []
        for index in range(len(raw)):
            model = validate(MODELS[entity], located, (entity, index))
            raw[index] = None
            item = model.model_dump(mode="json", by_alias=True)
            try:
                items.append(check_item(entity, item))  # before normalising, so paths are the file's own
            except CoordError as error:
                path = (entity, index, *error.field)
                errors.append(at_field(located.where(path), dotted(path), error))
        out[entity] = items
    located.data = None  # the text stays, to find positions for errors
    if errors:
        raise InvalidInput("\n".join(errors))
    return out


@dataclass(frozen=True)
class Seal:
    """What the last line of a sealed export says, and whether the content above it still matches."""

    counts: dict[str, int]
    intact: bool


def check_seal(located: Located) -> Seal | None:
    """None for a file a person wrote; for an export (its opening comments say so) the seal of its
    last line, or ``InvalidInput`` when that line is missing: the copy was cut short."""
    import hashlib

    from coordkit.i18n import _
    from coordkit.services.ascode.export import SEAL_ENTITIES, SEAL_RE, SEALED

    text = located.text
    opening = text[: text.find("\n", text.find(SEALED.strip())) + 1] if SEALED.strip() in text[:4096] else ""
    if not opening or any(not line.startswith("#") for line in opening.splitlines()):
        return None
    body, _newline, last = text.rstrip("\n").rpartition("\n")
    match = SEAL_RE.fullmatch(last + "\n")
    if match is None:
        raise InvalidInput(
            _(
                "{file} is an export cut short: its last line is not the seal coord writes "
                "('# coord export end: …' with counts and a hash); nothing was read from it; export the store again"
            ).format(file=located.name)
        )
    digest = hashlib.sha256((body + "\n").encode("utf-8")).hexdigest()
    counts = {entity: int(match[entity]) for entity in SEAL_ENTITIES}
    counts["resources"] = int(match["resources"] or 0)
    return Seal(counts, digest == match["sha256"])


def check_counts(located: Located, seal: Seal, items: dict[str, list[dict[str, Any]]]) -> None:
    """The entities a sealed export holds must be as many as its seal counts: fewer means a piece is missing."""
    from coordkit.i18n import _

    for entity, expected in seal.counts.items():
        found = len(items.get(entity, []))
        if found != expected:
            raise InvalidInput(
                _(
                    "{file}: its seal counts {expected:,} {entity} but the file holds {found:,}; part of it is "
                    "missing or was added since export; export the store again (to apply an export you changed "
                    "on purpose, delete its '# coord export' lines)"
                ).format(file=located.name, expected=expected, entity=entity, found=found)
            )


def dotted(path: Sequence[str | int]) -> str:
    """``("duties", 3, "assignments", 1, "to")`` → ``duties[3].assignments[1].to``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def at_field(where: str, field: str, message: object) -> str:
    """``bad.yaml:6:36: stakeholders[1].influence: …``: the place, the field and what is wrong with it, in the
    reader's language (Chinese writes the colons full width)."""
    return _("{where}: {field}: {message}").format(where=where, field=field, message=message)


def check_item(entity: str, item: dict[str, Any]) -> dict[str, Any]:
    """The rules the commands apply, on one entity of a file (its values cleaned as the commands clean them)."""
    if entity == "stakeholders":
        record = check_stakeholder(
            key=item["key"],
            name=item["name"],
            kind=item["kind"],
            name_zh=item.get("name_zh"),
            influence=item.get("influence"),
            interest=item.get("interest"),
            interests=item.get("interests"),
            active=item.get("active", True),
            address=item.get("address"),
            legal_representative=item.get("legal_representative"),
            registration_number=item.get("registration_number"),
            contacts=[(c["channel"], c["value"]) for c in item.get("contacts", [])],
            representatives=[(r["name"], r.get("title")) for r in item.get("representatives", [])],
        )
        keys = item.get("keys") or []
        for index, public_key in enumerate(keys):
            with at("keys", index):
                parse_public_key(public_key)
        return normalise(entity, {**record, "keys": keys})
    if entity == "projects":
        fields = check_project(
            key=item["key"],
            name=item["name"],
            name_zh=item.get("name_zh"),
            start=item.get("start"),
            end=item.get("end"),
        )
        named = []
        for index, category in enumerate(item.get("categories") or []):
            with at("categories", index):
                named.append(
                    check_category(key=category["key"], name=category.get("name"), name_zh=category.get("name_zh"))
                )
        named.sort(key=lambda c: c["key"])
        return normalise(entity, {**fields, "lead": item.get("lead"), "categories": named})
    if entity == "roles":
        role = check_role(
            key=item["key"], name=item["name"], name_zh=item.get("name_zh"), description=item.get("description")
        )
        holders = item.get("holders", [])
        check_holders(
            item["key"], [{"stakeholder": h["stakeholder"], "from": h.get("from"), "to": h.get("to")} for h in holders]
        )
        return normalise(entity, {"project": item["project"], **role, "holders": holders})
    if entity == "resources":
        from coordkit.domain.resources import check_resource_fields

        budget = item.get("budget")
        return normalise(
            entity,
            dict(
                check_resource_fields(
                    key=item["key"],
                    name=item["name"],
                    name_zh=item.get("name_zh"),
                    capacity=item.get("capacity", 1),
                    owner=item.get("owner"),
                    budget=None if budget is None else str(budget),
                    unit=item.get("unit"),
                )
            ),
        )
    if entity == "duties":
        duty = check_duty(
            key=item["key"],
            title=item["title"],
            title_zh=item.get("title_zh"),
            category=item.get("category"),
            due=item.get("due"),
        )
        assignments = item.get("assignments", [])
        for index, assignment in enumerate(assignments):
            with at("assignments", index):
                assignment["as"] = check_letter(assignment["as"])
        check_letters(
            item["key"],
            [
                Letter(party_of(a.get("stakeholder"), a.get("role")), a["as"], a.get("from"), a.get("to"))
                for a in assignments
            ],
        )
        exclusive = {"exclusive": True} if item.get("exclusive") else {}
        uses = []
        for index, use in enumerate(item.get("uses", [])):
            with at("uses", index):
                from coordkit.services.agreements.drafting import check_when

                uses.append({"resource": use["resource"], "when": check_when(use["when"]), "units": use["units"]})
        aliases = []
        for index, alias in enumerate(item.get("aliases", [])):
            with at("aliases", index):
                aliases.append(
                    {
                        "key": check_slug(alias["key"], "duty"),
                        "title": check_text(alias["title"], "title"),
                        "title_zh": alias.get("title_zh"),
                        "merged": check_text(alias["merged"], "merged"),
                    }
                )
        return normalise(
            entity,
            {
                "project": item["project"],
                **duty,
                **exclusive,
                "assignments": assignments,
                "uses": uses,
                "aliases": sorted(aliases, key=lambda a: a["key"]),
            },
        )
    if entity in ("meetings", "interactions", "concerns"):
        return normalise(entity, check_follow_up_item(entity, item))
    return normalise(entity, check_agreement_item(item))


def check_follow_up_item(entity: str, item: dict[str, Any]) -> dict[str, Any]:
    """A meeting, contact or concern of a file: the rules ``meeting add``, ``contact log`` and the concern
    commands apply, in the same words (a concern's steps replayed as the commands would take them)."""
    if entity == "meetings":
        from coordkit.domain.meetings import check_sign_off
        from coordkit.services.meetings import fields_of, minutes_of, minutes_spec

        minutes = minutes_of(project=item.get("project") or "", key=item.get("key") or item["date"], **fields_of(item))
        signed = item.get("signed_off")
        if signed:
            with at("signed_off"):
                check_sign_off(signed["by"], signed["date"], minutes["date"])
        shaped = minutes_spec(minutes, signed)
        shaped["project"] = item.get("project")
        return shaped
    if entity == "interactions":
        from coordkit.services.contacts import interaction_record

        return dict(interaction_record(item))
    from coordkit.domain.concerns import check_concern, replay, step_record

    record = check_concern(
        key=item["key"],
        by=item["by"],
        against=item["against"],
        about=item["about"],
        severity=item.get("severity"),
        text=item["text"],
    )
    steps = [step_record(step) for step in item.get("steps", [])]
    replay(item["key"], against=record["against"], opened=item["opened"], steps=steps)
    return {**record, "project": item.get("project"), "opened": item["opened"], "steps": steps}


def check_recorded_signature(signature: dict[str, Any]) -> None:
    """An electronic signature in a file carries what ``export`` writes: its key and the signature itself."""
    from coordkit.i18n import _

    electronic = signature["method"] == "electronic"
    if electronic != bool(signature.get("key_signature")) or bool(signature.get("key")) != bool(
        signature.get("key_signature")
    ):
        raise InvalidInput(
            _(
                "an electronic signature carries key and key_signature (as coord export writes them), and only an "
                "electronic one does; sign with coord agreement sign --key to make one"
            ),
            field=("key_signature",),
        )


def check_agreement_item(item: dict[str, Any]) -> dict[str, Any]:
    """An agreement of a file: what ``agreement new`` and the clause commands refuse, refused here too."""
    from coordkit.spec import WORKSPACE_STATUSES

    if item.get("key"):
        check_agreement_key(item["key"])
    check_text(item["title"], "title")
    check_text(item.get("kind", "activity"), "kind")
    check_window(item.get("effective"), item.get("expires"), "agreement term", field="expires")
    check_cadence(item.get("review_every"))
    check_languages(item.get("languages", []))
    check_parties([(p["stakeholder"], p.get("label")) for p in item.get("parties", [])])
    if item.get("status") is not None:
        check_choice(item["status"], WORKSPACE_STATUSES, "status")
    for section in ("goals", "methods", "dispute_resolution", "communication"):
        for index, text in enumerate(item.get(section, [])):
            with at(section, index):
                check_text(text if isinstance(text, str) else text["text"], "text")
    for index, clause in enumerate(item.get("clauses", [])):
        with at("clauses", index):
            check_text(clause["text"], "text")
    for index, obligation in enumerate(item.get("obligations", [])):
        with at("obligations", index):
            check_text(obligation["text"], "text")
            if obligation.get("every") is not None:
                from coordkit.services.agreements.drafting import check_every

                obligation["every"] = check_every(obligation["every"])
            if obligation.get("target"):
                target = obligation["target"]
                check_target(target["amount"], target["unit"], target.get("each_min"), target.get("each_unit"))
    for index, resource in enumerate(item.get("resources", [])):
        with at("resources", index):
            if resource.get("when"):
                from coordkit.services.agreements.drafting import check_when

                resource["when"] = check_when(resource["when"])
    for index, right in enumerate(item.get("rights", [])):
        with at("rights", index):
            check_clause("right", right["party"], right["text"])
    for index, signature in enumerate(item.get("signatures", [])):
        with at("signatures", index):
            signature["method"] = check_method(signature.get("method") or "signature")
            check_text(signature["signatory"], "signatory")
            check_recorded_signature(signature)
    for index, obligation in enumerate(item.get("obligations", [])):
        with at("obligations", index):
            check_obligation_letter(obligation.get("duty"), obligation.get("as"))
    for index, resource in enumerate(item.get("resources", [])):
        with at("resources", index):
            check_resource(resource["kind"], resource["amount"], resource["unit"])
    return item


def load(paths: Sequence[Path]) -> Loaded:
    """Read, validate and merge workspace files; all errors at once, each with file, line and column."""
    from coordkit.yamlio import load_file

    if not paths:
        raise InvalidInput(_("name at least one YAML file"))
    merged: dict[str, list[dict[str, Any]]] = {entity: [] for entity in ENTITIES}
    where: dict[tuple[str, str], tuple[Located, tuple[str | int, ...]]] = {}
    errors: list[str] = []
    edited: list[str] = []
    for path in paths:
        located = load_file(path)
        sealed = check_seal(located)
        if located.data is None:
            continue
        items = _validate_file(located)
        if sealed is not None:
            check_counts(located, sealed, items)
            if not sealed.intact:
                edited.append(located.name)
        for entity in ENTITIES:
            for index, item in enumerate(items[entity]):
                if entity == "agreements" and not item.get("key"):
                    errors.append(
                        at_field(
                            located.where((entity, index)),
                            f"{entity}[{index}].key",
                            _("an agreement in a workspace file needs a key"),
                        )
                    )
                    continue
                key = identity(entity, item)
                if (entity, key) in where:
                    first, base = where[(entity, key)]
                    defined = _("{kind} '{key}' is already defined at {where}").format(
                        kind=kind_name(SINGULAR[entity]), key=key, where=first.where((*base, "key"))
                    )
                    errors.append(at_field(located.where((entity, index, "key")), f"{entity}[{index}].key", defined))
                    continue
                where[(entity, key)] = (located, (entity, index))
                merged[entity].append(item)
    if errors:
        raise InvalidInput("\n".join(errors))
    return Loaded(merged, where, edited)


@dataclass
class Known:
    """Keys that references may name: from the files, plus (for apply) from the store."""

    stakeholders: set[str] = field(default_factory=set)
    projects: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)  # project/key
    duties: set[str] = field(default_factory=set)  # project/key
    agreements: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, items: dict[str, list[dict[str, Any]]]) -> Known:
        return cls(
            {s["key"] for s in items["stakeholders"]},
            {p["key"] for p in items["projects"]},
            {f"{r['project']}/{r['key']}" for r in items["roles"]},
            {f"{d['project']}/{d['key']}" for d in items["duties"]},
            {a["key"] for a in items["agreements"]},
            {r["key"] for r in items.get("resources", [])},
        )

    def merge(self, other: Known) -> Known:
        return Known(
            self.stakeholders | other.stakeholders,
            self.projects | other.projects,
            self.roles | other.roles,
            self.duties | other.duties,
            self.agreements | other.agreements,
            self.resources | other.resources,
        )


def _unknown(kind: str, key: str, choices: Sequence[str] | set[str]) -> str:
    return f"no {kind} '{key}'{did_you_mean(key, choices)}"


def check_references(loaded: Loaded, known: Known) -> None:
    """Every reference pointing at something that exists (in the files, or for apply in the store)."""
    errors: list[str] = []
    items = loaded.items

    def bad(entity: str, key: str, path: tuple[str | int, ...], label: str, message: str) -> None:
        errors.append(at_field(loaded.at(entity, key, *path), label, message))

    def ref(
        entity: str, key: str, path: tuple[str | int, ...], label: str, kind: str, value: str, pool: set[str]
    ) -> None:
        if value not in pool:
            refusal = unregistered(value, pool) if kind == "resource" else None  # the command's words
            bad(entity, key, path, label, refusal or _unknown(kind, value, pool))

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
    for index, resource in enumerate(items.get("resources", [])):
        if resource.get("owner"):
            key = identity("resources", resource)
            label = f"resources[{index}].owner"
            ref("resources", key, ("owner",), label, "stakeholder", resource["owner"], known.stakeholders)
    for index, duty in enumerate(items["duties"]):
        key = identity("duties", duty)
        for u, use in enumerate(duty.get("uses", [])):
            label = f"duties[{index}].uses[{u}].resource"
            ref("duties", key, ("uses", u, "resource"), label, "resource", use["resource"], known.resources)
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
                # a draft's shared resource is a registered one, by key (as the command refuses); the frozen terms
                # of a circulating or signed version are kept as they were signed
                drafting = agreement.get("status") in (None, "draft")
                if section == "resources" and clause.get("resource") and drafting:
                    ref(
                        "agreements",
                        key,
                        (section, i, "resource"),
                        f"{label}.{section}[{i}].resource",
                        "resource",
                        clause["resource"],
                        known.resources,
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
    _follow_up_references(items, known, duties_of, bad, ref)
    if errors:
        raise InvalidInput("\n".join(errors))


def _follow_up_references(
    items: dict[str, list[dict[str, Any]]],
    known: Known,
    duties_of: dict[str, set[str]],
    bad: Any,
    ref: Any,
) -> None:
    """Meetings, contacts and concerns name known projects, parties, duties and agreements."""
    from coordkit.domain.concerns import parse_about

    for index, meeting in enumerate(items["meetings"]):
        key, label = identity("meetings", meeting), f"meetings[{index}]"
        if meeting.get("project") is None:
            bad("meetings", key, (), f"{label}.project", "required in a workspace file")
            continue
        ref("meetings", key, ("project",), f"{label}.project", "project", meeting["project"], known.projects)
        named: list[tuple[tuple[str | int, ...], str]] = [(("chair", "party"), meeting["chair"]["party"])]
        named += [(("attendees", i, "party"), a["party"]) for i, a in enumerate(meeting.get("attendees", []))]
        named += [(("absent", i), party) for i, party in enumerate(meeting.get("absent", []))]
        named += [(("actions", i, "owner"), a["owner"]) for i, a in enumerate(meeting.get("actions", []))]
        for path, party in named:
            ref("meetings", key, path, f"{label}.{dotted(path)}", "stakeholder", party, known.stakeholders)
        for i, action in enumerate(meeting.get("actions", [])):
            if action.get("duty"):
                path = ("actions", i, "duty")
                duties = duties_of.get(meeting["project"], set())
                ref("meetings", key, path, f"{label}.{dotted(path)}", "duty", action["duty"], duties)
    for index, contact in enumerate(items["interactions"]):
        key, label = contact["key"], f"interactions[{index}]"
        ref("interactions", key, ("party",), f"{label}.party", "stakeholder", contact["party"], known.stakeholders)
        if contact.get("project"):
            ref("interactions", key, ("project",), f"{label}.project", "project", contact["project"], known.projects)
    for index, concern in enumerate(items["concerns"]):
        key, label = concern["key"], f"concerns[{index}]"
        if concern.get("project") is None:
            bad("concerns", key, (), f"{label}.project", "required in a workspace file")
            continue
        ref("concerns", key, ("project",), f"{label}.project", "project", concern["project"], known.projects)
        for name in ("by", "against"):
            ref("concerns", key, (name,), f"{label}.{name}", "stakeholder", concern[name], known.stakeholders)
        for i, step in enumerate(concern.get("steps", [])):
            if step.get("to"):
                path = ("steps", i, "to")
                ref("concerns", key, path, f"{label}.{dotted(path)}", "stakeholder", step["to"], known.stakeholders)
        about = parse_about(concern["about"])
        if about.kind == "duty":
            duties = duties_of.get(concern["project"], set())
            ref("concerns", key, ("about",), f"{label}.about", "duty", about.key, duties)
        elif about.kind in ("agreement", "obligation"):
            ref("concerns", key, ("about",), f"{label}.about", "agreement", about.key, known.agreements)
