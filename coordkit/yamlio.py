"""Reading YAML files a person wrote: strictly, and able to say where every value came from.

PyYAML alone silently keeps the last of two equal keys, happily expands an
alias bomb, and reports errors without saying which field; this module builds
the data from the parsed node tree instead (with libyaml's parser when it is
there), and keeps the tree so that an error can name file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from coordkit.errors import InvalidInput

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR = "tag:yaml.org,2002:str"
MAX_EXPANSION = 10  # aliases may repeat a document's content, not multiply it (a "billion laughs" does)


@dataclass
class Located:
    """A loaded document; where a value came from is worked out again from the text, on demand."""

    data: Any
    name: str = "<input>"
    text: str = ""
    _root: Any = None

    def where(self, path: tuple[str | int, ...]) -> str:
        """``file:line:column`` of the deepest part of ``path`` that exists (keys point at the key).

        Errors are rare, so the node tree (several times the size of the data) is only built for them.
        """
        if self._root is None and self.text:
            self._root = Loader(self.text).get_single_node()
        node, mark = self._root, None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == part), None)
                if found is None:
                    break
                mark, node = found[0].start_mark, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        if mark is None:
            return self.name
        return f"{self.name}:{mark.line + 1}:{mark.column + 1}"


class _Frame:
    __slots__ = ("anchor", "container", "key", "key_mark", "lines", "size")

    def __init__(self, container: Any, anchor: str | None) -> None:
        self.container, self.anchor, self.size = container, anchor, 1
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.lines: dict[Any, int] = {}


_NO_KEY = object()


def _build(loader: Any, name: str) -> Any:
    """Data straight from the parser's events: no node tree, aliases shared, their expansion counted."""
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    result: list[Any] = []
    distinct = expanded = documents = 0

    def at(mark: Any) -> str:
        return f"{name}:{mark.line + 1}:{mark.column + 1}"

    def add(value: Any, size: int, mark: Any) -> None:
        if not stack:
            result.append(value)
            return
        frame = stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            frame.container.append(value)
        elif frame.key is _NO_KEY:
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise InvalidInput(f"{at(mark)}: a key must be text (got {value!r})")
            if value in frame.container or value in frame.lines:
                raise InvalidInput(
                    f"{at(mark)}: duplicate key '{value}' (first at line {frame.lines[value]}); "
                    "YAML would silently keep only the last"
                )
            frame.key, frame.key_mark = value, mark
            frame.lines[value] = mark.line + 1
        else:
            frame.container[frame.key] = value
            frame.key = _NO_KEY

    while loader.check_event():
        event = loader.get_event()
        if isinstance(event, yaml.ScalarEvent):
            tag = (
                event.tag
                if event.tag not in (None, "!")
                else loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            )
            if tag == "tag:yaml.org,2002:merge":
                raise InvalidInput(f"{at(event.start_mark)}: merge keys (<<) are not supported")
            value = event.value
            if tag != STR:
                value = loader.construct_object(yaml.ScalarNode(tag, event.value, style=event.style), deep=True)
            distinct += 1
            expanded += 1
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            add(value, 1, event.start_mark)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            distinct += 1
            expanded += 1
            frame = _Frame({} if isinstance(event, yaml.MappingStartEvent) else [], event.anchor)
            frame.key_mark = event.start_mark
            stack.append(frame)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = stack.pop()
            if frame.anchor:
                anchors[frame.anchor] = (frame.container, frame.size)
            add(frame.container, frame.size, event.start_mark)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise InvalidInput(f"{at(event.start_mark)}: the alias *{event.anchor} refers to itself or to nothing")
            value, size = anchors[event.anchor]
            expanded += size
            add(value, size, event.start_mark)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise InvalidInput(f"{at(event.start_mark)}: one document per file, please (found a second '---')")
    if expanded > MAX_EXPANSION * distinct + 10_000:
        raise InvalidInput(
            f"{name}: aliases expand the document to {expanded:,} values from {distinct:,} (an alias bomb?); refused"
        )
    return result[0] if result else None


def load_text(text: str, name: str = "<input>") -> Located:
    """Parse one YAML document; errors name ``name``, line and column."""
    loader = Loader(text)
    try:
        return Located(_build(loader, name), name, text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise InvalidInput(f"{where}: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise InvalidInput(f"{name}: {error}") from None
    finally:
        loader.dispose()


def load_file(path: Path) -> Located:
    """Read a YAML file that must exist and be UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
        ) from None
    return load_text(text.removeprefix("\ufeff"), str(path))
