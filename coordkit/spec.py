"""The YAML schema of agreements (and, later, whole workspaces), as pydantic models.

Unknown fields are errors (``extra="forbid"``); error messages name the file,
line, column and field path, with "did you mean" for a misspelled field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from coordkit.domain.values import shown
from coordkit.errors import InvalidInput, did_you_mean
from coordkit.i18n import N_, _
from coordkit.vocab import (
    CLAUSE_KINDS,
    CONCERN_STEPS,
    ESCALATION_CAUSES,
    INTERACTION_CHANNELS,
    LANGUAGES,
    LEGACY_METHODS,
    LETTERS,
    RENEWALS,
    SEVERITIES,
    SIGNATURE_METHODS,
)
from coordkit.yamlio import Located

WORKSPACE_STATUSES = ("draft", "circulating", "signed", "terminated")  # superseded versions are history


def _one_of(values: tuple[str, ...]) -> Any:
    """A text the schema lists the choices of (for editors); ``coordkit.domain`` checks it, so that a
    file and the command line are refused with the same words."""
    return WithJsonSchema({"type": "string", "enum": list(values)})


Letter: TypeAlias = Annotated[str, _one_of(LETTERS)]
Language: TypeAlias = Annotated[str, _one_of(LANGUAGES)]
Method: TypeAlias = Annotated[str, _one_of((*SIGNATURE_METHODS, *LEGACY_METHODS))]
Renewal: TypeAlias = Annotated[str, _one_of(RENEWALS)]
ClauseKind: TypeAlias = Annotated[str, _one_of(CLAUSE_KINDS)]
WorkspaceStatus: TypeAlias = Annotated[str, _one_of(WORKSPACE_STATUSES)]
Level: TypeAlias = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SignerSpec(Strict):
    name: str
    title: str | None = None


class AsSignedSpec(Strict):
    """A party as it was when the terms froze, written by ``export`` only where the register now says otherwise
    (a party renamed or moved since, or signing with a new key): the terms hash covers these, not today's."""

    name: str | None = None
    name_zh: str | None = None
    address: str | None = None
    legal_representative: str | None = None
    registration_number: str | None = None
    signer: SignerSpec | None = None
    key: str | None = None  # the fingerprint of the key frozen with the terms


class PartySpec(Strict):
    stakeholder: str
    label: str | None = None
    as_signed: AsSignedSpec | None = None


class TextSpec(Strict):
    """A text in both languages; a plain string in a file is its English with no Chinese yet."""

    text: str
    text_zh: str | None = None


Texts: TypeAlias = list[str | TextSpec]


class ClauseSpec(Strict):
    section: ClauseKind
    text: str
    text_zh: str | None = None


class RightSpec(Strict):
    party: str
    text: str
    text_zh: str | None = None


class TargetSpec(Strict):
    """7 sessions, each with at least 200 people."""

    amount: Decimal
    unit: str
    each_min: Decimal | None = None
    each_unit: str | None = None


class ObligationSpec(Strict):
    party: str
    text: str
    text_zh: str | None = None
    duty: str | None = None
    letter: Letter | None = Field(default=None, alias="as")
    due: dt.date | None = None
    every: str | list[dt.date] | None = None
    target: TargetSpec | None = None


class ResourceSpec(Strict):
    party: str
    kind: str
    description: str | None = None
    description_zh: str | None = None
    amount: Decimal | None = None
    unit: str | None = None
    resource: str | None = None
    when: str | None = None

    @field_validator("amount")
    @classmethod
    def _finite(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and not value.is_finite():
            raise ValueError(_("must be a number"))
        return value


class SignatureSpec(Strict):
    party: str
    signatory: str
    title: str | None = None
    date: dt.date
    method: Method = "signature"
    key: str | None = None  # an electronic signature: the fingerprint of the key it was made with
    key_signature: str | None = None  # and the Ed25519 signature of the terms hash (base64)
    scan: str | None = None  # the scan of the signed paper, as kept under scans/ (its SHA-256 and extension)


class EvidenceSpec(Strict):
    name: str  # as kept under evidence/: its SHA-256 and extension
    sha256: str
    file: str | None = None  # the file's name when it was recorded


class FulfilmentSpec(Strict):
    """A report on one occurrence of an obligation (``coord obligation done`` …): recorded, never changed."""

    obligation: int = Field(ge=1)
    occurrence: dt.date
    status: Literal["met", "partly", "missed", "waived"]
    date: dt.date  # the day it happened (``--on``; not ``on:``, which YAML 1.1 reads as true)
    actual: Decimal | None = None
    note: str | None = None
    evidence: list[EvidenceSpec] = Field(default_factory=list)


class RatingSpec(Strict):
    party: str
    area: Literal["communication", "decision-making", "resources", "fulfilment", "trust"]
    score: Annotated[int, Field(ge=1, le=5)]
    comment: str | None = None


class VerdictSpec(Strict):
    obligation: Annotated[int, Field(ge=1)]
    verdict: Literal["met", "partly", "not-met"]


class ReviewSpec(Strict):
    """A partnership review (``coord review``): the parties' ratings, a verdict per obligation, the lessons."""

    key: str
    opened: dt.date
    closed: dt.date | None = None
    lessons: str | None = None
    ratings: list[RatingSpec] = Field(default_factory=list)
    verdicts: list[VerdictSpec] = Field(default_factory=list)


class AgreementSpec(Strict):
    key: str | None = None
    project: str | None = None
    title: str
    title_zh: str | None = None
    kind: str = "activity"
    effective: dt.date | None = None
    expires: dt.date | None = None
    notice: str | None = None
    renewal: Renewal = "none"
    review_every: str | None = None
    languages: list[Language] = ["en"]  # pydantic copies mutable defaults
    notes: str | None = None  # the drafters' notes: not terms (never hashed, never on the paper)
    parties: list[PartySpec] = Field(default_factory=list)
    goals: Texts = Field(default_factory=list)
    methods: Texts = Field(default_factory=list)
    dispute_resolution: Texts = Field(default_factory=list)
    communication: Texts = Field(default_factory=list)
    clauses: list[ClauseSpec] = Field(default_factory=list)
    rights: list[RightSpec] = Field(default_factory=list)
    obligations: list[ObligationSpec] = Field(default_factory=list)
    resources: list[ResourceSpec] = Field(default_factory=list)
    status: WorkspaceStatus | None = None
    version: int | None = Field(default=None, ge=1)  # the version an export holds, when not the first
    fingerprint: str | None = None  # a frozen version's terms hash: apply re-freezes and must get the same
    form: int | None = None  # the canonical form it froze in, when older than this coord's
    signatures: list[SignatureSpec] = Field(default_factory=list)
    fulfilment: list[FulfilmentSpec] = Field(default_factory=list)  # reports after signing, oldest first
    reviews: list[ReviewSpec] = Field(default_factory=list)  # partnership reviews of the signed version
    terminated_on: dt.date | None = None
    termination_reason: str | None = None


class ContactSpec(Strict):
    channel: str
    value: str


class RepresentativeSpec(Strict):
    name: str
    title: str | None = None


class StakeholderSpec(Strict):
    key: str
    name: str
    name_zh: str | None = None
    kind: str
    influence: Level | None = None
    interest: Level | None = None
    interests: str | None = None
    active: bool = True
    address: str | None = None
    legal_representative: str | None = None
    registration_number: str | None = None
    contacts: list[ContactSpec] = Field(default_factory=list)
    representatives: list[RepresentativeSpec] = Field(default_factory=list)
    keys: list[str] = Field(default_factory=list)  # public keys registered for electronic signing, oldest first


class CategorySpec(Strict):
    """A duty category of the project with its names (duties say ``category: markets``)."""

    key: str
    name: str | None = None
    name_zh: str | None = None


class ProjectSpec(Strict):
    key: str
    name: str
    name_zh: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    lead: str | None = None
    categories: list[CategorySpec] = Field(default_factory=list)


class HolderSpec(Strict):
    stakeholder: str
    valid_from: dt.date | None = Field(default=None, alias="from")
    valid_to: dt.date | None = Field(default=None, alias="to")


class RoleSpec(Strict):
    project: str
    key: str
    name: str
    name_zh: str | None = None
    description: str | None = None
    holders: list[HolderSpec] = Field(default_factory=list)


class AssignmentSpec(Strict):
    letter: Letter = Field(alias="as")
    stakeholder: str | None = None
    role: str | None = None
    valid_from: dt.date | None = Field(default=None, alias="from")
    valid_to: dt.date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _one_party(self) -> AssignmentSpec:
        if (self.stakeholder is None) == (self.role is None):
            raise ValueError(_("name exactly one of stakeholder and role"))
        return self


class UseSpec(Strict):
    """A duty's booking of a registered resource: which, when (a slot), how much of its capacity."""

    resource: str
    when: str
    units: int = Field(default=1, ge=1)


class SharedResourceSpec(Strict):
    """A shared resource registered once: the square (capacity 1), rooms, volunteers, a fund with a budget."""

    key: str
    name: str
    name_zh: str | None = None
    capacity: int = Field(default=1, ge=1)
    owner: str | None = None
    budget: Decimal | None = None
    unit: str | None = None


class AliasSpec(Strict):
    """The old key of a duty merged into this one (``coord duty merge``), with its titles then; never removed."""

    key: str
    title: str
    title_zh: str | None = None
    merged: str  # when, UTC (ISO 8601)


class DutySpec(Strict):
    project: str
    key: str
    title: str
    title_zh: str | None = None
    category: str | None = None
    due: dt.date | None = None
    exclusive: bool = False  # one R at a time (multiple-responsible)
    assignments: list[AssignmentSpec] = Field(default_factory=list)
    uses: list[UseSpec] = Field(default_factory=list)
    aliases: list[AliasSpec] = Field(default_factory=list)


def _key_text(value: Any) -> Any:
    """``key: 2024-03-04`` is read by YAML as a date; a meeting's key is that date as text."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _moment_text(value: Any) -> Any:
    """A time (``2024-03-11T09:00:00+08:00``, or a date alone: noon local time) as the store keeps it, UTC."""
    from coordkit.domain.concerns import moment
    from coordkit.errors import CoordError

    if value is None:
        return value
    try:
        return moment(value if isinstance(value, dt.date) else str(value), "time")
    except CoordError as error:
        raise ValueError(str(error)) from None


MeetingKey: TypeAlias = Annotated[str, BeforeValidator(_key_text)]
Moment: TypeAlias = Annotated[
    str,
    BeforeValidator(_moment_text),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}),
]
Severity: TypeAlias = Annotated[str, _one_of(SEVERITIES)]
Channel: TypeAlias = Annotated[str, _one_of(INTERACTION_CHANNELS)]
StepKind: TypeAlias = Annotated[str, _one_of(CONCERN_STEPS[1:])]
Cause: TypeAlias = Annotated[str, _one_of(ESCALATION_CAUSES)]
Rung: TypeAlias = Annotated[str, _one_of(("responsible", "accountable", "lead", "named"))]


class AttendeeSpec(Strict):
    party: str
    person: str | None = None


class ActionSpec(Strict):
    """An action item: what, who, by when; ``duty`` and ``as`` give the owner that letter until ``due``."""

    text: str
    owner: str
    due: dt.date
    duty: str | None = None
    letter: Letter | None = Field(default=None, alias="as")
    done: dt.date | None = None
    note: str | None = None


class SignOffSpec(Strict):
    by: str
    date: dt.date


class MeetingSpec(Strict):
    """A joint meeting's minutes (会议纪要); ``signed_off`` freezes them."""

    project: str | None = None
    key: MeetingKey | None = None  # default: the date
    date: dt.date
    place: str | None = None
    title: str | None = None
    chair: AttendeeSpec
    attendees: list[AttendeeSpec] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    agenda: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)
    actions: list[ActionSpec] = Field(default_factory=list)
    signed_off: SignOffSpec | None = None


class InteractionSpec(Strict):
    """A contact with a party between meetings."""

    key: str
    party: str
    project: str | None = None
    date: dt.date
    channel: Channel
    summary: str
    by: str | None = None


class StepSpec(Strict):
    """One step of a concern: ``text`` is the response, the reason (escalate, reopen) or the outcome (resolve)."""

    step: StepKind
    at: Moment
    by: str | None = None
    to: str | None = None
    rung: Rung | None = None
    cause: Cause | None = None
    text: str | None = None
    satisfaction: Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5})] | None = None


class ConcernSpec(Strict):
    """A concern between parties and its history, step by step."""

    key: str
    project: str | None = None
    by: str
    against: str
    about: str
    severity: Severity = "medium"
    text: str
    opened: Moment
    steps: list[StepSpec] = Field(default_factory=list)


class WorkspaceSpec(Strict):
    """One file of a workspace described as code (several files merge into one workspace)."""

    version: Literal[1] = 1
    projects: list[ProjectSpec] = Field(default_factory=list)
    stakeholders: list[StakeholderSpec] = Field(default_factory=list)
    resources: list[SharedResourceSpec] = Field(default_factory=list)
    roles: list[RoleSpec] = Field(default_factory=list)
    duties: list[DutySpec] = Field(default_factory=list)
    agreements: list[AgreementSpec] = Field(default_factory=list)
    meetings: list[MeetingSpec] = Field(default_factory=list)
    interactions: list[InteractionSpec] = Field(default_factory=list)
    concerns: list[ConcernSpec] = Field(default_factory=list)


class KindClauseSpec(Strict):
    section: str
    text: str
    text_zh: str | None = None


class KindSpec(Strict):
    name: str
    name_zh: str
    clauses: list[KindClauseSpec] = Field(default_factory=list)


class KindsSpec(Strict):
    """A workspace's own kinds of agreement (``templates/kinds.yaml``), added to the built-in ones."""

    kinds: dict[str, KindSpec] = Field(default_factory=dict)


def unknown_field(model: type[BaseModel], located: Located, path: tuple[str | int, ...], name: str) -> str:
    """``file:line:col: path: unknown field; did you mean …`` for a field that is not in ``model``."""
    allowed = [f.alias or n for n, f in model.model_fields.items()]
    hint = did_you_mean(name, allowed, otherwise=_("allowed"))
    dotted = ".".join(str(p) for p in (*path, name))
    return _("{where}: {field}: unknown field").format(where=located.where((*path, name)), field=dotted) + hint


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed at ``loc`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            break
        annotation = field.annotation
        for candidate in getattr(annotation, "__args__", ()) or (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
    names = []
    for name, field in getattr(current, "model_fields", {}).items():
        names.append(field.alias or name)
    return names


def validate(model: type[Strict], located: Located, base: tuple[str | int, ...] = ()) -> Any:
    """Validate ``located.data`` (or the part at ``base``) against ``model``; one error per line."""
    data = located.data
    for part in base:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput("\n".join(_describe(model, located, base, e) for e in error.errors()[:10])) from None


def _describe(model: type[BaseModel], located: Located, base: tuple[str | int, ...], e: Any) -> str:
    loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function"))))
    path = (*base, *loc)
    dotted = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[") or "(top)"
    if e["type"] == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed, otherwise=_("allowed"))
        return _("{where}: {field}: unknown field").format(where=located.where(path), field=dotted) + hint
    if e["type"] == "missing":
        return _("{where}: {field}: required field is missing").format(where=located.where(path[:-1]), field=dotted)
    return _("{where}: {field}: {message}").format(where=located.where(path), field=dotted, message=_problem(e))


# Pydantic's words for the mistakes a hand-written file makes most, in the reader's language; the rest keep
# pydantic's English (its messages are not translated). A ValueError raised by a validator here is already
# translated (it is raised with _() while the file is read).
_PROBLEMS: dict[str, str] = {
    "literal_error": N_("must be one of: {expected}"),
    "enum": N_("must be one of: {expected}"),
    "date_parsing": N_("'{input}' is not a date; write a day such as 2024-06-15"),
    "date_from_datetime_parsing": N_("'{input}' is not a date; write a day such as 2024-06-15"),
    "date_from_datetime_inexact": N_("'{input}' is not a date; write a day such as 2024-06-15"),
    "date_type": N_("'{input}' is not a date; write a day such as 2024-06-15"),
    "datetime_parsing": N_("'{input}' is not a moment; write one such as 2024-06-15 14:30"),
    "datetime_from_date_parsing": N_("'{input}' is not a moment; write one such as 2024-06-15 14:30"),
    "datetime_type": N_("'{input}' is not a moment; write one such as 2024-06-15 14:30"),
    "int_parsing": N_("'{input}' is not a whole number"),
    "int_type": N_("'{input}' is not a whole number"),
    "int_from_float": N_("'{input}' is not a whole number"),
    "decimal_parsing": N_("'{input}' is not a number"),
    "decimal_type": N_("'{input}' is not a number"),
    "float_parsing": N_("'{input}' is not a number"),
    "float_type": N_("'{input}' is not a number"),
    "bool_parsing": N_("'{input}' is not true or false"),
    "bool_type": N_("'{input}' is not true or false"),
    "string_type": N_("must be text (put it in quotes)"),
    "list_type": N_("must be a list (lines starting with '- ')"),
    "dict_type": N_("must be a mapping (lines of 'field: value')"),
    "model_type": N_("must be a mapping (lines of 'field: value')"),
    "model_attributes_type": N_("must be a mapping (lines of 'field: value')"),
}


def _problem(e: Any) -> str:
    """What is wrong with one value, from one of pydantic's errors (``e["type"]``, its context and input)."""
    message = _PROBLEMS.get(e["type"])
    if message is None:
        return str(e["msg"]).removeprefix("Value error, ")
    expected = str(e.get("ctx", {}).get("expected", "")).replace(" or ", ", ")  # "'R', 'A', 'C' or 'I'"
    return _(message).format(expected=expected, input=shown(str(e.get("input", ""))))


def workspace_schema() -> str:
    """The JSON Schema of a workspace file (published as agreements/coord-workspace.schema.json)."""
    import json

    schema = WorkspaceSpec.model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "coord workspace", **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


MODELS: dict[str, type[Strict]] = {
    "projects": ProjectSpec,
    "stakeholders": StakeholderSpec,
    "resources": SharedResourceSpec,
    "roles": RoleSpec,
    "duties": DutySpec,
    "agreements": AgreementSpec,
    "meetings": MeetingSpec,
    "interactions": InteractionSpec,
    "concerns": ConcernSpec,
}
