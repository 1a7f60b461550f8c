"""Fulfilment of signed obligations: their occurrences, the records that answer them, and their state.

Pure functions over an agreement's document (``AgreementDoc``) and plain
records; ``services/fulfilment.py`` reads and writes, ``coord due`` and the
checks use the same occurrences so the three never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coordkit.domain.agreements import AgreementDoc, Obligation
from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.schedule import (
    Term,
    current_term,
    due_dates,
    parse_cadence,
    parse_recurrence,
    parse_renewal,
    review_dates,
)

VERBS = {"done": "met", "partly": "partly", "missed": "missed", "waive": "waived"}
"""The command's verb and the status it records (the Open Contracting statuses, plus waived)."""

FULFILMENT_STATUSES = ("met", "partly", "missed", "waived")
HORIZON_DAYS = 366
"""How far past the day looked at an open-ended or tacitly renewing term's occurrences are listed."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due date of one obligation (``date`` None: an obligation with no date at all)."""

    agreement: str
    number: int  # counted from 1, as coord agreement obligation list shows it
    party: str
    project: str
    text: str
    text_zh: str | None
    date: dt.date | None
    target: str | None  # "7 activities", "200 people each" as written in the terms


def term_of(doc: AgreementDoc) -> Term | None:
    """The agreement's term (None without an effective date: nothing is scheduled before it starts)."""
    if not doc["effective"]:
        return None
    return Term(
        effective=dt.date.fromisoformat(doc["effective"]),
        expires=dt.date.fromisoformat(doc["expires"]) if doc["expires"] else None,
        notice=parse_cadence(doc["notice"], what="notice") if doc["notice"] else None,
        renewal=parse_renewal(doc["renewal"]),
    )


def horizon(term: Term | None, on: dt.date) -> dt.date:
    """The last day occurrences are computed to: the term's end, or (open-ended, renewing) its current period's end
    and at least ``HORIZON_DAYS`` after ``on``."""
    far = on + dt.timedelta(days=HORIZON_DAYS)
    if term is None:
        return far
    if term.expires is not None and term.renewal == "none":
        return term.expires
    period = current_term(term, max(on, term.effective))
    end = period[1] if period is not None and period[1] is not None else far
    return max(end, far)


def target_text(obligation: Obligation) -> str | None:
    target = obligation["target"]
    if target is None:
        return None
    text = f"{target['amount']} {target['unit']}".strip()
    if target["each_min"]:
        text += " " + _("(each at least {amount} {unit})").format(
            amount=target["each_min"], unit=target["each_unit"] or ""
        ).replace(" )", ")")
    return text


def obligation_dates(doc: AgreementDoc, obligation: Obligation, *, until: dt.date) -> list[dt.date | None]:
    """The obligation's due dates up to ``until``: each occurrence of its recurrence across the term (and its tacit
    renewals), else its one due date, else ``[None]`` (one undated occurrence)."""
    due = dt.date.fromisoformat(obligation["due"]) if obligation["due"] else None
    term = term_of(doc)
    if obligation["every"] and term is not None:
        found: list[dt.date | None] = list(
            due_dates(parse_recurrence(obligation["every"]), term, until=until, first_due=due)
        )
        return found
    return [due]


def occurrences(doc: AgreementDoc, *, until: dt.date) -> list[Occurrence]:
    """Every occurrence of every obligation of ``doc`` up to ``until``, by obligation then date."""
    found = []
    for number, obligation in enumerate(doc["obligations"], 1):
        target = target_text(obligation)
        for day in obligation_dates(doc, obligation, until=until):
            found.append(
                Occurrence(
                    doc["key"],
                    number,
                    obligation["party"],
                    doc["project"],
                    obligation["text"],
                    obligation["text_zh"],
                    day,
                    target,
                )
            )
    return found


def latest(records: Iterable[Mapping[str, Any]]) -> dict[tuple[int, str | None], Mapping[str, Any]]:
    """The record in force per (obligation, occurrence): the last recorded (records come in recording order)."""
    found: dict[tuple[int, str | None], Mapping[str, Any]] = {}
    for record in records:
        found[(int(record["obligation"]), record["occurrence"])] = record
    return found


def pick_occurrence(
    dates: list[dt.date | None], settled: set[dt.date | None], given: dt.date | None, *, where: str
) -> dt.date | None:
    """The occurrence a record answers: ``given`` (it must be one of ``dates``), else the earliest not settled."""
    if given is not None:
        if given not in dates:
            shown = ", ".join(d.isoformat() for d in dates if d is not None) or _("none")
            raise InvalidInput(
                _("{where} has no occurrence on {date}; its occurrences are: {dates}").format(
                    where=where, date=given.isoformat(), dates=shown
                )
            )
        return given
    for day in dates:
        if day not in settled:
            return day
    raise InvalidInput(
        _("every occurrence of {where} is already recorded; name one with --occurrence DATE").format(where=where)
    )


def check_in_term(doc: AgreementDoc, on: dt.date, *, what: str = "--on") -> None:
    """``on`` must fall within the term in force (its start to its end, through tacit renewals)."""
    term = term_of(doc)
    if term is None:
        return
    if current_term(term, on) is None:
        raise InvalidInput(
            _("{what} {date} is outside the term of {key} ({start} – {end})").format(
                what=what,
                date=on.isoformat(),
                key=doc["key"],
                start=term.effective.isoformat(),
                end=term.expires.isoformat() if term.expires else "…",
            )
        )


def pending_reviews(doc: AgreementDoc, on: dt.date, until: dt.date, last: str | None) -> list[dt.date]:
    """The review dates still to hold on ``on``: the first one due since the last review (late or not), then every
    one to come up to ``until``. A review held moves the following ones (``schedule.review_dates``)."""
    term = term_of(doc)
    if term is None or not doc["review_every"]:
        return []
    dates = review_dates(
        term.effective,
        None if term.renewal == "tacit" else term.expires,
        doc["review_every"],
        last_review=dt.date.fromisoformat(last) if last else None,
        until=until,
    )
    return [day for index, day in enumerate(dates) if index == 0 or day >= on]
