"""Shell completion: ``coord completion bash`` prints the script; keys complete from the store.

The shell runs ``coord`` with ``_COORD_COMPLETE=complete_bash`` (typer's
protocol) on every Tab; the callbacks below answer from the store through the
read path (on SQLite the standard ``sqlite3`` module, no SQLAlchemy), with a
prefix query on the key's unique index, so 2,000 stakeholders answer as fast
as 20. A completion never prints an error into the shell: a missing store or
a bad ``--db`` completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

import typer

LIMIT = 200  # candidates a shell can usefully show


def store_keys(kinds: tuple[str, ...], incomplete: str, *, db: str | None, project: str | None) -> list[str]:
    """Keys of ``kinds`` that start with ``incomplete`` (roles as ``role:KEY``), from the store ``db`` names."""
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import locate
    from coordkit.storage.lookup import keys_starting, project_scope

    opened = open_store(locate(db))
    try:
        with opened.read() as conn:
            pid: int | None = None
            if {"duty", "role"} & set(kinds):
                pid = project_scope(conn, project)[0]
            found: list[str] = []
            for kind in kinds:
                typed = incomplete
                if kind == "role" and incomplete.startswith("role:"):
                    typed = incomplete[5:]
                elif kind == "role" and "role:".startswith(incomplete):
                    typed = ""  # 'r' Tab offers role:venue-host …
                elif kind == "role":
                    continue  # roles are written role:KEY; what was typed is no start of that
                keys = keys_starting(conn, kind, typed, project_id=pid, limit=LIMIT)
                found += [f"role:{key}" if kind == "role" else key for key in keys]
                if len(found) >= LIMIT:
                    break
            return found[:LIMIT]
    finally:
        opened.dispose()


def complete(*kinds: str) -> Callable[..., list[str]]:
    """An ``autocompletion=`` callback that offers the store's keys of ``kinds``."""

    def keys(ctx: typer.Context, incomplete: str) -> list[str]:
        root = ctx.find_root()
        project = ctx.params.get("project") if isinstance(ctx.params.get("project"), str) else None
        try:
            return store_keys(kinds, incomplete, db=root.params.get("db"), project=project)
        except Exception:  # the shell shows nothing rather than a traceback
            return []

    return keys


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


def completion(shell: Annotated[Shell, typer.Argument(help="bash, zsh, fish or powershell.")]) -> None:
    """Print the shell completion script; keys complete from the store.

    Load it in your shell's start-up file; keys of stakeholders, duties, roles,
    projects and agreements then complete from the store of the folder you are in.

    \b
    Example:
      coord completion bash >> ~/.bashrc
    """
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name="coord", complete_var="_COORD_COMPLETE", shell=shell.value))


def prepare(environ: Any) -> None:
    """Before a completion request is answered: typer's completion classes (bash, zsh, fish, PowerShell)."""
    if environ.get("_COORD_COMPLETE"):
        from typer._completion_classes import completion_init

        completion_init()
