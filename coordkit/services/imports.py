"""Importing the registers and responsibility charts kept in spreadsheets: a plan, then all or nothing.

A row becomes a record through the same rule functions the commands use
(``check_stakeholder``, the duty letter rules ``coord apply`` runs), so a file
can hold nothing a command would refuse. Rows that break a rule are listed with
their number and reason; while any row is refused, nothing is written.

In a responsibility chart only the letters given by hand can change: a letter
marked ``#`` comes from a signed agreement (amend the agreement), ``*`` through
a role (change the role's holders), ``+`` from a meeting's action item.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coordkit.collector import paused_collector
from coordkit.domain.stakeholders import Stakeholder, check_stakeholder
from coordkit.errors import CoordError, InvalidInput
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.sql import Conn
from coordkit.tabular import Matrix, Table, column_letter

CONTACT_FIELDS = ("phone", "mobile", "wechat", "email")
CONTACT_SPLIT = re.compile(r"[;；\n]+")
DERIVED = {"#", "*", "+"}


@dataclass(frozen=True)
class Step:
    """One line of a plan: ``+`` created, ``~`` changed (field, old, new), ``=`` unchanged."""

    row: int
    action: str  # create, change, unchanged
    entity: str  # stakeholder, cell
    key: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action,
            "entity": self.entity,
            "key": self.key,
            "changes": [{"field": f, "from": old, "to": new} for f, old, new in self.fields],
        }


@dataclass(frozen=True)
class Rejected:
    """A row that cannot be taken: its number in the file, why, and its cells (for rejected.csv)."""

    row: int
    reason: str
    cells: tuple[str, ...] = ()


@dataclass
class ImportPlan:
    entity: str
    steps: list[Step] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    records: list[tuple[Step, Any]] = field(default_factory=list)  # what to write for each create or change

    def count(self, action: str) -> int:
        return sum(step.action == action for step in self.steps)


# --- stakeholders --------------------------------------------------------------------------------


def _score(text: str, label: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(
            _("{field} '{value}' is not a whole number from 1 to 5").format(field=label, value=text)
        ) from None


def _contacts(record: Mapping[str, str]) -> list[tuple[str, str]]:
    """Contacts from the channel columns (电话, 手机, 微信, 邮箱) and a 联系方式 column of CHANNEL:VALUE parts."""
    found = [(name, record[name]) for name in CONTACT_FIELDS if record.get(name)]
    for part in CONTACT_SPLIT.split(record.get("contacts", "")):
        part = part.strip()
        if not part:
            continue
        channel, sep, value = part.replace("：", ":").partition(":")
        if not sep or not channel.strip() or not value.strip():
            raise InvalidInput(_("contact '{part}' is not CHANNEL:VALUE, e.g. phone:020-8888-0000").format(part=part))
        found.append((channel.strip(), value.strip()))
    return found


def _representatives(text: str, title: str | None) -> list[tuple[str, str | None]]:
    """``陈静`` (with a 职务 column), or ``陈静: 主任; 李明: 副主任`` as coord's own lists write them."""
    found: list[tuple[str, str | None]] = []
    for part in CONTACT_SPLIT.split(text):
        name, sep, said = part.replace("：", ":").partition(":")
        if name.strip():
            found.append((name.strip(), said.strip() or None if sep else None))
    if len(found) == 1 and found[0][1] is None and title:
        found = [(found[0][0], title)]
    return found


def stakeholder_from_row(record: Mapping[str, str], before: Stakeholder | None, key: str) -> Stakeholder:
    """The register record a row makes: the stored one with the row's filled cells over it (an empty cell keeps
    the stored value); contacts on a channel the row fills replace the stored ones on that channel."""
    old: dict[str, Any] = dict(before) if before else {}
    contacts = [(c["channel"], c["value"]) for c in old.get("contacts", [])]
    given = _contacts(record)
    channels = {channel.lower() for channel, _value in given}
    contacts = [(c, v) for c, v in contacts if c not in channels] + given
    reps = [(r["name"], r["title"]) for r in old.get("representatives", [])]
    if record.get("representative"):
        reps = _representatives(record["representative"], record.get("title"))
    elif record.get("title") and reps:
        reps = [(reps[0][0], record["title"]), *reps[1:]]

    def pick(name: str) -> Any:
        return record.get(name) or old.get(name)

    influence = _score(record["influence"], "influence") if record.get("influence") else old.get("influence")
    interest = _score(record["interest"], "interest") if record.get("interest") else old.get("interest")
    name = pick("name") or record.get("name_zh") or ""
    if not before and not record.get("kind"):
        raise InvalidInput(_("a new stakeholder needs its kind (类型)"))
    return check_stakeholder(
        key=key,
        name=name,
        kind=pick("kind") or "",
        name_zh=pick("name_zh"),
        influence=influence,
        interest=interest,
        interests=pick("interests"),
        active=old.get("active", True),
        address=pick("address"),
        legal_representative=old.get("legal_representative"),
        registration_number=old.get("registration_number"),
        contacts=contacts,
        representatives=reps,
    )


def plan_stakeholders(stored: Sequence[Stakeholder], table: Table, mapping: Mapping[int, str]) -> ImportPlan:
    """What importing ``table`` into a register holding ``stored`` would do (a pure function).

    A row is matched by its key, else by its name or Chinese name; a new party gets a key made from its name.
    """
    from coordkit.slugs import slug_from, unique_slug

    result = ImportPlan("stakeholder")
    by_key = {s["key"]: s for s in stored}
    by_name: dict[str, str] = {}
    for s in stored:
        for name in (s["name"], s["name_zh"]):
            if name:
                by_name.setdefault(name, s["key"])
    taken = set(by_key)
    seen: dict[str, int] = {}
    cells = {row.number: row.cells for row in table.rows}
    for number, record in table.records(mapping):
        try:
            key = record.get("key") or by_name.get(record.get("name", "")) or by_name.get(record.get("name_zh", ""))
            if not key:
                if not (record.get("name") or record.get("name_zh")):
                    raise InvalidInput(_("no name (名称) and no key"))
                key = unique_slug(slug_from(record.get("name"), record.get("name_zh")), taken)
            if key in seen:
                raise InvalidInput(_("'{key}' is already in row {row}").format(key=key, row=seen[key]))
            before = by_key.get(key)
            after = stakeholder_from_row(record, before, key)
        except CoordError as error:
            result.rejected.append(Rejected(number, str(error), cells[number]))
            continue
        seen[key] = number
        taken.add(key)
        for name in (record.get("name"), record.get("name_zh")):
            if name:
                by_name.setdefault(name, key)  # the same name again further down is this party again
        if before is None:
            step = Step(number, "create", "stakeholder", key)
        else:
            old: dict[str, Any] = dict(before)
            new: dict[str, Any] = dict(after)
            diffs = tuple((name, old[name], new[name]) for name in new if old.get(name) != new[name])
            step = Step(number, "change" if diffs else "unchanged", "stakeholder", key, diffs)
        result.steps.append(step)
        if step.action != "unchanged":
            result.records.append((step, after))
    return result


def apply_stakeholders(conn: Conn, plan: ImportPlan, stored: Sequence[Stakeholder]) -> None:
    """Write a plan with no refused rows: one statement per table, one audit event per party."""
    from coordkit.services.stakeholders import write_stakeholders

    _refuse_if_rejected(plan)
    before = {s["key"]: s for s in stored}
    for new in (True, False):
        write_stakeholders(conn, [r for step, r in plan.records if (step.action == "create") == new], new=new)
    events.record_many(
        conn,
        [
            {
                "action": "stakeholder.import",
                "entity": "stakeholder",
                "key": step.key,
                "before": before.get(step.key),
                "after": record,
            }
            for step, record in plan.records
        ],
    )


def _refuse_if_rejected(plan: ImportPlan) -> None:
    if plan.rejected:
        raise InvalidInput(_("{count} row(s) cannot be imported; nothing was written").format(count=len(plan.rejected)))


# --- duties --------------------------------------------------------------------------------------

DUTY_TEXT = ("title", "title_zh", "category", "due")


def plan_duties(
    duties: Sequence[dict[str, Any]],
    projects: Sequence[str],
    table: Table,
    mapping: Mapping[int, str],
    project: str | None,
) -> ImportPlan:
    """What importing a list of duties would do (a pure function): a row is matched by project and key, else by
    title in its project; ``project`` serves rows without a project column. Letters are left as they are."""
    from coordkit.dates import iso, parse_date
    from coordkit.domain.duties import check_duty
    from coordkit.services.ascode.shape import normalise
    from coordkit.slugs import slug_from, unique_slug

    result = ImportPlan("duty")
    by_id = {f"{d['project']}/{d['key']}": d for d in duties}
    by_title: dict[tuple[str, str], str] = {}
    for d in duties:
        for title in (d["title"], d.get("title_zh")):
            if title:
                by_title.setdefault((d["project"], title), d["key"])
    taken: dict[str, set[str]] = defaultdict(set)
    for d in duties:
        taken[d["project"]].add(d["key"])
    seen: dict[str, int] = {}
    cells = {row.number: row.cells for row in table.rows}
    for number, record in table.records(mapping):
        try:
            pkey = record.get("project") or project
            if not pkey:
                raise InvalidInput(_("no project: add a 项目 (project) column or give --project"))
            if pkey not in projects:
                raise InvalidInput(_("no project '{project}'").format(project=pkey))
            key = (
                record.get("key")
                or by_title.get((pkey, record.get("title", "")))
                or by_title.get((pkey, record.get("title_zh", "")))
            )
            if not key:
                if not (record.get("title") or record.get("title_zh")):
                    raise InvalidInput(_("no title (职责) and no key"))
                key = unique_slug(slug_from(record.get("title"), record.get("title_zh")), taken[pkey])
            ident = f"{pkey}/{key}"
            if ident in seen:
                raise InvalidInput(_("'{key}' is already in row {row}").format(key=ident, row=seen[ident]))
            before = by_id.get(ident)
            old: dict[str, Any] = before or {}
            due = parse_date(record["due"], "due") if record.get("due") else old.get("due")
            fields = check_duty(
                key=key,
                title=record.get("title") or old.get("title") or record.get("title_zh") or "",
                title_zh=record.get("title_zh") or old.get("title_zh"),
                category=record.get("category") or old.get("category"),
                due=iso(due) if due else None,
            )
        except CoordError as error:
            result.rejected.append(Rejected(number, str(error), cells[number]))
            continue
        seen[ident] = number
        taken[pkey].add(key)
        for title in (record.get("title"), record.get("title_zh")):
            if title:
                by_title.setdefault((pkey, title), key)
        item = normalise("duties", {"project": pkey, **fields, "assignments": old.get("assignments", [])})
        if before is None:
            step = Step(number, "create", "duty", ident)
        else:
            diffs = tuple((f, old.get(f), item.get(f)) for f in DUTY_TEXT if old.get(f) != item.get(f))
            step = Step(number, "change" if diffs else "unchanged", "duty", ident, diffs)
        result.steps.append(step)
        if step.action != "unchanged":
            result.records.append((step, item))
    return result


def apply_duties(conn: Conn, plan: ImportPlan, duties: Sequence[dict[str, Any]]) -> None:
    """Write a plan with no refused rows as ``coord apply`` writes duties, one audit event per duty."""
    from coordkit.services.ascode.apply import _apply_duties
    from coordkit.services.ascode.plan import Change

    _refuse_if_rejected(plan)
    before = {f"{d['project']}/{d['key']}": d for d in duties}
    _apply_duties(conn, [(Change("duties", step.key, step.action), item) for step, item in plan.records])
    events.record_many(
        conn,
        [
            {"action": "duty.import", "entity": "duty", "key": step.key, "before": before.get(step.key), "after": item}
            for step, item in plan.records
        ],
    )


# --- responsibility matrix -----------------------------------------------------------------------


def _split(text: str) -> dict[str, str]:
    """``R*,A#`` → {R: '*', A: '#'}: each letter with the marks it carries."""
    return {part[0]: part[1:] for part in text.split(",") if part}


def _refusal(marks: str) -> str:
    if "#" in marks:
        return _("it comes from a signed agreement: amend the agreement to change it")
    if "*" in marks:
        return _("it is carried through a role: change the role's holders to change it")
    return _("it comes from a meeting's action item: change the action to change it")


def cell_change(old: str, new: str) -> tuple[set[str], set[str], str | None]:
    """(letters to add by hand, letters to remove, or a refusal) to turn cell ``old`` into ``new``.

    Letters with a mark (``#``, ``*``, ``+``) must stay exactly as they are; only plain letters change.
    """
    before, after = _split(old), _split(new)
    for letter, marks in before.items():
        if set(marks) & DERIVED and after.get(letter) != marks:
            return (
                set(),
                set(),
                _("{letter}{marks} cannot change: {why}").format(letter=letter, marks=marks, why=_refusal(marks)),
            )
    for letter, marks in after.items():
        if set(marks) & DERIVED and before.get(letter) != marks:
            return (
                set(),
                set(),
                _("{letter}{marks} cannot be typed in: {why}").format(letter=letter, marks=marks, why=_refusal(marks)),
            )
    plain_before = {letter for letter, marks in before.items() if not marks}
    plain_after = {letter for letter, marks in after.items() if not marks}
    return plain_after - plain_before, plain_before - plain_after, None


def _party_keys(matrix: Matrix, stored: Sequence[Stakeholder]) -> dict[str, str]:
    """Each party column's heading → stakeholder key (a heading is a key, a name or a Chinese name)."""
    names: dict[str, str] = {}
    for s in stored:
        names[s["key"]] = s["key"]
        for name in (s["name"], s["name_zh"]):
            if name:
                names.setdefault(name, s["key"])
    found = {}
    for heading in matrix.parties:
        if heading not in names:
            raise InvalidInput(
                _(
                    "{file}: column '{heading}' names no stakeholder; head it with a key, a name or a Chinese name"
                ).format(file=matrix.source, heading=heading)
            )
        found[heading] = names[heading]
    return found


@paused_collector()
def plan_matrix(
    current: Mapping[str, Any], duties: Sequence[dict[str, Any]], stored: Sequence[Stakeholder], matrix: Matrix
) -> ImportPlan:
    """What importing a chart would change: one step per cell that differs from ``current`` (the matrix on a day,
    as ``coord matrix`` builds it); ``duties`` are the stored duties in export shape (their manual letters)."""
    from coordkit.domain.duties import Letter, check_letter, check_letters

    result = ImportPlan("cell")
    parties = _party_keys(matrix, stored)
    columns = set(parties.values())
    today = {(row["project"], row["duty"]): row["cells"] for row in current["rows"]}
    by_id = {f"{d['project']}/{d['key']}": d for d in duties}
    by_key: dict[str, list[str]] = defaultdict(list)
    for d in duties:
        by_key[d["key"]].append(d["project"])
    held = current.get("held", {})
    cells_of: dict[int, list[Any]] = defaultdict(list)
    for cell in matrix.cells:
        cells_of[cell.row].append(cell)
    changed: dict[str, dict[str, Any]] = {}
    for duty in matrix.duties:
        if duty.project:
            ident = f"{duty.project}/{duty.duty}"
        elif len(by_key.get(duty.duty, [])) == 1:
            ident = f"{by_key[duty.duty][0]}/{duty.duty}"
        else:
            ident = duty.duty
        if ident not in by_id:
            reason = (
                _("duty '{duty}' is in more than one project; add a project column").format(duty=duty.duty)
                if len(by_key.get(duty.duty, [])) > 1
                else _("no duty '{duty}'; add it with coord duty add first").format(duty=ident)
            )
            result.rejected.append(Rejected(duty.row, reason, ()))
            continue
        project, key = ident.split("/", 1)
        stored_cells = today.get((project, key), {})
        given = {parties[c.party]: (c.text, c.column) for c in cells_of[duty.row]}
        item = None
        steps = []
        reasons = []
        # only the cells filled on either side can differ: not every party of a 2,000-column chart
        for party in sorted({p for p in stored_cells if p in columns} | set(given)):
            old = stored_cells.get(party, "")
            new, column = given.get(party, ("", 0))
            if old == new or _split(old) == _split(new):
                continue
            add, remove, refusal = cell_change(old, new)
            if refusal:
                where = _("column {letter}").format(letter=column_letter(column - 1)) if column else party
                reasons.append(_("{where} ({party}): {reason}").format(where=where, party=party, reason=refusal))
                continue
            if item is None:
                item = {**by_id[ident], "assignments": [dict(a) for a in by_id[ident].get("assignments", [])]}
            kept = [
                a
                for a in item["assignments"]
                if not (a.get("stakeholder") == party and a["as"] in remove and not a.get("from") and not a.get("to"))
            ]
            still = {a["as"] for a in kept if a.get("stakeholder") == party}
            if still & remove:
                reasons.append(
                    _("{party}: its {letters} hold only for some dates; change them with coord duty assign").format(
                        party=party, letters=",".join(sorted(still & remove))
                    )
                )
                continue
            kept += [{"as": letter, "stakeholder": party} for letter in sorted(add)]
            item["assignments"] = kept
            steps.append(Step(duty.row, "change", "cell", f"{ident} × {party}", ((party, old, new),)))
        if reasons:
            result.rejected.append(Rejected(duty.row, "; ".join(reasons), ()))
            continue
        if item is None:
            result.steps.append(Step(duty.row, "unchanged", "duty", ident))
            continue
        try:
            for assignment in item["assignments"]:
                check_letter(assignment["as"])
            letters = [
                Letter(a.get("stakeholder") or f"role:{a['role']}", a["as"], a.get("from"), a.get("to"))
                for a in item["assignments"]
            ]
            check_letters(key, letters, held=held.get(ident, []))
        except CoordError as error:
            result.rejected.append(Rejected(duty.row, str(error), ()))
            continue
        result.steps.extend(steps)
        changed[ident] = item
    result.records = [(Step(0, "change", "duty", ident), item) for ident, item in changed.items()]
    return result


def held_letters(conn: Conn) -> dict[str, list[Any]]:
    """The letters signed agreements give, per ``project/duty`` (a duty's letters must not double them)."""
    from coordkit.dates import iso
    from coordkit.domain.duties import Letter
    from coordkit.storage.sql import tuples

    held: dict[str, list[Any]] = defaultdict(list)
    for pkey, dkey, skey, letter, start, end in tuples(
        conn,
        "SELECT p.key, d.key, s.key, a.letter, a.valid_from, a.valid_to FROM assignment a "
        "JOIN duty d ON d.id = a.duty_id JOIN project p ON p.id = d.project_id "
        "JOIN stakeholder s ON s.id = a.stakeholder_id WHERE a.source <> 'manual'",
    ):
        held[f"{pkey}/{dkey}"].append(Letter(skey, letter, iso(start), iso(end)))
    return held


def read_current(
    conn: Conn, root: Path, project: str | None, on: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The matrix on ``on`` (default today) with the letters agreements hold, and the stored duties in export
    shape."""
    from coordkit.services.ascode.export import _projects, project_duties
    from coordkit.services.checking import matrix

    current: dict[str, Any] = dict(matrix(conn, root=root, project=project, on=on))
    current["held"] = held_letters(conn)
    duties = [d for pid, pkey in _projects(conn, project) for d in project_duties(conn, pid, pkey)]
    return current, duties


def apply_matrix(conn: Conn, plan: ImportPlan, duties: Sequence[dict[str, Any]]) -> None:
    """Write the changed duties' letters (the way ``coord apply`` writes them), one audit event per duty."""
    from coordkit.services.ascode.apply import _apply_duties
    from coordkit.services.ascode.plan import Change

    _refuse_if_rejected(plan)
    before = {f"{d['project']}/{d['key']}": d for d in duties}
    _apply_duties(conn, [(Change("duties", step.key, "change"), item) for step, item in plan.records])
    events.record_many(
        conn,
        [
            {"action": "duty.import", "entity": "duty", "key": step.key, "before": before[step.key], "after": item}
            for step, item in plan.records
        ],
    )
