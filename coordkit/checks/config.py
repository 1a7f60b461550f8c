"""Thresholds for the checks, from the workspace's ``coord.toml`` (defaults when absent).

lang = "zh"               # the language coord speaks in this workspace (zh or en; optional)

[check]
overload_share = 0.4      # a party carrying more than this share of a project's R and A
overload_min = 10         # ... counted only in projects with at least this many R/A
expiry_warning_days = 30  # agreements ending within this many days
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from coordkit.errors import InvalidInput, did_you_mean
from coordkit.i18n import _, checked_workspace_language

CONFIG_FILE = "coord.toml"


@dataclass(frozen=True)
class CheckConfig:
    overload_share: float = 0.4
    overload_min: int = 10
    expiry_warning_days: int = 30
    unsigned_grace_days: int = 30


def load_config(root: Path) -> CheckConfig:
    """The workspace's settings; a malformed file is an error naming file, line and setting."""
    from coordkit.files import read_limited
    from coordkit.limits import CONFIG_BYTES

    path = root / CONFIG_FILE
    if not path.is_file():
        return CheckConfig()
    try:
        data = tomllib.loads(read_limited(path, limit=CONFIG_BYTES, what="coord.toml").decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(_("{path}: {error}").format(path=path, error=error)) from None
    except UnicodeDecodeError:
        raise InvalidInput(_("{path}: not UTF-8 text").format(path=path)) from None
    unknown = sorted(set(data) - {"lang", "check"})
    if unknown:
        raise InvalidInput(
            _('{path}: unknown setting \'{name}\'; coord.toml holds lang = "zh" or "en" and a [check] section').format(
                path=path, name=unknown[0]
            )
        )
    checked_workspace_language(data.get("lang"), path)
    section = data.get("check", {})
    if not isinstance(section, dict):
        raise InvalidInput(
            _("{path}: 'check' must be a section: write [check] on a line of its own, then its settings").format(
                path=path
            )
        )
    known = {f.name: f for f in fields(CheckConfig)}
    values: dict[str, float | int] = {}
    for name, value in section.items():
        if name not in known:
            hint = did_you_mean(name, known, otherwise=_("known"))
            raise InvalidInput(_("{path}: unknown setting 'check.{name}'").format(path=path, name=name) + hint)
        default = getattr(CheckConfig, name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(default, int) and not isinstance(value, int))
        ):
            kind = _("a whole number") if isinstance(default, int) else _("a number")
            raise InvalidInput(
                _("{path}: check.{name} must be {kind} (got {value})").format(
                    path=path, name=name, kind=kind, value=repr(value)
                )
            )
        if name == "overload_share" and not 0 < value <= 1:
            raise InvalidInput(
                _("{path}: check.overload_share must be above 0 and at most 1 (got {value})").format(
                    path=path, value=value
                )
            )
        if value < 0:
            raise InvalidInput(
                _("{path}: check.{name} must not be negative (got {value})").format(path=path, name=name, value=value)
            )
        values[name] = value
    return CheckConfig(**values)  # type: ignore[arg-type]
