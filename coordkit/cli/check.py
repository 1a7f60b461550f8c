"""coord check: flag gaps, overlaps and integrity problems before they become conflicts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coordkit.cli.context import store
from coordkit.cli.display import say, terminal_text, tidy, write_out
from coordkit.cli.options import OutputOpt, ProjectOpt
from coordkit.i18n import N_, _

if TYPE_CHECKING:
    from coordkit.checks import Report

NamePair = tuple[str, str | None]  # a name in English and in Chinese


class CheckFormat(StrEnum):
    table = "table"
    json = "json"


def check(
    project: ProjectOpt = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Check this date only, YYYY-MM-DD (default: today, plus every gap in A within the project's dates).",
        ),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rules (comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules (comma-separated).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    output: OutputOpt = None,
    keys: Annotated[bool, typer.Option("--keys", help="Name subjects by key only (JSON always has keys).")] = False,
) -> None:
    """Flag duties left unowned or owned twice, overloaded parties and more.

    Exit code 0 when there is no error-level finding, 1 when there is (or any
    warning, with --strict), 2 on bad input. Thresholds live in coord.toml.

    \b
    Example:
      coord check --project liede-renjia --ignore no-contact-channel --format json
    """
    from coordkit.checks import rule_names
    from coordkit.services.checking import check_store, subject_names

    chosen, skipped = rule_names(select or [], "--select"), rule_names(ignore or [], "--ignore")
    with store() as opened, opened.read() as conn:
        report = check_store(
            conn, root=opened.root, project=project, on=on, select=chosen, ignore=skipped, location=opened.location
        )
        names = {} if keys or fmt == CheckFormat.json else subject_names(conn)
    print_report(report, fmt.value, output, names=names)
    if report.errors or (strict and report.warnings):
        raise typer.Exit(1)


def print_report(
    report: Report, fmt: str, output: Path | None, *, names: Mapping[tuple[str | None, str], NamePair] | None = None
) -> None:
    """Findings as a linter prints them (or JSON), and a one-line summary on stderr; ``names`` (see
    ``subject_names``) put each subject's name beside its key."""

    if report.note:
        say(named_message(report.note, report.project, names) if names else report.note)  # the project by name
    if fmt == "json":
        from coordkit.output import to_json

        write_out(to_json(report.as_dict()), output)
    elif report.findings:
        from coordkit.cli.display import PIPE_WIDTH, use_color, width

        to_file = output is not None
        write_out(
            findings_text(
                report, room=PIPE_WIDTH if to_file else width(), colour=use_color() and not to_file, names=names
            ),
            output,
        )
    where = _(" in project '{project}'").format(project=report.project) if report.project else ""
    say(
        _("{errors} error(s), {warnings} warning(s) on {on}{where}.").format(
            errors=report.errors, warnings=report.warnings, on=report.on, where=where
        )
    )


SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow"}


SEVERITY = {"error": N_("error"), "warning": N_("warning")}


def subject_name(names: Mapping[tuple[str | None, str], NamePair], project: str | None, subject: str) -> str | None:
    """The name of a finding's subject (a duty of ``project``, else a party) in the reader's language."""
    from coordkit.i18n import language

    found = names.get((project, subject)) or names.get((None, subject))
    if found is None:
        return None
    return (found[1] if language() == "zh" else None) or found[0]


_QUOTED_KEY = re.compile(r"(?:(?<=['“（(])|(?<=duty )|(?<=职责 ))([a-z0-9][a-z0-9._-]*)(?=['”，,（(]| \()")


def named_message(message: str, project: str | None, names: Mapping[tuple[str | None, str], NamePair]) -> str:
    """A finding's message with the keys it quotes as names: ``duty 'market-venue' … 'liede-property'`` reads
    ``duty 'Provide the square for the market' … 'Liede property management company'`` (提供市集场地, 猎德物业管理公司
    under zh). Only quoted keys, a party opening a bracket and a duty named as a booking's source (as a contended
    resource lists them) change; the
    hint keeps its keys, since it is a command to copy, and JSON keeps the message as the rules wrote it."""

    def name(match: re.Match[str]) -> str:
        return subject_name(names, project, match[1]) or match[1]

    return _QUOTED_KEY.sub(name, message)


_HAN_CHARS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"  # CJK characters, CJK and full-width punctuation
_HAN = re.compile(f"[{_HAN_CHARS}]")
_CLOSING = "，。、；：！？）」』》〉】”’"  # no line starts with these
_OPENING = "（「『《〈【“‘"  # no line ends with these
_BREAKABLE = re.compile(
    rf"[{_OPENING}]*(?:(?![{_OPENING}{_CLOSING}])[{_HAN_CHARS}]|[^\s{_HAN_CHARS}]*\d(?![{_OPENING}])[{_HAN_CHARS}]|[^\s{_HAN_CHARS}]+)[{_CLOSING}]*\s*|\S\s*|\s+"
)


def wrap_han(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between any two Chinese characters as well as at spaces:
    Rich breaks only at spaces, so a Chinese sentence went to a line of its own and was then cut wherever the line
    ended, inside a number (每场参与居民不少于20 / 0人). A run of letters or digits stays whole, a number with the character after it (148天, 12场), closing punctuation
    stays with the character before it and opening punctuation with the one after it."""
    from rich.cells import cell_len, chop_cells

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in _BREAKABLE.findall(paragraph):
            if line and cell_len(line + piece.rstrip()) > width:
                lines.append(line.rstrip())
                line = ""
            line += piece
            while cell_len(line.rstrip()) > width:  # one run wider than a line: cut it, as Rich would
                first = chop_cells(line, width)[0]
                lines.append(first)
                line = line[len(first) :]
        lines.append(line.rstrip())
    return lines


def findings_text(
    report: Report, *, room: int, colour: bool, names: Mapping[tuple[str | None, str], NamePair] | None = None
) -> str:
    """One block a finding: severity, rule and subject; the message, wrapped; the hint on one line of its own.

    The hint is never wrapped: it holds a command to copy, and a line break
    inside it would break the command. The message wraps at ``room`` columns
    under a two-space indent.
    """
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    out = Console(
        force_terminal=colour,
        no_color=not colour,
        color_system="standard" if colour else None,
        width=max(room, 20),
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    with out.capture() as capture:
        for index, finding in enumerate(report.findings):
            if index:
                out.print()
            head = Text()
            severity = _(SEVERITY[finding.severity]) if finding.severity in SEVERITY else finding.severity
            head.append(severity, style=SEVERITY_STYLE.get(finding.severity, "bold"))
            head.append("  ")
            head.append(finding.rule, style="bold")
            head.append("  " + terminal_text(finding.subject))
            name = subject_name(names or {}, finding.project, finding.subject)
            if name and name != finding.subject:
                head.append("  " + terminal_text(name))
            if finding.project and finding.project != report.project:
                head.append(f"  ({terminal_text(finding.project)})", style="dim")
            out.print(head, overflow="ignore", crop=False, no_wrap=True)
            message = terminal_text(
                named_message(finding.message, finding.project, names) if names else finding.message
            )
            if _HAN.search(message):
                for line in wrap_han(message, max(room, 20) - 2):
                    out.print(Text("  " + line), overflow="ignore", crop=False, no_wrap=True)
            else:
                out.print(Padding(Text(message), (0, 0, 0, 2)))
            out.print(
                Text("  " + terminal_text(finding.hint), style="cyan"), overflow="ignore", crop=False, no_wrap=True
            )
    return tidy(str(capture.get()))
