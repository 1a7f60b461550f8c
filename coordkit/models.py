"""The store's tables as they are now (SQLModel), for reading the schema in one place.

Nothing writes through these classes: services run plain SQL on the store's
own connection (``coordkit.storage.sql``), and schema changes are frozen
migrations (``coordkit.storage.migrations``). tests/test_migrations.py keeps
these declarations equal to what the migrations make. Dates are ``date``
columns; readers normalise them to ISO text.
"""

import datetime as dt

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from coordkit.vocab import LETTERS

# An open window compared as its widest (migration m003_unique_guards makes these indexes)
OPEN_FROM, OPEN_TO = text("coalesce(valid_from, '0001-01-01')"), text("coalesce(valid_to, '9999-12-31')")
MANUAL = text("source = 'manual'")


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
    address: str | None = None
    legal_representative: str | None = None
    registration_number: str | None = None


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
    name_zh: str | None = None


class RoleHolder(SQLModel, table=True):
    __tablename__ = "role_holder"
    __table_args__ = (Index("ux_role_holder", "role_id", "stakeholder_id", OPEN_FROM, OPEN_TO, unique=True),)
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
    exclusive: bool = False  # one R at a time (the keys of the square); m006


class DutyAlias(SQLModel, table=True):
    """The key of a duty merged into another (``coord duty merge``): it still resolves, to ``duty_id``."""

    __tablename__ = "duty_alias"
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=64)
    duty_id: int = Field(foreign_key="duty.id", index=True)
    title: str
    title_zh: str | None = None
    merged_at: str = Field(max_length=32)


class Resource(SQLModel, table=True):
    """A shared resource registered once: the square (capacity 1), rooms, volunteers, or funds with a budget."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    name: str
    name_zh: str | None = None
    capacity: int
    owner_id: int | None = Field(default=None, foreign_key="stakeholder.id")
    budget: str | None = None  # a decimal, kept as written
    unit: str | None = None


class DutyResource(SQLModel, table=True):
    """A duty's use of a registered resource, and when (a slot, ``coordkit.slots``)."""

    __tablename__ = "duty_resource"
    id: int | None = Field(default=None, primary_key=True)
    duty_id: int = Field(foreign_key="duty.id", index=True)
    resource_id: int = Field(foreign_key="resource.id", index=True)
    slot: str
    units: int
    position: int


class Assignment(SQLModel, table=True):
    """A RACI letter linking a duty to a stakeholder or to a role, for a window (a manual one at most once)."""

    __table_args__ = (
        CheckConstraint(f"letter IN ({', '.join(repr(x) for x in LETTERS)})", name="ck_assignment_letter"),
        CheckConstraint("(stakeholder_id IS NULL) <> (role_id IS NULL)", name="ck_assignment_one_party"),
        Index("ix_assignment_stakeholder", "stakeholder_id"),
        Index(
            "ux_assignment_manual",
            "duty_id",
            text("coalesce(stakeholder_id, 0)"),
            text("coalesce(role_id, 0)"),
            "letter",
            OPEN_FROM,
            OPEN_TO,
            unique=True,
            sqlite_where=MANUAL,
            postgresql_where=MANUAL,
        ),
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
    action_id: int | None = Field(default=None, foreign_key="meeting_action.id")  # source 'meeting'


class Event(SQLModel, table=True):
    """One entry of the audit log, chained to the one before by its hash."""

    __table_args__ = (Index("ix_event_key", "key"), Index("ux_event_prev_hash", "prev_hash", unique=True))
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


class Agreement(SQLModel, table=True):
    """An activity agreement; its terms live in numbered versions."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: str = Field(default="activity", max_length=32)
    created_at: str = Field(max_length=32)


class AgreementVersion(SQLModel, table=True):
    """One version of an agreement's terms. Frozen (``terms_hash`` set) at its first signature."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    number: int
    title: str
    title_zh: str | None = None
    status: str = Field(default="draft", max_length=16)
    effective: dt.date | None = None
    expires: dt.date | None = None
    review_every: str | None = Field(default=None, max_length=16)
    languages: str = Field(default="en", max_length=32)
    terms_hash: str | None = Field(default=None, max_length=64)
    frozen_at: str | None = None
    terminated_on: dt.date | None = None
    termination_reason: str | None = None
    canonical_form: int | None = None  # the canonical form its hash was made with (None: form 1)
    envelope_hash: str | None = None  # seals the terms hash, status and signatures (coordkit.proof.envelope)
    notice: str | None = None
    renewal: str | None = None
    notes: str | None = None  # the drafters' notes (an amendment's reasons, a review's lessons): not terms, not hashed


class AgreementParty(SQLModel, table=True):
    __tablename__ = "agreement_party"
    __table_args__ = (Index("ux_agreement_party", "version_id", "stakeholder_id", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    label: str
    position: int = 0
    # the party's particulars as they stood when the version circulated (frozen with the terms)
    name: str | None = None
    name_zh: str | None = None
    address: str | None = None
    legal_representative: str | None = None
    registration_number: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    key_fingerprint: str | None = None


class AgreementTerm(SQLModel, table=True):
    """A text item: a goal, method, right (of one party), dispute or communication arrangement."""

    __tablename__ = "agreement_term"
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    section: str = Field(max_length=16)
    stakeholder_id: int | None = Field(default=None, foreign_key="stakeholder.id")
    text: str
    position: int = 0
    text_zh: str | None = None


class AgreementObligation(SQLModel, table=True):
    __tablename__ = "agreement_obligation"
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id")
    text: str
    duty_id: int | None = Field(default=None, foreign_key="duty.id", index=True)
    letter: str | None = Field(default=None, max_length=1)
    due_on: dt.date | None = None
    position: int = 0
    text_zh: str | None = None
    every: str | None = None
    target_amount: str | None = None
    target_unit: str | None = None
    each_min: str | None = None
    each_unit: str | None = None


class AgreementResource(SQLModel, table=True):
    __tablename__ = "agreement_resource"
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id")
    kind: str
    amount: str | None = None  # a decimal, kept as written so the canonical form is exact
    unit: str | None = None
    position: int = 0
    description: str | None = None
    description_zh: str | None = None
    resource_key: str | None = None
    slot: str | None = None


class Signature(SQLModel, table=True):
    """One party's signature on one version, over that version's terms hash."""

    __table_args__ = (UniqueConstraint("version_id", "stakeholder_id"),)
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id")
    signatory: str
    title: str | None = None
    signed_on: dt.date
    method: str = Field(max_length=16)
    terms_hash: str = Field(max_length=64)
    scan_sha256: str | None = Field(default=None, max_length=64)
    scan_name: str | None = None
    key_fingerprint: str | None = Field(default=None, max_length=64)
    key_signature: str | None = None
    recorded_at: str = Field(max_length=32)


class PartyKey(SQLModel, table=True):
    """A party's Ed25519 public key; the private half stays with the party."""

    __tablename__ = "party_key"
    id: int | None = Field(default=None, primary_key=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    public_key: str  # base64 of the 32 raw bytes
    fingerprint: str = Field(unique=True, max_length=64)
    created_at: str = Field(max_length=32)
    revoked_at: str | None = None
    replaced_by: str | None = None


class ProjectCategory(SQLModel, table=True):
    """A duty category of a project with its names (duties name categories by key: ``markets``)."""

    __tablename__ = "project_category"
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=64)
    name: str | None = None
    name_zh: str | None = None


class Meeting(SQLModel, table=True):
    """A joint meeting (联席会议); its minutes freeze (``minutes_hash``) when the chair signs them off."""

    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=64)
    held_on: dt.date
    place: str | None = None
    title: str | None = None
    chair_id: int = Field(foreign_key="stakeholder.id")
    chair_person: str | None = None
    signed_off_by: str | None = None
    signed_off_on: dt.date | None = None
    minutes_hash: str | None = Field(default=None, max_length=64)
    minutes_form: int | None = None
    recorded_at: str = Field(max_length=32)


class MeetingAttendee(SQLModel, table=True):
    """A party at a meeting (``present``) or expected and absent."""

    __tablename__ = "meeting_attendee"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    person: str | None = None
    present: bool
    position: int


class MeetingItem(SQLModel, table=True):
    """An agenda item or a decision of a meeting."""

    __tablename__ = "meeting_item"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    section: str = Field(max_length=16)
    text: str
    position: int


class MeetingAction(SQLModel, table=True):
    """An action item: owner and deadline (责任人与时间节点); done is follow-up, outside the signed minutes."""

    __tablename__ = "meeting_action"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    number: int
    text: str
    owner_id: int = Field(foreign_key="stakeholder.id", index=True)
    due_on: dt.date
    duty_id: int | None = Field(default=None, foreign_key="duty.id", index=True)
    letter: str | None = Field(default=None, max_length=1)
    done_on: dt.date | None = None
    note: str | None = None


class Fulfilment(SQLModel, table=True):
    """What was reported on one occurrence of an obligation: met, partly, missed or waived, with the actual
    figure and the evidence files (JSON list of name and SHA-256). The newest record of an occurrence counts."""

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    obligation: int
    occurrence: dt.date
    status: str = Field(max_length=16)
    on_date: dt.date
    actual: str | None = None
    note: str | None = None
    evidence: str | None = None
    recorded_at: str = Field(max_length=32)


class Interaction(SQLModel, table=True):
    """A contact with a party between meetings: a call, a visit, a message."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    happened_on: dt.date
    channel: str = Field(max_length=16)
    summary: str
    by_person: str | None = None
    recorded_at: str = Field(max_length=32)


class StakeholderScore(SQLModel, table=True):
    """One rating of a party's influence and interest (1-5): who gave it, on what day, and why."""

    __tablename__ = "stakeholder_score"
    id: int | None = Field(default=None, primary_key=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", index=True)
    scored_on: dt.date
    influence: int
    interest: int
    scored_by: str
    note: str | None = None
    recorded_at: str = Field(max_length=32)


class Concern(SQLModel, table=True):
    """A concern between parties; its state is what its steps make, kept here for fast lists."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    project_id: int = Field(foreign_key="project.id", index=True)
    raised_by_id: int = Field(foreign_key="stakeholder.id")
    against_id: int = Field(foreign_key="stakeholder.id")
    about: str
    severity: str = Field(max_length=8)
    text: str
    opened_at: str = Field(max_length=32)
    status: str = Field(max_length=16)
    holder_id: int = Field(foreign_key="stakeholder.id")
    level: int
    clock_from: str = Field(max_length=32)
    acknowledged_at: str | None = Field(default=None, max_length=32)
    responded_at: str | None = Field(default=None, max_length=32)
    resolved_at: str | None = Field(default=None, max_length=32)
    outcome: str | None = None
    satisfaction: int | None = None


class ConcernStep(SQLModel, table=True):
    """One step of a concern: ack, respond, escalate (to whom, rung, cause), resolve, reopen."""

    __tablename__ = "concern_step"
    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    position: int
    step: str = Field(max_length=16)
    at: str = Field(max_length=32)
    by_person: str | None = None
    to_id: int | None = Field(default=None, foreign_key="stakeholder.id")
    rung: str | None = Field(default=None, max_length=16)
    cause: str | None = Field(default=None, max_length=32)
    text: str | None = None
    satisfaction: int | None = None


class Review(SQLModel, table=True):
    """A partnership review of a signed agreement (``R-0001``): opened, rated by the parties, closed with lessons."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    opened_on: dt.date
    closed_on: dt.date | None = None
    lessons: str | None = None
    recorded_at: str = Field(max_length=32)


class ReviewRating(SQLModel, table=True):
    """One party's score (1–5) for one area of the partnership in one review; a new rating replaces it."""

    __tablename__ = "review_rating"
    __table_args__ = (UniqueConstraint("review_id", "stakeholder_id", "area"),)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id")
    area: str = Field(max_length=24)
    score: int
    comment: str | None = None


class ReviewVerdict(SQLModel, table=True):
    """The coordinator's verdict on one obligation in one review: met, partly or not-met."""

    __tablename__ = "review_verdict"
    __table_args__ = (UniqueConstraint("review_id", "obligation"),)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    obligation: int
    verdict: str = Field(max_length=16)
