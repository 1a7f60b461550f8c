"""Amounts as people type them (``300,000``, ``30万``, ``¥300,000.00``, ``叁拾万元整``) and as documents print them.

Money in a Chinese agreement is written twice, in capitals and in figures:
``人民币叁拾万元整（¥300,000.00）``. The capitals follow the People's Bank of
China rules for writing amounts on bills (《支付结算办法》附件一, 正确书写票据和结算凭证的基本规定).
Amounts are ``Decimal`` from end to end: ``30.5万`` is exactly 305000.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from coordkit.errors import InvalidInput
from coordkit.i18n import N_, _
from coordkit.textparse import fold

MAX_DIGITS = 18  # integer digits: 999,999,999,999,999,999 (just under a 百亿亿) is room enough for any budget
FORMS = N_("300000, 300,000, 30万, 1.2亿, ¥300,000.00 or 叁拾万元整")  # translated where a message names it
FEN = Decimal("0.01")


class Unit(NamedTuple):
    code: str  # what the store keeps
    one: str  # English, for an amount of exactly 1
    many: str  # English, any other amount
    zh: str
    places: int  # decimals it can be counted in: 2 for fen, 0 for people
    words: tuple[str, ...]  # what people type for it (compared lower-cased, full-width folded)


UNITS: dict[str, Unit] = {
    unit.code: unit
    for unit in (
        Unit("CNY", "CNY", "CNY", "元", 2, ("cny", "rmb", "yuan", "元", "人民币", "¥", "￥")),
        Unit(
            "hours", N_("hour"), N_("hours"), "小时", 2, ("hours", "hour", "hrs", "hr", "h", "小时", "个小时", "钟头")
        ),
        Unit("people", N_("person"), N_("people"), "人", 0, ("people", "persons", "person", "人", "名", "位")),
        Unit("sessions", N_("session"), N_("sessions"), "场次", 0, ("sessions", "session", "场次", "场")),
        Unit(
            "m2", "m²", "m²", "平方米", 2, ("m2", "m²", "㎡", "sqm", "square metres", "square meters", "平方米", "平米")
        ),
    )
}
"""The units coord knows by name; any other unit ("hours a week", "percent of sales") is kept and shown as typed."""

_UNIT_OF = {word: unit.code for unit in UNITS.values() for word in (unit.code.lower(), *unit.words)}
_CURRENCY_BEFORE = re.compile(r"^(?:¥|RMB|CNY|人民币)\s*", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"\s*(?:元整|元|圆整|圆|RMB|CNY|yuan)$", re.IGNORECASE)
_NUMBER = re.compile(
    r"(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)\s*(?P<scale>千|万|亿|万亿)?"
)
_SCALES = {None: 0, "千": 3, "万": 4, "亿": 8, "万亿": 12}
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_DIGITS = {
    char: value
    for value, chars in enumerate(("零〇", "一壹", "二贰", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"))
    for char in chars
}
_CN_SMALL = re.compile(r"(?:零?(?P<jiao>.)角)?(?:零?(?P<fen>.)分)?")  # what may follow 元: 零叁角贰分, 零贰分
_CN_NUMERAL = re.compile(r"[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾廿百佰千仟万萬亿億]")


def unit_of(text: str) -> str:
    """``元``, ``RMB`` or ``小时`` → ``CNY`` or ``hours``; a unit coord does not know comes back stripped, as typed."""
    shown = text.strip()
    return _UNIT_OF.get(fold(shown).lower(), shown)


def _refuse(what: str, text: str, reason: str) -> InvalidInput:
    return InvalidInput(
        _("{what} '{text}' is not an amount ({reason}); use {forms}").format(
            what=what, text=text, reason=reason, forms=_(FORMS)
        )
    )


def _scaled(number: Decimal, places: int) -> Decimal:
    """``number`` × 10^places, exactly (no context rounding whatever its length): 30.5 × 10^4 = 305000."""
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: built from digits
    exponent += places
    if exponent > 0:
        digits, exponent = (*digits, *(0,) * exponent), 0
    return Decimal((sign, digits, exponent))


def _cn_digits(text: str) -> str | None:
    """``五三`` → ``53``; None when a character is not a single Chinese digit."""
    if any(char not in _CN_DIGITS for char in text):
        return None
    return "".join(str(_CN_DIGITS[char]) for char in text)


def _chinese(text: str, what: str, shown: str) -> Decimal:
    """``三十万``, ``三十点五万``, ``叁拾万元整``, ``壹万陆仟肆佰零玖元零贰分``, ``伍角``: the integer by cn2an.

    cn2an's strict grammar rejects malformed numerals (``十十``, ``一万万``,
    the colloquial ``一千五``) and returns an exact int below 10^16 (亿亿 is
    beyond it). Its decimals go
    through float and it refuses the bill form ``元零贰分``, so 角, 分 and
    the digits after ``点`` are read here. ``两`` counts as 二 before 百,
    千, 万 and 亿 (两万 is 20000).
    """
    import cn2an  # type: ignore[import-untyped]  # 0.1 s: imported only when someone types Chinese numerals

    def malformed(part: str) -> InvalidInput:
        return _refuse(what, shown, _("'{part}' is not a well-formed Chinese number").format(part=part))

    body = text
    if body.endswith("整"):
        body = body[:-1]
        if not body.endswith(("元", "圆", "角")):
            raise _refuse(what, shown, _("整 follows 元 or 角"))
    yuan = re.search(r"[元圆]", body)
    if yuan:
        integer, small = body[: yuan.start()], body[yuan.end() :]
    elif body.endswith(("角", "分")):
        integer, small = "", body
    else:
        integer, small = body, ""
    cents = ""  # 三十万 is 300000; 叁拾万元伍角 is 300000.50
    if small:
        found = _CN_SMALL.fullmatch(small)
        jiao = _cn_digits(found["jiao"] or "零") if found else None
        fen = _cn_digits(found["fen"] or "零") if found else None
        if jiao is None or fen is None:
            raise malformed(small)
        cents = jiao + fen
    scale, fraction = 0, cents
    if "点" in integer:
        head, _point, tail = integer.partition("点")
        scale_char = tail[-1:] if tail[-1:] in ("万", "亿") else None
        digits = _cn_digits(tail[:-1] if scale_char else tail)
        if small or not tail or not digits:
            raise malformed(integer)
        integer, fraction, scale = head, digits, _SCALES[scale_char]
    if not integer and not small:
        raise malformed(text)
    integer = re.sub(r"两(?=[百佰千仟万萬亿億])", "二", integer)
    try:
        whole = int(cn2an.cn2an(integer, "strict")) if integer else 0
    except ValueError:
        raise malformed(integer) from None
    return _scaled(Decimal(f"{whole}.{fraction}" if fraction else whole), scale)


def parse_amount(text: str | int | Decimal, *, what: str, unit: str | None = None) -> Decimal:
    """``300,000``, ``30万``, ``1.2亿``, ``¥300,000.00``, ``CNY 300,000``, ``人民币30万元``, ``叁拾万元整`` → exact Decimal.

    Commas group in threes (``30,00`` is refused: 3000 or 30.00?), ``万`` is
    10^4 and ``亿`` 10^8 (``30.5万`` = 305000), full-width digits and commas
    count as ASCII. Refused: negatives, NaN and infinities, more than 18
    integer digits, a currency on a unit that is not money, and more
    decimals than ``unit`` is counted in (``0.005`` CNY: the fen is the
    smallest coin; ``2.5`` people). The Decimal keeps the decimals typed
    (``300,000.00`` → ``Decimal('300000.00')``); ``amount_text`` gives the store's form.
    """
    money = False
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise _refuse(what, str(text), _("not a number"))
    if isinstance(text, int | Decimal):
        shown = str(text)
        if isinstance(text, Decimal) and not text.is_finite():
            raise _refuse(what, shown, _("not a number"))
        if text < 0:
            raise InvalidInput(
                _("{what} '{text}' is negative; an amount is zero or more").format(what=what, text=shown)
            )
        value = Decimal(text)
    else:
        shown = text.strip()
        folded = fold(shown).replace("￥", "¥").strip()
        body = _CURRENCY_BEFORE.sub("", folded, count=1)
        money = body != folded
        if body.startswith(("-", "−", "负")):
            raise InvalidInput(
                _("{what} '{text}' is negative; an amount is zero or more").format(what=what, text=shown)
            )
        if body[:1].isascii() and body[:1].isdigit():
            number = _CURRENCY_AFTER.sub("", body, count=1)
            money = money or number != body
            found = _NUMBER.fullmatch(number)
            if not found:
                grouped = re.fullmatch(r"[0-9,]+(?:\.[0-9]+)?\s*(?:千|万|亿|万亿)?", number)
                raise _refuse(
                    what,
                    shown,
                    _("commas must group digits in threes") if grouped and "," in number else _("not a number"),
                )
            value = _scaled(Decimal(found["number"].replace(",", "")), _SCALES[found["scale"]])
        elif _CN_NUMERAL.match(body):
            money = money or bool(re.search(r"[元圆角分]", body))
            value = _chinese(body, what, shown)
        else:
            raise _refuse(what, shown, _("not a number"))
    if value and value.adjusted() >= MAX_DIGITS:
        raise _refuse(what, shown, _("more than {digits} digits before the decimal point").format(digits=MAX_DIGITS))
    code = unit_of(unit) if unit else None
    if money and code not in (None, "CNY"):
        raise InvalidInput(
            _("{what} '{text}' is money but the unit is {unit}").format(what=what, text=shown, unit=unit)
        )
    places = UNITS[code].places if code in UNITS else None
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        raise InvalidInput(
            _("{what} '{text}' has more decimals than {unit} is counted in ({places})").format(
                what=what, text=shown, unit=code, places=places
            )
        )
    return value


def amount_text(amount: Decimal) -> str:
    """The store's form of an amount: ``Decimal('300000.00')`` → ``'300000'``, no exponent, no trailing zeros."""
    return format(amount.normalize(), "f")


def _capitals_below_10000(number: int) -> str:
    """``1005`` → ``壹仟零伍``: every digit with its unit (``壹拾``, never a bare ``拾``), one 零 per run of zeros."""
    text, zero = "", False
    for digit, unit in zip(f"{number:04d}", ("仟", "佰", "拾", ""), strict=True):
        if digit == "0":
            zero = bool(text)
        else:
            text += ("零" if zero else "") + _DIGITS[int(digit)] + unit
            zero = False
    return text


def _capitals_below_yi(number: int) -> str:
    """``100005`` → ``壹拾万零伍``; ``107000`` → ``壹拾万柒仟``.

    The part below 万 that starts with zeros is joined by one 零; a zero
    that is only the 万 digit with the thousands following (107,000) is not
    written, the first of the two forms the rules allow (壹拾万柒仟元零伍角叁分).
    """
    high, low = divmod(number, 10**4)
    if not high:
        return _capitals_below_10000(low)
    return _capitals_below_10000(high) + "万" + ("零" if 0 < low < 1000 else "") + _capitals_below_10000(low)


def _capitals(number: int) -> str:
    """``100050000`` → ``壹亿零伍万``; 10^16 → ``壹亿亿``: groups of eight digits named 亿 and 亿亿.

    A group that starts with zeros, or follows a group of zeros, is joined by one 零.
    """
    groups = []
    while number:
        number, group = divmod(number, 10**8)
        groups.append(group)
    text, zero = "", False
    for power in reversed(range(len(groups))):
        group = groups[power]
        if not group:
            zero = bool(text)
            continue
        if text and (zero or group < 10**7):
            text += "零"
        text += _capitals_below_yi(group) + "亿" * power
        zero = False
    return text


def _fen(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to the fen; a negative, infinite or over-long amount cannot be written."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0 or amount.adjusted() >= MAX_DIGITS:
        raise InvalidInput(
            _("'{amount}' is not an amount of money coord can write (zero or more, at most {digits} digits)").format(
                amount=amount, digits=MAX_DIGITS
            )
        )
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def format_cny_zh(amount: Decimal) -> str:
    """``Decimal(300000)`` → ``人民币叁拾万元整（¥300,000.00）``, capitals by the People's Bank of China rules.

    Rounded half-up to the fen first (0.005 → 壹分), so capitals and figures
    always say the same amount; ``parse_amount(..., unit="CNY")`` refuses
    more decimals on the way in, so a stored amount never needs it. The
    rules: 零 for zeros in the middle, a run of zeros written once; 零 after
    元 when the 元 digit is zero and 角 is not (壹仟陆佰捌拾元零叁角贰分) and
    whenever 角 is zero and 分 is not (壹万陆仟肆佰零玖元零贰分); 整 after
    元 or 角, never after 分; 壹拾 for a ten; no 零元 before 角 or 分 (伍分).
    """
    value = _fen(amount)
    yuan, cents = divmod(int(value * 100), 100)
    jiao, fen = divmod(cents, 10)
    text = _capitals(yuan) + "元" if yuan else ""
    if jiao:
        text += ("零" if yuan % 10 == 0 and yuan else "") + _DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    text = text + "整" if text and not fen else text or "零元整"
    return f"人民币{text}（¥{value:,.2f}）"


def format_cny_en(amount: Decimal) -> str:
    """``Decimal(300000)`` → ``CNY 300,000.00`` (rounded half-up to the fen, like the Chinese form)."""
    return f"CNY {_fen(amount):,.2f}"


def _figures(amount: Decimal) -> str:
    """``Decimal('1200.50')`` → ``1,200.5``: grouped in threes, no trailing zeros, never an exponent."""
    text = amount_text(amount)
    whole, point, fraction = text.partition(".")
    return f"{int(whole):,}" + point + fraction


def format_amount(amount: Decimal, unit: str, lang: str) -> str:
    """``40 hours`` / ``40 小时``, ``1 person`` / ``1 人``; money as ``format_cny_en`` / ``format_cny_zh``.

    A unit coord does not know (``hours a week``) is printed as stored after the figures.
    """
    code = unit_of(unit)
    if code == "CNY":
        return format_cny_zh(amount) if lang == "zh" else format_cny_en(amount)
    known = UNITS.get(code)
    if known is None:
        return f"{_figures(amount)} {unit.strip()}"
    if lang == "zh":
        return f"{_figures(amount)} {known.zh}"
    return f"{_figures(amount)} {_(known.one) if amount == 1 else _(known.many)}"
