"""A record edited as YAML in the person's editor: an invalid file reopens with its errors on top, as git commit
does. ``coord agreement edit`` (the whole draft) and ``coord review rate --edit`` (a party's ratings) share it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from coordkit.i18n import _

MAX_EDITS = 5  # an editor that never produces a valid file stops here instead of looping for ever


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def editor_command(missing: str) -> str:
    """``$VISUAL``, ``$EDITOR``, else nano where it is installed, else vi (as git chooses).

    ``missing`` is the error when there is none and nobody is at a terminal to use vi: it names the flags to use.
    """
    import shutil

    from coordkit.errors import InvalidInput

    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen:
        return chosen
    if not interactive():
        raise InvalidInput(missing)
    return next((name for name in ("nano", "vi") if shutil.which(name)), "vi")


def at_terminal() -> bool:
    """Is a person at the keyboard? Only then is an invalid file reopened for them to fix."""
    return sys.stdin.isatty()


def edit_until_valid(content: str, *, name: str, header: str, missing: str, accept: Callable[[str], None]) -> bool:
    """Open ``content`` (under the comment line ``header``) in the editor until ``accept`` takes what comes back.

    ``accept`` raises a ``CoordError`` for an invalid text: the file reopens with that error on top (marked lines,
    removed again before the next try). False when the text came back unchanged (nothing to do). Stops with
    InvalidInput when the editor fails, the same invalid text comes back, nobody is at a terminal to fix it,
    or after ``MAX_EDITS`` tries.
    """
    import shlex
    import subprocess
    import tempfile

    from coordkit.errors import CoordError, InvalidInput

    editor = editor_command(missing)
    marker = "# " + _("Error:") + " "
    original, error = content, ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        for _attempt in range(MAX_EDITS):
            notes = "".join(f"{marker}{line}\n" for line in error.splitlines())
            path.write_text(notes + header + "\n" + content, encoding="utf-8")
            if subprocess.run([*shlex.split(editor), str(path)], check=False).returncode != 0:
                raise InvalidInput(_("the editor ({editor}) failed; nothing was changed").format(editor=editor))
            edited = "".join(
                line
                for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith(marker) and line.rstrip("\n") != header
            )
            if edited == original:
                return False
            if error and edited == content:
                break  # the same invalid file came back: the person gave up, or the editor cannot help
            try:
                accept(edited)
            except CoordError as problem:
                content, error = edited, str(problem)  # shown in the file on the next round, not on stderr
                if not at_terminal():
                    break  # nobody at a terminal to fix it: never reopen in a loop
                continue
            return True
    raise InvalidInput(
        _("the edited file is not valid; nothing was changed: {error}").format(
            error=error.splitlines()[0] if error else ""
        )
    )
