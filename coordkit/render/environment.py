"""The Jinja environment: built-in templates, overridden by name from a workspace.

Undefined variables are errors, HTML is autoescaped, and every template runs in
Jinja's sandbox with limits on size, depth and time (``render.sandbox``; the
built-in ones need nothing the sandbox forbids, so a workspace's own templates
get the same, safe treatment). A workspace's ``templates/`` must lie inside the
workspace, and no template may be a link to a file outside its folder: a
workspace copied from someone else cannot make coord read ``~/.ssh``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


def builtin_dir() -> Path:
    """``coordkit/templates`` in an installed wheel, else the repository's ``templates/``."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def workspace_templates(workspace: Path | None) -> Path | None:
    """The workspace's ``templates/`` folder, resolved; None when there is none.

    A ``templates`` that is a link to a folder outside the workspace is refused
    (a workspace unpacked from someone else's archive could point it at ``~``).
    """
    if workspace is None:
        return None
    folder = workspace / "templates"
    if not folder.is_dir():
        return None
    real, root = folder.resolve(), workspace.resolve()
    if not real.is_relative_to(root):
        raise InvalidInput(
            _("{folder} is a link to {target}, outside the workspace; copy the templates into the workspace").format(
                folder=folder, target=real
            )
        )
    return real


def workspace_template(workspace: Path | None, name: str) -> Path | None:
    """The workspace's own template file ``name``, resolved; None when it has none.

    A file there that is a link to something outside ``templates/`` is refused,
    as the Jinja loader refuses it.
    """
    folder = workspace_templates(workspace)
    if folder is None or not (folder / name).is_file():
        return None
    real = (folder / name).resolve()
    if not real.is_relative_to(folder):
        raise InvalidInput(
            _("{name} in {folder} is a link to {target}, outside that folder; copy the file in instead").format(
                name=name, folder=folder, target=real
            )
        )
    return real


@functools.lru_cache(maxsize=8)
def environment(workspace: Path | None = None) -> SandboxedEnvironment:
    """One environment per workspace and process: templates compile once (Jinja reloads changed files)."""
    from jinja2 import ChoiceLoader, StrictUndefined, select_autoescape

    from coordkit.render.sandbox import ContainedLoader, LimitedEnvironment

    loaders = []
    own = workspace_templates(workspace)
    if own is not None:
        loaders.append(ContainedLoader(own))
    loaders.append(ContainedLoader(builtin_dir()))
    env = LimitedEnvironment(
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
    except RecursionError:
        raise InvalidInput(
            _("template {name}: templates or macros include or call themselves too deeply").format(name=name)
        ) from None
    except MemoryError:
        raise InvalidInput(_("template {name}: ran out of memory while rendering").format(name=name)) from None
    except TemplateNotFound as error:
        raise InvalidInput(_("no template '{name}'").format(name=error.name)) from None
    except TemplateSyntaxError as error:
        raise InvalidInput(
            _("template {name}, line {line}: {error}").format(
                name=error.name or name, line=error.lineno, error=error.message
            )
        ) from None
    except (UndefinedError, SecurityError) as error:
        line = _line(error, name)
        where = _("template {name}, line {line}") if line else _("template {name}")
        message = _("{where}: {message}").format(where=where.format(name=name, line=line), message=error)
        raise InvalidInput(message) from None
    except TemplateError as error:
        raise InvalidInput(_("template {name}: {error}").format(name=name, error=error)) from None


def _line(error: BaseException, name: str) -> int | None:
    """The template line an error was raised at, from its traceback (None when it was not in the template)."""
    tb = error.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
