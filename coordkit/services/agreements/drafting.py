"""Drafting an agreement: a new draft (from a kind's standard clauses), its fields and terms in both
languages, and the YAML round trip of ``edit``. Only a draft changes; from circulation on, its terms are frozen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from coordkit.dates import iso, parse_date, today
from coordkit.domain.agreements import (
    AgreementDoc,
    Target,
    check_agreement_key,
    check_cadence,
    check_clause,
    check_editable,
    check_languages,
    check_obligation_letter,
    check_parties,
    check_renewal,
    check_resource,
    check_target,
)
from coordkit.domain.values import at, check_text, check_window, optional_text
from coordkit.errors import AlreadyExists, InvalidInput, NotFound
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.documents import read_document, version_row
from coordkit.storage.lookup import duty_keys, lookup_id, resolve_key, resolve_project
from coordkit.storage.sql import Conn, column, execute, executemany, insert, rows, scalar
from coordkit.vocab import CLAUSE_KINDS, CLAUSE_SECTIONS

if TYPE_CHECKING:
    from coordkit.spec import AgreementSpec

SECTION_TABLES = {  # clause -> (table, which rows)
    **{section: ("agreement_term", f"section = '{section}'") for section in CLAUSE_SECTIONS},
    "obligation": ("agreement_obligation", "1 = 1"),
    "resource": ("agreement_resource", "1 = 1"),
}


class TermIn(NamedTuple):
    """A goal, method, dispute, communication or standard clause, or a right (which has a party)."""

    section: str
    party: str | None
    text: str
    text_zh: str | None = None


class ObligationIn(NamedTuple):
    party: str
    text: str
    text_zh: str | None = None
    duty: str | None = None
    letter: str | None = None
    due: str | dt.date | None = None
    every: str | Sequence[str | dt.date] | None = None
    target: Target | None = None


class ResourceIn(NamedTuple):
    party: str
    kind: str
    amount: str | Decimal | None = None
    unit: str | None = None
    description: str | None = None
    description_zh: str | None = None
    resource: str | None = None
    when: str | None = None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def next_key(conn: Conn, year: int) -> str:
    """``AGR-YYYY-NNN``, one more than the highest number used that year."""
    prefix = f"AGR-{year}-"
    used = column(conn, "SELECT key FROM agreement WHERE key LIKE :p", {"p": prefix + "%"})
    numbers = [int(k[len(prefix) :]) for k in used if k[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def party_ids(conn: Conn, vid: int) -> dict[str, int]:
    found = rows(
        conn,
        "SELECT s.key, p.stakeholder_id FROM agreement_party p JOIN stakeholder s ON s.id = p.stakeholder_id "
        "WHERE p.version_id = :v",
        {"v": vid},
    )
    return {r.key: r.stakeholder_id for r in found}


def editable(conn: Conn, key: str) -> Any:
    """The newest version, if its terms may still change; else the refusal that says to amend."""
    version = version_row(conn, key, newest=True)
    check_editable(key, version.number, version.status, version.terms_hash)
    return version


def changed(conn: Conn, key: str, action: str, before: Mapping[str, Any]) -> AgreementDoc:
    """Record the event of a change to an agreement (before and after); returns the newest version now."""
    after = read_document(conn, key, newest=True)
    events.record(conn, action=action, entity="agreement", key=key, before=before, after=after)
    return after


def check_every(value: str | Sequence[str | dt.date] | None) -> str | None:
    """A recurrence as coord stores it (``3m``, or dates): ``quarterly`` and 每季度 are both ``3m``."""
    if value is None or value == "" or value == []:
        return None
    from coordkit.schedule import parse_recurrence

    with at("every"):
        return parse_recurrence(value).text()


def check_when(value: str | None) -> str | None:
    """When a resource is used, as a slot's canonical text (``monthly first sat 09:00-12:00``)."""
    if not value:
        return None
    from coordkit.slots import parse_slot

    with at("when"):
        return parse_slot(value).text()


def new_agreement(
    conn: Conn,
    *,
    key: str | None,
    title: str,
    parties: Sequence[tuple[str, str | None]],
    project: str | None = None,
    kind: str = "cooperation",
    title_zh: str | None = None,
    effective: str | dt.date | None = None,
    expires: str | dt.date | None = None,
    notice: str | None = None,
    renewal: str | None = None,
    review_every: str | None = None,
    languages: Sequence[str] = ("en",),
    workspace: Path | None = None,
    presets: bool = True,
    record: bool = True,
    number: int = 1,
) -> AgreementDoc:
    """Draft a new agreement (version 1) between two or more parties, starting from its kind's standard
    clauses (effectiveness, amendment, breach, dispute resolution, counterparts) unless ``presets`` is off.

    ``number`` is for ``coord apply`` of an export, which holds an amended agreement's current version only: its
    number is part of the terms it was signed under, so version 2 is made as version 2."""
    from coordkit.domain.kinds import preset_clauses

    pid, _project_key = resolve_project(conn, project)
    start, end = parse_date(effective, "--effective"), parse_date(expires, "--expires")
    check_window(start, end, "agreement term", field="expires")
    if key is None:
        key = next_key(conn, (start or today()).year)
    check_agreement_key(key)
    if scalar(conn, "SELECT 1 FROM agreement WHERE key = :k", {"k": key}):
        raise AlreadyExists(_("agreement '{key}' already exists").format(key=key))
    labelled = check_parties([(resolve_key(conn, "stakeholder", party), label) for party, label in parties])
    ids = [lookup_id(conn, "stakeholder", party, "stakeholder") for party, _label in labelled]
    fields = {
        "title": check_text(title, "title"),
        "title_zh": optional_text(title_zh),
        "review_every": check_cadence(review_every),
        "notice": check_cadence(notice),
        "renewal": check_renewal(renewal),
        "languages": ",".join(check_languages(languages)),
    }
    aid = insert(
        conn, "agreement", {"key": key, "project_id": pid, "kind": check_text(kind, "kind"), "created_at": now()}
    )
    vid = insert(
        conn,
        "agreement_version",
        {
            "agreement_id": aid,
            "number": number,
            "status": "draft",
            "effective": iso(start),
            "expires": iso(end),
            **fields,
        },
    )
    executemany(
        conn,
        "INSERT INTO agreement_party (version_id, stakeholder_id, label, position) VALUES (:v, :s, :l, :p)",
        [
            {"v": vid, "s": sid, "l": label, "p": i}
            for i, (sid, (_p, label)) in enumerate(zip(ids, labelled, strict=True))
        ],
    )
    if presets:
        clauses = [
            TermIn(c["section"], None, c["text"], c["text_zh"]) for c in preset_clauses(kind, workspace, len(ids))
        ]
        insert_terms(conn, key, version_row(conn, key, newest=True), texts=clauses)
    doc = read_document(conn, key, newest=True)
    if record:
        events.record(conn, action="agreement.new", entity="agreement", key=key, after=doc)
    return doc


def _next_position(conn: Conn, table: str, vid: int) -> int:
    return int(scalar(conn, f"SELECT coalesce(max(position), -1) + 1 FROM {table} WHERE version_id = :v", {"v": vid}))


def insert_terms(
    conn: Conn,
    key: str,
    version: Any,
    *,
    texts: Sequence[TermIn] = (),
    obligations: Sequence[ObligationIn] = (),
    resources: Sequence[ResourceIn] = (),
) -> None:
    """Check terms against the version's parties and project, then insert them in bulk."""
    parties = party_ids(conn, version.id)
    duties: dict[str, int] = {}
    project_id = None
    if any(o.duty for o in obligations):
        project_id = int(scalar(conn, "SELECT id FROM project WHERE key = :p", {"p": version.project}))
        duties = duty_keys(conn, project_id)

    def party_id(party: str) -> int:
        if party not in parties:
            party = resolve_key(conn, "stakeholder", party)  # a party's name or Chinese name in place of its key
        if party not in parties:
            raise NotFound("party", party, parties, f"agreement '{key}'")
        return parties[party]

    term_rows, obligation_rows, resource_rows = [], [], []
    position = _next_position(conn, "agreement_term", version.id)
    for term in texts:
        if term.section not in CLAUSE_SECTIONS:
            raise InvalidInput(
                _("'{section}' is not a kind of term; use one of: {sections}").format(
                    section=term.section, sections=", ".join(CLAUSE_SECTIONS)
                )
            )
        clean = check_clause(term.section, term.party, term.text)
        term_rows.append(
            {
                "v": version.id,
                "section": term.section,
                "s": party_id(term.party) if term.party else None,
                "text": clean,
                "zh": optional_text(term.text_zh),
                "position": position,
            }
        )
        position += 1
    position = _next_position(conn, "agreement_obligation", version.id)
    for ob in obligations:
        letter = check_obligation_letter(ob.duty, ob.letter)
        duty = ob.duty
        if duty and duty not in duties:
            duty = resolve_key(conn, "duty", duty, project_id=project_id)  # 提供市集场地 for market-venue
        if duty and duty not in duties:
            raise NotFound("duty", duty, duties, f"project '{version.project}'")
        target = ob.target or {"amount": None, "unit": None, "each_min": None, "each_unit": None}
        obligation_rows.append(
            {
                "v": version.id,
                "s": party_id(ob.party),
                "text": check_text(ob.text, "text"),
                "zh": optional_text(ob.text_zh),
                "d": duties[duty] if duty else None,
                "l": letter,
                "due": iso(parse_date(ob.due, "--due")),
                "every": check_every(ob.every),
                "ta": target["amount"],
                "tu": target["unit"],
                "em": target["each_min"],
                "eu": target["each_unit"],
                "position": position,
            }
        )
        position += 1
    position = _next_position(conn, "agreement_resource", version.id)
    for res in resources:
        kind, amount_text, unit = check_resource(res.kind, res.amount, res.unit)
        resource_rows.append(
            {
                "v": version.id,
                "s": party_id(res.party),
                "kind": kind,
                "amount": amount_text,
                "unit": unit,
                "description": optional_text(res.description),
                "zh": optional_text(res.description_zh),
                "rk": optional_text(res.resource),
                "slot": check_when(res.when),
                "position": position,
            }
        )
        position += 1
    executemany(
        conn,
        "INSERT INTO agreement_term (version_id, section, stakeholder_id, text, text_zh, position) "
        "VALUES (:v, :section, :s, :text, :zh, :position)",
        term_rows,
    )
    executemany(
        conn,
        "INSERT INTO agreement_obligation (version_id, stakeholder_id, text, text_zh, duty_id, letter, due_on, every, "
        "target_amount, target_unit, each_min, each_unit, position) "
        "VALUES (:v, :s, :text, :zh, :d, :l, :due, :every, :ta, :tu, :em, :eu, :position)",
        obligation_rows,
    )
    executemany(
        conn,
        "INSERT INTO agreement_resource (version_id, stakeholder_id, kind, amount, unit, description, description_zh, "
        "resource_key, slot, position) VALUES (:v, :s, :kind, :amount, :unit, :description, :zh, :rk, :slot, :position)",
        resource_rows,
    )


def add_term(
    conn: Conn, *, key: str, section: str, text: str, text_zh: str | None = None, party: str | None = None
) -> AgreementDoc:
    """Add a goal, method, dispute or communication arrangement, a standard clause, or a right of ``party``."""
    version = editable(conn, key)
    before = read_document(conn, key, newest=True)
    insert_terms(conn, key, version, texts=[TermIn(section, party, text, text_zh)])
    return changed(conn, key, f"agreement.{section}.add", before)


def add_obligation(conn: Conn, *, key: str, obligation: ObligationIn) -> AgreementDoc:
    """An obligation of one party; naming a duty (and its letter) links it to the matrix once signed."""
    version = editable(conn, key)
    before = read_document(conn, key, newest=True)
    insert_terms(conn, key, version, obligations=[obligation])
    return changed(conn, key, "agreement.obligation.add", before)


def add_resource(conn: Conn, *, key: str, resource: ResourceIn) -> AgreementDoc:
    """A resource a party commits: funds (an amount and unit), a venue or staff time (a description)."""
    version = editable(conn, key)
    before = read_document(conn, key, newest=True)
    if resource.resource and resource.resource.strip():  # a registered resource, by key or by name (猎德广场)
        resource = resource._replace(resource=resolve_key(conn, "resource", resource.resource.strip()))
        from coordkit.domain.resources import unregistered

        refusal = unregistered(str(resource.resource), column(conn, "SELECT key FROM resource"))
        if refusal:  # none of that key or name: refused, or contention would miss it
            raise InvalidInput(refusal)
    insert_terms(conn, key, version, resources=[resource])
    return changed(conn, key, "agreement.resource.add", before)


def remove_item(conn: Conn, *, key: str, section: str, number: int) -> AgreementDoc:
    """Remove item ``number`` (1-based, as ``list`` shows it) of a section of a draft."""
    version = editable(conn, key)
    before = read_document(conn, key, newest=True)
    table, where = SECTION_TABLES[section]
    ids = column(
        conn, f"SELECT id FROM {table} WHERE version_id = :v AND {where} ORDER BY position, id", {"v": version.id}
    )
    if not 1 <= number <= len(ids):
        raise InvalidInput(
            _("{key} has no {section} number {number} (it has {count})").format(
                key=key, section=section, number=number, count=len(ids)
            )
        )
    execute(conn, f"DELETE FROM {table} WHERE id = :i", {"i": ids[number - 1]})
    return changed(conn, key, f"agreement.{section}.remove", before)


TRANSLATABLE = {  # document field -> (table, which rows, column with the Chinese text)
    "goals": ("agreement_term", "section = 'goal'", "text_zh"),
    "methods": ("agreement_term", "section = 'method'", "text_zh"),
    "dispute_resolution": ("agreement_term", "section = 'dispute'", "text_zh"),
    "communication": ("agreement_term", "section = 'communication'", "text_zh"),
    "clauses": ("agreement_term", f"section IN ({', '.join(repr(k) for k in CLAUSE_KINDS)})", "text_zh"),
    "rights": ("agreement_term", "section = 'right'", "text_zh"),
    "obligations": ("agreement_obligation", "1 = 1", "text_zh"),
    "resources": ("agreement_resource", "1 = 1", "description_zh"),
}


def translate(conn: Conn, *, key: str, path: str, text_zh: str) -> AgreementDoc:
    """Give one term of a draft its Chinese text: ``goals[2]`` (the third goal: counted from 0, as ``coord check``,
    ``render`` and ``coord apply`` name fields), or ``title``."""
    version = editable(conn, key)
    before = read_document(conn, key, newest=True)
    text = check_text(text_zh, "Chinese text")
    if path == "title":
        execute(conn, "UPDATE agreement_version SET title_zh = :z WHERE id = :v", {"z": text, "v": version.id})
        return changed(conn, key, "agreement.translate", before)
    field, _bracket, rest = path.partition("[")
    if field not in TRANSLATABLE or not rest.endswith("]") or not rest[:-1].isdigit():
        raise InvalidInput(
            _("'{path}' names no term; use title or FIELD[N] with FIELD one of: {fields}").format(
                path=path, fields=", ".join(TRANSLATABLE)
            )
        )
    table, where, target = TRANSLATABLE[field]
    ids = column(
        conn, f"SELECT id FROM {table} WHERE version_id = :v AND {where} ORDER BY position, id", {"v": version.id}
    )
    index = int(rest[:-1])
    if not 0 <= index < len(ids):
        raise InvalidInput(
            _("{key} has no {path}: it has {count} {field}, {field}[0] to {field}[{last}]").format(
                key=key, path=path, count=len(ids), field=field, last=len(ids) - 1
            )
            if ids
            else _("{key} has no {field}").format(key=key, field=field)
        )
    execute(conn, f"UPDATE {table} SET {target} = :z WHERE id = :i", {"z": text, "i": ids[index]})
    return changed(conn, key, "agreement.translate", before)


def set_fields(
    conn: Conn,
    *,
    key: str,
    title: str | None = None,
    title_zh: str | None = None,
    kind: str | None = None,
    effective: str | None = None,
    expires: str | None = None,
    notice: str | None = None,
    renewal: str | None = None,
    review_every: str | None = None,
    languages: Sequence[str] = (),
    record: bool = True,
) -> AgreementDoc:
    """Change the fields of a draft (None leaves a field; '' clears an optional one)."""
    version = editable(conn, key)
    before = read_document(conn, key, newest=True)
    start = iso(parse_date(effective, "--effective")) if effective is not None else iso(version.effective)
    end = iso(parse_date(expires, "--expires")) if expires is not None else iso(version.expires)
    check_window(start, end, "agreement term", field="expires")
    values = {
        "title": check_text(title, "title") if title is not None else version.title,
        "title_zh": optional_text(title_zh) if title_zh is not None else version.title_zh,
        "effective": start,
        "expires": end,
        "notice": check_cadence(notice) if notice is not None else version.notice,
        "renewal": check_renewal(renewal) if renewal is not None else version.renewal,
        "review_every": check_cadence(review_every) if review_every is not None else version.review_every,
        "languages": ",".join(check_languages(languages)) if languages else version.languages,
        "v": version.id,
    }
    execute(
        conn,
        "UPDATE agreement_version SET title = :title, title_zh = :title_zh, effective = :effective, "
        "expires = :expires, notice = :notice, renewal = :renewal, review_every = :review_every, "
        "languages = :languages WHERE id = :v",
        values,
    )
    if kind is not None:
        execute(
            conn,
            "UPDATE agreement SET kind = :k WHERE id = :a",
            {"k": check_text(kind, "kind"), "a": version.agreement_id},
        )
    if not record:
        return read_document(conn, key, newest=True)
    return changed(conn, key, "agreement.edit", before)


def replace_terms(conn: Conn, *, key: str, spec: AgreementSpec) -> AgreementDoc:
    """Make a draft say exactly what ``spec`` says (the ``coord agreement edit`` round trip)."""
    version = editable(conn, key)
    before = read_document(conn, key, newest=True)
    if spec.key not in (None, key):
        raise InvalidInput(
            _("key: the key of {key} cannot change (the file says '{given}')").format(key=key, given=spec.key)
        )
    if spec.project not in (None, version.project):
        raise InvalidInput(
            _("project: {key} belongs to project '{project}' (the file says '{given}')").format(
                key=key, project=version.project, given=spec.project
            )
        )
    if spec.signatures or spec.status:
        raise InvalidInput(_("signatures and status are recorded with coord agreement circulate/sign, not by editing"))
    labelled = check_parties([(p.stakeholder, p.label) for p in spec.parties])
    set_fields(
        conn,
        key=key,
        title=spec.title,
        title_zh=spec.title_zh or "",
        kind=spec.kind,
        effective=iso(spec.effective) or "",
        expires=iso(spec.expires) or "",
        notice=spec.notice or "",
        renewal=spec.renewal,
        review_every=spec.review_every or "",
        languages=spec.languages,
        record=False,
    )
    set_notes(conn, version.id, spec.notes)
    for table in ("agreement_term", "agreement_obligation", "agreement_resource", "agreement_party"):
        execute(conn, f"DELETE FROM {table} WHERE version_id = :v", {"v": version.id})
    insert_parties(conn, version.id, labelled)
    add_spec_terms(conn, key, spec)
    return changed(conn, key, "agreement.edit", before)


def set_notes(conn: Conn, vid: int, notes: str | None) -> None:
    """A version's notes, trimmed (blank is none); they are not terms, so the hash never covers them."""
    execute(
        conn, "UPDATE agreement_version SET notes = :n WHERE id = :v", {"n": (notes or "").strip() or None, "v": vid}
    )


def insert_parties(conn: Conn, vid: int, labelled: Sequence[tuple[str, str]]) -> None:
    parties = []
    for position, (party, label) in enumerate(labelled):
        with at("parties", position, "stakeholder"):
            sid = lookup_id(conn, "stakeholder", party, "stakeholder")
        parties.append({"v": vid, "s": sid, "l": label, "p": position})
    executemany(
        conn,
        "INSERT INTO agreement_party (version_id, stakeholder_id, label, position) VALUES (:v, :s, :l, :p)",
        parties,
    )


def add_spec_terms(conn: Conn, key: str, spec: AgreementSpec) -> None:
    texts: list[TermIn] = []
    for section in ("goal", "method", "dispute", "communication"):
        for item in getattr(spec, CLAUSE_SECTIONS[section]):
            text, zh = (item, None) if isinstance(item, str) else (item.text, item.text_zh)
            texts.append(TermIn(section, None, text, zh))
    texts += [TermIn(c.section, None, c.text, c.text_zh) for c in spec.clauses]
    texts += [TermIn("right", r.party, r.text, r.text_zh) for r in spec.rights]
    insert_terms(
        conn,
        key,
        version_row(conn, key, newest=True),
        texts=texts,
        obligations=[
            ObligationIn(
                o.party,
                o.text,
                o.text_zh,
                o.duty,
                o.letter,
                o.due,
                o.every,
                check_target(o.target.amount, o.target.unit, o.target.each_min, o.target.each_unit)
                if o.target
                else None,
            )
            for o in spec.obligations
        ],
        resources=[
            ResourceIn(r.party, r.kind, r.amount, r.unit, r.description, r.description_zh, r.resource, r.when)
            for r in spec.resources
        ],
    )


def new_from_spec(
    conn: Conn, *, spec: AgreementSpec, key: str | None = None, project: str | None = None
) -> AgreementDoc:
    """Draft an agreement from a YAML file's content: exactly its terms (no standard clauses added)."""
    if spec.signatures or spec.status:
        raise InvalidInput(
            _(
                "signatures and status: a new agreement starts as a draft; record signatures with "
                "coord agreement sign (or describe the whole workspace for coord apply)"
            )
        )
    doc = new_agreement(
        conn,
        key=key or spec.key,
        title=spec.title,
        parties=[(p.stakeholder, p.label) for p in spec.parties],
        project=project or spec.project,
        kind=spec.kind,
        title_zh=spec.title_zh,
        effective=spec.effective,
        expires=spec.expires,
        notice=spec.notice,
        renewal=spec.renewal,
        review_every=spec.review_every,
        languages=spec.languages,
        presets=False,
        record=False,
        number=spec.version or 1,
    )
    add_spec_terms(conn, doc["key"], spec)
    set_notes(conn, editable(conn, doc["key"]).id, spec.notes)
    after = read_document(conn, doc["key"], newest=True)
    events.record(conn, action="agreement.new", entity="agreement", key=doc["key"], after=after)
    return after


def _texts(items: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Texts as a file writes them: the English alone when there is no Chinese, else both."""
    return [item["text"] if item.get("text_zh") is None else dict(item) for item in items]


def spec_of(doc: AgreementDoc) -> dict[str, Any]:
    """The YAML shape of one agreement version (what ``edit`` opens and ``export`` writes)."""
    out: dict[str, Any] = {"key": doc["key"], "project": doc["project"], "title": doc["title"]}
    if doc["title_zh"]:
        out["title_zh"] = doc["title_zh"]
    out["kind"] = doc["kind"]
    for name in ("effective", "expires", "notice"):
        if doc[name]:
            out[name] = doc[name]
    if doc["renewal"] != "none":
        out["renewal"] = doc["renewal"]
    if doc["review_every"]:
        out["review_every"] = doc["review_every"]
    out["languages"] = doc["languages"]
    if doc["notes"]:
        out["notes"] = doc["notes"]
    out["parties"] = []
    for p in doc["parties"]:
        party: dict[str, Any] = {"stakeholder": p["stakeholder"], "label": p["label"]}
        out["parties"].append(party)
    for name in ("goals", "methods", "dispute_resolution", "communication"):
        if doc[name]:  # type: ignore[literal-required]
            out[name] = _texts(doc[name])  # type: ignore[literal-required]
    if doc["clauses"]:
        out["clauses"] = [{k: v for k, v in c.items() if v is not None} for c in doc["clauses"]]
    if doc["rights"]:
        out["rights"] = [{k: v for k, v in r.items() if v is not None} for r in doc["rights"]]
    if doc["obligations"]:
        out["obligations"] = []
        for o in doc["obligations"]:
            item: dict[str, Any] = {k: v for k, v in o.items() if v is not None and k != "target"}
            if o["target"] is not None:
                item["target"] = {k: v for k, v in o["target"].items() if v is not None}
            out["obligations"].append(item)
    if doc["resources"]:
        out["resources"] = [{k: v for k, v in r.items() if v is not None} for r in doc["resources"]]
    return out
