"""Drafting an agreement: a new draft, its fields and clauses, and the YAML round trip of ``edit``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from coordkit.dates import iso, parse_date, today
from coordkit.domain.agreements import (
    AgreementDoc,
    check_agreement_key,
    check_cadence,
    check_clause,
    check_editable,
    check_languages,
    check_obligation_letter,
    check_parties,
    check_resource,
)
from coordkit.domain.values import at, check_text, check_window
from coordkit.errors import AlreadyExists, InvalidInput, NotFound
from coordkit.storage import events
from coordkit.storage.documents import read_document, version_row
from coordkit.storage.lookup import lookup_id, resolve_project
from coordkit.storage.sql import Conn, column, execute, executemany, insert, rows, scalar, tuples
from coordkit.vocab import CLAUSE_SECTIONS

if TYPE_CHECKING:
    from coordkit.spec import AgreementSpec

Text = tuple[str, str | None, str]  # section, party, text
Obligation = tuple[str, str, str | None, str | None, "str | dt.date | None"]  # party, text, duty, letter, due
Resource = tuple[str, str, "str | Decimal", str]  # party, kind, amount, unit
SECTION_TABLES = {  # clause -> (table, which rows)
    "goal": ("agreement_term", "section = 'goal'"),
    "method": ("agreement_term", "section = 'method'"),
    "dispute": ("agreement_term", "section = 'dispute'"),
    "communication": ("agreement_term", "section = 'communication'"),
    "right": ("agreement_term", "section = 'right'"),
    "obligation": ("agreement_obligation", "1 = 1"),
    "resource": ("agreement_resource", "1 = 1"),
}


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
    version = version_row(conn, key)
    check_editable(key, version.number, version.status, version.terms_hash)
    return version


def changed(conn: Conn, key: str, action: str, before: dict[str, Any] | AgreementDoc) -> AgreementDoc:
    """Record the event of a change to an agreement (before and after); returns the document now."""
    after = read_document(conn, key)
    events.record(conn, action=action, entity="agreement", key=key, before=before, after=after)
    return after


def new_agreement(
    conn: Conn,
    *,
    key: str | None,
    title: str,
    parties: Sequence[tuple[str, str | None]],
    project: str | None = None,
    kind: str = "activity",
    title_zh: str | None = None,
    effective: str | dt.date | None = None,
    expires: str | dt.date | None = None,
    review_every: str | None = None,
    languages: Sequence[str] = ("en",),
    record: bool = True,
) -> AgreementDoc:
    """Draft a new agreement (version 1) between two or more parties."""
    pid, _project_key = resolve_project(conn, project)
    start, end = parse_date(effective, "--effective"), parse_date(expires, "--expires")
    check_window(start, end, "agreement term", field="expires")
    if key is None:
        key = next_key(conn, (start or today()).year)
    check_agreement_key(key)
    if scalar(conn, "SELECT 1 FROM agreement WHERE key = :k", {"k": key}):
        raise AlreadyExists(f"agreement '{key}' already exists")
    labelled = check_parties(parties)
    ids = [lookup_id(conn, "stakeholder", party, "stakeholder") for party, _label in labelled]
    fields = {
        "title": check_text(title, "title"),
        "title_zh": (title_zh or "").strip() or None,
        "review_every": check_cadence(review_every),
        "languages": ",".join(check_languages(languages)),
    }
    aid = insert(
        conn, "agreement", {"key": key, "project_id": pid, "kind": check_text(kind, "kind"), "created_at": now()}
    )
    vid = insert(
        conn,
        "agreement_version",
        {"agreement_id": aid, "number": 1, "status": "draft", "effective": iso(start), "expires": iso(end), **fields},
    )
    executemany(
        conn,
        "INSERT INTO agreement_party (version_id, stakeholder_id, label, position) VALUES (:v, :s, :l, :p)",
        [
            {"v": vid, "s": sid, "l": label, "p": i}
            for i, (sid, (_party, label)) in enumerate(zip(ids, labelled, strict=True))
        ],
    )
    doc = read_document(conn, key)
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
    texts: Sequence[Text] = (),
    obligations: Sequence[Obligation] = (),
    resources: Sequence[Resource] = (),
) -> None:
    """Check clauses against the version's parties and project, then insert them in bulk."""
    parties = party_ids(conn, version.id)
    duties: dict[str, int] = {}
    if any(duty for _p, _t, duty, _l, _d in obligations):
        duties = {
            k: i
            for i, k in tuples(
                conn,
                "SELECT d.id, d.key FROM duty d JOIN project p ON p.id = d.project_id WHERE p.key = :p",
                {"p": version.project},
            )
        }

    def party_id(party: str) -> int:
        if party not in parties:
            raise NotFound("party", party, parties, f"agreement '{key}'")
        return parties[party]

    term_rows, obligation_rows, resource_rows = [], [], []
    position = _next_position(conn, "agreement_term", version.id)
    for section, party, text in texts:
        clean = check_clause(section, party, text)
        term_rows.append(
            {
                "v": version.id,
                "section": section,
                "s": party_id(party) if party else None,
                "text": clean,
                "position": position,
            }
        )
        position += 1
    position = _next_position(conn, "agreement_obligation", version.id)
    for party, text, duty, letter, due in obligations:
        letter = check_obligation_letter(duty, letter)
        if duty and duty not in duties:
            raise NotFound("duty", duty, duties, f"project '{version.project}'")
        obligation_rows.append(
            {
                "v": version.id,
                "s": party_id(party),
                "text": check_text(text, "text"),
                "d": duties[duty] if duty else None,
                "l": letter,
                "due": iso(parse_date(due, "--due")),
                "position": position,
            }
        )
        position += 1
    position = _next_position(conn, "agreement_resource", version.id)
    for party, kind, amount, unit in resources:
        kind, amount_text, unit = check_resource(kind, amount, unit)
        resource_rows.append(
            {
                "v": version.id,
                "s": party_id(party),
                "kind": kind,
                "amount": amount_text,
                "unit": unit,
                "position": position,
            }
        )
        position += 1
    executemany(
        conn,
        "INSERT INTO agreement_term (version_id, section, stakeholder_id, text, position) "
        "VALUES (:v, :section, :s, :text, :position)",
        term_rows,
    )
    executemany(
        conn,
        "INSERT INTO agreement_obligation (version_id, stakeholder_id, text, duty_id, letter, due_on, position) "
        "VALUES (:v, :s, :text, :d, :l, :due, :position)",
        obligation_rows,
    )
    executemany(
        conn,
        "INSERT INTO agreement_resource (version_id, stakeholder_id, kind, amount, unit, position) "
        "VALUES (:v, :s, :kind, :amount, :unit, :position)",
        resource_rows,
    )


def add_term(conn: Conn, *, key: str, section: str, text: str, party: str | None = None) -> AgreementDoc:
    """Add a goal, method, dispute or communication arrangement, or a right of ``party``."""
    version = editable(conn, key)
    before = read_document(conn, key)
    insert_terms(conn, key, version, texts=[(section, party, text)])
    return changed(conn, key, f"agreement.{section}.add", before)


def add_obligation(
    conn: Conn,
    *,
    key: str,
    party: str,
    text: str,
    duty: str | None = None,
    letter: str | None = None,
    due: str | dt.date | None = None,
) -> AgreementDoc:
    """An obligation of one party; naming a duty (and its letter) links it to the matrix once signed."""
    version = editable(conn, key)
    before = read_document(conn, key)
    insert_terms(conn, key, version, obligations=[(party, text, duty, letter, due)])
    return changed(conn, key, "agreement.obligation.add", before)


def add_resource(conn: Conn, *, key: str, party: str, kind: str, amount: str | Decimal, unit: str) -> AgreementDoc:
    """A resource a party commits: funds, venue hours, staff (amount and unit)."""
    version = editable(conn, key)
    before = read_document(conn, key)
    insert_terms(conn, key, version, resources=[(party, kind, amount, unit)])
    return changed(conn, key, "agreement.resource.add", before)


def remove_item(conn: Conn, *, key: str, section: str, number: int) -> AgreementDoc:
    """Remove item ``number`` (1-based, as ``list`` shows it) of a section of a draft."""
    version = editable(conn, key)
    before = read_document(conn, key)
    table, where = SECTION_TABLES[section]
    ids = column(
        conn, f"SELECT id FROM {table} WHERE version_id = :v AND {where} ORDER BY position, id", {"v": version.id}
    )
    if not 1 <= number <= len(ids):
        raise InvalidInput(f"{key} has no {section} number {number} (it has {len(ids)})")
    execute(conn, f"DELETE FROM {table} WHERE id = :i", {"i": ids[number - 1]})
    return changed(conn, key, f"agreement.{section}.remove", before)


def set_fields(
    conn: Conn,
    *,
    key: str,
    title: str | None = None,
    title_zh: str | None = None,
    kind: str | None = None,
    effective: str | None = None,
    expires: str | None = None,
    review_every: str | None = None,
    languages: Sequence[str] = (),
    record: bool = True,
) -> AgreementDoc:
    """Change the fields of a draft (None leaves a field; '' clears an optional one)."""
    version = editable(conn, key)
    before = read_document(conn, key)
    start = iso(parse_date(effective, "--effective")) if effective is not None else iso(version.effective)
    end = iso(parse_date(expires, "--expires")) if expires is not None else iso(version.expires)
    check_window(start, end, "agreement term", field="expires")
    values = {
        "title": check_text(title, "title") if title is not None else version.title,
        "title_zh": ((title_zh or "").strip() or None) if title_zh is not None else version.title_zh,
        "effective": start,
        "expires": end,
        "review_every": check_cadence(review_every) if review_every is not None else version.review_every,
        "languages": ",".join(check_languages(languages)) if languages else version.languages,
        "v": version.id,
    }
    execute(
        conn,
        "UPDATE agreement_version SET title = :title, title_zh = :title_zh, effective = :effective, "
        "expires = :expires, review_every = :review_every, languages = :languages WHERE id = :v",
        values,
    )
    if kind is not None:
        execute(
            conn,
            "UPDATE agreement SET kind = :k WHERE id = :a",
            {"k": check_text(kind, "kind"), "a": version.agreement_id},
        )
    if not record:
        return read_document(conn, key)
    return changed(conn, key, "agreement.edit", before)


def replace_terms(conn: Conn, *, key: str, spec: AgreementSpec) -> AgreementDoc:
    """Make a draft say exactly what ``spec`` says (the ``coord agreement edit`` round trip)."""
    version = editable(conn, key)
    before = read_document(conn, key)
    if spec.key not in (None, key):
        raise InvalidInput(f"key: the key of {key} cannot change (the file says '{spec.key}')")
    if spec.project not in (None, version.project):
        raise InvalidInput(f"project: {key} belongs to project '{version.project}' (the file says '{spec.project}')")
    if spec.signatures or spec.status:
        raise InvalidInput("signatures and status are recorded with coord agreement circulate/sign, not by editing")
    labelled = check_parties([(p.stakeholder, p.label) for p in spec.parties])
    set_fields(
        conn,
        key=key,
        title=spec.title,
        title_zh=spec.title_zh or "",
        kind=spec.kind,
        effective=iso(spec.effective) or "",
        expires=iso(spec.expires) or "",
        review_every=spec.review_every or "",
        languages=spec.languages,
        record=False,
    )
    for table in ("agreement_term", "agreement_obligation", "agreement_resource", "agreement_party"):
        execute(conn, f"DELETE FROM {table} WHERE version_id = :v", {"v": version.id})
    parties = []
    for position, (party, label) in enumerate(labelled):
        with at("parties", position, "stakeholder"):
            sid = lookup_id(conn, "stakeholder", party, "stakeholder")
        parties.append({"v": version.id, "s": sid, "l": label, "p": position})
    executemany(
        conn,
        "INSERT INTO agreement_party (version_id, stakeholder_id, label, position) VALUES (:v, :s, :l, :p)",
        parties,
    )
    add_spec_terms(conn, key, spec)
    return changed(conn, key, "agreement.edit", before)


def add_spec_terms(conn: Conn, key: str, spec: AgreementSpec) -> None:
    texts: list[Text] = [
        (section, None, text)
        for section, field in CLAUSE_SECTIONS.items()
        if section != "right"
        for text in getattr(spec, field)
    ]
    texts += [("right", right.party, right.text) for right in spec.rights]
    insert_terms(
        conn,
        key,
        version_row(conn, key),
        texts=texts,
        obligations=[(o.party, o.text, o.duty, o.letter, o.due) for o in spec.obligations],
        resources=[(r.party, r.kind, r.amount, r.unit) for r in spec.resources],
    )


def new_from_spec(
    conn: Conn, *, spec: AgreementSpec, key: str | None = None, project: str | None = None
) -> AgreementDoc:
    """Draft an agreement from a YAML file's content (terms included)."""
    if spec.signatures or spec.status:
        raise InvalidInput(
            "signatures and status: a new agreement starts as a draft; record signatures with "
            "coord agreement sign (or describe the whole workspace for coord apply)"
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
        review_every=spec.review_every,
        languages=spec.languages,
        record=False,
    )
    add_spec_terms(conn, doc["key"], spec)
    after = read_document(conn, doc["key"])
    events.record(conn, action="agreement.new", entity="agreement", key=doc["key"], after=after)
    return after


def spec_of(doc: AgreementDoc) -> dict[str, Any]:
    """The YAML shape of one agreement version (what ``edit`` opens and ``export`` writes)."""
    out: dict[str, Any] = {"key": doc["key"], "project": doc["project"], "title": doc["title"]}
    if doc["title_zh"]:
        out["title_zh"] = doc["title_zh"]
    out["kind"] = doc["kind"]
    for name in ("effective", "expires", "review_every"):
        if doc[name]:
            out[name] = doc[name]
    out["languages"] = doc["languages"]
    out["parties"] = [{"stakeholder": p["stakeholder"], "label": p["label"]} for p in doc["parties"]]
    for name in ("goals", "methods", "dispute_resolution", "communication", "rights"):
        if doc[name]:  # type: ignore[literal-required]
            out[name] = doc[name]  # type: ignore[literal-required]
    if doc["obligations"]:
        out["obligations"] = [{k: v for k, v in o.items() if v is not None} for o in doc["obligations"]]
    if doc["resources"]:
        out["resources"] = doc["resources"]
    return out
