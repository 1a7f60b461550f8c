"""Keys made from names: readable, ASCII, at most 40 characters, never a duplicate."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordkit.slugs import slug_from, unique_slug

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@pytest.mark.parametrize(
    ("name", "name_zh", "slug"),
    [
        ("Liede Street Office", "猎德街道办事处", "liede-street-office"),
        (None, "猎德街道办事处", "liede-jiedao-banshichu"),
        ("", "猎德街道办事处", "liede-jiedao-banshichu"),
        ("猎德街道办事处", None, "liede-jiedao-banshichu"),
        (None, "猎德社区居委会", "liede-shequ-juweihui"),
        (None, "猎德经济联合社", "liede-jingji-lianheshe"),
        (None, "天河区民政局", "tianhe-qu-minzhengju"),
        (None, "乐善好施志愿者服务队", "leshanhaoshi-zhiyuanzhe-fuwu-dui"),
        (None, "重庆银行", "chongqing-yinhang"),  # 重 read as in 重庆
        (None, "会同县", "huitong-xian"),  # a one-character generic word never starts a name
        (None, "万科物业", "wanke-wuye"),
        (None, "绿色家园", "lvse-jiayuan"),  # ü is v, as on a keyboard
        (None, "猎德志愿队（筹）", "liede-zhiyuandui-chou"),
        ("Café Zoë's Straße", None, "cafe-zoes-strasse"),
        ("Ｌｉｅｄｅ　ＳＷ", None, "liede-sw"),
        ("猎德 Street 3号", None, "liede-street-3-hao"),
        ("🎉", None, "party-popper"),
        ("！？。…", "——", "unnamed"),
        (None, None, "unnamed"),
    ],
)
def test_slug_from(name: str | None, name_zh: str | None, slug: str) -> None:
    assert slug_from(name, name_zh) == slug


@pytest.mark.parametrize(
    ("name", "name_zh", "slug"),
    [
        (
            "The International Federation of Community Social Workers",
            None,
            "the-international-federation-of",
        ),
        (None, "广州市天河区猎德街道社会工作服务站", "guangzhou-shi-tianhe-qu-liede-jiedao"),
        ("A" * 60, None, "a" * 40),  # one word too long for 40 is cut inside it
    ],
)
def test_long_names_are_cut_after_a_whole_word(name: str | None, name_zh: str | None, slug: str) -> None:
    assert slug_from(name, name_zh) == slug
    assert len(slug) <= 40


def test_a_second_party_with_the_same_name_gets_another_key() -> None:
    taken: set[str] = set()
    for _ in range(3):
        taken.add(unique_slug(slug_from(None, "猎德街道办事处"), taken))
    assert taken == {"liede-jiedao-banshichu", "liede-jiedao-banshichu-2", "liede-jiedao-banshichu-3"}
    assert unique_slug("a", ["a", "a-2", "a-4"]) == "a-3"


def test_unique_slug_stays_a_slug_of_64() -> None:
    assert unique_slug("x" * 64, {"x" * 64}) == "x" * 62 + "-2"
    cut_at_a_dash = "a" * 61 + "-bc"  # cut to 62 it would end in '-'
    assert unique_slug(cut_at_a_dash, {cut_at_a_dash}) == "a" * 61 + "-2"
    with pytest.raises(ValueError):
        unique_slug("Not A Slug", set())


@given(st.text(max_size=80), st.text(max_size=80) | st.none())
def test_every_slug_is_a_key(name: str, name_zh: str | None) -> None:
    slug = slug_from(name, name_zh)
    assert SLUG.match(slug)
    assert len(slug) <= 40
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


def test_pypinyin_and_cn2an_load_only_for_chinese_input() -> None:
    """Start-up stays light: importing the parsers, or slugging an English name, loads neither library."""
    script = (
        "import sys\n"
        "import coordkit.textparse, coordkit.dates, coordkit.amounts, coordkit.slugs\n"
        "coordkit.slugs.slug_from('Liede Street Office', None)\n"
        "coordkit.amounts.parse_amount('30万', what='--amount')\n"
        "print(sorted(m for m in ('pypinyin', 'cn2an') if m in sys.modules))\n"
        "coordkit.slugs.slug_from(None, '猎德')\n"
        "coordkit.amounts.parse_amount('三十万', what='--amount')\n"
        "print(sorted(m for m in ('pypinyin', 'cn2an') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n['cn2an', 'pypinyin']\n"
