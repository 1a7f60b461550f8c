"""coord import: registers and responsibility charts from XLSX or CSV, a plan first, then all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say, write_out
from coordkit.cli.options import ProjectOpt
from coordkit.i18n import _, sentences

app = typer.Typer(
    help=_(
        "Import registers and responsibility charts from Excel (XLSX) or CSV.\n\n"
        "\b\nExample:\n  coord import stakeholders 名录.xlsx --dry-run"
    ),
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help=_("An .xlsx workbook or a .csv file (UTF-8, UTF-8 with BOM or GBK)."))]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help=_("The CSV file's encoding (default: detected), such as gbk."))
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map", help=_("COLUMN=FIELD for a heading coord does not know (a heading or a letter); - skips it.")
    ),
]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help=_("The sheet to read (default: the first)."))]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help=_("Show the plan; write nothing."))]
RejectedOpt = Annotated[
    Path | None,
    typer.Option("--rejected", help=_("Write the refused rows, with their row number and reason, to this CSV file.")),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help=_("text or json (the plan)."))]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help=_("List unchanged rows too."))]


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(
            ":".join(str(v) for v in item.values() if v is not None) if isinstance(item, dict) else str(item)
            for item in value
        )
    return "" if value is None else str(value)


def _report(plan: Any, *, fmt: str, verbose: bool, rejected: Path | None, headers: tuple[str, ...] = ()) -> None:
    """The plan on stdout, the refused rows on stderr (and in ``rejected``)."""
    if fmt == "json":
        data = {
            "plan": [step.as_dict() for step in plan.steps],
            "rejected": [{"row": r.row, "reason": r.reason} for r in plan.rejected],
        }
        write_out(json.dumps(data, ensure_ascii=False, indent=1) + "\n", None)
    else:
        lines = []
        for step in plan.steps:
            if step.action == "create":
                lines.append(f"+ {step.entity} {step.key}")
            elif step.entity == "cell":
                for _name, old, new in step.fields:
                    lines.append(f"~ {step.key}: {old or _('(none)')} → {new or _('(none)')}")
            elif step.action == "change":
                changes = ", ".join(f"{name}: {_show(old)} → {_show(new)}" for name, old, new in step.fields)
                lines.append(f"~ {step.entity} {step.key}: {changes}")
            elif verbose:
                lines.append(f"= {step.entity} {step.key}")
        write_out("".join(line + "\n" for line in lines), None)
        for item in plan.rejected:
            say(_("! row {row}: {reason}").format(row=item.row, reason=item.reason))
    if rejected is not None:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([_("row"), _("reason"), *headers])
        for item in plan.rejected:
            writer.writerow([item.row, item.reason, *item.cells])
        from coordkit.files import atomic_write

        atomic_write(rejected, "\ufeff" + buffer.getvalue())  # with a BOM: Excel opens it as UTF-8
        say(_("Wrote {count} refused row(s) to {path}").format(count=len(plan.rejected), path=rejected))


def _summary(plan: Any, *, dry_run: bool) -> None:
    """The counts; exit 2 when a row was refused (then nothing was written, dry run or not)."""
    from coordkit.errors import InvalidInput

    summary = _("Plan: {create} to create, {change} to change, {unchanged} unchanged, {rejected} refused.").format(
        create=plan.count("create"),
        change=plan.count("change"),
        unchanged=plan.count("unchanged"),
        rejected=len(plan.rejected),
    )
    if plan.rejected:
        say(summary)
        raise InvalidInput(_("{count} row(s) refused; nothing was written").format(count=len(plan.rejected)))
    if dry_run:
        say(sentences(summary, _("Dry run: nothing was written.")))
    else:
        say(sentences(summary, _("Imported.")))


@app.command("stakeholders")
def stakeholders(
    file: FileArg,
    encoding: EncodingOpt = None,
    map_: MapOpt = None,
    sheet: SheetOpt = None,
    dry_run: DryRunOpt = False,
    rejected: RejectedOpt = None,
    fmt: FormatOpt = "text",
    verbose: VerboseOpt = False,
) -> None:
    """Import parties from a register (XLSX or CSV), a row per party.

    Headings may be Chinese or English. A row is matched to a stored party
    by its key, name or Chinese name; an empty cell keeps the stored value.
    Prints the plan, then writes all rows in one transaction, or none when
    any row is refused (exit 2).

    \b
    Example:
      coord import stakeholders 名录.xlsx --map 单位全称=name --rejected rejected.csv
    """
    from coordkit.services.imports import apply_stakeholders, plan_stakeholders
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.tabular import STAKEHOLDER_FIELDS, all_hints, map_headers, read_table, unmapped

    table = read_table(file, encoding=encoding, sheet=sheet, header_hints=all_hints(STAKEHOLDER_FIELDS))
    mapping = map_headers(table.headers, STAKEHOLDER_FIELDS, map_ or [])
    skipped = unmapped(table, mapping)
    if skipped:
        say(_("Not imported (no field; name one with --map): {columns}").format(columns=", ".join(skipped)))
    with store() as opened, opened.write() as conn:
        stored = list_stakeholders(conn)
        plan = plan_stakeholders(stored, table, mapping)
        _report(plan, fmt=fmt, verbose=verbose, rejected=rejected, headers=table.headers)
        if not dry_run and not plan.rejected:
            apply_stakeholders(conn, plan, stored)
    _summary(plan, dry_run=dry_run)


@app.command("duties")
def duties(
    file: FileArg,
    project: ProjectOpt = None,
    encoding: EncodingOpt = None,
    map_: MapOpt = None,
    sheet: SheetOpt = None,
    dry_run: DryRunOpt = False,
    rejected: RejectedOpt = None,
    fmt: FormatOpt = "text",
    verbose: VerboseOpt = False,
) -> None:
    """Import duties from a list (XLSX or CSV), a row per duty.

    Columns: 项目/project (else --project, the current project or the only one),
    职责编号/key, 职责/title, 中文标题/title_zh, 类别/category, 期限/due. A row
    is matched by its key, else by its title; an empty cell keeps the stored
    value; letters are left as they are (import them with coord import
    matrix). All rows or none (exit 2).

    \b
    Example:
      coord import duties 职责清单.xlsx --project liede-renjia --dry-run
    """
    from coordkit.services.ascode.export import _projects, project_duties
    from coordkit.services.imports import apply_duties, plan_duties
    from coordkit.storage.lookup import project_scope
    from coordkit.tabular import DUTY_FIELDS, all_hints, map_headers, read_table, unmapped

    table = read_table(file, encoding=encoding, sheet=sheet, header_hints=all_hints(DUTY_FIELDS))
    mapping = map_headers(table.headers, DUTY_FIELDS, map_ or [])
    skipped = unmapped(table, mapping)
    if skipped:
        say(_("Not imported (no field; name one with --map): {columns}").format(columns=", ".join(skipped)))
    with store() as opened, opened.write() as conn:
        _pid, pkey = project_scope(conn, project)
        projects = _projects(conn, None)
        stored = [d for pid, key in projects for d in project_duties(conn, pid, key)]
        if pkey is None and len(projects) == 1:
            pkey = projects[0][1]  # the one project there is
        plan = plan_duties(stored, [key for _pid, key in projects], table, mapping, pkey)
        _report(plan, fmt=fmt, verbose=verbose, rejected=rejected, headers=table.headers)
        if not dry_run and not plan.rejected:
            apply_duties(conn, plan, stored)
    _summary(plan, dry_run=dry_run)


@app.command("matrix")
def matrix(
    file: FileArg,
    project: ProjectOpt = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help=_("The day the chart shows (default: today): use the --on it was written with.")),
    ] = None,
    encoding: EncodingOpt = None,
    map_: MapOpt = None,
    sheet: SheetOpt = None,
    dry_run: DryRunOpt = False,
    rejected: RejectedOpt = None,
    fmt: FormatOpt = "text",
    verbose: VerboseOpt = False,
) -> None:
    """Import a responsibility chart: duties by parties, RACI letters in the cells.

    Reads what coord matrix --format xlsx writes, edited in Excel or WPS, and
    changes the letters given by hand (new ones hold from then on). A letter marked # comes from a signed
    agreement and * through a role: changing one is refused (amend the
    agreement, or the role's holders). All changes or none (exit 2).

    \b
    Example:
      coord import matrix matrix.xlsx --on 2024-09-01 --dry-run
    """
    from coordkit.services.imports import apply_matrix, plan_matrix, read_current
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.tabular import read_matrix

    chart = read_matrix(file, encoding=encoding, sheet=sheet, overrides=map_ or [])
    with store() as opened, opened.write() as conn:
        current, duties = read_current(conn, opened.root, project, on)
        plan = plan_matrix(current, duties, list_stakeholders(conn), chart)
        _report(plan, fmt=fmt, verbose=verbose, rejected=rejected)
        if not dry_run and not plan.rejected:
            apply_matrix(conn, plan, duties)
    _summary(plan, dry_run=dry_run)
