"""Typed with a Chinese input method, stored as typed with an English keyboard (issue 12).

Each case runs the same commands twice, into two new stores, once as a person
typing Chinese punctuation, dates, amounts and channel names would, once in
ASCII, and compares the two stores' exports. Bad forms exit 2 and change nothing.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.conftest import run_coord

BASE = [
    "stakeholder add street --name 'Liede Street Office' --kind government --contact phone:020-3888-0000",
    "stakeholder add sw --name 'Liede Social Work Station' --kind social-organisation --contact phone:020-3888-0001",
    "project add lr --name 'Liede Renjia' --start 2024-01-01 --end 2024-12-31",
]

SAME = [
    (
        "stakeholder add a --name A --kind other --rep 张敏：队长",
        "stakeholder add a --name A --kind other --rep 张敏:队长",
    ),
    (
        "stakeholder add a --name A --kind other --contact '手机：139 0000 1111'",
        "stakeholder add a --name A --kind other --contact 'mobile:139 0000 1111'",
    ),
    (
        "stakeholder add a --name A --kind other --contact 微信：liede-sw",
        "stakeholder add a --name A --kind other --contact wechat:liede-sw",
    ),
    (
        "stakeholder add a --name A --kind other --contact 邮箱：a@b.cn",
        "stakeholder add a --name A --kind other --contact email:a@b.cn",
    ),
    (
        "stakeholder add a --name A --kind other --contact 电话：020-1234-5678",
        "stakeholder add a --name A --kind other --contact phone:020-1234-5678",
    ),
    ("duty add d --title T --r street，sw", "duty add d --title T --r street,sw"),
    ("duty add d --title T --c street、sw --a street", "duty add d --title T --c street,sw --a street"),
    ("duty add d --title T --due 2024-3-1", "duty add d --title T --due 2024-03-01"),
    ("duty add d --title T --due 2024/3/1", "duty add d --title T --due 2024-03-01"),
    ("duty add d --title T --due 2024.3.1", "duty add d --title T --due 2024-03-01"),
    ("duty add d --title T --due 2024年3月1日", "duty add d --title T --due 2024-03-01"),
    (
        "agreement new --title T --party street:甲方，sw:乙方 --effective 2024年3月1日 --expires 2024/12/31",
        "agreement new --title T --party street:甲方 --party sw:乙方 --effective 2024-03-01 --expires 2024-12-31",
    ),
]
AMOUNTS = ["300000", "300,000", "30万", "¥300,000.00", "叁拾万元整"]
AGREEMENT = "agreement new --title T --party street:甲方 --party sw:乙方 --effective 2024-03-01 --expires 2024-12-31"
REFUSED = [
    "duty add d --title T --due 2024/13/1",
    "duty add d --title T --due 2024年2月30日",
    "duty add d --title T --due 3/1/2024",
    "stakeholder add a --name A --kind other --rep 张敏：队长：组长",
    "stakeholder add a --name A --kind other --contact 手机：",
]


def _store(folder: Path, commands: list[str]) -> str:
    """The export of a new store at ``folder`` after ``commands``."""
    db = str(folder / "coord.db")
    assert run_coord("init", str(folder)).exit_code == 0
    for command in [*BASE, *commands]:
        result = run_coord("--db", db, *shlex.split(command))
        assert result.exit_code == 0, (command, result.stderr)
    result = run_coord("--db", db, "export")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("typed", "ascii_form"), SAME)
def test_chinese_typing_gives_the_same_store(isolated: Path, typed: str, ascii_form: str) -> None:
    assert _store(isolated / "typed", [typed]) == _store(isolated / "ascii", [ascii_form])


@pytest.mark.parametrize("amount", AMOUNTS[1:])
def test_each_amount_form_gives_the_same_store(isolated: Path, amount: str) -> None:
    resource = "agreement resource add AGR-2024-001 --party street --kind funds --unit CNY --amount "
    typed = _store(isolated / "typed", [AGREEMENT, resource + shlex.quote(amount)])
    plain = _store(isolated / "plain", [AGREEMENT, resource + AMOUNTS[0]])
    assert typed == plain
    assert "300000" in plain


@pytest.mark.parametrize("command", REFUSED)
def test_bad_forms_are_refused_and_change_nothing(isolated: Path, command: str) -> None:
    before = _store(isolated / "ws", [])
    result = run_coord("--db", str(isolated / "ws" / "coord.db"), *shlex.split(command))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert run_coord("--db", str(isolated / "ws" / "coord.db"), "export").stdout == before


def test_rule_lists_and_languages_split_at_a_full_width_comma() -> None:
    from coordkit.checks import rule_names
    from coordkit.domain.agreements import check_languages

    assert rule_names(["no-accountable，no-responsible"], "--select") == ["no-accountable", "no-responsible"]
    assert check_languages(["zh、en"]) == ["zh", "en"]
    assert check_languages(["en，zh"]) == ["en", "zh"]
