"""Thresholds for the checks, from the workspace's ``coord.toml`` (defaults when absent).

lang = "zh"               # the language coord speaks in this workspace (zh or en; optional)

[check]
overload_share = 0.4      # a party carrying more than this share of a project's R and A
overload_min = 10         # ... counted only in projects with at least this many R/A
expiry_warning_days = 30  # agreements ending within this many days
no_meeting_days = 90      # a project in progress without a joint meeting for longer than this
silent_days = 60          # a party with duties nobody has been in touch with for longer than this

[concerns]
escalate_to = "tianhe-district"           # the last rung of the escalation ladder (a stakeholder key)
ack_days = {low = 5, medium = 3, high = 1}         # days to acknowledge a concern, per severity
response_days = {low = 20, medium = 10, high = 5}  # days to respond to it, per severity
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from coordkit.errors import InvalidInput, did_you_mean
from coordkit.i18n import _, checked_workspace_language

CONFIG_FILE = "coord.toml"


ACK_DAYS = {"low": 5, "medium": 3, "high": 1}
RESPONSE_DAYS = {"low": 20, "medium": 10, "high": 5}
"""Defaults, in days: a serious concern is acknowledged the next day and answered within the working week."""


@dataclass(frozen=True)
class ConcernConfig:
    """The ``[concerns]`` section: deadlines per severity, and the party at the top of the escalation ladder."""

    ack_days: dict[str, int] = field(default_factory=lambda: dict(ACK_DAYS))
    response_days: dict[str, int] = field(default_factory=lambda: dict(RESPONSE_DAYS))
    escalate_to: str | None = None


@dataclass(frozen=True)
class CheckConfig:
    overload_share: float = 0.4
    overload_min: int = 10
    expiry_warning_days: int = 30
    unsigned_grace_days: int = 30
    no_meeting_days: int = 90
    silent_days: int = 60
    overdue_grace_days: int = 14  # an obligation this many days late is an error, before it a warning
    notice_warning_days: int = 30  # warn this many days before the last day to give notice
    concerns: ConcernConfig = field(default_factory=ConcernConfig)


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
    unknown = sorted(set(data) - {"lang", "check", "concerns"})
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
    known = {f.name: f for f in fields(CheckConfig) if f.name != "concerns"}
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
    return CheckConfig(**values, concerns=concern_config(data.get("concerns", {}), path))  # type: ignore[arg-type]


def concern_config(section: object, path: Path) -> ConcernConfig:
    """The ``[concerns]`` section: whole days (0 or more) per severity, the response no sooner than the
    acknowledgement, and ``escalate_to`` a stakeholder key; anything else is one line naming file and setting."""
    from coordkit.vocab import SEVERITIES, SLUG_RE

    if not isinstance(section, dict):
        raise InvalidInput(
            _("{path}: 'concerns' must be a section: write [concerns] on a line of its own, then its settings").format(
                path=path
            )
        )
    known = ("ack_days", "response_days", "escalate_to")
    days: dict[str, dict[str, int]] = {"ack_days": dict(ACK_DAYS), "response_days": dict(RESPONSE_DAYS)}
    escalate_to = None
    for name, value in section.items():
        if name not in known:
            hint = did_you_mean(name, known, otherwise=_("known"))
            raise InvalidInput(_("{path}: unknown setting 'concerns.{name}'").format(path=path, name=name) + hint)
        if name == "escalate_to":
            if not isinstance(value, str) or not SLUG_RE.match(value):
                raise InvalidInput(
                    _(
                        '{path}: concerns.escalate_to must be a stakeholder key such as "liede-street" (got {value})'
                    ).format(path=path, value=repr(value))
                )
            escalate_to = value
            continue
        if not isinstance(value, dict):
            raise InvalidInput(
                _(
                    "{path}: concerns.{name} must give days per severity, such as {{low = 5, medium = 3, high = 1}}"
                ).format(path=path, name=name)
            )
        for severity, number in value.items():
            if severity not in SEVERITIES:
                hint = did_you_mean(severity, SEVERITIES, otherwise=_("severities"))
                raise InvalidInput(
                    _("{path}: unknown severity 'concerns.{name}.{severity}'").format(
                        path=path, name=name, severity=severity
                    )
                    + hint
                )
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise InvalidInput(
                    _(
                        "{path}: concerns.{name}.{severity} must be a whole number of days, 0 or more (got {value})"
                    ).format(path=path, name=name, severity=severity, value=repr(number))
                )
            days[name][severity] = number
    for severity in SEVERITIES:
        ack, response = days["ack_days"][severity], days["response_days"][severity]
        if response < ack:
            raise InvalidInput(
                _(
                    "{path}: concerns.response_days.{severity} ({response}) is shorter than "
                    "concerns.ack_days.{severity} ({ack}); a response cannot be due before the acknowledgement"
                ).format(path=path, severity=severity, response=response, ack=ack)
            )
    return ConcernConfig(days["ack_days"], days["response_days"], escalate_to)
