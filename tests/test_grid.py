"""The power/interest map: quadrants, the drawing read back (SVG parsed, PDF text, PNG header)."""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET

import pypdf
import pytest

from coordkit.errors import CoordError, InvalidInput
from coordkit.render import grid
from coordkit.render.grid import GridPoint, fit, grid_points, grid_rows, layout, quadrant, render_grid

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

POINTS = [
    GridPoint("street", "Liede Street Office", "猎德街道办事处", 5, 4, previous=(5, 2)),
    GridPoint("committee", "Liede Neighbourhood Committee", "猎德社区居委会", 4, 5),
    GridPoint("sw", "Liede Social Work Station", "猎德社工站", 3, 3),
    GridPoint("property", "Huajing Property Management", "华景物业", 3, 2),
    GridPoint("merchants", "Liede Merchants Association", "猎德商户联盟", 2, 4),
    GridPoint("volunteers", "Liede Volunteer Team", None, 2, 3),
    GridPoint("school", "Liede Primary School", "猎德小学", 1, 2),
    GridPoint("clinic", "Community Health Centre", "社区卫生服务中心", 1, 2),
    GridPoint("library", "Tianhe Library", "天河图书馆", 1, 2),
    GridPoint("residents", "Residents' Representatives", "居民代表", 1, 5, previous=(1, 3)),
]


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (5, 5, "manage-closely"),
        (3, 3, "manage-closely"),  # 3 counts as high on both axes
        (3, 2, "keep-satisfied"),
        (5, 1, "keep-satisfied"),
        (2, 3, "keep-informed"),
        (1, 5, "keep-informed"),
        (2, 2, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_quadrant(influence: int, interest: int, expected: str) -> None:
    assert quadrant(influence, interest) == expected


def test_engagement_names_in_both_languages() -> None:
    assert [grid.engagement(q, "zh")[0] for q in grid.QUADRANTS] == ["重点管理", "令其满意", "随时告知", "保持关注"]
    assert [grid.engagement(q, "en")[0] for q in grid.QUADRANTS] == [
        "Manage closely",
        "Keep satisfied",
        "Keep informed",
        "Monitor",
    ]


def test_levels_outside_1_to_5_are_refused() -> None:
    with pytest.raises(InvalidInput, match=r"stakeholder 'x': influence and interest are rated 1 to 5, not 6"):
        GridPoint("x", "X", None, 6, 1)
    with pytest.raises(InvalidInput, match="not 0"):
        GridPoint("x", "X", None, 2, 2, previous=(0, 2))


def test_grid_points_skip_unrated_and_ignore_unchanged_previous() -> None:
    stakeholders = [
        {"key": "a", "name": "A", "name_zh": None, "influence": 4, "interest": 2},
        {"key": "b", "name": "B", "name_zh": "乙", "influence": None, "interest": 3},
        {"key": "c", "name": "C", "name_zh": None, "influence": 2, "interest": 5},
    ]
    points, unrated = grid_points(stakeholders, previous={"a": (4, 2), "c": (1, 1)})
    assert unrated == ["b"]
    assert points == [GridPoint("a", "A", None, 4, 2, None), GridPoint("c", "C", None, 2, 5, (1, 1))]


def test_table_rows() -> None:
    rows = render_grid(POINTS[:2] + POINTS[3:4], lang="zh", fmt="table")
    assert rows == [
        {
            "key": "street",
            "name": "猎德街道办事处",
            "influence": 5,
            "interest": 4,
            "quadrant": "manage-closely",
            "engagement": "重点管理",
            "action": "共同决策，定期会商",
            "previous_influence": 5,
            "previous_interest": 2,
            "previous_quadrant": "keep-satisfied",
        },
        {
            "key": "committee",
            "name": "猎德社区居委会",
            "influence": 4,
            "interest": 5,
            "quadrant": "manage-closely",
            "engagement": "重点管理",
            "action": "共同决策，定期会商",
            "previous_influence": None,
            "previous_interest": None,
            "previous_quadrant": None,
        },
        {
            "key": "property",
            "name": "华景物业",
            "influence": 3,
            "interest": 2,
            "quadrant": "keep-satisfied",
            "engagement": "令其满意",
            "action": "涉及其职责时征求意见，汇报简明扼要",
            "previous_influence": None,
            "previous_interest": None,
            "previous_quadrant": None,
        },
    ]
    assert grid_rows(POINTS[5:6])[0]["name"] == "Liede Volunteer Team"


def _rect(group: ET.Element) -> tuple[float, float, float, float]:
    path = group.find(f"{SVG}path")
    assert path is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), max(xs), min(ys), max(ys)


def _dot(group: ET.Element) -> tuple[float, float]:
    use = group.find(f".//{SVG}use")
    assert use is not None
    return float(use.get("x", "nan")), float(use.get("y", "nan"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_svg_places_each_party_in_its_quadrant(lang: str) -> None:
    svg = render_grid(POINTS, lang=lang, fmt="svg")
    assert isinstance(svg, str)
    root = ET.fromstring(svg)
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    rects = {name: _rect(groups[f"quadrant-{name}"]) for name in grid.QUADRANTS}
    seen = set()
    for point in POINTS:
        x, y = _dot(groups[f"party-{point.key}"])
        inside = [name for name, (x0, x1, y0, y1) in rects.items() if x0 < x < x1 and y0 < y < y1]
        assert inside == [quadrant(point.influence, point.interest)], point.key
        seen.add((round(x), round(y)))
    assert len(seen) == len(POINTS)  # the three at (1, 2) are spread, not piled up
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    for point in POINTS:  # a label may be wrapped: one <text> a line
        lines = ["".join(t.itertext()) for t in groups[f"label-{point.key}"].iter(f"{SVG}text")]
        assert " ".join(lines) == point.label(lang)
    assert ("重点管理" in texts) == (lang == "zh")
    assert ("Manage closely" in texts) == (lang == "en")
    assert {g for g in groups if g and g.startswith("move-")} == {"move-street", "move-residents"}


def test_svg_higher_influence_is_higher_up_and_more_interest_further_right() -> None:
    root = ET.fromstring(str(render_grid(POINTS, fmt="svg")))
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    street, committee = _dot(groups["party-street"]), _dot(groups["party-committee"])
    assert street[1] < committee[1]  # influence 5 above 4 (SVG y grows downwards)
    assert street[0] < committee[0]  # interest 4 left of 5


def test_output_is_deterministic() -> None:
    assert render_grid(POINTS, fmt="svg") == render_grid(POINTS, fmt="svg")
    assert render_grid(POINTS, lang="zh", fmt="pdf") == render_grid(POINTS, lang="zh", fmt="pdf")
    svg = str(render_grid(POINTS, fmt="svg"))
    assert "<dc:date>" not in svg


def test_png() -> None:
    png = render_grid(POINTS, lang="zh", fmt="png")
    assert isinstance(png, bytes)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1650, 1275)  # 11 x 8.5 inches at 150 dpi


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_text_carries_names_and_quadrants(lang: str) -> None:
    pdf = render_grid(POINTS, lang=lang, fmt="pdf", since="2025-03-01")
    assert isinstance(pdf, bytes)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\n", " ")  # wrapped labels
    for point in POINTS:
        assert point.label(lang) in text
    if lang == "zh":
        for name in ("重点管理", "令其满意", "随时告知", "保持关注", "2025年3月1日"):
            assert name in text
    else:
        assert "Arrows start at the rating of 1 March 2025." in text


def test_html_has_the_map_inline_and_a_table() -> None:
    page = render_grid(POINTS, lang="zh", fmt="html", title="猎德共建")
    assert isinstance(page, str)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-Hans">' in page
    assert "<title>猎德共建</title>" in page
    assert page.count("<svg") == 1 and "<?xml" not in page
    rows = re.findall(r"<tr><td>([^<]*)</td>", page)
    assert rows[:2] == ["猎德街道办事处", "猎德社区居委会"]
    assert len(rows) == len(POINTS)
    assert "<td class=n>5 / 2</td>" in page  # the street office's earlier rating
    assert not re.search(r"(src|href)=\"https?:", page)  # nothing fetched


def test_html_escapes_names() -> None:
    page = str(render_grid([GridPoint("x", "<b>A & B</b>", None, 2, 2)], fmt="html"))
    assert "<td>&lt;b&gt;A &amp; B&lt;/b&gt;</td>" in page
    assert "<b>A & B</b>" not in page


def test_an_empty_map_says_so() -> None:
    root = ET.fromstring(str(render_grid([], fmt="svg")))
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "No stakeholder has both influence and interest rated." in text


def test_chinese_without_a_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid, "find_cjk_font", lambda known, fontconfig: None)
    with pytest.raises(CoordError, match=r"needs a CJK font .* apt-get install fonts-noto-cjk"):
        render_grid(POINTS, lang="zh", fmt="png")
    # English names alone need no CJK font
    assert render_grid([GridPoint("a", "A", "甲", 2, 2)], lang="en", fmt="svg")


def test_find_cjk_font_prefers_simplified_sans() -> None:
    known = ["DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC", "WenQuanYi Zen Hei"]
    assert grid.find_cjk_font(known, ()) == "Noto Sans CJK SC"
    assert grid.find_cjk_font(["DejaVu Sans", "AR PL UKai CN"], ["AR PL UKai CN"]) == "AR PL UKai CN"
    assert grid.find_cjk_font(["DejaVu Sans", "Noto Sans Mono CJK SC"], ["Noto Sans Mono CJK SC"]) is None
    assert grid.find_cjk_font(["DejaVu Sans"], ()) is None


def test_bad_format_and_language() -> None:
    with pytest.raises(InvalidInput, match="--format 'gif' is not one of: svg, png, pdf, html, table"):
        render_grid(POINTS, fmt="gif")
    with pytest.raises(InvalidInput, match="--lang 'fr' is not one of: en, zh"):
        render_grid(POINTS, lang="fr")


def test_layout_spreads_a_crowded_spot_inside_its_square() -> None:
    crowd = [GridPoint(f"p{i:02d}", f"Party {i}", None, 3, 2) for i in range(14)]
    placed = layout(crowd)
    spots = {(round(p.x, 3), round(p.y, 3)) for p in placed}
    assert len(spots) == 14
    for p in placed:
        assert 1.5 < p.x < 2.5 and 2.5 < p.y < 3.5  # interest 2, influence 3: inside the square
        assert not p.below
    lone = layout([GridPoint("a", "A", None, 4, 4)])
    assert [(p.x, p.y, p.below) for p in lone] == [(4.0, 4.0, True)]


def test_fit_cuts_long_names() -> None:
    assert fit("Tianhe Library", 100, 8) == "Tianhe Library"
    assert fit("Guangzhou Rural Commercial Bank", 100, 8) == "Guangzhou Rural Com…"
    assert fit("Guangzhou Rural Commercial Bank", 100, 8, lines=2) == "Guangzhou Rural\nCommercial Bank"
    assert fit("广州农村商业银行猎德支行", 80, 8) == "广州农村商业银行猎…"
    assert fit("广州农村商业银行猎德支行", 80, 8, lines=2) == "广州农村商业银行猎德\n支行"
