"""Agreement documents and the stakeholder register: Markdown, HTML, PDF and DOCX.

The templates get plain data and the fixed text of the chosen language; every
page of HTML/PDF/DOCX carries the agreement key, version, "page X of Y" and the
short fingerprint of the frozen terms (DRAFT while there is none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from coordkit.domain.agreements import AgreementDoc
from coordkit.domain.stakeholders import Stakeholder
from coordkit.errors import InvalidInput
from coordkit.render import i18n
from coordkit.render.environment import render

AGREEMENT_FORMATS = ("md", "html", "pdf", "docx")


def agreement_context(doc: AgreementDoc, stakeholders: Sequence[Stakeholder], lang: str) -> dict[str, Any]:
    """Everything an agreement template may use, already in the document's language."""
    if lang not in i18n.LANGUAGES:
        raise InvalidInput(f"--lang '{lang}' is not one of: {', '.join(i18n.LANGUAGES)}")
    t = i18n.TEXT[lang]
    info = {s["key"]: s for s in stakeholders}
    signatures = {s["party"]: s for s in doc["signatures"]}
    parties = []
    for party in doc["parties"]:
        key = party["stakeholder"]
        known: Mapping[str, Any] = info.get(key, {})
        parties.append(
            {
                "key": key,
                "label": i18n.label(party["label"], lang),
                "name": (party.get("name_zh") or party["name"]) if lang == "zh" else party["name"],
                "other_name": (party["name"] if party.get("name_zh") else None)
                if lang == "zh"
                else party.get("name_zh"),
                "kind": i18n.kind(known.get("kind", ""), lang),
                "representatives": known.get("representatives", []),
                "contacts": known.get("contacts", []),
                "rights": [r["text"] for r in doc["rights"] if r["party"] == key],
                "obligations": [o for o in doc["obligations"] if o["party"] == key],
                "resources": [r for r in doc["resources"] if r["party"] == key],
                "signature": signatures.get(key),
            }
        )
    labels = {p["key"]: p["label"] for p in parties}
    draft = not doc["terms_hash"]
    mark = t["draft"] if draft else f"{t['fingerprint']} {doc['fingerprint']}"
    title = (doc["title_zh"] or doc["title"]) if lang == "zh" else doc["title"]
    if doc["review_every"]:
        review = t["review_every"].format(cadence=i18n.cadence(doc["review_every"], lang))
    else:
        review = t["no_review"]
    terminated = ""
    if doc["terminated_on"]:
        terminated = t["terminated"].format(
            date=i18n.format_date(doc["terminated_on"], lang), reason=doc["termination_reason"]
        )
    return {
        "doc": doc,
        "lang": lang,
        "t": t,
        "title": title,
        "other_title": (doc["title"] if doc["title_zh"] else None) if lang == "zh" else doc["title_zh"],
        "parties": parties,
        "labels": labels,
        "draft": draft,
        "header": f"{doc['key']} · {t['version']} {doc['version']}",
        "mark": mark,
        "review": review,
        "effective": i18n.format_date(doc["effective"], lang),
        "expires": i18n.format_date(doc["expires"], lang) if doc["expires"] else t["open_ended"],
        "terminated": terminated,
        "date": lambda value: i18n.format_date(value, lang),
        "method": lambda value: t.get(f"method_{value}", value),
    }


def render_agreement(
    doc: AgreementDoc, stakeholders: Sequence[Stakeholder], *, fmt: str, lang: str, workspace: Path | None
) -> str | bytes:
    """One agreement version as Markdown or HTML text, or PDF or DOCX bytes."""
    context = agreement_context(doc, stakeholders, lang)
    if fmt == "md":
        return render("agreement.md.j2", context, workspace)
    if fmt == "html":
        return render("agreement.html.j2", context, workspace)
    if fmt == "pdf":
        from coordkit.render.pdf import html_to_pdf

        return html_to_pdf(render("agreement.html.j2", context, workspace), lang=lang, workspace=workspace)
    if fmt == "docx":
        from coordkit.render.docx import render_docx

        return render_docx(context, workspace)
    raise InvalidInput(f"--format '{fmt}' is not one of: {', '.join(AGREEMENT_FORMATS)}")


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


def file_name(doc: AgreementDoc, fmt: str, lang: str) -> str:
    return f"{doc['key']}-v{doc['version']}.{lang}.{fmt}"
