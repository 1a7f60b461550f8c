"""A project as data, and its rules."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from coordkit.domain.values import check_slug, check_text, check_window, iso_text, optional_text
from coordkit.errors import InvalidInput
from coordkit.i18n import _


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


class Category(TypedDict):
    key: str
    name: str | None
    name_zh: str | None


def check_category(*, key: str, name: str | None = None, name_zh: str | None = None) -> Category:
    """A duty category named in one language at least (a table or document shows the key otherwise)."""
    item: Category = {
        "key": check_slug(key, "category"),
        "name": optional_text(name),
        "name_zh": optional_text(name_zh),
    }
    if item["name"] is None and item["name_zh"] is None:
        raise InvalidInput(
            _("category '{key}': give it a name, in English or Chinese").format(key=key), field=("name",)
        )
    return item
