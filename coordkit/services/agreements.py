"""Activity agreements: drafting, circulating, signing, amending, terminating.

An agreement's terms live in numbered versions. The first signature on a
version freezes its terms: their canonical form (see ``canonical_json``) is
hashed with SHA-256 and every signature is on that hash. A frozen version is
never changed again; ``amend`` starts the next version as a draft. When every
party has signed a version, its obligations that name a duty become
assignments for the agreement's term, and it supersedes the version before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordkit.canonical import compute_hash, fingerprint
from coordkit.checks.rules import in_force  # one definition, shared with the checks
from coordkit.dates import check_window, day_before, iso, parse_date, today
from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.services.common import check_choice, check_text, lookup_id, resolve_project
from coordkit.services.duties import check_letter
from coordkit.storage import events
from coordkit.storage.sql import Conn, column, connection, execute, executemany, in_list, rows, scalar, tuples

if TYPE_CHECKING:
    from sqlmodel import Session

    from coordkit.spec import AgreementSpec

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
REVIEW_RE = re.compile(r"^[1-9][0-9]{0,3}[dwmy]$")
METHODS = ("wet-ink", "seal", "electronic")
STATUSES = ("draft", "circulating", "signed", "superseded", "terminated")
LANGUAGES = ("en", "zh")
SECTIONS = {  # command name -> document field
    "goal": "goals",
    "method": "methods",
    "dispute": "dispute_resolution",
    "communication": "communication",
    "right": "rights",
}
EDITABLE = ("draft", "circulating")
LABELS = ("Party A", "Party B", "Party C", "Party D", "Party E", "Party F", "Party G", "Party H")


# ---------------------------------------------------------------- reading


def _version(conn: Conn, key: str, number: int | None = None) -> Any:
    """The version row (the newest one unless ``number``), with its agreement's key, kind and project."""
    which = (
        ":n" if number is not None else "(SELECT max(x.number) FROM agreement_version x WHERE x.agreement_id = a.id)"
    )
    found = rows(
        conn,
        "SELECT v.*, a.key AS agreement_key, a.kind, p.key AS project FROM agreement a "
        "JOIN agreement_version v ON v.agreement_id = a.id JOIN project p ON p.id = a.project_id "
        f"WHERE a.key = :k AND v.number = {which}",
        {"k": key, "n": number},
    )
    if found:
        return found[0]
    aid = lookup_id(conn, "agreement", key, "agreement")
    versions = column(conn, "SELECT number FROM agreement_version WHERE agreement_id = :a", {"a": aid})
    raise NotFound("version", str(number), [str(v) for v in versions], f"agreement '{key}'")


def document(conn: Conn, key: str, number: int | None = None) -> dict[str, Any]:
    """Everything about one version of an agreement, as plain data."""
    return documents(conn, version_ids=[_version(conn, key, number).id])[0]


def documents(conn: Conn, *, version_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Many versions at once, with one query per kind of clause (ordered by key and number)."""
    params: dict[str, Any] = {}
    only = f" WHERE v.id IN {in_list('v', version_ids, params)}" if version_ids is not None else ""
    sub = f" WHERE version_id IN {in_list('v', version_ids, {})}" if version_ids is not None else ""
    versions = rows(
        conn,
        "SELECT v.*, a.key AS agreement_key, a.kind, p.key AS project, "
        "(SELECT count(*) FROM agreement_version x WHERE x.agreement_id = v.agreement_id) AS versions "
        "FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id JOIN project p ON p.id = a.project_id"
        f"{only} ORDER BY a.key, v.number",
        params,
    )
    docs: dict[int, dict[str, Any]] = {}
    for v in versions:
        doc: dict[str, Any] = {
            "key": v.agreement_key,
            "version": v.number,
            "versions": int(v.versions),
            "project": v.project,
            "kind": v.kind,
            "title": v.title,
            "title_zh": v.title_zh,
            "status": v.status,
            "effective": iso(v.effective),
            "expires": iso(v.expires),
            "review_every": v.review_every,
            "languages": v.languages.split(","),
            "terms_hash": v.terms_hash,
            "fingerprint": fingerprint(v.terms_hash),
            "frozen_at": v.frozen_at,
            "terminated_on": iso(v.terminated_on),
            "termination_reason": v.termination_reason,
            "parties": [],
            "goals": [],
            "methods": [],
            "dispute_resolution": [],
            "communication": [],
            "rights": [],
            "obligations": [],
            "resources": [],
            "signatures": [],
        }
        docs[v.id] = doc
    for vid, skey, name, name_zh, label in tuples(
        conn,
        "SELECT p.version_id, s.key, s.name, s.name_zh, p.label FROM agreement_party p "
        f"JOIN stakeholder s ON s.id = p.stakeholder_id{sub.replace('version_id', 'p.version_id')} "
        "ORDER BY p.version_id, p.position, p.id",
        params,
    ):
        docs[vid]["parties"].append({"stakeholder": skey, "label": label, "name": name, "name_zh": name_zh})
    for vid, section, party, text in tuples(
        conn,
        "SELECT t.version_id, t.section, s.key, t.text FROM agreement_term t "
        f"LEFT JOIN stakeholder s ON s.id = t.stakeholder_id{sub.replace('version_id', 't.version_id')} "
        "ORDER BY t.version_id, t.position, t.id",
        params,
    ):
        if section == "right":
            docs[vid]["rights"].append({"party": party, "text": text})
        else:
            docs[vid][SECTIONS[section]].append(text)
    for vid, party, text, duty, letter, due in tuples(
        conn,
        "SELECT o.version_id, s.key, o.text, d.key, o.letter, o.due_on FROM agreement_obligation o "
        "JOIN stakeholder s ON s.id = o.stakeholder_id LEFT JOIN duty d ON d.id = o.duty_id"
        f"{sub.replace('version_id', 'o.version_id')} ORDER BY o.version_id, o.position, o.id",
        params,
    ):
        docs[vid]["obligations"].append({"party": party, "text": text, "duty": duty, "as": letter, "due": iso(due)})
    for vid, party, kind, amount, unit in tuples(
        conn,
        "SELECT r.version_id, s.key, r.kind, r.amount, r.unit FROM agreement_resource r "
        f"JOIN stakeholder s ON s.id = r.stakeholder_id{sub.replace('version_id', 'r.version_id')} "
        "ORDER BY r.version_id, r.position, r.id",
        params,
    ):
        docs[vid]["resources"].append({"party": party, "kind": kind, "amount": amount, "unit": unit})
    for r in rows(
        conn,
        "SELECT g.version_id, s.key AS party, g.signatory, g.title, g.signed_on, g.method, g.terms_hash, "
        "g.scan_sha256, g.key_fingerprint FROM signature g JOIN stakeholder s ON s.id = g.stakeholder_id"
        f"{sub.replace('version_id', 'g.version_id')} ORDER BY g.version_id, g.id",
        params,
    ):
        docs[r.version_id]["signatures"].append(
            {
                "party": r.party,
                "signatory": r.signatory,
                "title": r.title,
                "date": iso(r.signed_on),
                "method": r.method,
                "terms_hash": r.terms_hash,
                "scan_sha256": r.scan_sha256,
                "key_fingerprint": r.key_fingerprint,
            }
        )
    for doc in docs.values():
        signed = {s["party"] for s in doc["signatures"]}
        doc["unsigned"] = [p["stakeholder"] for p in doc["parties"] if p["stakeholder"] not in signed]
    return list(docs.values())


def newest_version_ids(
    conn: Conn, *, keys: Sequence[str] = (), status: str | None = None, project: str | None = None
) -> list[int]:
    """The newest version of each agreement (all, or those named), optionally filtered."""
    params: dict[str, Any] = {}
    where = ["v.number = (SELECT max(number) FROM agreement_version x WHERE x.agreement_id = v.agreement_id)"]
    for key in keys:
        lookup_id(conn, "agreement", key, "agreement")
    if keys:
        where.append("a.key IN " + in_list("k", keys, params))
    if status:
        where.append("v.status = :status")
        params["status"] = check_choice(status, STATUSES, "status")
    if project:
        params["pid"] = lookup_id(conn, "project", project, "project")
        where.append("a.project_id = :pid")
    return column(
        conn,
        "SELECT v.id FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id WHERE "
        + " AND ".join(where)
        + " ORDER BY a.key",
        params,
    )


def version_id(conn: Conn, key: str, number: int | None = None) -> int:
    return int(_version(conn, key, number).id)


def list_agreements(
    conn: Conn,
    *,
    project: str | None = None,
    status: str | None = None,
    party: str | None = None,
    expiring_days: int | None = None,
    on: str | None = None,
) -> list[dict[str, Any]]:
    """One row per agreement (its newest version), ordered by key."""
    day = on or today().isoformat()
    params: dict[str, Any] = {}
    where = []
    if project:
        params["pid"] = lookup_id(conn, "project", project, "project")
        where.append("a.project_id = :pid")
    if party:
        params["sid"] = lookup_id(conn, "stakeholder", party, "stakeholder")
        where.append(
            "EXISTS (SELECT 1 FROM agreement_party ap WHERE ap.version_id = v.id AND ap.stakeholder_id = :sid)"
        )
    if status:
        params["status"] = check_choice(status, STATUSES, "status")
        where.append("v.status = :status")
    found = rows(
        conn,
        "SELECT a.key, p.key AS project, a.kind, v.number, v.title, v.status, v.effective, v.expires, "
        "v.terms_hash, v.terminated_on, "
        "(SELECT count(*) FROM agreement_party ap WHERE ap.version_id = v.id) AS parties, "
        "(SELECT count(*) FROM signature g WHERE g.version_id = v.id) AS signatures "
        "FROM agreement a JOIN project p ON p.id = a.project_id JOIN agreement_version v ON v.agreement_id = a.id "
        "AND v.number = (SELECT max(number) FROM agreement_version x WHERE x.agreement_id = a.id)"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.key",
        params,
    )
    result = []
    limit = (dt.date.fromisoformat(day) + dt.timedelta(days=expiring_days)).isoformat() if expiring_days else None
    for r in found:
        item = {
            "key": r.key,
            "project": r.project,
            "kind": r.kind,
            "version": r.number,
            "title": r.title,
            "status": r.status,
            "effective": iso(r.effective),
            "expires": iso(r.expires),
            "parties": int(r.parties),
            "signatures": int(r.signatures),
            "fingerprint": fingerprint(r.terms_hash),
            "terminated_on": iso(r.terminated_on),
        }
        item["in_force"] = in_force(item, day)
        if limit is not None and not (item["in_force"] and item["expires"] and item["expires"] <= limit):
            continue
        result.append(item)
    return result


# ---------------------------------------------------------------- drafting


def check_agreement_key(key: str) -> str:
    if not KEY_RE.match(key or ""):
        raise InvalidInput(
            f"agreement key '{key}' is not valid: use letters, digits, '-', '_' or '.', e.g. AGR-2024-001"
        )
    return key


def next_key(conn: Conn, year: int) -> str:
    """``AGR-YYYY-NNN``, one more than the highest number used that year."""
    prefix = f"AGR-{year}-"
    numbers = [
        int(k[len(prefix) :])
        for k in column(conn, "SELECT key FROM agreement WHERE key LIKE :p", {"p": prefix + "%"})
        if k[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _check_review(value: str | None) -> str | None:
    if value and not REVIEW_RE.match(value):
        raise InvalidInput(f"--review-every '{value}': expected a number and d, w, m or y, e.g. 6m or 90d")
    return value or None


def _check_languages(values: Sequence[str]) -> str:
    langs = []
    for value in values:
        for lang in value.split(","):
            lang = lang.strip()
            if lang:
                langs.append(check_choice(lang, LANGUAGES, "language"))
    return ",".join(dict.fromkeys(langs)) or "en"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _party_ids(conn: Conn, vid: int) -> dict[str, int]:
    return {
        r.key: r.stakeholder_id
        for r in rows(
            conn,
            "SELECT s.key, p.stakeholder_id FROM agreement_party p JOIN stakeholder s ON s.id = p.stakeholder_id "
            "WHERE p.version_id = :v",
            {"v": vid},
        )
    }


def _party_of(conn: Conn, vid: int, key: str, party: str) -> int:
    parties = _party_ids(conn, vid)
    if party not in parties:
        raise NotFound("party", party, parties, f"agreement '{key}'")
    return parties[party]


def _editable(conn: Conn, key: str) -> Any:
    """The newest version, if its terms may still change; else the refusal that says to amend."""
    version = _version(conn, key)
    if version.terms_hash:
        raise Refused(
            f"the terms of {key} v{version.number} are frozen by its first signature "
            f"(fingerprint {fingerprint(version.terms_hash)}); amend it instead: coord agreement amend {key}"
        )
    if version.status not in EDITABLE:
        raise Refused(f"{key} v{version.number} is {version.status}; its terms can no longer change")
    return version


def new_agreement(
    session: Session,
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
) -> dict[str, Any]:
    """Draft a new agreement (version 1) between two or more parties."""
    from coordkit.models import Agreement, AgreementParty, AgreementVersion

    conn = connection(session)
    pid, _project_key = resolve_project(conn, project)
    start, end = parse_date(effective, "--effective"), parse_date(expires, "--expires")
    check_window(start, end, "agreement term")
    if key is None:
        key = next_key(conn, (start or today()).year)
    check_agreement_key(key)
    if scalar(conn, "SELECT 1 FROM agreement WHERE key = :k", {"k": key}):
        raise AlreadyExists(f"agreement '{key}' already exists")
    if len(parties) < 2:
        raise InvalidInput("an agreement needs at least two parties (--party STAKEHOLDER:LABEL, twice or more)")
    resolved: list[tuple[int, str, str]] = []
    for index, (party, label) in enumerate(parties):
        sid = lookup_id(conn, "stakeholder", party, "stakeholder")
        if any(sid == s for s, _l, _k in resolved):
            raise InvalidInput(f"party '{party}' is named twice")
        resolved.append((sid, (label or "").strip() or LABELS[index % len(LABELS)], party))
    agreement = Agreement(key=key, project_id=pid, kind=check_text(kind, "kind"), created_at=_now())
    session.add(agreement)
    session.flush()
    assert agreement.id is not None
    version = AgreementVersion(
        agreement_id=agreement.id,
        number=1,
        title=check_text(title, "title"),
        title_zh=title_zh or None,
        effective=start,
        expires=end,
        review_every=_check_review(review_every),
        languages=_check_languages(languages),
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    for position, (sid, label, _party) in enumerate(resolved):
        session.add(AgreementParty(version_id=version.id, stakeholder_id=sid, label=label, position=position))
    session.flush()
    if not record:
        return {"key": key}
    after = document(conn, key)
    events.record(conn, action="agreement.new", entity="agreement", key=key, after=after)
    return after


def _next_position(conn: Conn, table: str, vid: int) -> int:
    return int(scalar(conn, f"SELECT coalesce(max(position), -1) + 1 FROM {table} WHERE version_id = :v", {"v": vid}))


Text = tuple[str, str | None, str]  # section, party, text
Obligation = tuple[str, str, str | None, str | None, "str | dt.date | None"]  # party, text, duty, letter, due
Resource = tuple[str, str, "str | Decimal", str]  # party, kind, amount, unit


def _insert_terms(
    conn: Conn,
    key: str,
    version: Any,
    *,
    texts: Sequence[Text] = (),
    obligations: Sequence[Obligation] = (),
    resources: Sequence[Resource] = (),
) -> None:
    """Check clauses against the version's parties and project, then insert them in bulk."""
    parties = _party_ids(conn, version.id)
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
        if section != "right" and party:
            raise InvalidInput(f"only rights belong to a party; a {section} is shared by all parties")
        if section == "right" and not party:
            raise InvalidInput("a right belongs to a party: pass --party STAKEHOLDER")
        term_rows.append(
            {
                "v": version.id,
                "section": section,
                "s": party_id(party) if party else None,
                "text": check_text(text, "text"),
                "position": position,
            }
        )
        position += 1
    position = _next_position(conn, "agreement_obligation", version.id)
    for party, text, duty, letter, due in obligations:
        duty_id = None
        if duty:
            if duty not in duties:
                raise NotFound("duty", duty, duties, f"project '{version.project}'")
            duty_id, letter = duties[duty], check_letter(letter or "R")
        elif letter:
            raise InvalidInput("--as needs --duty: the letter says what the party is for that duty")
        obligation_rows.append(
            {
                "v": version.id,
                "s": party_id(party),
                "text": check_text(text, "text"),
                "d": duty_id,
                "l": letter,
                "due": iso(parse_date(due, "--due")),
                "position": position,
            }
        )
        position += 1
    position = _next_position(conn, "agreement_resource", version.id)
    for party, kind, amount, unit in resources:
        resource_rows.append(
            {
                "v": version.id,
                "s": party_id(party),
                "kind": check_text(kind, "kind"),
                "amount": check_amount(amount),
                "unit": check_text(unit, "unit"),
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
        "INSERT INTO agreement_obligation (version_id, stakeholder_id, text, duty_id, letter, due_on, "
        "position) VALUES (:v, :s, :text, :d, :l, :due, :position)",
        obligation_rows,
    )
    executemany(
        conn,
        "INSERT INTO agreement_resource (version_id, stakeholder_id, kind, amount, unit, position) "
        "VALUES (:v, :s, :kind, :amount, :unit, :position)",
        resource_rows,
    )


def add_term(session: Session, *, key: str, section: str, text: str, party: str | None = None) -> dict[str, Any]:
    """Add a goal, method, dispute or communication arrangement, or a right of ``party``."""
    conn = connection(session)
    version = _editable(conn, key)
    before = document(conn, key)
    _insert_terms(conn, key, version, texts=[(section, party, text)])
    return _changed(conn, key, f"agreement.{section}.add", before)


def add_obligation(
    session: Session,
    *,
    key: str,
    party: str,
    text: str,
    duty: str | None = None,
    letter: str | None = None,
    due: str | dt.date | None = None,
) -> dict[str, Any]:
    """An obligation of one party; naming a duty (and its letter) links it to the matrix once signed."""
    conn = connection(session)
    version = _editable(conn, key)
    before = document(conn, key)
    _insert_terms(conn, key, version, obligations=[(party, text, duty, letter, due)])
    return _changed(conn, key, "agreement.obligation.add", before)


def check_amount(amount: str | Decimal | int | float) -> str:
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise InvalidInput(f"--amount '{amount}' is not a number") from None
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"--amount '{amount}' must be a number of zero or more")
    return format(value.normalize(), "f")


def add_resource(
    session: Session, *, key: str, party: str, kind: str, amount: str | Decimal, unit: str
) -> dict[str, Any]:
    """A resource a party commits: funds, venue hours, staff (amount and unit)."""
    conn = connection(session)
    version = _editable(conn, key)
    before = document(conn, key)
    _insert_terms(conn, key, version, resources=[(party, kind, amount, unit)])
    return _changed(conn, key, "agreement.resource.add", before)


SECTION_TABLES = {  # section -> (table, extra where)
    "goal": ("agreement_term", "section = 'goal'"),
    "method": ("agreement_term", "section = 'method'"),
    "dispute": ("agreement_term", "section = 'dispute'"),
    "communication": ("agreement_term", "section = 'communication'"),
    "right": ("agreement_term", "section = 'right'"),
    "obligation": ("agreement_obligation", "1 = 1"),
    "resource": ("agreement_resource", "1 = 1"),
}


def remove_item(session: Session, *, key: str, section: str, number: int) -> dict[str, Any]:
    """Remove item ``number`` (1-based, as ``list`` shows it) of a section of a draft."""
    conn = connection(session)
    version = _editable(conn, key)
    before = document(conn, key)
    table, where = SECTION_TABLES[section]
    ids = column(
        conn, f"SELECT id FROM {table} WHERE version_id = :v AND {where} ORDER BY position, id", {"v": version.id}
    )
    if not 1 <= number <= len(ids):
        raise InvalidInput(f"{key} has no {section} number {number} (it has {len(ids)})")
    execute(conn, f"DELETE FROM {table} WHERE id = :i", {"i": ids[number - 1]})
    return _changed(conn, key, f"agreement.{section}.remove", before)


def items(doc: dict[str, Any], section: str) -> list[Any]:
    field = {"obligation": "obligations", "resource": "resources"}.get(section) or SECTIONS[section]
    return list(doc[field])


def set_fields(
    session: Session,
    *,
    key: str,
    title: str | None = None,
    title_zh: str | None = None,
    kind: str | None = None,
    effective: str | None = None,
    expires: str | None = None,
    review_every: str | None = None,
    languages: Sequence[str] = (),
) -> dict[str, Any]:
    """Change the fields of a draft (None leaves a field; '' clears an optional one)."""
    from coordkit.models import Agreement, AgreementVersion

    conn = connection(session)
    version = _editable(conn, key)
    before = document(conn, key)
    row = session.get(AgreementVersion, version.id)
    assert row is not None
    if title is not None:
        row.title = check_text(title, "title")
    if title_zh is not None:
        row.title_zh = title_zh or None
    if effective is not None:
        row.effective = parse_date(effective, "--effective")
    if expires is not None:
        row.expires = parse_date(expires, "--expires")
    check_window(row.effective, row.expires, "agreement term")
    if review_every is not None:
        row.review_every = _check_review(review_every)
    if languages:
        row.languages = _check_languages(languages)
    if kind is not None:
        agreement = session.get(Agreement, version.agreement_id)
        assert agreement is not None
        agreement.kind = check_text(kind, "kind")
    session.flush()
    return _changed(conn, key, "agreement.edit", before)


def replace_terms(session: Session, *, key: str, spec: AgreementSpec) -> dict[str, Any]:
    """Make a draft say exactly what ``spec`` says (the ``coord agreement edit`` round trip)."""
    from coordkit.models import AgreementParty

    conn = connection(session)
    version = _editable(conn, key)
    before = document(conn, key)
    if spec.key not in (None, key):
        raise InvalidInput(f"key: the key of {key} cannot change (the file says '{spec.key}')")
    if spec.project not in (None, version.project):
        raise InvalidInput(f"project: {key} belongs to project '{version.project}' (the file says '{spec.project}')")
    if spec.signatures or spec.status:
        raise InvalidInput("signatures and status are recorded with coord agreement circulate/sign, not by editing")
    if len(spec.parties) < 2:
        raise InvalidInput("parties: an agreement needs at least two parties")
    set_fields(
        session,
        key=key,
        title=spec.title,
        title_zh=spec.title_zh or "",
        kind=spec.kind,
        effective=iso(spec.effective) or "",
        expires=iso(spec.expires) or "",
        review_every=spec.review_every or "",
        languages=spec.languages,
    )
    for table in ("agreement_term", "agreement_obligation", "agreement_resource", "agreement_party"):
        execute(conn, f"DELETE FROM {table} WHERE version_id = :v", {"v": version.id})
    seen = set()
    for position, party in enumerate(spec.parties):
        sid = lookup_id(conn, "stakeholder", party.stakeholder, "stakeholder")
        if sid in seen:
            raise InvalidInput(f"parties: '{party.stakeholder}' is named twice")
        seen.add(sid)
        session.add(
            AgreementParty(
                version_id=version.id,
                stakeholder_id=sid,
                label=party.label or LABELS[position % len(LABELS)],
                position=position,
            )
        )
    session.flush()
    _add_terms(conn, key, spec)
    return _changed(conn, key, "agreement.edit", before)


def _add_terms(conn: Conn, key: str, spec: AgreementSpec) -> None:
    texts: list[Text] = [
        (section, None, text)
        for section, field in SECTIONS.items()
        if section != "right"
        for text in getattr(spec, field)
    ]
    texts += [("right", right.party, right.text) for right in spec.rights]
    _insert_terms(
        conn,
        key,
        _version(conn, key),
        texts=texts,
        obligations=[(o.party, o.text, o.duty, o.letter, o.due) for o in spec.obligations],
        resources=[(r.party, r.kind, r.amount, r.unit) for r in spec.resources],
    )


def new_from_spec(
    session: Session, *, spec: AgreementSpec, key: str | None = None, project: str | None = None
) -> dict[str, Any]:
    """Draft an agreement from a YAML file's content (terms included)."""
    if spec.signatures or spec.status:
        raise InvalidInput(
            "signatures and status: a new agreement starts as a draft; record signatures with "
            "coord agreement sign (or describe the whole workspace for coord apply)"
        )
    doc = new_agreement(
        session,
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
    conn = connection(session)
    _add_terms(conn, doc["key"], spec)
    after = document(conn, doc["key"])
    events.record(conn, action="agreement.new", entity="agreement", key=doc["key"], after=after)
    return after


def spec_of(doc: dict[str, Any]) -> dict[str, Any]:
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
        if doc[name]:
            out[name] = doc[name]
    if doc["obligations"]:
        out["obligations"] = [{k: v for k, v in o.items() if v is not None} for o in doc["obligations"]]
    if doc["resources"]:
        out["resources"] = doc["resources"]
    return out


def _changed(conn: Conn, key: str, action: str, before: dict[str, Any]) -> dict[str, Any]:
    after = document(conn, key)
    events.record(conn, action=action, entity="agreement", key=key, before=before, after=after)
    return after


# ---------------------------------------------------------------- life


def circulate(session: Session, *, key: str) -> dict[str, Any]:
    """Send a draft out for signature."""
    conn = connection(session)
    version = _version(conn, key)
    if version.status != "draft":
        raise Refused(f"{key} v{version.number} is {version.status}, not a draft")
    clauses = scalar(
        conn,
        "SELECT (SELECT count(*) FROM agreement_term WHERE version_id = :v AND section = 'goal') "
        "+ (SELECT count(*) FROM agreement_obligation WHERE version_id = :v)",
        {"v": version.id},
    )
    if not clauses:
        raise InvalidInput(f"{key} has no goals and no obligations yet; add some before circulating it")
    execute(conn, "UPDATE agreement_version SET status = 'circulating' WHERE id = :v", {"v": version.id})
    return _changed(conn, key, "agreement.circulate", {"status": "draft"})


def _store_scan(scan: Path, workspace: Path) -> tuple[str, str]:
    """Copy a scan into ``workspace/scans/`` under its SHA-256; returns (hash, stored name)."""
    try:
        content = scan.read_bytes()
    except OSError as error:
        raise InvalidInput(f"--scan {scan}: cannot read ({error.strerror})") from None
    digest = hashlib.sha256(content).hexdigest()
    name = digest + scan.suffix.lower()
    target = workspace / "scans" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scan, target)
    return digest, name


def sign(
    session: Session,
    *,
    key: str,
    party: str,
    signatory: str,
    workspace: Path,
    title: str | None = None,
    date: str | None = None,
    method: str = "wet-ink",
    scan: Path | None = None,
    key_file: Path | None = None,
) -> dict[str, Any]:
    """Record one party's signature on the newest version (the first one freezes the terms)."""
    from coordkit.models import Signature
    from coordkit.services import keys

    conn = connection(session)
    version = _version(conn, key)
    if version.status == "draft":
        raise Refused(f"{key} v{version.number} is still a draft; circulate it first: coord agreement circulate {key}")
    if version.status != "circulating":
        raise Refused(f"{key} v{version.number} is {version.status}; only a circulating version can be signed")
    sid = _party_of(conn, version.id, key, party)
    if scalar(
        conn, "SELECT 1 FROM signature WHERE version_id = :v AND stakeholder_id = :s", {"v": version.id, "s": sid}
    ):
        raise AlreadyExists(f"'{party}' has already signed {key} v{version.number}")
    signed_on = parse_date(date, "--date") or today()
    method = check_choice(method, METHODS, "method")
    before = {"status": version.status, "terms_hash": version.terms_hash}
    terms_hash = version.terms_hash
    if terms_hash is None:
        terms_hash = compute_hash(document(conn, key))
        execute(
            conn,
            "UPDATE agreement_version SET terms_hash = :h, frozen_at = :t WHERE id = :v",
            {"h": terms_hash, "t": _now(), "v": version.id},
        )
    key_fp = key_sig = None
    if key_file is not None:
        key_fp, key_sig = keys.sign_hash(conn, key_file=key_file, party=party, party_id=sid, terms_hash=terms_hash)
    scan_hash = scan_name = None
    if scan is not None:
        scan_hash, scan_name = _store_scan(scan, workspace)
    session.add(
        Signature(
            version_id=version.id,
            stakeholder_id=sid,
            signatory=check_text(signatory, "--signatory"),
            title=title or None,
            signed_on=signed_on,
            method=method,
            terms_hash=terms_hash,
            scan_sha256=scan_hash,
            scan_name=scan_name,
            key_fingerprint=key_fp,
            key_signature=key_sig,
            recorded_at=_now(),
        )
    )
    session.flush()
    missing = scalar(
        conn,
        "SELECT count(*) FROM agreement_party p WHERE p.version_id = :v AND NOT EXISTS "
        "(SELECT 1 FROM signature g WHERE g.version_id = :v AND g.stakeholder_id = p.stakeholder_id)",
        {"v": version.id},
    )
    if not missing:
        execute(conn, "UPDATE agreement_version SET status = 'signed' WHERE id = :v", {"v": version.id})
        _activate(conn, version)
    return _changed(conn, key, "agreement.sign", before)


def _activate(conn: Conn, version: Any) -> None:
    """Every party has signed: obligations become assignments; the version before is superseded."""
    start, end = iso(version.effective), iso(version.expires)
    previous = rows(
        conn,
        "SELECT id, number FROM agreement_version WHERE agreement_id = :a AND number < :n AND status = 'signed'",
        {"a": version.agreement_id, "n": version.number},
    )
    for old in previous:
        execute(conn, "UPDATE agreement_version SET status = 'superseded' WHERE id = :v", {"v": old.id})
        _end_assignments(conn, version.agreement_key, old.number, day_before(start) if start else today().isoformat())
    for ob in rows(
        conn,
        "SELECT stakeholder_id, duty_id, letter FROM agreement_obligation WHERE version_id = :v AND duty_id IS NOT NULL",
        {"v": version.id},
    ):
        execute(
            conn,
            "INSERT INTO assignment (duty_id, stakeholder_id, role_id, letter, valid_from, valid_to, source, "
            "agreement_key, agreement_version) VALUES (:d, :s, NULL, :l, :f, :t, 'agreement', :k, :n)",
            {
                "d": ob.duty_id,
                "s": ob.stakeholder_id,
                "l": ob.letter,
                "f": start,
                "t": end,
                "k": version.agreement_key,
                "n": version.number,
            },
        )


def _end_assignments(conn: Conn, key: str, number: int, last_day: str) -> None:
    """Assignments from a version end on ``last_day``; ones that would end before they start go."""
    params = {"k": key, "n": number, "d": last_day}
    base = "FROM assignment WHERE agreement_key = :k AND agreement_version = :n"
    execute(conn, f"DELETE {base} AND valid_from IS NOT NULL AND valid_from > :d", params)
    execute(
        conn,
        "UPDATE assignment SET valid_to = :d WHERE agreement_key = :k AND agreement_version = :n "
        "AND (valid_to IS NULL OR valid_to > :d)",
        params,
    )


def amend(session: Session, *, key: str) -> dict[str, Any]:
    """Start version n+1 as a draft carrying the terms over; version n stays as it is."""
    from coordkit.models import AgreementVersion

    conn = connection(session)
    version = _version(conn, key)
    if version.status == "draft":
        raise Refused(f"{key} v{version.number} is still a draft; change it directly instead of amending")
    if version.status == "circulating" and not version.terms_hash:
        raise Refused(f"nobody has signed {key} v{version.number} yet; change it directly instead of amending")
    if version.status == "circulating":
        raise Refused(f"{key} v{version.number} is being signed; amend it once every party has signed")
    if version.status == "terminated":
        raise Refused(f"{key} was terminated on {iso(version.terminated_on)}; draft a new agreement instead")
    before = document(conn, key)
    new = AgreementVersion(
        agreement_id=version.agreement_id,
        number=version.number + 1,
        title=version.title,
        title_zh=version.title_zh,
        effective=parse_date(iso(version.effective), "effective"),
        expires=parse_date(iso(version.expires), "expires"),
        review_every=version.review_every,
        languages=version.languages,
    )
    session.add(new)
    session.flush()
    for table, columns in (
        ("agreement_party", "stakeholder_id, label, position"),
        ("agreement_term", "section, stakeholder_id, text, position"),
        ("agreement_obligation", "stakeholder_id, text, duty_id, letter, due_on, position"),
        ("agreement_resource", "stakeholder_id, kind, amount, unit, position"),
    ):
        execute(
            conn,
            f"INSERT INTO {table} (version_id, {columns}) SELECT :new, {columns} FROM {table} WHERE version_id = :old",
            {"new": new.id, "old": version.id},
        )
    after = document(conn, key)
    events.record(conn, action="agreement.amend", entity="agreement", key=key, before=before, after=after)
    return after


def terminate(session: Session, *, key: str, reason: str, date: str | None = None) -> dict[str, Any]:
    """End an agreement early; its assignments end on that day. History stays."""
    conn = connection(session)
    version = _version(conn, key)
    if version.status == "terminated":
        raise Refused(f"{key} was already terminated on {iso(version.terminated_on)}")
    if version.status == "superseded":
        raise Refused(f"{key} v{version.number} is superseded")
    day = parse_date(date, "--date") or today()
    if version.status == "signed" and day.isoformat() < (iso(version.effective) or ""):
        raise InvalidInput(f"--date {day} is before {key} takes effect ({iso(version.effective)})")
    before = document(conn, key)
    execute(
        conn,
        "UPDATE agreement_version SET status = 'terminated', terminated_on = :d, termination_reason = :r WHERE id = :v",
        {"d": day.isoformat(), "r": check_text(reason, "--reason"), "v": version.id},
    )
    _end_assignments(conn, key, version.number, day.isoformat())
    return _changed(conn, key, "agreement.terminate", before)


# ---------------------------------------------------------------- proof


def verify(conn: Conn, *, workspace: Path, key: str | None = None) -> list[dict[str, Any]]:
    """Recompute every frozen version's hash; check signatures, keys and scans. One row per version."""
    from coordkit.services import keys

    if key is not None:
        lookup_id(conn, "agreement", key, "agreement")
    found = rows(
        conn,
        "SELECT a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id "
        "WHERE v.terms_hash IS NOT NULL" + (" AND a.key = :k" if key else "") + " ORDER BY a.key, v.number",
        {"k": key},
    )
    public_keys = keys.public_keys(conn)
    results = []
    for agreement_key, number in found:
        doc = document(conn, agreement_key, number)
        problems = []
        actual = compute_hash(doc)
        if actual != doc["terms_hash"]:
            problems.append(f"terms changed since signing: hash is {actual[:12]}, was signed as {doc['fingerprint']}")
        signatures = rows(
            conn,
            "SELECT s.key AS party, g.* FROM signature g JOIN stakeholder s ON s.id = g.stakeholder_id "
            "JOIN agreement_version v ON v.id = g.version_id JOIN agreement a ON a.id = v.agreement_id "
            "WHERE a.key = :k AND v.number = :n ORDER BY g.id",
            {"k": agreement_key, "n": number},
        )
        for sig in signatures:
            if sig.terms_hash != doc["terms_hash"]:
                problems.append(f"{sig.party}'s signature is on other terms ({sig.terms_hash[:12]})")
            if sig.key_fingerprint:
                problem = keys.check_signature(public_keys, sig.key_fingerprint, sig.key_signature, sig.terms_hash)
                if problem:
                    problems.append(f"{sig.party}'s key signature: {problem}")
            if sig.scan_sha256:
                stored = workspace / "scans" / (sig.scan_name or sig.scan_sha256)
                if not stored.is_file():
                    problems.append(f"{sig.party}'s scan is missing ({stored})")
                elif hashlib.sha256(stored.read_bytes()).hexdigest() != sig.scan_sha256:
                    problems.append(f"{sig.party}'s scan {stored.name} no longer matches its hash")
        results.append(
            {
                "key": agreement_key,
                "version": number,
                "fingerprint": doc["fingerprint"],
                "signatures": len(signatures),
                "ok": not problems,
                "problems": problems,
            }
        )
    return results


# ---------------------------------------------------------------- diff


def _index(items: list[dict[str, Any]], by: tuple[str, ...]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    found: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        found[tuple(item.get(k) for k in by)].append(item)
    return found


def _describe(item: dict[str, Any] | str) -> str:
    if isinstance(item, str):
        return item
    parts = [f"{item['party']}: {item.get('text') or item.get('kind')}"]
    if item.get("duty"):
        parts.append(f"[{item['as']} {item['duty']}]")
    if item.get("due"):
        parts.append(f"due {item['due']}")
    if "amount" in item:
        parts.append(f"{item['amount']} {item['unit']}")
    return " ".join(parts)


def diff(
    conn: Conn, *, key: str, from_version: int | None = None, to_version: int | None = None
) -> list[dict[str, Any]]:
    """What changed between two versions, field by field and clause by clause."""
    newest = _version(conn, key).number
    to_n = to_version or newest
    from_n = from_version or max(to_n - 1, 1)
    old, new = document(conn, key, from_n), document(conn, key, to_n)
    changes: list[dict[str, Any]] = []
    for field in ("title", "title_zh", "kind", "effective", "expires", "review_every", "languages"):
        if old[field] != new[field]:
            changes.append({"section": field, "change": "changed", "from": old[field], "to": new[field]})
    old_parties = {p["stakeholder"]: p["label"] for p in old["parties"]}
    new_parties = {p["stakeholder"]: p["label"] for p in new["parties"]}
    for party in sorted(old_parties.keys() | new_parties.keys()):
        if party not in new_parties:
            changes.append(
                {"section": "parties", "change": "removed", "from": f"{party} ({old_parties[party]})", "to": None}
            )
        elif party not in old_parties:
            changes.append(
                {"section": "parties", "change": "added", "from": None, "to": f"{party} ({new_parties[party]})"}
            )
        elif old_parties[party] != new_parties[party]:
            changes.append(
                {
                    "section": "parties",
                    "change": "changed",
                    "from": f"{party} ({old_parties[party]})",
                    "to": f"{party} ({new_parties[party]})",
                }
            )
    for field in ("goals", "methods", "dispute_resolution", "communication"):
        for text in old[field]:
            if text not in new[field]:
                changes.append({"section": field, "change": "removed", "from": text, "to": None})
        for text in new[field]:
            if text not in old[field]:
                changes.append({"section": field, "change": "added", "from": None, "to": text})
    for field, by in (
        ("rights", ("party", "text")),
        ("obligations", ("party", "duty")),
        ("resources", ("party", "kind")),
    ):
        if field == "obligations":
            olds = _index([o for o in old[field] if o["duty"]], by) | _index(
                [o for o in old[field] if not o["duty"]], ("party", "text")
            )
            news = _index([o for o in new[field] if o["duty"]], by) | _index(
                [o for o in new[field] if not o["duty"]], ("party", "text")
            )
        else:
            olds, news = _index(old[field], by), _index(new[field], by)
        for ident in list(dict.fromkeys([*olds, *news])):
            before_items, after_items = olds.get(ident, []), news.get(ident, [])
            for a, b in zip(before_items, after_items, strict=False):
                if a != b:
                    changes.append({"section": field, "change": "changed", "from": _describe(a), "to": _describe(b)})
            for a in before_items[len(after_items) :]:
                changes.append({"section": field, "change": "removed", "from": _describe(a), "to": None})
            for b in after_items[len(before_items) :]:
                changes.append({"section": field, "change": "added", "from": None, "to": _describe(b)})
    return [{"from_version": from_n, "to_version": to_n, **c} for c in changes]
