"""Every failure a user can cause, each with a message that says what to do.

The CLI turns any ``CoordError`` into one line on stderr and its ``exit_code``;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from coordkit.i18n import N_, _


class CoordError(Exception):
    """Root of the errors a user can cause (bad input, missing store, refusals).

    ``field`` is the path of the value at fault inside the thing checked
    (``("assignments", 1, "to")``), so that ``coord apply`` can say where in a
    file it is; the message itself is the same wherever the value came from.
    """

    exit_code = 2

    def __init__(self, message: str = "", *, field: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.field = field


class InvalidInput(CoordError):
    """A value that is malformed or out of range."""


# What a key can name, as a reader calls it; a kind not listed here is shown as given.
KINDS: dict[str, str] = {
    "stakeholder": N_("stakeholder"),
    "member": N_("member"),
    "project": N_("project"),
    "role": N_("role"),
    "duty": N_("duty"),
    "agreement": N_("agreement"),
    "version": N_("version"),
    "party": N_("party"),
    "stakeholder or role": N_("stakeholder or role"),
    "template": N_("template"),
    "rule": N_("rule"),
    "resource": N_("resource"),
    "meeting": N_("meeting"),
    "interaction": N_("contact"),  # a workspace file's interactions are what coord contact logs
    "concern": N_("concern"),
}

_SCOPE = re.compile(r"(?P<kind>[a-z ]+) '(?P<key>.*)'")


def kind_name(kind: str) -> str:
    """``kind`` (a table's name such as ``duty``) in the reader's language."""
    return _(KINDS[kind]) if kind in KINDS else kind


class NotFound(CoordError):
    """A key that names nothing; the message suggests the closest key.

    ``scope`` is where the key was looked up: ``("project", "liede-renjia")``,
    or the same written ``"project 'liede-renjia'"``. Chinese puts the scope
    first ("项目“liede-renjia”中没有职责“reprot”"), so the message is one
    sentence per shape, never English pieces glued together.
    """

    def __init__(self, kind: str, key: str, candidates: Iterable[str] = (), scope: str | tuple[str, str] = "") -> None:
        if isinstance(scope, str) and (parsed := _SCOPE.fullmatch(scope)):
            scope = (parsed["kind"], parsed["key"])
        if isinstance(scope, tuple):
            # Translators: {kind} and {scope_kind} are nouns translated on their own ("duty", "project");
            # {key} and {scope_key} are keys typed by the user, such as liede-sw.
            message = _("no {kind} '{key}' in {scope_kind} '{scope_key}'").format(
                kind=kind_name(kind), key=key, scope_kind=kind_name(scope[0]), scope_key=scope[1]
            )
        elif scope:
            message = _("no {kind} '{key}' in {scope}").format(kind=kind_name(kind), key=key, scope=scope)
        else:
            message = _("no {kind} '{key}'").format(kind=kind_name(kind), key=key)
        super().__init__(message + did_you_mean(key, candidates))
        self.kind, self.key = kind, key


class AlreadyExists(CoordError):
    """A key that is taken in its scope."""


class Refused(CoordError):
    """A change that would lose or contradict something that must be kept."""


class PermissionDenied(CoordError):
    """A change the database refused this member (a team store's grants, policies and guards)."""


class ProofFailed(CoordError):
    """What was signed can no longer be proven (tampered terms, signatures or history): exit 1, like a failed
    verification, so a script never prints a paper over terms nobody signed."""

    exit_code = 1


class StoreError(CoordError):
    """The store cannot be found, opened or trusted."""


class StoreLocked(StoreError):
    """Another process holds the write lock longer than the busy timeout."""


def did_you_mean(value: str, candidates: Iterable[str], *, otherwise: str | None = None) -> str:
    """``"; did you mean 'liede-sw'?"`` for the closest candidate; when none is close, nothing, or
    with ``otherwise`` (already translated) the whole list (``"; rules: no-accountable, …"``).

    A clause added to the end of a finished sentence, in every language: Chinese
    reads "…；您是不是指“liede-sw”？" in the same order.
    """
    options = list(candidates)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return _("; did you mean '{close}'?").format(close=close[0])
    return _("; {label}: {options}").format(label=otherwise, options=", ".join(options)) if otherwise else ""
