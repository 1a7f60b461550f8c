"""The store's tables (SQLModel).

Writes go through these classes; reads that must be fast (lists, the check
snapshot, the matrix) select columns with plain SQL in ``coordkit.services``
and ``coordkit.checks.snapshot`` so that they never build one object per row.
Dates are ``date`` columns; the raw-SQL readers normalise them to ISO text.
"""

import datetime as dt

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

STAKEHOLDER_KINDS = (
    "government",
    "party-committee",
    "neighbourhood-committee",
    "social-organisation",
    "enterprise",
    "property-management",
    "university",
    "volunteer-team",
    "resident-group",
    "individual",
    "other",
)
RACI = ("R", "A", "C", "I")


class Meta(SQLModel, table=True):
    """Key/value facts about the store: schema version, current project, event head."""

    __tablename__ = "coord_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str | None = None


class Migration(SQLModel, table=True):
    __tablename__ = "coord_migration"
    name: str = Field(primary_key=True, max_length=128)
    applied_at: str


class Stakeholder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    name: str
    name_zh: str | None = None
    kind: str = Field(max_length=32)
    influence: int | None = None
    interest: int | None = None
    interests: str | None = None
    active: bool = True


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    channel: str = Field(max_length=32)
    value: str
    position: int = 0


class Representative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    name: str
    title: str | None = None
    position: int = 0


class Project(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    name: str
    name_zh: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    lead_id: int | None = Field(default=None, foreign_key="stakeholder.id")


class Role(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=64)
    name: str
    description: str | None = None


class RoleHolder(SQLModel, table=True):
    __tablename__ = "role_holder"
    id: int | None = Field(default=None, primary_key=True)
    role_id: int = Field(foreign_key="role.id", index=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class Duty(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=64)
    title: str
    title_zh: str | None = None
    category: str | None = None
    due_on: dt.date | None = None


class Assignment(SQLModel, table=True):
    """A RACI letter linking a duty to a stakeholder or to a role, for a window."""

    __table_args__ = (
        CheckConstraint("letter IN ('R', 'A', 'C', 'I')", name="ck_assignment_letter"),
        CheckConstraint("(stakeholder_id IS NULL) <> (role_id IS NULL)", name="ck_assignment_one_party"),
        Index("ix_assignment_stakeholder", "stakeholder_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    duty_id: int = Field(foreign_key="duty.id", index=True)
    stakeholder_id: int | None = Field(default=None, foreign_key="stakeholder.id")
    role_id: int | None = Field(default=None, foreign_key="role.id")
    letter: str = Field(max_length=1)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = Field(default="manual", max_length=16)
    agreement_key: str | None = None
    agreement_version: int | None = None


class Event(SQLModel, table=True):
    """One entry of the audit log, chained to the one before by its hash."""

    __table_args__ = (Index("ix_event_key", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(max_length=32)
    actor: str
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    key: str
    before: str | None = None
    after: str | None = None
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
