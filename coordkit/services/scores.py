"""A party's influence and interest over time: each rating with who gave it, when and why.

The stakeholder row keeps the current rating (the register, the grid and the checks read it there); the
history says how it got there, so the map can draw movement since a date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.sql import Conn, insert, tuples


def score_stakeholder(
    conn: Conn,
    *,
    key: str,
    influence: int,
    interest: int,
    note: str | None = None,
    on: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Rate a party (the same 1-5 rule as ``stakeholder edit``) and keep the rating in its history."""
    from coordkit.dates import iso, parse_date, today
    from coordkit.services.stakeholders import edit_stakeholder, get_stakeholder, stakeholder_id

    day = parse_date(on, "--on") or today()
    if day > today():
        raise InvalidInput(_("--on {day} is in the future: a score is given on a day that has come").format(day=day))
    before = get_stakeholder(conn, key)
    key = before["key"]  # a name typed in its place is recorded by the key it names
    edit_stakeholder(conn, key=key, influence=influence, interest=interest)
    record = {
        "stakeholder": key,
        "scored_on": iso(day),
        "influence": influence,
        "interest": interest,
        "scored_by": by or events.actor(),
        "note": note or None,
    }
    insert(
        conn,
        "stakeholder_score",
        {
            "stakeholder_id": stakeholder_id(conn, key),
            "scored_on": day,
            "influence": influence,
            "interest": interest,
            "scored_by": record["scored_by"],
            "note": record["note"],
            "recorded_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    events.record(
        conn,
        action="stakeholder.score",
        entity="stakeholder",
        key=key,
        before={"influence": before["influence"], "interest": before["interest"]},
        after=record,
    )
    return record


def score_history(conn: Conn, key: str) -> list[dict[str, Any]]:
    """A party's ratings, oldest first."""
    from coordkit.dates import iso
    from coordkit.services.stakeholders import stakeholder_id

    sid = stakeholder_id(conn, key)
    return [
        {"scored_on": iso(on), "influence": influence, "interest": interest, "scored_by": who, "note": note}
        for on, influence, interest, who, note in tuples(
            conn,
            "SELECT scored_on, influence, interest, scored_by, note FROM stakeholder_score "
            "WHERE stakeholder_id = :s ORDER BY scored_on, id",
            {"s": sid},
        )
    ]


def scores_on(conn: Conn, day: str) -> dict[str, tuple[int, int]]:
    """Each party's rating in force on ``day`` (its last one given on or before it), for the map's arrows."""
    found: dict[str, tuple[int, int]] = {}
    for key, influence, interest in tuples(
        conn,
        "SELECT s.key, h.influence, h.interest FROM stakeholder_score h JOIN stakeholder s ON s.id = h.stakeholder_id "
        "WHERE h.scored_on <= :d ORDER BY h.scored_on, h.id",
        {"d": day},
    ):
        found[key] = (int(influence), int(interest))
    return found
