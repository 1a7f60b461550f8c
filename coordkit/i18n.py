"""The language coord speaks to the person at the terminal: gettext catalogues.

``_()`` marks a message and translates it into the chosen language; messages
with values use named fields, ``_("no stakeholder '{key}'").format(key=key)``,
so a translator can move the value where Chinese word order puts it. The
language is ``--lang`` where a command has it, else ``COORD_LANG`` (``zh`` or
``en``), else the workspace's ``coord.toml`` ``lang``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``). Catalogues live in ``coordkit/locale`` (compiled when the package
is built). Rule names, keys, JSON/YAML field names and exit codes are never
translated.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext

LANGUAGES = ("en", "zh")
DOMAIN = "coordkit"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
WORKSPACE_CONFIG = "coord.toml"  # the same file as coordkit.checks.config.CONFIG_FILE

_explicit: str | None = None  # --lang on the command line
_workspace: str | None = None  # lang in the workspace's coord.toml
_held: str | None = None  # the language of a run that holds it (``held_language``)


def normalise(value: str) -> str | None:
    """``zh_CN.UTF-8``, ``zh-Hans`` or ``中文`` → ``zh``; ``en_GB`` → ``en``; anything else → None."""
    text = value.strip().lower()
    if text.startswith("zh") or text in ("中文", "chinese", "cn"):
        return "zh"
    if text.startswith("en") or text in ("c", "posix", "english"):
        return "en"
    return None


def _from_env(env: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = env.get(name)
        if value:
            found = normalise(value)
            if found:
                return found
    return None


def set_language(lang: str | None) -> None:
    """The language asked for on the command line (``--lang``); None forgets it."""
    global _explicit
    _explicit = normalise(lang) if lang else None


def set_workspace_language(lang: str | None) -> None:
    """The workspace's ``lang`` from coord.toml; ``COORD_LANG`` still wins over it."""
    global _workspace
    _workspace = normalise(lang) if lang else None


def language(env: Mapping[str, str] | None = None) -> str:
    """``--lang``, else ``COORD_LANG``, else the workspace's coord.toml, else the locale, else English."""
    if _held is not None and env is None:
        return _held
    env = os.environ if env is None else env
    return (
        _explicit
        or _from_env(env, ("COORD_LANG",))
        or _workspace
        or _from_env(env, ("LC_ALL", "LC_MESSAGES", "LANG"))
        or "en"
    )


@contextmanager
def held_language() -> Iterator[str]:
    """The language read once for a run that translates thousands of messages: ``coord check`` of the reference
    store asked 34,055 times, each asking the environment twice (0.15 s of its 1.5 s target)."""
    global _held
    outer = _held
    _held = language()
    try:
        yield _held
    finally:
        _held = outer


@functools.lru_cache(maxsize=4)
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English is the source text: no catalogue needed).

    gettext is imported here, not at start-up: English (``coord --help``) never needs it.
    """
    import gettext

    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the chosen language (English is the message itself)."""
    lang = language()
    return message if lang == "en" else translations(lang).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    lang = language()
    if lang == "en":
        return singular if count == 1 else plural
    return translations(lang).ngettext(singular, plural, count)


def sentences(*parts: str) -> str:
    """Finished sentences one after the other: a space between them in English, none in Chinese, whose full
    stop 。 already ends one ("计划：……不变。已应用。", not "不变。 已应用。")."""
    return ("" if language() == "zh" else " ").join(parts)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it yet (constants defined at import)."""
    return message


def workspace_language(root: Path) -> str | None:
    """The ``lang`` of ``root/coord.toml`` ("zh" or "en"), None when the file or the key is absent.

    Every command asks this once the store is located, so a workspace without
    a ``lang`` costs one file read and no TOML parsing (the bytes ``lang`` must
    occur for the key to be there). A ``lang`` other than zh or en, or a file
    that is not TOML, is an ``InvalidInput`` naming the file.
    """
    path = root / WORKSPACE_CONFIG
    try:
        raw = path.read_bytes()
    except OSError:  # no coord.toml (or a folder of that name): the workspace says nothing
        return None
    if b"lang" not in raw:
        return None
    import tomllib

    from coordkit.errors import InvalidInput

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(_("{path}: {error}").format(path=path, error=error)) from None
    except UnicodeDecodeError:
        raise InvalidInput(_("{path}: not UTF-8 text").format(path=path)) from None
    return checked_workspace_language(data.get("lang"), path)


def checked_workspace_language(value: object, path: Path) -> str | None:
    """``value`` of coord.toml's top-level ``lang``: exactly "zh" or "en" (None when unset).

    Exact, unlike ``COORD_LANG``: a file is written once and read by everyone,
    so ``lang = "zh_CN"`` is refused with the two values that work rather than
    guessed at.
    """
    if value is None:
        return None
    if isinstance(value, str) and value in LANGUAGES:
        return value
    from coordkit.errors import InvalidInput

    raise InvalidInput(
        _('{path}: lang must be "zh" or "en" (got {value}); write lang = "zh" for Chinese').format(
            path=path, value=repr(value)
        )
    )
