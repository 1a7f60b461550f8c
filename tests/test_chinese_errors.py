"""Every refusal of the README's first project, in Chinese and in English: no untranslated message (issue 12).

Each case is typed in ASCII, so a Chinese character in the Chinese message can
only come from the catalogue; the English message holds none (but the date and
amount forms, which show 2025年3月1日 and 30万 as forms a person may type).
Each case exits 2 and leaves the store as it was.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from coordkit.amounts import FORMS as AMOUNT_FORMS
from coordkit.dates import FORMS as DATE_FORMS
from tests.conftest import ok, run_coord

FIRST_PROJECT = [
    "stakeholder add liede-street --name 'Liede Street Office' --name-zh 猎德街道办事处 --kind government "
    "--contact phone:020-3888-0000",
    "stakeholder add liede-sw --name 'Liede Social Work Station' --kind social-organisation --rep 'Chen Jing:Director'",
    "project add liede-renjia --name 'Liede Renjia' --start 2024-01-01 --end 2024-12-31 --lead liede-street",
    "role add venue-host --name 'Venue host'",
    "role assign venue-host liede-sw --from 2024-01-01",
    "duty add market-plan --title 'Plan each market' --category markets",
    "duty assign market-plan liede-sw --as R,A",
]

REFUSALS = [
    "stakeholder add x --name X --kind nonsense",
    "stakeholder add liede-street --name X --kind government",
    "stakeholder add --kind government",
    "stakeholder add y --name Y --kind government --contact nonsense",
    "stakeholder add y --name Y --kind government --rep :x",
    "stakeholder show nobody",
    "stakeholder edit liede-street --influence 9",
    "stakeholder remove liede-street",
    "project add liede-renjia --name X",
    "project add p2 --name X --start 2025-13-01",
    "project use nobody",
    "role add venue-host --name X",
    "role assign nobody liede-sw",
    "role assign venue-host nobody",
    "duty add market-plan --title X",
    "duty assign market-plan nobody --as R",
    "duty assign market-plan liede-sw --as X",
    "duty show nobody",
    "matrix --on 2024-02-30",
    "duty add d3 --title X --due 2025-02-30",
    "check --on bad",
    "check --select nope",
    "agreement show AGR-9999",
    "contact log nobody --channel call --summary x",
]
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")


@pytest.fixture
def first_project(isolated: Path) -> Path:
    ok("init")
    for command in FIRST_PROJECT:
        ok(*shlex.split(command))
    return isolated


def _message(stderr: str, prefix: str) -> str:
    assert stderr.startswith(prefix), stderr
    return stderr[len(prefix) :]


@pytest.mark.parametrize("command", REFUSALS)
def test_each_refusal_speaks_both_languages(first_project: Path, command: str) -> None:
    before = ok("export")
    english = run_coord(*shlex.split(command), "--lang", "en")
    chinese = run_coord(*shlex.split(command), "--lang", "zh")
    assert (english.exit_code, chinese.exit_code) == (2, 2), (english.stderr, chinese.stderr)
    in_english = _message(english.stderr, "Error: ")
    in_chinese = _message(chinese.stderr, "错误：")
    plain = in_english.replace(DATE_FORMS, "").replace(AMOUNT_FORMS, "")
    assert not CJK.search(plain), in_english
    assert CJK.search(in_chinese), in_chinese
    assert in_chinese != in_english
    assert ok("export") == before


def test_the_first_project_speaks_chinese(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "zh")
    said = [run_coord("init").stderr]
    for command in [*FIRST_PROJECT, "project category markets --name Markets --name-zh 公益市集"]:
        result = run_coord(*shlex.split(command))
        assert result.exit_code == 0, result.stderr
        said.append(result.stderr)
    lines = [line for text in said for line in text.splitlines()]
    assert lines[:2] == [
        f"已在 {isolated / 'coord.db'} 建立 coord 存储。",
        "下一步：coord stakeholder add KEY --name NAME --kind KIND",
    ]
    assert lines[2] == "已添加利益相关方“liede-street”。"
    assert "“liede-sw”现担任角色“venue-host”。" in lines
    for line in lines:  # every line a person reads: Chinese beyond the keys and commands it quotes
        assert CJK.search(line.replace("猎德街道办事处", "").replace("公益市集", "")), line


AGREEMENT_REFUSALS = [
    "agreement circulate AGR-2024-001",
    "agreement sign AGR-2024-001 --party liede-sw --signatory Chen",
    "agreement goal remove AGR-2024-001 3",
    "duty unassign market-plan liede-sw --from 2024-05-01 --to 2024-04-01",
    "duty remove market-plan",
]


def draft_market() -> None:
    """AGR-2024-001, a draft between the street office and the social-work station."""
    ok(
        "agreement",
        "new",
        "--title",
        "Market",
        "--party",
        "liede-street",
        "--party",
        "liede-sw",
        "--effective",
        "2024-03-01",
    )


@pytest.mark.parametrize("command", AGREEMENT_REFUSALS)
def test_each_refusal_of_a_draft_agreement_and_a_duty_speaks_both_languages(first_project: Path, command: str) -> None:
    draft_market()
    test_each_refusal_speaks_both_languages(first_project, command)


def test_a_refusal_quotes_a_versions_status_in_the_readers_language(first_project: Path) -> None:
    draft_market()
    ok("agreement", "goal", "add", "AGR-2024-001", "Hold a market each month")
    ok("agreement", "circulate", "AGR-2024-001")
    again = run_coord("agreement", "circulate", "AGR-2024-001", "--lang", "zh")
    assert (again.exit_code, again.stderr) == (2, "错误：AGR-2024-001 第1版传签中，不是草稿\n")
    english = run_coord("agreement", "circulate", "AGR-2024-001", "--lang", "en")
    assert english.stderr == "Error: AGR-2024-001 v1 is circulating, not a draft\n"
