"""coord validate / apply / export / schema: a workspace described in YAML files (coord demo: cli/demo.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say, write_out
from coordkit.cli.options import OutputOpt, ProjectOpt
from coordkit.i18n import _, ngettext, sentences

FilesArg = Annotated[list[Path], typer.Argument(help="Workspace YAML files (they merge into one workspace).")]


def validate(
    files: FilesArg,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="Check the content as of this date (default: today, or the last day of ended projects)."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Check workspace files without any store.

    Checks YAML syntax, the schema, references between files, then runs the
    checks over their content. Exit 2 when a file is invalid, 1 when the checks find errors, 0 otherwise.

    \b
    Example:
      coord validate agreements/liede-renjia.yaml
    """
    from coordkit.cli.check import print_report
    from coordkit.services.ascode.validate import file_subject_names, validate_files
    from coordkit.services.checking import check_date

    day, explicit = check_date(on)
    loaded, report = validate_files(files, on=day if explicit else None)
    say(ngettext("{count} file valid.", "{count} files valid.", len(files)).format(count=len(files)))
    names = {} if fmt == "json" else file_subject_names(loaded.items)  # JSON keeps keys, as coord check's
    print_report(report, "json" if fmt == "json" else "table", None, names=names)
    if report.errors:
        raise typer.Exit(1)


def apply(
    files: FilesArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; write nothing.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json (the plan).")] = "text",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List unchanged entities too.")] = False,
) -> None:
    """Make the store say what the files say, all in one transaction.

    Prints a plan (created, changed with the fields, unchanged), then applies it.
    Entities the files do not mention are left as they are. Applying the same
    files twice changes nothing the second time.

    \b
    Example:
      coord apply agreements/*.yaml --dry-run
    """
    from coordkit.services.ascode.apply import apply as apply_files
    from coordkit.services.ascode.load import load
    from coordkit.services.ascode.shape import SINGULAR

    loaded = load(files)

    class DryRun(Exception):
        """Raised inside the unit of work to roll the planned changes back."""

    with store() as opened:
        try:
            with opened.write() as conn:
                changes = apply_files(conn, loaded=loaded, workspace=opened.root)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
    counts = {action: sum(c.action == action for c in changes) for action in ("create", "change", "unchanged")}
    if fmt == "json":
        write_out(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=1) + "\n", None)
    else:
        lines = []
        for change in changes:
            entity = SINGULAR[change.entity]
            if change.action == "create":
                lines.append(f"+ {entity} {change.key}")
            elif change.action == "change":
                fields = ", ".join(name for name, _old, _new in change.fields)
                lines.append(f"~ {entity} {change.key}: {fields}")
            elif verbose:
                lines.append(f"= {entity} {change.key}")
        write_out("".join(line + "\n" for line in lines), None)
    summary = _("Plan: {create} to create, {change} to change, {unchanged} unchanged.").format(
        create=counts["create"], change=counts["change"], unchanged=counts["unchanged"]
    )
    say(sentences(summary, _("Dry run: nothing was written.") if dry_run else _("Applied.")))


def export(project: ProjectOpt = None, output: OutputOpt = None) -> None:
    """Write the store as a workspace YAML file, in a fixed order.

    \b
    Example:
      coord export --project liede-renjia -o liede-renjia.yaml
    """
    from coordkit.services.ascode.export import export_yaml

    with store() as opened, opened.read() as conn:
        text = export_yaml(conn, project=project)
    write_out(text, output)


def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of workspace files, for editors.

    Editors with the YAML language server complete and check files with it.

    \b
    Example:
      coord schema -o coord-workspace.schema.json
    """
    from coordkit.spec import workspace_schema

    write_out(workspace_schema(), output)
