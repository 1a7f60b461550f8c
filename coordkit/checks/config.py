"""Thresholds for the checks, from the workspace's ``coord.toml`` (defaults when absent).

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

CONFIG_FILE = "coord.toml"


@dataclass(frozen=True)
class CheckConfig:
    overload_share: float = 0.4
    overload_min: int = 10
    expiry_warning_days: int = 30
    unsigned_grace_days: int = 30


def load_config(root: Path) -> CheckConfig:
    """The workspace's settings; a malformed file is an error naming file, line and setting."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return CheckConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path}: {error}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None
    unknown_sections = sorted(set(data) - {"check"})
    if unknown_sections:
        raise InvalidInput(f"{path}: unknown section [{unknown_sections[0]}]; the settings live in [check]")
    section = data.get("check", {})
    known = {f.name: f for f in fields(CheckConfig)}
    values: dict[str, float | int] = {}
    for name, value in section.items():
        if name not in known:
            hint = did_you_mean(name, known, otherwise="known")
            raise InvalidInput(f"{path}: unknown setting 'check.{name}'{hint}")
        default = getattr(CheckConfig, name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(default, int) and not isinstance(value, int))
        ):
            raise InvalidInput(f"{path}: check.{name} must be a {type(default).__name__} (got {value!r})")
        if name == "overload_share" and not 0 < value <= 1:
            raise InvalidInput(f"{path}: check.overload_share must be above 0 and at most 1 (got {value})")
        if value < 0:
            raise InvalidInput(f"{path}: check.{name} must not be negative (got {value})")
        values[name] = value
    return CheckConfig(**values)  # type: ignore[arg-type]
