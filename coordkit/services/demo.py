"""``coord demo``: the Liede Renjia example as a workspace, with its matrix, findings and documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coordkit.domain.matrix import Matrix
from coordkit.errors import InvalidInput

DEMO_DATE = "2024-09-01"  # a day inside the example's term, so the demo tells the same story every year
PROJECT = "liede-renjia"


def example_dir() -> Path:
    """``coordkit/agreements`` in an installed wheel, else the repository's ``agreements/``."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "agreements"
    return packaged if packaged.is_dir() else here.parent / "agreements"


@dataclass
class DemoResult:
    project: str
    matrix: Matrix
    report: Any
    made: list[tuple[str, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_demo(directory: Path, *, progress: Callable[[str], None] = lambda _m: None) -> DemoResult:
    """Make the workspace in ``directory`` from the example and render everything it can."""
    from coordkit.checks import run_rules
    from coordkit.checks.config import load_config
    from coordkit.checks.snapshot import load_snapshot
    from coordkit.render import documents as docs
    from coordkit.render import matrix as matrix_render
    from coordkit.render.doctor import diagnose
    from coordkit.services.agreements.reading import newest_version_ids
    from coordkit.services.ascode.apply import apply
    from coordkit.services.ascode.load import load
    from coordkit.services.checking import DUTY_RULES, build_matrix
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.storage.documents import read_documents
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import from_path
    from coordkit.storage.lookup import lookup_id

    if (directory / "coord.db").exists():
        raise InvalidInput(f"{directory} already holds a coord store; remove it or name another folder")
    example = example_dir() / "liede-renjia.yaml"
    progress(f"Building the Liede Renjia workspace in {directory}/ from {example.name} …")
    store = open_store(from_path(directory / "coord.db", "demo"), create=True)
    try:
        loaded = load([example])
        with store.write() as conn:
            apply(conn, loaded=loaded, workspace=directory)
        _write(directory / "liede-renjia.yaml", example.read_text(encoding="utf-8"))
        with store.read() as conn:
            pid = lookup_id(conn, "project", PROJECT, "project")
            snapshot = load_snapshot(conn, project_id=pid)
            agreements = read_documents(conn, version_ids=newest_version_ids(conn, project=PROJECT))
            stakeholders = list_stakeholders(conn)
            meetings, project_info = _meetings(conn, pid)
    finally:
        store.dispose()
    config = load_config(directory)
    report = run_rules(snapshot, on=DEMO_DATE, explicit_on=False, config=config, project=PROJECT)
    duty_report = run_rules(snapshot, on=DEMO_DATE, explicit_on=True, config=config, select=DUTY_RULES, project=PROJECT)
    matrix = build_matrix(snapshot, on=DEMO_DATE, by="stakeholder", report=duty_report, project=PROJECT)
    result = DemoResult(PROJECT, matrix, report, [("workspace (store and example YAML)", directory)])
    out = directory / "documents"
    out.mkdir(exist_ok=True)
    health = {row["format"]: row for row in diagnose()}
    pdf_ok, zh_ok = health["pdf"]["ok"], health["pdf --lang zh"]["ok"]
    if not pdf_ok:
        result.notes.append(f"no PDFs: {health['pdf']['detail']} ({health['pdf']['fix']})")
    elif not zh_ok:
        result.notes.append(f"no Chinese PDFs: {health['pdf --lang zh']['fix']}")
    progress(f"Rendering {len(agreements)} agreements …")
    for fmt, lang in (("md", "en"), ("md", "zh"), ("html", "en"), ("html", "zh"), ("pdf", "en"), ("pdf", "zh")):
        if fmt == "pdf" and (not pdf_ok or (lang == "zh" and not zh_ok)):
            continue
        for doc in agreements:
            content = docs.render_agreement(doc, stakeholders, fmt=fmt, lang=lang, workspace=directory)
            _write(out / docs.file_name(doc, fmt, lang), content)
        result.made.append((f"agreements, {fmt.upper()} ({lang})", out / f"*.{lang}.{fmt}"))
    _render_minutes(result, meetings, stakeholders, project_info, out, directory, pdf_ok=pdf_ok, zh_ok=zh_ok)
    _write(out / "matrix.html", matrix_render.to_html(matrix, directory))
    _write(out / "matrix.xlsx", matrix_render.to_xlsx(matrix))
    made = ["matrix.html", "matrix.xlsx"]
    register = docs.render_register(stakeholders, fmt="html", lang="en", today=DEMO_DATE, workspace=directory)
    _write(out / "register.html", register)
    made.append("register.html")
    if pdf_ok:
        from coordkit.render.pdf import html_to_pdf

        _write(
            out / "matrix.pdf", html_to_pdf(matrix_render.to_html(matrix, directory), lang="en", workspace=directory)
        )
        made.append("matrix.pdf")
        if zh_ok:
            _write(
                out / "register.zh.pdf",
                docs.render_register(stakeholders, fmt="pdf", lang="zh", today=DEMO_DATE, workspace=directory),
            )
            made.append("register.zh.pdf")
    for name in made:
        result.made.append(
            (
                name.replace(".", ", ", 1)
                .replace("matrix", "responsibility matrix")
                .replace("register", "stakeholder register"),
                out / name,
            )
        )
    return result


def _meetings(conn: Any, pid: int) -> tuple[list[Any], Any]:
    from coordkit.services.projects import get_project
    from coordkit.storage.meetings import read_meetings

    return read_meetings(conn, project_id=pid), get_project(conn, PROJECT)


def _render_minutes(
    result: DemoResult,
    meetings: list[Any],
    stakeholders: Any,
    project: Any,
    out: Path,
    directory: Path,
    *,
    pdf_ok: bool,
    zh_ok: bool,
) -> None:
    """The joint meetings' minutes (会议纪要): Markdown and DOCX, and PDF where the fonts allow."""
    from coordkit.render.minutes import file_name, render_minutes

    for fmt, lang in (("md", "zh"), ("docx", "zh"), ("pdf", "zh"), ("md", "en"), ("pdf", "en")):
        if fmt == "pdf" and (not pdf_ok or (lang == "zh" and not zh_ok)):
            continue
        for meeting in meetings:
            content = render_minutes(meeting, stakeholders, project, fmt=fmt, lang=lang, workspace=directory)
            _write(out / file_name(meeting, fmt, lang), content)
        result.made.append((f"meeting minutes, {fmt.upper()} ({lang})", out / f"minutes-*.{lang}.{fmt}"))


def _write(path: Path, content: str | bytes) -> None:
    """Every demo file is written whole or not at all: an interrupted demo leaves no half PDF behind."""
    from coordkit.files import atomic_write

    atomic_write(path, content)
