"""Every fixed list coord knows, defined once: letters, kinds, statuses, methods, labels, key patterns.

The store keeps these values in English (they are part of signed terms and of
files), so they never go through translation; documents and tables show them
through ``coordkit.render.i18n``.
"""

from __future__ import annotations

import re

LETTERS = ("R", "A", "C", "I")  # Responsible, Accountable, Consulted, Informed
LETTER_ORDER = {letter: index for index, letter in enumerate(LETTERS)}

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

# An agreement version's life: draft -> circulating -> signed -> superseded or terminated.
AGREEMENT_STATUSES = ("draft", "circulating", "signed", "superseded", "terminated")
# How a party signed: its representative's signature, its seal (公章), both (签字并盖章, the common case), or an
# Ed25519 key. Stores made before 0.2 hold "wet-ink", which means a signature.
SIGNATURE_METHODS = ("signature", "seal", "signature+seal", "electronic")
LEGACY_METHODS = {"wet-ink": "signature"}
RENEWALS = ("none", "tacit")  # tacit: renewed for the same length unless a party gives notice
# Standard clauses of a contract form, in the order their articles appear (dispute resolution and communication
# arrangements have their own lists, as they always had).
CLAUSE_KINDS = ("effectiveness", "amendment", "termination", "breach", "confidentiality", "counterparts", "other")
# Resource kinds coord names in both languages; others are kept as written.
RESOURCE_KINDS = ("funds", "venue", "staff", "volunteers", "equipment", "materials", "services")
LANGUAGES = ("en", "zh")
PARTY_LABELS = ("Party A", "Party B", "Party C", "Party D", "Party E", "Party F", "Party G", "Party H")
PARTY_LABELS_ZH = ("甲方", "乙方", "丙方", "丁方", "戊方", "己方", "庚方", "辛方")  # the same labels in Chinese
CLAUSE_SECTIONS = {  # clause name on the command line -> field of the agreement document
    "goal": "goals",
    "method": "methods",
    "dispute": "dispute_resolution",
    "communication": "communication",
    "right": "rights",
    **{kind: "clauses" for kind in CLAUSE_KINDS},
}

# Keys of stakeholders, projects, roles and duties are slugs: they end up in file names and URLs.
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Agreement keys read like document numbers (AGR-2024-001), so capitals are allowed.
AGREEMENT_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CADENCE_RE = re.compile(r"^[1-9][0-9]{0,3}[dwmy]$")  # a review cadence: 90d, 6w, 6m, 1y

# Folders of a workspace that keep files a store's rows point at by hash (scans of signed papers, evidence of
# fulfilment, signed-off minutes): `coord backup` takes each of them whole, `coord restore` puts them back.
EVIDENCE_FOLDERS = ("scans", "evidence", "minutes")
# Joint meetings, contacts between meetings, and concerns between parties (issue 15).
SEVERITIES = ("low", "medium", "high")
CONCERN_STATUSES = ("open", "acknowledged", "responded", "resolved")
CONCERN_STEPS = ("open", "ack", "respond", "escalate", "resolve", "reopen")
# Why a concern moved up the chain: a deadline passed, or someone asked for it (with a reason).
ESCALATION_CAUSES = ("ack-overdue", "response-overdue", "requested")
# What a concern is about: duty:KEY, agreement:KEY, obligation:AGR/N or resource:TEXT.
ABOUT_KINDS = ("duty", "agreement", "obligation", "resource")
# How parties were in touch between meetings (coord contact log --channel).
INTERACTION_CHANNELS = ("call", "visit", "message", "wechat", "email", "letter", "other")
