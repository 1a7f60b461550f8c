"""Typed text with a Chinese input method splits and parses as the person meant; values keep their characters."""

from __future__ import annotations

import pytest

from coordkit.errors import InvalidInput
from coordkit.textparse import (
    CHANNELS,
    channel_name,
    channel_of,
    fold,
    parse_contact,
    parse_rep,
    split_list,
    split_pair,
)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


def test_fold_is_one_character_for_one() -> None:
    assert fold("ｑｑ：１２３４５（筹）；，　Ａｂ") == "qq:12345(筹);, Ab"
    assert fold("甲方、乙方。") == "甲方、乙方。"
    text = "张敏：队长"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("street:甲方,qichuang:乙方", ["street:甲方", "qichuang:乙方"]),
        ("street:甲方，qichuang:乙方", ["street:甲方", "qichuang:乙方"]),
        ("甲方、乙方；丙方;丁方", ["甲方", "乙方", "丙方", "丁方"]),
        ("　甲方 ， 乙方　", ["甲方", "乙方"]),
        ("a,,b,", ["a", "b"]),
        ("猎德志愿队（筹）", ["猎德志愿队（筹）"]),
        ("", []),
        ("，、；", []),
    ],
)
def test_split_list(text: str, items: list[str]) -> None:
    assert split_list(text) == items


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("street:甲方", ("street", "甲方")),
        ("street：甲方", ("street", "甲方")),
        ("  street ： 甲方（筹） ", ("street", "甲方（筹）")),
        ("street", ("street", None)),
        ("ｓｔｒｅｅｔ：Ｐａｒｔｙ Ａ", ("ｓｔｒｅｅｔ", "Ｐａｒｔｙ Ａ")),
    ],
)
def test_split_pair(text: str, pair: tuple[str, str | None]) -> None:
    assert split_pair(text, what="--party", form="KEY:LABEL") == pair


def test_split_pair_folds_a_key_on_the_left_only() -> None:
    assert split_pair("ｓｔｒｅｅｔ：Ｐａｒｔｙ Ａ", what="--party", form="KEY:LABEL", fold_left=True) == (
        "street",
        "Ｐａｒｔｙ Ａ",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "--party is empty; expected KEY or KEY:LABEL"),
        ("：甲方", "--party '：甲方': nothing before the colon; expected KEY or KEY:LABEL"),
        ("street：", "--party 'street：': nothing after the colon (read KEY 'street'); expected KEY or KEY:LABEL"),
        (
            "street：甲方:主办",
            "--party 'street：甲方:主办' has 2 colons where one is expected "
            "(read KEY 'street', LABEL '甲方:主办'); expected KEY or KEY:LABEL",
        ),
    ],
)
def test_split_pair_refuses_what_is_unclear(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        split_pair(text, what="--party", form="KEY:LABEL")
    assert str(caught.value) == message


def test_split_pair_when_the_value_is_needed() -> None:
    with pytest.raises(InvalidInput) as caught:
        split_pair("street", what="--party", form="KEY:LABEL", need_value=True)
    assert str(caught.value) == "--party 'street': no colon; expected KEY:LABEL"
    assert split_pair("a:b:c", what="--x", form="A:B", colons_in_value=True) == ("a", "b:c")


@pytest.mark.parametrize(
    ("text", "rep"),
    [
        ("张敏：队长", ("张敏", "队长")),
        ("张敏:队长", ("张敏", "队长")),
        ("张敏", ("张敏", None)),
        ("　张敏　：　社工站站长（代）　", ("张敏", "社工站站长（代）")),
        ("Zhang Min: Team leader", ("Zhang Min", "Team leader")),
    ],
)
def test_parse_rep(text: str, rep: tuple[str, str | None]) -> None:
    assert parse_rep(text) == rep


def test_parse_rep_refuses_two_colons_and_says_what_it_read() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_rep("张敏：队长：组长")
    assert str(caught.value) == (
        "--rep '张敏：队长：组长' has 2 colons where one is expected "
        "(read NAME '张敏', TITLE '队长：组长'); expected NAME or NAME:TITLE"
    )


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("手机：13900001111", ("mobile", "13900001111")),
        ("手机号:139 0000 1111", ("mobile", "139 0000 1111")),
        ("Mobile:13900001111", ("mobile", "13900001111")),
        ("ｍｏｂｉｌｅ：１３９００００１１１１", ("mobile", "13900001111")),
        ("电话：020-8888-0000", ("phone", "020-8888-0000")),
        ("座机：020-8888-0000", ("phone", "020-8888-0000")),
        ("phone:020-8888-0000", ("phone", "020-8888-0000")),
        ("微信：liede_sw", ("wechat", "liede_sw")),
        ("邮箱：ｓｗ＠ｌｉｅｄｅ．ｏｒｇ", ("email", "sw@liede.org")),
        ("电子邮件:sw@liede.org", ("email", "sw@liede.org")),
        ("地址：天河区猎德路（东门）１号", ("address", "天河区猎德路（东门）１号")),
        ("传真：020-8888-0001", ("fax", "020-8888-0001")),
        ("QQ：12345", ("qq", "12345")),
        ("ＱＱ：12345", ("qq", "12345")),
        ("网站：https://liede.org/about", ("website", "https://liede.org/about")),
        ("website:https://liede.org", ("website", "https://liede.org")),
        ("Weibo：猎德社工", ("weibo", "猎德社工")),
        # a bare value that can be only one thing
        ("https://liede.org", ("website", "https://liede.org")),
        ("sw@liede.org", ("email", "sw@liede.org")),
        ("139 0000 1111", ("mobile", "139 0000 1111")),
        ("+86 139-0000-1111", ("mobile", "+86 139-0000-1111")),
        ("020-88880000", ("phone", "020-88880000")),
    ],
)
def test_parse_contact(text: str, contact: tuple[str, str]) -> None:
    assert parse_contact(text) == contact


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("phone", "--contact 'phone': expected CHANNEL:VALUE, e.g. phone:020-8888-0000"),
        ("12345", "--contact '12345': expected CHANNEL:VALUE, e.g. phone:020-8888-0000"),
        ("：13900001111", "--contact '：13900001111': nothing before the colon; expected CHANNEL:VALUE"),
        ("手机：", "--contact '手机：': nothing after the colon (read CHANNEL '手机'); expected CHANNEL:VALUE"),
    ],
)
def test_parse_contact_refuses(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_contact(text)
    assert str(caught.value) == message


def test_every_chinese_and_english_channel_word_lands_on_a_displayed_channel() -> None:
    assert {
        channel_of(w) for w in ("手机", "电话", "座机", "微信", "邮箱", "电子邮件", "地址", "传真", "QQ", "网站")
    } == set(CHANNELS)
    assert channel_of("  LinkedIn ") == "linkedin"
    assert [channel_name("mobile", "en"), channel_name("mobile", "zh")] == ["Mobile", "手机"]
    assert [channel_name("qq", "en"), channel_name("linkedin", "zh")] == ["QQ", "linkedin"]
