"""The evaluation report as Markdown, HTML, PDF or DOCX, in English or Chinese (项目评估报告).

The report is a list of sections, each a heading, a few sentences with the
figures, tables and at most one chart; the three formats lay out that one list,
so a figure is the same number in every format (the tests read each back).
Charts are drawn where a reader would rather look than read: the
power/interest map of the parties and the concerns opened and settled per
month (matplotlib, SVG in HTML and PDF, PNG in DOCX).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.render.environment import render
from coordkit.render.i18n import amount, every, format_date, kind, measure_word

REPORT_FORMATS = ("md", "html", "pdf", "docx", "json")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Evaluation report: {project}",
        "subtitle": "Period {period} ({start} to {end}) · made {made}",
        "range": "From {start} to {end} · made {made}",
        "parties": "1. Parties and the stakeholder map",
        "parties_intro": "{count} parties carry a duty or are party to an agreement of the project.",
        "responsibility": "2. Responsibilities and open findings",
        "responsibility_intro": (
            "{duties} duties; {owned} of them have exactly one accountable party on {day}. "
            "coord check on that day: {errors} error(s), {warnings} warning(s)."
        ),
        "agreements": "3. Agreements",
        "agreements_intro": "{count} agreement(s); {signed} signed by every party.",
        "obligations": "4. Obligations",
        "obligations_intro": "What each party promised in the agreements: {count} obligation(s).",
        "fulfilment_intro": (
            "{due} occurrence(s) fell due in the period: {met} met, {partly} partly met, {missed} not met, "
            "{waived} waived, {open} with no report by {end}."
        ),
        "met_of_due": "Met / due",
        "meetings": "5. Joint meetings and follow-up",
        "meetings_intro": (
            "{held} joint meeting(s) held in the period, {signed} of them signed off. Their {total} action(s): "
            "{done} done by {end}, {open} open, {overdue} of them overdue."
        ),
        "concerns": "6. Concerns",
        "concerns_intro": (
            "{opened} concern(s) opened and {resolved} resolved in the period; {still} open on {end}. "
            "Median time to resolve: {median}. Satisfaction at resolution: {satisfaction}."
        ),
        "chain": "7. Proof",
        "chain_intro": (
            "Every figure above was read from the store whose audit chain ends at event {seq} with hash {hash}; "
            "coord verify --anchor {seq}:{short} checks that the store still holds that history."
        ),
        "party": "Party",
        "kind": "Kind",
        "influence": "Influence",
        "interest": "Interest",
        "r": "R duties",
        "a": "A duties",
        "rule": "Rule",
        "severity": "Severity",
        "count": "Count",
        "finding": "Finding",
        "subject": "Subject",
        "key": "Agreement",
        "version": "Version",
        "agreement_title": "Title",
        "status": "Status",
        "term": "Term",
        "signed": "Signed",
        "fingerprint": "Fingerprint",
        "number": "No.",
        "text": "Obligation",
        "due": "Due",
        "target": "Target",
        "date": "Date",
        "place": "Place",
        "attendees": "Present",
        "decisions": "Decisions",
        "actions": "Actions",
        "signed_off": "Signed off",
        "month": "Month",
        "opened": "Opened",
        "resolved": "Resolved",
        "none": "None.",
        "not_yet": "none resolved",
        "not_rated": "no ratings",
        "days": "{days} days",
        "rating": "{mean} of 5 ({count} rating(s))",
        "more": "… and {count} more (coord check --on {day} lists them all).",
        "map": "Stakeholder map",
        "severity_error": "error",
        "severity_warning": "warning",
        "page": "Page",
        "of": "of",
    },
    "zh": {
        "title": "{project}项目评估报告",
        "subtitle": "评估期间 {period}（{start}至{end}）· 编制日期 {made}",
        "range": "评估期间 {start}至{end} · 编制日期 {made}",
        "parties": "一、参与各方与利益相关方地图",
        "parties_intro": "共有 {count} 个参与方承担本项目职责或为本项目协议的当事方。",
        "responsibility": "二、职责分工与待解决问题",
        "responsibility_intro": (
            "共 {duties} 项职责，其中 {owned} 项于{day}有且仅有一个负责方（A）。"
            "当日 coord check 检查结果：错误 {errors} 项，警告 {warnings} 项。"
        ),
        "agreements": "三、合作协议",
        "agreements_intro": "共 {count} 份协议，其中 {signed} 份已由各方全部签署。",
        "obligations": "四、各方义务",
        "obligations_intro": "各方在协议中承诺的义务共 {count} 项。",
        "fulfilment_intro": (
            "评估期间到期的履约事项 {due} 次：已履行 {met} 次，部分履行 {partly} 次，未履行 {missed} 次，"
            "免除 {waived} 次，截至{end}尚无履约记录 {open} 次。"
        ),
        "met_of_due": "已履行/到期",
        "meetings": "五、联席会议与跟进",
        "meetings_intro": (
            "评估期间召开联席会议 {held} 次，其中 {signed} 次纪要已签发。会议确定的 {total} 项待办事项中，"
            "截至{end}已完成 {done} 项，未完成 {open} 项，其中逾期 {overdue} 项。"
        ),
        "concerns": "六、诉求处理",
        "concerns_intro": (
            "评估期间新增诉求 {opened} 件，办结 {resolved} 件；截至{end}尚未办结 {still} 件。"
            "办结用时中位数：{median}。办结时满意度：{satisfaction}。"
        ),
        "chain": "七、数据核验",
        "chain_intro": (
            "以上数据均取自审计链截至第 {seq} 号事件（哈希值 {hash}）的数据库；"
            "运行 coord verify --anchor {seq}:{short} 可核验数据库仍保有该历史记录。"
        ),
        "party": "参与方",
        "kind": "类型",
        "influence": "影响力",
        "interest": "关注度",
        "r": "执行（R）职责数",
        "a": "负责（A）职责数",
        "rule": "检查规则",
        "severity": "级别",
        "count": "数量",
        "finding": "问题",
        "subject": "对象",
        "key": "协议编号",
        "version": "版本",
        "agreement_title": "协议名称",
        "status": "状态",
        "term": "期限",
        "signed": "签署",
        "fingerprint": "指纹",
        "number": "序号",
        "text": "义务",
        "due": "完成时限",
        "target": "量化指标",
        "date": "日期",
        "place": "地点",
        "attendees": "出席单位",
        "decisions": "议定事项",
        "actions": "待办事项",
        "signed_off": "签发日期",
        "month": "月份",
        "opened": "新增",
        "resolved": "办结",
        "none": "无。",
        "not_yet": "暂无办结",
        "not_rated": "暂无评价",
        "days": "{days} 天",
        "rating": "{mean} 分（满分 5 分，共 {count} 份评价）",
        "more": "……另有 {count} 项（运行 coord check --on {day} 查看全部）。",
        "map": "利益相关方地图",
        "severity_error": "错误",
        "severity_warning": "警告",
        "page": "第",
        "of": "页，共",
    },
}

STATUS_ZH = {
    "draft": "草稿",
    "circulating": "传签中",
    "signed": "已签署",
    "superseded": "已被替代",
    "terminated": "已终止",
}
FINDINGS_SHOWN = 30  # the open findings listed one by one; the rest are counted (coord check lists them all)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    id: str = ""


@dataclass
class Section:
    id: str
    heading: str
    intro: str
    tables: list[Table] = field(default_factory=list)
    chart: str | None = None  # which chart goes with it: "map" or "concerns"
    after: str = ""  # a line below the tables


def _name(item: Mapping[str, Any], lang: str) -> str:
    return str((item.get("name_zh") or item["name"]) if lang == "zh" else item["name"])


def _status(value: str, lang: str) -> str:
    return STATUS_ZH.get(value, value) if lang == "zh" else value


def _target(target: Mapping[str, Any] | None, lang: str) -> str:
    """``12 sessions, each ≥ 200 people`` / ``12场，每场不少于200人``."""
    if not target:
        return ""
    text = amount(target["amount"], target["unit"], lang, measure=True)
    if target.get("each_min"):
        least = amount(target["each_min"], target.get("each_unit"), lang)
        if lang == "zh":
            text += f"，每{measure_word(target['unit'])}不少于{least}"
        else:
            text += f", each at least {least}"
    return text


def _met(counts: Mapping[str, int] | None) -> str:
    """``6/8``: occurrences met of those due in the period (empty for an obligation with no due date in it)."""
    if not counts:
        return ""
    return f"{counts['met']}/{sum(counts.values())}"


def sections(data: Mapping[str, Any], lang: str) -> list[Section]:
    """The report's sections in ``lang``, from ``services.report.build_report``'s data."""
    if lang not in TEXT:
        raise InvalidInput(_("--lang '{lang}' is not one of: en, zh").format(lang=lang))
    t = TEXT[lang]
    names = {p["key"]: _name(p, lang) for p in data["parties"]}
    period = data["period"]
    end = format_date(period["end"], lang)
    out: list[Section] = []

    parties = data["parties"]
    out.append(
        Section(
            "parties",
            t["parties"],
            t["parties_intro"].format(count=len(parties)),
            [
                Table(
                    [t["party"], t["kind"], t["influence"], t["interest"], t["r"], t["a"]],
                    [
                        [
                            names[p["key"]],
                            kind(p["kind"], lang),
                            "" if p["influence"] is None else str(p["influence"]),
                            "" if p["interest"] is None else str(p["interest"]),
                            str(p["responsible"]),
                            str(p["accountable"]),
                        ]
                        for p in parties
                    ],
                    "parties",
                )
            ],
            chart="map" if any(p["influence"] is not None and p["interest"] is not None for p in parties) else None,
        )
    )

    duty = data["responsibility"]
    severity = {"error": t["severity_error"], "warning": t["severity_warning"]}
    findings = duty["findings"]
    listed = findings[:FINDINGS_SHOWN]
    out.append(
        Section(
            "responsibility",
            t["responsibility"],
            t["responsibility_intro"].format(
                duties=duty["duties"],
                owned=duty["owned_once"],
                day=format_date(duty["checked_on"], lang),
                errors=duty["errors"],
                warnings=duty["warnings"],
            ),
            [
                Table(
                    [t["rule"], t["severity"], t["count"]],
                    [[r["rule"], severity[r["severity"]], str(r["count"])] for r in duty["by_rule"]],
                    "by-rule",
                ),
                Table(
                    [t["rule"], t["subject"], t["finding"]],
                    [[f["rule"], str(f["subject"]), str(f["message"])] for f in listed],
                    "findings",
                ),
            ],
            after=t["more"].format(count=len(findings) - len(listed), day=duty["checked_on"])
            if len(findings) > len(listed)
            else "",
        )
    )

    agreements = data["agreements"]
    out.append(
        Section(
            "agreements",
            t["agreements"],
            t["agreements_intro"].format(
                count=len(agreements),
                signed=sum(a["status"] == "signed" and a["signatures"] == a["parties"] for a in agreements),
            ),
            [
                Table(
                    [
                        t["key"],
                        t["version"],
                        t["agreement_title"],
                        t["status"],
                        t["term"],
                        t["signed"],
                        t["fingerprint"],
                    ],
                    [
                        [
                            a["key"],
                            str(a["version"]),
                            str((a["title_zh"] or a["title"]) if lang == "zh" else a["title"]),
                            _status(a["status"], lang),
                            f"{a['effective'] or ''} – {a['expires'] or ''}",
                            f"{a['signatures']}/{a['parties']}",
                            a["fingerprint"] or "",
                        ]
                        for a in agreements
                    ],
                    "agreements",
                )
            ],
        )
    )

    obligations = data["obligations"]
    totals = dict.fromkeys(("scheduled", "met", "partly", "missed", "waived"), 0)
    for o in obligations:
        for status, count in (o.get("fulfilment") or {}).items():
            totals[status] += count
    out.append(
        Section(
            "obligations",
            t["obligations"],
            t["obligations_intro"].format(count=len(obligations))
            + " "
            + t["fulfilment_intro"].format(due=sum(totals.values()), end=end, open=totals["scheduled"], **totals),
            [
                Table(
                    [t["key"], t["number"], t["party"], t["text"], t["due"], t["target"], t["met_of_due"]],
                    [
                        [
                            o["agreement"],
                            str(o["number"]),
                            names.get(o["party"], o["party"]),
                            str((o["text_zh"] or o["text"]) if lang == "zh" else o["text"]),
                            every(o["every"], lang) if o["every"] else format_date(o["due"], lang),
                            _target(o["target"], lang),
                            _met(o.get("fulfilment")),
                        ]
                        for o in obligations
                    ],
                    "obligations",
                )
            ],
        )
    )

    actions = data["actions"]
    meetings = data["meetings"]
    out.append(
        Section(
            "meetings",
            t["meetings"],
            t["meetings_intro"].format(
                held=len(meetings),
                signed=sum(m["signed_off"] is not None for m in meetings),
                total=actions["total"],
                done=actions["done"],
                open=actions["open"],
                overdue=actions["overdue"],
                end=end,
            ),
            [
                Table(
                    [t["date"], t["place"], t["attendees"], t["decisions"], t["actions"], t["signed_off"]],
                    [
                        [
                            format_date(m["date"], lang),
                            m["place"] or "",
                            str(m["attendees"]),
                            str(m["decisions"]),
                            str(m["actions"]),
                            format_date(m["signed_off"], lang),
                        ]
                        for m in meetings
                    ],
                    "meetings",
                )
            ],
        )
    )

    concerns = data["concerns"]
    median = concerns["median_days"]
    out.append(
        Section(
            "concerns",
            t["concerns"],
            t["concerns_intro"].format(
                opened=concerns["opened"],
                resolved=concerns["resolved"],
                still=concerns["open_at_end"],
                end=end,
                median=t["not_yet"] if median is None else t["days"].format(days=f"{median:g}"),
                satisfaction=t["not_rated"]
                if concerns["satisfaction"] is None
                else t["rating"].format(mean=f"{concerns['satisfaction']:g}", count=concerns["rated"]),
            ),
            [
                Table(
                    [t["month"], t["opened"], t["resolved"]],
                    [[month, str(opened), str(resolved)] for month, opened, resolved in concerns["by_month"]],
                    "by-month",
                )
            ],
            chart="concerns" if concerns["opened"] or concerns["resolved"] else None,
        )
    )

    chain = data["chain"]
    out.append(
        Section(
            "chain",
            t["chain"],
            t["chain_intro"].format(seq=chain["seq"], hash=chain["hash"], short=chain["hash"][:16]),
        )
    )
    return out


def concerns_chart(by_month: Sequence[Sequence[Any]], *, lang: str, fmt: str) -> bytes:
    """Concerns opened and resolved per month, side by side (SVG or PNG)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    t = TEXT[lang]
    params: Any = {"svg.fonttype": "none", "svg.hashsalt": "coordkit-report", "font.size": 8}
    if lang == "zh":
        from coordkit.render.grid import cjk_font

        params["font.family"] = [cjk_font(), "DejaVu Sans"]
    with rc_context(params):
        figure = Figure(figsize=(6.4, 2.4))
        axes = figure.add_subplot()
        months = [str(row[0]) for row in by_month]
        places = range(len(months))
        axes.bar([x - 0.2 for x in places], [int(row[1]) for row in by_month], 0.4, label=t["opened"], color="#b0413e")
        axes.bar(
            [x + 0.2 for x in places], [int(row[2]) for row in by_month], 0.4, label=t["resolved"], color="#3e7cb0"
        )
        axes.set_xticks(list(places), months, rotation=45 if len(months) > 6 else 0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(frameon=False)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format=fmt, dpi=160)
    return out.getvalue()


def _map(data: Mapping[str, Any], *, lang: str, fmt: str) -> bytes:
    from coordkit.render.grid import grid_points, render_grid

    points, _unrated = grid_points(data["parties"])
    drawn = render_grid(points, lang=lang, fmt=fmt, title=TEXT[lang]["map"])
    return drawn.encode("utf-8") if isinstance(drawn, str) else drawn  # type: ignore[return-value]


def _charts(data: Mapping[str, Any], parts: Sequence[Section], *, lang: str, fmt: str) -> dict[str, bytes]:
    charts: dict[str, bytes] = {}
    for section in parts:
        if section.chart == "map":
            charts["map"] = _map(data, lang=lang, fmt=fmt)
        elif section.chart == "concerns":
            charts["concerns"] = concerns_chart(data["concerns"]["by_month"], lang=lang, fmt=fmt)
    return charts


def _title(project: Mapping[str, Any], lang: str) -> str:
    name = _name(project, lang)
    if lang == "zh" and name.endswith("项目"):
        return f"{name}评估报告"  # 猎德人家社工服务项目评估报告, not …项目项目评估报告
    return TEXT[lang]["title"].format(project=name)


def _context(data: Mapping[str, Any], lang: str, parts: Sequence[Section]) -> dict[str, Any]:
    t = TEXT[lang]
    period = data["period"]
    return {
        "lang": lang,
        "t": t,
        "title": _title(data["project"], lang),
        "subtitle": (
            t["subtitle"] if period["label"][:4].isdigit() and "–" not in period["label"] else t["range"]
        ).format(
            period=period["label"],
            start=format_date(period["start"], lang),
            end=format_date(period["end"], lang),
            made=format_date(data["made"], lang),
        ),
        "sections": parts,
        "head": f"{data['chain']['seq']}:{data['chain']['hash'][:16]}",
    }


def render_report(data: Mapping[str, Any], *, fmt: str, lang: str, workspace: Path | None) -> str | bytes:
    """The report as Markdown or HTML text, or PDF or DOCX bytes."""
    if fmt not in REPORT_FORMATS or fmt == "json":
        raise InvalidInput(
            _("--format '{format}' is not one of: {formats}").format(format=fmt, formats=", ".join(REPORT_FORMATS))
        )
    parts = sections(data, lang)
    context = _context(data, lang, parts)
    if fmt == "md":
        return render("report.md.j2", context, workspace)
    if fmt == "docx":
        return report_docx(context, _charts(data, parts, lang=lang, fmt="png"))
    charts = _charts(data, parts, lang=lang, fmt="svg")
    context["charts"] = {name: _inline_svg(svg) for name, svg in charts.items()}
    html = render("report.html.j2", context, workspace)
    if fmt == "html":
        return html
    from coordkit.render.pdf import html_to_pdf

    return html_to_pdf(html, lang=lang, workspace=workspace)


def _inline_svg(svg: bytes) -> str:
    """The SVG element itself (no XML declaration or DOCTYPE), to place inside the HTML."""
    text = svg.decode("utf-8")
    return text[text.index("<svg") :]


def report_docx(context: Mapping[str, Any], charts: Mapping[str, bytes]) -> bytes:
    """The report as a Word/WPS document (python-docx), with the Chinese fonts and language tags of the
    agreements (``render.docx``) and the chain head in every page's header."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from coordkit.render.docx import _FONTS, _east_asian_fonts, _font_table, _rewrite, a4_document, set_languages

    t, lang = context["t"], context["lang"]
    doc = a4_document(
        header=f"{context['title']} · {context['head']}",
        page=t["page"],
        of=t["of"],
        lang=lang,
        margins_mm=(18, 20, 18),
        font_pt=10,
    )
    doc.add_paragraph(context["title"], style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(context["subtitle"], style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in context["sections"]:
        doc.add_paragraph(part.heading, style="Heading 1")
        doc.add_paragraph(part.intro)
        if part.chart and part.chart in charts:
            doc.add_picture(io.BytesIO(charts[part.chart]), width=Mm(150 if part.chart == "map" else 170))
        for table in part.tables:
            if not table.rows:
                doc.add_paragraph(t["none"])
                continue
            grid = doc.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
                cell.paragraphs[0].add_run(text).bold = True
            for values in table.rows:
                for cell, text in zip(grid.add_row().cells, values, strict=True):
                    cell.text = text
            doc.add_paragraph()
        if part.after:
            doc.add_paragraph(part.after)
    _east_asian_fonts(doc.styles.element)
    set_languages(doc, lang)
    out = io.BytesIO()
    doc.save(out)
    return _rewrite(out.getvalue(), {_FONTS: _font_table})
