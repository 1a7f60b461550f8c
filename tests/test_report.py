"""coord report on the Liede Renjia example: each section present, its figures equal to what the store says
through the other commands, in English and Chinese, as Markdown and as PDF read back with pypdf."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Workspace, ok, run_coord

EXAMPLE = Path(__file__).resolve().parent.parent / "agreements" / "liede-renjia.yaml"


@pytest.fixture
def example(sqlite_ws: Workspace) -> Workspace:
    return sqlite_ws.replay([["apply", str(EXAMPLE)]])


def head(ws: Workspace) -> str:
    assert ws.path is not None
    with sqlite3.connect(ws.path) as conn:
        return str(conn.execute("SELECT value FROM coord_meta WHERE key = 'event_head'").fetchone()[0])


def test_report_figures_are_the_stores(example: Workspace) -> None:
    data = json.loads(ok("report", "--project", "liede-renjia", "--period", "2024", "--format", "json"))
    assert (data["from"], data["to"], data["on"]) == ("2024-01-01", "2024-12-31", "2024-12-31")
    grid = json.loads(ok("grid", "--project", "liede-renjia", "--format", "json"))
    assert data["parties"] == grid
    chart = json.loads(ok("matrix", "--project", "liede-renjia", "--on", "2024-12-31", "--format", "json"))
    assert data["matrix"] == {
        "duties": len(chart["rows"]),
        "parties": len(chart["columns"]),
        "duties_with_findings": sum(1 for r in chart["rows"] if r["findings"]),
        "findings": {"multiple-accountable": 1, "no-accountable": 1},
    }
    assert sorted(rule for r in chart["rows"] for rule in r["findings"]) == ["multiple-accountable", "no-accountable"]
    listed = json.loads(ok("agreement", "list", "--format", "json"))
    assert [(a["key"], a["status"], a["signatures"], a["fingerprint"]) for a in data["agreements"]] == [
        (a["key"], a["status"], a["signatures"], a["fingerprint"]) for a in listed
    ]
    meetings = json.loads(ok("meeting", "list", "--format", "json"))
    assert data["meetings"]["held"] == len(meetings) == 2
    assert data["meetings"]["actions"] == sum(m["actions"] for m in meetings)
    assert data["meetings"]["open_actions"] == sum(m["open_actions"] for m in meetings) == 1
    concern = json.loads(ok("concern", "show", "C-0001", "--format", "json"))
    assert data["concerns"] == {
        "opened": 1,
        "resolved": 1,
        "open": 0,
        "median_days_to_resolve": 35,  # 2024-03-11 to 2024-04-15
        "mean_satisfaction": concern["satisfaction"],
    }
    assert (concern["opened"][:10], concern["resolved"][:10]) == ("2024-03-11", "2024-04-15")
    assert data["audit_head"] == head(example)

    q3 = json.loads(ok("report", "--project", "liede-renjia", "--period", "2024Q3", "--format", "json"))
    assert (q3["from"], q3["to"], q3["meetings"]["held"], q3["concerns"]["opened"]) == (
        "2024-07-01",
        "2024-09-30",
        1,
        0,
    )
    assert run_coord("report", "--period", "2024Q5").stderr == (
        "Error: --period '2024Q5' is not a year, a quarter or a half: 2024, 2024Q3, 2024H1\n"
    )


def test_report_markdown_in_both_languages(example: Workspace) -> None:
    text = ok("report", "--project", "liede-renjia", "--period", "2024")
    for heading in ("## 1. Parties", "## 2. Responsibility matrix", "## 3. Agreements", "## 4. Joint meetings"):
        assert heading in text
    assert "| AGR-2024-003 | 1 | Talent cultivation cooperation agreement | circulating | 1/2 | def88d5a6699 |" in text
    assert "| Median days to resolve | 35 |" in text
    assert f"Head of the audit chain: {head(example)}." in text
    zh = ok("report", "--project", "liede-renjia", "--period", "2024", "--lang", "zh")
    assert "# 评估报告 · liede-renjia" in zh and "## 五、意见与诉求" in zh
    assert "| 猎德社区居委会 | 4 | 5 | 重点管理 |" in zh
    assert "| 解决所需天数（中位数） | 35 |" in zh


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_pdf_reads_back(example: Workspace, isolated: Path, lang: str) -> None:
    from pypdf import PdfReader

    result = run_coord("report", "--project", "liede-renjia", "--lang", lang, "--format", "pdf", "-o", "r.pdf")
    if result.exit_code != 0:
        pytest.skip(result.stderr)  # no WeasyPrint libraries or CJK font here: coord doctor says which
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO((isolated / "r.pdf").read_bytes())).pages)
    text = " ".join(text.split())
    if lang == "en":
        for words in ("1. Parties and the power/interest map", "6. Audit", "b80efe0887fa", "Meetings held 2"):
            assert words in text, words
    else:
        for words in ("一、参与各方与权力/利益方格", "六、审计", "b80efe0887fa", "召开会议数 2"):
            assert words in text, words
    assert head(example)[:32] in text.replace(" ", "")


def test_report_html_draws_the_map(example: Workspace) -> None:
    import xml.etree.ElementTree as ET

    from coordkit.render import grid
    from tests.test_grid import SVG, _dot, _rect

    page = ok("report", "--project", "liede-renjia", "--format", "html")
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    rects = {name: _rect(groups[f"quadrant-{name}"]) for name in grid.QUADRANTS}
    parties = json.loads(ok("grid", "--project", "liede-renjia", "--format", "json"))
    for party in parties:
        x, y = _dot(groups[f"party-{party['key']}"])
        assert [n for n, (x0, x1, y0, y1) in rects.items() if x0 < x < x1 and y0 < y < y1] == [party["quadrant"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_docx_reads_back(example: Workspace, isolated: Path, lang: str) -> None:
    from docx import Document

    ok("report", "--project", "liede-renjia", "--period", "2024", "--lang", lang, "--format", "docx", "-o", "r.docx")
    document = Document(str(isolated / "r.docx"))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    expected = {
        "en": ["Evaluation report · liede-renjia", "1. Parties and the power/interest map", "2. Responsibility matrix"],
        "zh": ["评估报告 · liede-renjia", "一、参与各方与权力/利益方格", "二、职责分工矩阵"],
    }[lang]
    assert headings[:3] == expected and len(headings) == 7
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    data = json.loads(ok("report", "--project", "liede-renjia", "--period", "2024", "--format", "json"))
    agreements = next(t for t in tables if t[0][0] in ("agreement", "协议"))
    status = {"signed": "已签署", "circulating": "传签中", "draft": "草稿"} if lang == "zh" else {}
    status = status or {"signed": "signed", "circulating": "circulating", "draft": "draft"}
    assert [(r[0], r[3], r[4], r[5]) for r in agreements[1:]] == [
        (a["key"], status[a["status"]], f"{a['signatures']}/{a['parties']}", a["fingerprint"] or "")
        for a in data["agreements"]
    ]
    parties = tables[0]
    assert [(r[1], r[2]) for r in parties[1:]] == [(str(p["influence"]), str(p["interest"])) for p in data["parties"]]
    assert len(document.inline_shapes) == 1  # the map
    assert data["audit_head"] in document.paragraphs[-1].text
