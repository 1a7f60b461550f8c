"""coord key: Ed25519 keys for parties who sign electronically."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import writing
from coordkit.cli.display import say
from coordkit.cli.helptext import helptext
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(_("Ed25519 keys for parties who sign electronically."), example="coord key new --party liede-sw"),
    no_args_is_help=True,
)


@app.command(
    "new",
    help=helptext(
        _("Make a key pair for a party that signs electronically."),
        _("The private key goes to a file only you can read (mode 0600); the public key goes to the store."),
        example="coord key new --party liede-sw -o ~/keys/liede-sw.pem",
    ),
)
def new(
    party: Annotated[str, typer.Option("--party", help=_("The stakeholder the key belongs to."))],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("Private key file (default: PARTY.key.pem)."), dir_okay=False),
    ] = None,
) -> None:
    """``coord key new``: its help is above, in the reader's language."""
    from coordkit.services.keys import new_key

    target = output or Path(f"{party}.key.pem")
    with writing() as conn:
        made = new_key(conn, party=party, output=target)
    say(
        _("Wrote the private key of '{party}' to {file} (mode 0600; keep it safe). Fingerprint {fingerprint}.").format(
            party=party, file=target, fingerprint=made["fingerprint"]
        )
    )
