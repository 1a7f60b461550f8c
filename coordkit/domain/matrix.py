"""The responsibility matrix as data: what ``coord matrix`` prints and every renderer draws."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class MatrixColumn(TypedDict):
    key: str  # a stakeholder key (or a role key with --by role)
    name: str
    name_zh: str | None  # the Chinese name (roles have none)


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


class Matrix(TypedDict):
    project: str | None
    on: str
    by: str  # "stakeholder" or "role"
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    legend: dict[str, str]
