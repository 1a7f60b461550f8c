"""The power/interest map (Mendelow's grid): where each party sits and how to engage it.

Influence runs up the vertical axis and interest along the horizontal one, both
rated 1–5. **3 counts as high**: a party rated "medium" can still stop a
community project (a neighbourhood committee that merely withholds its notice
board), and the mistake the grid exists to prevent is neglecting such a party;
keeping a middling party informed costs a phone call. So levels 1–2 are low,
3–5 high, and the dividing lines are drawn at 2.5, where the classification
changes, never through the middle of a level.

The Chinese quadrant names are those of the Chinese PMBOK guide's
权力/利益方格 (重点管理, 令其满意, 随时告知) that coordinators meet in training,
except the fourth: PMBOK's 监督 reads as oversight by an authority, and a chart
that puts the street office in a "监督" box says something nobody meant, so it is
保持关注 ("keep an eye on").

matplotlib draws the map (imported inside :func:`render_grid`: it takes about
half a second to import); SVG keeps text as text and wraps each party in a
group whose ``id`` is ``party-<key>``, each quadrant in ``quadrant-<name>``.
"""

from __future__ import annotations

import html
import io
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coordkit.errors import CoordError, InvalidInput
from coordkit.i18n import _

GRID_FORMATS = ("svg", "png", "pdf", "html", "table")
LOW, HIGH = range(1, 3), range(3, 6)
SPLIT = 2.5  # between the highest "low" level (2) and the lowest "high" level (3)
QUADRANTS = ("manage-closely", "keep-satisfied", "keep-informed", "monitor")

ENGAGEMENT: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "manage-closely": ("Manage closely", "involve in decisions, meet regularly"),
        "keep-satisfied": ("Keep satisfied", "consult on what touches their remit, report briefly"),
        "keep-informed": ("Keep informed", "report progress regularly, listen to their feedback"),
        "monitor": ("Monitor", "least effort; watch for changes in influence or interest"),
    },
    "zh": {
        "manage-closely": ("重点管理", "共同决策，定期会商"),
        "keep-satisfied": ("令其满意", "涉及其职责时征求意见，汇报简明扼要"),
        "keep-informed": ("随时告知", "定期通报进展，听取意见反馈"),
        "monitor": ("保持关注", "投入最少精力，留意其影响力或关注度的变化"),
    },
}

TEXT = {
    "en": {
        "title": "Stakeholder map: influence and interest",
        "influence": "Influence",
        "interest": "Interest",
        "low": "low",
        "high": "high",
        "rule": "Ratings 1–5; 3 and above count as high.",
        "moved": "Arrows start at the earlier rating.",
        "moved_since": "Arrows start at the rating of {date}.",
        "name": "Stakeholder",
        "quadrant": "Engagement",
        "previous": "Earlier",
        "none": "No stakeholder has both influence and interest rated.",
        "join": " ",
    },
    "zh": {
        "title": "利益相关方地图：影响力与关注度",
        "influence": "影响力",
        "interest": "关注度",
        "low": "低",
        "high": "高",
        "rule": "评分1–5，3分及以上为高。",
        "moved": "箭头起点为此前的评分。",
        "moved_since": "箭头起点为{date}的评分。",
        "name": "利益相关方",
        "quadrant": "应对策略",
        "previous": "此前",
        "none": "没有同时评定影响力和关注度的利益相关方。",
        "join": "",
    },
}

# Soft fills that print well in grey, and a darker tone of each for the dots.
FILLS = {"manage-closely": "#F6D3CF", "keep-satisfied": "#FBE7C6", "keep-informed": "#D5E8F6", "monitor": "#E6EAEE"}
DOTS = {"manage-closely": "#A93226", "keep-satisfied": "#AF6E0C", "keep-informed": "#1F618D", "monitor": "#566573"}

# No dates or versions in the files: the same map gives the same bytes.
METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {"Software": None},
}

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)


def heavy(lang: str) -> str:
    """The weight of a chart's headings: bold in English; in Chinese the regular 黑体 (sans) face, as Chinese
    documents set headings (GB/T 9704), which also spares a PDF that inlines the chart a third CJK face to load
    (each costs about 50 MB while WeasyPrint embeds it)."""
    return "normal" if lang == "zh" else "bold"


# Figure geometry, fixed so the layout can budget label widths in points.
FIG_W, FIG_H = 11.0, 8.5  # inches: landscape, prints on A4 or Letter
AX_RECT = (0.075, 0.1, 0.9, 0.8)  # left, bottom, width, height (fractions of the figure)
X_LIM = (0.5, 5.5)
Y_LIM = (-0.15, 6.15)  # 0.5–5.5 holds the levels; the bands above and below name the quadrants
PT_PER_X = FIG_W * AX_RECT[2] * 72 / (X_LIM[1] - X_LIM[0])  # about 143 pt per level
PT_PER_Y = FIG_H * AX_RECT[3] * 72 / (Y_LIM[1] - Y_LIM[0])  # about 78 pt per level
ROWS_PER_COLUMN = 6  # at 78 pt per level, 6 stacked labels are 11 pt apart: 8 pt text stays clear


@dataclass(frozen=True)
class GridPoint:
    """One party on the map; ``previous`` is its (influence, interest) at an earlier date, if it moved."""

    key: str
    name: str
    name_zh: str | None
    influence: int
    interest: int
    previous: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        for value in (self.influence, self.interest, *(self.previous or ())):
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                raise InvalidInput(
                    _("stakeholder '{key}': influence and interest are rated 1 to 5, not {value}").format(
                        key=self.key, value=repr(value)
                    )
                )

    def label(self, lang: str) -> str:
        return (self.name_zh or self.name) if lang == "zh" else self.name


@dataclass(frozen=True)
class Placed:
    """Where a point is drawn and how its label sits (``below`` a lone point, else to the right)."""

    point: GridPoint
    x: float
    y: float
    text: str
    size: float
    below: bool


def quadrant(influence: int, interest: int) -> str:
    """``manage-closely`` (high/high), ``keep-satisfied`` (high influence, low interest),
    ``keep-informed`` (low influence, high interest) or ``monitor``; 3 counts as high."""
    high_influence, high_interest = influence >= HIGH.start, interest >= HIGH.start
    if high_influence:
        return "manage-closely" if high_interest else "keep-satisfied"
    return "keep-informed" if high_interest else "monitor"


def engagement(name: str, lang: str) -> tuple[str, str]:
    """The quadrant's name and what to do, in ``lang`` (``重点管理``, ``共同决策，定期会商``)."""
    return ENGAGEMENT[_check_lang(lang)][name]


def grid_points(
    stakeholders: Iterable[Mapping[str, Any]], previous: Mapping[str, tuple[int, int]] | None = None
) -> tuple[list[GridPoint], list[str]]:
    """Points for the stakeholders rated on both axes, and the keys of those that are not (to report)."""
    points, unrated = [], []
    earlier = previous or {}
    for item in stakeholders:
        if item.get("influence") is None or item.get("interest") is None:
            unrated.append(str(item["key"]))
            continue
        before = earlier.get(item["key"])
        moved = before if before and tuple(before) != (item["influence"], item["interest"]) else None
        points.append(
            GridPoint(
                key=item["key"],
                name=item["name"],
                name_zh=item.get("name_zh"),
                influence=item["influence"],
                interest=item["interest"],
                previous=moved,
            )
        )
    return points, unrated


def grid_rows(points: Sequence[GridPoint], *, lang: str = "en") -> list[dict[str, Any]]:
    """The map as rows (most important quadrant first, then by influence and interest, highest first)."""
    _check_lang(lang)
    order = {name: index for index, name in enumerate(QUADRANTS)}
    rows: list[dict[str, Any]] = []
    for p in points:
        where = quadrant(p.influence, p.interest)
        name, action = engagement(where, lang)
        rows.append(
            {
                "key": p.key,
                "name": p.label(lang),
                "influence": p.influence,
                "interest": p.interest,
                "quadrant": where,
                "engagement": name,
                "action": action,
                "previous_influence": p.previous[0] if p.previous else None,
                "previous_interest": p.previous[1] if p.previous else None,
                "previous_quadrant": quadrant(*p.previous) if p.previous else None,
            }
        )
    rows.sort(key=lambda r: (order[r["quadrant"]], -r["influence"], -r["interest"], r["key"]))
    return rows


def text_width(text: str, size: float) -> float:
    """Width in points, estimated: a Chinese character is one em, a Latin letter about 0.6 em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6) for ch in text)


def fit(text: str, budget: float, size: float, lines: int = 1) -> str:
    """``text`` in at most ``lines`` lines of ``budget`` points, ending in "…" when cut.

    Latin text breaks between words, Chinese between any two characters (it has no spaces).
    """
    out: list[str] = []
    rest = text.strip()
    while text_width(rest, size) > budget and len(out) < lines - 1:
        head, rest = _take_line(rest, budget, size)
        out.append(head)
    if text_width(rest, size) > budget:
        rest = _cut(rest, budget, size)
    return "\n".join([*out, rest])


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _take_line(text: str, budget: float, size: float) -> tuple[str, str]:
    """The longest head of ``text`` that fits and ends where a line may break, and the rest."""
    best = 0
    for end in range(1, len(text)):
        if text_width(text[:end], size) > budget:
            break
        if text[end] == " " or _wide(text[end]) or _wide(text[end - 1]):
            best = end
    if best == 0:  # one word longer than the line: cut it
        best = max(1, len(_cut(text, budget, size)) - 1)
    return text[:best].rstrip(), text[best:].lstrip()


def _cut(text: str, budget: float, size: float) -> str:
    while text and text_width(text + "…", size) > budget:
        text = text[:-1]
    return text.rstrip() + "…"


def layout(points: Sequence[GridPoint], *, lang: str = "en") -> list[Placed]:
    """Spread parties that share a level pair so neither dots nor labels pile up.

    A lone party sits on its exact level with its name below (up to 2 lines, one
    level wide, about 26 Latin letters or 17 Chinese characters a line). Parties
    sharing a spot are stacked in the level's square, sorted by key, 6 to a
    column, name to the right of the dot; each stays inside its own quadrant.
    """
    by_spot: dict[tuple[int, int], list[GridPoint]] = defaultdict(list)
    for p in points:
        by_spot[(p.interest, p.influence)].append(p)
    placed = []
    for (interest, influence), group in sorted(by_spot.items()):
        group = sorted(group, key=lambda p: p.key)
        if len(group) == 1:
            p = group[0]
            text = fit(p.label(lang), 0.95 * PT_PER_X, 8.5, lines=2)
            placed.append(Placed(p, float(interest), float(influence), text, 8.5, True))
            continue
        columns = math.ceil(len(group) / ROWS_PER_COLUMN)
        rows = math.ceil(len(group) / columns)
        size = 8.0 if columns == 1 else 7.0
        width = 0.9 / columns
        pitch = 0.84 / rows
        for index, p in enumerate(group):
            column, row = divmod(index, rows)
            x = interest - 0.42 + column * width
            y = influence + 0.42 - (row + 0.5) * pitch
            text = fit(p.label(lang), (width - 0.1) * PT_PER_X, size)
            placed.append(Placed(p, x, y, text, size, False))
    return placed


def find_cjk_font(known: Iterable[str], fontconfig: Sequence[str]) -> str | None:
    """The first preferred Chinese family matplotlib knows, else any family fontconfig lists for Chinese."""
    names = set(known)
    for family in CJK_FAMILIES:
        if family in names:
            return family
    return next((family for family in fontconfig if family in names and "Mono" not in family), None)


def cjk_font() -> str:
    """A family that draws Chinese; without one every name would be a row of empty boxes."""
    from matplotlib import font_manager

    from coordkit.render.pdf import CJK_PACKAGE, cjk_fonts

    family = find_cjk_font((f.name for f in font_manager.fontManager.ttflist), cjk_fonts())
    if family is None:
        raise CoordError(
            _(
                "drawing Chinese names needs a CJK font and none is installed; "
                "install one (Debian/Ubuntu: apt-get install {package}) and try again"
            ).format(package=CJK_PACKAGE)
        )
    return family


def render_grid(
    points: Sequence[GridPoint],
    *,
    lang: str = "en",
    fmt: str = "svg",
    title: str | None = None,
    since: str | None = None,
) -> bytes | str | list[dict[str, Any]]:
    """The map as SVG or HTML (str), PNG or PDF (bytes), or ``table`` rows (list of dicts).

    ``since`` (an ISO date) names when the earlier ratings, where arrows start, were valid.
    """
    _check_lang(lang)
    if fmt not in GRID_FORMATS:
        raise InvalidInput(
            _("--format '{fmt}' is not one of: {formats}").format(fmt=fmt, formats=", ".join(GRID_FORMATS))
        )
    if fmt == "table":
        return grid_rows(points, lang=lang)
    heading = title or TEXT[lang]["title"]
    if fmt == "html":
        svg = _draw(points, lang=lang, fmt="svg", title=heading, since=since)
        return _html(svg.decode("utf-8"), grid_rows(points, lang=lang), lang=lang, title=heading)
    drawn = _draw(points, lang=lang, fmt=fmt, title=heading, since=since)
    return drawn.decode("utf-8") if fmt == "svg" else drawn


def _check_lang(lang: str) -> str:
    if lang not in ENGAGEMENT:
        raise InvalidInput(_("--lang '{lang}' is not one of: en, zh").format(lang=lang))
    return lang


def _draw(points: Sequence[GridPoint], *, lang: str, fmt: str, title: str, since: str | None) -> bytes:
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, Rectangle

    from coordkit.render.i18n import format_date
    from coordkit.render.pdf import has_cjk

    t = TEXT[lang]
    placed = layout(points, lang=lang)
    texts = [title, *(p.text for p in placed)]
    families = ["DejaVu Sans"]
    if lang == "zh" or any(has_cjk(text) for text in texts):
        families = [cjk_font(), "DejaVu Sans"]
    settings: Any = {
        "font.family": families,
        "svg.fonttype": "none",  # text stays text: searchable, selectable, translatable
        "svg.hashsalt": "coordkit-grid",  # clip-path ids are hashes: the same map gives the same file
        "pdf.fonttype": 42,  # TrueType in the PDF, so its text can be read back and searched
        "axes.unicode_minus": False,
    }
    with rc_context(settings):
        fig = Figure(figsize=(FIG_W, FIG_H))
        ax = fig.add_axes(AX_RECT)
        ax.set_xlim(*X_LIM)
        ax.set_ylim(*Y_LIM)
        bounds = {
            "keep-satisfied": (X_LIM[0], SPLIT, SPLIT, Y_LIM[1]),
            "manage-closely": (SPLIT, X_LIM[1], SPLIT, Y_LIM[1]),
            "monitor": (X_LIM[0], SPLIT, Y_LIM[0], SPLIT),
            "keep-informed": (SPLIT, X_LIM[1], Y_LIM[0], SPLIT),
        }
        for name, (x0, x1, y0, y1) in bounds.items():
            patch = Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=FILLS[name], edgecolor="none", zorder=0)
            patch.set_gid(f"quadrant-{name}")
            ax.add_patch(patch)
            heading, action = engagement(name, lang)
            top = y1 == Y_LIM[1]
            band_y = (5.5 + Y_LIM[1]) / 2 if top else (Y_LIM[0] + 0.5) / 2
            ax.text(
                (x0 + x1) / 2,
                band_y + 0.06,
                heading,
                ha="center",
                va="bottom",
                fontsize=12,
                fontweight=heavy(lang),
                color=DOTS[name],
                zorder=1,
            )
            ax.text((x0 + x1) / 2, band_y - 0.04, action, ha="center", va="top", fontsize=8.5, color="#333333")
        for level in (1.5, 3.5, 4.5):
            ax.axvline(level, color="white", linewidth=1.2, zorder=0.5)
            ax.axhline(level, color="white", linewidth=1.2, zorder=0.5)
        for level in (0.5, 5.5):
            ax.axhline(level, color="white", linewidth=1.2, zorder=0.5)
        ax.axvline(SPLIT, color="#5D6D7E", linewidth=1.4, zorder=0.6)
        ax.axhline(SPLIT, color="#5D6D7E", linewidth=1.4, zorder=0.6)
        ax.set_xticks([1, 2, 3, 4, 5])
        ax.set_yticks([1, 2, 3, 4, 5])
        ax.tick_params(length=0, labelsize=10, labelcolor="#333333")
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel(f"{t['interest']}  ({t['low']} → {t['high']})", fontsize=11)
        ax.set_ylabel(f"{t['influence']}  ({t['low']} → {t['high']})", fontsize=11)
        ax.set_title(title, fontsize=15, fontweight=heavy(lang), loc="left", pad=12)
        where = {p.point.key: (p.x, p.y) for p in placed}
        for item in placed:
            p = item.point
            if p.previous is None:
                continue
            start = (float(p.previous[1]), float(p.previous[0]))
            end = where[p.key]
            # Bow the arrow upwards (labels hang below the dots); a vertical move bows to the right.
            bow = -0.2 if end[0] > start[0] else 0.2 if end[0] < start[0] else (-0.2 if end[1] > start[1] else 0.2)
            ghost = ax.plot(*start, marker="o", linestyle="none", markersize=7, markerfacecolor="white", zorder=2)[0]
            ghost.set_markeredgecolor("#7F8C8D")
            ghost.set_gid(f"previous-{p.key}")
            arrow = FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=12,
                color="#7F8C8D",
                linewidth=1.2,
                shrinkA=4,
                shrinkB=5,
                connectionstyle=f"arc3,rad={bow}",
                zorder=2,
            )
            ax.add_patch(arrow)
            arrow.set_gid(f"move-{p.key}")
        for item in placed:
            p = item.point
            where_is = quadrant(p.influence, p.interest)
            colour = DOTS[where_is]
            dot = ax.plot(
                item.x,
                item.y,
                marker="o",
                linestyle="none",
                markersize=8,
                color=colour,
                markeredgecolor="white",
                zorder=3,
            )[0]
            dot.set_gid(f"party-{p.key}")
            if item.below:
                offset, ha, va = (0, -7), "center", "top"
            else:
                offset, ha, va = (6, 0), "left", "center"
            caption = ax.annotate(
                item.text,
                (item.x, item.y),
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=item.size,
                color="#1C2833",
                linespacing=1.1,
                zorder=4,
                # The quadrant's own colour behind the name: arrows pass under labels, not through them.
                bbox={"boxstyle": "round,pad=0.12", "facecolor": FILLS[where_is], "edgecolor": "none", "alpha": 0.9},
            )
            caption.set_gid(f"label-{p.key}")
        notes = [t["rule"]]
        if any(p.previous for p in points):
            notes.append(t["moved_since"].format(date=format_date(since, lang)) if since else t["moved"])
        if not points:
            notes.append(t["none"])
        fig.text(AX_RECT[0], 0.025, t["join"].join(notes), fontsize=9, color="#555555")
        out = io.BytesIO()
        metadata = METADATA[fmt] | ({"Title": title} if fmt in ("pdf", "svg") else {})
        fig.savefig(out, format=fmt, dpi=150, metadata=metadata)
    return out.getvalue()


def _html(svg: str, rows: list[dict[str, Any]], *, lang: str, title: str) -> str:
    """A self-contained page: the map (inline SVG, no fetches) with the table of parties beside it."""
    t = TEXT[lang]
    start = svg.find("<svg")
    inline = svg[start:]
    body = []
    for row in rows:
        earlier = (
            f"{row['previous_influence']} / {row['previous_interest']}" if row["previous_influence"] is not None else ""
        )
        body.append(
            "<tr>"
            f"<td>{html.escape(row['name'])}</td>"
            f"<td class=n>{row['influence']}</td><td class=n>{row['interest']}</td>"
            f"<td class=n>{earlier}</td>"
            f'<td><span class="q {row["quadrant"]}">{html.escape(row["engagement"])}</span></td>'
            "</tr>"
        )
    swatches = "".join(f".q.{name}{{background:{FILLS[name]};color:{DOTS[name]}}}" for name in QUADRANTS)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',"
        "sans-serif;margin:1.5em;color:#1c2833}"
        ".page{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
        ".map{flex:3 1 40em}.map svg{width:100%;height:auto}"
        "table{flex:1 1 18em;border-collapse:collapse;font-size:.9em}"
        "th,td{border-bottom:1px solid #d5d8dc;padding:.3em .5em;text-align:left}"
        "td.n{text-align:center}.q{padding:.1em .4em;border-radius:.3em;white-space:nowrap}"
        f"{swatches}</style>\n</head>\n<body>\n"
        f'<div class="page">\n<div class="map">{inline}</div>\n'
        f"<table>\n<thead><tr><th>{t['name']}</th><th>{t['influence']}</th><th>{t['interest']}</th>"
        f"<th>{t['previous']}</th><th>{t['quadrant']}</th></tr></thead>\n"
        f"<tbody>\n{chr(10).join(body)}\n</tbody>\n</table>\n</div>\n</body>\n</html>\n"
    )
