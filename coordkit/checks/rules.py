"""The rules: pure functions from a snapshot (and a date) to findings.

Windows are inclusive on both ends and ``None`` is open: back-to-back windows
(one ends 2024-06-30, the next starts 2024-07-01) do not overlap; two windows
that share a single day do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass

from coordkit.checks.config import CheckConfig
from coordkit.checks.snapshot import MAX_DAY, MIN_DAY, DutyRow, Effective, ProjectRow, Snapshot, intersect
from coordkit.dates import day_after, day_before


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "error" or "warning"
    project: str | None
    subject: str  # a duty, party or agreement key
    message: str
    hint: str

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class Context:
    snapshot: Snapshot
    on: str  # the date checked
    explicit_on: bool  # --on given: look at that date only, no gaps over the project's dates
    config: CheckConfig


Rule = Callable[[Context], Iterable[Finding]]


def period(start: str | None, end: str | None) -> str:
    if start and end:
        return f"from {start} to {end}" if start != end else f"on {start}"
    if start:
        return f"from {start} onwards"
    if end:
        return f"until {end}"
    return "at all times"


def covers(start: str | None, end: str | None, day: str) -> bool:
    return (start or MIN_DAY) <= day <= (end or MAX_DAY)


def by_duty(ctx: Context, letter: str) -> dict[int, list[Effective]]:
    found: dict[int, list[Effective]] = defaultdict(list)
    for item in ctx.snapshot.effective:
        if item.letter == letter:
            found[item.duty_id].append(item)
    return found


def gaps(
    windows: Iterable[tuple[str | None, str | None]], start: str | None, end: str | None
) -> list[tuple[str | None, str | None]]:
    """Parts of [start, end] that no window covers."""
    lo, hi = start or MIN_DAY, end or MAX_DAY
    found = []
    cursor = lo  # the first day not yet known to be covered
    for w_start, w_end in sorted(((s or MIN_DAY), (e or MAX_DAY)) for s, e in windows):
        if w_end < cursor:
            continue
        if w_start > cursor:
            found.append((cursor, min(day_before(w_start), hi)))
        if w_end >= hi:
            cursor = MAX_DAY + "+"  # covered to the end
            break
        cursor = max(cursor, day_after(w_end))
    if cursor <= hi:
        found.append((cursor, hi))
    found = [(s, e) for s, e in found if s <= e and s <= hi]
    return [(None if s == MIN_DAY else s, None if e == MAX_DAY else e) for s, e in found]


def _project(ctx: Context, duty: DutyRow) -> ProjectRow:
    return ctx.snapshot.projects[duty.project_id]


def no_accountable(ctx: Context) -> Iterator[Finding]:
    accountable = by_duty(ctx, "A")
    for duty in ctx.snapshot.duties:
        project = _project(ctx, duty)
        windows = [(a.start, a.end) for a in accountable.get(duty.id, [])]
        hint = f"give one party the A: coord duty assign {duty.key} PARTY --as A --project {project.key}"
        if not windows:
            yield Finding(
                "no-accountable",
                "error",
                project.key,
                duty.key,
                f"duty '{duty.key}' has no accountable (A) party",
                hint,
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
                    f"duty '{duty.key}' has no accountable (A) party {period(g_start, g_end)}",
                    hint,
                )
        if not reported_today and not any(covers(s, e, ctx.on) for s, e in windows):
            yield Finding(
                "no-accountable",
                "error",
                project.key,
                duty.key,
                f"duty '{duty.key}' has no accountable (A) party on {ctx.on}",
                hint,
            )


def _route(item: Effective) -> str:
    if item.role:
        return f"'{item.party}' (through role '{item.role}')"
    if item.agreement:
        return f"'{item.party}' (by {item.agreement})"
    return f"'{item.party}'"


def multiple_accountable(ctx: Context) -> Iterator[Finding]:
    for duty_id, items in by_duty(ctx, "A").items():
        if len(items) < 2:
            continue
        duty = ctx.snapshot.duty_index[duty_id]
        project = _project(ctx, duty)
        items = sorted(items, key=lambda i: (i.party, i.start or MIN_DAY, i.role or ""))
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
                    when = f"on {ctx.on}"
                else:
                    clipped = intersect(both[0], both[1], project.start, project.end)
                    if clipped is None:
                        continue
                    when = period(*clipped)
                yield Finding(
                    "multiple-accountable",
                    "error",
                    project.key,
                    duty.key,
                    f"duty '{duty.key}' has two accountable (A) parties at once: "
                    f"{_route(first)} and {_route(second)} {when}",
                    f"keep one A: coord duty unassign {duty.key} PARTY --as A, or end one window "
                    "the day before the other starts",
                )


def no_responsible(ctx: Context) -> Iterator[Finding]:
    responsible = by_duty(ctx, "R")
    for duty in ctx.snapshot.duties:
        if not any(covers(r.start, r.end, ctx.on) for r in responsible.get(duty.id, [])):
            project = _project(ctx, duty)
            yield Finding(
                "no-responsible",
                "warning",
                project.key,
                duty.key,
                f"duty '{duty.key}' has no responsible (R) party on {ctx.on}",
                f"name who does the work: coord duty assign {duty.key} PARTY --as R --project {project.key}",
            )


def _current(ctx: Context) -> Iterator[tuple[Effective, DutyRow]]:
    duties = ctx.snapshot.duty_index
    for item in ctx.snapshot.effective:
        if covers(item.start, item.end, ctx.on):
            yield item, duties[item.duty_id]


def overloaded_stakeholder(ctx: Context) -> Iterator[Finding]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item, duty in _current(ctx):
        if item.letter in ("R", "A"):
            counts[duty.project_id][item.party] += 1
    share, minimum = ctx.config.overload_share, ctx.config.overload_min
    for project_id, per_party in counts.items():
        total = sum(per_party.values())
        if total < minimum:
            continue
        project = ctx.snapshot.projects[project_id]
        for party, count in sorted(per_party.items()):
            if count / total > share:
                yield Finding(
                    "overloaded-stakeholder",
                    "warning",
                    project.key,
                    party,
                    f"'{party}' carries {count} of the {total} R/A assignments in project '{project.key}' "
                    f"({count / total:.0%}, above {share:.0%})",
                    "share the load: move some R or A to other parties, or raise check.overload_share in coord.toml",
                )


def no_contact_channel(ctx: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for item, _duty in _current(ctx):
        seen.add(item.party)
    for party in sorted(seen):
        row = ctx.snapshot.parties.get(party)
        if row is not None and row.contacts == 0:
            yield Finding(
                "no-contact-channel",
                "warning",
                None,
                party,
                f"'{party}' carries duties but has no contact channel",
                f"add one: coord stakeholder edit {party} --contact phone:NUMBER",
            )


RULES: dict[str, tuple[str, Rule]] = {
    "no-accountable": ("error", no_accountable),
    "multiple-accountable": ("error", multiple_accountable),
    "no-responsible": ("warning", no_responsible),
    "overloaded-stakeholder": ("warning", overloaded_stakeholder),
    "no-contact-channel": ("warning", no_contact_channel),
}
