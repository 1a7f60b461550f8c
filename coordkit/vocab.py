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
# What a party puts into an agreement; any other kind is the party's own words and needs its Chinese description.
RESOURCE_KINDS = ("funds", "venue", "staff", "volunteers", "equipment", "materials", "services")
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
