"""Rows to text: JSON, CSV, YAML and Markdown (the CLI adds the terminal table).

Machine formats carry no colour or markup, keep Chinese as it is (no ``\\u``
escapes) and keep the field names documented in the README.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

Columns = Sequence[tuple[str, str]]  # (field, header)

TEXT_FORMATS = ("table", "json", "csv", "yaml", "md")


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
    """Readable and fast (the C encoder does the work): lists of records put one record per line."""
    return _json(data, "") + "\n"


def _json(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return "[\n" + ",\n".join(inner + _compact(item) for item in value) + "\n" + indent + "]"
    if isinstance(value, dict) and value and len(indent) < 4:
        items = (inner + _compact(str(k)) + ": " + _json(v, inner) for k, v in value.items())
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def to_yaml(data: Any) -> str:
    """YAML through libyaml when it is there (several times faster; the same text)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100))


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Columns) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([field for field, _ in columns])
    for row in rows:
        writer.writerow([cell_text(row.get(field)) for field, _ in columns])
    return buffer.getvalue()


def to_markdown(rows: Sequence[Mapping[str, Any]], columns: Columns) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header for _, header in columns) + " |"]
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
