"""Jinja's sandbox with limits: a workspace template can neither read files nor run forever.

The sandbox already stops attribute tricks (``''.__class__``); these limits
stop the rest a hostile template can do to the machine it renders on:

- ``range()`` above 100,000 items, and any string, list or number that a
  ``*``, ``+``, ``**``, ``%``, ``~``, filter or method call would make larger than
  10 million characters or items (``{{ 'a' * 10**10 }}`` asks for 10 GB);
- output above 50 million characters (the template is rendered piece by piece
  and stopped there);
- macros nested deeper than 100 calls (a macro that calls itself);
- a wall-clock limit of 60 s, checked at the top of every loop and block
  body and in every call, filter and operator hook: portable (no signals, no
  threads, any thread), and late by at most one step that is itself bounded
  by the size limits;
- template files that are links to something outside their folder
  (``templates/evil.txt -> /etc/passwd``).

Each refusal is a ``TemplateLimit`` whose message names the problem; the
caller adds the template name and line.
"""

from __future__ import annotations

import contextvars
import functools
import math
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Template
from jinja2.exceptions import TemplateNotFound
from jinja2.loaders import FileSystemLoader, split_template_path
from jinja2.runtime import Context, Macro
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from coordkit.i18n import _

MAX_RANGE = 100_000  # items one range() may have: 100,000 rows is more than any agreement or register needs
MAX_SIZE = 10_000_000  # characters or items in one value (about 10 MB of text)
MAX_OUTPUT = 50_000_000  # characters one document may have
MAX_DEPTH = 100  # nested macro calls
MAX_INT_BITS = 100_000  # a number of 30,000 digits is still printable; 10**10**10 is not
MAX_TEMPLATE = 5_000_000  # bytes of one template file
TIME_LIMIT = 60.0  # seconds one document may take to render


_CONTAINERS = (list, tuple, dict, set, frozenset)


class TemplateLimit(SecurityError):
    """A template asked for more than a document may take; the message says what."""


@dataclass
class Budget:
    """The limits of one rendering: when it must end and how deep macros are nested."""

    deadline: float
    limit: float
    depth: int = 0


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("coord_template_budget", default=None)


@contextmanager
def limited(seconds: float | None = None) -> Iterator[Budget]:
    """Render inside a time budget (nested renders share the outer one)."""
    current = _budget.get()
    if current is not None:
        yield current
        return
    limit = TIME_LIMIT if seconds is None else seconds
    budget = Budget(time.monotonic() + limit, limit)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def weight(value: Any, limit: int = MAX_SIZE) -> int:
    """Characters and items in ``value``, counting nested lists and dicts (stops counting past ``limit``).

    ``[s] * 1000`` holds one string a thousand times: printing it writes the
    string a thousand times, so it weighs 1000 × len(s). Each container is
    walked once (a shared one is counted again without walking it again), so
    the cost stays linear in what the template really built.
    """
    if isinstance(value, str | bytes):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return 1
    known: dict[int, int] = {}
    walking: set[int] = set()

    def walk(item: Any) -> int:
        key = id(item)
        if key in known:
            return known[key]
        total = len(item)
        if total > limit or key in walking:  # too big already, or a list that holds itself (printed as [...])
            return total
        walking.add(key)
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, str | bytes):
                total += len(child)
            elif isinstance(child, _CONTAINERS):
                total += walk(child)
            if total > limit:
                break
        walking.discard(key)
        known[key] = total
        return total

    return walk(value)


def _too_big(size: int) -> TemplateLimit:
    return TemplateLimit(
        _("a value of {size:,} characters or items; a template may make at most {limit:,}").format(
            size=size, limit=MAX_SIZE
        )
    )


def check_size(value: Any) -> Any:
    """``value`` itself, or ``TemplateLimit`` when it weighs more than ``MAX_SIZE``."""
    if type(value) is str and len(value) <= MAX_SIZE:  # nearly every value a template prints
        return value
    size = weight(value)
    if size > MAX_SIZE:
        raise _too_big(size)
    return value


def tick() -> None:
    """Stop a rendering that has run out of time (called in every loop body and hook)."""
    budget = _budget.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise TemplateLimit(
            _(
                "still rendering after {seconds:g} seconds (a loop that never ends?); a document may take at most that long"
            ).format(seconds=budget.limit)
        )


def limited_range(*args: int) -> range:
    """``range`` that refuses more than ``MAX_RANGE`` items, before making any."""
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise TemplateLimit(
            _("range() of {count:,} items; a template may ask for at most {limit:,}").format(
                count=len(items), limit=MAX_RANGE
            )
        )
    return items


_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?|\{[^{}]*:[^{}]*?(\d+|\{)[^{}]*\}")


def _check_format(template: str, args: Any) -> None:
    """``'%*s' % (10**9, 'x')`` or ``'{:>999999999}'.format(1)``: widths above the size limit are refused."""
    for match in _WIDTH.finditer(template):
        for group in match.groups():
            if group is None:
                continue
            if group in ("*", "{"):
                values = args if isinstance(args, tuple | list) else (args,)
                if any(isinstance(v, int) and v > MAX_SIZE for v in values):
                    raise _too_big(max(v for v in values if isinstance(v, int)))
            elif len(group) > 8 or int(group) > MAX_SIZE:
                raise _too_big(int(group))
    check_size(args)


_SIZED = (str, bytes, list, tuple)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, _SIZED) and isinstance(count, int) and count > 0:
                size = weight(seq) * count
                if size > MAX_SIZE:
                    raise _too_big(size)
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise _too_big_number()
    elif operator == "+":  # by length only: what the result holds is weighed where it is printed or joined
        if isinstance(left, _SIZED) and isinstance(right, _SIZED) and len(left) + len(right) > MAX_SIZE:
            raise _too_big(len(left) + len(right))
    elif operator == "**":
        if (
            isinstance(left, int | float)
            and isinstance(right, int)
            and abs(left) > 1
            and right * math.log2(abs(left)) > MAX_INT_BITS
        ):
            raise _too_big_number()
    elif operator == "%" and isinstance(left, str):
        _check_format(left, right)


def _too_big_number() -> TemplateLimit:
    return TemplateLimit(
        _("a number of more than {digits:,} digits; a template may make no larger ones").format(
            digits=int(MAX_INT_BITS * math.log10(2))
        )
    )


# what Jinja itself passes along with a call made inside a loop or block: the variables there
_JINJA_KWARGS = {"_loop_vars", "_block_vars"}

# methods that make a list, dict or set larger in place
_GROWING = {"append", "extend", "insert", "update", "setdefault", "add", "__setitem__"}

# str methods whose integer argument is the size of the result: 'a'.ljust(10**10)
_SIZE_METHODS = {"ljust", "rjust", "center", "zfill", "expandtabs"}


def _check_method(owner: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a str method call whose result would pass the size limit, before it is made."""
    if isinstance(owner, str):
        size = 0
        if name in _SIZE_METHODS:
            tabs = owner.count("\t") if name == "expandtabs" else 1
            size = max((v * max(1, tabs) for v in (*args, *kwargs.values()) if isinstance(v, int)), default=0)
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            count = owner.count(args[0]) if args[0] else len(owner) + 1
            size = len(owner) + count * len(args[1])
        elif name == "join" and args and isinstance(args[0], list | tuple):
            size = weight(args[0]) + len(owner) * len(args[0])
        if size > MAX_SIZE:
            raise _too_big(size)
    for key, value in (*enumerate(args), *kwargs.items()):
        if isinstance(value, list | tuple | dict | set) and key not in _JINJA_KWARGS:
            check_size(value)


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses arguments that would make it build a value above the size limit, and checks its result."""

    passes_context = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        tick()
        values = list(args[1:] if passes_context else args)  # the context, eval context or environment comes first
        for value in (*values, *kwargs.values()):
            if isinstance(value, str | bytes | list | tuple | dict | set):
                check_size(value)
        if name in ("center", "indent") and values:
            text = values[0]
            width = values[1] if len(values) > 1 else kwargs.get("width", 0)
            if isinstance(width, int) and isinstance(text, str):
                lines = text.count("\n") + 1 if name == "indent" else 1
                if len(text) + lines * width > MAX_SIZE:
                    raise _too_big(len(text) + lines * width)
        elif name == "format" and values and isinstance(values[0], str):
            _check_format(values[0], tuple(values[1:]) or dict(kwargs))
        elif name == "replace" and len(values) >= 3 and isinstance(values[0], str):
            _check_method(values[0], "replace", (str(values[1]), str(values[2])), {})
        elif name == "join" and values and isinstance(values[0], list | tuple):
            separator = values[1] if len(values) > 1 else kwargs.get("d", "")
            size = weight(values[0]) + len(str(separator)) * len(values[0])
            if size > MAX_SIZE:
                raise _too_big(size)
        result = function(*args, **kwargs)
        if isinstance(result, str | bytes | list | tuple | dict):
            check_size(result)
        return result

    return guarded


class LimitedCodeGenerator(CodeGenerator):
    """Jinja's compiler, plus a time check at the top of every block and loop body and a size check on ``~``."""

    def blockvisit(self, nodes: Any, frame: Frame) -> None:
        self.writeline("environment.tick()")
        super().blockvisit(nodes, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.check_size(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedTemplate(Template):
    """A template rendered piece by piece inside a time budget, stopped at ``MAX_OUTPUT`` characters."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with limited():
            pieces: list[str] = []
            total = 0
            for piece in self.generate(*args, **kwargs):
                total += len(piece)
                if total > MAX_OUTPUT:
                    raise TemplateLimit(
                        _("the document grew past {limit:,} characters; a document may have at most that many").format(
                            limit=MAX_OUTPUT
                        )
                    )
                pieces.append(piece)
            return self.environment.concat(pieces)


class LimitedEnvironment(SandboxedEnvironment):
    """The sandbox with the limits above."""

    code_generator_class = LimitedCodeGenerator
    template_class = LimitedTemplate
    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", check_size)
        super().__init__(*args, **kwargs)
        self.globals["range"] = limited_range
        self.globals.pop("lipsum", None)  # lipsum(n=10**9) would write a billion paragraphs of Latin
        self.filters = {name: _guard_filter(name, function) for name, function in self.filters.items()}

    @staticmethod
    def tick() -> None:
        tick()

    @staticmethod
    def check_size(value: Any) -> Any:
        return check_size(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        tick()
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        template = value.__self__

        @functools.wraps(wrapper)
        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(template, args + tuple(kwargs.values()))
            return check_size(wrapper(*args, **kwargs))

        return checked

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        tick()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if owner is not None:
            _check_method(owner, name, args, kwargs)
        if isinstance(__obj, Macro):
            budget = _budget.get()
            depth = (budget.depth if budget else 0) + 1
            if depth > MAX_DEPTH:
                raise TemplateLimit(
                    _("macros call each other more than {depth} levels deep (a macro that calls itself?)").format(
                        depth=MAX_DEPTH
                    )
                )
            if budget is not None:
                budget.depth = depth
            try:
                result = super().call(__context, __obj, *args, **kwargs)
            finally:
                if budget is not None:
                    budget.depth = depth - 1
        else:
            result = super().call(__context, __obj, *args, **kwargs)
        if name in _GROWING and isinstance(owner, list | dict | set):  # l.extend(l) doubles a list in place
            check_size(owner)
        if isinstance(result, str | bytes | list | tuple | dict):
            check_size(result)
        return result


class ContainedLoader(FileSystemLoader):
    """Templates from one folder, refusing links that lead outside it and files above ``MAX_TEMPLATE`` bytes."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = os.path.join(searchpath, *pieces)
            if not os.path.isfile(filename):
                continue
            root = os.path.realpath(searchpath)
            real = os.path.realpath(filename)
            if os.path.commonpath([root, real]) != root:
                raise TemplateLimit(
                    _("{name} in {folder} is a link to {target}, outside that folder; copy the file in instead").format(
                        name=template, folder=searchpath, target=real
                    )
                )
            if os.path.getsize(real) > MAX_TEMPLATE:
                raise TemplateLimit(
                    _("{name} is larger than {limit:,} bytes; a template may be at most that large").format(
                        name=template, limit=MAX_TEMPLATE
                    )
                )
            return super().get_source(environment, template)
        raise TemplateNotFound(template)
