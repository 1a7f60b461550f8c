"""Rows to text: JSON, CSV, YAML and Markdown (the CLI adds the terminal table).

Machine formats carry no colour or markup, keep Chinese as it is (no ``\\u``
escapes) and keep the field names documented in the README.
"""

from __future__ import annotations

import csv
import html
import io
import json
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Columns = Sequence[tuple[str, str]]  # (field, header)

TEXT_FORMATS = ("table", "json", "csv", "yaml", "md")

# C0 controls except tab and newline, DEL, and C1 controls (0x9b alone starts an escape sequence on some terminals)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as the start of a formula (OWASP)


def strip_control(text: str) -> str:
    """``'Liede\\x1b[2J'`` → ``'Liede[2J'``: an ESC from a name never reaches a terminal or an XLSX cell.

    Tab and newline stay (they lay out text); everything else below 0x20, DEL
    and 0x80-0x9f go, which also makes the text legal in XLSX (whose XML
    rejects most C0 characters).
    """
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def is_number(value: Any) -> bool:
    """Numbers (not booleans): ``-5`` stays ``-5`` in a spreadsheet; only text cells are neutralised."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def neutralise(text: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: a spreadsheet shows the text instead of running it.

    OWASP's rule for CSV injection: a text cell starting with ``= + - @``, tab
    or CR gets a leading single quote, which Excel, LibreOffice and WPS read as
    "this is text".
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: Any) -> str:
    """One CSV cell: numbers as they are, text through ``neutralise``."""
    if is_number(value):
        return str(value)
    return neutralise(cell_text(value))


def cell_text(value: Any) -> str:
    """One flat cell: lists of mappings become ``a: b; c: d``, None becomes empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={cell_text(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list | tuple):
        return "; ".join(_item_text(v) for v in value)
    return str(value)


def _item_text(item: Any) -> str:
    if isinstance(item, Mapping):
        parts = [cell_text(v) for v in item.values() if v not in (None, "")]
        return ": ".join(parts[:2]) + (f" ({', '.join(parts[2:])})" if len(parts) > 2 else "")
    return cell_text(item)


def to_json(data: Any) -> str:
    """Readable and fast (the C encoder does the work): lists of records put one record per line.

    The pieces are joined once at the end: ``coord check`` of the reference store writes 10 MB, and joining
    each level and adding the next piece copied it five times (0.19 s → 0.09 s)."""
    parts: list[str] = []
    _json(data, "", parts.append)
    parts.append("\n")
    return "".join(parts)


def _json(value: Any, indent: str, out: Callable[[str], None]) -> None:
    inner = indent + "  "
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        out("[\n" + inner)
        separator = ",\n" + inner
        for position, item in enumerate(value):
            if position:
                out(separator)
            out(_ENCODE(item))
        out("\n" + indent + "]")
    elif isinstance(value, dict) and value and len(indent) < 4:
        out("{\n")
        for position, (key, item) in enumerate(value.items()):
            out((",\n" if position else "") + inner + _ENCODE(str(key)) + ": ")
            _json(item, inner, out)
        out("\n" + indent + "}")
    else:
        out(_ENCODE(value))


# json.dumps with options builds an encoder per call: one shared encoder for the 22,220 findings of coord check at
# reference scale (0.11 s → 0.05 s); the same text.
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode


def to_yaml(data: Any) -> str:
    """YAML through libyaml when it is there (several times faster; the same text)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100))


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Columns, *, headers: bool = False) -> str:
    """The first row holds the field names, or with ``headers`` the columns' headers (translated ones)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(header if headers else field) for field, header in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(field)) for field, _ in columns])
    return buffer.getvalue()


def markdown_cell(text: str) -> str:
    """``<script>`` → ``&lt;script&gt;``, ``|`` → ``\\|``: a name stays text in every Markdown viewer.

    Markdown passes raw HTML through, so a stakeholder named ``<script>…``
    would run in a viewer that renders it; control characters go too.
    """
    return html.escape(strip_control(text), quote=False).replace("|", "\\|").replace("\n", " ").replace("\t", " ")


def to_markdown(rows: Sequence[Mapping[str, Any]], columns: Columns) -> str:
    esc = markdown_cell
    lines = ["| " + " | ".join(esc(header) for _, header in columns) + " |"]
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(esc(cell_text(row.get(f))) for f, _ in columns) + " |")
    return "\n".join(lines) + "\n"


def render_text(data: Any, rows: Sequence[Mapping[str, Any]], columns: Columns, fmt: str) -> str:
    """Render ``data`` (json, yaml) or its flat ``rows`` (csv, md)."""
    if fmt == "json":
        return to_json(data)
    if fmt == "yaml":
        return to_yaml(data)
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "md":
        return to_markdown(rows, columns)
    raise ValueError(f"not a text format: {fmt}")
