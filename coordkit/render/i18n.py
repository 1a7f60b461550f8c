"""The fixed text of documents in English and Simplified Chinese, and dates as each writes them."""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("en", "zh")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "agreement": "Activity Agreement",
        "key": "Agreement",
        "version": "Version",
        "status": "Status",
        "draft": "DRAFT",
        "draft_note": "Draft: not for signature until it circulates; its terms may still change.",
        "fingerprint": "Fingerprint",
        "page": "Page",
        "of": "of",
        "parties": "Parties",
        "representatives": "Representatives",
        "contacts": "Contact",
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
        "register": "Stakeholder register",
        "kind": "Kind",
        "influence": "Influence",
        "interest": "Interest",
        "interests": "Interests and demands",
        "name": "Name",
        "generated": "Generated",
        "method_wet-ink": "wet-ink signature",
        "method_seal": "seal",
        "method_electronic": "electronic signature",
    },
    "zh": {
        "agreement": "活动合作协议",
        "key": "协议编号",
        "version": "版本",
        "status": "状态",
        "draft": "草稿",
        "draft_note": "草稿：传签前不得签署，条款仍可修改。",
        "fingerprint": "指纹",
        "page": "第",
        "of": "页，共",
        "parties": "协议各方",
        "representatives": "代表",
        "contacts": "联系方式",
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
        "register": "利益相关方名册",
        "kind": "类型",
        "influence": "影响力",
        "interest": "关注度",
        "interests": "利益与诉求",
        "name": "名称",
        "generated": "生成日期",
        "method_wet-ink": "手写签名",
        "method_seal": "盖章",
        "method_electronic": "电子签名",
    },
}

ZH_LABELS = {f"Party {letter}": zh for letter, zh in zip("ABCDEFGH", "甲乙丙丁戊己庚辛", strict=True)}
ZH_LABELS = {k: v + "方" for k, v in ZH_LABELS.items()}
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


def format_date(value: str | None, lang: str) -> str:
    """``1 March 2024`` in English, ``2024年3月1日`` in Chinese."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def cadence(value: str | None, lang: str) -> str:
    """``6m`` as "6 months" or "6个月"."""
    if not value:
        return ""
    number, unit = int(value[:-1]), value[-1]
    words = TEXT[lang]
    if lang == "zh":
        return f"{number}{words[unit]}"
    return f"{number} {words[unit] if number == 1 else words[unit + 's']}"


def label(value: str, lang: str) -> str:
    return ZH_LABELS.get(value, value) if lang == "zh" else value


def kind(value: str, lang: str) -> str:
    return ZH_KINDS.get(value, value) if lang == "zh" else value
