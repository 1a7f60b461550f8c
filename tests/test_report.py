"""coord report: the evaluation report over a period, its figures equal to the store's, read back from every
format (Markdown, JSON, PDF text, DOCX paragraphs and tables, the HTML's map)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

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
    assert "\n## 5. Joint meetings and follow-up\n\n1 joint meeting(s) held in the period, 1 of them signed off. " in en
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
    for heading in ("## 一、", "## 二、", "## 三、", "## 四、", "## 五、", "## 六、", "## 七、数据核验"):
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
        ["1.Partiesandthestakeholdermap", "7.Proof", "4agreement(s);2signedbyeveryparty."]
        if lang == "en"
        else ["一、参与各方与利益相关方地图", "七、数据核验", "共4份协议，其中2份已由各方全部签署。", "利益相关方地图"]
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
    assert len(doc.inline_shapes) == 2  # the map and the concerns chart


def test_the_html_report_places_each_party_on_the_map(demo: Path) -> None:
    html = ok("--db", str(demo), "report", "--period", "2024", "-f", "html")
    for key in ("liede-street", "liede-sw", "liede-craftsmen"):
        assert f'id="party-{key}"' in html
    assert html.count("<svg") == 2


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
