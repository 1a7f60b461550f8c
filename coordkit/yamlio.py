"""Reading YAML files a person wrote: strictly, and able to say where every value came from.

PyYAML alone silently keeps the last of two equal keys, happily expands an
alias bomb, and reports errors without saying which field; this module builds
the data from the parsed node tree instead (with libyaml's parser when it is
there), and keeps the tree so that an error can name file, line and column.

What the parser would turn into a traceback or a silent change becomes one
line naming the place: an impossible date left unquoted (``2024-02-30``), an
integer of more than 4,300 digits, a NUL character. An unquoted decimal keeps
the digits the person wrote: ``1234567890123456789.99`` is read as that exact
``Decimal``, never as the float ``1.2345678901234568e18`` (which an agreement
would then sign as ``1234567890123456800``). Files are read with a bound, so
``/dev/zero`` or a FIFO named as a YAML file is refused instead of filling
memory or waiting forever.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from coordkit.errors import InvalidInput
from coordkit.i18n import N_, _
from coordkit.limits import YAML_BYTES, YAML_VALUE_CHARS

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR = "tag:yaml.org,2002:str"
FLOAT = "tag:yaml.org,2002:float"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAX_EXPANSION = 10  # aliases may repeat a document's content, not multiply it (a "billion laughs" does)


# What libyaml (and PyYAML without it) says about a malformed file, marked for translation: the place is
# already in the message, the problem is what a coordinator reads next. One not listed is shown as it is.
# The marked texts are format strings ("'}}'" is one brace), like every other message.
_YAML_MESSAGES = (
    N_("did not find expected node content"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}}'"),
    N_("did not find expected <document start>"),
    N_("did not find expected comment or line break"),
    N_("mapping values are not allowed in this context"),
    N_("mapping values are not allowed here"),
    N_("block sequence entries are not allowed in this context"),
    N_("could not find expected ':'"),
    N_("found character that cannot start any token"),
    N_("found unexpected end of stream"),
    N_("found a tab character that violates indentation"),
    N_("found unknown escape character"),
    N_("found unknown directive name"),
    N_("found undefined tag handle"),
)
YAML_PROBLEMS = {message.format(): message for message in _YAML_MESSAGES}  # as the parser says it: marked


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
                raise InvalidInput(
                    _("{where}: a key must be text (got {value})").format(where=at(mark), value=repr(value))
                )
            if value in frame.container or value in frame.lines:
                raise InvalidInput(
                    _(
                        "{where}: duplicate key '{key}' (first at line {line}); YAML would silently keep only the last"
                    ).format(where=at(mark), key=value, line=frame.lines[value])
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
                raise InvalidInput(_("{where}: merge keys (<<) are not supported").format(where=at(event.start_mark)))
            value = event.value if tag == STR else _scalar(loader, tag, event, at(event.start_mark))
            if isinstance(value, str):
                _check_string(value, at(event.start_mark))
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
                raise InvalidInput(
                    _("{where}: the alias *{anchor} refers to itself or to nothing").format(
                        where=at(event.start_mark), anchor=event.anchor
                    )
                )
            value, size = anchors[event.anchor]
            expanded += size
            add(value, size, event.start_mark)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise InvalidInput(
                    _("{where}: one document per file, please (found a second '---')").format(
                        where=at(event.start_mark)
                    )
                )
    if expanded > MAX_EXPANSION * distinct + 10_000:
        raise InvalidInput(
            _(
                "{name}: aliases expand the document to {expanded:,} values from {distinct:,} (an alias bomb?); refused"
            ).format(name=name, expanded=expanded, distinct=distinct)
        )
    return result[0] if result else None


def _scalar(loader: Any, tag: str, event: Any, where: str) -> Any:
    """A plain scalar's value; a decimal keeps its exact digits; a value Python refuses is one line."""
    if tag == FLOAT:
        try:
            exact = Decimal(event.value.replace("_", ""))
        except InvalidOperation:  # .inf, .nan, 1:30.5 (sexagesimal): as PyYAML reads them
            pass
        else:
            if exact.is_finite():
                return exact
    try:
        return loader.construct_object(yaml.ScalarNode(tag, event.value, style=event.style), deep=True)
    except (ValueError, OverflowError) as error:
        if tag == TIMESTAMP:
            raise InvalidInput(
                _("{where}: {value} is not a date ({error}); write a day that exists, such as 2024-02-29").format(
                    where=where, value=event.value, error=error
                )
            ) from None
        raise InvalidInput(
            _("{where}: {value} cannot be read ({error}); put it in quotes to keep it as text").format(
                where=where, value=event.value[:80], error=str(error).split(";")[0]
            )
        ) from None


def _check_string(value: str, where: str) -> None:
    """No NUL (PostgreSQL cannot keep one), nothing longer than any field allows."""
    if "\x00" in value:
        raise InvalidInput(_("{where}: the text holds a NUL character (\\0); remove it").format(where=where))
    if len(value) > YAML_VALUE_CHARS:
        raise InvalidInput(
            _("{where}: a text of {length:,} characters; at most {limit:,} are allowed in one value").format(
                where=where, length=len(value), limit=YAML_VALUE_CHARS
            )
        )


def yaml_problem(error: yaml.MarkedYAMLError) -> str:
    """The parser's problem in the reader's language when it is one of ``YAML_PROBLEMS``, else as it says it;
    its context (``while parsing a block mapping``) only when there is no problem."""
    problem = error.problem or error.context or ""
    return _(YAML_PROBLEMS[problem]).format() if problem in YAML_PROBLEMS else problem


def load_text(text: str, name: str = "<input>") -> Located:
    """Parse one YAML document; errors name ``name``, line and column."""
    loader = Loader(text)
    try:
        return Located(_build(loader, name), name, text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise InvalidInput(_("{where}: {message}").format(where=where, message=yaml_problem(error))) from None
    except yaml.YAMLError as error:
        raise InvalidInput(_("{where}: {message}").format(where=name, message=error)) from None
    finally:
        loader.dispose()


def load_file(path: Path, *, limit: int | None = None) -> Located:
    """Read a YAML file that must exist, be a regular file of at most ``limit`` bytes (64 MB), and be UTF-8."""
    from coordkit.files import read_limited

    if not path.exists():
        raise InvalidInput(_("{path}: no such file").format(path=path))
    if path.is_dir():
        raise InvalidInput(_("{path}: is a folder, not a file").format(path=path))
    raw = read_limited(path, limit=YAML_BYTES if limit is None else limit, what=_("YAML file"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(
            _("{where}: not UTF-8 text (byte {byte}); save the file as UTF-8").format(
                where=f"{path}:{line}", byte=f"0x{raw[error.start]:02x}"
            )
        ) from None
    return load_text(text.removeprefix("\ufeff"), str(path))


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The safe dumper (libyaml's when it is there) writing a text of several lines as a literal block."""


def _text(dumper: Any, value: str) -> Any:
    """A text with a line break as a literal block (``|``), each line as it reads: drafting notes, minutes.

    The emitter still quotes one that a block cannot hold exactly (a line ending in a space, a control
    character), so what is read back is always the same text.
    """
    return dumper.represent_scalar(STR, value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump(data: Any) -> str:
    """``data`` as a YAML file a person edits (``coord export``, the ``coord agreement edit`` form): keys in the
    order given, Chinese as it is, texts of several lines as literal blocks; ``load_text`` reads it back equal."""
    return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100))
