"""The evaluation report as Markdown, HTML, PDF or DOCX, in English or Chinese (项目评估报告).

The report is a list of sections, each a heading, a few sentences with the
figures, tables and the charts that go with them; the formats lay out that one
list, so a figure is the same number in every format (the tests read each back).
Charts are drawn where a reader would rather look than read: the
power/interest map of the parties, each party's fulfilment of what fell due,
the review scores per area and the concerns opened and settled per month
(matplotlib through one helper, ``_chart``: SVG in HTML and PDF, PNG in DOCX).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _
from coordkit.render.environment import render
from coordkit.render.grid import METADATA, heavy
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
        "fulfilment_by_party": "Fulfilment by party",
        "fulfilment_chart": "Occurrences due in the period, by party",
        "fulfilment_chart_top": "Occurrences due in the period: the {shown} parties with the most of {count}",
        "met": "Met",
        "partly": "Partly met",
        "missed": "Not met",
        "waived": "Waived",
        "scheduled": "No report yet",
        "due_in_period": "Due",
        "reviews": "5. Partnership reviews",
        "reviews_intro": (
            "{count} partnership review(s) opened in the period, {closed} of them closed; {ratings} rating(s) "
            "from 1 (poor) to 5 (excellent), averaged per area over the parties that rated."
        ),
        "reviews_chart": "Average score per area (1–5), by review",
        "review": "Review",
        "review_agreement": "Agreement",
        "review_opened": "Opened",
        "closed": "Closed",
        "rated_by": "Parties",
        "communication": "Communication",
        "decision-making": "Decision-making",
        "resources": "Resources",
        "fulfilment": "Fulfilment",
        "trust": "Trust",
        "meetings": "6. Joint meetings and follow-up",
        "meetings_intro": (
            "{held} joint meeting(s) held in the period, {signed} of them signed off. Their {total} action(s): "
            "{done} done by {end}, {open} open, {overdue} of them overdue."
        ),
        "concerns": "7. Concerns",
        "concerns_intro": (
            "{opened} concern(s) opened and {resolved} resolved in the period; {still} open on {end}. "
            "Median time to resolve: {median}. Satisfaction at resolution: {satisfaction}."
        ),
        "chain": "8. Proof",
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
        "fulfilment_by_party": "各方履约情况",
        "fulfilment_chart": "评估期间到期的履约事项（按参与方）",
        "fulfilment_chart_top": "评估期间到期的履约事项：到期次数最多的 {shown} 个参与方（共 {count} 个）",
        "met": "已履行",
        "partly": "部分履行",
        "missed": "未履行",
        "waived": "免除",
        "scheduled": "尚无记录",
        "due_in_period": "到期",
        "reviews": "五、合作成效评估",
        "reviews_intro": (
            "评估期间启动合作成效评估 {count} 次，其中 {closed} 次已结束；各方共打分 {ratings} 项"
            "（1 分为差，5 分为优），下表为各评估方面的平均分。"
        ),
        "reviews_chart": "各评估方面的平均分（1–5 分）",
        "review": "评估编号",
        "review_agreement": "协议",
        "review_opened": "启动日期",
        "closed": "结束日期",
        "rated_by": "打分单位",
        "communication": "沟通协调",
        "decision-making": "共同决策",
        "resources": "资源保障",
        "fulfilment": "履约情况",
        "trust": "相互信任",
        "meetings": "六、联席会议与跟进",
        "meetings_intro": (
            "评估期间召开联席会议 {held} 次，其中 {signed} 次纪要已签发。会议确定的 {total} 项待办事项中，"
            "截至{end}已完成 {done} 项，未完成 {open} 项，其中逾期 {overdue} 项。"
        ),
        "concerns": "七、诉求处理",
        "concerns_intro": (
            "评估期间新增诉求 {opened} 件，办结 {resolved} 件；截至{end}尚未办结 {still} 件。"
            "办结用时中位数：{median}。办结时满意度：{satisfaction}。"
        ),
        "chain": "八、数据核验",
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
RULES_ZH = {
    "no-accountable": "缺少负责方（A）",
    "multiple-accountable": "负责方（A）不唯一",
    "multiple-responsible": "执行方（R）重复",
    "no-responsible": "缺少执行方（R）",
    "overloaded-stakeholder": "参与方职责过多",
    "no-contact-channel": "缺少联系方式",
    "conflicting-agreements": "协议之间相互冲突",
    "uncovered-duty": "职责未写入协议",
    "unsigned-party": "参与方尚未签署",
    "tampered-agreement": "协议内容被改动",
    "broken-history": "审计链断裂",
    "bad-evidence": "履约凭证与记录不符",
    "unbound-key": "签名密钥未绑定参与方",
    "expiring-agreement": "协议即将到期",
    "expired-agreement": "协议已到期",
    "overdue-obligation": "义务逾期未履行",
    "untranslated-term": "条款缺少中文文本",
    "tampered-minutes": "会议纪要被改动",
    "open-actions": "待办事项逾期未办结",
    "overdue-concern": "诉求逾期未办结",
    "no-joint-meeting": "联席会议间隔过长",
    "silent-party": "参与方长期未联络",
    "similar-duties": "疑似重复的职责",
    "contended-resource": "资源使用冲突",
    "overcommitted-budget": "预算承诺超额",
    "review-overdue": "合作成效评估逾期",
    "notice-date-near": "协议通知期限临近",
}
"""What each check is called in a Chinese report (the rule's key is what ``coord check --select`` takes; an evaluator
reads what it means). A rule not listed here is shown by its key."""
AREAS = ("communication", "decision-making", "resources", "fulfilment", "trust")  # services.reviews.AREAS
FULFILMENT_STATES = ("met", "partly", "missed", "waived", "scheduled")  # domain.report.FULFILMENT_STATES
CHART_PARTIES = 20  # the parties drawn in the fulfilment chart, most occurrences due first; the table has them all
CHART_REVIEWS = 6  # the latest review rounds drawn side by side per area; the table has them all
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
    charts: list[str] = field(default_factory=list)  # which charts go with it: map, fulfilment, reviews, concerns
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


def _rule(rule: str, lang: str) -> str:
    """A check's name as the reader reads it: its key in English, what it means in Chinese."""
    return RULES_ZH.get(rule, rule) if lang == "zh" else rule


def _subject(finding: Mapping[str, Any], lang: str) -> str:
    """What a finding is about, by name in the report's language (the Chinese one under zh, else the English one),
    with the date of an occurrence (``AGR-1/19 2024-07-31``); its key when it has no name."""
    name = (finding.get("subject_name_zh") if lang == "zh" else None) or finding.get("subject_name")
    if not name:
        return str(finding["subject"])
    _key, _space, day = str(finding["subject"]).partition(" ")
    if not day[:4].isdigit():
        return str(name)
    return f"{name}（{format_date(day, lang)}）" if lang == "zh" else f"{name} ({format_date(day, lang)})"


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
            charts=["map"] if any(p["influence"] is not None and p["interest"] is not None for p in parties) else [],
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
                    [[_rule(r["rule"], lang), severity[r["severity"]], str(r["count"])] for r in duty["by_rule"]],
                    "by-rule",
                ),
                Table(
                    [t["rule"], t["subject"], t["finding"]],
                    [[_rule(f["rule"], lang), _subject(f, lang), str(f["message"])] for f in listed],
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
    by_party = data["fulfilment_by_party"]
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
                    [t["party"], *(t[state] for state in FULFILMENT_STATES), t["due_in_period"]],
                    [
                        [
                            names.get(row["party"], row["party"]),
                            *(str(row[state]) for state in FULFILMENT_STATES),
                            str(row["due"]),
                        ]
                        for row in by_party
                    ],
                    "fulfilment-by-party",
                ),
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
                ),
            ],
            charts=["fulfilment"] if by_party else [],
        )
    )

    reviews = data["reviews"]
    out.append(
        Section(
            "reviews",
            t["reviews"],
            t["reviews_intro"].format(
                count=len(reviews),
                closed=sum(r["closed"] is not None for r in reviews),
                ratings=sum(r["ratings"] for r in reviews),
            ),
            [
                Table(
                    [t["review"], t["review_agreement"], t["review_opened"], t["closed"], t["rated_by"]]
                    + [t[area] for area in AREAS],
                    [
                        [
                            r["key"],
                            f"{r['agreement']} {(r['title_zh'] or r['title']) if lang == 'zh' else r['title']}",
                            format_date(r["opened"], lang),
                            format_date(r["closed"], lang),
                            str(r["parties"]),
                        ]
                        + [f"{r['by_area'][area]:.1f}" if area in r["by_area"] else "" for area in AREAS]
                        for r in reviews
                    ],
                    "reviews",
                )
            ],
            charts=["reviews"] if any(r["by_area"] for r in reviews) else [],
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
            charts=["concerns"] if concerns["opened"] or concerns["resolved"] else [],
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


def _chart(
    draw: Callable[[Any], None], *, name: str, lang: str, fmt: str, size: tuple[float, float], texts: Sequence[str]
) -> bytes:
    """One chart of the report (SVG or PNG), drawn by ``draw(axes)`` in the report's fonts: a Chinese family first
    under zh or when a label is Chinese (as the stakeholder map does), text kept as text in SVG, and ids hashed
    with a salt of the chart's own (``svg.hashsalt``), so the same figures give the same bytes and two charts
    inlined in one page never share an id."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from coordkit.render.pdf import has_cjk

    params: Any = {
        "svg.fonttype": "none",
        "svg.hashsalt": f"coordkit-report-{name}",
        "font.size": 8,
        "axes.unicode_minus": False,
    }
    if lang == "zh" or any(has_cjk(text) for text in texts):
        from coordkit.render.grid import cjk_font

        params["font.family"] = [cjk_font(), "DejaVu Sans"]
    with rc_context(params):
        figure = Figure(figsize=size, layout="constrained")
        axes = figure.add_subplot()
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        draw(axes)
        out = io.BytesIO()
        figure.savefig(out, format=fmt, dpi=160, metadata=METADATA[fmt])
    return out.getvalue()


CONCERNS_SIZE = (6.4, 2.4)  # inches, as every chart's size: known before it is drawn (``chart_size``)
REVIEWS_SIZE = (6.4, 2.9)


def fulfilment_size(parties: int) -> tuple[float, float]:
    """The fulfilment chart's size for ``parties`` bars: a line of 0.34 in per party."""
    return 6.4, 1.3 + 0.34 * parties


def concerns_chart(by_month: Sequence[Sequence[Any]], *, lang: str, fmt: str) -> bytes:
    """Concerns opened and resolved per month, side by side (SVG or PNG)."""
    t = TEXT[lang]

    def draw(axes: Any) -> None:
        from matplotlib.ticker import MaxNLocator

        months = [str(row[0]) for row in by_month]
        places = range(len(months))
        opened = axes.bar([x - 0.2 for x in places], [int(r[1]) for r in by_month], 0.4, label=t["opened"])
        resolved = axes.bar([x + 0.2 for x in places], [int(r[2]) for r in by_month], 0.4, label=t["resolved"])
        for bars, what, colour, column in ((opened, "opened", "#b0413e", 1), (resolved, "resolved", "#3e7cb0", 2)):
            for bar, row in zip(bars, by_month, strict=True):
                bar.set_color(colour)
                bar.set_gid(f"concerns:{row[0]}:{what}:{int(row[column])}")
        axes.set_xticks(list(places), months, rotation=45 if len(months) > 6 else 0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(frameon=False)

    return _chart(draw, name="concerns", lang=lang, fmt=fmt, size=CONCERNS_SIZE, texts=[])


FULFILMENT_COLOURS = {  # fill, and the colour of the count written on it
    "met": ("#3e8e5e", "white"),
    "partly": ("#e0a526", "#1c2833"),
    "missed": ("#b0413e", "white"),
    "waived": ("#9aa5b1", "#1c2833"),
    "scheduled": ("#d6e4f0", "#1c2833"),
}


def fulfilment_chart(rows: Sequence[Mapping[str, Any]], names: Mapping[str, str], *, lang: str, fmt: str) -> bytes:
    """Each party's occurrences due in the period as one bar, stacked met → partly → not met → waived → no report,
    the count written on each part; the ``CHART_PARTIES`` parties with the most due, first at the top. Each part
    carries ``fulfilment:PARTY:STATE:COUNT`` as its SVG id (the tests read the figures back from it)."""
    from coordkit.render.grid import fit

    t = TEXT[lang]
    shown = list(rows[:CHART_PARTIES])
    labels = [fit(names.get(row["party"], row["party"]), 170, 8, lines=2) for row in shown]
    widest = max((sum(row[state] for state in FULFILMENT_STATES) for row in shown), default=1)

    def draw(axes: Any) -> None:
        from matplotlib.ticker import MaxNLocator

        places = list(range(len(shown)))[::-1]  # the first row at the top
        left = [0] * len(shown)
        for state in FULFILMENT_STATES:
            values = [int(row[state]) for row in shown]
            fill, ink = FULFILMENT_COLOURS[state]
            bars = axes.barh(places, values, 0.62, left=left, label=t[state], color=fill, edgecolor="white")
            for bar, row, value in zip(bars, shown, values, strict=True):
                bar.set_gid(f"fulfilment:{row['party']}:{state}:{value}")
            # a count is written where its part is wide enough to hold it (about 4 % of the longest bar)
            written = [str(v) if v and v >= widest / 25 else "" for v in values]
            axes.bar_label(bars, labels=written, label_type="center", color=ink, fontsize=7)
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.set_yticks(places, labels)
        axes.tick_params(axis="y", length=0)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, widest * 1.02)
        title = (
            t["fulfilment_chart"]
            if len(rows) <= CHART_PARTIES
            else t["fulfilment_chart_top"].format(shown=len(shown), count=len(rows))
        )
        axes.set_title(title, loc="left", fontsize=9, fontweight=heavy(lang))
        axes.legend(
            ncols=len(FULFILMENT_STATES),
            loc="upper left",
            bbox_to_anchor=(0, -0.04 * 8 / len(shown) - 0.06),
            frameon=False,
            fontsize=7.5,
        )

    return _chart(draw, name="fulfilment", lang=lang, fmt=fmt, size=fulfilment_size(len(shown)), texts=labels)


REVIEW_COLOURS = ("#1f618d", "#5dade2", "#117a65", "#76d7c4", "#7d3c98", "#c39bd3")


def reviews_chart(reviews: Sequence[Mapping[str, Any]], *, lang: str, fmt: str) -> bytes:
    """The average score (1–5) of each area in each review round, the rounds side by side per area (the latest
    ``CHART_REVIEWS``), each average written on its bar. Each bar carries ``review:KEY:AREA:AVERAGE`` as its SVG id."""
    from coordkit.render.grid import fit

    t = TEXT[lang]
    shown = list(reviews[-CHART_REVIEWS:])
    legends = [
        fit(
            f"{r['key']} · " + str((r["title_zh"] or r["title"]) if lang == "zh" else r["title"] or r["agreement"]),
            200,
            7.5,
        )
        for r in shown
    ]
    areas = [t[area] for area in AREAS]

    def draw(axes: Any) -> None:
        step = 0.8 / max(len(shown), 1)
        for index, (review, legend) in enumerate(zip(shown, legends, strict=True)):
            scored = [(place, area) for place, area in enumerate(AREAS) if area in review["by_area"]]
            offset = (index - (len(shown) - 1) / 2) * step
            values = [float(review["by_area"][area]) for _place, area in scored]
            bars = axes.bar(
                [place + offset for place, _area in scored],
                values,
                step * 0.92,
                label=legend,
                color=REVIEW_COLOURS[index % len(REVIEW_COLOURS)],
            )
            for bar, (_place, area), value in zip(bars, scored, values, strict=True):
                bar.set_gid(f"review:{review['key']}:{area}:{value:.1f}")
            axes.bar_label(bars, labels=[f"{v:.1f}" for v in values], padding=1.5, fontsize=6.5)
        axes.set_xticks(range(len(AREAS)), areas)
        axes.set_ylim(0, 5.5)
        axes.set_yticks([1, 2, 3, 4, 5])
        axes.tick_params(axis="x", length=0)
        axes.set_title(t["reviews_chart"], loc="left", fontsize=9, fontweight=heavy(lang))
        axes.legend(ncols=min(len(shown), 2), loc="upper left", bbox_to_anchor=(0, -0.1), frameon=False, fontsize=7.5)

    return _chart(draw, name="reviews", lang=lang, fmt=fmt, size=REVIEWS_SIZE, texts=[*legends, *areas])


def _map(data: Mapping[str, Any], *, lang: str, fmt: str) -> bytes:
    from coordkit.render.grid import grid_points, render_grid

    points, _unrated = grid_points(data["parties"])
    drawn = render_grid(points, lang=lang, fmt=fmt, title=TEXT[lang]["map"])
    return drawn.encode("utf-8") if isinstance(drawn, str) else drawn  # type: ignore[return-value]


CHART_DATA = ("parties", "fulfilment_by_party", "reviews", "concerns")  # what of the report's data the charts read


def _charts(data: Mapping[str, Any], parts: Sequence[Section], *, lang: str, fmt: str) -> dict[str, bytes]:
    return draw_charts(data, [name for section in parts for name in section.charts], lang=lang, fmt=fmt)


def draw_charts(data: Mapping[str, Any], wanted: Sequence[str], *, lang: str, fmt: str) -> dict[str, bytes]:
    """The charts named in ``wanted`` (map, fulfilment, reviews, concerns) as SVG or PNG bytes, by name."""
    names = {p["key"]: _name(p, lang) for p in data["parties"]}
    draw: dict[str, Callable[[], bytes]] = {
        "map": lambda: _map(data, lang=lang, fmt=fmt),
        "fulfilment": lambda: fulfilment_chart(data["fulfilment_by_party"], names, lang=lang, fmt=fmt),
        "reviews": lambda: reviews_chart(data["reviews"], lang=lang, fmt=fmt),
        "concerns": lambda: concerns_chart(data["concerns"]["by_month"], lang=lang, fmt=fmt),
    }
    return {name: draw[name]() for name in wanted}


def charts_elsewhere(data: Mapping[str, Any], wanted: Sequence[str], lang: str, fmt: str) -> dict[str, bytes]:
    """``draw_charts`` in ``coordkit.background``'s second process (which speaks the reader's language: a refusal,
    such as no CJK font, reads as it would here), with the cyclic collector paused: the process ends after it
    (the demo's four charts, matplotlib's import included: 0.62 s → 0.60 s)."""
    from coordkit.collector import paused_collector

    with paused_collector():
        return draw_charts(data, wanted, lang=lang, fmt=fmt)


def chart_size(name: str, data: Mapping[str, Any]) -> tuple[float, float]:
    """A chart's size in inches, as ``draw_charts`` will draw it: it follows from the data, not the drawing."""
    if name == "map":
        from coordkit.render.grid import FIG_H, FIG_W

        return FIG_W, FIG_H
    if name == "fulfilment":
        return fulfilment_size(len(data["fulfilment_by_party"][:CHART_PARTIES]))
    return {"reviews": REVIEWS_SIZE, "concerns": CONCERNS_SIZE}[name]


def _points(inches: float) -> str:
    """A length in points as matplotlib writes it in an SVG's ``width``, ``height`` and ``viewBox``."""
    return f"{inches * 72:f}".rstrip("0").rstrip(".")


def chart_root(size: tuple[float, float]) -> str:
    """The opening ``<svg>`` tag matplotlib writes for a figure of ``size`` inches (``svg.fonttype`` none)."""
    width, height = (_points(inches) for inches in size)
    return (
        f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" version="1.1">'
    )


def chart_frame(name: str, size: tuple[float, float]) -> str:
    """What the PDF's HTML holds where a chart goes, while the chart is still being drawn: an inline ``<svg>``
    with the chart's own opening tag (so the template's CSS and the layout treat it as the chart), whose one
    ``<image>`` is the chart, fetched (``render.pdf.html_to_pdf``'s ``late``) once the pages are laid out."""
    from coordkit.render.fetcher import LATE

    width, height = (_points(inches) for inches in size)
    return f'{chart_root(size)}<image width="{width}" height="{height}" href="{LATE}{name}"/></svg>'


class Misframed(Exception):
    """A chart came out another size than its frame (``chart_size`` no longer says how it is drawn)."""


def _report_pdf(
    data: Mapping[str, Any], parts: Sequence[Section], context: dict[str, Any], *, lang: str, workspace: Path | None
) -> bytes:
    """The report as PDF, its charts drawn in a second process while this one lays out the pages.

    Measured on the demo project in Chinese (2 cores, the machine shared): drawing the four charts took 0.7 s
    (0.35 s of it importing matplotlib), importing WeasyPrint 0.5 s and laying out and drawing the pages 1.2 s,
    0.3 s of that for the charts inline in the HTML: the command took 2.8–3.3 s, one step after the other. Now
    ``coordkit.background``'s second process draws the charts while this one imports WeasyPrint and lays out
    the pages with a frame of each chart's size in its place (``chart_frame``); the charts are joined only to
    be drawn into the pages. A frame costs WeasyPrint less than the chart inline (the chart's 600 elements are
    not styled as HTML: 1.10 s → 1.01 s for the layout and drawing); the pages look the same at 60 dpi, pixel
    for pixel, and their text is the same. A chart that comes out another size than its frame is placed inline
    and the pages laid out again. The cyclic collector is paused throughout: WeasyPrint's boxes are many and
    short-lived (0.94 s → 0.85 s for the layout and drawing, 0.7 MB more at the peak). The command: 1.8 s.
    """
    from coordkit.background import Background
    from coordkit.render.pdf import html_to_pdf, prepare_pdf

    wanted = [name for section in parts for name in section.charts]
    if not wanted:  # nothing to draw: no second process
        return html_to_pdf(
            render("report.html.j2", context | {"charts": {}}, workspace), lang=lang, workspace=workspace
        )
    sizes = {name: chart_size(name, data) for name in wanted}
    roots = {name: chart_root(size) for name, size in sizes.items()}
    plain = {key: data[key] for key in CHART_DATA}
    charts: dict[str, bytes] = {}

    def drawn() -> dict[str, bytes]:
        from coordkit.render.fetcher import LATE

        charts.update(drawing.result())
        if any(not _inline_svg(svg).startswith(roots[name]) for name, svg in charts.items()):
            raise Misframed
        return {LATE + name: svg for name, svg in charts.items()}

    from coordkit.collector import paused_collector

    with paused_collector(), Background(charts_elsewhere, plain, wanted, lang, "svg") as drawing:
        prepare_pdf(lang)
        context["charts"] = {name: chart_frame(name, size) for name, size in sizes.items()}
        try:
            return html_to_pdf(render("report.html.j2", context, workspace), lang=lang, workspace=workspace, late=drawn)
        except Misframed:
            pass
    context["charts"] = {name: _inline_svg(svg) for name, svg in charts.items()}
    return html_to_pdf(render("report.html.j2", context, workspace), lang=lang, workspace=workspace)


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
    if fmt == "pdf":
        return _report_pdf(data, parts, context, lang=lang, workspace=workspace)
    charts = _charts(data, parts, lang=lang, fmt="svg")
    context["charts"] = {name: _inline_svg(svg) for name, svg in charts.items()}
    return render("report.html.j2", context, workspace)


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
        for chart in part.charts:
            if chart in charts:
                doc.add_picture(io.BytesIO(charts[chart]), width=Mm(150 if chart == "map" else 165))
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
