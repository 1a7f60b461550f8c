"""A joint meeting's minutes (会议纪要) as Markdown, HTML, PDF and DOCX, in English and Chinese.

The usual form: title, then time, place, chair, who attended and who was
absent; the agenda; the decisions (议定事项); a table of action items with the
party responsible and the deadline (责任单位与完成时限); the actions of earlier
meetings still open on the day; and the chair's sign-off. Once signed off,
every page carries the short fingerprint in its header and the full SHA-256
hash in its footer, so a printed page can be checked against the store.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from coordkit.domain.meetings import Meeting, action_ref
from coordkit.domain.projects import Project
from coordkit.domain.stakeholders import Stakeholder
from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.render.environment import render
from coordkit.render.i18n import format_date

MINUTES_FORMATS = ("md", "html", "pdf", "docx")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "minutes": "Minutes",
        "title": "Minutes of the joint meeting of {project}",
        "date": "Date",
        "place": "Place",
        "chair": "Chair",
        "present": "Present",
        "absent": "Absent",
        "agenda": "Agenda",
        "decisions": "Decisions",
        "actions": "Action items: owners and deadlines",
        "number": "No.",
        "action": "Action",
        "owner": "Responsible party",
        "due": "Deadline",
        "duty": "Duty",
        "earlier": "Open actions of earlier meetings",
        "meeting": "Meeting",
        "sign_off": "Signed off by the chair",
        "signature": "Chair's signature",
        "draft": "DRAFT",
        "draft_note": "Draft minutes: not signed off yet; they may still change.",
        "fingerprint": "Fingerprint",
        "hash": "These minutes are fixed by their SHA-256 hash",
        "page": "Page",
        "of": "of",
        "none": "None.",
        "nobody": "Nobody.",
        "colon": ": ",
    },
    "zh": {
        "minutes": "会议纪要",
        "title": "{project}联席会议纪要",
        "date": "会议时间",
        "place": "会议地点",
        "chair": "主持人",
        "present": "出席单位及人员",
        "absent": "缺席单位",
        "agenda": "一、会议议题",
        "decisions": "二、议定事项",
        "actions": "三、工作任务分工（责任单位与完成时限）",
        "number": "序号",
        "action": "工作事项",
        "owner": "责任单位",
        "due": "完成时限",
        "duty": "对应职责",
        "earlier": "四、前次会议待办事项",
        "meeting": "会议",
        "sign_off": "主持人签发",
        "signature": "主持人签字",
        "draft": "草稿",
        "draft_note": "纪要草稿：尚未签发，内容仍可修改。",
        "fingerprint": "指纹",
        "hash": "本纪要以其 SHA-256 哈希值固定",
        "page": "第",
        "of": "页，共",
        "none": "无。",
        "nobody": "无。",
        "colon": "：",
    },
}


def _name(key: str, info: Mapping[str, Stakeholder], lang: str) -> str:
    found = info.get(key)
    if found is None:
        return key
    return (found["name_zh"] or found["name"]) if lang == "zh" else found["name"]


def _who(party: str, person: str | None, info: Mapping[str, Stakeholder], lang: str) -> str:
    name = _name(party, info, lang)
    if not person:
        return name
    return f"{name} {person}" if lang == "zh" else f"{person} ({name})"


def _duty(key: str, letters: str | None, duties: Mapping[str, tuple[str, str | None]], lang: str) -> str:
    title, title_zh = duties.get(key, (key, None))
    return f"{(title_zh or title) if lang == 'zh' else title} ({letters})"


def minutes_context(
    meeting: Meeting,
    stakeholders: Sequence[Stakeholder],
    project: Project,
    lang: str,
    duties: Mapping[str, tuple[str, str | None]] | None = None,
) -> dict[str, Any]:
    """Everything a minutes template may use, already in the document's language."""
    if lang not in TEXT:
        raise InvalidInput(_("--lang '{lang}' is not one of: en, zh").format(lang=lang))
    t = TEXT[lang]
    info = {s["key"]: s for s in stakeholders}
    project_name = (project["name_zh"] or project["name"]) if lang == "zh" else project["name"]
    sign = meeting["signed_off"]
    mark = f"{t['fingerprint']} {meeting['fingerprint']}" if sign else t["draft"]
    actions = [
        {
            "number": a["number"],
            "text": a["text"],
            "owner": _name(a["owner"], info, lang),
            "due": format_date(a["due"], lang),
            "duty": _duty(a["duty"], a["as"], duties or {}, lang) if a["duty"] else "",
        }
        for a in meeting["actions"]
    ]
    earlier = [
        {
            "ref": action_ref(a["meeting"], a["number"]),
            "text": a["text"],
            "owner": _name(a["owner"], info, lang),
            "due": format_date(a["due"], lang),
        }
        for a in meeting["earlier_open"]
    ]
    return {
        "lang": lang,
        "t": t,
        "meeting": meeting,
        "title": meeting["title"] or t["title"].format(project=project_name),
        "project_name": project_name,
        "header": f"{t['minutes']} · {meeting['project']}/{meeting['key']}",
        "mark": mark,
        "draft": sign is None,
        "date": format_date(meeting["date"], lang),
        "place": meeting["place"] or "",
        "chair": _who(meeting["chair"]["party"], meeting["chair"]["person"], info, lang),
        "present": [_who(a["party"], a["person"], info, lang) for a in meeting["attendees"]],
        "absent": [_name(p, info, lang) for p in meeting["absent"]],
        "actions": actions,
        "earlier": earlier,
        "signed_by": sign["by"] if sign else "",
        "signed_on": format_date(sign["date"], lang) if sign else "",
        "hash": sign["hash"] if sign else "",
        "fingerprint": meeting["fingerprint"] or "",
        "separator": "、" if lang == "zh" else "; ",
    }


def render_minutes(
    meeting: Meeting,
    stakeholders: Sequence[Stakeholder],
    project: Project,
    *,
    fmt: str,
    lang: str,
    workspace: Path | None,
    duties: Mapping[str, tuple[str, str | None]] | None = None,
) -> str | bytes:
    """One meeting's minutes as Markdown or HTML text, or PDF or DOCX bytes; ``duties`` gives the titles of the
    duties actions serve (by key)."""
    context = minutes_context(meeting, stakeholders, project, lang, duties)
    if fmt == "md":
        return render("minutes.md.j2", context, workspace)
    if fmt == "html":
        return render("minutes.html.j2", context, workspace)
    if fmt == "pdf":
        from coordkit.render.pdf import html_to_pdf

        return html_to_pdf(render("minutes.html.j2", context, workspace), lang=lang, workspace=workspace)
    if fmt == "docx":
        return minutes_docx(context)
    raise InvalidInput(
        _("--format '{format}' is not one of: {formats}").format(format=fmt, formats=", ".join(MINUTES_FORMATS))
    )


def file_name(meeting: Meeting, fmt: str, lang: str) -> str:
    return f"minutes-{meeting['project']}-{meeting['key']}.{lang}.{fmt}"


def minutes_docx(context: Mapping[str, Any]) -> bytes:
    """The minutes as a Word/WPS document built with python-docx, with the agreements' Chinese fonts (宋体 body,
    黑体 headings, tagged zh-CN: ``render.docx``) and the fingerprint and hash in every page's header and footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from coordkit.render.docx import _FONTS, _east_asian_fonts, _font_table, _rewrite, a4_document, set_languages

    t, lang = context["t"], context["lang"]
    doc = a4_document(
        header=f"{context['header']} · {context['mark']}",
        page=t["page"],
        of=t["of"],
        lang=lang,
        margins_mm=(22, 22, 20),
        font_pt=10.5,
    )
    section = doc.sections[0]
    if context["hash"]:
        line = section.footer.add_paragraph(f"SHA-256 {context['hash']}")
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.runs[0].font.size = Pt(7)
    doc.add_paragraph(context["title"], style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if context["draft"]:
        doc.add_paragraph(t["draft_note"], style="Intense Quote")
    facts = doc.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in (
        (t["date"], context["date"]),
        (t["place"], context["place"]),
        (t["chair"], context["chair"]),
        (t["present"], context["separator"].join(context["present"])),
        (t["absent"], context["separator"].join(context["absent"]) or t["nobody"]),
    ):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    _widths(facts, (32, 134))
    for heading, items in (
        (t["agenda"], context["meeting"]["agenda"]),
        (t["decisions"], context["meeting"]["decisions"]),
    ):
        doc.add_paragraph(heading, style="Heading 1")
        if not items:
            doc.add_paragraph(t["none"])
        for index, text in enumerate(items, 1):
            doc.add_paragraph(f"{index}. {text}")
    doc.add_paragraph(t["actions"], style="Heading 1")
    _table(
        doc,
        (12, 62, 40, 28, 24),
        [t["number"], t["action"], t["owner"], t["due"], t["duty"]],
        [[str(a["number"]), a["text"], a["owner"], a["due"], a["duty"]] for a in context["actions"]],
        t["none"],
    )
    doc.add_paragraph(t["earlier"], style="Heading 1")
    _table(
        doc,
        (28, 70, 40, 28),
        [t["meeting"], t["action"], t["owner"], t["due"]],
        [[a["ref"], a["text"], a["owner"], a["due"]] for a in context["earlier"]],
        t["none"],
    )
    doc.add_paragraph(t["sign_off"], style="Heading 1")
    colon = t["colon"]
    if context["draft"]:
        doc.add_paragraph(f"{t['signature']}{colon}____________    {t['date']}{colon}____________")
    else:
        signed = doc.add_paragraph(f"{t['chair']}{colon}{context['signed_by']}\n{context['signed_on']}")
        signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.add_paragraph(f"{t['hash']}{colon}{context['hash']}").runs[0].font.size = Pt(8)
    _east_asian_fonts(doc.styles.element)
    set_languages(doc, lang)
    out = io.BytesIO()
    doc.save(out)
    return _rewrite(out.getvalue(), {_FONTS: _font_table})


def _table(doc: Any, widths: Sequence[int], headers: Sequence[str], body: Sequence[Sequence[str]], empty: str) -> None:
    if not body:
        doc.add_paragraph(empty)
        return
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in body:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    _widths(table, widths)


def _widths(table: Any, millimetres: Sequence[int]) -> None:
    """Fixed column widths (mm): Word reads the cells' widths, LibreOffice and WPS the grid's, so both are set."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
