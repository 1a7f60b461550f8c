"""coord key: Ed25519 keys for parties who sign electronically."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import writing
from coordkit.cli.display import say

app = typer.Typer(
    help="Ed25519 keys for parties who sign electronically.\n\n\b\nExample:\n  coord key new --party liede-sw",
    no_args_is_help=True,
)


@app.command("new")
def new(
    party: Annotated[str, typer.Option("--party", help="The stakeholder the key belongs to.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Private key file (default: PARTY.key.pem).", dir_okay=False)
    ] = None,
) -> None:
    """Make a key pair for a party that signs electronically.

    The private key goes to a file only you can read (mode 0600); the public
    key goes to the store.

    \b
    Example:
      coord key new --party liede-sw -o ~/keys/liede-sw.pem
    """
    from coordkit.services.keys import new_key

    target = output or Path(f"{party}.key.pem")
    with writing() as conn:
        made = new_key(conn, party=party, output=target)
    say(f"Wrote the private key of '{party}' to {target} (mode 0600; keep it safe). Fingerprint {made['fingerprint']}.")
