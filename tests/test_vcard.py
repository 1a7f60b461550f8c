"""vCards: the exact text of one card, and a whole register read back with vobject."""

from __future__ import annotations

from typing import Any

import pytest
import vobject

from coordkit.errors import InvalidInput
from coordkit.render.vcard import escape, fold, to_vcards


def stakeholder(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "key": "liede-street",
        "name": "Liede Street Office",
        "name_zh": "猎德街道办事处",
        "kind": "government",
        "influence": 5,
        "interest": 4,
        "interests": None,
        "active": True,
        "contacts": [],
        "representatives": [],
    }
    base.update(fields)
    return base


def test_one_card_exactly() -> None:
    text = to_vcards(
        [
            stakeholder(
                contacts=[
                    {"channel": "phone", "value": "020-3888 1234"},
                    {"channel": "mobile", "value": "13800138000"},
                    {"channel": "email", "value": "liede@example.gov.cn"},
                    {"channel": "wechat", "value": "liede_jd"},
                ],
                interests="A tidy market; no complaints",
            )
        ]
    )
    assert text == (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "UID:coord:stakeholder:liede-street\r\n"
        "FN:Liede Street Office\r\n"
        "N:Liede Street Office;;;;\r\n"
        "ORG:Liede Street Office\r\n"
        "X-ABShowAs:COMPANY\r\n"
        "CATEGORIES:government\r\n"
        "TEL;TYPE=WORK,VOICE:020-3888 1234\r\n"
        "TEL;TYPE=CELL:13800138000\r\n"
        "EMAIL;TYPE=INTERNET:liede@example.gov.cn\r\n"
        "X-WECHAT:liede_jd\r\n"
        "NOTE:Chinese name: 猎德街道办事处\\nWeChat: liede_jd\\nInterests: A ti\r\n"  # 75 octets
        " dy market\\; no complaints\r\n"
        "END:VCARD\r\n"
    )


def test_representatives_get_their_own_cards() -> None:
    text = to_vcards(
        [stakeholder(representatives=[{"name": "王芳", "title": "副主任"}, {"name": "Li Wei", "title": None}])],
        lang="zh",
    )
    cards = list(vobject.readComponents(text))
    assert [c.fn.value for c in cards] == ["猎德街道办事处", "王芳", "Li Wei"]
    assert [c.org.value for c in cards] == [["猎德街道办事处"]] * 3
    assert cards[1].title.value == "副主任"
    assert "title" not in cards[2].contents
    assert cards[1].n.value.family == "王芳"
    assert cards[1].uid.value == "coord:stakeholder:liede-street:representative:王芳"
    assert cards[1].categories.value == ["政府部门"]
    assert "x-abshowas" not in cards[1].contents


def test_a_register_reads_back_with_vobject() -> None:
    long_interest = "希望集市秩序井然、消防合规，不影响居民休息；摊位收费公开透明，收益用于社区公益，接受居民监督。" * 2
    register = [
        stakeholder(
            contacts=[
                {"channel": "mobile", "value": "13800138000"},
                {"channel": "Phone", "value": "020-3888 1234"},
                {"channel": "fax", "value": "020-3888 1235"},
                {"channel": "address", "value": "广州市天河区猎德路1号, 3楼"},
                {"channel": "url", "value": "https://example.gov.cn/liede?a=1,2"},
                {"channel": "qq", "value": "12345"},
            ],
            interests=long_interest,
        ),
        stakeholder(
            key="sw",
            name='Liede Social Work Station; "Hope", Ltd.\\East',
            name_zh=None,
            kind="social-organisation",
            contacts=[{"channel": "email", "value": "sw@example.org"}],
        ),
        stakeholder(key="zhang", name="Zhang San", name_zh="张三", kind="individual"),
    ]
    text = to_vcards(register, lang="zh")
    assert "\n" not in text.replace("\r\n", "")  # CRLF everywhere
    for line in text.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no line ends inside a character
    cards = list(vobject.readComponents(text))
    assert [c.fn.value for c in cards] == ["猎德街道办事处", 'Liede Social Work Station; "Hope", Ltd.\\East', "张三"]
    first = cards[0]
    assert [(t.value, t.params["TYPE"]) for t in first.contents["tel"]] == [
        ("13800138000", ["CELL"]),
        ("020-3888 1234", ["WORK", "VOICE"]),
        ("020-3888 1235", ["WORK", "FAX"]),
    ]
    assert first.adr.value.street == "广州市天河区猎德路1号, 3楼"
    assert first.url.value == "https://example.gov.cn/liede?a=1,2"
    assert first.note.value == f"英文名：Liede Street Office\nqq：12345\n诉求：{long_interest}"
    assert cards[1].org.value == ['Liede Social Work Station; "Hope", Ltd.\\East']
    assert cards[1].email.value == "sw@example.org"
    assert cards[1].categories.value == ["社会组织"]
    assert "org" not in cards[2].contents  # a person, not an organisation
    assert "x-abshowas" not in cards[2].contents


def test_escape_and_fold() -> None:
    assert escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "NOTE:" + "猎" * 30  # 5 + 90 octets
    folded = fold(line)
    assert folded == "NOTE:" + "猎" * 23 + "\r\n " + "猎" * 7 + "\r\n"  # 74 octets, then 1 + 21


def test_unknown_language() -> None:
    with pytest.raises(InvalidInput, match="--lang 'fr'"):
        to_vcards([stakeholder()], lang="fr")
