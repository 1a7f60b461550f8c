"""Readable keys made from names: ``Liede Street Office`` → ``liede-street-office``, ``猎德街道办事处`` → ``liede-jiedao-banshichu``.

A Chinese name is spelt in pinyin (pypinyin) and grouped the way Hanyu
Pinyin orthography (GB/T 16159) writes names: the proper part together
(``liede``), each generic word apart (``jiedao``, ``banshichu``). pypinyin
has no word segmenter (its phrase list only holds words whose reading differs
from the characters'), so the generic words are a short list below, the words
that end the names of street offices, committees, stations, companies and
teams; every run of characters between them is one proper name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from coordkit.textparse import fold

MAX_LENGTH = 40
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
FALLBACK = "unnamed"

# The generic words of organisation names (通名); the longest one wins where they overlap.
_GENERIC_LINES = (
    "街道 办事处 社区 居委会 居民委员会 村委会 村民委员会 委员会 工作委员会 党委 党工委 党支部 党总支 支部 党组织",
    "中国 共产党 共青团 团委 妇联 工会 政府 人民政府 民政局 民政 派出所 公安 消防 城管 司法所",
    "社会 工作 服务 中心 工作站 社工 志愿 志愿者 志愿队 义工 爱心 公益 慈善 基金会 协会 学会 商会 联合会 促进会 研究会",
    "经济 联合社 合作社 股份 有限 有限公司 责任 集团 公司 物业 管理 发展 科技 文化 传媒 教育 培训 咨询 餐饮",
    "大学 学院 学校 中学 小学 幼儿园 医院 卫生 卫生院 图书馆 体育 广场 市场 商场 商户 银行 酒店",
    "居民 业主 业委会 老年人 长者 青年 儿童 妇女 家庭 综合 活动 艺术团 合唱团 舞蹈队 俱乐部 工作室 事务所 办公室",
    "平台 项目 小组 网格 家园 花园 公园 乐园",
    "省 市 区 县 镇 乡 街 路 村 局 厅 处 所 站 队 组 会 社 团 院 馆 园 店 厂 楼",
)
GENERIC_WORDS = frozenset(word for line in _GENERIC_LINES for word in line.split())
_LONGEST = max(len(word) for word in GENERIC_WORDS)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d"})


def _han_words(text: str) -> list[str]:
    """``猎德街道办事处`` → ``['猎德', '街道', '办事处']``: generic words apart, the runs between them together.

    The longest generic word wins at each place; a one-character generic word
    (区, 站, 队) ends a name of two characters or more, never a shorter one
    (天河区 is tianhe-qu, 会同县 is huitong-xian, 万科 stays wanke).
    """
    words: list[str] = []
    run = ""
    index = 0
    while index < len(text):
        for size in range(min(_LONGEST, len(text) - index), 0, -1):
            piece = text[index : index + size]
            if piece in GENERIC_WORDS and (size > 1 or len(run) > 1):
                break
        else:
            run += text[index]
            index += 1
            continue
        if run:
            words.append(run)
            run = ""
        words.append(piece)
        index += size
    if run:
        words.append(run)
    return words


def _latin_words(text: str) -> list[str]:
    """``Café Zoë's`` → ``['cafe', 'zoes']``: diacritics off, apostrophes inside words dropped."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_EXTRA))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    plain = re.sub(r"(?<=\w)['’](?=\w)", "", plain)
    return re.findall(r"[a-z0-9]+", plain)


def _words(text: str) -> list[str]:
    """The slug's words for any mix of Chinese and other text, in order."""
    words: list[str] = []
    position = 0
    for found in _HAN.finditer(text):
        from pypinyin import lazy_pinyin  # 0.5 s to import: only when a key is made from a Chinese name

        words += _latin_words(fold(text[position : found.start()]))
        for word in _han_words(found.group()):
            words += _latin_words("".join(lazy_pinyin(word)))
        position = found.end()
    return words + _latin_words(fold(text[position:]))


def _symbol_words(text: str) -> list[str]:
    """``🎉`` → ``['party', 'popper']``: a name made only of symbols is spelt by their Unicode names."""
    words: list[str] = []
    for char in text:
        if unicodedata.category(char) == "So":
            words += _latin_words(unicodedata.name(char, ""))
    return words


def _join(words: list[str]) -> str:
    """Words joined by '-', cut after the last whole word that fits in 40 characters."""
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_LENGTH:
            return slug or word[:MAX_LENGTH]
        slug = longer
    return slug


def slug_from(name: str | None, name_zh: str | None) -> str:
    """A readable key: lower-case ASCII letters, digits and '-', at most 40 characters.

    From ``name`` (``Liede Street Office`` → ``liede-street-office``; accents
    dropped, Chinese in it spelt in pinyin), else from ``name_zh``
    (``猎德街道办事处`` → ``liede-jiedao-banshichu``); ü is ``v`` (绿 → lv), as
    on a keyboard. A name of only symbols or emoji is spelt by their Unicode
    names (``🎉`` → ``party-popper``); one with nothing to spell (punctuation
    only, empty) gives ``unnamed``. Give the result to ``unique_slug``.
    """
    for text in (name, name_zh):
        if text and (words := _words(text)):
            return _join(words)
    for text in (name, name_zh):
        if text and (words := _symbol_words(text)):
            return _join(words)
    return FALLBACK


def unique_slug(base: str, taken: Collection[str]) -> str:
    """``base`` if free, else ``base-2``, ``base-3`` …, shortened so it stays a slug of at most 64 characters."""
    if not SLUG.fullmatch(base):
        raise ValueError(f"not a slug: {base!r}")
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: 64 - len(suffix)].rstrip("-._") + suffix
        if candidate not in used:
            return candidate
        number += 1
