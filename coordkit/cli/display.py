"""Printing: data to stdout (or -o FILE), messages to stderr, tables with rich.

Names come from people and may hold terminal escape sequences (ESC ] 0; sets
the window title, ESC [ 2 J clears the screen): text bound for a terminal
loses its control characters, and only the colour codes rich adds survive.

Output fits the terminal: tables are laid out for its width (``COLUMNS`` when
set, else the terminal's, else 200 columns for a pipe or a file), hide the
columns that do not fit rather than wrap every cell to five characters, and
text longer than the screen goes through a pager, as git does (``COORD_PAGER``,
else ``PAGER``, else ``less -FRX``; ``--no-pager`` turns it off). Colour
follows ``--color auto|always|never``; with ``auto`` it is on only for a
terminal, and never when ``NO_COLOR`` is set (no-color.org).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coordkit.output import Columns

# An SGR colour sequence as rich writes it (ESC [ digits/semicolons m), or one control character to drop
_TERMINAL_UNSAFE = re.compile("(\x1b\\[[0-9;]*m)|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


PIPE_WIDTH = 200  # columns of a table written to a pipe or a file (no terminal to measure)
DEFAULT_PAGER = "less -FRX"  # -F: quit when it fits one screen, -R: colours, -X: leave the text on the screen


@dataclass
class Settings:
    """The global options ``--color`` and ``--no-pager`` (set by the root command)."""

    color: str = "auto"  # auto, always or never
    pager: bool = True


settings = Settings()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def use_color() -> bool:
    """Colour on stdout: ``--color always``/``never`` win; ``auto`` means a terminal and no ``NO_COLOR``."""
    if settings.color == "always":
        return True
    if settings.color == "never" or os.environ.get("NO_COLOR"):
        return False
    return stdout_is_terminal()


def width() -> int:
    """Columns to lay text out in: ``COLUMNS`` when set, the terminal's width, else ``PIPE_WIDTH``."""
    value = os.environ.get("COLUMNS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    if stdout_is_terminal():
        import shutil

        return shutil.get_terminal_size().columns
    return PIPE_WIDTH


def height() -> int:
    value = os.environ.get("LINES", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    import shutil

    return shutil.get_terminal_size().lines


def console(*, to_file: bool = False, wide: int | None = None) -> Any:
    """A rich console that renders to text for stdout (or for a file: no colour, ``PIPE_WIDTH`` columns)."""
    from rich.console import Console

    colour = use_color() and not to_file
    return Console(
        file=None,
        force_terminal=colour,
        no_color=not colour,
        color_system="standard" if colour else None,
        width=wide or (PIPE_WIDTH if to_file else width()),
        record=False,
        soft_wrap=False,
        highlight=False,
        emoji=False,
        markup=False,
    )


def tidy(text: str) -> str:
    """Rich pads every line to the console's width: the padding goes, and the text ends with one newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines) + "\n" if lines else ""


def page(text: str) -> None:
    """Text for a terminal: through the pager when it is longer than the screen, else straight out.

    As git does: ``COORD_PAGER``, else ``PAGER``, else ``less -FRX`` (``LESS=FRX`` is set when unset, so a
    plain ``less`` behaves the same); an empty value or ``cat`` means no pager, and a pager that cannot
    start leaves the text on stdout.
    """
    command = os.environ.get("COORD_PAGER", os.environ.get("PAGER", DEFAULT_PAGER)).strip()
    if not settings.pager or command in ("", "cat") or text.count("\n") < height() - 1:
        sys.stdout.write(text)
        return
    import subprocess

    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": os.environ.get("LV", "-c")}
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)  # a shell command, as git runs it
    except OSError:
        sys.stdout.write(text)
        return
    assert pager.stdin is not None
    try:
        pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))
        pager.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: that is fine
        pass
    except KeyboardInterrupt:
        pass
    while True:
        try:
            code = pager.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
            continue
    if code == 127:  # the shell found no such pager
        sys.stdout.write(text)


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


BOM = "\ufeff"


def write_out(content: str | bytes, output: Path | None) -> None:
    """Data to stdout, or atomically to ``output`` (then a message says where).

    Text for a terminal keeps rich's colours and loses every other control
    character; text for a pipe or a file is left exactly as it is.
    """
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        elif stdout_is_terminal():
            page(_keep_colours(content))
        else:
            sys.stdout.write(content)
        return
    from coordkit.files import atomic_write
    from coordkit.i18n import _

    if isinstance(content, str) and output.suffix.lower() == ".csv" and not content.startswith(BOM):
        content = BOM + content  # a .csv file is for a spreadsheet: Excel reads UTF-8 only after a BOM
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
    hide_first: Sequence[str] = (),
) -> str:
    """A rich table rendered to text for the terminal's width (coloured only on a terminal); long ones as plain columns.

    Columns that do not fit are left out (``hide_first`` names the first to go, then the rightmost), and a
    line on stderr says which: ten columns squeezed into 100 would wrap every cell to five characters.
    """
    if len(rows) > PLAIN_ABOVE:
        return plain_table(rows, columns, title=title)
    from rich.cells import cell_len
    from rich.table import Table

    from coordkit.output import cell_text

    texts = [[terminal_text(cell_text(row.get(f))) for f, _ in columns] for row in rows]
    room = PIPE_WIDTH if to_file else width()
    shown, needs = fit_columns(columns, texts, room, hide_first)
    hidden = [columns[i][1] for i in range(len(columns)) if i not in shown]
    if hidden and not to_file:
        from coordkit.i18n import _

        say(
            _("Not shown at {width} columns: {fields} (widen the terminal, or use --format yaml).").format(
                width=room, fields=", ".join(hidden)
            )
        )

    def render(widths: Mapping[int, int]) -> str:
        table = Table(title=title, show_lines=False, header_style="bold")
        for index in shown:
            field, header = columns[index]
            table.add_column(
                header,
                style=(styles or {}).get(field),
                overflow="fold",
                min_width=needs[index],
                width=widths.get(index),
                no_wrap=index == shown[0],
            )
        for number, line in enumerate(texts):
            table.add_row(*(line[i] for i in shown), style=row_styles[number] if row_styles else None)
        out = console(to_file=to_file, wide=room)
        with out.capture() as capture:
            out.print(table, crop=False)
        return str(capture.get())

    text = render({})
    if max((cell_len(line) for line in text.splitlines()), default=0) > room:  # see narrowed()
        text = render(narrowed(columns, texts, shown, needs, room))
    return text


COMFORT = 14  # a text column may wrap down to this many cells a line, no narrower
LONGEST_WORD = 30  # ... nor cut a word (neighbourhood-committee) shorter than this
_UNBROKEN = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")
"""What a line wraps at: spaces, and between any two Chinese characters or full-width punctuation marks
(每季度向街道办事处提交书面工作报告 is not one 34-cell word: it wraps like Chinese print does)."""


def fit_columns(
    columns: Columns, texts: Sequence[Sequence[str]], room: int, hide_first: Sequence[str] = ()
) -> tuple[list[int], dict[int, int]]:
    """The columns (by index) that fit in ``room`` cells, and the width each needs.

    A column needs its widest line, or ``COMFORT`` cells if that is narrower; the first column (the key)
    always needs its widest line, as keys are typed back and must never wrap. A rich table adds 3 cells a
    column and 1 for the closing border.
    """
    from rich.cells import cell_len

    needs: dict[int, int] = {}
    for index, (_field, header) in enumerate(columns):
        lines = [header] + [line for row in texts for line in row[index].splitlines()]
        natural = max((cell_len(line) for line in lines), default=0)
        words = max((cell_len(word) for line in lines for word in _UNBROKEN.findall(line)), default=0)
        needs[index] = natural if index == 0 else max(min(natural, COMFORT), min(words, LONGEST_WORD))
    shown = list(range(len(columns)))
    order = [i for name in hide_first for i, (field, _h) in enumerate(columns) if field == name]
    order += [i for i in reversed(shown) if i not in order and i != 0]
    for index in order:
        if 1 + sum(needs[i] + 3 for i in shown) <= room or len(shown) <= 2:
            break
        shown.remove(index)
    return shown, needs


def narrowed(
    columns: Columns, texts: Sequence[Sequence[str]], shown: Sequence[int], needs: Mapping[int, int], room: int
) -> dict[int, int]:
    """Widths for the columns that must wrap to fit ``room``, widest narrowed first and none below its need;
    empty when the table fits as it is. Used only when rich's own layout runs past ``room``:

    Rich narrows the widest columns without their ``min_width`` and then widens them back to it, so a table
    whose needs fit (95 of 100 cells: a Chinese party name of 32 cells beside an English obligation) still came
    out 108 wide and lost its last column to the terminal's edge.
    """
    from rich.cells import cell_len

    natural = {
        i: max(
            (cell_len(line) for line in [columns[i][1], *(t for row in texts for t in row[i].splitlines())]), default=0
        )
        for i in shown
    }
    widths = {i: max(natural[i], needs[i]) for i in shown}
    over = 1 + sum(w + 3 for w in widths.values()) - room
    if over <= 0:
        return {}
    while over > 0:
        movable = [i for i in shown[1:] if widths[i] > needs[i]]
        if not movable:
            break
        widest = max(widths[i] for i in movable)
        tops = [i for i in movable if widths[i] == widest]
        below = max([widths[i] for i in movable if widths[i] < widest] + [max(needs[i] for i in tops)])
        step = min(widest - below, -(-over // len(tops)))
        for i in tops:
            cut = min(step, over, widths[i] - needs[i])
            widths[i] -= cut
            over -= cut
    return {i: widths[i] for i in shown[1:]}


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


def headers(columns: Columns) -> Columns:
    """Each header in the reader's language (``coordkit.headings`` marks them for the catalogue)."""
    from coordkit.i18n import _

    return [(field, _(header)) for field, header in columns]


def emit(
    data: Any,
    rows: Sequence[Mapping[str, Any]],
    columns: Columns,
    fmt: str,
    output: Path | None,
    *,
    title: str | None = None,
    styles: Mapping[str, str] | None = None,
    hide_first: Sequence[str] = (),
    named: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Print ``data`` in ``fmt``: the table and csv/md use the flat ``rows`` (``hide_first``: see ``table_text``).

    ``named`` (see ``people_names``) maps a field to the names of the keys it holds: the table and Markdown,
    read by people, show the names; JSON, YAML and CSV keep the keys scripts and ``coord import`` need.

    Headers and the title are translated; a CSV's first row is the field names in English (as the README
    documents them) and the translated headers in Chinese, for a spreadsheet read by people.
    """
    from coordkit.i18n import _, language
    from coordkit.output import render_text, to_csv

    shown = headers(columns)
    if fmt in ("table", "md") and language() == "zh":
        from coordkit.render.i18n import TABLE_VALUES_ZH

        named = {**TABLE_VALUES_ZH, **(named or {})}
        yes, no = _("yes"), _("no")  # 在册：是, not yes
        rows = [{k: yes if v is True else no if v is False else v for k, v in row.items()} for row in rows]
    if named and fmt in ("table", "md"):
        rows = [_with_names(row, named) for row in rows]
    if fmt == "table":
        if not rows:
            say(_("Nothing to show."))
            return
        content = table_text(
            rows,
            shown,
            title=_(title) if title else None,
            styles=styles,
            to_file=output is not None,
            hide_first=hide_first,
        )
    elif fmt == "csv" and language() == "zh":
        content = to_csv(rows, shown, headers=True)
    else:
        content = render_text(data, rows, shown, fmt)
    write_out(content, output)


def _with_names(row: Mapping[str, Any], named: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    shown = dict(row)
    for field, names in named.items():
        value = shown.get(field)
        if isinstance(value, str):
            shown[field] = names.get(value, value)
        elif isinstance(value, list):
            shown[field] = [names.get(item, item) if isinstance(item, str) else item for item in value]
    return shown


def people_names(
    fmt: str, keys: bool, *, parties: Sequence[str] = (), projects: Sequence[str] = ()
) -> dict[str, Mapping[str, str]]:
    """For ``emit(named=...)``: the fields that hold party keys and project keys, each with the names in the
    reader's language (none with ``--keys``, nor for the formats that keep keys). One short read of the store:
    two small tables."""
    if keys or fmt not in ("table", "md") or not (parties or projects):
        return {}
    from coordkit.cli.context import reading
    from coordkit.i18n import language
    from coordkit.services.names import names

    with reading() as conn:
        found = names(conn, language())
    return {field: found.parties for field in parties} | {field: found.projects for field in projects}


def _record_words() -> Mapping[str, Mapping[str, str]]:
    """The fixed values a record shows in the reader's words (none in English: stored values are English)."""
    from coordkit.i18n import language

    if language() != "zh":
        return {}
    from coordkit.render.i18n import TABLE_VALUES_ZH

    return TABLE_VALUES_ZH


def _record_value(field: str, value: Any, words: Mapping[str, Mapping[str, str]]) -> str:
    from coordkit.i18n import _
    from coordkit.output import cell_text

    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and field in words:
        return words[field].get(value, value)
    return cell_text(value)


def _is_moment(field: str, value: Any) -> bool:
    """A stored UTC time (``frozen_at``, ``at``): shown to people in local time, to the second."""
    return (field == "at" or field.endswith("_at")) and isinstance(value, str) and "T" in value


def emit_record(data: Mapping[str, Any], fmt: str, output: Path | None, *, title: str | None = None) -> None:
    """One record: a two-column table of fields (named in the reader's language), or JSON/YAML."""
    from coordkit.i18n import _
    from coordkit.output import render_text

    if fmt == "table":
        from coordkit.dates import local_time

        words = _record_words()
        rows = [
            {"field": _(k), "value": local_time(v) if _is_moment(k, v) else _record_value(k, v, words)}
            for k, v in data.items()
        ]
        write_out(
            table_text(
                rows, headers([("field", "field"), ("value", "value")]), title=title, to_file=output is not None
            ),
            output,
        )
    else:
        write_out(render_text(data, [], [], fmt), output)
