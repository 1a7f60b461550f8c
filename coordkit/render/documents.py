"""Agreement documents and the stakeholder register: Markdown, HTML, PDF and DOCX.

An agreement prints as the contract a street office stamps: the parties' particulars,
a preamble, numbered articles in a fixed order (第一条 … / Article 1 …), （以下无正文）,
a signature page that names the agreement, and an annex of the duties the
obligations carry. ``agreement_context`` builds all of it as data, already in the
document's language, so the HTML, Markdown and DOCX templates only lay it out and
all three have the same articles with the same numbers.

The order of the articles: goals, methods, rights and obligations (per party), resources,
term and effectiveness, review and communication, amendment and termination, breach,
confidentiality, dispute resolution, other terms, counterparts. An article with nothing
in it is left out (never "无。"), and the ones after it move up a number.

Every page carries the key, version and "page X of Y", the fingerprint of the frozen
terms, or DRAFT / 草稿 on a draft only; superseded and terminated versions say so on
every page. The QR code (``render.qr``) is on the first page and the signature page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from coordkit.domain.agreements import AgreementDoc
from coordkit.domain.stakeholders import Stakeholder
from coordkit.domain.translation import needs_chinese
from coordkit.errors import InvalidInput
from coordkit.i18n import _, ngettext
from coordkit.render import i18n
from coordkit.render.environment import render
from coordkit.vocab import CLAUSE_KINDS

AGREEMENT_FORMATS = ("md", "html", "pdf", "docx")
SHOWN_UNTRANSLATED = 5
"""How many untranslated texts the refusal quotes; it counts them all."""
QUOTE_CHARS = 40
_BRACKETED = re.compile(r"\s*[（(][^（()）]*[）)]$")
_END = re.compile(r"[。．.；;，,、:：\s]+$")
_DEFAULTS: dict[str, Any] = {
    "kind_name": None,
    "kind_name_zh": None,
    "notice": None,
    "renewal": "none",
    "superseded_by": None,
    "clauses": [],
    "frozen_at": None,
    "terminated_on": None,
    "termination_reason": None,
    "notes": None,
}
_PARTY_DEFAULTS: dict[str, Any] = {
    "name_zh": None,
    "address": None,
    "legal_representative": None,
    "registration_number": None,
    "signer": None,
    "key_fingerprint": None,
}


def _complete(doc: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The document with every key of form 2, and whether it came in the older shape.

    A document without ``form`` (what ``storage.documents`` gives before bilingual terms)
    has one text per term as plain strings, in whichever language it was typed: it is
    printed as written in both languages and never refused as untranslated.
    """
    legacy = "form" not in doc
    out: dict[str, Any] = {**_DEFAULTS, **doc}
    out["parties"] = [{**_PARTY_DEFAULTS, **p} for p in doc.get("parties") or []]
    for section in ("goals", "methods", "dispute_resolution", "communication"):
        out[section] = [{"text": x, "text_zh": None} if isinstance(x, str) else x for x in doc.get(section) or []]
    out["obligations"] = [{"every": None, "target": None, "due": None, **o} for o in doc.get("obligations") or []]
    out["resources"] = [
        {"description": None, "description_zh": None, "resource": None, "when": None, **r}
        for r in doc.get("resources") or []
    ]
    if legacy and not out["kind_name"] and doc.get("kind") in i18n.AGREEMENT_KINDS:
        out["kind_name"], out["kind_name_zh"] = i18n.AGREEMENT_KINDS[doc["kind"]]
    return out, legacy


def _quote(text: str) -> str:
    short = " ".join(text.split())
    return short if len(short) <= QUOTE_CHARS else short[: QUOTE_CHARS - 1] + "…"


def refuse_untranslated(missing: Sequence[tuple[str, str]]) -> InvalidInput:
    """One line: how many texts have no Chinese, the first few with their field paths, and what to do."""
    count = len(missing)
    texts = ", ".join(f"{path} '{_quote(text)}'" for path, text in missing[:SHOWN_UNTRANSLATED])
    if count > SHOWN_UNTRANSLATED:
        message = _(
            "{count} texts have no Chinese, the first {shown}: {texts}; add them, or render with --allow-untranslated"
        ).format(count=count, shown=SHOWN_UNTRANSLATED, texts=texts)
    else:
        message = ngettext(
            "{count} text has no Chinese: {texts}; add it, or render with --allow-untranslated",
            "{count} texts have no Chinese: {texts}; add them, or render with --allow-untranslated",
            count,
        ).format(count=count, texts=texts)
    return InvalidInput(message)


class _Writer:
    """The texts of one document in one language, marking the English ones a Chinese document lacks."""

    def __init__(self, lang: str, *, legacy: bool) -> None:
        self.lang, self.legacy = lang, legacy
        self.zh = lang == "zh"
        self.t = i18n.TEXT[lang]

    def text(self, item: Mapping[str, Any] | None, field: str = "text") -> tuple[str, bool]:
        """(text in the document's language, whether it is the English one printed in its place)."""
        if not item:
            return "", False
        english = str(item.get(field) or "")
        if not self.zh:
            return english or str(item.get(f"{field}_zh") or ""), False
        chinese = item.get(f"{field}_zh")
        if chinese:
            return str(chinese), False
        if self.legacy or not needs_chinese(item, field):
            return english, False
        return self.t["untranslated"] + english, True

    def own(self, word: object) -> bool:
        """Whether a word of the party's own (a unit, a kind coord does not know) needs marking: English in Chinese."""
        from coordkit.domain.translation import has_chinese

        return self.zh and not self.legacy and bool(word) and not has_chinese(str(word))

    def word(self, word: str | None) -> tuple[str, bool]:
        """A word of the party's own as written, marked when ``own`` says so."""
        shown = str(word or "")
        return (self.t["untranslated"] + shown, True) if self.own(shown) else (shown, False)

    def sentence(self, text: str, extra: str = "") -> str:
        """``text`` + ``extra`` as one sentence: its own final 。/./；/, replaced by the document's full stop."""
        body = _END.sub("", text) if text else text
        if not body and not extra:
            return ""
        return body + extra + ("。" if self.zh else ".")

    def join(self, parts: Sequence[str]) -> str:
        """Qualifiers after an obligation: （每季度一次；于2024年3月15日前完成） / (every quarter; by 15 March 2024)."""
        shown = [p for p in parts if p]
        if not shown:
            return ""
        return "（" + "；".join(shown) + "）" if self.zh else " (" + "; ".join(shown) + ")"


def _target(target: Mapping[str, Any] | None, w: _Writer) -> tuple[str, bool]:
    """不少于7场，每场不少于200人 / at least 7 sessions, each with at least 200 people."""
    if not target or target.get("amount") in (None, ""):
        return "", False
    units = [target.get("unit")]
    amount = i18n.amount(target["amount"], target.get("unit"), w.lang, measure=True)
    if target.get("each_min") in (None, ""):
        text = w.t["target"].format(amount=amount)
    else:
        units.append(target.get("each_unit"))
        each = i18n.amount(target["each_min"], target.get("each_unit"), w.lang, measure=True)
        text = w.t["target_each"].format(amount=amount, each=each, each_unit=i18n.measure_word(target.get("unit")))
    marked = any(not _known_unit(unit) and w.own(unit) for unit in units)
    return (w.t["untranslated"] + text if marked else text), marked


def _qualifiers(obligation: Mapping[str, Any], text: str, w: _Writer) -> tuple[str, bool]:
    """How often, how much, by when, after an obligation: （每季度一次；不少于7场，每场不少于200人；首次于…前完成）.

    What the obligation's own words already say is not said again: "每季度向街道办事处提交书面工作报告"
    with every 3m gets no （每季度一次）, "全年举办不少于12场" no second 不少于12场.
    """
    every = i18n.every(obligation.get("every"), w.lang)
    if every and every.lower() in text.lower():
        every = ""
    elif every and w.zh:
        every += "一次"
    target, marked = _target(obligation.get("target"), w)
    if target and w.zh and target.split("，")[0] in text:
        target, marked = "", False
    due = ""
    if obligation.get("due"):
        day = i18n.format_date(obligation["due"], w.lang)
        due = w.t["first_due_by" if obligation.get("every") else "due_by"].format(date=day)
    return w.join([every, target, due]), marked


class _Articles:
    """Numbered articles, each kept only when it has something in it."""

    def __init__(self, w: _Writer) -> None:
        self.w = w
        self.list: list[dict[str, Any]] = []

    def add(self, name: str, items: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
        """An article of ``items`` (each ``{"text", "untranslated", "sub"}``, ``sub`` its own numbered items);
        None, and no number used, when it is empty."""
        items = [i for i in items if i["text"] or i.get("sub")]
        if not items:
            return None
        number = len(self.list) + 1
        label = i18n.article(number, self.w.lang)
        title = self.w.t[f"art_{name}"]
        numbered = len(items) > 1 or bool(items[0].get("sub"))
        for index, item in enumerate(items, start=1):
            mark = i18n.item_mark(index, self.w.lang, level=1, article=number) if numbered else ""
            item["mark"] = mark
            # What the annex cites: 第三条（二） / 3.2, or the article itself when its items are not numbered.
            item["ref"] = (label + mark if self.w.zh else mark) if numbered else label
            for sub, child in enumerate(item.setdefault("sub", []), start=1):
                child["mark"] = i18n.item_mark(sub, self.w.lang, level=2)
                child["ref"] = item["ref"] + child["mark"].rstrip(".")
                child.setdefault("sub", [])
        article = {
            "name": name,
            "number": number,
            "label": label,
            "title": title,
            "heading": f"{label}　{title}" if self.w.zh else f"{label}\u2002{title}",
            "entries": items,
        }
        self.list.append(article)
        return article


def _item(text: str, untranslated: bool = False, **more: Any) -> dict[str, Any]:
    return {"text": text, "untranslated": untranslated, "sub": [], **more}


def _texts(entries: Sequence[Mapping[str, Any]], w: _Writer) -> list[dict[str, Any]]:
    items = []
    for entry in entries:
        text, flag = w.text(entry)
        items.append(_item(w.sentence(text), flag))
    return items


def _particulars(party: Mapping[str, Any], known: Mapping[str, Any], w: _Writer) -> list[dict[str, str]]:
    """地址 / 法定代表人（负责人） / 统一社会信用代码 as frozen on the version; 联系方式 from the register."""
    lines = []
    for field in ("address", "legal_representative", "registration_number"):
        if party.get(field):
            lines.append({"label": w.t[field], "value": str(party[field])})
    contacts = [
        f"{i18n.channel(c['channel'], w.lang)} {c['value']}"
        for c in known.get("contacts") or []
        if not (c.get("channel") == "address" and party.get("address"))
    ]
    if contacts:
        lines.append({"label": w.t["contacts"], "value": w.t["list_sep"].join(contacts)})
    return lines


def _person(name: str, title: str | None, w: _Writer) -> str:
    if not title:
        return name
    return f"{name}（{title}）" if w.zh else f"{name}, {title}"


def _resource(resource: Mapping[str, Any], party_label: str, w: _Writer) -> dict[str, Any]:
    """甲方提供资金人民币叁拾万元整（¥300,000.00）。 / Party A provides funds: CNY 300,000.00."""
    description, marked = w.text(resource, "description")
    kind = resource.get("kind")
    if kind in i18n.RESOURCE_KINDS:
        what = i18n.RESOURCE_KINDS[kind][1 if w.zh else 0]
        if description:
            what = w.t["resource_what"].format(kind=what, description=description)
    elif description:
        what = description
    else:
        what, marked = w.word(kind)
    if resource.get("amount") not in (None, ""):
        shown = i18n.amount(resource["amount"], resource.get("unit"), w.lang)
        if not _known_unit(resource.get("unit")) and w.own(resource.get("unit")):
            shown, marked = w.t["untranslated"] + shown, True
        joiner = "" if kind in i18n.RESOURCE_KINDS and not description else "，"  # 资金人民币…, 音响设备：…，2套
        what = w.t["resource_amount"].format(what=what + joiner, amount=shown)
    if resource.get("when"):
        when = i18n.slot_beside(resource["when"], w.lang, description)  # the day once, if the description says it
        if when == resource["when"]:
            when, flag = w.word(when)
            marked = marked or flag
        if when:
            what = w.t["resource_when"].format(what=what, when=when)
    return _item(w.sentence(w.t["resource"].format(party=party_label, what=what)), marked)


def _known_unit(unit: Any) -> bool:
    from coordkit.amounts import UNITS, unit_of

    return not unit or unit_of(str(unit)) in UNITS


def _term_items(doc: Mapping[str, Any], w: _Writer) -> list[dict[str, Any]]:
    t = w.t
    if doc.get("effective") and doc.get("expires"):
        term = t["term_sentence"].format(
            start=i18n.format_date(doc["effective"], w.lang), end=i18n.format_date(doc["expires"], w.lang)
        )
    elif doc.get("effective"):
        term = t["term_open"].format(start=i18n.format_date(doc["effective"], w.lang))
    else:
        term = t["term_unset"]
    items = [_item(term)]
    notice = i18n.period(doc.get("notice"), w.lang)
    if doc.get("renewal") == "tacit":
        items.append(_item(t["renewal_notice"].format(notice=notice) if notice else t["renewal"]))
    elif notice:
        items.append(_item(t["notice"].format(notice=notice)))
    return items


def _clauses(doc: Mapping[str, Any], w: _Writer) -> dict[str, list[dict[str, Any]]]:
    by_section: dict[str, list[dict[str, Any]]] = {name: [] for name in CLAUSE_KINDS}
    for clause in doc.get("clauses") or []:
        section = clause.get("section")
        text, flag = w.text(clause)
        by_section[section if section in by_section else "other"].append(_item(w.sentence(text), flag))
    return by_section


def agreement_context(
    doc: AgreementDoc | Mapping[str, Any],
    stakeholders: Sequence[Stakeholder],
    lang: str,
    *,
    duties: Mapping[str, Mapping[str, Any]] | None = None,
    allow_untranslated: bool = False,
    seam: bool = False,
) -> dict[str, Any]:
    """Everything an agreement template may use, already in the document's language.

    ``duties`` maps a duty key to ``{"title", "title_zh", "category", "category_name",
    "category_name_zh"}`` for the annex. In Chinese, a text with no Chinese stops the
    rendering with the list of them (``refuse_untranslated``), unless
    ``allow_untranslated``: then it is printed in English after 【未译】. ``seam`` draws
    the marks for a seal across the page edges (骑缝章).
    """
    if lang not in i18n.LANGUAGES:
        raise InvalidInput(
            _("--lang '{lang}' is not one of: {choices}").format(lang=lang, choices=", ".join(i18n.LANGUAGES))
        )
    d, legacy = _complete(doc)
    w = _Writer(lang, legacy=legacy)
    t = w.t
    duties = duties or {}
    if w.zh and not legacy and not allow_untranslated:
        from coordkit.domain.translation import untranslated

        missing = untranslated(d) + _untranslated_duties(d, duties)
        if missing:
            raise refuse_untranslated(missing)

    info: dict[str, Mapping[str, Any]] = {s["key"]: s for s in stakeholders}
    signatures = {s["party"]: s for s in d.get("signatures") or []}
    draft = d.get("status") == "draft" or not d.get("terms_hash")
    title, title_marked = w.text(d, "title")
    other_title = (d.get("title_zh") if not w.zh else None) or None
    kind_name, kind_marked = w.text(d, "kind_name")
    if kind_name and kind_name.lower() in (title or "").lower():
        kind_name = ""

    parties: list[dict[str, Any]] = []
    for party in d["parties"]:
        key = party["stakeholder"]
        name, name_marked = w.text(party, "name")
        label = i18n.label(party["label"], lang)
        parties.append(
            {
                "key": key,
                "label": label,
                "name": name,
                "untranslated": name_marked,
                "other_name": party.get("name_zh") if not w.zh and party.get("name_zh") != name else None,
                "name_zh": party.get("name_zh"),
                "particulars": _particulars(party, info.get(key, {}), w),
                "signer": party.get("signer"),
                "key_fingerprint": party.get("key_fingerprint"),
                # as before the contract form, for workspace templates written then
                "kind": i18n.kind(info.get(key, {}).get("kind", ""), lang),
                "representatives": info.get(key, {}).get("representatives", []),
                "contacts": info.get(key, {}).get("contacts", []),
                "rights": [w.text(r)[0] for r in d.get("rights") or [] if r["party"] == key],
                "obligations": [o for o in d.get("obligations") or [] if o["party"] == key],
                "resources": [r for r in d["resources"] if r["party"] == key],
                "signature": signatures.get(key),
            }
        )
    labels = {p["key"]: p["label"] for p in parties}

    articles = _Articles(w)
    articles.add("goals", _texts(d["goals"], w))
    articles.add("methods", _texts(d["methods"], w))
    groups, annex_sources = [], []
    for party in parties:
        rights = _texts([r for r in d.get("rights") or [] if r["party"] == party["key"]], w)
        if rights:
            groups.append(_item(t["rights_of"].format(party=party["label"]), sub=rights))
        obligations = []
        for obligation in (o for o in d.get("obligations") or [] if o["party"] == party["key"]):
            text, flag = w.text(obligation)
            extra, target_flag = _qualifiers(obligation, text, w)
            item = _item(w.sentence(text, extra), flag or target_flag)
            obligations.append(item)
            if obligation.get("duty"):
                annex_sources.append((obligation, party, item))
        if obligations:
            groups.append(_item(t["obligations_of"].format(party=party["label"]), sub=obligations))
    articles.add("rights_obligations", groups)
    order = {p["key"]: index for index, p in enumerate(parties)}
    resources = sorted(d["resources"], key=lambda r: order.get(r["party"], len(order)))
    articles.add("resources", [_resource(r, labels.get(r["party"], r["party"]), w) for r in resources])
    clauses = _clauses(d, w)
    articles.add("term", _term_items(d, w) + clauses["effectiveness"])
    review = []
    if d.get("review_every"):
        review.append(_item(t["review_sentence"].format(every=i18n.every(d["review_every"], lang))))
    articles.add("review", review + _texts(d["communication"], w))
    articles.add("amendment", clauses["amendment"] + clauses["termination"])
    articles.add("breach", clauses["breach"])
    articles.add("confidentiality", clauses["confidentiality"])
    articles.add("dispute", _texts(d["dispute_resolution"], w))
    articles.add("other", clauses["other"])
    articles.add("counterparts", clauses["counterparts"])

    annex = _annex(annex_sources, duties, w)
    fingerprint = d.get("fingerprint") or ""
    version_n = t["version_n"].format(n=d["version"])
    status, banner = _status(d, w)
    subject = re.sub(r"(协议书?|合同)$", "", title) if w.zh else title
    if title_marked:
        subject = ""
    preamble = t["preamble"].format(subject=subject) if subject else t["preamble_plain"]
    statement = t["signature_statement_draft" if draft else "signature_statement"].format(
        title=title, key=d["key"], version=d["version"], fingerprint=fingerprint
    )
    return {
        "doc": d,
        "lang": lang,
        "t": t,
        "title": title,
        "title_untranslated": title_marked,
        "other_title": other_title,
        "kind_name": kind_name,
        "kind_untranslated": kind_marked,
        "parties": parties,
        "labels": labels,
        "preamble": preamble,
        "articles": articles.list,
        "signing": [_signing(p, signatures.get(p["key"]), w) for p in parties],
        "signature_statement": statement,
        "annex": annex,
        "annex_has_title": any(row["title"] for row in annex),
        "annex_has_category": any(row["category"] for row in annex),
        "annex_uses": _annex_uses(annex, duties, w),
        "draft": draft,
        "status": status,
        "banner": banner,
        "header": f"{d['key']} · {version_n}",
        "running_head": " · ".join(
            x
            for x in (f"{d['key']} · {version_n}", status, t["draft"] if draft else f"{t['fingerprint']} {fingerprint}")
            if x
        ),
        "version_n": version_n,
        "mark": t["draft"] if draft else f"{t['fingerprint']} {fingerprint}",
        "meta": _meta(d, w, draft=draft),
        "qr": _qr(d, draft=draft),
        "seam": seam,
        # as before the contract form, for workspace templates written then
        "review": t["review_sentence"].format(every=i18n.every(d["review_every"], lang))
        if d.get("review_every")
        else "",
        "effective": i18n.format_date(d.get("effective"), lang),
        "expires": i18n.format_date(d.get("expires"), lang) if d.get("expires") else t["open_ended"],
        "terminated": banner if d.get("terminated_on") else "",
        "date": lambda value: i18n.format_date(value, lang),
        "method": lambda value: i18n.method(value, lang),
    }


def _meta(doc: Mapping[str, Any], w: _Writer, *, draft: bool) -> str:
    """协议编号：AGR-2024-001　第1版　指纹：3f2a9c… / Agreement no. AGR-2024-001 · Version 1 · Fingerprint 3f2a9c…"""
    t = w.t
    colon = t["colon"] if w.zh else " "
    parts = [f"{t['key']}{colon}{doc['key']}", t["version_n"].format(n=doc["version"])]
    parts.append(t["draft"] if draft else f"{t['fingerprint']}{colon}{doc.get('fingerprint') or ''}")
    return ("　" if w.zh else " · ").join(parts)


def _status(doc: Mapping[str, Any], w: _Writer) -> tuple[str, str]:
    """(the mark every page carries, the sentence under the title) for superseded and terminated versions."""
    t = w.t
    if doc.get("status") == "superseded":
        number = doc.get("superseded_by")
        if number:
            return t["superseded_mark_by"].format(n=number), t["superseded_by"].format(n=number)
        return t["superseded_mark"], t["superseded_banner"]
    if doc.get("status") == "terminated" or doc.get("terminated_on"):
        day = i18n.format_date(doc.get("terminated_on"), w.lang)
        reason = doc.get("termination_reason")
        banner = (
            t["terminated_banner"].format(date=day, reason=reason)
            if reason
            else t["terminated_no_reason"].format(date=day)
        )
        return t["terminated_mark"].format(date=day), banner
    return "", ""


def _qr(doc: Mapping[str, Any], *, draft: bool) -> Any:
    """The code of the frozen terms as inline SVG; None on a draft (it has no terms to point at)."""
    if draft or not doc.get("terms_hash"):
        return None
    from markupsafe import Markup

    from coordkit.render.qr import payload, qr_svg

    return Markup(qr_svg(payload(doc["key"], int(doc["version"]), doc["terms_hash"])))


def _signing(party: Mapping[str, Any], signature: Mapping[str, Any] | None, w: _Writer) -> dict[str, Any]:
    """One party's block on the signature page: blanks to fill in, or the signature the store records."""
    t = w.t
    signer = party.get("signer") or {}
    block: dict[str, Any] = {
        "key": party["key"],
        "seal_line": t["seal_line"].format(label=party["label"], name=party["name"]),
        "untranslated": party["untranslated"],
        "expected": t["expected_signer"].format(name=_person(signer["name"], signer.get("title"), w))
        if signer.get("name")
        else "",
        "recorded": "",
        "seal": None,
        "seal_name": None,
        "key_fingerprint": None,
    }
    if signature:
        method = str(signature.get("method") or "")
        block["recorded"] = t["recorded"].format(
            signatory=_person(str(signature.get("signatory") or ""), signature.get("title"), w),
            date=i18n.format_date(signature.get("date"), w.lang),
            method=i18n.method(method, w.lang),
        )
        block["key_fingerprint"] = signature.get("key_fingerprint")
        if i18n.with_seal(method):
            from coordkit.render.seal import seal_svg

            # A Chinese organisation's seal bears its Chinese name, in the English document too, and its
            # name only: 猎德人家社工站（第三方社会组织） is sealed 猎德人家社工站.
            name = party.get("name_zh") or party["name"].removeprefix(t["untranslated"])
            block["seal_name"] = _BRACKETED.sub("", name) or name
            block["seal"] = seal_svg(block["seal_name"], t["recorded_seal"])
    return block


def _untranslated_duties(doc: Mapping[str, Any], duties: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The annex's duty titles and category names that have no Chinese (``duties[market-plan].title``)."""
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()
    for obligation in doc.get("obligations") or []:
        key = obligation.get("duty")
        if not key or key in seen or key not in duties:
            continue
        seen.add(key)
        info = duties[key]
        if needs_chinese(info, "title"):
            missing.append((f"duties[{key}].title", str(info["title"])))
        if needs_chinese(info, "category_name"):
            missing.append((f"duties[{key}].category", str(info["category_name"])))
    return missing


def _annex(
    sources: Sequence[tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]]],
    duties: Mapping[str, Mapping[str, Any]],
    w: _Writer,
) -> list[dict[str, Any]]:
    """附件：职责对照表: one row per obligation that names a duty, in the order of the articles."""
    rows = []
    for number, (obligation, party, item) in enumerate(sources, start=1):
        info = duties.get(obligation["duty"]) or {}
        title, title_flag = w.text(info, "title")
        category, category_flag = w.text(info, "category_name")
        rows.append(
            {
                "no": number,
                "duty": obligation["duty"],
                "title": title,
                "category": category or (info.get("category") or ""),
                "untranslated": title_flag or category_flag,
                "party": f"{party['label']}{w.t['colon']}{party['name']}",
                "role": i18n.letter(obligation.get("as"), w.lang),
                "article": item["ref"],
            }
        )
    return rows


def _annex_uses(annex: Sequence[Mapping[str, Any]], duties: Mapping[str, Mapping[str, Any]], w: _Writer) -> list[str]:
    """The shared resources the annex's duties use, and when, one line a duty under the annex's table (a column
    in the table squeezed the category to one character a line): ``提供市集场地（market-venue）：猎德广场
    每月第二个星期六 09:00-17:00``."""
    from coordkit.render.matrix import uses_text

    lines = []
    for key in dict.fromkeys(row["duty"] for row in annex):
        uses = (duties.get(key) or {}).get("uses")
        if uses:
            title = next(row["title"] for row in annex if row["duty"] == key)
            text = uses_text(uses, w.lang)
            lines.append(f"{title}（{key}）{w.t['colon']}{text}" if w.zh else f"{title} ({key}): {text}")
    return lines


def render_agreement(
    doc: AgreementDoc | Mapping[str, Any],
    stakeholders: Sequence[Stakeholder],
    *,
    fmt: str,
    lang: str,
    workspace: Path | None,
    duties: Mapping[str, Mapping[str, Any]] | None = None,
    allow_untranslated: bool = False,
    seam: bool = False,
) -> str | bytes:
    """One agreement version as Markdown or HTML text, or PDF or DOCX bytes (see ``agreement_context``)."""
    if fmt not in AGREEMENT_FORMATS:
        raise InvalidInput(
            _("--format '{format}' is not one of: {choices}").format(format=fmt, choices=", ".join(AGREEMENT_FORMATS))
        )
    context = agreement_context(
        doc, stakeholders, lang, duties=duties, allow_untranslated=allow_untranslated, seam=seam
    )
    if fmt == "md":
        return render("agreement.md.j2", context, workspace)
    if fmt == "html":
        return render("agreement.html.j2", context, workspace)
    if fmt == "pdf":
        from coordkit.render.pdf import html_to_pdf

        return html_to_pdf(render("agreement.html.j2", context, workspace), lang=lang, workspace=workspace)
    from coordkit.render.docx import render_docx

    return render_docx(context, workspace)


def register_context(stakeholders: Sequence[Stakeholder], lang: str, today: str) -> dict[str, Any]:
    t = i18n.TEXT[lang]
    rows = [{**s, "kind_text": i18n.kind(s["kind"], lang)} for s in stakeholders]
    return {"stakeholders": rows, "t": t, "lang": lang, "generated": i18n.format_date(today, lang)}


def render_register(
    stakeholders: Sequence[Stakeholder], *, fmt: str, lang: str, today: str, workspace: Path | None
) -> str | bytes:
    html = render("register.html.j2", register_context(stakeholders, lang, today), workspace)
    if fmt == "pdf":
        from coordkit.render.pdf import html_to_pdf

        return html_to_pdf(html, lang=lang, workspace=workspace)
    return html


def file_name(doc: AgreementDoc | Mapping[str, Any], fmt: str, lang: str) -> str:
    return f"{doc['key']}-v{doc['version']}.{lang}.{fmt}"
