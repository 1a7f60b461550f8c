"""What people call the things a list names by key: parties and projects, in the reader's language.

Lists keep keys in their data (JSON, YAML and CSV are read by scripts and by ``coord import``); a table or a
Markdown list is read by people, who know 猎德街道办事处, not ``liede-street``. One read of two small tables
(2,000 stakeholders take ~5 ms) serves every list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coordkit.storage.sql import Conn, tuples


@dataclass(frozen=True)
class Names:
    """Key → name shown to people, per kind of thing; a key not here is shown as it is."""

    parties: Mapping[str, str]
    projects: Mapping[str, str]


def _shown(rows: list[tuple[object, ...]], lang: str) -> dict[str, str]:
    """The Chinese name under zh, else the English one; a name two keys share keeps its key, so no two
    parties read the same (``Liede merchants (merchants-2)``)."""
    chosen = {str(key): str((name_zh if lang == "zh" else None) or name or key) for key, name, name_zh in rows}
    counts: dict[str, int] = {}
    for name in chosen.values():
        counts[name] = counts.get(name, 0) + 1
    return {key: name if counts[name] == 1 else f"{name} ({key})" for key, name in chosen.items()}


def names(conn: Conn, lang: str) -> Names:
    """Every party's and project's name as the reader should see it."""
    return Names(
        parties=_shown(tuples(conn, "SELECT key, name, name_zh FROM stakeholder"), lang),
        projects=_shown(tuples(conn, "SELECT key, name, name_zh FROM project"), lang),
    )
