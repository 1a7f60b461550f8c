"""The root of the command line: global options, the nouns, and the one place
where a ``CoordError`` becomes ``Error: …`` on stderr and its exit code."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from coordkit import __version__
from coordkit.cli import agreement, ascode, check, documents, duty, key, matrix, project, role, stakeholder, workspace
from coordkit.cli.context import state
from coordkit.errors import CoordError


class CoordGroup(TyperGroup):
    """Turns user errors into one line and an exit code; bugs keep their traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CoordError as error:
            for line in str(error).splitlines() or [""]:
                typer.echo(f"Error: {line}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted; nothing was changed by the unfinished command.", err=True)
            raise typer.Exit(130) from None


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
) -> None:
    """Who does what in a multi-party project."""
    state.db = db


workspace.register(app)
matrix.register(app)
check.register(app)
ascode.register(app)
app.add_typer(stakeholder.app, name="stakeholder")
app.add_typer(project.app, name="project")
app.add_typer(role.app, name="role")
app.add_typer(duty.app, name="duty")
app.add_typer(agreement.app, name="agreement")
app.add_typer(key.app, name="key")
app.add_typer(documents.template_app, name="template")
app.command("doctor")(documents.doctor)
agreement.app.command("render")(documents.render)
