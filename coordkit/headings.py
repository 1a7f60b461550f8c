"""The headers of lists and records, marked once for the catalogue so every table speaks the reader's language.

Lists define their columns as ``(field, header)`` with English headers; the
CLI translates each header through ``_()`` when it prints a table, a Markdown
table, or a CSV for Chinese readers (an English CSV keeps the field names
documented in the README). A header not listed here prints as it is.
"""

from __future__ import annotations

from coordkit.i18n import N_

HEADINGS = (
    # stakeholders, projects, roles, duties
    N_("key"),
    N_("name"),
    N_("English name"),
    N_("中文名"),
    N_("kind"),
    N_("influence"),
    N_("interest"),
    N_("interests"),
    N_("active"),
    N_("contacts"),
    N_("representatives"),
    N_("start"),
    N_("end"),
    N_("lead"),
    N_("current"),
    N_("roles"),
    N_("duties"),
    N_("holders"),
    N_("description"),
    N_("project"),
    N_("category"),
    N_("duty"),
    N_("title"),
    N_("due"),
    N_("assignments"),
    N_("findings"),
    N_("RACI letter"),
    # records shown one field a line
    N_("field"),
    N_("value"),
    # the history
    N_("at"),
    N_("actor"),
    N_("action"),
    N_("change"),
    # table titles
    N_("Stakeholders"),
    N_("Projects"),
    N_("Roles"),
    N_("Duties"),
    N_("History"),
    N_("Templates"),
    # coord due
    N_("date"),
    N_("what"),
    N_("days late"),
    N_("status"),
    # coord review, coord obligation
    N_("opened"),
    N_("closed"),
    N_("lessons"),
    N_("ratings"),
    N_("summary"),
    N_("notes"),
    N_("Reviews"),
    N_("v"),
    N_("no."),
    N_("obligation"),
    N_("party"),
    N_("reported"),
    N_("actual"),
    N_("target"),
)
