"""The figures of an evaluation report, from plain records: periods, meetings and actions, concerns.

Evaluations of government-purchased social-work services are mid-term or final
(中期/末期评估) over a stated period, and funders ask per quarter; so a report
covers ``--period 2024Q3`` (or ``2024H1``, ``2024``, ``2024-07``) or
``--from``/``--to``. Every figure counts what happened *inside* the period,
and states what was still open on its last day, so two reports of adjacent
quarters add up instead of counting the same concern twice.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coordkit.dates import parse_date
from coordkit.errors import InvalidInput
from coordkit.i18n import _

_PERIOD = re.compile(r"^(\d{4})(?:([QqHh])([1-4])|-(\d{1,2}))?$")


@dataclass(frozen=True)
class Period:
    start: str  # ISO dates, both inclusive
    end: str
    label: str  # as the reader sees it: 2024Q3, 2024-07-01 – 2024-09-30

    def holds(self, day: str | None) -> bool:
        return day is not None and self.start <= day[:10] <= self.end


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """``2024Q3``, ``2024H1``, ``2024`` or ``2024-07`` as the first and last day it covers."""
    found = _PERIOD.match(text.strip())
    if not found:
        raise InvalidInput(
            _(
                "--period '{text}' is not a period; use a quarter (2024Q3), a half (2024H1), a year (2024) or a month (2024-07)"
            ).format(text=text)
        )
    year = int(found.group(1))
    if found.group(2):
        part, index = found.group(2).upper(), int(found.group(3))
        if part == "H" and index > 2:
            raise InvalidInput(_("--period '{text}': a year has two halves, H1 and H2").format(text=text))
        months = 3 if part == "Q" else 6
        first = (index - 1) * months + 1
        start, end = dt.date(year, first, 1), _month_end(year, first + months - 1)
        label = f"{year}{part}{index}"
    elif found.group(4):
        month = int(found.group(4))
        if not 1 <= month <= 12:
            raise InvalidInput(_("--period '{text}': there is no month {month}").format(text=text, month=month))
        start, end = dt.date(year, month, 1), _month_end(year, month)
        label = f"{year}-{month:02d}"
    else:
        start, end, label = dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)
    return Period(start.isoformat(), end.isoformat(), label)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def period_between(start: str | None, end: str | None, *, default: tuple[str, str]) -> Period:
    """``--from``/``--to`` (either may be left out: the project's own start or end stands in)."""
    first = _iso(parse_date(start, "--from")) or default[0]
    last = _iso(parse_date(end, "--to")) or default[1]
    if last < first:
        raise InvalidInput(_("--to {end} is before --from {start}").format(end=last, start=first))
    return Period(first, last, f"{first} – {last}")


@dataclass(frozen=True)
class ActionFigures:
    total: int  # actions decided at meetings held in the period
    done: int  # of those, done by the period's last day
    open: int  # not done by then
    overdue: int  # not done by then and due before it


def action_figures(meetings: Iterable[Mapping[str, Any]], period: Period) -> ActionFigures:
    actions = [a for m in meetings if period.holds(m["date"]) for a in m["actions"]]
    done = [a for a in actions if a["done"] and a["done"][:10] <= period.end]
    still = [a for a in actions if not (a["done"] and a["done"][:10] <= period.end)]
    return ActionFigures(len(actions), len(done), len(still), sum(a["due"] < period.end for a in still))


@dataclass(frozen=True)
class ConcernFigures:
    opened: int  # opened in the period
    resolved: int  # resolved in the period (whenever opened)
    open_at_end: int  # opened by the last day and not resolved by it
    median_days: float | None  # opened → resolved, of those resolved in the period
    satisfaction: float | None  # mean 1–5 rating given at resolution in the period
    rated: int  # how many ratings that mean is of
    by_severity: dict[str, int]  # opened in the period, by severity
    by_month: list[tuple[str, int, int]]  # (YYYY-MM, opened, resolved) for each month of the period


def _days(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end[:10]) - dt.date.fromisoformat(start[:10])).days


def _months(period: Period) -> list[str]:
    year, month = int(period.start[:4]), int(period.start[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= period.end[:7]:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def concern_figures(concerns: Sequence[Mapping[str, Any]], period: Period) -> ConcernFigures:
    opened = [c for c in concerns if period.holds(c["opened"])]
    resolved = [c for c in concerns if period.holds(c["resolved"])]
    still = [
        c
        for c in concerns
        if c["opened"][:10] <= period.end and not (c["resolved"] and c["resolved"][:10] <= period.end)
    ]
    durations = [_days(c["opened"], c["resolved"]) for c in resolved]
    ratings = [int(c["satisfaction"]) for c in resolved if c["satisfaction"] is not None]
    opened_by = Counter(c["opened"][:7] for c in opened)
    resolved_by = Counter(c["resolved"][:7] for c in resolved)
    return ConcernFigures(
        opened=len(opened),
        resolved=len(resolved),
        open_at_end=len(still),
        median_days=statistics.median(durations) if durations else None,
        satisfaction=round(statistics.fmean(ratings), 2) if ratings else None,
        rated=len(ratings),
        by_severity=dict(sorted(Counter(c["severity"] for c in opened).items())),
        by_month=[(month, opened_by[month], resolved_by[month]) for month in _months(period)],
    )


def findings_by_rule(findings: Iterable[Any]) -> list[tuple[str, str, int]]:
    """(rule, severity, count), errors first, then by count."""
    counted = Counter((f.rule, f.severity) for f in findings)
    return sorted(
        ((rule, severity, n) for (rule, severity), n in counted.items()),
        key=lambda item: (item[1] != "error", -item[2], item[0]),
    )


FULFILMENT_STATES = ("met", "partly", "missed", "waived", "scheduled")
"""How an occurrence due in the period stands on its last day, in the order the chart stacks them (``scheduled``:
no report yet)."""


def fulfilment_by_party(obligations: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each party's occurrences due in the period, by state (``met``, …, ``scheduled``) and in all (``due``);
    only parties with at least one, most due first, then by key."""
    totals: dict[str, Counter[str]] = {}
    for item in obligations:
        for state, count in (item.get("fulfilment") or {}).items():
            totals.setdefault(item["party"], Counter())[state] += int(count)
    rows = [
        {"party": party, **{state: counts[state] for state in FULFILMENT_STATES}, "due": sum(counts.values())}
        for party, counts in totals.items()
        if sum(counts.values())
    ]
    return sorted(rows, key=lambda row: (-row["due"], row["party"]))
