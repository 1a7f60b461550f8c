"""coord key: Ed25519 keys for parties who sign electronically."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import reading, writing
from coordkit.cli.display import emit, say, write_out
from coordkit.cli.helptext import helptext
from coordkit.cli.options import FormatOpt, ListFormat, OutputOpt
from coordkit.i18n import _

app = typer.Typer(
    help=helptext(_("Ed25519 keys for parties who sign electronically."), example="coord key new -o liede-sw.pem"),
    no_args_is_help=True,
)


@app.command(
    "new",
    help=helptext(
        _("Make a key pair on the signing party's own machine."),
        _(
            "The private key goes to a file only you can read (mode 0600) and never into any store; the public key "
            "is printed, for the coordinator to register with coord key register."
        ),
        example="coord key new -o ~/keys/liede-sw.pem",
    ),
)
def new(
    output: Annotated[
        Path, typer.Option("--output", "-o", help=_("Private key file to write (never overwritten)."), dir_okay=False)
    ],
) -> None:
    """``coord key new``: its help is above, in the reader's language."""
    from coordkit.services.keys import new_keypair

    made = new_keypair(output=output)
    write_out(made["public_key"] + "\n", None)
    say(
        _(
            "Wrote the private key to {file} (mode 0600; keep it safe, give it to nobody). Register the public key "
            "above: coord key register PARTY {public_key}"
        ).format(file=output, public_key=made["public_key"])
    )


@app.command(
    "register",
    help=helptext(
        _("Register a party's public key, so its electronic signatures can be checked."),
        _("One key per party at a time: a second one is refused unless --rotate, which retires the old key."),
        example="coord key register liede-sw MCowBQYDK2VwAyEA...",
    ),
)
def register(
    party: Annotated[str, typer.Argument(help=_("The stakeholder the key belongs to."))],
    public_key: Annotated[str, typer.Argument(help=_("The public key coord key new printed, or a file holding it."))],
    rotate: Annotated[bool, typer.Option("--rotate", help=_("Replace the party's current key."))] = False,
) -> None:
    """``coord key register``: its help is above, in the reader's language."""
    from coordkit.files import read_limited
    from coordkit.services.keys import register_key

    given = Path(public_key)
    text = (
        read_limited(given, limit=16 * 1024, what="PUBLIC_KEY").decode("utf-8", "replace")
        if given.is_file()
        else public_key
    )
    with writing() as conn:
        made = register_key(conn, party=party, public_key=text, rotate=rotate)
    if made["replaces"]:
        say(
            _("Registered key {new} for '{party}'; key {old} is retired.").format(
                new=made["fingerprint"], party=made["party"], old=made["replaces"]
            )
        )
    else:
        say(
            _("Registered key {fingerprint} for '{party}'.").format(
                fingerprint=made["fingerprint"], party=made["party"]
            )
        )


@app.command(
    "list",
    help=helptext(_("List the registered public keys, current and retired."), example="coord key list --format json"),
)
def list_(
    party: Annotated[str | None, typer.Option("--party", help=_("Only this party's keys."))] = None,
    fmt: FormatOpt = ListFormat.table,
    output: OutputOpt = None,
) -> None:
    """``coord key list``: its help is above, in the reader's language."""
    from coordkit.services.keys import party_keys

    with reading() as conn:
        found = party_keys(conn, party)
    columns = [
        ("party", _("party")),
        ("fingerprint", _("fingerprint")),
        ("registered", _("registered")),
        ("retired", _("retired")),
        ("replaced_by", _("replaced by")),
    ]
    emit(found, found, columns, fmt.value, output, title=_("Keys"))
