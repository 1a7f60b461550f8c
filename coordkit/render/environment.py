"""The Jinja environment: built-in templates, overridden by name from a workspace.

Undefined variables are errors, HTML is autoescaped, and every template runs in
Jinja's sandbox (the built-in ones need nothing the sandbox forbids, so a
workspace's own templates get the same, safe treatment).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordkit.errors import InvalidInput

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


def builtin_dir() -> Path:
    """``coordkit/templates`` in an installed wheel, else the repository's ``templates/``."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


@functools.lru_cache(maxsize=8)
def environment(workspace: Path | None = None) -> SandboxedEnvironment:
    """One environment per workspace and process: templates compile once (Jinja reloads changed files)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    loaders = []
    if workspace is not None and (workspace / "templates").is_dir():
        loaders.append(FileSystemLoader(workspace / "templates"))
    loaders.append(FileSystemLoader(builtin_dir()))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(name: str, context: dict[str, Any], workspace: Path | None = None) -> str:
    """Render a template; template errors become one line naming template, line and problem."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    env = environment(workspace)
    try:
        return env.get_template(name).render(**context)
    except TemplateNotFound as error:
        raise InvalidInput(f"no template '{error.name}'") from None
    except TemplateSyntaxError as error:
        raise InvalidInput(f"template {error.name or name}, line {error.lineno}: {error.message}") from None
    except (UndefinedError, SecurityError) as error:
        raise InvalidInput(f"template {name}{_line(error, name)}: {error}") from None
    except TemplateError as error:
        raise InvalidInput(f"template {name}: {error}") from None


def _line(error: BaseException, name: str) -> str:
    """The template line an error was raised at, from its traceback."""
    tb = error.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", line {line}" if line else ""
