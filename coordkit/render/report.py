"""The evaluation report as Markdown or HTML (and PDF from the HTML): one list of blocks, two writers.

Headings are in the report's language (``--lang``), not the terminal's: a report in Chinese for the funder is
written the same whatever language the coordinator's terminal speaks.
"""

from __future__ import annotations

import html
from typing import Any

TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Evaluation report",
        "period": "Period",
        "whole": "the whole project",
        "parties": "1. Parties and the power/interest map",
        "unrated": "Not rated on both axes",
        "matrix": "2. Responsibility matrix",
        "agreements": "3. Agreements",
        "meetings": "4. Joint meetings and actions",
        "concerns": "5. Concerns",
        "audit": "6. Audit",
        "party_columns": ("party", "influence", "interest", "engagement"),
        "matrix_rows": (
            ("duties", "Duties"),
            ("parties", "Parties in the matrix"),
            ("duties_with_findings", "Duties with open findings"),
        ),
        "finding": "Findings on {on}",
        "agreement_columns": ("agreement", "version", "title", "status", "signatures", "fingerprint"),
        "meeting_rows": (
            ("held", "Meetings held"),
            ("signed_off", "Minutes signed off"),
            ("actions", "Actions agreed"),
            ("open_actions", "Actions still open"),
        ),
        "concern_rows": (
            ("opened", "Opened in the period"),
            ("resolved", "Resolved in the period"),
            ("open", "Open now"),
            ("median_days_to_resolve", "Median days to resolve"),
            ("mean_satisfaction", "Mean satisfaction (1-5)"),
        ),
        "head": "Head of the audit chain: {head}. `coord verify` checks these figures' store against it.",
        "none": "none",
        "figure_columns": ("", "figure"),
    },
    "zh": {
        "title": "评估报告",
        "period": "评估期间",
        "whole": "项目全程",
        "parties": "一、参与各方与权力/利益方格",
        "unrated": "影响力和关注度未评齐",
        "matrix": "二、职责分工矩阵",
        "agreements": "三、合作协议",
        "meetings": "四、联席会议与行动事项",
        "concerns": "五、意见与诉求",
        "audit": "六、审计",
        "party_columns": ("单位", "影响力", "关注度", "参与策略"),
        "matrix_rows": (
            ("duties", "职责数"),
            ("parties", "矩阵中的单位数"),
            ("duties_with_findings", "存在未解决问题的职责数"),
        ),
        "finding": "{on} 的检查结果",
        "agreement_columns": ("协议", "版本", "标题", "状态", "签署", "指纹"),
        "meeting_rows": (
            ("held", "召开会议数"),
            ("signed_off", "纪要已确认数"),
            ("actions", "议定行动事项数"),
            ("open_actions", "尚未完成的行动事项数"),
        ),
        "concern_rows": (
            ("opened", "期间内提出"),
            ("resolved", "期间内解决"),
            ("open", "目前未解决"),
            ("median_days_to_resolve", "解决所需天数（中位数）"),
            ("mean_satisfaction", "平均满意度（1-5）"),
        ),
        "head": "审计链头哈希：{head}。可用 `coord verify` 核对本报告所依据的数据。",
        "none": "无",
        "figure_columns": ("", "数值"),
    },
}

STATUS_ZH = {
    "draft": "草稿",
    "circulating": "传签中",
    "signed": "已签署",
    "superseded": "已被取代",
    "terminated": "已终止",
}

Block = tuple[str, Any]  # ("h1" | "h2" | "p", text), ("table", (headers, rows)) or ("map", grid rows)


def map_svg(rows: list[dict[str, Any]], lang: str) -> str:
    """The power/interest map of the report's parties, drawn by coordkit.render.grid (names as in the table)."""
    from coordkit.render.grid import GridPoint, render_grid

    points = [GridPoint(r["key"], r["name"], None, r["influence"], r["interest"]) for r in rows]
    drawn = render_grid(points, lang=lang, fmt="svg")
    assert isinstance(drawn, str)
    return drawn[drawn.index("<svg") :]  # inline: without the XML declaration and doctype


def _figure(value: Any, none: str) -> str:
    return none if value is None else str(value)


def _parties(report: dict[str, Any], t: dict[str, Any], lang: str) -> list[Block]:
    out: list[Block] = [("h2", t["parties"])]
    rows = [(r["name"], r["influence"], r["interest"], r["engagement"]) for r in report["parties"]]
    out.append(("table", (t["party_columns"], rows)))
    if report["parties"]:
        out.append(("map", report["parties"]))
    if report["unrated"]:
        out.append(("p", f"{t['unrated']}: {', '.join(report['unrated'])}"))
    return out


def _matrix(report: dict[str, Any], t: dict[str, Any], lang: str) -> list[Block]:
    m = report["matrix"]
    found = ", ".join(f"{rule} {count}" for rule, count in m["findings"].items()) or t["none"]
    return [
        ("h2", t["matrix"]),
        ("table", (t["figure_columns"], [(label, m[key]) for key, label in t["matrix_rows"]])),
        ("p", t["finding"].format(on=report["on"]) + ": " + found),
    ]


def _agreements(report: dict[str, Any], t: dict[str, Any], lang: str) -> list[Block]:
    rows = [
        (
            a["key"],
            a["version"],
            a["title"],
            STATUS_ZH.get(a["status"], a["status"]) if lang == "zh" else a["status"],
            f"{a['signatures']}/{a['parties']}",
            a["fingerprint"] or "",
        )
        for a in report["agreements"]
    ]
    return [("h2", t["agreements"]), ("table", (t["agreement_columns"], rows))]


def _meetings(report: dict[str, Any], t: dict[str, Any], lang: str) -> list[Block]:
    mt = report["meetings"]
    return [("h2", t["meetings"]), ("table", (t["figure_columns"], [(label, mt[k]) for k, label in t["meeting_rows"]]))]


def _concerns(report: dict[str, Any], t: dict[str, Any], lang: str) -> list[Block]:
    c = report["concerns"]
    rows = [(label, _figure(c[key], t["none"])) for key, label in t["concern_rows"]]
    return [("h2", t["concerns"]), ("table", (t["figure_columns"], rows))]


def _audit(report: dict[str, Any], t: dict[str, Any], lang: str) -> list[Block]:
    return [("h2", t["audit"]), ("p", t["head"].format(head=report["audit_head"]))]


# The report's sections in order, one function each (report data, the language's TEXT, lang → blocks).
# Obligation fulfilment and reviews (issue 16, built on another branch) go in here as their own functions,
# with their figures added to coordkit.services.report.build_report and their headings to TEXT.
SECTIONS = (_parties, _matrix, _agreements, _meetings, _concerns, _audit)


def blocks(report: dict[str, Any], lang: str) -> list[Block]:
    t = TEXT[lang]
    period = f"{report['from']} – {report['to']}" if report["from"] or report["to"] else t["whole"]
    out: list[Block] = [("h1", f"{t['title']} · {report['project']}"), ("p", f"{t['period']}: {period}")]
    for section in SECTIONS:
        out += section(report, t, lang)
    return out


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: dict[str, Any], lang: str) -> str:
    lines: list[str] = []
    for kind, content in blocks(report, lang):
        if kind == "h1":
            lines += [f"# {content}", ""]
        elif kind == "h2":
            lines += [f"## {content}", ""]
        elif kind == "p":
            lines += [content, ""]
        elif kind == "map":
            continue  # the table above says it in Markdown; HTML and PDF draw it
        else:
            headers, rows = content
            lines.append("| " + " | ".join(_md_cell(h) for h in headers) + " |")
            lines.append("|" + "---|" * len(headers))
            lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def to_html(report: dict[str, Any], lang: str) -> str:
    e = html.escape
    parts = [
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0}"
        "td,th{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}"
        "table{page-break-inside:avoid}h2{page-break-after:avoid}.map svg{width:100%;height:auto}</style></head><body>",
    ]
    for kind, content in blocks(report, lang):
        if kind in ("h1", "h2", "p"):
            parts.append(f"<{kind}>{e(str(content))}</{kind}>")
        elif kind == "map":
            parts.append(f'<div class="map">{map_svg(content, lang)}</div>')
        else:
            headers, rows = content
            parts.append("<table><tr>" + "".join(f"<th>{e(str(h))}</th>" for h in headers) + "</tr>")
            parts += ["<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in rows]
            parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def to_docx(report: dict[str, Any], lang: str) -> bytes:
    """The report as a Word document (python-docx): the same blocks, the map as a PNG picture."""
    import io

    from docx import Document
    from docx.shared import Mm

    from coordkit.render.docx import set_languages
    from coordkit.render.grid import GridPoint, render_grid

    document = Document()
    set_languages(document, lang)
    for kind, content in blocks(report, lang):
        if kind == "h1":
            document.add_heading(str(content), level=1)
        elif kind == "h2":
            document.add_heading(str(content), level=2)
        elif kind == "p":
            document.add_paragraph(str(content))
        elif kind == "map":
            points = [GridPoint(r["key"], r["name"], None, r["influence"], r["interest"]) for r in content]
            picture = render_grid(points, lang=lang, fmt="png")
            assert isinstance(picture, bytes)
            document.add_picture(io.BytesIO(picture), width=Mm(160))
        else:
            headers, rows = content
            table = document.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, headers, strict=True):
                cell.text = str(header)
            for row in rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = str(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
