"""``coord demo``: the Liede Renjia example as a workspace, with its matrix, findings and documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from coordkit.domain.matrix import Matrix
from coordkit.errors import InvalidInput
from coordkit.i18n import _

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
    names: dict[tuple[str | None, str], tuple[str, str | None]] = field(default_factory=dict)  # see subject_names


def build_demo(directory: Path, *, progress: Callable[[str], None] = lambda _m: None) -> DemoResult:
    """Make the workspace in ``directory`` from the example and render everything it can."""
    from coordkit.checks import run_rules
    from coordkit.checks.config import load_config
    from coordkit.checks.snapshot import load_snapshot
    from coordkit.render import documents as docs
    from coordkit.render import matrix as matrix_render
    from coordkit.services.agreements.reading import annex_duties, duties_of, newest_version_ids
    from coordkit.services.ascode.apply import apply
    from coordkit.services.ascode.load import load
    from coordkit.services.checking import DUTY_RULES, build_matrix, name_categories, subject_names
    from coordkit.services.meetings import duty_titles
    from coordkit.services.stakeholders import list_stakeholders
    from coordkit.storage.documents import read_documents
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import from_path
    from coordkit.storage.lookup import lookup_id

    if (directory / "coord.db").exists():
        raise InvalidInput(
            _("{directory} already holds a coord store; remove it or name another folder").format(directory=directory)
        )
    example = example_dir() / "liede-renjia.yaml"
    progress(
        _("Building the Liede Renjia workspace in {directory}/ from {file} …").format(
            directory=directory, file=example.name
        )
    )
    store = open_store(from_path(directory / "coord.db", "demo"), create=True)
    try:
        loaded = load([example])
        with store.write() as conn:
            apply(conn, loaded=loaded, workspace=directory)
            plant_overlaps(conn)
        _write(directory / "liede-renjia.yaml", example.read_text(encoding="utf-8"))
        _evidence(directory)
        with store.read() as conn:
            pid = lookup_id(conn, "project", PROJECT, "project")
            snapshot = load_snapshot(conn, project_id=pid)
            agreements = read_documents(conn, version_ids=newest_version_ids(conn, project=PROJECT))
            stakeholders = list_stakeholders(conn)
            meetings, project_info = _meetings(conn, pid)
            duties = duties_of(annex_duties(conn, [PROJECT]), PROJECT)
            titles = duty_titles(conn, PROJECT)
            config = load_config(directory)
            report = run_rules(snapshot, on=DEMO_DATE, explicit_on=False, config=config, project=PROJECT)
            duty_report = run_rules(
                snapshot, on=DEMO_DATE, explicit_on=True, config=config, select=DUTY_RULES, project=PROJECT
            )
            matrix = build_matrix(snapshot, on=DEMO_DATE, by="stakeholder", report=duty_report, project=PROJECT)
            name_categories(conn, matrix)
            names = subject_names(conn)
    finally:
        store.dispose()
    result = DemoResult(PROJECT, matrix, report, [(_("workspace (store and example YAML)"), directory)], names=names)
    out = directory / "documents"
    out.mkdir(exist_ok=True)
    skipped = Skipped()
    progress(_("Rendering {count} agreements …").format(count=len(agreements)))
    for fmt, lang in (("md", "en"), ("md", "zh"), ("html", "en"), ("html", "zh"), ("pdf", "en"), ("pdf", "zh")):
        made = 0
        for doc in agreements:
            path = out / docs.file_name(doc, fmt, lang)
            made += skipped.attempt(
                path,
                partial(
                    docs.render_agreement, doc, stakeholders, fmt=fmt, lang=lang, workspace=directory, duties=duties
                ),
            )
        if made:
            label = _("agreements, {format} ({lang})").format(format=fmt.upper(), lang=lang)
            result.made.append((label, out / f"*.{lang}.{fmt}"))
    _render_minutes(result, meetings, stakeholders, project_info, titles, out, directory, skipped)
    matrix_html = matrix_render.to_html(matrix, directory)
    register = docs.render_register(stakeholders, fmt="html", lang="en", today=DEMO_DATE, workspace=directory)
    documents: list[tuple[str, str, Callable[[], str | bytes]]] = [
        (_("responsibility matrix, HTML"), "matrix.html", lambda: matrix_html),
        (_("responsibility matrix, XLSX"), "matrix.xlsx", lambda: matrix_render.to_xlsx(matrix)),
        (_("stakeholder register, HTML"), "register.html", lambda: register),
        (_("responsibility matrix, PDF"), "matrix.pdf", lambda: _pdf(matrix_html, "en", directory)),
        (
            _("stakeholder register, PDF (zh)"),
            "register.zh.pdf",
            lambda: docs.render_register(stakeholders, fmt="pdf", lang="zh", today=DEMO_DATE, workspace=directory),
        ),
    ]
    for label, name, make in documents:
        if skipped.attempt(out / name, make):
            result.made.append((label, out / name))
    result.notes.extend(skipped.notes())
    return result


def plant_overlaps(conn: Any) -> None:
    """Overlaps in substance the paper describes (section 3.4), for ``coord check`` to find: the square lent for the
    market on its second Saturday and for a heritage festival that weekend (14-15 September 2024), and the brand
    publicity duty again under another name, in English and Chinese, carried by the party committee."""
    from coordkit.services.duties import add_duty, assign_duty
    from coordkit.services.resources import add_resource, use_resource

    add_resource(conn, key="square", name="Liede Square", name_zh="猎德广场", capacity=1, owner="liede-property")
    use_resource(conn, duty="market-venue", resource="square", when="monthly second sat 09:00-17:00", project=PROJECT)
    add_duty(
        conn,
        key="heritage-festival",
        title="Hold the heritage festival on the square",
        title_zh="在猎德广场举办非遗文化节",
        category="heritage",
        project=PROJECT,
    )
    for duty, party, letter in (
        ("heritage-festival", "liede-craftsmen", "R"),
        ("heritage-festival", "liede-property", "A"),
        ("project-publicity", "liede-party-committee", "R,A"),
    ):
        if duty == "project-publicity":
            add_duty(
                conn,
                key=duty,
                title="Brand publicity for the district project",
                title_zh="品牌项目宣传",
                category="governance",
                project=PROJECT,
            )
        # for the project's year only: after it, neither is anybody's and the duplicate says nothing
        assign_duty(
            conn, duty=duty, party=party, letter=letter, project=PROJECT, valid_from="2024-01-01", valid_to="2024-12-31"
        )
    use_resource(conn, duty="heritage-festival", resource="square", when="2024-09-14..2024-09-15", project=PROJECT)


def _pdf(html: str, lang: str, workspace: Path) -> bytes:
    from coordkit.render.pdf import html_to_pdf

    return html_to_pdf(html, lang=lang, workspace=workspace)


class Skipped:
    """Files the demo could not make here, by reason: an optional capability missing is a note, never a failure.

    Eight Chinese PDFs missing a font make one line (the reason and its fix),
    not eight errors; the same reason is tried again for each file, so a file
    that does not need the missing thing (an English PDF without Chinese text)
    is still made.
    """

    def __init__(self) -> None:
        self.by_reason: dict[str, list[str]] = {}

    def attempt(self, path: Path, make: Callable[[], str | bytes]) -> bool:
        from coordkit.render.pdf import CannotRender

        try:
            content = make()
        except CannotRender as missing:
            self.by_reason.setdefault(str(missing), []).append(path.name)
            return False
        _write(path, content)
        return True

    def notes(self) -> list[str]:
        return [
            _("skipped {count} file(s) ({names}): {reason}").format(
                count=len(names), names=_shorten(names), reason=reason
            )
            for reason, names in self.by_reason.items()
        ]


def _shorten(names: list[str]) -> str:
    return ", ".join(names) if len(names) <= 3 else ", ".join(names[:2]) + ", …"


def _meetings(conn: Any, pid: int) -> tuple[list[Any], Any]:
    from coordkit.services.projects import get_project
    from coordkit.storage.meetings import read_meetings

    return read_meetings(conn, project_id=pid), get_project(conn, PROJECT)


def _render_minutes(
    result: DemoResult,
    meetings: list[Any],
    stakeholders: Any,
    project: Any,
    titles: dict[str, tuple[str, str | None]],
    out: Path,
    directory: Path,
    skipped: Skipped,
) -> None:
    """The joint meetings' minutes (会议纪要): Markdown and DOCX, and PDF where the fonts allow."""
    from coordkit.render.minutes import file_name, render_minutes

    for fmt, lang in (("md", "zh"), ("docx", "zh"), ("pdf", "zh"), ("md", "en"), ("pdf", "en")):
        made = 0
        for meeting in meetings:
            made += skipped.attempt(
                out / file_name(meeting, fmt, lang),
                partial(
                    render_minutes,
                    meeting,
                    stakeholders,
                    project,
                    fmt=fmt,
                    lang=lang,
                    workspace=directory,
                    duties=titles,
                ),
            )
        if made:
            label = _("meeting minutes, {format} ({lang})").format(format=fmt.upper(), lang=lang)
            result.made.append((label, out / f"minutes-*.{lang}.{fmt}"))


def _evidence(directory: Path) -> None:
    """The example's evidence of fulfilment (its quarterly reports), where ``coord verify`` looks for it."""
    source = example_dir() / "evidence"
    if source.is_dir():
        (directory / "evidence").mkdir(exist_ok=True)
        for path in sorted(source.iterdir()):
            _write(directory / "evidence" / path.name, path.read_bytes())


def _write(path: Path, content: str | bytes) -> None:
    """Every demo file is written whole or not at all: an interrupted demo leaves no half PDF behind."""
    from coordkit.files import atomic_write

    atomic_write(path, content)
