"""The root of the command line: global options, the nouns, and the one place
where a ``CoordError`` becomes ``Error: …`` on stderr and its exit code."""

from __future__ import annotations

import importlib
import os
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from coordkit import __version__
from coordkit.cli.context import state
from coordkit.errors import CoordError
from coordkit.i18n import _

# Commands load when they run, not before: `coord --help` imports none of them (the help below is
# their summary; tests/test_help.py keeps the two the same).
COMMANDS: dict[str, tuple[str, str, str]] = {  # name: (module, attribute, summary)
    "init": ("coordkit.cli.workspace", "init", "Make a workspace: a folder with a new coord.db store."),
    "stakeholder": (
        "coordkit.cli.stakeholder",
        "app",
        "The register of parties: organisations and groups that take part.",
    ),
    "project": ("coordkit.cli.project", "app", "Projects: the cooperation efforts that roles and duties belong to."),
    "role": (
        "coordkit.cli.role",
        "app",
        "Roles in a project (funder, service provider, venue host) and their holders.",
    ),
    "duty": ("coordkit.cli.duty", "app", "Duties (one responsibility each) and their RACI assignments."),
    "agreement": (
        "coordkit.cli.agreement",
        "app",
        "Activity agreements, from draft to signature, amendment and proof.",
    ),
    "key": ("coordkit.cli.key", "app", "Ed25519 keys for parties who sign electronically."),
    "meeting": (
        "coordkit.cli.meeting",
        "app",
        "Joint meetings: minutes, decisions, and actions with owners and deadlines.",
    ),
    "action": (
        "coordkit.cli.action",
        "app",
        "Action items of joint meetings: owners, deadlines and follow-up.",
    ),
    "contact": ("coordkit.cli.contact", "app", "Contacts with parties between meetings: calls, visits, messages."),
    "concern": (
        "coordkit.cli.concern",
        "app",
        "Concerns between parties: deadlines to answer, escalation, resolution.",
    ),
    "obligation": (
        "coordkit.cli.obligation",
        "app",
        "Obligations of signed agreements: record what was done, with evidence.",
    ),
    "review": (
        "coordkit.cli.review",
        "app",
        "Partnership reviews: each party rates the cooperation, lessons are kept.",
    ),
    "due": ("coordkit.cli.due", "due", "One list of what is due: obligations, reviews, notices, signatures, actions."),
    "calendar": ("coordkit.cli.due", "calendar", "Write what is due as an iCalendar file, with stable UIDs."),
    "matrix": ("coordkit.cli.matrix", "matrix", "Show the responsibility (RACI) matrix: duties by parties."),
    "check": ("coordkit.cli.check", "check", "Flag duties left unowned or owned twice, overloaded parties and more."),
    "validate": ("coordkit.cli.ascode", "validate", "Check workspace files without any store."),
    "apply": ("coordkit.cli.ascode", "apply", "Make the store say what the files say, all in one transaction."),
    "export": ("coordkit.cli.ascode", "export", "Write the store as a workspace YAML file, in a fixed order."),
    "schema": ("coordkit.cli.ascode", "schema", "Print the JSON Schema of workspace files, for editors."),
    "template": (
        "coordkit.cli.documents",
        "template_app",
        "Document templates: built in, or your own in the workspace's templates/.",
    ),
    "doctor": ("coordkit.cli.documents", "doctor", "Report what each output format needs and what is missing here."),
    "log": ("coordkit.cli.workspace", "log", "Show the history of changes, newest first."),
    "verify": (
        "coordkit.cli.verify",
        "verify",
        "Check everything the store can prove: terms, signatures, keys, history.",
    ),
    "demo": ("coordkit.cli.demo", "demo", "Build the Liede Renjia example workspace and render its documents."),
    "backup": ("coordkit.cli.backup", "backup", "Write the whole store, its scans and evidence into one archive."),
    "restore": ("coordkit.cli.backup", "restore", "Restore a backup into a new store, and verify it."),
    "completion": (
        "coordkit.cli.completion",
        "completion",
        "Print the shell completion script; keys complete from the store.",
    ),
}


if "_COORD_COMPLETE" in os.environ:  # the shell asks for completions: typer's classes answer (coord completion)
    from coordkit.cli.completion import prepare

    prepare(os.environ)


def load_command(name: str) -> Any:
    """The click command for ``name``, built from its module (imported now, not at start-up)."""
    module, attribute, _summary = COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        target.rich_markup_mode = None  # plain click help, as the root's (rich would cost 100 ms)
        command: Any = typer.main.get_group(target)  # a noun: always a group, even with one verb
    else:
        single = typer.Typer(rich_markup_mode=None, add_completion=False)
        single.command(name, context_settings={"help_option_names": ["--help", "-h"]})(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class CoordGroup(TyperGroup):
    """Loads commands lazily; turns user errors into one line and an exit code (bugs keep their traceback)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, summary) for name, (_module, _attribute, summary) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            _workspace_language(ctx.params.get("db"))
            return super().invoke(ctx)
        except CoordError as error:
            from coordkit.output import strip_control

            for line in str(error).splitlines() or [""]:  # a name typed with escape codes stays off the terminal
                typer.echo(_("Error: {message}").format(message=strip_control(line)), err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo(_("Interrupted; nothing was changed by the unfinished command."), err=True)
            raise typer.Exit(130) from None
        except UnicodeEncodeError as error:
            if error.reason != "surrogates not allowed":
                raise
            # bytes of an argument that were not UTF-8 (Python keeps them as U+DC80–U+DCFF), met where they
            # are looked up rather than stored (a key, a path): one line, the transaction rolled back
            from coordkit.domain.values import not_utf8

            found = not_utf8(str(error.object)) or "?"
            message = _(
                "an argument holds bytes that are not UTF-8 text ({bytes}); set the terminal to UTF-8 "
                "(a GBK terminal sends other bytes) and type it again"
            ).format(bytes=found)
            typer.echo(_("Error: {message}").format(message=message), err=True)
            raise typer.Exit(2) from None


def _workspace_language(db: str | None) -> None:
    """The workspace's coord.toml ``lang``, before the command module is imported (its help is
    translated when it loads); COORD_LANG still wins over it."""
    from coordkit.errors import StoreError
    from coordkit.i18n import set_workspace_language, workspace_language
    from coordkit.storage.location import locate

    try:
        root = locate(db).root
    except StoreError:
        root = None
    set_workspace_language(workspace_language(root) if root else None)


app = typer.Typer(
    cls=CoordGroup,
    name="coord",
    help="Who does what in a project many organisations run together.\n\n"
    "Parties, roles, duties with RACI letters, responsibility matrices, checks for gaps and "
    "overlaps, and signed activity agreements, kept in one store.\n\n"
    "\b\nExample:\n  coord init && coord stakeholder add liede-street --name 'Liede Street Office' --kind government",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coord {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The store: a coord.db file, its folder, or a database URL "
            "(default: COORD_DB, COORD_DATABASE_URL, else the nearest coord.db upward).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
    color: Annotated[
        Color,
        typer.Option(
            "--color",
            help="Colour: auto (on a terminal, unless NO_COLOR is set), always or never.",
            case_sensitive=False,
        ),
    ] = Color.auto,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager", help="Print long output straight out (default: through COORD_PAGER, PAGER or less -FRX)."
        ),
    ] = False,
) -> None:
    """Who does what in a multi-party project."""
    from coordkit.cli.display import settings

    state.db = db
    settings.color = color.value
    settings.pager = not no_pager
