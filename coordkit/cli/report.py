"""coord report: one document for an evaluation or a funder, over a project and a period."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say, write_out
from coordkit.cli.helptext import helptext
from coordkit.cli.options import OutputOpt, ProjectOpt, reader_lang
from coordkit.i18n import _


class ReportFormat(StrEnum):
    pdf = "pdf"
    docx = "docx"
    html = "html"
    md = "md"
    json = "json"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


def report(
    project: ProjectOpt = None,
    period: Annotated[
        str | None, typer.Option("--period", help=_("A quarter (2024Q3), a half (2024H1), a year or a month."))
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help=_("First day of the period."))] = None,
    end: Annotated[str | None, typer.Option("--to", help=_("Last day of the period."))] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help=_("pdf, docx, html, md or json."))
    ] = ReportFormat.pdf,
    lang: Annotated[
        Lang | None, typer.Option("--lang", help=_("Language of the report: en or zh (default: the reader's)."))
    ] = None,
    output: OutputOpt = None,
) -> None:
    """``coord report``: its help is set below, in the reader's language."""
    from coordkit.errors import InvalidInput
    from coordkit.i18n import set_language
    from coordkit.output import to_json
    from coordkit.render.report import render_report
    from coordkit.services.report import build_report, report_period

    language = reader_lang(lang.value if lang else None)
    set_language(language)  # the findings and every message in the report's language
    with store() as opened, opened.read() as conn:
        key, covered = report_period(conn, project=project, period=period, start=start, end=end)
        data = build_report(conn, root=opened.root, project=key, period=covered)
        root = opened.root
    if fmt is ReportFormat.json:
        write_out(to_json(data), output)
        return
    if fmt in (ReportFormat.pdf, ReportFormat.docx) and output is None and sys.stdout.isatty():
        raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format=fmt.value))
    if fmt is ReportFormat.pdf:
        say(_("Rendering the report …"))
    write_out(render_report(data, fmt=fmt.value, lang=language, workspace=root), output)


report.__doc__ = helptext(
    _("Write a project's evaluation report over a period."),
    _(
        "One document for a mid-term or final evaluation or a funder: the parties and the stakeholder map, the "
        "responsibility figures and open findings, the agreements with their signatures and fingerprints, what "
        "each party promised, the joint meetings and their actions, the concerns and how fast they were settled, "
        "and the audit chain's head so every figure can be checked against the store. Without --period or "
        "--from/--to it covers the project's term up to today."
    ),
    example="coord report --period 2024Q3 --lang zh -o report-2024Q3.zh.pdf",
)
