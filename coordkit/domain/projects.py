"""A project as data, and its rules."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from coordkit.domain.values import check_slug, check_text, check_window, iso_text, optional_text


class Project(TypedDict):
    key: str
    name: str
    name_zh: str | None
    start: str | None
    end: str | None
    lead: str | None
    current: bool
    roles: int
    duties: int


class ProjectFields(TypedDict):
    key: str
    name: str
    name_zh: str | None
    start: str | None
    end: str | None


def check_project(
    *,
    key: str,
    name: str,
    name_zh: str | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> ProjectFields:
    """A project's own values, cleaned; its term may be open at either end but never reversed."""
    first, last = iso_text(start), iso_text(end)
    check_window(first, last, f"project '{key}'", field="end")
    return {
        "key": check_slug(key, "project"),
        "name": check_text(name, "name"),
        "name_zh": optional_text(name_zh, "name_zh"),
        "start": first,
        "end": last,
    }
