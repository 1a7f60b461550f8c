"""The responsibility matrix as data: what ``coord matrix`` prints and every renderer draws."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class MatrixColumn(TypedDict):
    key: str  # a stakeholder key (or a role key with --by role)
    name: str
    name_zh: str | None  # the Chinese name, if it has one


class MatrixRow(TypedDict):
    project: str
    category: str | None
    category_name: NotRequired[str | None]  # the category's names (coord project category), when it has them
    category_name_zh: NotRequired[str | None]
    duty: str
    title: str
    title_zh: str | None
    cells: dict[str, str]  # column key -> "R,C*" (only non-empty cells)
    findings: list[str]  # rule names of the duty rules that fire on this row
    uses: NotRequired[list[ResourceUse]]  # the registered resources the duty uses (coord duty use), if any


class ResourceUse(TypedDict):
    resource: str  # its key
    name: str
    name_zh: str | None
    when: str  # the slot as stored: "monthly second sat 09:00-17:00"
    units: int


class Matrix(TypedDict):
    project: str | None
    on: str
    by: str  # "stakeholder" or "role"
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    legend: dict[str, str]
