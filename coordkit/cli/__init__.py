"""The command line: a thin shell that parses, calls one service, prints, exits."""

from __future__ import annotations


def main() -> None:
    from coordkit.cli.app import app

    app(prog_name="coord")
