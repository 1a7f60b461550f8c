"""Amounts as typed (figures, 万/亿, currency, Chinese numerals) and as printed (capitals by the PBOC rules)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordkit.amounts import amount_text, format_amount, format_cny_en, format_cny_zh, parse_amount, unit_of
from coordkit.errors import InvalidInput

FORMS = "use 300000, 300,000, 30万, 1.2亿, ¥300,000.00 or 叁拾万元整"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "en")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("300000", "300000"),
        ("300,000", "300000"),
        ("300，000", "300000"),
        ("３００，０００", "300000"),
        ("30万", "300000"),
        ("30 万", "300000"),
        ("30.5万", "305000"),
        ("1.2亿", "120000000"),
        ("1.23456万", "12345.6"),
        ("5千", "5000"),
        ("2万亿", "2000000000000"),
        ("¥300,000.00", "300000.00"),
        ("￥300,000.00", "300000.00"),
        ("¥ 300000", "300000"),
        ("RMB 300000", "300000"),
        ("rmb300000", "300000"),
        ("CNY 300,000", "300000"),
        ("300,000 CNY", "300000"),
        ("300000元", "300000"),
        ("人民币30万元", "300000"),
        ("30万元整", "300000"),
        ("0", "0"),
        ("0.5", "0.5"),
        ("999999999999999999", "999999999999999999"),
        # Chinese numerals: the integer through cn2an's strict grammar, 角/分/点 read here
        ("三十万", "300000"),
        ("叁拾万元整", "300000"),
        ("人民币叁拾万元整", "300000"),
        ("两万元", "20000"),
        ("三十点五万", "305000"),
        ("一点二亿", "120000000"),
        ("壹万陆仟肆佰零玖元零贰分", "16409.02"),
        ("壹仟陆佰捌拾元零叁角贰分", "1680.32"),
        ("壹拾万柒仟元伍角叁分", "107000.53"),
        ("伍角整", "0.50"),
        ("伍分", "0.05"),
        ("零元整", "0"),
    ],
)
def test_parse_amount(text: str, value: str) -> None:
    parsed = parse_amount(text, what="--amount")
    assert isinstance(parsed, Decimal)
    assert str(parsed) == value  # exact, with the decimals typed


def test_parse_amount_is_exact_and_keeps_the_decimals_typed() -> None:
    assert str(parse_amount("¥300,000.00", what="--amount")) == "300000.00"
    assert str(parse_amount("30.5万", what="--amount")) == "305000"
    long = "123456789012345678.123456789012345678"
    assert str(parse_amount(long, what="--amount")) == long  # 36 digits: no 28-digit context rounding
    assert str(parse_amount("0.000000000000000000000000000001万", what="--amount")) == "1E-26"


def test_parse_amount_takes_numbers_already_parsed() -> None:
    assert parse_amount(40, what="amount") == Decimal(40)
    assert parse_amount(Decimal("300000.00"), what="amount") == Decimal("300000.00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "--amount '-5' is negative; an amount is zero or more"),
        ("¥-5", "--amount '¥-5' is negative; an amount is zero or more"),
        ("负三十", "--amount '负三十' is negative; an amount is zero or more"),
        ("NaN", f"--amount 'NaN' is not an amount (not a number); {FORMS}"),
        ("inf", f"--amount 'inf' is not an amount (not a number); {FORMS}"),
        ("Infinity", f"--amount 'Infinity' is not an amount (not a number); {FORMS}"),
        ("1e5", f"--amount '1e5' is not an amount (not a number); {FORMS}"),
        ("30,00", f"--amount '30,00' is not an amount (commas must group digits in threes); {FORMS}"),
        ("1,5", f"--amount '1,5' is not an amount (commas must group digits in threes); {FORMS}"),
        ("3,000,00", f"--amount '3,000,00' is not an amount (commas must group digits in threes); {FORMS}"),
        (
            "1" + "0" * 18,
            f"--amount '1000000000000000000' is not an amount (more than 18 digits before the decimal point); {FORMS}",
        ),
        ("100亿亿", f"--amount '100亿亿' is not an amount (not a number); {FORMS}"),
        ("$5", f"--amount '$5' is not an amount (not a number); {FORMS}"),
        ("3万5千", f"--amount '3万5千' is not an amount (not a number); {FORMS}"),
        ("", f"--amount '' is not an amount (not a number); {FORMS}"),
        ("一千五", f"--amount '一千五' is not an amount ('一千五' is not a well-formed Chinese number); {FORMS}"),
        ("十十", f"--amount '十十' is not an amount ('十十' is not a well-formed Chinese number); {FORMS}"),
        ("叁拾万整", f"--amount '叁拾万整' is not an amount (整 follows 元 or 角); {FORMS}"),
        ("叁拾元伍分整", f"--amount '叁拾元伍分整' is not an amount (整 follows 元 or 角); {FORMS}"),
        ("叁拾元伍厘", f"--amount '叁拾元伍厘' is not an amount ('伍厘' is not a well-formed Chinese number); {FORMS}"),
    ],
)
def test_parse_amount_refuses(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text, what="--amount")
    assert str(caught.value) == message


def test_parse_amount_refuses_what_does_not_fit_its_unit() -> None:
    cases = [
        ("0.005", "CNY", "--amount '0.005' has more decimals than CNY is counted in (2)"),
        ("2.5", "people", "--amount '2.5' has more decimals than people is counted in (0)"),
        ("¥5", "hours", "--amount '¥5' is money but the unit is hours"),
        ("三十元", "hours a week", "--amount '三十元' is money but the unit is hours a week"),
    ]
    for text, unit, message in cases:
        with pytest.raises(InvalidInput) as caught:
            parse_amount(text, what="--amount", unit=unit)
        assert str(caught.value) == message
    assert parse_amount("3.00", what="--amount", unit="人") == Decimal("3.00")
    assert parse_amount("¥0.05", what="--amount", unit="元") == Decimal("0.05")
    assert parse_amount("1.5", what="--amount", unit="hours a week") == Decimal("1.5")


@given(st.decimals(min_value=0, max_value=10**18 - 1, places=2))
def test_figures_read_back(value: Decimal) -> None:
    assert parse_amount(f"{value:,}", what="--amount") == value
    assert parse_amount(format_cny_en(value), what="--amount") == value
    assert parse_amount(f"¥{value:,.2f}", what="--amount", unit="CNY") == value


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.5", "伍角整"),
        ("0.55", "伍角伍分"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),  # a leading ten is 壹拾
        ("15", "壹拾伍元整"),
        ("100", "壹佰元整"),
        ("105", "壹佰零伍元整"),
        ("1000", "壹仟元整"),
        ("1005", "壹仟零伍元整"),  # a run of zeros is one 零
        ("1010", "壹仟零壹拾元整"),
        ("10010", "壹万零壹拾元整"),
        ("100005", "壹拾万零伍元整"),
        ("107000", "壹拾万柒仟元整"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),  # PBOC example; 零 after 元 when the 元 digit is zero
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # PBOC example; 零 when 角 is zero and 分 is not
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),  # PBOC example
        ("1409.50", "壹仟肆佰零玖元伍角整"),  # PBOC example; 整 after 角
        ("6007.14", "陆仟零柒元壹角肆分"),  # PBOC example; never 整 after 分
        ("325.04", "叁佰贰拾伍元零肆分"),  # PBOC example
        ("10.05", "壹拾元零伍分"),
        ("300000", "叁拾万元整"),
        ("1000000", "壹佰万元整"),
        ("1005000", "壹佰万伍仟元整"),
        ("100000000", "壹亿元整"),
        ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        ("100000005", "壹亿零伍元整"),
        ("100050000", "壹亿零伍万元整"),
        ("100005000", "壹亿零伍仟元整"),
        ("101000000", "壹亿零壹佰万元整"),
        ("110000000", "壹亿壹仟万元整"),
        ("200000000.10", "贰亿元零壹角整"),
        ("1000000000000", "壹万亿元整"),
        ("10000000000000005", "壹亿亿零伍元整"),
        ("999999999999999999.99", "玖拾玖亿亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_capitals_follow_the_pboc_rules(amount: str, capitals: str) -> None:
    value = Decimal(amount)
    assert format_cny_zh(value) == f"人民币{capitals}（¥{value:,.2f}）"
    if value < 10**16:  # cn2an's grammar reads up to 万亿; 亿亿 is written, not read
        assert parse_amount(capitals, what="--amount") == value


def test_capitals_and_figures_round_half_up_to_the_fen() -> None:
    assert format_cny_zh(Decimal("0.005")) == "人民币壹分（¥0.01）"
    assert format_cny_zh(Decimal("0.004")) == "人民币零元整（¥0.00）"
    assert format_cny_zh(Decimal("300000")) == "人民币叁拾万元整（¥300,000.00）"
    assert format_cny_en(Decimal("1234.565")) == "CNY 1,234.57"
    assert format_cny_en(Decimal("300000")) == "CNY 300,000.00"


@pytest.mark.parametrize("amount", ["-1", "NaN", "Infinity", "1E+18"])
def test_formatting_refuses_what_cannot_be_written(amount: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        format_cny_zh(Decimal(amount))
    assert str(caught.value) == (
        f"'{amount}' is not an amount of money coord can write (zero or more, at most 18 digits)"
    )


@pytest.mark.parametrize(
    ("amount", "unit", "lang", "text"),
    [
        ("40", "hours", "en", "40 hours"),
        ("40", "hours", "zh", "40 小时"),
        ("1", "小时", "en", "1 hour"),
        ("1.5", "h", "zh", "1.5 小时"),
        ("1", "people", "en", "1 person"),
        ("12", "人", "en", "12 people"),
        ("12", "people", "zh", "12 人"),
        ("3", "场", "en", "3 sessions"),
        ("3", "sessions", "zh", "3 场次"),
        ("1200.50", "㎡", "en", "1,200.5 m²"),
        ("1200.50", "m2", "zh", "1,200.5 平方米"),
        ("300000", "CNY", "en", "CNY 300,000.00"),
        ("300000", "元", "zh", "人民币叁拾万元整（¥300,000.00）"),
        ("4", "full-time staff", "en", "4 full-time staff"),
        ("20", " hours a week ", "zh", "20 hours a week"),
        ("1E+3", "percent of sales", "en", "1,000 percent of sales"),
    ],
)
def test_format_amount(amount: str, unit: str, lang: str, text: str) -> None:
    assert format_amount(Decimal(amount), unit, lang) == text


def test_units_and_the_stores_form() -> None:
    assert [unit_of(u) for u in ("元", "RMB", "￥", "小时", "Hours", "人", "场次", "平方米", "㎡")] == [
        "CNY",
        "CNY",
        "CNY",
        "hours",
        "hours",
        "people",
        "sessions",
        "m2",
        "m2",
    ]
    assert unit_of(" hours a week ") == "hours a week"
    assert [amount_text(Decimal(v)) for v in ("300000.00", "3E+5", "0.50", "0")] == ["300000", "300000", "0.5", "0"]
