"""coord verify: everything the store can prove, in one command (exit 0 when it all holds, 1 when not)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import emit, say, write_out
from coordkit.cli.helptext import helptext
from coordkit.cli.options import OutputOpt
from coordkit.i18n import _


def verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option("--anchor", help=_("SEQ:HASH as coord log --head printed it (repeatable), or a file of them.")),
    ] = None,
    allowed_signers: Annotated[
        Path | None,
        typer.Option("--allowed-signers", help=_("PARTY PUBLIC_KEY per line, kept outside the store."), dir_okay=False),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=_("table or json."))] = "table",
    output: OutputOpt = None,
) -> None:
    """``coord verify``: its help is set below, in the reader's language."""
    from coordkit.output import to_json
    from coordkit.services.verify import parse_allowed_signers, parse_anchors, verify_store

    anchors = parse_anchors(anchor or [])
    allowed = parse_allowed_signers(allowed_signers) if allowed_signers else None
    with store() as opened, opened.read() as conn:
        result = verify_store(conn, workspace=opened.root, anchors=anchors, allowed=allowed)
    if fmt == "json":
        write_out(to_json(result), output)
    else:
        problems = result["problems"]
        columns = [("rule", _("rule")), ("subject", _("subject")), ("message", _("problem"))]
        if problems:
            emit(problems, problems, columns, "table", output, title=_("What no longer holds"))
        checked = result["checked"]
        say(
            _(
                "Checked {events} events, {versions} frozen agreement versions with {signatures} signatures, "
                "{keys} keys, {files} files and {anchors} anchors: {verdict}. Chain head {anchor}."
            ).format(
                **checked,
                verdict=_("all of it holds") if result["ok"] else _("{count} problem(s)").format(count=len(problems)),
                anchor=result["head"]["anchor"],
            )
        )
    if not result["ok"]:
        raise typer.Exit(1)


verify.__doc__ = helptext(
    _("Check everything the store can prove: terms, signatures, keys, history."),
    _(
        "Exits 0 when all of it holds and 1 naming each problem; coord check reports the same problems as "
        "findings. Anchors noted outside the store (coord log --head) prove the history was not cut short or "
        "rewritten since."
    ),
    example="coord verify --anchor 42:9f86d081884c7d65 --allowed-signers allowed_signers",
)
