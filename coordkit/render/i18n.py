"""The fixed text of documents in English and Simplified Chinese: the words a party reads in the language
chosen for the paper (``--lang``), never the language of the terminal, so none of it goes through gettext.

Also how each language writes what the store keeps as codes: dates (2024年3月1日 / 1 March 2024),
cadences (每季度 / every quarter), slots (每月第一个星期六 09:00-12:00), amounts
(人民币叁拾万元整（¥300,000.00） / CNY 300,000.00), article numbers (第十二条 / Article 12),
RACI letters, signature methods, resource kinds and contact channels.

RACI in Chinese: R 执行, A 负责, C 咨询, I 知会. 负责 is "answers for it", what
Accountable means; the other common set (R 负责, A 批准) would call the party that
does the work 负责 and make A an approval, which a street office that answers for a
service it buys does not give.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

LANGUAGES = ("en", "zh")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        # the page and the title block
        "key": "Agreement no.",
        "version": "Version",
        "version_n": "Version {n}",
        "fingerprint": "Fingerprint",
        "page": "Page",
        "of": "of",
        "page_before": "Page ",
        "page_middle": " of ",
        "page_after": "",
        "draft": "DRAFT",
        "draft_note": "Draft: not for signature until it circulates; its terms may still change.",
        "superseded_by": "Superseded by version {n}: this version is no longer in force.",
        "superseded_banner": "Superseded by a later version: this version is no longer in force.",
        "superseded_mark_by": "SUPERSEDED BY VERSION {n}",
        "superseded_mark": "SUPERSEDED",
        "terminated_banner": "This agreement was terminated on {date}. Reason: {reason}",
        "terminated_no_reason": "This agreement was terminated on {date}.",
        "terminated_mark": "TERMINATED {date}",
        "untranslated": "[untranslated] ",
        "scan": "Scan to check the terms",
        "seam": "seal across pages",
        # parties and preamble
        "colon": ": ",
        "list_sep": "; ",
        "address": "Address",
        "legal_representative": "Legal representative (person in charge)",
        "registration_number": "Unified social credit code",
        "contacts": "Contact",
        "preamble": (
            "To set out the rights and obligations of the parties, in accordance with the Civil Code of the "
            "People's Republic of China and other applicable laws and regulations, the parties, after friendly "
            "consultation and on the principles of equality, free will, good faith and mutual benefit, agree as "
            "follows on “{subject}”:"
        ),
        "preamble_plain": (
            "To set out the rights and obligations of the parties, in accordance with the Civil Code of the "
            "People's Republic of China and other applicable laws and regulations, the parties, after friendly "
            "consultation and on the principles of equality, free will, good faith and mutual benefit, agree as "
            "follows:"
        ),
        # articles
        "article": "Article {n}",
        "art_goals": "Purpose and goals",
        "art_methods": "Methods of cooperation",
        "art_rights_obligations": "Rights and obligations of the parties",
        "art_resources": "Resources",
        "art_term": "Term and effectiveness",
        "art_review": "Review and communication",
        "art_amendment": "Amendment and termination",
        "art_breach": "Liability for breach",
        "art_confidentiality": "Confidentiality",
        "art_dispute": "Dispute resolution",
        "art_other": "Other terms",
        "art_counterparts": "Counterparts",
        "rights_of": "Rights of {party}",
        "obligations_of": "Obligations of {party}",
        "resource": "{party} provides {what}",
        "resource_what": "{kind} ({description})",
        "resource_amount": "{what}: {amount}",
        "resource_when": "{what}, {when}",
        "term_sentence": "This agreement runs from {start} to {end}.",
        "term_open": "This agreement runs from {start} until it is terminated.",
        "term_unset": "The parties will fix the term of this agreement before it is signed.",
        "renewal_notice": (
            "Unless a party gives the others written notice at least {notice} before the term ends that it will "
            "not renew, this agreement renews for another term of the same length, and so on."
        ),
        "renewal": (
            "Unless a party gives the others written notice before the term ends that it will not renew, this "
            "agreement renews for another term of the same length, and so on."
        ),
        "notice": (
            "A party that wishes to end this agreement before its term ends gives the other parties written notice "
            "at least {notice} in advance."
        ),
        "review_sentence": "The parties review the results of their cooperation {every} and record the lessons learned.",
        "due_by": "by {date}",
        "first_due_by": "first by {date}",
        "target": "at least {amount}",
        "target_each": "at least {amount}, each with at least {each}",
        "no_more_text": "(The rest of this page is intentionally left blank)",
        # signature page
        "signature_page": "Signature page",
        "signature_statement": (
            "This page bears no further terms: it is the signature page of “{title}”, agreement no. {key}, "
            "version {version}, fingerprint {fingerprint}."
        ),
        "signature_statement_draft": (
            "This page bears no further terms: it is the signature page of “{title}”, agreement no. {key}, "
            "version {version} (draft)."
        ),
        "seal_line": "{label} (seal): {name}",
        "sign_line": "Legal representative or authorised signatory (signature):",
        "date_line": "Date:",
        "date_blank": "____ / ____ / ________",
        "expected_signer": "To be signed by {name}",
        "recorded": "Signed by {signatory} on {date} ({method}).",
        "seal_here": "Seal",
        "recorded_seal": "RECORDED",
        "recorded_seal_note": "Seal recorded: a record of the seal, not an impression of it.",
        "signing_key": "Signing key",
        "terms_hash_label": "Terms hash (SHA-256)",
        # annex
        "annex": "Annex: Duties by party",
        "annex_note": (
            "Each row is a duty one of the obligations above gives a party. Responsible: does the work; "
            "Accountable: answers for the result; Consulted: asked before; Informed: told after."
        ),
        "annex_no": "No.",
        "annex_duty": "Duty",
        "annex_title": "Title",
        "annex_category": "Category",
        "annex_party": "Party",
        "annex_role": "Role",
        "annex_article": "Article",
        "annex_uses": "Shared resources these duties use",
        # before the contract form (workspace templates written for it still find them)
        "agreement": "Activity Agreement",
        "status": "Status",
        "parties": "Parties",
        "goals": "Cooperation goals",
        "methods": "Cooperation methods",
        "rights_obligations": "Rights and obligations",
        "rights": "Rights",
        "obligations": "Obligations",
        "duty": "duty",
        "due": "due",
        "resources": "Resources committed",
        "resource_kind": "Kind",
        "amount": "Amount",
        "unit": "Unit",
        "term": "Term",
        "effective": "Effective from",
        "expires": "Expires on",
        "open_ended": "until terminated",
        "review": "Review of results",
        "review_every": "The parties review the results of their cooperation every {cadence}.",
        "no_review": "The parties review the results of their cooperation when any of them asks.",
        "communication": "Communication",
        "dispute": "Dispute resolution",
        "signatures": "Signatures",
        "signatory": "Signatory",
        "title": "Title",
        "date": "Date",
        "seal": "Seal",
        "signed_by": "Signed by",
        "method": "Method",
        "key_fingerprint": "key",
        "terms_hash": "The terms of this version are fixed by their SHA-256 hash",
        "none": "None.",
        "terminated": "Terminated on {date}: {reason}",
        "superseded": "Superseded by a later version.",
        "d": "day",
        "w": "week",
        "m": "month",
        "y": "year",
        "ds": "days",
        "ws": "weeks",
        "ms": "months",
        "ys": "years",
        "method_wet-ink": "wet-ink signature",
        "method_seal": "seal",
        "method_electronic": "electronic signature",
        # the stakeholder register (templates/register.html.j2)
        "register": "Stakeholder register",
        "name": "Name",
        "kind": "Kind",
        "influence": "Influence",
        "interest": "Interest",
        "interests": "Interests and demands",
        "representatives": "Representatives",
        "generated": "Generated",
    },
    "zh": {
        "key": "协议编号",
        "version": "版本",
        "version_n": "第{n}版",
        "fingerprint": "指纹",
        "page": "第",
        "of": "页，共",
        "page_before": "第 ",
        "page_middle": " 页，共 ",
        "page_after": " 页",
        "draft": "草稿",
        "draft_note": "草稿：传签前不得签署，条款仍可修改。",
        "superseded_by": "本版本已被第{n}版取代，不再有效。",
        "superseded_banner": "本版本已被后续版本取代，不再有效。",
        "superseded_mark_by": "已被第{n}版取代",
        "superseded_mark": "已被取代",
        "terminated_banner": "本协议已于{date}解除。解除原因：{reason}",
        "terminated_no_reason": "本协议已于{date}解除。",
        "terminated_mark": "已于{date}解除",
        "untranslated": "【未译】",
        "scan": "扫码核对条款",
        "seam": "骑缝章",
        "colon": "：",
        "list_sep": "；",
        "address": "地址",
        "legal_representative": "法定代表人（负责人）",
        "registration_number": "统一社会信用代码",
        "contacts": "联系方式",
        "preamble": (
            "为明确各方权利与义务，根据《中华人民共和国民法典》等有关法律法规，经各方友好协商，"
            "本着平等自愿、诚实信用、互利共赢的原则，就{subject}事宜达成如下协议，以资共同遵守。"
        ),
        "preamble_plain": (
            "为明确各方权利与义务，根据《中华人民共和国民法典》等有关法律法规，经各方友好协商，"
            "本着平等自愿、诚实信用、互利共赢的原则，达成如下协议，以资共同遵守。"
        ),
        "article": "第{n}条",
        "art_goals": "合作目标",
        "art_methods": "合作方式",
        "art_rights_obligations": "各方权利与义务",
        "art_resources": "资源投入",
        "art_term": "协议期限与生效",
        "art_review": "成效评估与沟通机制",
        "art_amendment": "协议的变更与解除",
        "art_breach": "违约责任",
        "art_confidentiality": "保密条款",
        "art_dispute": "争议解决",
        "art_other": "其他约定",
        "art_counterparts": "附则",
        "rights_of": "{party}的权利",
        "obligations_of": "{party}的义务",
        "resource": "{party}提供{what}",
        "resource_what": "{kind}：{description}",
        "resource_amount": "{what}{amount}",
        "resource_when": "{what}，时间为{when}",
        "term_sentence": "本协议有效期自{start}起至{end}止。",
        "term_open": "本协议自{start}起生效，至各方依约解除之日止。",
        "term_unset": "本协议的有效期由各方在签署前确定。",
        "renewal_notice": (
            "本协议期满前{notice}，任何一方未书面通知其他各方不再续期的，本协议按原期限自动续期，以此类推。"
        ),
        "renewal": "本协议期满，任何一方未书面通知其他各方不再续期的，本协议按原期限自动续期，以此类推。",
        "notice": "任何一方需在期满前解除本协议的，应至少提前{notice}书面通知其他各方。",
        "review_sentence": "各方{every}对合作成效进行一次评估，总结经验教训。",
        "due_by": "于{date}前完成",
        "first_due_by": "首次于{date}前完成",
        "target": "不少于{amount}",
        "target_each": "不少于{amount}，每{each_unit}不少于{each}",
        "no_more_text": "（以下无正文）",
        "signature_page": "签署页",
        "signature_statement": "（本页无正文，为《{title}》（协议编号：{key}，第{version}版，指纹：{fingerprint}）之签署页）",
        "signature_statement_draft": "（本页无正文，为《{title}》（协议编号：{key}，第{version}版，草稿）之签署页）",
        "seal_line": "{label}（盖章）：{name}",
        "sign_line": "法定代表人或授权代表（签字）：",
        "date_line": "日期：",
        "date_blank": "______年____月____日",
        "expected_signer": "拟签署人：{name}",
        "recorded": "签署记录：{signatory}于{date}{method}。",
        "seal_here": "盖章处",
        "recorded_seal": "电子记录",
        "recorded_seal_note": "已盖章（电子记录，非印模）",
        "signing_key": "签名密钥指纹",
        "terms_hash_label": "条款哈希值（SHA-256）",
        "annex": "附件：职责对照表",
        "annex_note": (
            "本表列出上述义务条款对应的职责分工。执行（R）：具体承担工作；负责（A）：对结果负最终责任；"
            "咨询（C）：事前征求其意见；知会（I）：事后及时告知。"
        ),
        "annex_no": "序号",
        "annex_duty": "职责编号",
        "annex_title": "职责名称",
        "annex_category": "类别",
        "annex_party": "承担方",
        "annex_role": "分工",
        "annex_article": "对应条款",
        "annex_uses": "上述职责使用的共用资源",
        # before the contract form (workspace templates written for it still find them)
        "agreement": "活动合作协议",
        "status": "状态",
        "parties": "协议各方",
        "goals": "合作目标",
        "methods": "合作方式",
        "rights_obligations": "各方权利与义务",
        "rights": "权利",
        "obligations": "义务",
        "duty": "职责",
        "due": "截止",
        "resources": "资源投入",
        "resource_kind": "类别",
        "amount": "数量",
        "unit": "单位",
        "term": "协议期限",
        "effective": "生效日期",
        "expires": "终止日期",
        "open_ended": "至协议解除之日",
        "review": "成效评估",
        "review_every": "各方每{cadence}对合作成效进行一次评估。",
        "no_review": "任何一方提出时，各方对合作成效进行评估。",
        "communication": "沟通机制",
        "dispute": "争议解决",
        "signatures": "签署",
        "signatory": "签署人",
        "title": "职务",
        "date": "日期",
        "seal": "盖章",
        "signed_by": "签署人",
        "method": "方式",
        "key_fingerprint": "密钥",
        "terms_hash": "本版本条款以其 SHA-256 哈希值固定",
        "none": "无。",
        "terminated": "已于{date}解除：{reason}",
        "superseded": "已被后续版本取代。",
        "d": "天",
        "w": "周",
        "m": "个月",
        "y": "年",
        "ds": "天",
        "ws": "周",
        "ms": "个月",
        "ys": "年",
        "method_wet-ink": "手写签名",
        "method_seal": "盖章",
        "method_electronic": "电子签名",
        "register": "利益相关方名册",
        "name": "名称",
        "kind": "类型",
        "influence": "影响力",
        "interest": "关注度",
        "interests": "利益与诉求",
        "representatives": "代表",
        "generated": "生成日期",
    },
}

ZH_LABELS = {f"Party {letter}": f"{zh}方" for letter, zh in zip("ABCDEFGH", "甲乙丙丁戊己庚辛", strict=True)}
ZH_KINDS = {
    "government": "政府部门",
    "party-committee": "党委",
    "neighbourhood-committee": "居委会",
    "social-organisation": "社会组织",
    "enterprise": "企业",
    "property-management": "物业公司",
    "university": "高校",
    "volunteer-team": "志愿者队伍",
    "resident-group": "居民团体",
    "individual": "个人",
    "other": "其他",
}
AGREEMENT_KINDS: dict[str, tuple[str, str]] = {
    "cooperation": ("Cooperation agreement", "合作协议"),
    "service": ("Service agreement", "服务协议"),
    "venue": ("Venue agreement", "场地使用协议"),
    "activity": ("Activity agreement", "活动合作协议"),
}
"""The built-in kinds, for documents that do not carry ``kind_name`` themselves."""
RESOURCE_KINDS: dict[str, tuple[str, str]] = {
    "funds": ("funds", "资金"),
    "venue": ("a venue", "场地"),
    "staff": ("staff", "人员"),
    "volunteers": ("volunteers", "志愿者"),
    "equipment": ("equipment", "设备"),
    "materials": ("materials", "物资"),
    "services": ("services", "服务"),
}
LETTERS: dict[str, tuple[str, str]] = {
    "R": ("Responsible", "执行"),
    "A": ("Accountable", "负责"),
    "C": ("Consulted", "咨询"),
    "I": ("Informed", "知会"),
}
METHODS: dict[str, tuple[str, str]] = {
    "signature": ("signature", "签字"),
    "wet-ink": ("signature", "签字"),  # stores before signature+seal said wet-ink for a handwritten signature
    "seal": ("seal", "盖章"),
    "signature+seal": ("signature and seal", "签字并盖章"),
    "electronic": ("electronic signature", "电子签名"),
}
TABLE_VALUES_ZH: dict[str, dict[str, str]] = {
    "status": {
        "draft": "草稿",
        "circulating": "传签中",
        "signed": "已签署",
        "superseded": "已被取代",
        "terminated": "已终止",
        "scheduled": "待完成",
        "met": "已完成",
        "partly": "部分完成",
        "missed": "未完成",
        "waived": "已豁免",
        "open": "待处理",
        "acknowledged": "已签收",
        "responded": "已答复",
        "resolved": "已办结",
        "done": "已办结",
        "cancelled": "已取消",
    },
    "state": {"open": "待处理", "done": "已办结", "cancelled": "已取消"},
    "severity": {"low": "低", "medium": "中", "high": "高"},
    "channel": {
        "call": "电话",
        "visit": "走访",
        "message": "消息",
        "wechat": "微信",
        "email": "邮件",
        "letter": "信函",
        "other": "其他",
    },
    "kind": ZH_KINDS,
}
"""The stored English values of a list's fixed columns (statuses, severities, channels, kinds) as a Chinese
table shows them; JSON, YAML and CSV keep the stored values, which scripts and ``coord import`` read."""
TARGET_UNITS_ZH = {"sessions": "场", "people": "人", "hours": "小时", "m2": "平方米", "CNY": "元"}
"""The measure word a target counts in: 不少于7场, 每场不少于200人 (UNITS' 场次 reads as "7 sessions' worth")."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = (
    ("Monday", "星期一"),
    ("Tuesday", "星期二"),
    ("Wednesday", "星期三"),
    ("Thursday", "星期四"),
    ("Friday", "星期五"),
    ("Saturday", "星期六"),
    ("Sunday", "星期日"),
)
_ORDINALS = {1: ("first", "第一个"), 2: ("second", "第二个"), 3: ("third", "第三个"), 4: ("fourth", "第四个")}
_ORDINALS[-1] = ("last", "最后一个")
_ZH_DIGITS = "零一二三四五六七八九"
_EN_NUMBERS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_EN_UNITS = {"d": ("day", "days"), "w": ("week", "weeks"), "m": ("month", "months"), "y": ("year", "years")}
_ZH_UNITS = {"d": "天", "w": "周", "m": "个月", "y": "年"}
_EVERY = {  # the cadences people say with a word of their own
    (1, "d"): ("every day", "每天"),
    (1, "w"): ("every week", "每周"),
    (2, "w"): ("every two weeks", "每两周"),
    (1, "m"): ("every month", "每月"),
    (3, "m"): ("every quarter", "每季度"),
    (6, "m"): ("every six months", "每半年"),
    (12, "m"): ("every year", "每年"),
    (1, "y"): ("every year", "每年"),
}


def words(lang: str) -> dict[str, str]:
    return TEXT[lang]


def zh_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五, 100 → 一百: article and item numbers (第十二条, （十二）)."""
    if number < 10:
        return _ZH_DIGITS[number]
    if number < 20:
        return "十" + (_ZH_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        tens, ones = divmod(number, 10)
        return _ZH_DIGITS[tens] + "十" + (_ZH_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if not rest:
        return _ZH_DIGITS[hundreds] + "百"
    return _ZH_DIGITS[hundreds] + "百" + ("零" if rest < 10 else "") + (zh_number(rest) if rest >= 20 else _tens(rest))


def _tens(rest: int) -> str:
    """10-19 after 百 keep their 一: 一百一十二, not 一百十二."""
    return "一" + zh_number(rest) if rest >= 10 else _ZH_DIGITS[rest]


def article(number: int, lang: str) -> str:
    """``第十二条`` / ``Article 12``."""
    return TEXT[lang]["article"].format(n=zh_number(number) if lang == "zh" else number)


def item_mark(number: int, lang: str, *, level: int, article: int = 0, parent: int = 0) -> str:
    """How an item inside an article is numbered, as Chinese and English contracts do it.

    Chinese: （一） inside 第三条, then 1. inside （一）. English: 3.1 inside Article 3,
    then (a) inside 3.1.
    """
    if level == 1:
        return f"（{zh_number(number)}）" if lang == "zh" else f"{article}.{number}"
    return f"{number}." if lang == "zh" else f"({chr(ord('a') + (number - 1) % 26)})"


def format_date(value: str | None, lang: str) -> str:
    """``1 March 2024`` in English, ``2024年3月1日`` in Chinese (month names fixed: never the C library's locale)."""
    if not value:
        return ""
    day = dt.date.fromisoformat(str(value)[:10])
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _split(value: str) -> tuple[int, str] | None:
    """``3m`` → (3, "m"); None for anything else."""
    text = str(value).strip()
    if len(text) < 2 or text[-1] not in _EN_UNITS or not text[:-1].isdigit():
        return None
    return int(text[:-1]), text[-1]


def period(value: str | None, lang: str) -> str:
    """A length of time: ``30d`` as "30 days" / "30天", ``3m`` as "3 months" / "3个月", ``1y`` as "1 year" / "1年"."""
    if not value:
        return ""
    parsed = _split(value)
    if parsed is None:
        return str(value)
    count, unit = parsed
    if lang == "zh":
        return f"{count}{_ZH_UNITS[unit]}"
    one, many = _EN_UNITS[unit]
    return f"{count} {one if count == 1 else many}"


def cadence(value: str | None, lang: str) -> str:
    """Kept for templates written before ``every``: ``6m`` as "6 months" / "6个月"."""
    return period(value, lang)


def every(value: str | None, lang: str) -> str:
    """How often: ``3m`` as "every quarter" / "每季度", ``2w`` as "every two weeks" / "每两周", ``5d`` as "every 5 days" / "每5天"."""
    if not value:
        return ""
    parsed = _split(value)
    if parsed is None:
        return str(value)
    if parsed in _EVERY:
        return _EVERY[parsed][1 if lang == "zh" else 0]
    count, unit = parsed
    if lang == "zh":
        return f"每{count}{_ZH_UNITS[unit]}"
    one, many = _EN_UNITS[unit]
    if count == 1:
        return f"every {one}"
    return f"every {_EN_NUMBERS[count] if count < len(_EN_NUMBERS) else count} {many}"


def slot(value: str | None, lang: str) -> str:
    """A slot (``coordkit.slots``) in words: ``monthly first sat 09:00-12:00`` as
    "the first Saturday of every month, 09:00-12:00" / "每月第一个星期六 09:00-12:00";
    text that is no slot comes back as written."""
    words = _slot_words(value, lang)
    if words is None:
        return str(value or "")
    days, hours = words
    if not hours:
        return days
    return f"{days} {hours}" if lang == "zh" else f"{days}, {hours}"


def slot_beside(value: str | None, lang: str, text: str | None) -> str:
    """The slot in words beside ``text`` that may already say its days: then only the hours ("" for a whole
    day). "每月第二个星期六的猎德广场" followed by "每月第二个星期六 09:00-17:00" said the day twice."""
    words = _slot_words(value, lang)
    if words is None or not text or _folded(words[0], lang) not in _folded(text, lang):
        return slot(value, lang)
    return words[1]


def _folded(text: str, lang: str) -> str:
    """Text compared for the days it states: 周六, 礼拜六 and 星期六 alike, 第二个 and 第二; case in English."""
    if lang != "zh":
        return " ".join(text.lower().split())
    return text.replace("礼拜", "星期").replace("周", "星期").replace("个", "").replace(" ", "")


def _slot_words(value: str | None, lang: str) -> tuple[str, str] | None:
    """A slot's days and hours in words ("每月第一个星期六", "09:00-12:00"; hours "" for a whole day), or None
    when ``value`` is not a slot."""
    if not value:
        return None
    from coordkit.errors import CoordError
    from coordkit.slots import parse_slot

    try:
        found = parse_slot(str(value))
    except (CoordError, ValueError):
        return None
    zh = lang == "zh"
    if found.kind == "dates":
        assert found.first is not None and found.last is not None
        days = format_date(found.first.isoformat(), lang)
        if found.last != found.first:
            later = format_date(found.last.isoformat(), lang)
            days = f"{days}至{later}每天" if zh else f"every day from {days} to {later}"
    elif found.kind == "weekly":
        name = _WEEKDAYS[found.weekday or 0]
        days = f"每{name[1]}" if zh else f"every {name[0]}"
    else:
        name, nth = _WEEKDAYS[found.weekday or 0], _ORDINALS[found.nth or 1]
        days = f"每月{nth[1]}{name[1]}" if zh else f"the {nth[0]} {name[0]} of every month"
    return days, found.hours()


def decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _figures(amount: Decimal) -> str:
    """``1200.50`` → ``1,200.5``: grouped in threes, no trailing zeros, never an exponent."""
    whole, point, fraction = format(amount.normalize(), "f").partition(".")
    return f"{int(whole):,}" + point + fraction


def amount(value: object, unit: str | None, lang: str, *, measure: bool = False) -> str:
    """An amount in a document: money as 人民币叁拾万元整（¥300,000.00） / CNY 300,000.00, others as
    ``4人`` / ``4 people``; a unit coord does not know is printed as stored.

    ``measure`` counts a target in its measure word (7场 rather than 7场次). Unlike
    ``coordkit.amounts.format_amount`` the English names are not passed through gettext:
    an English document printed on a Chinese terminal stays English.
    """
    from coordkit.amounts import UNITS, format_cny_en, format_cny_zh, unit_of

    number = decimal(value)
    if number is None:
        return f"{value} {unit or ''}".strip()
    code = unit_of(unit or "")
    if code == "CNY":
        return format_cny_zh(number) if lang == "zh" else format_cny_en(number)
    known = UNITS.get(code)
    if known is None:
        from coordkit.domain.translation import has_chinese

        shown = (unit or "").strip()
        return f"{_figures(number)}{shown}" if has_chinese(shown) else f"{_figures(number)} {shown}".strip()
    if lang == "zh":
        return _figures(number) + (TARGET_UNITS_ZH.get(code, known.zh) if measure else known.zh)
    return f"{_figures(number)} {known.one if number == 1 else known.many}"


def measure_word(unit: str | None) -> str:
    """What 每 counts in a target: sessions → 场 (每场), people → 人; an own unit as written; 次 when none."""
    from coordkit.amounts import UNITS, unit_of

    code = unit_of(unit or "")
    if code in UNITS:
        return TARGET_UNITS_ZH.get(code, UNITS[code].zh)
    return (unit or "").strip() or "次"


def label(value: str, lang: str) -> str:
    """``Party A`` → ``甲方`` in Chinese; a label of the workspace's own stays as written."""
    return ZH_LABELS.get(value, value) if lang == "zh" else value


def kind(value: str, lang: str) -> str:
    return ZH_KINDS.get(value, value) if lang == "zh" else value


def letter(value: str | None, lang: str) -> str:
    """``A`` → ``Accountable (A)`` / ``负责（A）``."""
    code = value or "R"
    names = LETTERS.get(code)
    if names is None:
        return code
    return f"{names[1]}（{code}）" if lang == "zh" else f"{names[0]} ({code})"


def method(value: str, lang: str) -> str:
    names = METHODS.get(value)
    if names is None:
        return value
    return names[1] if lang == "zh" else names[0]


def with_seal(value: str) -> bool:
    """Whether a signature method includes the party's seal (``seal``, ``signature+seal``)."""
    return "seal" in value.split("+")


def channel(value: str, lang: str) -> str:
    """A contact channel as the document's language names it (``mobile`` → Mobile / 手机)."""
    from coordkit.textparse import CHANNELS

    names = CHANNELS.get(value)
    if names is None:
        return value
    return names.zh if lang == "zh" else names.en
