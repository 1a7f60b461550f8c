"""The evaluation report's figures, read from the store for one project and period (中期/末期评估, funders).

Every figure here is computed from what the store holds, so the report can be checked against it: the
audit chain's head hash is printed with them.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.storage.sql import Conn

PERIOD_RE = re.compile(r"^(\d{4})(?:Q([1-4])|H([12]))?$")


def period_dates(period: str | None, start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """``2024Q3`` → 2024-07-01 … 2024-09-30; ``2024H1`` a half year; ``2024`` the year; else --from/--to."""
    from coordkit.dates import iso, parse_date

    if period:
        if start or end:
            raise InvalidInput(_("give --period or --from/--to, not both"))
        found = PERIOD_RE.match(period.strip().upper())
        if not found:
            raise InvalidInput(
                _("--period '{period}' is not a year, a quarter or a half: 2024, 2024Q3, 2024H1").format(period=period)
            )
        year = int(found.group(1))
        if found.group(2):
            first_month, months = 3 * int(found.group(2)) - 2, 3
        elif found.group(3):
            first_month, months = 6 * int(found.group(3)) - 5, 6
        else:
            first_month, months = 1, 12
        first = dt.date(year, first_month, 1)
        after = dt.date(year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1)
        return first.isoformat(), (after - dt.timedelta(days=1)).isoformat()
    return iso(parse_date(start, "--from")), iso(parse_date(end, "--to"))


def _within(day: str | None, start: str | None, end: str | None) -> bool:
    return bool(day) and (start or "") <= str(day)[:10] <= (end or "9999-12-31")


def project_parties(conn: Conn, project: str) -> set[str]:
    """The parties that hold a letter or a role in a project, or lead it."""
    from coordkit.storage.lookup import lookup_id
    from coordkit.storage.sql import column

    pid = lookup_id(conn, "project", project, "project")
    return {
        str(key)
        for key in column(
            conn,
            "SELECT s.key FROM stakeholder s WHERE s.id IN (SELECT a.stakeholder_id FROM assignment a "
            "JOIN duty d ON d.id = a.duty_id WHERE d.project_id = :p) OR s.id IN (SELECT h.stakeholder_id "
            "FROM role_holder h JOIN role r ON r.id = h.role_id WHERE r.project_id = :p) "
            "OR s.id = (SELECT lead_id FROM project WHERE id = :p)",
            {"p": pid},
        )
    }


def build_report(
    conn: Conn, *, root: Path, project: str, start: str | None, end: str | None, lang: str = "en"
) -> dict[str, Any]:
    """The report's sections as data: parties and their quadrant, the matrix and its findings on the last day,
    agreements, meetings and actions, concerns, and the head of the audit chain."""
    from coordkit.dates import iso, today
    from coordkit.render.grid import grid_points, grid_rows
    from coordkit.services.agreements.reading import list_agreements
    from coordkit.services.checking import matrix
    from coordkit.services.concerns import read_concerns
    from coordkit.services.meetings import list_meetings
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.storage.lookup import get_meta, lookup_id
    from coordkit.storage.sql import scalar

    pid = lookup_id(conn, "project", project, "project")
    ends = iso(scalar(conn, "SELECT ends_on FROM project WHERE id = :p", {"p": pid}))
    on = end or min(today().isoformat(), ends or "9999-12-31")  # an ended project: as it stood on its last day
    taking = project_parties(conn, project)
    parties = [p for p in list_stakeholders(conn) if p["key"] in taking]
    points, unrated = grid_points(parties)
    chart = matrix(conn, root=root, project=project, on=on)
    rules = Counter(rule for row in chart["rows"] for rule in row["findings"])
    agreements = list_agreements(conn, project=project, on=on)
    meetings = [m for m in list_meetings(conn, project=project) if _within(m["date"], start, end)]
    concerns = read_concerns(conn, project_id=pid)
    opened = [c for c in concerns if _within(c["opened"], start, end)]
    resolved = [c for c in concerns if _within(c["resolved"], start, end)]
    days = [
        (dt.date.fromisoformat(str(c["resolved"])[:10]) - dt.date.fromisoformat(str(c["opened"])[:10])).days
        for c in resolved
    ]
    rated = [c["satisfaction"] for c in resolved if c["satisfaction"] is not None]
    return {
        "project": project,
        "from": start,
        "to": end,
        "on": on,
        "parties": grid_rows(points, lang=lang),
        "unrated": unrated,
        "matrix": {
            "duties": len(chart["rows"]),
            "parties": len(chart["columns"]),
            "duties_with_findings": sum(1 for row in chart["rows"] if row["findings"]),
            "findings": dict(sorted(rules.items())),
        },
        "agreements": [
            {k: a[k] for k in ("key", "version", "title", "status", "parties", "signatures", "fingerprint")}
            for a in agreements
        ],
        "meetings": {
            "held": len(meetings),
            "signed_off": sum(1 for m in meetings if m["signed_off"]),
            "actions": sum(m["actions"] for m in meetings),
            "open_actions": sum(m["open_actions"] for m in meetings),
            "list": [
                {k: m[k] for k in ("key", "date", "attendees", "decisions", "actions", "open_actions")}
                for m in meetings
            ],
        },
        "concerns": {
            "opened": len(opened),
            "resolved": len(resolved),
            "open": sum(1 for c in concerns if c["resolved"] is None),
            "median_days_to_resolve": statistics.median(days) if days else None,
            "mean_satisfaction": round(statistics.mean(rated), 1) if rated else None,
        },
        "audit_head": get_meta(conn, "event_head") or "",
    }
