"""The rules: pure functions from a snapshot (and a date) to findings.

Windows are inclusive on both ends and ``None`` is open: back-to-back windows
(one ends 2024-06-30, the next starts 2024-07-01) do not overlap; two windows
that share a single day do.
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from gettext import NullTranslations
from typing import TYPE_CHECKING

from coordkit.checks.config import CheckConfig
from coordkit.checks.snapshot import DutyRow, Effective, ProjectRow, Snapshot, intersect
from coordkit.dates import FIRST_DAY, OPEN_END, OPEN_START, add_days, covers, day_after, day_before
from coordkit.domain.agreements import AgreementDoc, in_force
from coordkit.i18n import N_, _, language, ngettext
from coordkit.proof import PROOF_RULES, Problem, verify_all

if TYPE_CHECKING:
    from coordkit.domain.meetings import Meeting
    from coordkit.slots import Commitment, Contention


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "error" or "warning"
    project: str | None
    subject: str  # a duty, party or agreement key
    message: str
    hint: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "project": self.project,
            "subject": self.subject,
            "message": self.message,
            "hint": self.hint,
        }


ELSEWHERE_RULES = frozenset((*PROOF_RULES, "tampered-minutes"))
"""The rules that report what ``Proven`` holds, when coord check has a second process find it."""


@dataclass(frozen=True)
class Proven:
    """What ``coord check``'s second process finds: verification's problems and the findings on signed-off
    minutes, everything hashed in the store (``services.checking.proven_elsewhere``)."""

    problems: list[Problem]
    minutes: list[Finding]


@dataclass(frozen=True)
class Context:
    snapshot: Snapshot
    on: str  # the date checked
    explicit_on: bool  # --on given: look at that date only, no gaps over the project's dates
    config: CheckConfig
    today: str = ""  # the real today, for the tense of messages ("ended", "ends"); the date checked when unset

    @property
    def now(self) -> str:
        return self.today or self.on

    @cached_property
    def load(self) -> dict[int, dict[str, int]]:
        """R and A held on the date checked: project id → party → count (the overload rule's measure)."""
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for item, duty in self.current:
            if item.letter in ("R", "A"):
                counts[duty.project_id][item.party] += 1
        return counts

    @cached_property
    def _overloads(self) -> dict[tuple[int, str], bool]:
        return {}

    def would_overload(self, project_id: int, party: str) -> bool:
        """Is ``party`` overloaded, or would one more R or A for it overload anyone not overloaded already?

        Not only ``party``: with 9 R/A in a project whose ``overload_min`` is 10, the tenth makes the rule
        look at the project at all, and a party holding 5 of them is then above 40%. A hint never proposes that.
        Asked once per project and party: the 4,039 hints of the reference store ask 8,078 times, mostly of
        a project's lead, and each answer looks at every party of the project (0.24 s).
        """
        key = (project_id, party)
        if key not in self._overloads:
            self._overloads[key] = self._would_overload(project_id, party)
        return self._overloads[key]

    def _would_overload(self, project_id: int, party: str) -> bool:
        counts = dict(self.load.get(project_id, {}))
        share, minimum = self.config.overload_share, self.config.overload_min

        def over(total: int) -> set[str]:
            return {p for p, count in counts.items() if total >= minimum and count / total > share}

        total = sum(counts.values())
        before = over(total)
        counts[party] = counts.get(party, 0) + 1
        return party in before or bool(over(total + 1) - before)

    @cached_property
    def proof_problems(self) -> list[Problem]:
        """Everything verification finds, once per run (several rules report parts of it)."""
        if self.snapshot.proven is not None:
            return self.snapshot.proven().problems
        if self.snapshot.proof is None:
            return []
        return verify_all(self.snapshot.proof)

    @cached_property
    def held(self) -> dict[int, list[Effective]]:
        """Every assignment by duty id: a hint looks at one duty's 10 rows, not the store's 100,000."""
        found: dict[int, list[Effective]] = defaultdict(list)
        for item in self.snapshot.effective:
            found[item.duty_id].append(item)
        return found

    @cached_property
    def lettered(self) -> dict[str, dict[int, list[Effective]]]:
        """``held`` by letter, in one pass: four rules ask for the A or the R of every duty, and each asking went
        through all 112,620 rows of the reference store (50,000 lists, 0.13 s)."""
        found: dict[str, dict[int, list[Effective]]] = defaultdict(dict)
        for duty_id, items in self.held.items():
            for item in items:
                found[item.letter].setdefault(duty_id, []).append(item)
        return found

    @cached_property
    def current(self) -> list[tuple[Effective, DutyRow]]:
        """Assignments valid on the date checked, with their duty (several rules need them)."""
        duties, on = self.snapshot.duty_index, self.on
        return [
            (item, duties[item.duty_id])
            for item in self.snapshot.effective
            if (item.start or OPEN_START) <= on <= (item.end or OPEN_END)
        ]


Rule = Callable[[Context], Iterable[Finding]]


def period(start: str | None, end: str | None) -> str:
    if start and end:
        if start == end:
            return _("on {day}").format(day=start)
        return _("from {start} to {end}").format(start=start, end=end)
    if start:
        return _("from {start} onwards").format(start=start)
    if end:
        return _("until {end}").format(end=end)
    return _("at all times")


def quoted_list(keys: Iterable[str]) -> str:
    """Keys as a message lists them: 'a', 'b' (“a”、“b” under zh), each quoted so that coord check can put its name
    in its place."""
    return _(", ").join(_("'{name}'").format(name=key) for key in keys)


def window_flags(start: str | None, end: str | None) -> str:
    """The --from/--to of a command for an inclusive window (open ends left out)."""
    return (f" --from {start}" if start else "") + (f" --to {end}" if end else "")


def gap_around(
    windows: list[tuple[str | None, str | None]], project: ProjectRow, on: str
) -> tuple[str | None, str | None]:
    """The gap in ``windows`` that holds ``on``: inside the project's dates, else without bounds."""
    for bounds in ((project.start, project.end), (None, None)):
        for g_start, g_end in gaps(windows, *bounds):
            if covers(g_start, g_end, on):
                return g_start, g_end
    return on, on


def candidate(ctx: Context, project: ProjectRow, parties: Iterable[str | None]) -> str | None:
    """The first of ``parties`` (in the order given) that exists, is active and would not be overloaded."""
    for party in parties:
        row = ctx.snapshot.parties.get(party or "")
        if party and row is not None and row.active and not ctx.would_overload(project.id, party):
            return party
    return None


def by_duty(ctx: Context, letter: str) -> dict[int, list[Effective]]:
    """Each duty's rows of one letter (duties without any left out); shared, not to be changed."""
    return ctx.lettered.get(letter, {})


def gaps(
    windows: Iterable[tuple[str | None, str | None]], start: str | None, end: str | None
) -> list[tuple[str | None, str | None]]:
    """Parts of [start, end] that no window covers."""
    lo, hi = start or OPEN_START, end or OPEN_END
    found = []
    cursor = lo  # the first day not yet known to be covered
    for w_start, w_end in sorted(((s or OPEN_START), (e or OPEN_END)) for s, e in windows):
        if w_end < cursor:
            continue
        if w_start > cursor and w_start > FIRST_DAY:  # nothing lies before the calendar's first day
            found.append((cursor, min(day_before(w_start), hi)))
        if w_end >= hi:
            cursor = OPEN_END + "+"  # covered to the end
            break
        cursor = max(cursor, day_after(w_end))
    if cursor <= hi:
        found.append((cursor, hi))
    found = [(s, e) for s, e in found if s <= e and s <= hi]
    return [(None if s == OPEN_START else s, None if e == OPEN_END else e) for s, e in found]


def _project(ctx: Context, duty: DutyRow) -> ProjectRow:
    return ctx.snapshot.projects[duty.project_id]


def accountable_hint(ctx: Context, duty: DutyRow, project: ProjectRow, gap: tuple[str | None, str | None]) -> str:
    """A command that gives the A for ``gap``: to whoever held it just before, else the duty's only R there,
    else the project's lead (skipping anyone it would overload); PARTY only when nobody is known."""
    g_start, g_end = gap
    held = ctx.held.get(duty.id, [])
    before = [a.party for a in held if a.letter == "A" and g_start and a.end == day_before(g_start)]
    doers = sorted({a.party for a in held if a.letter == "R" and intersect(a.start, a.end, g_start, g_end)})
    party = candidate(ctx, project, [*before, doers[0] if len(doers) == 1 else None, project.lead]) or "PARTY"
    whole = (g_start, g_end) == (project.start, project.end)
    window = "" if whole else window_flags(g_start, g_end)
    return _("give one party the A: {command}").format(
        command=f"coord duty assign {duty.key} {party} --as A{window} --project {project.key}"
    )


def no_accountable(ctx: Context) -> Iterator[Finding]:
    accountable = by_duty(ctx, "A")
    for duty in ctx.snapshot.duties:
        project = _project(ctx, duty)
        windows = [(a.start, a.end) for a in accountable.get(duty.id, [])]
        if not windows:
            yield Finding(
                "no-accountable",
                "error",
                project.key,
                duty.key,
                _("duty '{duty}' has no accountable (A) party").format(duty=duty.key),
                accountable_hint(ctx, duty, project, (project.start, project.end)),
            )
            continue
        reported_today = False
        if not ctx.explicit_on and (project.start or project.end):
            for g_start, g_end in gaps(windows, project.start, project.end):
                reported_today |= covers(g_start, g_end, ctx.on)
                yield Finding(
                    "no-accountable",
                    "error",
                    project.key,
                    duty.key,
                    _("duty '{duty}' has no accountable (A) party {period}").format(
                        duty=duty.key, period=period(g_start, g_end)
                    ),
                    accountable_hint(ctx, duty, project, (g_start, g_end)),
                )
        if not reported_today and not any(covers(s, e, ctx.on) for s, e in windows):
            yield Finding(
                "no-accountable",
                "error",
                project.key,
                duty.key,
                _("duty '{duty}' has no accountable (A) party on {day}").format(duty=duty.key, day=ctx.on),
                accountable_hint(ctx, duty, project, gap_around(windows, project, ctx.on)),
            )


def _route(item: Effective) -> str:
    if item.role:
        return _("'{party}' (through role '{role}')").format(party=item.party, role=item.role)
    if item.agreement:
        return _("'{party}' (by {agreement})").format(party=item.party, agreement=item.agreement)
    return _("'{party}'").format(party=item.party)


def _agreement_key(item: Effective) -> str:
    return (item.agreement or "").split(" ")[0]


def overlap_hint(duty: DutyRow, project: ProjectRow, first: Effective, second: Effective) -> str:
    """The one change that ends this overlap and nothing else.

    What a signed agreement gives stands: the other A yields, for the overlap
    only (an A open from 2024-01-01 that meets an agreement's A from 2024-03-01
    to 2024-12-31 keeps January, February and everything after 2024). Two holders
    of one role: the role's A goes to one of them for the overlap. Two manual
    A's: the one held longer yields to the newer arrangement. Two agreements:
    only an amendment, signed again, can settle it.
    """
    both = intersect(first.start, first.end, second.start, second.end) or (None, None)
    window = window_flags(*both)
    scope = f" --project {project.key}"
    if first.agreement and second.agreement:
        key = _agreement_key(second)
        return _("amend one agreement so that one party answers for it: {command}").format(
            command=f"coord agreement amend {key}"
        )
    if first.role and first.role == second.role and not first.agreement:
        keep = min(first.party, second.party)
        return _("the role '{role}' has two holders; give its A to one of them: {command}").format(
            role=first.role,
            command=f"coord duty unassign {duty.key} role:{first.role} --as A{window}{scope} && "
            f"coord duty assign {duty.key} {keep} --as A{window}{scope}",
        )
    if first.agreement or second.agreement:
        yielding = second if first.agreement else first
    else:
        yielding = min(
            (first, second),
            key=lambda i: (i.start or OPEN_START, i.role is None, i.party == max(first.party, second.party)),
        )
    who = f"role:{yielding.role}" if yielding.role else yielding.party
    return _("keep one A: {command}").format(command=f"coord duty unassign {duty.key} {who} --as A{window}{scope}")


def multiple_accountable(ctx: Context) -> Iterator[Finding]:
    for duty_id, items in by_duty(ctx, "A").items():
        if len(items) < 2:
            continue
        duty = ctx.snapshot.duty_index[duty_id]
        project = _project(ctx, duty)
        for first, second, _both, when in _overlaps(ctx, items, project):
            yield Finding(
                "multiple-accountable",
                "error",
                project.key,
                duty.key,
                _("duty '{duty}' has two accountable (A) parties at once: {first} and {second} {when}").format(
                    duty=duty.key, first=_route(first), second=_route(second), when=when
                ),
                overlap_hint(duty, project, first, second),
            )


def multiple_responsible(ctx: Context) -> Iterator[Finding]:
    """Exclusive duties (one R at a time: the keys of the square) with two R at once, directly or through roles."""
    for duty_id, items in by_duty(ctx, "R").items():
        duty = ctx.snapshot.duty_index[duty_id]
        if len(items) < 2 or not duty.exclusive:
            continue
        project = _project(ctx, duty)
        for first, second, both, when in _overlaps(ctx, items, project):
            yield Finding(
                "multiple-responsible",
                "error",
                project.key,
                duty.key,
                _(
                    "exclusive duty '{duty}' has two responsible (R) parties at once: {first} and {second} {when}"
                ).format(duty=duty.key, first=_route(first), second=_route(second), when=when),
                _responsible_hint(duty, project, first, second, both),
            )


Overlap = tuple[Effective, Effective, tuple[str | None, str | None], str]


def _overlaps(ctx: Context, items: list[Effective], project: ProjectRow) -> Iterator[Overlap]:
    """Every two parties holding one letter of a duty at once: (first, second, the days both hold it, those days
    in words). With --on, only a pair that meets on that day; else the overlap within the project's dates (the
    days returned are then that clipped overlap). Two rows of one party (by hand and through a role) never count."""
    items = sorted(items, key=lambda i: (i.party, i.start or OPEN_START, i.role or ""))
    for index, first in enumerate(items):
        for second in items[index + 1 :]:
            if first.party == second.party:
                continue
            both = intersect(first.start, first.end, second.start, second.end)
            if both is None:
                continue
            if ctx.explicit_on:
                if not covers(both[0], both[1], ctx.on):
                    continue
                yield first, second, both, _("on {day}").format(day=ctx.on)
            else:
                clipped = intersect(both[0], both[1], project.start, project.end)
                if clipped is not None:
                    yield first, second, clipped, period(*clipped)


def _responsible_hint(
    duty: DutyRow, project: ProjectRow, first: Effective, second: Effective, both: tuple[str | None, str | None]
) -> str:
    """Keep one R for the overlap: what an agreement gives stands; else the later arrangement stays."""
    if first.agreement and second.agreement:
        return _("amend one agreement so that one party does it at a time: {command}").format(
            command=f"coord agreement amend {_agreement_key(second)}"
        )
    if first.agreement or second.agreement:
        yielding = second if first.agreement else first
    else:
        yielding = min((first, second), key=lambda i: (i.start or OPEN_START, i.role is None, i.party))
    who = f"role:{yielding.role}" if yielding.role else yielding.party
    return _("keep one R, or make the duty shared (coord duty edit {duty} --shared): {command}").format(
        duty=duty.key,
        command=f"coord duty unassign {duty.key} {who} --as R{window_flags(*both)} --project {project.key}",
    )


def similar_duties(ctx: Context) -> Iterator[Finding]:
    """Two duties of a project whose titles name the same work (``checks.similarity``), carried (R or A) by
    different parties: the same work done twice under two names, or nobody sure whose it is."""
    from coordkit.checks.similarity import TitleRow, similar_pairs

    projects = ctx.snapshot.projects
    titles = [TitleRow(d.id, projects[d.project_id].key, d.title, d.title_zh) for d in ctx.snapshot.duties]
    on = ctx.on

    def carriers(duty_id: int) -> set[str]:
        """Who holds R or A: on the date checked with --on, else at any time."""
        return {
            item.party
            for item in ctx.held.get(duty_id, ())
            if item.letter in ("R", "A")
            and (not ctx.explicit_on or (item.start or OPEN_START) <= on <= (item.end or OPEN_END))
        }

    pairs = similar_pairs(titles, threshold=ctx.config.similar_duties)
    reader = language()
    backed = (
        {(doc["project"], ob["duty"]): doc["key"] for doc in ctx.snapshot.agreements for ob in doc["obligations"]}
        if pairs
        else {}
    )
    duties = ctx.snapshot.duty_index
    for pair in pairs:
        first, second = duties[pair.first.id], duties[pair.second.id]
        ours, theirs = carriers(first.id), carriers(second.id)
        if not ours or not theirs or ours == theirs:
            continue
        project = pair.project
        keep, other = first, second
        if (project, other.key) in backed:
            keep, other = other, keep
        if (project, other.key) in backed:
            hint = _("both are named by agreements: amend one to name the other's duty: {command}").format(
                command=f"coord agreement amend {backed[(project, other.key)]}"
            )
        else:
            hint = _("merge them, or make their titles say how the work differs: {command}").format(
                command=f"coord duty merge {keep.key} {other.key} --project {project}"
            )
        if pair.language == "zh" and reader != "zh" and first.title_zh and second.title_zh:
            alike = _("their Chinese titles '{first}' and '{second}' are {percent}% alike").format(
                first=first.title_zh, second=second.title_zh, percent=round(pair.score * 100)
            )
        else:  # coord check names the duties by the titles that matched: saying them again repeats them
            alike = _("{percent}% alike").format(percent=round(pair.score * 100))
        yield Finding(
            "similar-duties",
            "warning",
            project,
            first.key,
            _("duties '{first}' and '{second}' may be one ({alike}); carried by {ours} and by {theirs}").format(
                first=first.key,
                second=second.key,
                alike=alike,
                ours=quoted_list(sorted(ours)),
                theirs=quoted_list(sorted(theirs)),
            ),
            hint,
        )


def no_responsible(ctx: Context) -> Iterator[Finding]:
    responsible = by_duty(ctx, "R")
    accountable = by_duty(ctx, "A")
    for duty in ctx.snapshot.duties:
        windows = [(r.start, r.end) for r in responsible.get(duty.id, [])]
        if not any(covers(s, e, ctx.on) for s, e in windows):
            project = _project(ctx, duty)
            gap = gap_around(windows, project, ctx.on)
            answering = sorted({a.party for a in accountable.get(duty.id, []) if covers(a.start, a.end, ctx.on)})
            party = candidate(ctx, project, [answering[0] if len(answering) == 1 else None, project.lead]) or "PARTY"
            whole = gap == (project.start, project.end)
            command = (
                f"coord duty assign {duty.key} {party} --as R{'' if whole else window_flags(*gap)} "
                f"--project {project.key}"
            )
            yield Finding(
                "no-responsible",
                "warning",
                project.key,
                duty.key,
                _("duty '{duty}' has no responsible (R) party on {day}").format(duty=duty.key, day=ctx.on),
                _("name who does the work: {command}").format(command=command),
            )


def overloaded_stakeholder(ctx: Context) -> Iterator[Finding]:
    share, minimum = ctx.config.overload_share, ctx.config.overload_min
    for project_id, per_party in ctx.load.items():
        total = sum(per_party.values())
        if total < minimum:
            continue
        project = ctx.snapshot.projects[project_id]
        for party, count in sorted(per_party.items()):
            if count / total > share:
                accepted = math.ceil(count / total * 100) / 100  # the smallest setting that accepts this load
                yield Finding(
                    "overloaded-stakeholder",
                    "warning",
                    project.key,
                    party,
                    _(
                        "'{party}' carries {count} of the {total} R/A assignments in project '{project}' "
                        "({part}, above {limit})"
                    ).format(
                        party=party,
                        count=count,
                        total=total,
                        project=project.key,
                        part=f"{count / total:.0%}",
                        limit=f"{share:.0%}",
                    ),
                    _(
                        "move some of its R or A to other parties (coord duty unassign DUTY {party} --as R, then "
                        "assign another), or accept it: overload_share = {accepted} under [check] in coord.toml"
                    ).format(party=party, accepted=accepted),
                )


def no_contact_channel(ctx: Context) -> Iterator[Finding]:
    seen: dict[str, str | None] = {}  # party → None when it carries duties, else the agreement it is party to
    for item, _duty in ctx.current:
        seen.setdefault(item.party, None)
    for doc in ctx.snapshot.agreements:
        if doc["status"] == "circulating" or in_force(doc, ctx.on):
            for signer in doc["parties"]:
                seen.setdefault(signer["stakeholder"], doc["key"])
    for party, why in sorted(seen.items()):
        row = ctx.snapshot.parties.get(party)
        if row is not None and row.contacts == 0:
            yield Finding(
                "no-contact-channel",
                "warning",
                None,
                party,
                _("'{party}' carries duties but has no contact channel").format(party=party)
                if why is None
                else _("'{party}' is a party to {agreement} but has no contact channel").format(
                    party=party, agreement=why
                ),
                _("add one: {command}").format(command=f"coord stakeholder edit {party} --contact phone:NUMBER"),
            )


def _subject(doc: AgreementDoc) -> str:
    return f"{doc['key']} v{doc['version']}"


def _proof_rule(rule: str) -> Rule:
    """A rule that reports what verification finds (``coordkit.proof``): the same problems ``coord verify``
    prints, as findings. Files carry no proof yet, so over files these say nothing."""

    def check(ctx: Context) -> Iterator[Finding]:
        projects = {p.key for p in ctx.snapshot.projects.values()}
        for problem in ctx.proof_problems:
            if problem.rule == rule and (problem.project is None or problem.project in projects):
                yield Finding(rule, "error", problem.project, problem.subject, problem.message, _(PROOF_HINTS[rule]))

    check.__name__ = rule.replace("-", "_")
    return check


PROOF_HINTS = {
    "tampered-agreement": N_(
        "see coord verify; restore the store from a backup (coord restore) made before the change"
    ),
    "broken-history": N_("see coord verify; restore the store from a backup (coord restore) made before the change"),
    "bad-evidence": N_("put the original file back where coord keeps it, or restore from a backup"),
    "unbound-key": N_("see coord verify and coord key list; a party registers its own key with coord key register"),
}


def unsigned_party(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.snapshot.agreements:
        if doc["status"] != "circulating" or not doc["effective"] or doc["effective"] > ctx.on:
            continue
        late = (dt.date.fromisoformat(ctx.on) - dt.date.fromisoformat(doc["effective"])).days
        severity = "error" if late > ctx.config.unsigned_grace_days else "warning"
        for party in doc["unsigned"]:
            yield Finding(
                "unsigned-party",
                severity,
                doc["project"],
                _subject(doc),
                _("{agreement} took effect on {day} but '{party}' has not signed it").format(
                    agreement=_subject(doc), day=doc["effective"], party=party
                ),
                _("record the signature: {command}").format(
                    command=f"coord agreement sign {doc['key']} --party {party} --signatory NAME"
                ),
            )


def ends_text(day: str, now: str) -> str:
    """'ended on 2024-12-31', 'ends today', 'ends tomorrow' or 'ends on 2025-01-10, in 9 days': as of today."""
    if day < now:
        return _("ended on {day}").format(day=day)
    days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(now)).days
    if days == 0:
        return _("ends today ({day})").format(day=day)
    if days == 1:
        return _("ends tomorrow ({day})").format(day=day)
    return _("ends on {day}, in {days} days").format(day=day, days=days)


def expiring_agreement(ctx: Context) -> Iterator[Finding]:
    """An agreement in force that ends soon; not one that has already ended (it can no longer be renewed in time:
    a project checked on its last day, in a later year, is not warned about its agreements' ends)."""
    limit = add_days(ctx.on, ctx.config.expiry_warning_days)
    for doc in ctx.snapshot.agreements:
        if in_force(doc, ctx.on) and doc["expires"] and ctx.now <= doc["expires"] <= limit:
            yield Finding(
                "expiring-agreement",
                "warning",
                doc["project"],
                _subject(doc),
                f"{_subject(doc)} {ends_text(doc['expires'], ctx.now)}",
                _("renew it in time: {command}, or plan who takes its duties over").format(
                    command=f"coord agreement amend {doc['key']}"
                ),
            )


def expired_agreement(ctx: Context) -> Iterator[Finding]:
    projects = ctx.snapshot.projects
    duty_ids = {(projects[d.project_id].key, d.key): d.id for d in ctx.snapshot.duties}
    held = {(item.duty_id, item.letter) for item, _duty in ctx.current}
    for doc in ctx.snapshot.agreements:
        if doc["status"] != "signed" or not doc["expires"] or doc["expires"] >= ctx.on:
            continue
        orphaned = sorted(
            {
                (ob["duty"], ob["as"], ob["party"])
                for ob in doc["obligations"]
                if ob["duty"] and (duty_ids.get((doc["project"], ob["duty"])), ob["as"]) not in held
            }
        )
        if orphaned:
            listed = ", ".join(sorted({f"{duty} ({letter})" for duty, letter, _party in orphaned}))
            after = day_after(doc["expires"])
            carry_on = " && ".join(
                f"coord duty assign {duty} {party} --as {letter} --from {after} --project {doc['project']}"
                for duty, letter, party in orphaned
            )
            yield Finding(
                "expired-agreement",
                "warning",
                doc["project"],
                _subject(doc),
                _("{agreement} {ended} and nobody has taken over {duties}").format(
                    agreement=_subject(doc), ended=ends_text(doc["expires"], ctx.now), duties=listed
                ),
                _("renew it with {amend}, or let the same parties carry on: {command}").format(
                    amend=f"coord agreement amend {doc['key']}", command=carry_on
                ),
            )


Claim = tuple[AgreementDoc, str, str | None, str | None]  # agreement, party, first day, last day


def conflicting_agreements(ctx: Context) -> Iterator[Finding]:
    claims: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for doc in ctx.snapshot.agreements:
        if doc["status"] not in ("signed", "terminated") or not doc["terms_hash"]:
            continue
        end = doc["terminated_on"] or doc["expires"]
        for ob in doc["obligations"]:
            if ob["duty"] and ob["as"] == "A":
                claims[(doc["project"], ob["duty"])].append((doc, ob["party"], doc["effective"], end))
    for (project, duty), found in sorted(claims.items()):
        for index, (doc_a, party_a, start_a, end_a) in enumerate(found):
            for doc_b, party_b, start_b, end_b in found[index + 1 :]:
                if doc_a["key"] == doc_b["key"] or party_a == party_b:
                    continue
                both = intersect(start_a, end_a, start_b, end_b)
                if both is None or (ctx.explicit_on and not covers(both[0], both[1], ctx.on)):
                    continue
                yield Finding(
                    "conflicting-agreements",
                    "error",
                    project,
                    doc_a["key"],
                    _(
                        "{first} and {second} both give the A for duty '{duty}', to '{party_a}' and to '{party_b}', {when}"
                    ).format(
                        first=_subject(doc_a),
                        second=_subject(doc_b),
                        duty=duty,
                        party_a=party_a,
                        party_b=party_b,
                        when=period(*both),
                    ),
                    _("amend one of them ({command}) so that one party is accountable").format(
                        command=f"coord agreement amend {doc_b['key']}"
                    ),
                )


UNCOVERED_SHOWN = 12  # duties named in one uncovered-duty finding; the rest are counted


def uncovered_duty(ctx: Context) -> Iterator[Finding]:
    """One finding a project run by agreements (one is in force on the date checked): the duties carried by hand.

    A duty is covered when an agreement in force names it: what the agreement
    leaves open (an A it does not give) is filled by hand and is no gap in the
    agreements. Thirteen duties make one finding listing them, not nineteen
    warnings that bury the one error.
    """
    in_force_now = [doc for doc in ctx.snapshot.agreements if in_force(doc, ctx.on)]
    managed = {doc["project"] for doc in in_force_now}
    if not managed:
        return
    named = {(doc["project"], ob["duty"]) for doc in in_force_now for ob in doc["obligations"] if ob["duty"]}
    by_project: dict[str, set[str]] = defaultdict(set)
    for item, duty in ctx.current:
        project = ctx.snapshot.projects[duty.project_id].key
        if item.letter in ("R", "A") and project in managed and (project, duty.key) not in named:
            by_project[project].add(duty.key)
    for project, keys in sorted(by_project.items()):
        listed = sorted(keys)
        shown = quoted_list(listed[:UNCOVERED_SHOWN])
        if len(listed) > UNCOVERED_SHOWN:
            shown += " " + _("and {count} more").format(count=len(listed) - UNCOVERED_SHOWN)
        yield Finding(
            "uncovered-duty",
            "warning",
            project,
            project,
            ngettext(
                "{count} duty carries an R or A that no agreement in force names: {duties}",
                "{count} duties carry an R or A that no agreement in force names: {duties}",
                len(listed),
            ).format(count=len(listed), duties=shown),
            _("write them into the next agreement: {command}").format(
                command="coord agreement obligation add KEY --party PARTY --text TEXT --duty DUTY --as R"
            ),
        )


RULES: dict[str, tuple[str, Rule]] = {
    "no-accountable": ("error", no_accountable),
    "multiple-accountable": ("error", multiple_accountable),
    "multiple-responsible": ("error", multiple_responsible),
    "no-responsible": ("warning", no_responsible),
    "overloaded-stakeholder": ("warning", overloaded_stakeholder),
    "no-contact-channel": ("warning", no_contact_channel),
    "conflicting-agreements": ("error", conflicting_agreements),
    "uncovered-duty": ("warning", uncovered_duty),
    "unsigned-party": ("warning", unsigned_party),
    **{rule: ("error", _proof_rule(rule)) for rule in PROOF_RULES},
    "expiring-agreement": ("warning", expiring_agreement),
    "expired-agreement": ("warning", expired_agreement),
}


# ------------------------------------------------------------------ joint meetings, actions, contacts, concerns
# These rules can yield thousands of findings: each looks up its catalogue once (``_catalogue``) rather than
# resolving the language for every message (40,000 look-ups cost a second at reference scale).


def _catalogue() -> NullTranslations:
    from coordkit.i18n import translations

    return translations(language())


def _days_text(t: NullTranslations, count: int) -> str:
    return t.ngettext("{count} day", "{count} days", count).format(count=count)


def _days(later: str, earlier: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


def tampered_minutes(ctx: Context) -> Iterator[Finding]:
    """Signed-off minutes whose stored record no longer gives the hash the chair signed off."""
    if ctx.snapshot.proven is not None:  # checked with the rest of what is hashed, in coord check's second process
        yield from ctx.snapshot.proven().minutes
        return
    yield from minutes_findings(ctx.snapshot.minutes)


def minutes_findings(minutes: Iterable[Meeting]) -> Iterator[Finding]:
    """``tampered-minutes`` over signed-off ``minutes`` (``read_meetings(signed_only=True)``)."""
    from coordkit.domain.meetings import minutes_hash

    t = _catalogue()
    for meeting in minutes:
        sign = meeting["signed_off"]
        if sign is None:
            continue
        now = minutes_hash(meeting, sign["form"])
        if now != sign["hash"]:
            yield Finding(
                "tampered-minutes",
                "error",
                meeting["project"],
                meeting["key"],
                t.gettext(
                    "the minutes of meeting '{key}' no longer match what {by} signed off on {on} "
                    "(fingerprint {signed}, now {now})"
                ).format(key=meeting["key"], by=sign["by"], on=sign["date"], signed=sign["hash"][:12], now=now[:12]),
                t.gettext(
                    "restore the store from a backup; the minutes as signed off are in the meeting.sign-off event"
                ),
            )


def _on_flag(ctx: Context) -> str:
    """`` --on DAY`` for a hint that records something, when the check looks at another day than today: a contact
    logged today does not answer a check of 2024-09-01."""
    return f" --on {ctx.on}" if ctx.today and ctx.on != ctx.today else ""


def open_actions(ctx: Context) -> Iterator[Finding]:
    """Action items of joint meetings past their due date and not done on the date checked."""
    from coordkit.domain.meetings import action_ref

    t = _catalogue()
    message = t.gettext("action {ref} of '{owner}' was due on {due} and is still open ({late} late): {text}")
    hint = t.gettext("agree a new date at the next joint meeting, or record it when done: coord action done {ref}{on}")
    projects = ctx.snapshot.projects
    for action in ctx.snapshot.actions:
        if action.due >= ctx.on or (action.done and action.done <= ctx.on):
            continue
        ref = action_ref(action.meeting, action.number)
        late = _days_text(t, _days(ctx.on, action.due))
        yield Finding(
            "open-actions",
            "warning",
            projects[action.project_id].key,
            ref,
            message.format(ref=ref, owner=action.owner, due=action.due, late=late, text=action.text),
            hint.format(ref=ref, on=_on_flag(ctx)),
        )


def overdue_concern(ctx: Context) -> Iterator[Finding]:
    """Concerns whose holder let a deadline pass: no acknowledgement, or no response, in the days coord.toml gives."""
    from coordkit.domain.concerns import State, clock, local_day

    t = _catalogue()
    not_acknowledged = t.gettext(
        "concern {key} ({severity}, about {about}) was not acknowledged by '{holder}' by {date} ({late} overdue)"
    )
    no_response = t.gettext(
        "concern {key} ({severity}, about {about}) has had no response from '{holder}' by {date} ({late} overdue)"
    )
    hint = t.gettext(
        "answer it (coord concern ack {key} / respond {key}) or take it up the ladder: coord concern escalate {key}"
    )
    settings = ctx.config.concerns
    projects = ctx.snapshot.projects
    for row in ctx.snapshot.concerns:
        if local_day(row.clock_from) > ctx.on:
            continue
        state = State(
            status=row.status, holder=row.holder, level=0, clock_from=row.clock_from, acknowledged=row.acknowledged
        )
        found = clock(
            state,
            ack_days=settings.ack_days[row.severity],
            response_days=settings.response_days[row.severity],
            on=ctx.on,
        )
        if not found.overdue:
            continue
        yield Finding(
            "overdue-concern",
            "warning",
            projects[row.project_id].key if row.project_id in projects else None,
            row.key,
            (not_acknowledged if found.stage == "ack" else no_response).format(
                key=row.key,
                severity=row.severity,
                about=row.about,
                holder=row.holder,
                date=found.deadline,
                late=_days_text(t, found.overdue),
            ),
            hint.format(key=row.key),
        )


def no_joint_meeting(ctx: Context) -> Iterator[Finding]:
    """Projects in progress with no joint meeting for longer than ``check.no_meeting_days`` (from the last one,
    or from the project's start when it has had none; a project without a start date and no meeting is skipped)."""
    t = _catalogue()
    limit = ctx.config.no_meeting_days
    last: dict[int, str] = {}
    for meeting in ctx.snapshot.meetings:
        if meeting.date <= ctx.on:
            last[meeting.project_id] = max(meeting.date, last.get(meeting.project_id, ""))
    for pid, project in sorted(ctx.snapshot.projects.items(), key=lambda item: item[1].key):
        if not covers(project.start, project.end, ctx.on):
            continue
        since = last.get(pid) or project.start
        if since is None or _days(ctx.on, since) <= limit:
            continue
        if pid in last:
            message = t.gettext("project '{project}' has had no joint meeting since {date} ({days}; at most {limit})")
        else:
            message = t.gettext(
                "project '{project}' has had no joint meeting since it started on {date} ({days}; at most {limit})"
            )
        yield Finding(
            "no-joint-meeting",
            "warning",
            project.key,
            project.key,
            message.format(project=project.key, date=since, days=_days_text(t, _days(ctx.on, since)), limit=limit),
            t.gettext(
                "hold one and record its minutes: coord meeting add --project {project} --date DATE "
                "--chair PARTY/PERSON --attendee PARTY; or change check.no_meeting_days in coord.toml"
            ).format(project=project.key),
        )


def silent_party(ctx: Context) -> Iterator[Finding]:
    """Parties carrying R or A in a project in progress that keeps its communication in coord (it has meetings or
    contacts recorded), with nobody in touch with them (a contact logged, a meeting attended) for
    ``check.silent_days``."""
    t = _catalogue()
    since_message = t.gettext(
        "'{party}' carries duties in project '{project}' but nobody has been in touch since {date} "
        "({days}; at most {limit})"
    )
    never_message = t.gettext("'{party}' carries duties in project '{project}' but no contact with it is recorded")
    hint = t.gettext("get in touch and log it: coord contact log {party} --channel call --summary TEXT{on}")
    limit = ctx.config.silent_days
    latest: dict[tuple[int | None, str], str] = {}
    for contact in ctx.snapshot.contacts:
        if contact.date <= ctx.on:
            key = (contact.project_id, contact.party)
            latest[key] = max(contact.date, latest.get(key, ""))
    for meeting in ctx.snapshot.meetings:
        if meeting.date <= ctx.on:
            for party in meeting.present:
                key = (meeting.project_id, party)
                latest[key] = max(meeting.date, latest.get(key, ""))
    in_use = {pid for pid, _party in latest} | {m.project_id for m in ctx.snapshot.meetings}
    carrying: dict[int, set[str]] = defaultdict(set)
    for item, duty in ctx.current:
        if item.letter in ("R", "A"):
            carrying[duty.project_id].add(item.party)
    for pid in sorted(carrying, key=lambda p: ctx.snapshot.projects[p].key):
        row = ctx.snapshot.projects[pid]
        if (pid not in in_use and None not in in_use) or not covers(row.start, row.end, ctx.on):
            continue
        project = row.key
        for party in sorted(carrying[pid]):
            seen = max(latest.get((pid, party), ""), latest.get((None, party), ""))
            if seen and _days(ctx.on, seen) <= limit:
                continue
            if seen:
                days = _days_text(t, _days(ctx.on, seen))
                message = since_message.format(party=party, project=project, date=seen, days=days, limit=limit)
            else:
                message = never_message.format(party=party, project=project)
            yield Finding(
                "silent-party", "warning", project, party, message, hint.format(party=party, on=_on_flag(ctx))
            )


def untranslated_term(ctx: Context) -> Iterator[Finding]:
    """Agreements to be printed in Chinese with texts that have no Chinese: the Chinese contract refuses them.

    Only drafts and circulating versions: a signed version's texts are frozen (an amendment adds the Chinese).
    """
    from coordkit.domain.translation import untranslated

    t = _catalogue()
    for doc in ctx.snapshot.agreements:
        if doc["status"] not in ("draft", "circulating") or "zh" not in (doc.get("languages") or []):
            continue
        missing = untranslated(doc)
        if not missing:
            continue
        subject = f"{doc['key']} v{doc['version']}"
        path, text = missing[0]
        message = t.ngettext(
            "{subject} is to be printed in Chinese but {count} text has no Chinese: {path} '{text}'",
            "{subject} is to be printed in Chinese but {count} texts have no Chinese, the first: {path} '{text}'",
            len(missing),
        ).format(subject=subject, count=len(missing), path=path, text=text[:40])
        if doc["status"] == "draft" and (path == "title" or ("[" in path and "." not in path)):
            hint = t.gettext("give it its Chinese: coord agreement translate {key} {path} TEXT").format(
                key=doc["key"], path=shlex.quote(path)
            )
        elif doc["status"] == "draft":
            hint = t.gettext("add the Chinese where {path} comes from (the party, the duty or the resource)").format(
                path=path
            )
        else:
            hint = t.gettext(
                "its terms are frozen: add the Chinese in an amendment: coord agreement amend {key}"
            ).format(key=doc["key"])
        yield Finding("untranslated-term", "warning", doc["project"], subject, message, hint)


def overdue_obligation(ctx: Context) -> Iterator[Finding]:
    """Occurrences of obligations of signed agreements past their due date with no report that settles them:
    a warning for ``obligation_grace_days`` (14: a report handed in a few days late is normal), then an error."""
    import datetime as dt

    from coordkit.domain.terms import term_of
    from coordkit.schedule import due_dates, parse_recurrence

    t = _catalogue()
    message = t.gettext(
        "obligation {number} of {key} ('{party}': {text}) was due on {due} and has no report ({late} late)"
    )
    hint = t.gettext("record what was done: coord obligation done {key} {number} --occurrence {due} --on DAY")
    grace = ctx.config.obligation_grace_days
    day = dt.date.fromisoformat(ctx.on)
    chinese = language() == "zh"  # the obligation in the reader's words: terms are bilingual
    for doc in ctx.snapshot.agreements:
        if doc["status"] != "signed" or not doc["effective"]:
            continue
        term = term_of(doc)
        assert term is not None
        for number, obligation in enumerate(doc["obligations"], 1):
            first = dt.date.fromisoformat(obligation["due"]) if obligation["due"] else None
            if obligation["every"]:
                dates = due_dates(parse_recurrence(obligation["every"]), term, until=day, first_due=first)
            else:
                dates = [first] if first is not None and first <= day else []
            for due in dates:
                if due >= day:
                    continue
                status = ctx.snapshot.fulfilment.get((doc["key"], doc["version"], number, due.isoformat()))
                if status in ("met", "missed", "waived"):
                    continue
                late = (day - due).days
                yield Finding(
                    "overdue-obligation",
                    "error" if late > grace else "warning",
                    doc["project"],
                    f"{doc['key']}/{number} {due.isoformat()}",
                    message.format(
                        number=number,
                        key=doc["key"],
                        party=obligation["party"],
                        text=(obligation.get("text_zh") if chinese else None) or obligation["text"],
                        due=due.isoformat(),
                        late=_days_text(t, late),
                    ),
                    hint.format(key=doc["key"], number=number, due=due.isoformat()).replace("DAY", ctx.on),
                )


RULES.update(
    {
        "overdue-obligation": ("error", overdue_obligation),
        "untranslated-term": ("warning", untranslated_term),
        "tampered-minutes": ("error", tampered_minutes),
        "open-actions": ("warning", open_actions),
        "overdue-concern": ("warning", overdue_concern),
        "no-joint-meeting": ("warning", no_joint_meeting),
        "silent-party": ("warning", silent_party),
        "similar-duties": ("warning", similar_duties),
    }
)


# ------------------------------------------------------------------ shared resources and budgets (issue 19)


def _committing(ctx: Context) -> list[AgreementDoc]:
    """Signed versions (not superseded, not terminated): their resources are promised for their term."""
    return [doc for doc in ctx.snapshot.agreements if doc["status"] == "signed"]


def _horizon(ctx: Context) -> tuple[dt.date, dt.date]:
    """The days a check looks at for resources: the date checked with --on; else the projects' dates (a year on
    from the date checked where a project has no end)."""
    on = dt.date.fromisoformat(ctx.on)
    if ctx.explicit_on:
        return on, on
    projects = list(ctx.snapshot.projects.values())
    starts = [dt.date.fromisoformat(p.start) for p in projects if p.start]
    ends = [dt.date.fromisoformat(p.end) for p in projects if p.end]
    first = min([*starts, on])
    last = max(ends) if ends and len(ends) == len(projects) else on + dt.timedelta(days=365)
    return first, max(last, on)


def resource_commitments(ctx: Context) -> tuple[list[Commitment], dict[str, str], dict[str, str]]:
    """Every use of a registered resource with a slot: agreements' resources for their term, duties' uses by
    their R (for the project's dates); the project of each source, and the duty key of each duty's source."""
    from coordkit.slots import Commitment, parse_slot

    registered = ctx.snapshot.resources
    found: list[Commitment] = []
    project_of: dict[str, str] = {}
    booked_by: dict[str, str] = {}
    for doc in _committing(ctx):
        end = doc["terminated_on"] or doc["expires"]
        within = (_day(doc["effective"]), _day(end))
        for res in doc["resources"]:
            if res["resource"] in registered and res["when"]:
                source = _subject(doc)
                project_of[source] = doc["project"]
                found.append(Commitment(res["resource"], res["party"], source, parse_slot(res["when"]), within))
    duty_source = _("duty {key}")
    for duty in ctx.snapshot.duties:
        if not duty.uses:
            continue
        project = ctx.snapshot.projects[duty.project_id]
        doers = {item.party for item in ctx.held.get(duty.id, ()) if item.letter == "R"}  # not all 112,620 rows
        for resource, slot, units in duty.uses:
            source = duty_source.format(key=duty.key)
            project_of[source] = project.key
            booked_by[source] = duty.key
            who = ", ".join(sorted(doers)) or "?"
            within = (_day(project.start), _day(project.end))
            found.append(Commitment(resource, who, source, parse_slot(slot), within, units))
    return found, project_of, booked_by


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def contended_resource(ctx: Context) -> Iterator[Finding]:
    """A registered resource promised beyond its capacity at one time: the square lent to the market and to a
    festival on the same Saturday. A recurring slot that meets another on one date only is reported for that date."""
    from coordkit.slots import contentions

    t = _catalogue()
    release = t.gettext(
        "agree at the joint meeting who gives way on {when}; then release one booking (and book another time "
        "with coord duty use): {command}"
    )
    amend = t.gettext("agree at the joint meeting who gives way on {when}; then amend one agreement: {command}")
    commitments, project_of, booked_by = resource_commitments(ctx)
    horizon = _horizon(ctx)
    by_resource: dict[str, list[Commitment]] = defaultdict(list)
    for commitment in commitments:
        by_resource[commitment.resource].append(commitment)
    lang = language()
    said: dict[int, str] = {}  # each commitment in words, once (``Contention.describe``)
    for key, found in sorted(by_resource.items()):
        resource = ctx.snapshot.resources[key]
        for contention in contentions(found, capacity=resource.capacity, horizon=horizon):
            yield Finding(
                "contended-resource",
                "error",
                project_of.get(contention.commitments[0].source),
                key,
                contention.describe(t.gettext, lang, said),
                _contention_hint(contention, booked_by, release, amend),
            )


def _contention_hint(contention: Contention, booked_by: dict[str, str], release: str, amend: str) -> str:
    """Release a duty's one-off booking before a recurring one (the festival moves, not the monthly market);
    between agreements only, amend one of them."""
    booked = [(position, c) for position, c in enumerate(contention.commitments) if c.source in booked_by]
    if not booked:
        return amend.format(
            when=contention.when(), command=f"coord agreement amend {contention.commitments[-1].source.split(' ')[0]}"
        )
    _position, chosen = min(booked, key=lambda pc: (pc[1].slot.recurring, -pc[0]))
    duty = booked_by[chosen.source]
    return release.format(
        when=contention.when(),
        command=f"coord duty release {duty} {chosen.resource} --when {shlex.quote(chosen.slot.text())}",
    )


def overcommitted_budget(ctx: Context) -> Iterator[Finding]:
    """A party's promises of a funds resource across agreements in force in the budget year (the calendar year of
    the date checked) that add up to more than the resource's budget; exactly the budget is fine."""
    from decimal import Decimal

    from coordkit.amounts import unit_of
    from coordkit.budgets import FundsCommitment, overcommitted

    on = dt.date.fromisoformat(ctx.on)
    year = (dt.date(on.year, 1, 1), dt.date(on.year, 12, 31))
    grouped: dict[tuple[str, str], list[FundsCommitment]] = defaultdict(list)
    projects: dict[tuple[str, str], str] = {}
    for doc in _committing(ctx):
        if not intersect(doc["effective"], doc["terminated_on"] or doc["expires"], *map(str, year)):
            continue
        for res in doc["resources"]:
            row = ctx.snapshot.resources.get(res["resource"] or "")
            if row is None or row.budget is None or res["amount"] is None:
                continue
            if unit_of(res["unit"] or "") != (row.unit or ""):
                continue
            term = (_day(doc["effective"]), _day(doc["terminated_on"] or doc["expires"]))
            group = (row.key, res["party"])
            projects.setdefault(group, doc["project"])
            grouped[group].append(
                FundsCommitment(res["party"], _subject(doc), Decimal(res["amount"]), term, row.key, row.unit or "")
            )
    for (key, party), found in sorted(grouped.items()):
        row = ctx.snapshot.resources[key]
        over = overcommitted(found, budget=Decimal(row.budget or "0"), period=year)
        if over is not None:
            yield Finding(
                "overcommitted-budget",
                "error",
                projects[(key, party)],
                key,
                over.describe(),
                _("amend one agreement to promise less, or record a larger budget for '{resource}'").format(
                    resource=key
                ),
            )


RULES.update(
    {
        "contended-resource": ("error", contended_resource),
        "overcommitted-budget": ("error", overcommitted_budget),
    }
)


def review_overdue(ctx: Context) -> Iterator[Finding]:
    """Signed agreements whose partnership review (``review_every``) fell due and none has been opened since."""
    from coordkit.domain.terms import pending_reviews

    t = _catalogue()
    message = t.gettext("{subject} was due for a partnership review on {date} ({late} ago); none has been held since")
    hint = t.gettext("hold it: coord review open {key}{on}")
    if not ctx.snapshot.follow_up:  # files carry no reviews yet
        return
    from coordkit.domain.terms import term_of
    from coordkit.schedule import current_term

    on = dt.date.fromisoformat(ctx.on)
    for doc in ctx.snapshot.agreements:
        if doc["status"] != "signed" or not doc["review_every"]:
            continue
        term = term_of(doc)
        if term is None or current_term(term, on) is None:  # not in force: nothing left to review together
            continue
        due = pending_reviews(doc, on, on, ctx.snapshot.last_reviews.get(doc["key"]))
        if not due or due[0] >= on:
            continue
        yield Finding(
            "review-overdue",
            "warning",
            doc["project"],
            _subject(doc),
            message.format(subject=_subject(doc), date=due[0].isoformat(), late=_days_text(t, (on - due[0]).days)),
            hint.format(key=doc["key"], on=_on_flag(ctx)),
        )


def notice_date_near(ctx: Context) -> Iterator[Finding]:
    """The last day to give notice on a signed agreement falls within ``notice_warning_days``: decide now whether
    it is to renew (tacitly) or end. Counted from the term in force, not the first one."""
    from coordkit.domain.terms import term_of
    from coordkit.schedule import current_term, notice_date

    t = _catalogue()
    message = t.gettext("the last day to give notice on {subject} is {date} ({days}); the term ends on {end}")
    renews = t.gettext("decide whether to go on: without notice by {date} it renews for another term")
    ends = t.gettext("decide whether to go on: agree an amendment or a new agreement before {end}")
    on = dt.date.fromisoformat(ctx.on)
    for doc in ctx.snapshot.agreements:
        if doc["status"] != "signed" or not doc["notice"]:
            continue
        term = term_of(doc)
        if term is None:
            continue
        deadline = notice_date(term, on)
        period = current_term(term, on)
        if deadline is None or period is None or period[1] is None:
            continue
        days = (deadline - on).days
        if not 0 <= days <= ctx.config.notice_warning_days:
            continue
        when = t.gettext("today") if days == 0 else t.ngettext("in {n} day", "in {n} days", days).format(n=days)
        yield Finding(
            "notice-date-near",
            "warning",
            doc["project"],
            _subject(doc),
            message.format(subject=_subject(doc), date=deadline.isoformat(), days=when, end=period[1].isoformat()),
            (renews if term.renewal == "tacit" else ends).format(date=deadline.isoformat(), end=period[1].isoformat()),
        )


RULES.update(
    {
        "review-overdue": ("warning", review_overdue),
        "notice-date-near": ("warning", notice_date_near),
    }
)
