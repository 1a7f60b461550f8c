"""coord backup / restore: the whole store and its evidence in one archive, and back, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say
from coordkit.i18n import _


def backup(
    output: Annotated[Path, typer.Option("--output", "-o", help="The archive to write (a .zip).", dir_okay=False)],
) -> None:
    """Write the whole store, its scans and evidence into one archive.

    Every table row by row (ids, hashes and history as they are), every file of
    the workspace's scans/, evidence/ and minutes/, and a manifest of hashes
    and the chain head. Use it to keep a copy, or to move a store between
    SQLite and PostgreSQL: coord restore puts it back exactly.

    \b
    Example:
      coord backup -o liede-renjia-2024-09-01.zip
    """
    from coordkit.services.backup import backup as run

    with store() as opened:
        report = run(opened, output)
    say(
        _(
            "Backed up {rows:,} rows of {tables} tables and {files} file(s) to {path}; "
            "chain head {head}; archive SHA-256 {digest}."
        ).format(
            rows=report.rows,
            tables=len(report.tables),
            files=report.files,
            path=output,
            head=report.chain_head[:16],
            digest=report.archive_sha256,
        )
    )
    for problem in report.problems:
        say(_("note: the store does not verify: {problem} (backed up as it is)").format(problem=problem))


def restore(
    archive: Annotated[Path, typer.Argument(help="An archive made by coord backup.", dir_okay=False)],
    to: Annotated[
        str,
        typer.Option("--to", help="A new SQLite file (or folder), or the URL of an empty PostgreSQL database."),
    ],
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            help="Where scans/ and evidence/ go (default: the new store's folder; for a URL, here).",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Restore a backup into a new store, and verify it.

    Into a new SQLite file or an empty PostgreSQL database, in one
    transaction, ids and hashes as they were; then the row counts, the chain
    head, the event chain, every signed version and every file are checked
    against the backup. Nothing is restored unless all of it verifies.

    \b
    Example:
      coord restore liede-renjia-2024-09-01.zip --to postgresql://coord@db.example/liede
    """
    from coordkit.services.backup import restore as run
    from coordkit.storage.location import STORE_FILE, from_path, from_url

    if "://" in to:
        location = from_url(to, "--to", Path.cwd().absolute())
    else:  # as coord init: a path ending in .db is the file, anything else the folder of a new coord.db
        target = Path(to)
        location = from_path(target if target.suffix == ".db" else target / STORE_FILE, "--to")
    report = run(archive, location, workspace=workspace)
    say(
        _(
            "Restored {rows:,} rows of {tables} tables and {files} file(s) into {target}; verified: "
            "{events:,} events chained to {head}, {versions} signed version(s), every file matches its hash."
        ).format(
            rows=report.rows,
            tables=len(report.tables),
            files=report.files,
            target=report.target,
            events=report.events,
            head=report.chain_head[:16],
            versions=report.versions,
        )
    )
