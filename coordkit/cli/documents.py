"""coord agreement render, coord template, coord doctor: printable documents."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coordkit.cli.completion import complete
from coordkit.cli.context import store
from coordkit.cli.display import emit, say, write_out
from coordkit.cli.options import FormatOpt, ListFormat, OutputOpt, reader_lang
from coordkit.i18n import _, ngettext

if TYPE_CHECKING:
    from coordkit.domain.agreements import AgreementDoc
    from coordkit.domain.stakeholders import Stakeholder
    from coordkit.storage.sql import Conn


class DocFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    docx = "docx"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


LangOpt = Annotated[
    Lang | None, typer.Option("--lang", help="Language of the document: en or zh (default: the reader's).")
]


def render(
    key: Annotated[
        str | None, typer.Argument(help="Agreement key (or --all).", autocompletion=complete("agreement"))
    ] = None,
    version: Annotated[int | None, typer.Option("--version", help="Version (default: the newest).")] = None,
    fmt: Annotated[DocFormat, typer.Option("--format", "-f", help="md, html, pdf or docx.")] = DocFormat.pdf,
    lang: LangOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File (or folder with --all; - for stdout). Default at a terminal: documents/KEY-vN.LANG.FORMAT; "
            "piped: stdout.",
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every agreement (newest versions) into a folder.")] = False,
    status: Annotated[str | None, typer.Option("--status", help="With --all: only this status.")] = None,
    project: Annotated[str | None, typer.Option("--project", "-p", help="With --all: only this project.")] = None,
    allow_untranslated: Annotated[
        bool,
        typer.Option(
            "--allow-untranslated",
            help="In Chinese, print texts that have no Chinese in English, marked 【未译】, instead of refusing.",
        ),
    ] = False,
    seam: Annotated[
        bool, typer.Option("--seam", help="Mark where a seal goes across the page edges (骑缝章).")
    ] = False,
) -> None:
    """Render an agreement for signing, in English or Chinese.

    Formats: Markdown, HTML, PDF (A4, print-ready) or DOCX (for Word and WPS).

    A circulating or signed version prints as a contract: the parties'
    particulars, numbered articles, （以下无正文）, a signature page and an annex of
    the duties; every page carries the key, version, page X of Y and the
    fingerprint of the frozen terms, with a QR code on the first and signature
    pages. A draft says DRAFT. In Chinese, a text with no Chinese is refused
    with its place named (coord agreement translate gives it one).

    \b
    Example:
      coord agreement render AGR-2024-001 --format pdf --lang zh -o AGR-2024-001.zh.pdf
    """
    from coordkit.errors import InvalidInput
    from coordkit.render.documents import render_agreement
    from coordkit.services.agreements.reading import annex_duties, duties_of, newest_version_ids, version_id
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.storage.documents import read_documents

    if all_ == (key is not None):
        raise InvalidInput(_("name one agreement, or pass --all"))
    lang = Lang(reader_lang(lang.value if lang else None))
    with store() as opened, opened.read() as conn:
        if all_:
            ids = newest_version_ids(conn, status=status, project=project)
        else:
            assert key is not None
            ids = [version_id(conn, key, version)]
        docs = read_documents(conn, version_ids=ids)
        stakeholders = list_stakeholders(conn)
        annex = annex_duties(conn, [doc["project"] for doc in docs if doc["project"]])
        root = opened.root
        refused = _unprovable(conn, root, docs)
    if refused and not all_:
        from coordkit.errors import ProofFailed

        doc = docs[0]
        raise ProofFailed(
            "\n".join(
                [
                    _("{key} v{version} is not rendered: what was signed can no longer be proven").format(
                        key=doc["key"], version=doc["version"]
                    ),
                    *refused[(doc["key"], doc["version"])],
                ]
            )
        )
    if refused:
        docs = [d for d in docs if (d["key"], d["version"]) not in refused]
    if not all_:
        from coordkit.render.documents import file_name

        content = render_agreement(
            docs[0],
            stakeholders,
            fmt=fmt.value,
            lang=lang.value,
            workspace=root,
            duties=duties_of(annex, docs[0]["project"]),
            allow_untranslated=allow_untranslated,
            seam=seam,
        )
        if output == Path("-") or (output is None and not at_terminal()):  # piped: the document is the data
            if isinstance(content, bytes) and sys.stdout.isatty():
                raise InvalidInput(_("{format} is a binary format: pass -o FILE.{format}").format(format=fmt.value))
            write_out(content, None)
            return
        if output is None:  # at a terminal, like render --all: into documents/, one name per version and language
            output = Path("documents") / file_name(docs[0], fmt.value, lang.value)
            output.parent.mkdir(parents=True, exist_ok=True)
        write_out(content, output)
        return
    _render_all(
        docs,
        stakeholders,
        fmt=fmt,
        lang=lang,
        folder=output or Path("documents"),
        root=root,
        annex=annex,
        allow_untranslated=allow_untranslated,
        seam=seam,
    )
    if refused:
        for (key, number), problems in refused.items():
            say(_("{key} v{version} was not rendered: {problem}").format(key=key, version=number, problem=problems[0]))
        raise typer.Exit(1)


def _unprovable(conn: Conn, root: Path, docs: list[AgreementDoc]) -> dict[tuple[str, int], list[str]]:
    """Frozen versions whose proof fails (terms, signatures, keys, history): never printed as signable."""
    if not any(doc["status"] != "draft" or doc["terms_hash"] for doc in docs):
        return {}
    from coordkit.services.agreements.proof import verify

    wanted = {(doc["key"], doc["version"]) for doc in docs}
    return {
        (row["key"], row["version"]): row["problems"]
        for row in verify(conn, workspace=root)
        if not row["ok"] and (row["key"], row["version"]) in wanted
    }


def at_terminal() -> bool:
    return sys.stdout.isatty()


def _render_all(
    docs: list[AgreementDoc],
    stakeholders: list[Stakeholder],
    *,
    fmt: DocFormat,
    lang: Lang,
    folder: Path,
    root: Path,
    annex: dict[str, dict[str, Any]],
    allow_untranslated: bool,
    seam: bool,
) -> None:
    """Render each agreement into ``folder``, each file written atomically.

    Ctrl-C after some files were written says how many (they are whole; the
    one being rendered is not written at all), instead of the generic "nothing
    was changed", which would then be untrue.
    """
    from coordkit.errors import InvalidInput
    from coordkit.files import atomic_write, sync_folder
    from coordkit.i18n import _, ngettext
    from coordkit.render.documents import file_name, render_agreement
    from coordkit.services.agreements.reading import duties_of

    if folder.exists() and not folder.is_dir():
        raise InvalidInput(
            _("-o {path} is a file; with --all, -o names a folder to write the documents into").format(path=folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(
            _("cannot make the folder {path}: {reason}").format(path=folder, reason=error.strerror or error)
        ) from None
    from rich.progress import Progress

    written = 0
    try:
        with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task(_("Rendering {count} agreement(s)").format(count=len(docs)), total=len(docs))
            for doc in docs:
                content = render_agreement(
                    doc,
                    stakeholders,
                    fmt=fmt.value,
                    lang=lang.value,
                    workspace=root,
                    duties=duties_of(annex, doc["project"]),
                    allow_untranslated=allow_untranslated,
                    seam=seam,
                )
                atomic_write(folder / file_name(doc, fmt.value, lang.value), content, sync_folder=False)
                written += 1
                progress.advance(task)
    except KeyboardInterrupt:
        if not written:
            raise
        say(
            ngettext(
                "Interrupted after writing {count} of {total} document to {folder}/; each file there is complete.",
                "Interrupted after writing {count} of {total} documents to {folder}/; each file there is complete.",
                written,
            ).format(count=written, total=len(docs), folder=folder)
        )
        raise typer.Exit(130) from None
    finally:
        if written:  # one fsync of the folder for the whole batch (each file was fsynced before its rename)
            sync_folder(folder)
    say(
        _("Wrote {count} {format} document(s) to {folder}/.").format(
            count=written, format=fmt.value.upper(), folder=folder
        )
    )


template_app = typer.Typer(
    help="Document templates: built in, or your own in the workspace's templates/.\n\n"
    "\b\nExample:\n  coord template copy agreement.html.j2",
    no_args_is_help=True,
)


@template_app.command("list")
def template_list(fmt: FormatOpt = ListFormat.table, output: OutputOpt = None) -> None:
    """List the templates and where each one comes from.

    \b
    Example:
      coord template list
    """
    from coordkit.render.templates import list_templates

    with store() as opened:
        root = opened.root
    rows = list_templates(root)
    emit(rows, rows, [("name", "name"), ("source", "source"), ("path", "path")], fmt.value, output, title="Templates")


@template_app.command("copy")
def template_copy(
    name: Annotated[str, typer.Argument(help="Template name, e.g. agreement.html.j2.")],
    force: Annotated[bool, typer.Option("--force", help="Replace the workspace's copy.")] = False,
) -> None:
    """Copy a built-in template into the workspace to edit it.

    \b
    Example:
      coord template copy agreement.docx
    """
    from coordkit.render.templates import copy_template

    with store() as opened:
        target = copy_template(name, opened.root, force=force)
    say(_("Copied {name} to {path}; coord now uses your copy.").format(name=name, path=target))


@template_app.command("check")
def template_check(name: Annotated[str, typer.Argument(help="Template name.")]) -> None:
    """Render a template against sample data and list every problem (exit 1 if any).

    \b
    Example:
      coord template check agreement.html.j2
    """
    from coordkit.render.templates import check_template

    with store() as opened:
        problems = check_template(name, opened.root)
    for problem in problems:
        say(problem)
    if problems:
        say(
            ngettext("{name}: {count} problem.", "{name}: {count} problems.", len(problems)).format(
                name=name, count=len(problems)
            )
        )
        raise typer.Exit(1)
    say(_("{name}: renders in every language without problems.").format(name=name))


def doctor(fmt: FormatOpt = ListFormat.table, output: OutputOpt = None) -> None:
    """Report what each output format needs and what is missing here.

    \b
    Example:
      coord doctor
    """
    from coordkit.render.doctor import diagnose

    rows = diagnose()
    emit(
        rows,
        rows,
        [("format", "format"), ("ok", "ok"), ("detail", "detail"), ("fix", "to fix")],
        fmt.value,
        output,
        title="What coord can produce here",
    )
