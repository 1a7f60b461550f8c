"""Chinese in DOCX: language tags and East Asian fonts read back from the XML of rendered documents."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import docx
import pypdf
import pytest

from coordkit.render.documents import agreement_context
from coordkit.render.docx import build_template, render_docx
from coordkit.render.templates import sample_agreement

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADINGS = {"Title", "Subtitle", "TOCHeading"} | {f"Heading{n}" for n in range(1, 10)}
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
]
STYLE_ORDER = [
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
]


def render(lang: str, workspace: Path | None = None, **changes: Any) -> bytes:
    doc, stakeholders = sample_agreement()
    return render_docx(agreement_context({**doc, **changes}, stakeholders, lang), workspace)


def part(data: bytes, name: str) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return ElementTree.fromstring(package.read(name))


def styles_of(data: bytes) -> dict[str, ElementTree.Element]:
    return {s.get(f"{W}styleId", ""): s for s in part(data, "word/styles.xml").iter(f"{W}style")}


def attrs(element: ElementTree.Element | None) -> dict[str, str]:
    """An element's attributes without the namespace, {} when there is no element."""
    return {} if element is None else {k.replace(W, ""): v for k, v in element.attrib.items()}


def east_asian_font(styles: dict[str, ElementTree.Element], defaults: ElementTree.Element, style_id: str) -> str:
    """The East Asian typeface Word applies to a paragraph of this style: itself, its bases, then the defaults."""
    style: ElementTree.Element | None = styles[style_id]
    while style is not None:
        fonts = attrs(style.find(f"{W}rPr/{W}rFonts"))
        assert "eastAsiaTheme" not in fonts, style_id
        if "eastAsia" in fonts:
            return fonts["eastAsia"]
        based = style.find(f"{W}basedOn")
        style = styles[based.get(f"{W}val", "")] if based is not None else None
    return attrs(defaults.find(f"{W}rPr/{W}rFonts"))["eastAsia"]


def in_order(parent: ElementTree.Element, order: list[str]) -> bool:
    positions = [order.index(child.tag.replace(W, "")) for child in parent]
    return positions == sorted(positions)


def test_chinese_docx_is_tagged_zh_cn_with_chinese_fonts_in_every_style() -> None:
    data = render("zh")
    settings = part(data, "word/settings.xml")
    assert attrs(settings.find(f"{W}themeFontLang")) == {"val": "en-US", "eastAsia": "zh-CN"}
    styles_root = part(data, "word/styles.xml")
    defaults = styles_root.find(f"{W}docDefaults/{W}rPrDefault")
    assert defaults is not None
    assert attrs(defaults.find(f"{W}rPr/{W}lang")) == {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"}
    assert attrs(defaults.find(f"{W}rPr/{W}rFonts")) == {
        "asciiTheme": "minorHAnsi",
        "hAnsiTheme": "minorHAnsi",
        "cstheme": "minorBidi",
        "eastAsia": "SimSun",
        "hint": "eastAsia",
    }
    styles = styles_of(data)
    checked = 0
    for style_id, style in styles.items():
        kind = style.get(f"{W}type")
        if kind == "numbering":  # a list style carries no run properties
            assert style.find(f"{W}rPr") is None
            continue
        properties = style.find(f"{W}rPr")
        assert properties is not None, style_id
        assert attrs(properties.find(f"{W}lang")) == {"val": "en-US", "eastAsia": "zh-CN"}, style_id
        fonts = attrs(properties.find(f"{W}rFonts"))
        assert fonts["hint"] == "eastAsia", style_id
        assert "eastAsiaTheme" not in fonts, style_id
        if kind in ("paragraph", "table"):
            # Table styles drawn in the theme's heading font in python-docx's template take 黑体 too.
            heading = style_id in HEADINGS or style_id.startswith(("MediumList2", "MediumGrid2"))
            expected = "SimHei" if heading else "SimSun"
            assert fonts["eastAsia"] == expected, style_id
        elif style_id.removesuffix("Char") in HEADINGS:
            assert fonts["eastAsia"] == "SimHei", style_id
        elif {"ascii", "asciiTheme"} & fonts.keys():  # Macro Text Char: Courier, and now 宋体
            assert fonts["eastAsia"] == "SimSun", style_id
        else:  # Strong, Emphasis...: no typeface of their own, so a bold word in a heading stays in 黑体
            assert "eastAsia" not in fonts, style_id
        assert in_order(properties, RPR_ORDER), style_id
        assert in_order(style, STYLE_ORDER), style_id
        checked += 1
    assert checked == 170  # python-docx's 163 and the contract's own seven (Contract Item, Contract Party …)
    for style_id, expected in (("Normal", "SimSun"), ("Title", "SimHei"), ("Heading1", "SimHei"), ("Header", "SimSun")):
        assert east_asian_font(styles, defaults, style_id) == expected
    for upright in ("Subtitle", "IntenseQuote"):  # no slanted Chinese
        assert attrs(styles[upright].find(f"{W}rPr/{W}i")) == {"val": "0"}
    # Every paragraph of the document gets 宋体 or, in a heading, 黑体.
    body = part(data, "word/document.xml")
    used = {p.get(f"{W}val", "") for p in body.iter(f"{W}pStyle")}
    headings = {"Title", "Heading1", "Heading2"}
    text = {
        "ContractCentred",
        "ContractParty",
        "ContractParticular",
        "ContractText",
        "ContractItem",
        "ContractGroup",
        "ContractSubitem",
    }
    assert used == headings | text
    for style_id in used:
        assert east_asian_font(styles, defaults, style_id) == ("SimHei" if style_id in headings else "SimSun")


def test_font_table_names_chinese_fonts_with_a_noto_fallback_and_no_japanese_ones() -> None:
    data = render("zh")
    fonts = {f.get(f"{W}name"): f for f in part(data, "word/fontTable.xml").iter(f"{W}font")}
    assert attrs(fonts["SimSun"].find(f"{W}altName")) == {"val": "宋体,Noto Serif CJK SC"}
    assert attrs(fonts["SimHei"].find(f"{W}altName")) == {"val": "黑体,Noto Sans CJK SC"}
    assert attrs(fonts["SimSun"].find(f"{W}charset")) == {"val": "86"}  # GB2312
    assert attrs(fonts["DejaVu Serif"].find(f"{W}altName")) == {"val": "Times New Roman"}
    assert "ＭＳ 明朝" not in fonts and "ＭＳ ゴシック" not in fonts
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in ("word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/document.xml"):
            assert b"ja-JP" not in package.read(name), name


def test_chinese_docx_opens_and_reads_back() -> None:
    document = docx.Document(io.BytesIO(render("zh")))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:2] == ["公益市集合作协议", "协议编号：AGR-2024-001　第1版　指纹：9f86d081884c"]
    assert paragraphs[3:8] == [
        "甲方：猎德街道办事处",
        "地址：广州市天河区猎德路100号",
        "法定代表人（负责人）：李伟",
        "统一社会信用代码：11440106MB2C12345X",
        "联系方式：电话 020-0000-0000",
    ]
    assert "第一条　合作目标" in paragraphs
    assert document.sections[0].header.paragraphs[0].text == "AGR-2024-001 · 第1版 · 指纹 9f86d081884c"


def test_english_docx_keeps_en_us_and_its_latin_fonts() -> None:
    data = render("en")
    assert attrs(part(data, "word/settings.xml").find(f"{W}themeFontLang")) == {"val": "en-US", "eastAsia": "zh-CN"}
    styles = styles_of(data)
    for style_id, style in styles.items():
        if style.get(f"{W}type") == "numbering":
            continue
        # Latin text is English; the only East Asian text (the parties' Chinese names) is Chinese.
        assert attrs(style.find(f"{W}rPr/{W}lang")) == {"val": "en-US", "eastAsia": "zh-CN"}, style_id
        assert "hint" not in attrs(style.find(f"{W}rPr/{W}rFonts")), style_id
    assert attrs(styles["Normal"].find(f"{W}rPr/{W}rFonts")) == {
        "ascii": "DejaVu Serif",
        "hAnsi": "DejaVu Serif",
        "eastAsia": "SimSun",
    }
    assert attrs(styles["Heading1"].find(f"{W}rPr/{W}rFonts")) == {
        "asciiTheme": "majorHAnsi",
        "hAnsiTheme": "majorHAnsi",
        "cstheme": "majorBidi",
        "eastAsia": "SimHei",
    }
    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs][:3] == [
        "Monthly public-welfare market",
        "Cooperation agreement",
        "公益市集合作协议",
    ]


def test_template_copy_carries_the_fonts_but_no_language_hint() -> None:
    styles = styles_of(build_template())
    assert attrs(styles["Title"].find(f"{W}rPr/{W}rFonts"))["eastAsia"] == "SimHei"
    assert "hint" not in attrs(styles["Normal"].find(f"{W}rPr/{W}rFonts"))


def test_workspace_template_gets_language_tags_and_keeps_its_fonts(tmp_path: Path) -> None:
    """A template made elsewhere (here python-docx's blank one: ja-JP, theme fonts, no theme language at all)."""
    own = docx.Document()
    own.add_paragraph("{{ title }}", style="Heading 1")
    own.add_paragraph("{{ t.parties }}: {% for p in parties %}{{ p.name }} {% endfor %}")
    settings = own.settings.element
    settings.remove(settings.find(f"{W}themeFontLang"))
    (tmp_path / "templates").mkdir()
    own.save(tmp_path / "templates" / "agreement.docx")
    data = render("zh", tmp_path)
    settings = part(data, "word/settings.xml")
    names = [child.tag.replace(W, "") for child in settings]
    assert names[names.index("themeFontLang") + 1] == "clrSchemeMapping"  # put back in schema order
    assert attrs(settings.find(f"{W}themeFontLang")) == {"val": "en-US", "eastAsia": "zh-CN"}
    styles = styles_of(data)
    heading = styles["Heading1"].find(f"{W}rPr")
    assert heading is not None
    assert attrs(heading.find(f"{W}lang")) == {"val": "en-US", "eastAsia": "zh-CN"}
    # Its own fonts stay: Word now resolves the theme's East Asian heading font through zh-CN (宋体 in this theme).
    assert attrs(heading.find(f"{W}rFonts")) == {
        "asciiTheme": "majorHAnsi",
        "eastAsiaTheme": "majorEastAsia",
        "hAnsiTheme": "majorHAnsi",
        "cstheme": "majorBidi",
        "hint": "eastAsia",
    }
    assert in_order(heading, RPR_ORDER)
    fonts = {f.get(f"{W}name") for f in part(data, "word/fontTable.xml").iter(f"{W}font")}
    assert "SimSun" not in fonts and "ＭＳ 明朝" in fonts  # its font table is its own
    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs] == [
        "公益市集合作协议",
        "协议各方: 猎德街道办事处 猎德社工站 猎德社区居民委员会 ",
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_sets_body_in_song_and_headings_in_hei(tmp_path: Path) -> None:
    """A real reader: LibreOffice replaces 宋体 with a serif (Song) CJK face and 黑体 with a sans (Hei) one."""
    (tmp_path / "a.zh.docx").write_bytes(render("zh"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "a.zh.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = pypdf.PdfReader(tmp_path / "a.zh.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "公益市集合作协议" in text and "猎德街道办事处" in text
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("SerifCJK" in font and "Bold" not in font for font in fonts), fonts
    assert any("SansCJK" in font and "Bold" in font for font in fonts), fonts
