"""Everything that falls due, gathered from the store as ``DueItem``s for ``coord due`` and ``coord calendar``.

Obligation occurrences of signed agreements (with what was reported on them),
the notice deadlines, renewals and expiries of their terms, the next review of
each, the signatures still missing on circulating versions (with the party's
contact channels, so the coordinator can chase them), and what meetings and
concerns make due (``services.meetings.due_items``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from coordkit.i18n import _
from coordkit.storage.sql import Conn, tuples

if TYPE_CHECKING:
    from coordkit.checks.config import CheckConfig
    from coordkit.due import DueItem

REPORTED = {"met": "met", "partly": "partly", "missed": "missed", "waived": "waived"}


def _obligations(conn: Conn, *, until: dt.date) -> list[DueItem]:
    from coordkit.due import DueItem
    from coordkit.services.obligations import occurrences

    return [
        DueItem(
            kind="obligation",
            date=o.date,
            title=o.text,
            title_zh=o.text_zh,
            uid_seed=f"obligation/{o.agreement}/{o.version}/{o.number}/{o.date.isoformat()}",
            agreement=o.agreement,
            party=o.party,
            project=o.project,
            status=REPORTED.get(o.status, "scheduled"),
            done_on=o.done_on,
            detail=_("Obligation {number} of {key} v{version}").format(
                number=o.number, key=o.agreement, version=o.version
            ),
        )
        for o in occurrences(conn, until=until)
    ]


def _terms(conn: Conn, *, on: dt.date, until: dt.date) -> list[DueItem]:
    """Notice deadlines, renewals, expiries and the next review of each signed agreement in force."""
    from coordkit.domain.terms import pending_reviews
    from coordkit.due import DueItem
    from coordkit.schedule import term_dates
    from coordkit.services.obligations import signed_docs, term_of
    from coordkit.services.reviews import last_reviews

    held = last_reviews(conn)
    items: list[DueItem] = []
    for _vid, doc in signed_docs(conn):
        if not doc["effective"]:
            continue
        term = term_of(doc)
        title, title_zh = doc["title"], doc["title_zh"]
        for found in term_dates(term, start=on, end=until):  # a notice deadline or an expiry past is history
            items.append(
                DueItem(
                    kind=found.kind,
                    date=found.date,
                    title=title,
                    title_zh=title_zh,
                    uid_seed=f"{found.kind}/{doc['key']}/{found.term_start.isoformat()}",
                    agreement=doc["key"],
                    project=doc["project"],
                    status="scheduled",
                )
            )
        for day in pending_reviews(doc, on, until, held.get(doc["key"])):
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


def _signatures(conn: Conn) -> list[DueItem]:
    """Each party that has not signed a circulating version, due on the version's effective date."""
    from coordkit.due import DueItem

    contacts: dict[str, list[tuple[str, str]]] = {}
    for key, channel, value in tuples(
        conn,
        "SELECT s.key, c.channel, c.value FROM contact c JOIN stakeholder s ON s.id = c.stakeholder_id "
        "ORDER BY s.key, c.position, c.id",
    ):
        contacts.setdefault(key, []).append((channel, value))
    items = []
    for key, number, title, title_zh, effective, project, party in tuples(
        conn,
        "SELECT a.key, v.number, v.title, v.title_zh, v.effective, p.key, s.key FROM agreement_version v "
        "JOIN agreement a ON a.id = v.agreement_id JOIN project p ON p.id = a.project_id "
        "JOIN agreement_party ap ON ap.version_id = v.id JOIN stakeholder s ON s.id = ap.stakeholder_id "
        "WHERE v.status = 'circulating' AND v.effective IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM signature g WHERE g.version_id = v.id AND g.stakeholder_id = ap.stakeholder_id)",
    ):
        items.append(
            DueItem(
                kind="signature",
                date=dt.date.fromisoformat(str(effective)[:10]),
                title=title,
                title_zh=title_zh,
                uid_seed=f"signature/{key}/{number}/{party}",
                agreement=key,
                party=party,
                project=project,
                status="open",
                contacts=tuple(contacts.get(party, [])),
                detail=_("{key} v{version} waits for the signature of '{party}'").format(
                    key=key, version=number, party=party
                ),
            )
        )
    return items


def due_scope(conn: Conn, *, party: str | None, project: str | None) -> tuple[str | None, str | None]:
    """The keys of the party and project the due list is narrowed to, each typed as a key, a name or a Chinese
    name (猎德商户); NotFound (with the closest key) for one that names nothing, rather than an empty list."""
    from coordkit.storage.lookup import resolve

    return (
        resolve(conn, "stakeholder", party)[1] if party else party,
        resolve(conn, "project", project)[1] if project else project,
    )


def due_list(
    conn: Conn,
    *,
    on: dt.date,
    until: dt.date,
    config: CheckConfig | None = None,
    party: str | None = None,
    project: str | None = None,
) -> list[DueItem]:
    """Every dated item up to ``until`` (what is pending before ``on`` is overdue; ``coordkit.due.select``
    chooses what to show). ``party`` and ``project`` are only checked to exist here, so that a key typed wrong
    is an error rather than an empty list."""
    from coordkit.services.meetings import due_items

    due_scope(conn, party=party, project=project)
    return [
        *_obligations(conn, until=until),
        *_terms(conn, on=on, until=until),
        *_signatures(conn),
        *(item for item in due_items(conn, on=on, config=config) if item.date <= until),
    ]
