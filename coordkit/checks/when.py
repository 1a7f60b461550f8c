"""Which day ``coord check`` and ``coord validate`` look at when no ``--on`` is given.

Today, unless the projects checked have all ended: a project that ran from
2024-01-01 to 2024-12-31, checked in 2026, is checked on 2024-12-31, its last
day. Checked on a day after its end it would show every duty unowned and
every agreement expired, 23 errors that say nothing about how it was run.
"""

from __future__ import annotations

from collections.abc import Iterable

from coordkit.checks.snapshot import ProjectRow
from coordkit.i18n import _


def day_to_check(projects: Iterable[ProjectRow], today: str) -> tuple[str, str]:
    """The day to check and, when it is not today, the line that says why."""
    found = list(projects)
    ends = [p.end for p in found]
    if not found or any(end is None or end >= today for end in ends):
        return today, ""
    last = max(end for end in ends if end is not None)
    if len(found) == 1:
        note = _("project '{project}' ended on {day}: checked on its last day (--on DATE checks another day)").format(
            project=found[0].key, day=last
        )
    else:
        note = _("every project checked had ended by {day}: checked on that day (--on DATE checks another day)").format(
            day=last
        )
    return last, note
