"""The register as vCards, so a coordinator's phone knows every party and who may sign for it.

vCard 3.0 (RFC 2426) is the version phones and mail programs import most
reliably (Android, iOS, macOS Contacts, Outlook, WeChat Work all read it;
4.0 is still refused by some). Text is UTF-8 with no ``CHARSET`` parameter:
RFC 2426 takes the character set from the MIME type (``text/vcard;
charset=utf-8``) and defines no such parameter; it was vCard 2.1's, and
current importers read 3.0 files as UTF-8 without it.

One card per stakeholder (the organisation: FN, N, ORG, its channels) and one
per representative (the person: FN and N their name, ORG the stakeholder,
TITLE). N holds the whole name as family name: coord cannot know whether
"欧阳娜娜" or "Jane Smith" splits after one character or before the last word,
and every importer shows a lone family name as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _

LINE_OCTETS = 75  # RFC 2426 §2.6 / RFC 2425 §5.8.1: lines longer than 75 octets are folded

# channel (lower case, as the register stores it) → (property, TYPE parameter)
_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, str]], ...] = (
    (("mobile", "cell", "cellphone", "手机"), ("TEL", "CELL")),
    (("phone", "tel", "telephone", "landline", "office", "电话", "座机", "办公电话"), ("TEL", "WORK,VOICE")),
    (("fax", "传真"), ("TEL", "WORK,FAX")),
    (("email", "e-mail", "mail", "邮箱", "电子邮箱"), ("EMAIL", "INTERNET")),
    (("url", "web", "website", "网站", "网址"), ("URL", "")),
    (("address", "地址", "办公地址"), ("ADR", "WORK")),
    (("wechat", "weixin", "微信"), ("X-WECHAT", "")),
)
CHANNELS: dict[str, tuple[str, str]] = {name: prop for names, prop in _GROUPS for name in names}

TEXT = {
    "en": {"other_name": "Chinese name", "interests": "Interests", "wechat": "WeChat", "item": "{label}: {value}"},
    "zh": {"other_name": "英文名", "interests": "诉求", "wechat": "微信", "item": "{label}：{value}"},
}


def escape(value: str) -> str:
    """RFC 2426 §4 text: backslash, comma and semicolon escaped, any line break as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """``line`` folded to 75 octets a line (CRLF and a space), never inside a UTF-8 character.

    A Chinese character is 3 octets in UTF-8: a fold must fall between
    characters, so a line may stop at 73 or 74 octets.
    """
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            parts.append("".join(current))
            current, size = [], 1  # the continuation line's leading space counts
        current.append(ch)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _line(name: str, value: str, params: str = "") -> str:
    return fold(f"{name};TYPE={params}:{value}" if params else f"{name}:{value}")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def to_vcards(stakeholders: Sequence[Mapping[str, Any]], *, lang: str = "en") -> str:
    """vCard 3.0 text, one card per stakeholder followed by one per representative, CRLF line ends.

    ``stakeholders`` are dicts as ``coordkit.services.stakeholders.list_stakeholders``
    returns them; ``lang`` picks the name shown (``zh``: the Chinese name where
    there is one) and the language of the notes.
    """
    from coordkit.render.i18n import kind as kind_label

    if lang not in TEXT:
        raise InvalidInput(_("--lang '{lang}' is not one of: en, zh").format(lang=lang))
    t = TEXT[lang]
    out: list[str] = []
    for item in stakeholders:
        name, name_zh = item["name"], item.get("name_zh") or ""
        shown = (name_zh or name) if lang == "zh" else name
        other = (name if name_zh else "") if lang == "zh" else name_zh
        kind = item.get("kind") or ""
        person = kind == "individual"
        category = kind_label(kind, lang) if kind else ""
        card = ["BEGIN:VCARD\r\n", "VERSION:3.0\r\n", _line("UID", escape(f"coord:stakeholder:{item['key']}"))]
        card += [_line("FN", escape(shown)), _line("N", escape(shown) + ";;;;")]
        if not person:
            card += [_line("ORG", escape(shown)), "X-ABShowAs:COMPANY\r\n"]
        if category:
            card.append(_line("CATEGORIES", escape(category)))
        notes = []
        if other:
            notes.append(t["item"].format(label=t["other_name"], value=other))
        for contact in item.get("contacts") or []:
            channel, value = str(contact["channel"]), str(contact["value"]).strip()
            prop, params = CHANNELS.get(channel.strip().lower(), ("", ""))
            if prop == "URL":
                # escaped like text: Android writes URLs so, and readers unescape (a bare comma can split them)
                card.append(_line("URL", escape(_one_line(value))))
            elif prop == "ADR":
                card.append(_line("ADR", ";;" + escape(value) + ";;;;", params))
            elif prop == "X-WECHAT":
                card.append(_line("X-WECHAT", escape(value)))
                notes.append(t["item"].format(label=t["wechat"], value=value))
            elif prop:
                card.append(_line(prop, escape(_one_line(value)), params))
            else:
                notes.append(t["item"].format(label=channel, value=value))
        if item.get("interests"):
            notes.append(t["item"].format(label=t["interests"], value=item["interests"]))
        if notes:
            card.append(_line("NOTE", escape("\n".join(notes))))
        card.append("END:VCARD\r\n")
        out.extend(card)
        for rep in item.get("representatives") or []:
            who = str(rep["name"])
            card = ["BEGIN:VCARD\r\n", "VERSION:3.0\r\n"]
            card.append(_line("UID", escape(f"coord:stakeholder:{item['key']}:representative:{who}")))
            card += [_line("FN", escape(who)), _line("N", escape(who) + ";;;;"), _line("ORG", escape(shown))]
            if rep.get("title"):
                card.append(_line("TITLE", escape(str(rep["title"]))))
            if category:
                card.append(_line("CATEGORIES", escape(category)))
            card.append("END:VCARD\r\n")
            out.extend(card)
    return "".join(out)
