"""Text as people type it with a Chinese input method, split and parsed as they meant it.

A Chinese IME in Chinese mode types ``，：；（）`` and the ideographic space
(U+3000) where an English keyboard types ``,:;()`` and a space, and often
full-width digits and letters (``１３９``, ``ＱＱ``). Wherever coord *splits* or
*parses* typed text these count as their ASCII twins, so ``street:甲方，qichuang:乙方``
is two parties and ``张敏：队长`` is a name with a title. The *values* keep the
characters they were typed with: a name ``猎德志愿队（筹）`` stays as typed.
Anything still unclear (two colons where one is expected, an empty side) is
refused with one line that says what was read.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from coordkit.errors import InvalidInput
from coordkit.i18n import N_, _

# U+FF01..U+FF5E are ASCII 0x21..0x7E shifted by 0xFEE0; U+3000 is the ideographic space.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_LIST_SEPARATORS = re.compile(r"[,，、;；]")
_COLONS = re.compile(r"[:：]")


def fold(text: str) -> str:
    """``ｑｑ：１２３４５`` → ``qq:12345``: full-width ASCII and the ideographic space as ASCII.

    One character in, one character out, so a position found in the folded
    text is the same position in the original. ``、`` and ``。`` are left alone
    (they have no ASCII twin); so is everything outside U+FF01..U+FF5E.
    """
    return text.translate(_FOLD)


def split_list(text: str) -> list[str]:
    """``甲方，乙方、丙方; 丁方`` → four items: separators ``, ， 、 ; ；``.

    Items are stripped (the ideographic space too) and keep their own
    characters; empty items (``a,,b``, a trailing comma) are dropped because
    they carry nothing a person could have meant.
    """
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def _expected(form: str, need_value: bool) -> str:
    left = form.split(":", 1)[0]
    return form if need_value else _("{left} or {form}").format(left=left, form=form)


def split_pair(
    text: str,
    *,
    what: str,
    form: str,
    need_value: bool = False,
    colons_in_value: bool = False,
    fold_left: bool = False,
) -> tuple[str, str | None]:
    """``KEY:LABEL`` or ``KEY：LABEL`` → ``("KEY", "LABEL")``; ``KEY`` alone → ``("KEY", None)``.

    The first ``:`` or ``：`` splits. ``form`` (``"KEY:LABEL"``) names the two
    sides in messages, ``what`` names the option. Refused: an empty text, an
    empty side, no colon when ``need_value``, and a second colon unless
    ``colons_in_value`` (a URL or a time in a contact's value). Both sides are
    stripped and keep their characters; ``fold_left`` folds the left side to
    ASCII when it is a key (``ｓｔｒｅｅｔ`` → ``street``).
    """
    shown = text.strip()
    expected = _expected(form, need_value)
    if not shown:
        raise InvalidInput(_("{what} is empty; expected {expected}").format(what=what, expected=expected))
    left_name, _sep, right_name = form.partition(":")
    parts = _COLONS.split(shown, maxsplit=1)
    left = parts[0].strip()
    if fold_left:
        left = fold(left)
    if len(parts) == 1:
        if need_value:
            raise InvalidInput(
                _("{what} '{text}': no colon; expected {expected}").format(what=what, text=shown, expected=expected)
            )
        return left, None
    right = parts[1].strip()
    if not left:
        raise InvalidInput(
            _("{what} '{text}': nothing before the colon; expected {expected}").format(
                what=what, text=shown, expected=expected
            )
        )
    if not colons_in_value and _COLONS.search(right):
        raise InvalidInput(
            _(
                "{what} '{text}' has {count} colons where one is expected "
                "(read {left_name} '{left}', {right_name} '{right}'); expected {expected}"
            ).format(
                what=what,
                text=shown,
                count=len(_COLONS.findall(shown)),
                left_name=left_name,
                left=left,
                right_name=right_name,
                right=right,
                expected=expected,
            )
        )
    if not right:
        raise InvalidInput(
            _("{what} '{text}': nothing after the colon (read {left_name} '{left}'); expected {expected}").format(
                what=what, text=shown, left_name=left_name, left=left, expected=expected
            )
        )
    return left, right


def parse_rep(text: str, *, what: str = "--rep") -> tuple[str, str | None]:
    """``张敏：队长`` → ``("张敏", "队长")``; ``张敏`` → ``("张敏", None)``. Both keep their characters."""
    return split_pair(text, what=what, form="NAME:TITLE")


class ChannelName(NamedTuple):
    en: str
    zh: str


CHANNELS: dict[str, ChannelName] = {
    "mobile": ChannelName(N_("Mobile"), "手机"),
    "phone": ChannelName(N_("Phone"), "电话"),
    "wechat": ChannelName(N_("WeChat"), "微信"),
    "email": ChannelName(N_("Email"), "电子邮箱"),
    "address": ChannelName(N_("Address"), "地址"),
    "fax": ChannelName(N_("Fax"), "传真"),
    "qq": ChannelName("QQ", "QQ"),
    "website": ChannelName(N_("Website"), "网站"),
}
"""Canonical channel → its name in English (mark for the catalogue) and in Chinese (for documents)."""

_CHANNEL_WORDS = {
    "mobile": ("mobile", "cell", "cellphone", "mobile phone", "手机", "手机号", "手机号码", "移动电话"),
    "phone": ("phone", "tel", "telephone", "landline", "电话", "电话号码", "座机", "固话", "固定电话", "联系电话"),
    "wechat": ("wechat", "weixin", "微信", "微信号"),
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮件", "电子邮箱", "邮件"),
    "address": ("address", "addr", "地址", "通讯地址", "联系地址", "办公地址"),
    "fax": ("fax", "传真"),
    "qq": ("qq", "qq号", "qq号码"),
    "website": ("website", "web", "url", "homepage", "site", "网站", "网址", "主页", "官网"),
}
_CHANNEL_OF = {word: channel for channel, words in _CHANNEL_WORDS.items() for word in words}
# Values that are identifiers, not prose: typed with full-width digits they mean the ASCII ones.
_FOLD_VALUE = frozenset({"mobile", "phone", "wechat", "email", "fax", "qq", "website"})
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MOBILE = re.compile(r"(?:\+?86)?1[3-9][0-9]{9}")  # mainland mobile numbers, spaces and '-' removed
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}[0-9]{7,8}")  # area code + number, spaces and '-' removed


def channel_of(word: str) -> str:
    """``手机``, ``Mobile`` or ``ｍｏｂｉｌｅ`` → ``mobile``; an unknown channel lower-cased as typed."""
    folded = fold(word).strip().lower()
    return _CHANNEL_OF.get(folded, folded)


def channel_name(channel: str, lang: str) -> str:
    """The display name of a canonical channel (``mobile`` → ``Mobile`` / ``手机``); unknown ones as stored."""
    names = CHANNELS.get(channel)
    if names is None:
        return channel
    return names.zh if lang == "zh" else _(names.en)


def _guess_channel(value: str) -> str | None:
    """The channel a bare value can only be: an email address, a mainland mobile or landline number."""
    if _EMAIL.fullmatch(value):
        return "email"
    digits = re.sub(r"[\s-]", "", value)
    if _MOBILE.fullmatch(digits):
        return "mobile"
    if _LANDLINE.fullmatch(digits):
        return "phone"
    return None


def parse_contact(text: str, *, what: str = "--contact") -> tuple[str, str]:
    """``手机：139 0000 1111`` → ``("mobile", "139 0000 1111")``.

    The first ``:`` or ``：`` splits the channel from the value (the value may
    hold more colons: ``website:https://…``). Channel names in Chinese and
    English map to one canonical channel (``电话``/``座机`` → ``phone``, see
    ``CHANNELS``); others pass through lower-cased. Values of identifier
    channels (numbers, email, WeChat ID, QQ, website) are folded to ASCII;
    addresses and unknown channels keep their characters. A value with no
    channel is accepted only when it can be nothing else: a URL, an email
    address, a mobile number (11 digits from 13…19) or a landline (0 + area code).
    """
    shown = fold(text).strip()
    if _URL.fullmatch(shown):  # its colon is the scheme's, not a channel's
        return "website", shown
    if not _COLONS.search(text):
        guessed = _guess_channel(shown)
        if guessed:
            return guessed, shown
        raise InvalidInput(
            _("{what} '{text}': expected CHANNEL:VALUE, e.g. phone:020-8888-0000").format(what=what, text=text.strip())
        )
    word, value = split_pair(text, what=what, form="CHANNEL:VALUE", need_value=True, colons_in_value=True)
    assert value is not None  # need_value
    channel = channel_of(word)
    return channel, fold(value) if channel in _FOLD_VALUE else value
