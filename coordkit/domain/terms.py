"""An agreement's term as ``coordkit.schedule`` counts it, and the partnership reviews it still owes.

Shared by the checks (which never import services) and the services that list what is due.
"""

from __future__ import annotations

import datetime as dt

from coordkit.domain.agreements import AgreementDoc
from coordkit.schedule import Term, parse_cadence, parse_renewal, review_dates


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
