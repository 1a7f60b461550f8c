"""coord check wraps a Chinese message between characters, never inside a number or a key."""

from __future__ import annotations

from rich.cells import cell_len

from coordkit.cli.check import wrap_han

OBLIGATION = (
    "AGR-2024-002 第 1 项义务（“猎德人家社工站（第三方社会组织）”：策划每期市集；全年举办不少于12场，"
    "每场参与居民不少于200人）应于 2024-09-30 完成，尚无履约记录（已逾期92天）"
)


def test_a_chinese_sentence_fills_the_line_and_keeps_numbers_whole() -> None:
    assert wrap_han(OBLIGATION, 98) == [
        "AGR-2024-002 第 1 项义务（“猎德人家社工站（第三方社会组织）”：策划每期市集；全年举办不少于12场，每",
        "场参与居民不少于200人）应于 2024-09-30 完成，尚无履约记录（已逾期92天）",
    ]
    # Rich alone put 项义务… on a line of its own after 'AGR-2024-002 第 1' and cut 200 into 20 / 0人


def test_punctuation_stays_with_its_character() -> None:
    # widths are in cells, two to a Chinese character
    assert wrap_han("甲乙丙，丁戊", 6) == ["甲乙", "丙，丁", "戊"]  # no line starts with ，
    assert wrap_han("甲乙丙（丁）", 6) == ["甲乙丙", "（丁）"]  # nor ends with （
    assert wrap_han("职责“提供市集场地”", 6) == ["职责", "“提供", "市集场", "地”"]


def test_every_line_fits_and_nothing_is_lost() -> None:
    for width in (20, 37, 60, 98):
        lines = wrap_han(OBLIGATION, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == OBLIGATION.replace(" ", "")
    assert wrap_han("coord-check-a-very-long-key-without-spaces 甲", 10) == [
        "coord-chec",
        "k-a-very-l",
        "ong-key-wi",
        "thout-spac",
        "es 甲",
    ]  # a run wider than the line is cut, as Rich cuts it
    assert wrap_han("第一行\n第二行", 40) == ["第一行", "第二行"]


def test_a_number_stays_with_its_measure_word() -> None:
    assert wrap_han("联络（已148天，最长间隔60天）", 14) == ["联络（已", "148天，最长间", "隔60天）"]
