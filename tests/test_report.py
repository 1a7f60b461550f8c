"""coord report: the evaluation report over a period, its figures equal to the store's, read back from every
format (Markdown, JSON, PDF text, DOCX paragraphs and tables, the HTML's map)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coordkit.domain.report import Period, action_figures, concern_figures, parse_period, period_between
from coordkit.errors import InvalidInput
from tests.conftest import ok, run_coord

EXAMPLE = Path(__file__).parent.parent / "agreements" / "liede-renjia.yaml"


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Liede Renjia example applied once (no documents rendered)."""
    folder = tmp_path_factory.mktemp("report") / "w"
    env_run = [sys.executable, "-m", "coordkit"]
    subprocess.run([*env_run, "init", str(folder)], check=True, capture_output=True)
    subprocess.run([*env_run, "--db", str(folder), "apply", str(EXAMPLE)], check=True, capture_output=True)
    return folder


@pytest.fixture
def demo(example_store: Path, isolated: Path) -> Path:
    target = isolated / "w"
    shutil.copytree(example_store, target)
    return target


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2024Q3", "2024-07-01", "2024-09-30", "2024Q3"),
        ("2024q1", "2024-01-01", "2024-03-31", "2024Q1"),
        ("2024H1", "2024-01-01", "2024-06-30", "2024H1"),
        ("2024H2", "2024-07-01", "2024-12-31", "2024H2"),
        ("2024", "2024-01-01", "2024-12-31", "2024"),
        ("2024-02", "2024-02-01", "2024-02-29", "2024-02"),
        ("2023-2", "2023-02-01", "2023-02-28", "2023-02"),
        ("2024-12", "2024-12-01", "2024-12-31", "2024-12"),
    ],
)
def test_periods(text: str, start: str, end: str, label: str) -> None:
    assert parse_period(text) == Period(start, end, label)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024Q5", "--period '2024Q5' is not a period"),
        ("Q3", "--period 'Q3' is not a period"),
        ("2024H3", "--period '2024H3': a year has two halves, H1 and H2"),
        ("2024-13", "--period '2024-13': there is no month 13"),
        ("2024-00", "--period '2024-00': there is no month 0"),
    ],
)
def test_bad_periods(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_period(text)
    assert str(raised.value).startswith(message)


def test_from_and_to() -> None:
    assert period_between("2024/3/1", None, default=("2024-01-01", "2024-12-31")) == Period(
        "2024-03-01", "2024-12-31", "2024-03-01 – 2024-12-31"
    )
    with pytest.raises(InvalidInput, match="--to 2024-02-01 is before --from 2024-03-01"):
        period_between("2024-03-01", "2024-02-01", default=("2024-01-01", "2024-12-31"))


def _concern(opened: str, resolved: str | None, satisfaction: int | None = None, severity: str = "normal") -> dict:
    return {"opened": opened, "resolved": resolved, "satisfaction": satisfaction, "severity": severity}


def test_concern_figures_count_what_happened_in_the_period() -> None:
    q2 = parse_period("2024Q2")
    concerns = [
        _concern("2024-03-20T09:00:00Z", "2024-04-09T10:00:00Z", 4),  # opened before, resolved inside: 20 days
        _concern("2024-04-02T09:00:00Z", "2024-04-12T09:00:00Z", 2, "high"),  # inside: 10 days
        _concern("2024-05-05T09:00:00Z", "2024-07-01T09:00:00Z", 5),  # opened inside, resolved after
        _concern("2024-06-30T23:00:00Z", None),  # opened on the last day, still open
        _concern("2024-07-01T08:00:00Z", None),  # after the period: not counted at all
    ]
    found = concern_figures(concerns, q2)
    assert (found.opened, found.resolved, found.open_at_end) == (3, 2, 2)
    assert found.median_days == 15  # of 20 and 10
    assert (found.satisfaction, found.rated) == (3.0, 2)
    assert found.by_severity == {"high": 1, "normal": 2}
    assert found.by_month == [("2024-04", 1, 2), ("2024-05", 1, 0), ("2024-06", 1, 0)]
    empty = concern_figures([], q2)
    assert (empty.median_days, empty.satisfaction) == (None, None)


def test_action_figures_at_the_end_of_the_period() -> None:
    def action(due: str, done: str | None) -> dict:
        return {"due": due, "done": done}

    meetings = [
        {"date": "2024-03-04", "actions": [action("2024-03-20", "2024-03-18"), action("2024-03-25", None)]},
        {"date": "2024-03-30", "actions": [action("2024-04-30", "2024-04-02")]},  # done after the period's end
        {"date": "2024-04-02", "actions": [action("2024-04-10", None)]},  # a meeting after the period
    ]
    found = action_figures(meetings, parse_period("2024Q1"))
    assert (found.total, found.done, found.open, found.overdue) == (3, 1, 2, 1)


def test_the_report_as_json_equals_the_store(demo: Path) -> None:
    data = json.loads(ok("--db", str(demo), "report", "--period", "2024", "-f", "json"))
    assert data["period"] == {"start": "2024-01-01", "end": "2024-12-31", "label": "2024"}
    assert [p["key"] for p in data["parties"]][:3] == [
        "liede-craftsmen",
        "liede-merchants",
        "liede-neighbourhood-committee",
    ]
    assert len(data["parties"]) == 10
    assert data["responsibility"]["duties"] == 22
    assert [a["key"] for a in data["agreements"]] == ["AGR-2024-001", "AGR-2024-002", "AGR-2024-003", "AGR-2024-004"]
    assert [(a["status"], a["signatures"], a["parties"]) for a in data["agreements"]] == [
        ("signed", 4, 4),
        ("signed", 5, 5),
        ("circulating", 1, 2),
        ("draft", 0, 2),
    ]
    assert len(data["obligations"]) == 47
    assert [m["key"] for m in data["meetings"]] == ["2024-03-04", "2024-08-05"]
    assert data["actions"] == {"total": 2, "done": 1, "open": 1, "overdue": 1}
    concerns = data["concerns"]
    assert (concerns["opened"], concerns["resolved"], concerns["open_at_end"]) == (1, 1, 0)
    assert (concerns["median_days"], concerns["satisfaction"], concerns["rated"]) == (35, 4.0, 1)
    log_head = ok("--db", str(demo), "log", "--head").strip()
    assert log_head.startswith(f"{data['chain']['seq']}:") and data["chain"]["hash"].startswith(log_head.split(":")[1])


def test_the_report_in_markdown_en_and_zh(demo: Path) -> None:
    en = ok("--db", str(demo), "report", "--period", "2024Q1", "-f", "md")
    assert en.startswith(
        "# Evaluation report: Liede Renjia social-work service project\n\n"
        "Period 2024Q1 (1 January 2024 to 31 March 2024) · made "
    )
    assert "\n## 6. Joint meetings and follow-up\n\n1 joint meeting(s) held in the period, 1 of them signed off. " in en
    assert "Their 1 action(s): 0 done by 31 March 2024, 1 open, 0 of them overdue." in en
    assert "| 4 March 2024 | 猎德社区党群服务中心二楼会议室 | 7 | 3 | 1 | 6 March 2024 |" in en
    assert "\n| 2024-03 | 1 | 0 |\n" in en
    zh = ok("--db", str(demo), "report", "--period", "2024", "-f", "md", "--lang", "zh")
    assert zh.startswith("# 猎德人家社工服务项目评估报告\n\n评估期间 2024（2024年1月1日至2024年12月31日）· 编制日期 ")
    assert "共 4 份协议，其中 2 份已由各方全部签署。" in zh
    assert "| AGR-2024-002 | 1 | 公益市集合作协议 | 已签署 | 2024-01-01 – 2024-12-31 | 5/5 |" in zh
    assert "| 策划每期市集；全年举办不少于12场，每场参与居民不少于200人 | 每月 | 12场，每场不少于200人 | 6/12 |" in zh
    assert "| 每季度向街道办事处提交书面工作报告 | 每季度 |  | 2/4 |" in zh
    assert (
        "评估期间到期的履约事项 16 次：已履行 8 次，部分履行 0 次，未履行 1 次，免除 1 次，截至2024年12月31日尚无履约记录 6 次。"
        in zh
    )
    assert "评估期间新增诉求 1 件，办结 1 件；截至2024年12月31日尚未办结 0 件。办结用时中位数：35 天。" in zh
    assert "办结时满意度：4 分（满分 5 分，共 1 份评价）。" in zh
    for heading in (
        "## 一、",
        "## 二、",
        "## 三、",
        "## 四、",
        "## 五、合作成效评估",
        "## 六、",
        "## 七、",
        "## 八、数据核验",
    ):
        assert heading in zh


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join("".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_as_pdf_reads_back(demo: Path, isolated: Path, lang: str) -> None:
    data = json.loads(ok("--db", str(demo), "report", "--period", "2024", "-f", "json"))
    ok("--db", str(demo), "report", "--period", "2024", "--lang", lang, "-o", "r.pdf")
    text = _pdf_text(isolated / "r.pdf")
    expected = (
        [
            "1.Partiesandthestakeholdermap",
            "2.Responsibilitiesandopenfindings",
            "3.Agreements",
            "4.Obligations",
            "Occurrencesdueintheperiod,byparty",
            "5.Partnershipreviews",
            "Averagescoreperarea(1–5),byreview",
            "6.Jointmeetingsandfollow-up",
            "7.Concerns",
            "8.Proof",
            "4agreement(s);2signedbyeveryparty.",
        ]
        if lang == "en"
        else [
            "一、参与各方与利益相关方地图",
            "二、职责分工与待解决问题",
            "三、合作协议",
            "四、各方义务",
            "评估期间到期的履约事项（按参与方）",
            "五、合作成效评估",
            "各评估方面的平均分（1–5分）",
            "六、联席会议与跟进",
            "七、诉求处理",
            "八、数据核验",
            "共4份协议，其中2份已由各方全部签署。",
            "利益相关方地图",
        ]
    )
    for line in expected:
        assert line in text, line
    assert data["chain"]["hash"][:16] in text  # the chain head, in the header of every page
    for agreement in data["agreements"]:
        if agreement["fingerprint"]:
            assert agreement["fingerprint"] in text


def test_the_report_as_docx_reads_back(demo: Path, isolated: Path) -> None:
    from docx import Document

    ok("--db", str(demo), "report", "--period", "2024", "--lang", "zh", "-f", "docx", "-o", "r.docx")
    doc = Document(str(isolated / "r.docx"))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "猎德人家社工服务项目评估报告"
    assert "三、合作协议" in paragraphs and "共 4 份协议，其中 2 份已由各方全部签署。" in paragraphs
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    agreements = next(t for t in tables if t[0][0] == "协议编号" and t[0][2] == "协议名称")
    assert [row[0] for row in agreements[1:]] == ["AGR-2024-001", "AGR-2024-002", "AGR-2024-003", "AGR-2024-004"]
    months = next(t for t in tables if t[0] == ["月份", "新增", "办结"])
    assert months[3] == ["2024-03", "1", "0"] and months[4] == ["2024-04", "0", "1"]
    assert len(doc.inline_shapes) == 4  # the map, fulfilment by party, review scores and the concerns chart
    reviews = next(t for t in tables if t[0][0] == "评估编号")
    assert reviews[0][5:] == ["沟通协调", "共同决策", "资源保障", "履约情况", "相互信任"]
    assert reviews[1][0] == "R-0001" and reviews[1][5:] == ["3.5", "3.5", "3.5", "3.5", "4.0"]


def test_the_html_report_places_each_party_on_the_map(demo: Path) -> None:
    html = ok("--db", str(demo), "report", "--period", "2024", "-f", "html")
    for key in ("liede-street", "liede-sw", "liede-craftsmen"):
        assert f'id="party-{key}"' in html
    assert html.count("<svg") == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2024Q5"], "Error: --period '2024Q5' is not a period"),
        (["--period", "2024", "--from", "2024-01-01"], "Error: give either --period or --from/--to, not both"),
        (["--from", "2024-05-01", "--to", "2024-04-01"], "Error: --to 2024-04-01 is before --from 2024-05-01"),
        (["--to", "2024-02-30"], "Error: --to"),
        (["--project", "nope"], "Error: "),
    ],
)
def test_bad_report_arguments_are_one_line(demo: Path, args: list[str], message: str) -> None:
    result = run_coord("--db", str(demo), "report", "-f", "md", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert result.stdout == ""


def _bars(svg: str, chart: str) -> dict[tuple[str, str], float]:
    """The figures a chart was drawn with, read back from the SVG: each bar's id is ``chart:WHO:WHAT:VALUE``."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg[svg.index("<svg") :])
    found = {}
    for element in root.iter():
        parts = (element.get("id") or "").split(":")
        if parts[0] == chart and len(parts) == 4:
            found[(parts[1], parts[2])] = float(parts[3])
    return found


def _svg_texts(svg: str) -> list[str]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg[svg.index("<svg") :])
    return ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]


def test_fulfilment_is_counted_by_party() -> None:
    from coordkit.domain.report import fulfilment_by_party

    obligations = [
        {"party": "sw", "fulfilment": {"scheduled": 1, "met": 3, "partly": 1, "missed": 0, "waived": 0}},
        {"party": "street", "fulfilment": {"scheduled": 0, "met": 1, "partly": 0, "missed": 1, "waived": 0}},
        {"party": "sw", "fulfilment": {"scheduled": 0, "met": 1, "partly": 0, "missed": 0, "waived": 2}},
        {"party": "idle", "fulfilment": None},  # nothing due in the period: not a row
    ]
    assert fulfilment_by_party(obligations) == [
        {"party": "sw", "met": 4, "partly": 1, "missed": 0, "waived": 2, "scheduled": 1, "due": 8},
        {"party": "street", "met": 1, "partly": 0, "missed": 1, "waived": 0, "scheduled": 0, "due": 2},
    ]


PARTIES = [
    {"party": "liede-sw", "met": 8, "partly": 2, "missed": 1, "waived": 1, "scheduled": 6, "due": 18},
    {"party": "liede-street", "met": 3, "partly": 0, "missed": 0, "waived": 0, "scheduled": 1, "due": 4},
    {"party": "liede-property", "met": 0, "partly": 0, "missed": 2, "waived": 0, "scheduled": 0, "due": 2},
]
NAMES = {"liede-sw": "猎德人家社工站", "liede-street": "猎德街道办事处", "liede-property": "猎德物业管理公司"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_fulfilment_chart_carries_each_partys_figures(lang: str) -> None:
    from coordkit.render.report import fulfilment_chart

    svg = fulfilment_chart(PARTIES, NAMES, lang=lang, fmt="svg").decode()
    assert _bars(svg, "fulfilment") == {
        (row["party"], state): row[state]
        for row in PARTIES
        for state in ("met", "partly", "missed", "waived", "scheduled")
    }
    texts = _svg_texts(svg)
    for name in NAMES.values():
        assert name in texts
    legend = ["已履行", "部分履行", "未履行", "免除", "尚无记录"] if lang == "zh" else ["Met", "Partly met", "Not met"]
    for word in legend:
        assert word in texts
    # the counts are written on the bars wide enough for them (8 of the longest bar, 18: yes; 1 of 18: no)
    assert "8" in texts and "6" in texts
    assert fulfilment_chart(PARTIES, NAMES, lang=lang, fmt="svg").decode() == svg  # the same figures, the same file


def test_the_fulfilment_chart_draws_the_parties_with_most_due() -> None:
    from coordkit.render.report import CHART_PARTIES, fulfilment_chart

    rows = [
        {"party": f"p{n:02d}", "met": 30 - n, "partly": 0, "missed": 0, "waived": 0, "scheduled": 0, "due": 30 - n}
        for n in range(CHART_PARTIES + 3)
    ]
    svg = fulfilment_chart(rows, {}, lang="en", fmt="svg").decode()
    assert {who for who, _what in _bars(svg, "fulfilment")} == {f"p{n:02d}" for n in range(CHART_PARTIES)}
    assert f"Occurrences due in the period: the {CHART_PARTIES} parties with the most of 23" in _svg_texts(svg)


REVIEWS = [
    {
        "key": "R-0001",
        "agreement": "AGR-2024-002",
        "title": "Market agreement",
        "title_zh": "公益市集合作协议",
        "by_area": {"communication": 3.5, "decision-making": 4.0, "resources": 2.5, "fulfilment": 3.0, "trust": 4.5},
    },
    {
        "key": "R-0002",
        "agreement": "AGR-2024-001",
        "title": "Service agreement",
        "title_zh": None,
        "by_area": {"communication": 4.0},
    },
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_review_chart_carries_each_areas_average(lang: str) -> None:
    from coordkit.render.report import reviews_chart

    svg = reviews_chart(REVIEWS, lang=lang, fmt="svg").decode()
    assert _bars(svg, "review") == {
        (review["key"], area): score for review in REVIEWS for area, score in review["by_area"].items()
    }
    texts = _svg_texts(svg)
    areas = (
        ["沟通协调", "共同决策", "资源保障", "履约情况", "相互信任"]
        if lang == "zh"
        else ["Communication", "Decision-making", "Resources", "Fulfilment", "Trust"]
    )
    for area in areas:
        assert area in texts
    # each round by its key and agreement title in the report's language (English where it has no Chinese title)
    assert ("R-0001 · 公益市集合作协议" if lang == "zh" else "R-0001 · Market agreement") in texts
    assert "R-0002 · Service agreement" in texts
    assert "4.5" in texts and texts.count("4.0") == 2


def test_the_html_reports_charts_equal_the_store(demo: Path) -> None:
    data = json.loads(ok("--db", str(demo), "report", "--period", "2024", "-f", "json"))
    html = ok("--db", str(demo), "report", "--period", "2024", "-f", "html", "--lang", "zh")
    svgs = {name: html[html.index(f'<div class="chart {name}">') :] for name in ("fulfilment", "reviews")}
    svgs = {name: text[: text.index("</svg>") + 6] for name, text in svgs.items()}
    assert data["fulfilment_by_party"] == [
        {"party": "liede-sw", "met": 8, "partly": 0, "missed": 1, "waived": 1, "scheduled": 6, "due": 16}
    ]
    assert _bars(svgs["fulfilment"], "fulfilment") == {
        (row["party"], state): row[state]
        for row in data["fulfilment_by_party"]
        for state in ("met", "partly", "missed", "waived", "scheduled")
    }
    assert [(r["key"], r["closed"], r["ratings"], r["parties"]) for r in data["reviews"]] == [
        ("R-0001", "2024-07-19", 10, 2),
        ("R-0002", None, 1, 1),
    ]
    assert _bars(svgs["reviews"], "review") == {
        ("R-0001", "communication"): 3.5,
        ("R-0001", "decision-making"): 3.5,
        ("R-0001", "resources"): 3.5,
        ("R-0001", "fulfilment"): 3.5,
        ("R-0001", "trust"): 4.0,
        ("R-0002", "communication"): 4.0,
    }
    assert "猎德人家社工站（第三方社会组织）" in _svg_texts(svgs["fulfilment"])
    # every id a chart refers to (clip paths, markers) is defined once in the page: no chart borrows another's
    defined = re.findall(r'id="([^"]+)"', html)
    referred = set(re.findall(r"url\(#([^)]+)\)", html)) | set(re.findall(r'href="#([^"]+)"', html))
    assert referred and all(defined.count(name) == 1 for name in referred)


def test_a_period_without_reviews_or_due_occurrences_has_no_such_charts(demo: Path) -> None:
    html = ok("--db", str(demo), "report", "--period", "2024-01", "-f", "html")
    assert '<div class="chart fulfilment">' in html  # January's market and report fell due
    assert '<div class="chart reviews">' not in html
    md = ok("--db", str(demo), "report", "--period", "2024-01", "-f", "md")
    assert "\n## 5. Partnership reviews\n\n0 partnership review(s) opened in the period, 0 of them closed" in md


def test_the_chinese_report_names_what_findings_are_about(demo: Path) -> None:
    zh = ok("--db", str(demo), "report", "--period", "2024", "-f", "md", "--lang", "zh")
    findings = zh[zh.index("| 检查规则 | 对象 | 问题 |") : zh.index("## 三、")]
    assert "| 负责方（A）不唯一 | 提供市集场地 | " in findings  # duty market-venue by its Chinese title
    assert "| 义务逾期未履行 | 每季度向街道办事处提交书面工作报告（2024年7月31日） | " in findings
    assert "| 参与方尚未签署 | 人才培养合作协议 | " in findings  # AGR-2024-003 v1 by its Chinese title
    assert "| 参与方长期未联络 | 猎德社区居委会 | " in findings
    assert "| market-venue |" not in findings and "| overdue-obligation |" not in findings
    en = ok("--db", str(demo), "report", "--period", "2024", "-f", "md")
    assert "| multiple-accountable | Provide the square for the market | " in en
    assert (
        "| overdue-obligation | Submit a written progress report to the street office every quarter (31 July 2024) | "
        in en
    )


def test_every_check_has_a_chinese_name_in_the_report() -> None:
    from coordkit.checks.rules import RULES
    from coordkit.render.report import RULES_ZH

    assert sorted(RULES) == sorted(RULES_ZH)


# ------------------------------------------------------------------ the PDF's charts, drawn in a second process

ALL_CHARTS = ["map", "fulfilment", "reviews", "concerns"]


def _report_data(demo: Path) -> dict[str, Any]:
    return dict(json.loads(ok("--db", str(demo), "report", "--period", "2024", "-f", "json")))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_charts_drawn_in_the_worker_are_those_drawn_here(demo: Path, lang: str) -> None:
    from coordkit.background import Background
    from coordkit.render.report import CHART_DATA, charts_elsewhere, draw_charts

    data = _report_data(demo)
    worker = Background(charts_elsewhere, {key: data[key] for key in CHART_DATA}, ALL_CHARTS, lang, "svg")
    drawn = worker.result()
    assert worker.elsewhere
    assert drawn == draw_charts(data, ALL_CHARTS, lang=lang, fmt="svg")  # byte for byte


@pytest.mark.parametrize("parties", [1, 3, 20, 23])
def test_each_chart_comes_out_the_size_of_its_frame(demo: Path, parties: int) -> None:
    """The PDF is laid out with a frame of each chart's size before the chart is drawn: the sizes must agree
    (else the report falls back to laying the pages out again with the charts inline)."""
    from coordkit.render.report import _inline_svg, chart_root, chart_size, draw_charts

    data = _report_data(demo)
    data["fulfilment_by_party"] = [
        {"party": f"p{n:02d}", "met": 30 - n, "partly": 1, "missed": 0, "waived": 0, "scheduled": 2, "due": 33 - n}
        for n in range(parties)
    ]
    for lang in ("en", "zh"):
        for name, svg in draw_charts(data, ALL_CHARTS, lang=lang, fmt="svg").items():
            assert _inline_svg(svg).startswith(chart_root(chart_size(name, data))), (name, lang)


class _Watched:
    """The report's second processes and PDF layouts, seen from outside."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import coordkit.background as background
        import coordkit.render.pdf as pdf

        self.jobs: list[Any] = []
        self.layouts: list[bool] = []  # True: laid out with frames, the charts given late
        jobs, layouts, real = self.jobs, self.layouts, pdf.html_to_pdf

        class Job(background.Background[Any]):
            def __init__(self, *args: Any) -> None:
                super().__init__(*args)
                jobs.append(self)

        def html_to_pdf(html: str, **options: Any) -> bytes:
            layouts.append(options.get("late") is not None and "coord-late:" in html)
            return real(html, **options)

        monkeypatch.setattr(background, "Background", Job)
        monkeypatch.setattr(pdf, "html_to_pdf", html_to_pdf)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_report_is_laid_out_while_a_second_process_draws_its_charts(
    demo: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    watched = _Watched(monkeypatch)
    ok("--db", str(demo), "report", "--period", "2024", "--lang", lang, "-o", "r.pdf")
    assert [job.elsewhere for job in watched.jobs] == [True]
    assert watched.layouts == [True]  # once, with frames: every chart came out its frame's size
    text = _pdf_text(isolated / "r.pdf")
    # text only the charts hold: a quadrant of the map, the titles of the fulfilment and review charts
    titles = (
        ["重点管理", "评估期间到期的履约事项（按参与方）", "各评估方面的平均分（1–5分）"]
        if lang == "zh"
        else ["Manageclosely", "Occurrencesdueintheperiod,byparty", "Averagescoreperarea(1–5),byreview"]
    )
    for title in titles:
        assert title in text


def test_a_chart_of_another_size_than_its_frame_is_laid_out_inline(
    demo: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("--db", str(demo), "report", "--period", "2024", "--lang", "zh", "-o", "framed.pdf")
    watched = _Watched(monkeypatch)
    monkeypatch.setattr("coordkit.render.report.chart_size", lambda name, data: (1.0, 1.0))
    ok("--db", str(demo), "report", "--period", "2024", "--lang", "zh", "-o", "inline.pdf")
    assert watched.layouts == [True, False]  # the frames, then again with the charts inline
    assert _pdf_text(isolated / "inline.pdf") == _pdf_text(isolated / "framed.pdf")


def test_without_a_second_process_the_charts_are_drawn_here(
    demo: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("--db", str(demo), "report", "--period", "2024", "--lang", "zh", "-o", "there.pdf")
    watched = _Watched(monkeypatch)
    monkeypatch.setattr("coordkit.background.sys.executable", "/nonexistent/python")
    ok("--db", str(demo), "report", "--period", "2024", "--lang", "zh", "-o", "here.pdf")
    assert [job.elsewhere for job in watched.jobs] == [False] and watched.layouts == [True]
    assert _pdf_text(isolated / "here.pdf") == _pdf_text(isolated / "there.pdf")


def test_a_picture_given_late_is_drawn_where_its_frame_was_laid_out(isolated: Path) -> None:
    from coordkit.render.fetcher import LATE
    from coordkit.render.pdf import html_to_pdf

    frame = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="20pt" viewBox="0 0 100 20">'
        f'<image width="100" height="20" href="{LATE}word"/></svg>'
    )
    word = b'<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="20pt"><text y="15">Latecomer</text></svg>'
    asked: list[str] = []

    def late() -> dict[str, bytes]:
        asked.append("word")
        return {f"{LATE}word": word}

    (isolated / "late.pdf").write_bytes(html_to_pdf(f"<p>Before</p>{frame}", lang="en", late=late))
    assert asked == ["word"]
    assert "BeforeLatecomer" in _pdf_text(isolated / "late.pdf")


def test_a_pdf_report_without_charts_starts_no_second_process(
    demo: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coordkit.render.report import render_report

    data = _report_data(demo)
    for party in data["parties"]:
        party["influence"] = party["interest"] = None
    data["fulfilment_by_party"], data["reviews"] = [], []
    data["concerns"] |= {"opened": 0, "resolved": 0}
    watched = _Watched(monkeypatch)
    (isolated / "r.pdf").write_bytes(render_report(data, fmt="pdf", lang="en", workspace=demo))  # type: ignore[arg-type]
    assert watched.jobs == [] and watched.layouts == [False]
    assert "1.Partiesandthestakeholdermap" in _pdf_text(isolated / "r.pdf")


# ------------------------------------------------------------------ WeasyPrint's import, libraries found once

LIBRARIES = (
    "import ctypes.util, sys\n"
    "if sys.argv[1] == 'coord':\n"
    "    from coordkit.render.pdf import weasyprint\n"
    "    weasyprint()\n"
    "import weasyprint.text.ffi as ffi\n"
    "print([getattr(ffi, name) is None for name in ('harfbuzz_subset', 'harfbuzz_vector')])\n"
    "print(ctypes.util.find_library.__module__)\n"
    "print(sorted({line.split()[-1] for line in open('/proc/self/maps') if '.so' in line}))\n"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig's cache is Linux's")
def test_weasyprint_loads_the_same_libraries_through_coord_as_alone() -> None:
    alone, through_coord = (
        subprocess.run([sys.executable, "-c", LIBRARIES, how], capture_output=True, text=True, check=True).stdout
        for how in ("alone", "coord")
    )
    assert through_coord == alone  # the same shared libraries, and find_library given back as it was
    assert "ctypes.util" in alone and "libpango-1.0.so" in alone


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig's cache is Linux's")
def test_the_library_cache_answers_as_find_library(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes.util

    from coordkit.render.pdf import _ldconfig_listing, _soname

    listing = _ldconfig_listing()
    assert listing is not None
    for name in ("c", "m", "pango-1.0", "gobject-2.0", "harfbuzz", "fontconfig", "libpango-1.0-0", "no-such-lib"):
        assert _soname(listing, name) == ctypes.util.find_library(name), name
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/elsewhere")  # a path of the user's own: WeasyPrint searches alone
    assert _ldconfig_listing() is None
