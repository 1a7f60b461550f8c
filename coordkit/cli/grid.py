"""coord grid: the power/interest map of the parties (Mendelow's grid), with an engagement per quadrant."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from coordkit.cli.context import reading
from coordkit.cli.display import emit, say, write_out
from coordkit.cli.options import OutputOpt, ProjectOpt, reader_lang
from coordkit.i18n import _


class GridFormat(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    html = "html"
    table = "table"
    json = "json"
    csv = "csv"


COLUMNS = [
    ("key", "key"),
    ("name", "name"),
    ("influence", "influence"),
    ("interest", "interest"),
    ("engagement", "engagement"),
    ("action", "action"),
    ("previous_influence", "influence before"),
    ("previous_interest", "interest before"),
]


def grid(
    project: ProjectOpt = None,
    fmt: Annotated[GridFormat, typer.Option("--format", "-f", help=_("Output format."))] = GridFormat.table,
    lang: Annotated[
        str | None, typer.Option("--lang", help=_("Language of names and quadrants: en or zh (default: the reader's)."))
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help=_("Draw how each rating moved since this day (coord stakeholder score).")),
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Map the parties by influence and interest, with how to engage each.

    Four quadrants: manage closely (high influence, high interest), keep
    satisfied, keep informed, monitor; a rating of 3 or more counts as high.
    With --project: the parties that hold a letter or a role in it.
    Parties not rated on both axes are named on stderr.

    \b
    Example:
      coord grid --project liede-renjia --format svg --lang zh -o grid.svg
    """
    lang = reader_lang(lang)
    from coordkit.errors import InvalidInput
    from coordkit.render.grid import grid_points, grid_rows, render_grid
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.storage.lookup import resolve
    from coordkit.storage.sql import column

    with reading() as conn:
        parties = list_stakeholders(conn, active=True)
        if project:
            pid = resolve(conn, "project", project)[0]  # its key, name or Chinese name
            taking = set(
                column(
                    conn,
                    "SELECT s.key FROM stakeholder s WHERE s.id IN (SELECT a.stakeholder_id FROM assignment a "
                    "JOIN duty d ON d.id = a.duty_id WHERE d.project_id = :p) OR s.id IN (SELECT h.stakeholder_id "
                    "FROM role_holder h JOIN role r ON r.id = h.role_id WHERE r.project_id = :p) "
                    "OR s.id = (SELECT lead_id FROM project WHERE id = :p)",
                    {"p": pid},
                )
            )
            parties = [p for p in parties if p["key"] in taking]
        previous = None
        if since:
            from coordkit.dates import iso, parse_date
            from coordkit.services.scores import scores_on

            since = iso(parse_date(since, "--since"))
            previous = scores_on(conn, str(since))
    points, unrated = grid_points(parties, previous)
    if unrated:
        say(_("Not rated on both axes (rate them with coord stakeholder edit): {keys}").format(keys=", ".join(unrated)))
    if fmt in (GridFormat.table, GridFormat.json, GridFormat.csv):
        rows = grid_rows(points, lang=lang)
        emit(rows, rows, COLUMNS, fmt.value, output, title=_("Power/interest map"))
        return
    if fmt in (GridFormat.png, GridFormat.pdf) and output is None and sys.stdout.isatty():
        raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format=fmt.value))
    title = None
    if project:
        from coordkit.render.grid import TEXT

        title = f"{TEXT[lang]['title']} · {project}" if lang in TEXT else None
    drawn = render_grid(points, lang=lang, fmt=fmt.value, title=title, since=since)
    assert not isinstance(drawn, list)  # table rows are handled above
    write_out(drawn, output)
