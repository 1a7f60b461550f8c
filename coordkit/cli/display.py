"""Printing: data to stdout (or -o FILE), messages to stderr, tables with rich.

Names come from people and may hold terminal escape sequences (ESC ] 0; sets
the window title, ESC [ 2 J clears the screen): text bound for a terminal
loses its control characters, and only the colour codes rich adds survive.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coordkit.output import Columns

# An SGR colour sequence as rich writes it (ESC [ digits/semicolons m), or one control character to drop
_TERMINAL_UNSAFE = re.compile("(\x1b\\[[0-9;]*m)|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """``text`` without control characters (tab and newline kept): safe to print into a terminal."""
    from coordkit.output import strip_control

    return strip_control(text)


def _keep_colours(text: str) -> str:
    """Drop every control character except the colour codes (SGR) that rich puts around table cells."""
    return _TERMINAL_UNSAFE.sub(lambda match: match.group(1) or "", text)


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays data), without control characters."""
    print(terminal_text(message), file=sys.stderr)


def write_out(content: str | bytes, output: Path | None) -> None:
    """Data to stdout, or atomically to ``output`` (then a message says where).

    Text for a terminal keeps rich's colours and loses every other control
    character; text for a pipe or a file is left exactly as it is.
    """
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            sys.stdout.write(_keep_colours(content) if sys.stdout.isatty() else content)
        return
    from coordkit.files import atomic_write
    from coordkit.i18n import _

    atomic_write(output, content)
    say(_("Wrote {path}").format(path=output))


def table_text(
    rows: Sequence[Mapping[str, Any]],
    columns: Columns,
    *,
    title: str | None = None,
    styles: Mapping[str, str] | None = None,
    row_styles: Sequence[str] | None = None,
    to_file: bool = False,
) -> str:
    """A rich table rendered to text (coloured only on a terminal); long ones as plain columns."""
    if len(rows) > PLAIN_ABOVE:
        return plain_table(rows, columns, title=title)
    from rich.console import Console
    from rich.table import Table

    from coordkit.output import cell_text

    table = Table(title=title, show_lines=False, header_style="bold")
    for field, header in columns:
        table.add_column(header, style=(styles or {}).get(field), overflow="fold")
    for index, row in enumerate(rows):
        table.add_row(
            *(terminal_text(cell_text(row.get(f))) for f, _ in columns),
            style=row_styles[index] if row_styles else None,
        )
    terminal = not to_file and sys.stdout.isatty()
    console = Console(
        file=None,
        force_terminal=terminal,
        no_color=not terminal,
        width=None if terminal else 200,
        record=True,
        soft_wrap=False,
    )
    with console.capture() as capture:
        console.print(table)
    return capture.get()


PLAIN_ABOVE = 300  # rows; rich lays out a 2,000-row table in seconds, plain columns in milliseconds


def plain_table(rows: Sequence[Mapping[str, Any]], columns: Columns, *, title: str | None = None) -> str:
    """Aligned columns (wide Chinese characters count double), for lists too long for rich."""
    from rich.cells import cell_len

    from coordkit.output import cell_text

    cells = [[header for _, header in columns]]
    cells += [[terminal_text(cell_text(row.get(field))).replace("\n", " ") for field, _ in columns] for row in rows]
    # each cell measured once; ASCII text is as wide as it is long (a 10,000-row list: 0.3 s less)
    sizes = [[len(text) if text.isascii() else cell_len(text) for text in line] for line in cells]
    widths = [max(line[i] for line in sizes) for i in range(len(columns))]
    lines = [
        "  ".join(text + " " * (width - size) for text, size, width in zip(line, sized, widths, strict=True)).rstrip()
        for line, sized in zip(cells, sizes, strict=True)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return (f"{title}\n" if title else "") + "\n".join(lines) + "\n"


def emit(
    data: Any,
    rows: Sequence[Mapping[str, Any]],
    columns: Columns,
    fmt: str,
    output: Path | None,
    *,
    title: str | None = None,
    styles: Mapping[str, str] | None = None,
) -> None:
    """Print ``data`` in ``fmt``: the table and csv/md use the flat ``rows``."""
    from coordkit.output import render_text

    if fmt == "table":
        if not rows:
            say("Nothing to show.")
            return
        content = table_text(rows, columns, title=title, styles=styles, to_file=output is not None)
    else:
        content = render_text(data, rows, columns, fmt)
    write_out(content, output)


def emit_record(data: Mapping[str, Any], fmt: str, output: Path | None, *, title: str | None = None) -> None:
    """One record: a two-column table of fields, or JSON/YAML."""
    from coordkit.output import cell_text, render_text

    if fmt == "table":
        rows = [{"field": k, "value": cell_text(v)} for k, v in data.items()]
        write_out(
            table_text(rows, [("field", "field"), ("value", "value")], title=title, to_file=output is not None), output
        )
    else:
        write_out(render_text(data, [], [], fmt), output)
