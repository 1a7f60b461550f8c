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
EDITABLE_STATUSES = ("draft", "circulating")
SIGNATURE_METHODS = ("wet-ink", "seal", "electronic")
LANGUAGES = ("en", "zh")
PARTY_LABELS = ("Party A", "Party B", "Party C", "Party D", "Party E", "Party F", "Party G", "Party H")
CLAUSE_SECTIONS = {  # clause name on the command line -> field of the agreement document
    "goal": "goals",
    "method": "methods",
    "dispute": "dispute_resolution",
    "communication": "communication",
    "right": "rights",
}

# Keys of stakeholders, projects, roles and duties are slugs: they end up in file names and URLs.
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Agreement keys read like document numbers (AGR-2024-001), so capitals are allowed.
AGREEMENT_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CADENCE_RE = re.compile(r"^[1-9][0-9]{0,3}[dwmy]$")  # a review cadence: 90d, 6w, 6m, 1y

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
