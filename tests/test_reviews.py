"""Partnership reviews after signing: each party rates the cooperation, a verdict per obligation, lessons kept;
the review-overdue and notice-date-near checks; reviews in workspace files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Workspace, ok, run_coord

BASE: dict[str, Any] = {
    "version": 1,
    "stakeholders": [
        {"key": "sw", "name": "Social workers", "kind": "social-organisation"},
        {
            "key": "street",
            "name": "Street office",
            "kind": "government",
            "contacts": [{"channel": "mobile", "value": "13900000000"}, {"channel": "wechat", "value": "street-li"}],
        },
    ],
    "projects": [{"key": "p", "name": "P", "start": "2024-01-01", "end": "2024-12-31"}],
    "agreements": [
        {
            "key": "AGR-1",
            "project": "p",
            "title": "Service",
            "title_zh": "服务协议",
            "effective": "2024-01-01",
            "expires": "2024-12-31",
            "review_every": "6m",
            "parties": [{"stakeholder": "sw"}, {"stakeholder": "street"}],
            "obligations": [
                {"party": "sw", "text": "Quarterly report", "text_zh": "季度报告", "every": "quarterly"},
                {
                    "party": "sw",
                    "text": "Hold markets",
                    "every": "2024-03-09, 2024-06-08",
                    "target": {"amount": "1", "unit": "sessions", "each_min": "200", "each_unit": "people"},
                },
                {"party": "street", "text": "Pay the fee", "due": "2024-03-01"},
            ],
        },
        {
            "key": "AGR-2",
            "project": "p",
            "title": "Placements",
            "effective": "2024-03-01",
            "expires": "2024-12-31",
            "parties": [{"stakeholder": "sw"}, {"stakeholder": "street"}],
            "obligations": [{"party": "sw", "text": "Host students", "due": "2024-06-30"}],
        },
    ],
}
SIGNED = [
    ["apply", "base.yaml"],
    ["agreement", "circulate", "AGR-1"],
    ["agreement", "sign", "AGR-1", "--party", "sw", "--signatory", "Li", "--date", "2023-12-20"],
    ["agreement", "sign", "AGR-1", "--party", "street", "--signatory", "Wang", "--date", "2023-12-21"],
    ["agreement", "circulate", "AGR-2"],
    ["agreement", "sign", "AGR-2", "--party", "sw", "--signatory", "Li", "--date", "2024-02-20"],
]


@pytest.fixture
def signed(ws: Workspace, isolated: Path) -> Workspace:
    (isolated / "base.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return ws.replay(SIGNED)


def _findings(*argv: str) -> list[tuple[str, str, str, str]]:
    result = run_coord("check", "--format", "json", *argv)
    return [(f["rule"], f["severity"], f["subject"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_a_review_falls_due_and_is_held(signed: Workspace) -> None:
    found = _findings("--on", "2024-07-02", "--select", "review-overdue")
    assert found == [
        (
            "review-overdue",
            "warning",
            "AGR-1 v1",
            "AGR-1 v1 was due for a partnership review on 2024-07-01 (1 day ago); none has been held since",
        ),
    ]
    due = json.loads(ok("due", "--on", "2024-07-02", "--within", "10d", "-f", "json"))
    assert [(i["kind"], i["date"], i["late"]) for i in due if i["kind"] == "review"] == [("review", "2024-07-01", 1)]
    ok("review", "open", "AGR-1", "--on", "2024-07-02")
    assert _findings("--on", "2024-07-03", "--select", "review-overdue") == []


def test_notice_date_near_counts_from_the_renewed_term(ws: Workspace, isolated: Path) -> None:
    base = json.loads(json.dumps(BASE))
    base["agreements"][0].update({"notice": "3m", "renewal": "tacit", "review_every": None})
    base["agreements"][0]["obligations"] = [{"party": "sw", "text": "Quarterly report", "every": "quarterly"}]
    (isolated / "base.yaml").write_text(yaml.safe_dump(base, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ws.replay(SIGNED[:4])
    assert _findings("--on", "2025-09-01", "--select", "notice-date-near") == [
        (
            "notice-date-near",
            "warning",
            "AGR-1 v1",
            "the last day to give notice on AGR-1 v1 is 2025-09-30 (in 29 days); the term ends on 2025-12-31",
        )
    ]
    assert _findings("--on", "2025-08-01", "--select", "notice-date-near") == []
    found = json.loads(ok("due", "--on", "2025-09-01", "--within", "130d", "-f", "json"))
    assert [(i["kind"], i["date"]) for i in found if i["kind"] != "meeting"] == [
        ("obligation", "2024-03-31"),
        ("obligation", "2024-06-30"),
        ("obligation", "2024-09-30"),
        ("obligation", "2024-12-31"),
        ("obligation", "2025-03-31"),
        ("obligation", "2025-06-30"),
        ("obligation", "2025-09-30"),
        ("notice", "2025-09-30"),
        ("obligation", "2025-12-31"),
        ("renewal", "2026-01-01"),
    ]


def test_a_review_rated_by_the_parties_and_closed(signed: Workspace) -> None:
    refused = run_coord("review", "open", "AGR-2")
    assert refused.stderr == "Error: AGR-2 version 1 is circulating, not signed; only signed terms are reviewed\n"
    assert run_coord("review", "open", "AGR-1", "--on", "2024-07-05").stderr == "Opened review R-0001 of AGR-1.\n"
    ok("review", "rate", "R-0001", "--party", "sw", "--area", "communication", "--score", "4", "--comment", "Calls")
    ok("review", "rate", "R-0001", "--party", "street", "--area", "communication", "--score", "3")
    ok("review", "rate", "R-0001", "--party", "street", "--area", "trust", "--score", "2")
    ok("review", "rate", "R-0001", "--party", "street", "--area", "trust", "--score", "3")
    ok("review", "verdict", "R-0001", "--obligation", "1", "met")
    ok("review", "verdict", "R-0001", "--obligation", "2", "not-met")
    before = signed.snapshot()
    for argv, message in (
        (
            ["rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "6"],
            "--score 6: rate from 1 (poor) to 5 (excellent)",
        ),
        (
            ["rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "0"],
            "--score 0: rate from 1 (poor) to 5 (excellent)",
        ),
        (
            ["verdict", "R-0001", "--obligation", "9", "met"],
            "AGR-1 has 3 obligation(s); there is no obligation 9 (see coord obligation list AGR-1)",
        ),
    ):
        result = run_coord("review", *argv)
        assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    assert signed.snapshot() == before
    closed = run_coord("review", "close", "R-0001", "--lessons", "Plan the markets earlier", "--on", "2024-07-20")
    assert (closed.stdout, closed.stderr) == (
        "Averages by area:\n  communication: 3.5\n  trust: 3.0\nAverages by party:\n  street: 3.0\n  sw: 4.0\n"
        "Obligations not met:\n  2. sw: Hold markets (not met)\n",
        "Closed review R-0001 on 2024-07-20.\n",
    )
    shown = json.loads(ok("review", "show", "R-0001", "-f", "json"))
    assert (shown["lessons"], shown["closed"], len(shown["ratings"])) == ("Plan the markets earlier", "2024-07-20", 3)
    late = run_coord("review", "rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "3")
    assert late.stderr == "Error: review R-0001 was closed on 2024-07-20; open a new one: coord review open AGR-1\n"
    listed = json.loads(ok("review", "list", "AGR-1", "-f", "json"))
    assert listed == [
        {
            "key": "R-0001",
            "agreement": "AGR-1",
            "version": 1,
            "opened": "2024-07-05",
            "closed": "2024-07-20",
            "ratings": 3,
        }
    ]
    found = json.loads(ok("due", "--on", "2024-07-21", "--within", "200", "-f", "json"))
    assert [i["date"] for i in found if i["kind"] == "review"] == []  # the next (2025-01-05) is after the expiry


HELD = [
    ["review", "open", "AGR-1", "--on", "2024-07-05"],
    ["review", "verdict", "R-0001", "--obligation", "1", "met"],
    ["review", "verdict", "R-0001", "--obligation", "2", "partly"],
    ["review", "verdict", "R-0001", "--obligation", "3", "not-met"],
    [
        "review",
        "close",
        "R-0001",
        "--lessons",
        "Plan the markets a quarter ahead.\nPay the fee by transfer.",
        "--on",
        "2024-07-20",
    ],
]


def test_an_amendment_starts_from_a_reviews_lessons(signed: Workspace) -> None:
    signed.replay(HELD)
    said = run_coord("agreement", "amend", "AGR-1", "--from-review", "R-0001")
    assert (said.exit_code, said.stderr) == (0, "Drafted AGR-1 v2; once every party signs it, it supersedes v1.\n")
    draft = json.loads(ok("agreement", "show", "AGR-1", "--version", "2", "-f", "json"))
    assert (draft["status"], draft["notes"]) == (
        "draft",
        "From review R-0001 of AGR-1 v1, closed on 2024-07-20.\n"
        "Lessons learned:\n"
        "Plan the markets a quarter ahead.\nPay the fee by transfer.\n"
        "Obligations not met or partly met:\n"
        "- 2. sw: Hold markets (partly met)\n"
        "- 3. street: Pay the fee (not met)",
    )
    signed_v1 = json.loads(ok("agreement", "show", "AGR-1", "--version", "1", "-f", "json"))
    assert signed_v1["notes"] is None and signed_v1["status"] == "signed"  # notes are not terms: v1 is untouched
    exported = yaml.safe_load(ok("export"))
    assert [a["notes"] for a in exported["agreements"] if a["key"] == "AGR-1"] == [draft["notes"]]


def test_an_amendment_from_a_review_in_chinese(signed: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    signed.replay(HELD)
    monkeypatch.setenv("COORD_LANG", "zh")
    ok("agreement", "amend", "AGR-1", "--from-review", "1")  # the review's number does
    draft = json.loads(ok("agreement", "show", "AGR-1", "--version", "2", "-f", "json"))
    assert draft["notes"] == (
        "依据 AGR-1 第1版的评估 R-0001（2024-07-20 结束）。\n"
        "经验教训：\n"
        "Plan the markets a quarter ahead.\nPay the fee by transfer.\n"
        "未履行或部分履行的义务：\n"
        "- 第2项（sw）：Hold markets（部分完成）\n"
        "- 第3项（street）：Pay the fee（未完成）"
    )


def test_an_amendment_from_a_wrong_review_is_refused(signed: Workspace) -> None:
    signed.replay([*HELD, ["review", "open", "AGR-1", "--on", "2024-07-21"]])
    before = signed.snapshot()
    for argv, message in (
        (["AGR-2", "--from-review", "R-0001"], "review R-0001 is of AGR-1, not AGR-2; see coord review list AGR-2"),
        (
            ["AGR-1", "--from-review", "R-0002"],
            "review R-0002 is still open; close it with its lessons first: coord review close R-0002",
        ),
        (["AGR-1", "--from-review", "R-0009"], "no review 'R-0009'; did you mean 'R-0002'?"),
        (["AGR-9", "--from-review", "R-0001"], "no agreement 'AGR-9'; did you mean 'AGR-2'?"),
    ):
        result = run_coord("agreement", "amend", *argv)
        assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n"), argv
    assert signed.snapshot() == before


RATER = """
import pathlib, sys
path = pathlib.Path(sys.argv[1])
count = pathlib.Path(sys.argv[0]).with_suffix(".count")
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
text = path.read_text(encoding="utf-8")
pathlib.Path(sys.argv[0]).with_suffix(f".{n}.yaml").write_text(text, encoding="utf-8")
if n == 0:
    text = text.replace("communication:\\n  score: 4\\n", "communication:\\n  score: 6\\n")
    text = text.replace("trust:\\n  score:\\n  comment:", "trust:\\n  score: ４\\n  comment: 说到做到, 值得信赖; \\"可靠\\"")
else:
    text = text.replace("communication:\\n  score: 6\\n", "communication:\\n  score: 5\\n")
path.write_text(text, encoding="utf-8")
"""


def test_a_party_rates_every_area_in_a_form_fixed_after_an_error(
    signed: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coordkit.cli import editing

    signed.replay(
        [
            ["review", "open", "AGR-1", "--on", "2024-07-05"],
            [
                "review",
                "rate",
                "R-0001",
                "--party",
                "sw",
                "--area",
                "communication",
                "--score",
                "4",
                "--comment",
                "Calls",
            ],
        ]
    )
    script = isolated / "rater.py"
    script.write_text(RATER, encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("COORD_LANG", "zh")
    monkeypatch.setattr(editing, "at_terminal", lambda: True)  # a person who fixes what the error says
    result = run_coord("review", "rate", "R-0001", "--party", "sw", "--edit")
    assert (result.exit_code, result.stderr) == (0, "sw 在评估 R-0001 中为 2 个方面打了分。\n")
    first = (isolated / "rater.0.yaml").read_text(encoding="utf-8")
    assert first.startswith(
        "# 保存并关闭即记录评分；不作修改直接关闭则取消。\n"
        "# sw 对 AGR-1 的合作进行评分（评估 R-0001）。\n"
        "# 请为每个方面打分：1 差，2 较差，3 一般，4 良好，5 优秀；在 comment 中写明理由。\n"
        "# 某方面暂不打分，score 留空即可。以 # 开头的行不会读取。\n"
        "\n"
        "# 沟通：各方是否及时互通信息？\n"
        'communication:\n  score: 4\n  comment: "Calls"\n'
        "\n"
        "# 决策：是否共同决策，决定是否得到执行？\n"
        "decision-making:\n  score:\n  comment:\n"
    )
    second = (isolated / "rater.1.yaml").read_text(encoding="utf-8")
    assert second.startswith("# 错误： communication.score 6：请打 1 分（差）至 5 分（优）\n# 保存并关闭")
    assert (isolated / "rater.count").read_text() == "2"
    shown = json.loads(ok("review", "show", "R-0001", "-f", "json"))
    assert shown["ratings"] == [
        {"party": "sw", "area": "communication", "score": 5, "comment": "Calls"},
        {"party": "sw", "area": "trust", "score": 4, "comment": '说到做到, 值得信赖; "可靠"'},
    ]
    again = run_coord("review", "rate", "R-0001", "--party", "sw", "--edit")  # the editor leaves it as it was
    assert (again.exit_code, again.stderr) == (0, "未作修改。\n")


EMPTY = """
import pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
path.write_text(text.replace("score: 4", "score:"), encoding="utf-8")
"""


def test_bad_rating_forms_are_refused(signed: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    signed.replay(
        [
            ["review", "open", "AGR-1", "--on", "2024-07-05"],
            ["review", "rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "4"],
        ]
    )
    before = signed.snapshot()
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    for argv, message in (
        (
            ["--party", "sw", "--edit", "--area", "trust"],
            "--edit rates every area in the form; leave out --area, --score and --comment",
        ),
        (["--party", "sw", "--area", "trust"], "give --area and --score, or --edit to rate every area in a form"),
        (["--party", "sw", "--edit"], "set EDITOR (or VISUAL), or rate one area with --area and --score"),
        (["--party", "nobody", "--edit"], "'nobody' is not a party to AGR-1; its parties are: sw, street"),
    ):
        result = run_coord("review", "rate", "R-0001", *argv)
        assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n"), argv
    script = isolated / "empty.py"
    script.write_text(EMPTY, encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = run_coord("review", "rate", "R-0001", "--party", "sw", "--edit")  # nobody at a terminal: no reopening
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: the edited file is not valid; nothing was changed: trust: rated 4 before; a rating is replaced, "
        "not withdrawn: give a score from 1 to 5\n",
    )
    assert signed.snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "the form lists the areas, each with a score and a comment under it"),
        (
            {"honesty": {"score": 3}},
            "area 'honesty' is not one of: communication, decision-making, resources, fulfilment, trust",
        ),
        ({"trust": 3}, "trust: give a score and a comment under it"),
        (
            {"trust": {"score": 3, "why": "x"}},
            "trust: 'why' is not part of the form; each area has a score and a comment",
        ),
        ({"trust": {"score": 0}}, "trust.score 0: rate from 1 (poor) to 5 (excellent)"),
        ({"trust": {"score": True}}, "trust.score True: rate from 1 (poor) to 5 (excellent)"),
        ({"trust": {"score": "good"}}, "trust.score good: rate from 1 (poor) to 5 (excellent)"),
        ({"trust": {"comment": "Fine"}}, "trust: a comment needs a score from 1 to 5"),
    ],
)
def test_the_rating_form_is_read_strictly(data: object, message: str) -> None:
    from coordkit.errors import InvalidInput
    from coordkit.services.reviews import read_form

    with pytest.raises(InvalidInput) as raised:
        read_form(data)
    assert str(raised.value) == message


def test_the_rating_form_reads_scores_typed_in_chinese() -> None:
    from coordkit.services.reviews import read_form

    assert read_form({"trust": {"score": "５", "comment": "  可靠 "}, "resources": None}) == {
        "trust": (5, "可靠"),
        "resources": (None, None),
    }
    assert read_form(None) == {}


def test_a_review_and_the_obligations_read_in_chinese(signed: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    signed.replay([*HELD[:3], ["review", "rate", "R-0001", "--party", "sw", "--area", "trust", "--score", "4"]])
    monkeypatch.setenv("COLUMNS", "100")
    english = ok("review", "show", "R-0001")
    assert "│ summary   │ Averages by area:" in english
    assert "│           │   trust: 4.0" in english and "│           │   2. sw: Hold markets (partly met)" in english
    monkeypatch.setenv("COORD_LANG", "zh")
    shown = ok("review", "show", "R-0001")
    for line in (
        "│ 键       │ R-0001",
        "│ 开始     │ 2024-07-05",
        "│ 评分     │ sw · 信任 · 4",
        "│ 汇总     │ 各方面平均分：",
        "│          │   信任：4.0",
        "│          │   sw：4.0",
        "│          │ 未履行的义务：",
        "│          │   第2项（sw）：Hold markets（部分完成）",
    ):
        assert line in shown, line
    assert "┃ 键     ┃ 协议  ┃ 版本 ┃ 开始       ┃ 结束 ┃ 评分 ┃" in ok("review", "list")
    listed = ok("obligation", "list", "AGR-1", "--on", "2024-04-01")
    assert "┃ 协议  ┃ 序号 ┃ 协议方         ┃ 义务" in listed
    assert "│ AGR-1 │ 1    │ Social workers │ 季度报告" in listed and "待完成" in listed  # no Chinese name: English
    rows = json.loads(ok("obligation", "list", "AGR-1", "--on", "2024-04-01", "-f", "json"))
    assert (rows[0]["text"], rows[0]["text_zh"], rows[0]["status"]) == ("Quarterly report", "季度报告", "scheduled")


def test_rating_one_area_names_it_in_the_readers_language(signed: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-area form says the area as the five-area form and review show do (信任, not trust)."""
    signed.replay(HELD[:1])
    rate = ["review", "rate", "R-0001", "--party", "sw", "--score", "4"]
    assert run_coord(*rate, "--area", "trust").stderr == "sw rated trust 4/5 in review R-0001.\n"
    monkeypatch.setenv("COORD_LANG", "zh")
    assert run_coord(*rate, "--area", "Decision_Making").stderr == "sw 在评估 R-0001 中为“决策”打了 4/5 分。\n"


def test_chinese_text_wraps_between_characters_so_columns_stay() -> None:
    from coordkit.cli.display import COMFORT, fit_columns

    columns = [("key", "key"), ("text", "义务"), ("due", "期限"), ("status", "状态"), ("target", "目标")]
    texts = [["AGR-1", "每季度向街道办事处提交书面工作报告，含服务人次和活动场次", "2024-03-31", "待完成", "12 场"]]
    shown, needs = fit_columns(columns, texts, 60)
    assert (shown, needs[1]) == ([0, 1, 2, 3, 4], COMFORT)  # not the sentence's 56 cells as one unbreakable word
