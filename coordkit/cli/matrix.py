"""coord matrix: who does what, one row per duty and one column per party."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say, terminal_text, tidy, write_out
from coordkit.cli.options import OnOpt, OutputOpt, ProjectOpt
from coordkit.domain.matrix import Matrix
from coordkit.i18n import _


class MatrixFormat(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"
    html = "html"
    xlsx = "xlsx"
    pdf = "pdf"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


class By(StrEnum):
    stakeholder = "stakeholder"
    role = "role"


STYLES = {"R": "bold blue", "A": "bold red", "C": "yellow", "I": "dim"}


def matrix(
    project: ProjectOpt = None,
    by: Annotated[By, typer.Option("--by", help="Columns are stakeholders or roles.")] = By.stakeholder,
    on: OnOpt = None,
    fmt: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.table,
    output: OutputOpt = None,
    keys: Annotated[
        bool, typer.Option("--keys", help="Head columns and rows by keys instead of names (JSON always has both).")
    ] = False,
) -> None:
    """Show the responsibility (RACI) matrix: duties by parties.

    Cells hold the letters a party carries for a duty (R,C when several);
    * marks a letter carried through a role, # one from a signed agreement.
    The last column names each row's findings. Parties and duties show by
    name, in Chinese under --lang zh (--keys: by key). Without --project: the
    current project, else every project.

    \b
    Example:
      coord matrix --project liede-renjia --on 2024-07-01 --format xlsx -o matrix.xlsx
    """
    from coordkit.render import matrix as render
    from coordkit.services.checking import matrix as build

    with store() as opened, opened.read() as conn:
        data = build(conn, root=opened.root, project=project, on=on, by=by.value)
    if fmt == MatrixFormat.json:
        from coordkit.output import to_json

        write_out(to_json(data), output)
    elif fmt == MatrixFormat.csv:
        write_out(render.to_csv(data, keys=keys), output)
    elif fmt == MatrixFormat.md:
        from coordkit.output import to_markdown

        columns, rows = render.flat(data, keys=keys, uses=True)
        write_out(to_markdown(rows, columns), output)
    elif fmt == MatrixFormat.html:
        with store() as opened:
            root = opened.root
        write_out(render.to_html(data, root, keys=keys), output)
    elif fmt in (MatrixFormat.xlsx, MatrixFormat.pdf):
        if output is None and sys.stdout.isatty():
            from coordkit.errors import InvalidInput

            raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format=fmt.value))
        if fmt == MatrixFormat.xlsx:
            from coordkit.i18n import language

            write_out(render.to_xlsx(data, lang=language(), keys=keys), output)
        else:
            from coordkit.i18n import language
            from coordkit.render.pdf import html_to_pdf

            with store() as opened:
                root = opened.root
            write_out(html_to_pdf(render.to_html(data, root, keys=keys), lang=language(), workspace=root), output)
    else:
        print_matrix(data, output, keys=keys)


DUTY_INDENT = "  "
FLAG = " !"
MIN_CELL = 9  # a party column is at least this wide ...
MAX_CELL = 16  # ... and at most this wide: a longer name is abbreviated (3 lines of 16 hold most names whole)
HEADER_LINES = 3


def abbreviate(name: str, width: int, lines: int = 3) -> list[str]:
    """A name as at most ``lines`` lines of at most ``width`` cells, words kept whole where they fit.

    'Liede Community Neighbourhood Committee' in 9 cells: a word longer than the
    column loses its end to a full stop ('Neighbou.'); a name too long for the
    lines loses its parenthesised aside first; if the name still takes
    more than three lines, its longest words shrink to four letters and a full
    stop ('Comm.'), and a name longer than that ends in '…'. Never a letter of
    the matrix itself is cut: only headers are shortened.
    """
    from rich.cells import cell_len, set_cell_size

    def shorten(word: str, size: int) -> str:
        return word if cell_len(word) <= size else set_cell_size(word, size - 1).rstrip() + "."

    def wrap(words: list[str]) -> list[str]:
        found: list[str] = []
        for word in words:
            if found and cell_len(found[-1]) + 1 + cell_len(word) <= width:
                found[-1] += " " + word
            else:
                found.append(word)
        return found

    pieces = [part for word in name.split() for part in _chop_wide(word, width)]
    words = [shorten(word, width) for word in pieces] or [""]
    wrapped = wrap(words)
    if len(wrapped) > lines and "(" in name.strip("( "):  # an aside goes first: 'Liede Street Office (functional …)'
        return abbreviate(re.sub(r"\s*[(（][^)）]*[)）]?", " ", name).strip(), width, lines)
    for index in sorted(range(len(words)), key=lambda i: -cell_len(words[i])):
        if len(wrapped) <= lines:
            break
        if cell_len(words[index]) > 5:
            words[index] = shorten(words[index], 5)
            wrapped = wrap(words)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = set_cell_size(wrapped[-1], min(width, cell_len(wrapped[-1]) + 1) - 1).rstrip() + "…"
    return wrapped


def _chop_wide(word: str, width: int) -> list[str]:
    """A Chinese name, written without spaces, breaks between any two characters: ``猎德社区居委会`` in 8
    cells is ``猎德社区`` / ``居委会``. A Latin word stays whole (``abbreviate`` shortens it)."""
    from rich.cells import cell_len, chop_cells

    if word.isascii() or cell_len(word) <= width:
        return [word]
    return list(chop_cells(word, width))


def header_width(name: str) -> int:
    """The narrowest column (``MIN_CELL`` to ``MAX_CELL``) that shows ``name`` whole in ``HEADER_LINES`` lines."""
    for size in range(MIN_CELL, MAX_CELL + 1):
        lines = abbreviate(name, size, HEADER_LINES)
        if " ".join(lines) == " ".join(name.split()):
            return size
    return MAX_CELL


def column_groups(widths: list[int], room: int, fixed: int) -> list[list[int]]:
    """Party columns (by index) split into groups that fit ``room`` beside the duty column (``fixed`` cells).

    A rich table costs 3 cells a column and 1 for the closing border; every group has at least one column.
    """
    groups: list[list[int]] = [[]]
    used = fixed + 3 + 1
    for index, width in enumerate(widths):
        if groups[-1] and used + width + 3 > room:
            groups.append([])
            used = fixed + 3 + 1
        groups[-1].append(index)
        used += width + 3
    return groups


DUTY_MAX = 36  # a longer title ends in "…" here (whole in the findings below and with --format md); a key never


def matrix_text(data: Matrix, *, room: int, colour: bool, keys: bool = False) -> str:
    """The matrix for a terminal of ``room`` columns: categories as rows, parties by name, in column groups.

    Each group repeats the duty column, so every cell stays under its header and
    no letter is cut; a duty with findings carries '!', and the findings follow
    the table, one line each.
    """
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from coordkit.i18n import language
    from coordkit.render.matrix import category_label, party_labels, row_title, uses_text

    columns = data["columns"]
    names = [column["key"] for column in columns] if keys else party_labels(data)
    cell_widths = [
        max([header_width(name)] + [cell_len(row["cells"].get(column["key"], "")) for row in data["rows"]])
        for column, name in zip(columns, names, strict=True)
    ]
    headers = [
        abbreviate(terminal_text(name), width, HEADER_LINES) for name, width in zip(names, cell_widths, strict=True)
    ]
    labels = [row["duty"] if keys else row_title(row) for row in data["rows"]]
    duty_width = max(
        min(cell_len(DUTY_INDENT + label + (FLAG if row["findings"] else "")), DUTY_MAX if not keys else 10_000)
        for label, row in zip(labels, data["rows"], strict=True)
    )
    categories = [row["category"] if keys else category_label(row) for row in data["rows"]]
    duty_width = max([duty_width, cell_len(_("duty"))] + [cell_len(text or "") for text in categories])
    groups = column_groups(cell_widths, room, duty_width)
    scope = data["project"] or _("all projects")
    out = Console(
        force_terminal=colour,
        no_color=not colour,
        color_system="standard" if colour else None,
        width=max(room, duty_width + MIN_CELL + 7),
        highlight=False,
        markup=False,
        emoji=False,
    )
    with out.capture() as capture:
        for number, group in enumerate(groups, start=1):
            title = _("Responsibility matrix · {project} · {on}").format(project=scope, on=data["on"])
            if len(groups) > 1:
                title += " · " + _("columns {first}–{last} of {count}").format(
                    first=group[0] + 1, last=group[-1] + 1, count=len(columns)
                )
            table = Table(header_style="bold")
            table.add_column(_("duty"), no_wrap=True, overflow="ellipsis", min_width=duty_width, max_width=duty_width)
            for index in group:
                table.add_column(
                    "\n".join(headers[index]), justify="center", no_wrap=True, min_width=cell_widths[index]
                )
            category: object = object()
            for label, shown_category, row in zip(labels, categories, data["rows"], strict=True):
                if row["category"] != category:
                    category = row["category"]
                    table.add_row(
                        Text(terminal_text(shown_category or _("(no category)")), style="bold"), *("" for _i in group)
                    )
                shown = DUTY_INDENT + terminal_text(label) + (FLAG if row["findings"] else "")
                cells = [_cell(row["cells"].get(columns[index]["key"], "")) for index in group]
                table.add_row(Text(shown, style="red" if row["findings"] else ""), *cells)
            if number > 1:
                out.print()
            out.print(Text(title, style="bold"), no_wrap=True, overflow="ignore", crop=False)
            out.print(table)
        for label, row in zip(labels, data["rows"], strict=True):
            if row["findings"]:
                named = label if keys else f"{label} ({row['duty']})"
                out.print(Text(terminal_text(f"! {named}: {', '.join(row['findings'])}"), style="red"))
        used = [(label, row) for label, row in zip(labels, data["rows"], strict=True) if row.get("uses")]
        if used:
            out.print(_("Shared resources:"))
            for label, row in used:
                colon = "：" if language() == "zh" else ": "
                out.print(terminal_text(f"  {label}{colon}{uses_text(row.get('uses', []), language(), keys=keys)}"))
        out.print(_("R responsible · A accountable · C consulted · I informed · * via a role · # signed agreement"))
    return tidy(str(capture.get()))


def _cell(text: str) -> Any:
    from rich.text import Text

    cell = Text()
    for index, mark in enumerate(text.split(",")):
        if mark:
            cell.append(("," if index else "") + mark, style=STYLES[mark[0]])
    return cell


def print_matrix(data: Matrix, output: Any, *, keys: bool = False) -> None:
    """The table form of the matrix: to the terminal (its width, its colours, the pager) or to a file."""
    from coordkit.cli.display import PIPE_WIDTH, use_color, width

    if not data["rows"]:
        say(_("No duties to show."))
        return
    to_file = output is not None
    text = matrix_text(data, room=PIPE_WIDTH if to_file else width(), colour=use_color() and not to_file, keys=keys)
    write_out(text, output)
