"""Reading YAML files a person wrote: strictly, with positions for every value.

PyYAML alone silently keeps the last of two equal keys, happily expands an
alias bomb, and reports errors without saying which field; this module reads
the node tree instead, so that every error names the file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coordkit.errors import InvalidInput

MAX_NODES = 200_000  # values after expanding aliases; a "billion laughs" file has ~10^9


@dataclass
class Located:
    """A loaded document and where each value came from: path tuple -> (line, column), 1-based."""

    data: Any
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    name: str = "<input>"

    def where(self, path: tuple[str | int, ...]) -> str:
        """``file:line:column`` of the deepest known part of ``path``."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                line, column = self.positions[path[:end]]
                return f"{self.name}:{line}:{column}"
        return self.name


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has once aliases are expanded, without expanding them."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once instead of looping
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[id(node)] = total
        return total

    return size(root)


def _construct(node: yaml.Node, path: tuple[str | int, ...], located: Located, loader: yaml.SafeLoader) -> Any:
    located.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InvalidInput(f"{located.name}:{key_node.start_mark.line + 1}: merge keys (<<) are not supported")
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise InvalidInput(
                    f"{located.name}:{key_node.start_mark.line + 1}:{key_node.start_mark.column + 1}: "
                    f"a key must be text (got {key!r})"
                )
            if key in result:
                first = located.positions.get((*path, key), (0, 0))
                raise InvalidInput(
                    f"{located.name}:{key_node.start_mark.line + 1}:{key_node.start_mark.column + 1}: "
                    f"duplicate key '{key}' (first at line {first[0]}); YAML would silently keep only the last"
                )
            located.positions[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _construct(value_node, (*path, key), located, loader)
            located.positions[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, (*path, i), located, loader) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_text(text: str, name: str = "<input>") -> Located:
    """Parse one YAML document; errors name ``name``, line and column."""
    located = Located(None, name=name)
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return located
        if _expanded_size(root) > MAX_NODES:
            raise InvalidInput(
                f"{name}: the document expands to more than {MAX_NODES:,} values through aliases "
                "(an alias bomb?); refused"
            )
        located.data = _construct(root, (), located, loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise InvalidInput(f"{where}: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise InvalidInput(f"{name}: {error}") from None
    finally:
        loader.dispose()
    return located


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
