"""coord report: one document for an evaluation or a funder, every figure read from the store."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import write_out
from coordkit.cli.options import OutputOpt, ProjectOpt
from coordkit.i18n import _


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    docx = "docx"
    json = "json"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


def report(
    project: ProjectOpt = None,
    period: Annotated[
        str | None, typer.Option("--period", help=_("A year, quarter or half: 2024, 2024Q3, 2024H1."))
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help=_("First day of the period."))] = None,
    end: Annotated[str | None, typer.Option("--to", help=_("Last day of the period."))] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help=_("Output format."))] = ReportFormat.md,
    lang: Annotated[Lang, typer.Option("--lang", help=_("Language of the report: en or zh."))] = Lang.en,
    output: OutputOpt = None,
) -> None:
    """Write an evaluation report of a project, every figure from the store.

    Parties and the power/interest map, the matrix and its findings,
    agreements, meetings and actions, concerns, for the period (default: the
    whole project); the audit chain's head hash closes it, so the figures
    can be checked against the store.

    \b
    Example:
      coord report --project liede-renjia --period 2024Q3 --lang zh -o report.md
    """
    from coordkit.errors import InvalidInput
    from coordkit.render import report as render
    from coordkit.services.report import build_report, period_dates
    from coordkit.storage.lookup import resolve_project

    first, last = period_dates(period, start, end)
    with store() as opened, opened.read() as conn:
        _pid, pkey = resolve_project(conn, project)
        data = build_report(conn, root=opened.root, project=pkey, start=first, end=last, lang=lang.value)
        root = opened.root
    if fmt == ReportFormat.json:
        from coordkit.output import to_json

        write_out(to_json(data), output)
    elif fmt == ReportFormat.md:
        write_out(render.to_markdown(data, lang.value), output)
    elif fmt == ReportFormat.html:
        write_out(render.to_html(data, lang.value), output)
    elif output is None and sys.stdout.isatty():
        raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format=fmt.value))
    elif fmt == ReportFormat.docx:
        write_out(render.to_docx(data, lang.value), output)
    else:
        from coordkit.render.pdf import html_to_pdf

        write_out(html_to_pdf(render.to_html(data, lang.value), lang=lang.value, workspace=root), output)
