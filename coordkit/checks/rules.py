"""The rules: pure functions from a snapshot (and a date) to findings.

Windows are inclusive on both ends and ``None`` is open: back-to-back windows
(one ends 2024-06-30, the next starts 2024-07-01) do not overlap; two windows
that share a single day do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from gettext import NullTranslations

from coordkit.canonical import compute_hash
from coordkit.checks.config import CheckConfig
from coordkit.checks.snapshot import DutyRow, Effective, ProjectRow, Snapshot, intersect
from coordkit.dates import FIRST_DAY, OPEN_END, OPEN_START, add_days, covers, day_after, day_before
from coordkit.domain.agreements import AgreementDoc, in_force


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


@dataclass(frozen=True)
class Context:
    snapshot: Snapshot
    on: str  # the date checked
    explicit_on: bool  # --on given: look at that date only, no gaps over the project's dates
    config: CheckConfig

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
        return f"from {start} to {end}" if start != end else f"on {start}"
    if start:
        return f"from {start} onwards"
    if end:
        return f"until {end}"
    return "at all times"


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


def overloaded_stakeholder(ctx: Context) -> Iterator[Finding]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item, duty in ctx.current:
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
    seen: dict[str, str] = {}
    for item, _duty in ctx.current:
        seen.setdefault(item.party, "carries duties")
    for doc in ctx.snapshot.agreements:
        if doc["status"] == "circulating" or in_force(doc, ctx.on):
            for signer in doc["parties"]:
                seen.setdefault(signer["stakeholder"], f"is a party to {doc['key']}")
    for party, why in sorted(seen.items()):
        row = ctx.snapshot.parties.get(party)
        if row is not None and row.contacts == 0:
            yield Finding(
                "no-contact-channel",
                "warning",
                None,
                party,
                f"'{party}' {why} but has no contact channel",
                f"add one: coord stakeholder edit {party} --contact phone:NUMBER",
            )


def _subject(doc: AgreementDoc) -> str:
    return f"{doc['key']} v{doc['version']}"


def tampered_agreement(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.snapshot.agreements:
        if doc["terms_hash"] and compute_hash(doc) != doc["terms_hash"]:
            yield Finding(
                "tampered-agreement",
                "error",
                doc["project"],
                _subject(doc),
                f"{_subject(doc)}: its stored terms no longer match what was signed "
                f"(signed fingerprint {doc['fingerprint']}, now {compute_hash(doc)[:12]})",
                f"see coord agreement verify {doc['key']}; restore the store from a backup",
            )


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
                f"{_subject(doc)} took effect on {doc['effective']} but '{party}' has not signed it",
                f"record the signature: coord agreement sign {doc['key']} --party {party} --signatory NAME",
            )


def expiring_agreement(ctx: Context) -> Iterator[Finding]:
    limit = add_days(ctx.on, ctx.config.expiry_warning_days)
    for doc in ctx.snapshot.agreements:
        if in_force(doc, ctx.on) and doc["expires"] and doc["expires"] <= limit:
            days = (dt.date.fromisoformat(doc["expires"]) - dt.date.fromisoformat(ctx.on)).days
            yield Finding(
                "expiring-agreement",
                "warning",
                doc["project"],
                _subject(doc),
                f"{_subject(doc)} ends on {doc['expires']} (in {days} days)",
                f"renew it in time: coord agreement amend {doc['key']}, or plan who takes its duties over",
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
                f"{ob['duty']} ({ob['as']})"
                for ob in doc["obligations"]
                if ob["duty"] and (duty_ids.get((doc["project"], ob["duty"])), ob["as"]) not in held
            }
        )
        if orphaned:
            yield Finding(
                "expired-agreement",
                "warning",
                doc["project"],
                _subject(doc),
                f"{_subject(doc)} ended on {doc['expires']} but nobody has taken over {', '.join(orphaned)}",
                f"renew it (coord agreement amend {doc['key']}) or assign those duties anew",
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
                    f"{_subject(doc_a)} and {_subject(doc_b)} both give the A for duty '{duty}', to '{party_a}' "
                    f"and to '{party_b}', {period(*both)}",
                    f"amend one of them (coord agreement amend {doc_b['key']}) so that one party is accountable",
                )


def uncovered_duty(ctx: Context) -> Iterator[Finding]:
    """Only in projects run by agreements: at least one is in force on the date checked."""
    managed = {doc["project"] for doc in ctx.snapshot.agreements if in_force(doc, ctx.on)}
    if not managed:
        return
    current: dict[tuple[int, str], list[Effective]] = defaultdict(list)
    for item, duty in ctx.current:
        if item.letter in ("R", "A") and ctx.snapshot.projects[duty.project_id].key in managed:
            current[(duty.id, item.letter)].append(item)
    duties = ctx.snapshot.duty_index
    for (duty_id, letter), found in sorted(current.items()):
        if any(item.agreement for item in found):
            continue
        duty = duties[duty_id]
        project = ctx.snapshot.projects[duty.project_id].key
        who = ", ".join(sorted({f"'{item.party}'" for item in found}))
        yield Finding(
            "uncovered-duty",
            "warning",
            project,
            duty.key,
            f"duty '{duty.key}': its {letter} ({who}) is not backed by a signed agreement in force",
            f"write it into an agreement: coord agreement obligation add KEY --party PARTY --text TEXT "
            f"--duty {duty.key} --as {letter}",
        )


RULES: dict[str, tuple[str, Rule]] = {
    "no-accountable": ("error", no_accountable),
    "multiple-accountable": ("error", multiple_accountable),
    "no-responsible": ("warning", no_responsible),
    "overloaded-stakeholder": ("warning", overloaded_stakeholder),
    "no-contact-channel": ("warning", no_contact_channel),
    "conflicting-agreements": ("error", conflicting_agreements),
    "uncovered-duty": ("warning", uncovered_duty),
    "unsigned-party": ("warning", unsigned_party),
    "tampered-agreement": ("error", tampered_agreement),
    "expiring-agreement": ("warning", expiring_agreement),
    "expired-agreement": ("warning", expired_agreement),
}


# ------------------------------------------------------------------ joint meetings, actions, contacts, concerns
# These rules can yield thousands of findings: each looks up its catalogue once (``_catalogue``) rather than
# resolving the language for every message (40,000 look-ups cost a second at reference scale).


def _catalogue() -> NullTranslations:
    from coordkit.i18n import language, translations

    return translations(language())


def _days_text(t: NullTranslations, count: int) -> str:
    return t.ngettext("{count} day", "{count} days", count).format(count=count)


def _days(later: str, earlier: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


def tampered_minutes(ctx: Context) -> Iterator[Finding]:
    """Signed-off minutes whose stored record no longer gives the hash the chair signed off."""
    from coordkit.domain.meetings import minutes_hash

    t = _catalogue()
    for meeting in ctx.snapshot.minutes:
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


def open_actions(ctx: Context) -> Iterator[Finding]:
    """Action items of joint meetings past their due date and not done on the date checked."""
    from coordkit.domain.meetings import action_ref

    t = _catalogue()
    message = t.gettext("action {ref} of '{owner}' was due on {due} and is still open ({late} late): {text}")
    hint = t.gettext("record it when done: coord action done {ref}; or agree a new date at the next joint meeting")
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
            hint.format(ref=ref),
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
    hint = t.gettext("get in touch and log it: coord contact log {party} --channel call --summary TEXT")
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
            yield Finding("silent-party", "warning", project, party, message, hint.format(party=party))


RULES.update(
    {
        "tampered-minutes": ("error", tampered_minutes),
        "open-actions": ("warning", open_actions),
        "overdue-concern": ("warning", overdue_concern),
        "no-joint-meeting": ("warning", no_joint_meeting),
        "silent-party": ("warning", silent_party),
    }
)
