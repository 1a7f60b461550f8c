"""An agreement as data: the typed document every module shares, its life, and its rules.

A version's life: draft → circulating → signed → superseded (by a signed
amendment) or terminated. The document below is what ``coord agreement show
--format json`` prints, what templates render, what the checks read and what
``export`` writes from; its canonical terms are hashed (``coordkit.canonical``).
When every party has signed, each obligation that names a duty becomes that
letter for that party over the version's term (``obligation_letters`` and
``assignment_window``): the store writes those rows, and ``coord validate``
derives the same ones from files, so the matrix always shows what was signed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple, TypedDict

from coordkit.dates import covers, day_before
from coordkit.domain.values import at, check_choice, check_text
from coordkit.errors import InvalidInput, Refused
from coordkit.i18n import _
from coordkit.vocab import (
    AGREEMENT_KEY_RE,
    CADENCE_RE,
    LANGUAGES,
    LEGACY_METHODS,
    PARTY_LABELS,
    RENEWALS,
    SIGNATURE_METHODS,
)


class Text(TypedDict):
    """A text of the agreement in both languages (``text_zh`` None until someone translates it)."""

    text: str
    text_zh: str | None


class Clause(TypedDict):
    section: str  # one of vocab.CLAUSE_KINDS
    text: str
    text_zh: str | None


class Right(TypedDict):
    party: str
    text: str
    text_zh: str | None


class Target(TypedDict):
    """A quantified deliverable: 7 sessions, each with at least 200 people (decimals as text)."""

    amount: str
    unit: str
    each_min: str | None
    each_unit: str | None


Obligation = TypedDict(
    "Obligation",
    {
        "party": str,
        "text": str,
        "text_zh": str | None,
        "duty": str | None,
        "as": str | None,
        "due": str | None,
        "every": str | None,  # a recurrence within the term (coordkit.schedule): 3m, or a list of dates
        "target": Target | None,
    },
)


class Resource(TypedDict):
    party: str
    kind: str
    description: str | None
    description_zh: str | None
    amount: str | None  # a venue or staff time may have none
    unit: str | None
    resource: str | None  # the key of a shared resource it uses (the square), if registered
    when: str | None  # when it is used: a slot (coordkit.slots)


class Signer(TypedDict):
    name: str
    title: str | None


class Party(TypedDict):
    """A party as the version names it: from circulation on, its particulars as they stood then."""

    stakeholder: str
    label: str
    name: str
    name_zh: str | None
    address: str | None
    legal_representative: str | None
    registration_number: str | None
    signer: Signer | None
    key_fingerprint: str | None


class Signature(TypedDict):
    party: str
    signatory: str
    title: str | None
    date: str
    method: str  # signature, seal, signature+seal, electronic (wet-ink: a signature, as coordkit 0.1 wrote it)
    terms_hash: str
    scan_sha256: str | None
    scan_name: str | None
    key_fingerprint: str | None
    key_signature: str | None


class AgreementDoc(TypedDict):
    """One version of an agreement, with everything about it."""

    key: str
    version: int
    versions: int
    project: str
    kind: str
    kind_name: str  # for reading: the kind's names (not part of the terms)
    kind_name_zh: str
    title: str
    title_zh: str | None
    status: str
    effective: str | None
    expires: str | None
    notice: str | None
    renewal: str
    review_every: str | None
    languages: list[str]
    form: int  # the canonical form its terms are (or will be) hashed with
    terms_hash: str | None
    fingerprint: str | None
    envelope_hash: str | None  # seals the terms hash, status and signatures (coordkit.proof.envelope)
    frozen_at: str | None
    terminated_on: str | None
    termination_reason: str | None
    notes: str | None  # the drafters' notes: not part of the terms (never hashed, never on the paper)
    superseded_by: int | None
    parties: list[Party]
    goals: list[Text]
    methods: list[Text]
    dispute_resolution: list[Text]
    communication: list[Text]
    clauses: list[Clause]
    rights: list[Right]
    obligations: list[Obligation]
    resources: list[Resource]
    signatures: list[Signature]
    unsigned: list[str]


class AgreementRow(TypedDict):
    """One line of ``coord agreement list``."""

    key: str
    project: str
    kind: str
    version: int
    title: str
    title_zh: str | None
    status: str
    effective: str | None
    expires: str | None
    parties: int
    signatures: int
    fingerprint: str | None
    terminated_on: str | None
    in_force: bool
    pending: PendingVersion | None  # an amendment being drafted or signed beside the version shown


class PendingVersion(TypedDict):
    version: int
    status: str


# ---------------------------------------------------------------- life


def in_force(doc: AgreementDoc | AgreementRow, on: str) -> bool:
    """Signed, not ended, and ``on`` inside its term (terminated and superseded versions are not)."""
    return doc["status"] == "signed" and covers(doc["effective"], doc["expires"], on)


def check_editable(key: str, number: int, status: str, terms_hash: str | None) -> None:
    """Refuse changing terms that are frozen: from circulation on, the paper people sign is the paper
    that was printed, so every change is a new version (an amendment)."""
    if status != "draft" or terms_hash:
        if terms_hash:
            message = _(
                "the terms of {key} v{version} are frozen since it circulated (fingerprint {fingerprint}); "
                "amend it instead: coord agreement amend {key}"
            )
        else:
            message = _(
                "the terms of {key} v{version} are frozen since it circulated; amend it instead: "
                "coord agreement amend {key}"
            )
        raise Refused(message.format(key=key, version=number, fingerprint=(terms_hash or "")[:12]))


class ObligationLetter(NamedTuple):
    """A letter a signed obligation gives its party for a duty."""

    duty: str
    party: str
    letter: str


def obligation_letters(obligations: Sequence[Obligation]) -> list[ObligationLetter]:
    return [ObligationLetter(o["duty"], o["party"], o["as"] or "R") for o in obligations if o["duty"]]


def assignment_window(
    effective: str | None, expires: str | None, *, ends_on: str | None = None
) -> tuple[str | None, str | None] | None:
    """The window a signed version's obligations hold their duties: its term, cut at ``ends_on``
    (termination day, or the day before the amendment that supersedes it takes effect); None
    when the cut comes before the term starts (such letters never held)."""
    end = expires
    if ends_on is not None and (end is None or ends_on < end):
        end = ends_on
    if effective is not None and end is not None and end < effective:
        return None
    return effective, end


def superseded_from(successor_effective: str | None, today: str) -> str:
    """The last day a version holds its duties once an amendment is signed: the day before the
    amendment takes effect, or today when the amendment has no effective date."""
    return day_before(successor_effective) if successor_effective else today


# ---------------------------------------------------------------- drafting rules


def check_agreement_key(key: str) -> str:
    if not AGREEMENT_KEY_RE.match(key or ""):
        raise InvalidInput(
            _("agreement key '{key}' is not valid: use letters, digits, '-', '_' or '.', e.g. AGR-2024-001").format(
                key=key
            ),
            field=("key",),
        )
    return key


def check_cadence(value: str | None) -> str | None:
    if value and not CADENCE_RE.match(value):
        raise InvalidInput(
            _("review cadence '{value}': expected a number and d, w, m or y, e.g. 6m or 90d").format(value=value),
            field=("review_every",),
        )
    return value or None


def check_languages(values: Sequence[str]) -> list[str]:
    """``["en,zh"]``, ``["en", "zh"]`` and ``["zh", "en", "zh"]`` all mean English and Chinese, in that order."""
    from coordkit.textparse import split_list

    langs: list[str] = []
    for value in values:
        for part in split_list(value):  # en，zh typed with a Chinese input method too
            langs.append(check_choice(part, LANGUAGES, "language", field="languages"))
    return list(dict.fromkeys(langs)) or ["en"]


def check_amount(amount: str | Decimal | int | float) -> str:
    """An amount of zero or more, kept as its exact decimal text (the canonical form hashes it as written)."""
    from coordkit.amounts import amount_text, parse_amount

    with at("amount"):
        return amount_text(parse_amount(str(amount), what="amount"))


def check_parties(parties: Sequence[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """Two or more parties, each once, each with a label (Party A, Party B … when none is given)."""
    if len(parties) < 2:
        raise InvalidInput(_("an agreement needs at least two parties"), field=("parties",))
    seen: set[str] = set()
    out = []
    for index, (party, label) in enumerate(parties):
        if party in seen:
            raise InvalidInput(
                _("party '{party}' is named twice").format(party=party), field=("parties", index, "stakeholder")
            )
        seen.add(party)
        out.append((party, (label or "").strip() or PARTY_LABELS[index % len(PARTY_LABELS)]))
    return out


def check_clause(section: str, party: str | None, text: str) -> str:
    """A goal, method, dispute or communication clause is shared; a right belongs to one party."""
    if section != "right" and party:
        raise InvalidInput(
            _("only rights belong to a party; a {section} is shared by all parties").format(section=section),
            field=("party",),
        )
    if section == "right" and not party:
        raise InvalidInput(_("a right belongs to a party: pass --party STAKEHOLDER"), field=("party",))
    return check_text(text, "text")


def check_obligation_letter(duty: str | None, letter: str | None) -> str | None:
    """The letter an obligation gives for its duty (R unless said); a letter without a duty means nothing."""
    from coordkit.domain.duties import check_letter

    if duty:
        return check_letter(letter or "R")
    if letter:
        raise InvalidInput(
            _("a RACI letter ('as') needs a duty: the letter says what the party is for that duty"), field=("as",)
        )
    return None


def check_resource(
    kind: str, amount: str | Decimal | int | float | None, unit: str | None
) -> tuple[str, str | None, str | None]:
    """A resource is of a kind; an amount, when given, has a unit (a venue or staff time may have neither)."""
    kind = check_text(kind, "kind")
    if amount is None or str(amount).strip() == "":
        if unit:
            raise InvalidInput(
                _("unit '{unit}' without an amount: give --amount too, or leave both out").format(unit=unit),
                field=("unit",),
            )
        return kind, None, None
    return kind, check_amount(amount), check_text(unit, "unit")


def check_method(method: str) -> str:
    """How a party signed; 'wet-ink' (coordkit 0.1) is a signature."""
    method = LEGACY_METHODS.get(method, method)
    return check_choice(method.replace(" ", "+"), SIGNATURE_METHODS, "method")


def check_renewal(value: str | None) -> str:
    return check_choice(value or "none", RENEWALS, "renewal")


def check_target(
    amount: str | Decimal | int | None,
    unit: str | None,
    each_min: str | Decimal | int | None = None,
    each_unit: str | None = None,
) -> Target | None:
    """A deliverable counted: ``7 sessions``, optionally ``each at least 200 people``."""
    if amount is None:
        if unit or each_min is not None:
            raise InvalidInput(_("a target needs an amount: e.g. --target '7 sessions'"), field=("target",))
        return None
    target: Target = {
        "amount": check_amount(amount),
        "unit": check_text(unit, "target unit"),
        "each_min": check_amount(each_min) if each_min is not None else None,
        "each_unit": (each_unit or "").strip() or None,
    }
    if target["each_min"] is not None and not target["each_unit"]:
        raise InvalidInput(_("a minimum for each needs its unit: e.g. --each '200 people'"), field=("target",))
    return target
