"""Issue 19: the matrix and the agreement annex show which shared resources a duty uses, and when, in the
reader's language (the demo's square: the market on the second Saturday of every month, the heritage festival
on 14-15 September)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ok, run_coord


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    folder = tmp_path_factory.mktemp("shown")
    before = Path.cwd()
    os.chdir(folder)
    try:
        assert run_coord("demo", "d").exit_code == 0
    finally:
        os.chdir(before)
    return folder / "d"


@pytest.fixture
def here(demo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(demo)
    monkeypatch.setenv("COLUMNS", "100")
    return demo


def test_the_matrix_json_lists_each_duty_s_resources(here: Path) -> None:
    rows = {row["duty"]: row for row in json.loads(ok("matrix", "--on", "2024-09-14", "--format", "json"))["rows"]}
    assert rows["market-venue"]["uses"] == [
        {
            "resource": "square",
            "name": "Liede Square",
            "name_zh": "猎德广场",
            "when": "monthly second sat 09:00-17:00",
            "units": 1,
        }
    ]
    assert "uses" not in rows["market-planning"]


def test_the_matrix_table_says_which_resources_under_it(here: Path) -> None:
    english = ok("matrix", "--on", "2024-09-14", "--lang", "en")
    assert (
        "Shared resources:\n"
        "  Hold the heritage festival on the square: Liede Square: every day from 14 September 2024 to 15\n"
    ) in english
    assert "  Provide the square for the market: Liede Square: the second Saturday of every month, 09:00-17:00\n" in (
        english
    )
    chinese = ok("matrix", "--on", "2024-09-14", "--lang", "zh")
    assert "共用资源：\n  在猎德广场举办非遗文化节：猎德广场 2024年9月14日至2024年9月15日每天\n" in chinese
    assert "  提供市集场地：猎德广场 每月第二个星期六 09:00-17:00\n" in chinese
    assert "  market-venue：square monthly second sat 09:00-17:00\n" in ok(
        "matrix", "--on", "2024-09-14", "--lang", "zh", "--keys"
    )


def test_markdown_and_html_carry_the_resources(here: Path) -> None:
    md = ok("matrix", "--on", "2024-09-14", "--lang", "zh", "--format", "md")
    header = md.splitlines()[0]
    assert header.endswith("| 资源 |")
    venue = next(line for line in md.splitlines() if "| market-venue |" in line)
    assert venue.endswith("| multiple-accountable | 猎德广场 每月第二个星期六 09:00-17:00 |")
    html = ok("matrix", "--on", "2024-09-14", "--lang", "en", "--format", "html")
    assert '<div class="uses">Uses: Liede Square: the second Saturday of every month, 09:00-17:00</div>' in html


def test_the_csv_that_import_reads_back_keeps_to_letters(here: Path) -> None:
    header = ok("matrix", "--on", "2024-09-14", "--format", "csv").splitlines()[0]
    assert "resources" not in header and "Liede Square" not in header


def test_the_annex_lists_the_resources_in_both_languages(here: Path) -> None:
    zh = ok("agreement", "render", "AGR-2024-002", "--format", "md", "--lang", "zh")
    assert zh.endswith(
        "上述职责使用的共用资源：\n\n- 提供市集场地（market-venue）：猎德广场 每月第二个星期六 09:00-17:00\n"
    )
    en = ok("agreement", "render", "AGR-2024-002", "--format", "md", "--lang", "en")
    assert (
        "- Provide the square for the market (market-venue): Liede Square: the second Saturday of every month, "
        "09:00-17:00\n"
    ) in en
    assert "共用资源" not in ok("agreement", "render", "AGR-2024-001", "--format", "md", "--lang", "zh")


def test_the_printed_annex_reads_back_with_the_resources(here: Path, tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    ok("agreement", "render", "AGR-2024-002", "--format", "pdf", "--lang", "zh", "-o", str(target))
    last = PdfReader(io.BytesIO(target.read_bytes())).pages[-1].extract_text()
    flat = "".join(last.split())
    assert "上述职责使用的共用资源" in flat
    assert "提供市集场地（market-venue）：猎德广场每月第二个星期六09:00-17:00" in flat
    import docx

    ok("agreement", "render", "AGR-2024-002", "--format", "docx", "--lang", "zh", "-o", str(tmp_path / "a.docx"))
    texts = [p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs]
    at = texts.index("上述职责使用的共用资源：")
    assert texts[at + 1] == "提供市集场地（market-venue）：猎德广场 每月第二个星期六 09:00-17:00"


def test_check_names_what_its_findings_quote_in_the_readers_language(here: Path) -> None:
    """Issue 12: findings read with names, Chinese obligation texts and slots under zh; hints keep keys."""
    zh = run_coord("check", "--lang", "zh").stdout
    assert (
        "  “猎德广场”在 2024-09-14 09:00-17:00 同时被承诺 2 份，但容量只有 1：职责“在猎德广场举办非遗文化节”\n"
        "  （猎德非遗传承人与居民骨干，2024年9月14日至2024年9月15日每天）；职责“提供市集场地”（猎德物业管理公\n"
        "  司，每月第二个星期六 09:00-17:00）\n"
    ) in zh
    unwrapped = zh.replace("\n  ", "")  # a Chinese line breaks between any two characters
    assert "（“猎德人家社工站（第三方社会组织）”：每季度向街道办事处提交书面工作报告）应于 2024-07-31" in unwrapped
    assert "coord duty release heritage-festival square --when 2024-09-14..2024-09-15" in zh
    found = json.loads(run_coord("check", "--lang", "zh", "--format", "json").stdout)["findings"]
    contended = next(f for f in found if f["rule"] == "contended-resource")
    assert contended["message"].startswith("“square”在 2024-09-14 09:00-17:00")  # JSON: the keys, for scripts


def test_the_printable_matrix_speaks_chinese_in_its_frame(here: Path) -> None:
    """The meta line and the page footer were English in a Chinese matrix ("assignments valid on", "page 1 of 2")."""
    html = ok("matrix", "--on", "2024-09-14", "--lang", "zh", "--format", "html")
    assert (
        '<p class="meta">项目：<strong>' in html and "· 分工有效日期 <strong>2024-09-14</strong> · 列：各方</p>" in html
    )
    assert 'content: "第 " counter(page) " 页，共 " counter(pages) " 页"' in html
    english = ok("matrix", "--on", "2024-09-14", "--lang", "en", "--format", "html")
    assert "· assignments valid on <strong>2024-09-14</strong> · columns: parties</p>" in english
