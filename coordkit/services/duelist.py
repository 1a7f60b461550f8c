"""Every dated thing in the store as ``DueItem``s: what ``coord due`` lists and ``coord calendar`` writes.

Obligation occurrences (with their fulfilment), partnership reviews, notice
deadlines, renewals and expiries of signed agreements, missing signatures on
circulating ones (with the party's contact channels), and what meetings and
concerns make due (``services/meetings.due_items``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from coordkit.domain.fulfilment import HORIZON_DAYS, horizon, pending_reviews, term_of
from coordkit.i18n import N_, _
from coordkit.schedule import term_dates
from coordkit.storage.documents import read_documents
from coordkit.storage.sql import Conn, tuples

if TYPE_CHECKING:
    from coordkit.checks.config import CheckConfig
    from coordkit.domain.agreements import AgreementDoc
    from coordkit.due import DueItem


def _titles(message: str, fields: dict[str, str], fields_zh: dict[str, str]) -> tuple[str, str]:
    """A title in English and in Chinese (a due item carries both; the reader's language picks)."""
    from coordkit.due import catalogue

    return catalogue("en").gettext(message).format(**fields), catalogue("zh").gettext(message).format(**fields_zh)


def _contacts(conn: Conn) -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for party, channel, value in tuples(
        conn,
        "SELECT s.key, c.channel, c.value FROM contact c JOIN stakeholder s ON s.id = c.stakeholder_id "
        "ORDER BY s.key, c.position, c.id",
    ):
        found[party].append((channel, value))
    return {party: tuple(values) for party, values in found.items()}


def _term_items(doc: AgreementDoc, on: dt.date, until: dt.date, last: str | None = None) -> list[DueItem]:
    """Reviews to come, the notice deadline, renewal and expiry of a signed agreement from ``on`` to ``until``."""
    from coordkit.due import DueItem

    term = term_of(doc)
    if term is None:
        return []
    items = []
    names = {"key": doc["key"], "title": doc["title"]}
    names_zh = {"key": doc["key"], "title": doc["title_zh"] or doc["title"]}
    titles = {
        "notice": N_("Last day to give notice on {key}: {title}"),
        "renewal": N_("{key} renews: {title}"),
        "expiry": N_("{key} expires: {title}"),
    }
    for found in term_dates(term, start=on, end=until):
        title, title_zh = _titles(titles[found.kind], names, names_zh)
        items.append(
            DueItem(
                kind=found.kind,
                date=found.date,
                title=title,
                title_zh=title_zh,
                uid_seed=f"{found.kind}/{doc['key']}/{found.term_start.isoformat()}",
                detail=_("Term {start} – {end}").format(
                    start=found.term_start.isoformat(), end=found.term_end.isoformat()
                ),
                agreement=doc["key"],
                project=doc["project"],
            )
        )
    for day in pending_reviews(doc, on, until, last):
        title, title_zh = _titles(N_("Partnership review of {key}: {title}"), names, names_zh)
        items.append(
            DueItem(
                kind="review",
                date=day,
                title=title,
                title_zh=title_zh,
                uid_seed=f"review/{doc['key']}/{day.isoformat()}",
                agreement=doc["key"],
                project=doc["project"],
            )
        )
    return items


def all_due_items(conn: Conn, *, on: dt.date, config: CheckConfig, within_days: int | None = None) -> list[DueItem]:
    """Every dated thing up to a year after ``on`` (or ``within_days``, when longer), unsorted."""
    from coordkit.due import DueItem
    from coordkit.services.fulfilment import obligation_due_items
    from coordkit.services.meetings import due_items
    from coordkit.services.reviews import last_reviews

    until = on + dt.timedelta(days=max(HORIZON_DAYS, within_days or 0))
    found = tuples(
        conn,
        "SELECT v.id, a.key, v.number FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id "
        "WHERE v.status IN ('signed', 'circulating')",
    )
    vids = {(key, int(number)): int(vid) for vid, key, number in found}
    docs = read_documents(conn, version_ids=list(vids.values())) if vids else []  # one read for all three uses
    signed = [(vids[(doc["key"], doc["version"])], doc) for doc in docs if doc["status"] == "signed"]
    items = obligation_due_items(conn, on=on, until=until, signed=signed)
    contacts = _contacts(conn) if docs else {}
    last = last_reviews(conn)
    for doc in docs:
        if doc["status"] == "signed":
            items.extend(_term_items(doc, on, min(until, horizon(term_of(doc), until)), last.get(doc["key"])))
            continue
        if not doc["effective"]:
            continue
        for party in doc["unsigned"]:
            title, title_zh = _titles(
                N_("{party} to sign {key}: {title}"),
                {"party": party, "key": doc["key"], "title": doc["title"]},
                {"party": party, "key": doc["key"], "title": doc["title_zh"] or doc["title"]},
            )
            items.append(
                DueItem(
                    kind="signature",
                    date=dt.date.fromisoformat(doc["effective"]),
                    title=title,
                    title_zh=title_zh,
                    uid_seed=f"signature/{doc['key']}/{doc['version']}/{party}",
                    agreement=doc["key"],
                    party=party,
                    project=doc["project"],
                    status="open",
                    contacts=contacts.get(party, ()),
                )
            )
    items.extend(due_items(conn, on=on, config=config))
    return items
