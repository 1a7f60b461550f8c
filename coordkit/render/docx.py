"""DOCX agreements for parties who edit in Word or WPS, rendered with docxtpl.

The built-in template is not a binary in the repository: ``build_template``
makes it with python-docx, Jinja tags and all, once per process (``coord template
copy agreement.docx`` writes it out for a workspace to edit). A workspace's own
``templates/agreement.docx`` takes its place.

Chinese text. python-docx's blank document declares its East Asian language as
Japanese (``themeFontLang`` ja-JP) and leaves its headings on theme fonts, so
Word resolves them through the Japanese theme slot (MS Mincho, MS Gothic: not on
a Chinese PC, so WPS reports missing fonts) and LibreOffice draws 猎德 with
Japanese glyph forms (it picked Noto Sans CJK JP). The built-in template
therefore names 宋体 (SimSun) for body text and 黑体 (SimHei) for the title and
headings in every style, and every rendered document, the workspace's own
template included, is tagged en-US for Latin script and zh-CN for East Asian
script: the only East Asian text coord writes is Chinese, also in the English
document (the parties' Chinese names), and en-US for Latin text is what Word and
WPS set up in China write themselves (keys, hashes and English names stay
spell-checked as English). The Chinese document also marks its styles
``w:hint="eastAsia"``, so the punctuation Latin and Chinese share (“ ” · — …)
takes the Chinese font. A workspace template keeps its own fonts: only its
language tags change.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coordkit.errors import CoordError, InvalidInput
from coordkit.i18n import _

TEMPLATE = "agreement.docx"
LATIN_LANG = "en-US"
EAST_ASIAN_LANG = "zh-CN"
BODY_FONT = "SimSun"  # 宋体: on every Chinese Windows, and WPS ships it
HEADING_FONT = "SimHei"  # 黑体
FONT_TABLE: dict[str, dict[str, str]] = {
    # As Word writes the two Chinese ones, plus a fallback: the alternate names are a comma-separated list an
    # application tries in turn when the font itself is missing (ECMA-376 Part 1, 17.8.3.1), so a
    # Linux or macOS reader without SimSun finds the Noto CJK face of the same style. Charset 86
    # (GB2312) and the PANOSE numbers let Word pick a close Chinese font when none of them exists.
    BODY_FONT: {
        "altName": "宋体,Noto Serif CJK SC",
        "panose1": "02010600030101010101",
        "charset": "86",
        "family": "auto",
        "pitch": "variable",
    },
    HEADING_FONT: {
        "altName": "黑体,Noto Sans CJK SC",
        "panose1": "02010609060101010101",
        "charset": "86",
        "family": "modern",
        "pitch": "fixed",
    },
    # Normal's Latin face: rare on Windows, where it is replaced by the serif every PC has.
    "DejaVu Serif": {"altName": "Times New Roman", "charset": "00", "family": "roman", "pitch": "variable"},
}
_SHIFT_JIS = "80"
"""Charset of the Japanese faces (ＭＳ 明朝, ＭＳ ゴシック) python-docx's font table lists; nothing uses them here."""
_FONTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
# Elements that must follow the one inserted, in schema order (Word refuses a file whose elements are out of order).
_AFTER_RPR = frozenset(("tblPr", "trPr", "tcPr", "tblStylePr"))
_AFTER_LANG = frozenset(("eastAsianLayout", "specVanish", "oMath", "rPrChange"))
_AFTER_THEME_FONT_LANG = frozenset(
    [
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ]
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _child(parent: Any, name: str, after: frozenset[str], *, last: bool = False) -> Any:
    """``parent``'s ``w:name``, made and put in schema order if missing: before the first of ``after``.

    With ``last``, any element outside the main namespace also counts as coming after
    (the w14/w15 extensions at the end of the settings), except ``m:mathPr``, which comes before.
    """
    found = parent.find(_w(name))
    if found is not None:
        return found
    from docx.oxml.parser import OxmlElement

    made = OxmlElement(f"w:{name}")
    for index, existing in enumerate(parent):
        if not isinstance(existing.tag, str):  # a comment or processing instruction
            continue
        namespace, _, local = existing.tag[1:].partition("}")
        if local in after or (last and namespace != _W and local != "mathPr"):
            parent.insert(index, made)
            return made
    parent.append(made)
    return made


def _fonts(properties: Any) -> Any:
    """``w:rFonts`` of a run-properties element: its first child, after ``w:rStyle`` if there is one."""
    found = properties.find(_w("rFonts"))
    if found is not None:
        return found
    from docx.oxml.parser import OxmlElement

    made = OxmlElement("w:rFonts")
    properties.insert(1 if len(properties) and properties[0].tag == _w("rStyle") else 0, made)
    return made


def _run_properties(style: Any) -> Any:
    return _child(style, "rPr", _AFTER_RPR)


def _default_run_properties(styles: Any) -> Any:
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        from docx.oxml.parser import OxmlElement

        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    return _child(_child(defaults, "rPrDefault", frozenset(("pPrDefault",))), "rPr", frozenset())


def _styles_with_run_properties(styles: Any) -> list[Any]:
    """Paragraph, character and table styles: a numbering style holds no run properties."""
    return [s for s in styles.iter(_w("style")) if s.get(_w("type")) != "numbering"]


def _rewrite(data: bytes, edits: dict[str, Callable[[Any], None]]) -> bytes:
    """The same package with the XML parts of the given content types changed in place.

    Parts are found through ``[Content_Types].xml``, not by file name; every other part keeps
    its content and its place in the archive.
    """
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = parse_xml(source.read("[Content_Types].xml"))
        targets = {}
        for override in types:
            edit = edits.get(override.get("ContentType", ""))
            if edit is not None:
                targets[override.get("PartName", "").lstrip("/")] = edit
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                edit = targets.get(info.filename)
                if edit is not None:
                    root = parse_xml(content)
                    edit(root)
                    content = serialize_part_xml(root)
                target.writestr(info, content)
    return out.getvalue()


def _heading_style(style: Any, by_id: dict[str, Any]) -> bool:
    """Whether a style takes the theme's heading (major) font, itself or through the styles it is based on.

    Title, Subtitle and Heading 1-9 do in python-docx's template (and their linked character
    styles); so does "TOC Heading", through Heading 1. Those get 黑体, the rest 宋体.
    """
    seen: set[str] = set()
    while style is not None:
        fonts = style.find(f"{_w('rPr')}/{_w('rFonts')}")
        if fonts is not None and fonts.attrib:
            themes = [v for k, v in fonts.attrib.items() if k.endswith("Theme") or k.endswith("theme")]
            if themes or fonts.get(_w("eastAsia")):
                return any(v.startswith("major") for v in themes) or fonts.get(_w("eastAsia")) == HEADING_FONT
        based = style.find(_w("basedOn"))
        key = based.get(_w("val")) if based is not None else None
        if key is None or key in seen:
            return False
        seen.add(key)
        style = by_id.get(key)
    return False


def _set_east_asian_font(fonts: Any, name: str) -> None:
    """An explicit typeface: in Word a theme attribute (``eastAsiaTheme``) wins over the explicit one."""
    fonts.attrib.pop(_w("eastAsiaTheme"), None)
    fonts.set(_w("eastAsia"), name)


def _east_asian_fonts(styles: Any) -> None:
    """宋体 in the defaults and every paragraph and table style, 黑体 where the style is a heading.

    A character style names a font only if it named one before (Heading 1 Char does; Strong does
    not): a bold word inside a heading must stay in 黑体, not switch to the body font.
    """
    _set_east_asian_font(_fonts(_default_run_properties(styles)), BODY_FONT)
    everything = _styles_with_run_properties(styles)
    by_id = {s.get(_w("styleId")): s for s in everything}
    chosen = {id(s): HEADING_FONT if _heading_style(s, by_id) else BODY_FONT for s in everything}
    for style in everything:
        properties = style.find(_w("rPr"))
        named = properties is not None and properties.find(_w("rFonts")) is not None
        if style.get(_w("type")) == "character" and not named:
            continue
        fonts = _fonts(_run_properties(style))
        _set_east_asian_font(fonts, chosen[id(style)])


def _font_table(fonts: Any) -> None:
    """Entries for the fonts the styles name, with their alternate names; no Japanese ones."""
    from docx.oxml.parser import OxmlElement

    for old in list(fonts.iter(_w("font"))):
        charset = old.find(_w("charset"))
        japanese = charset is not None and charset.get(_w("val")) == _SHIFT_JIS
        if japanese or old.get(_w("name")) in FONT_TABLE:
            fonts.remove(old)
    for name, facts in FONT_TABLE.items():
        font = OxmlElement("w:font")
        font.set(_w("name"), name)
        for element, value in facts.items():
            child = OxmlElement(f"w:{element}")
            child.set(_w("val"), value)
            font.append(child)
        fonts.append(font)


def _tag_language(properties: Any, *, hint: bool) -> None:
    """en-US for Latin script, zh-CN for East Asian script; bidi (complex script) stays as it was."""
    tag = _child(properties, "lang", _AFTER_LANG)
    tag.set(_w("val"), LATIN_LANG)
    tag.set(_w("eastAsia"), EAST_ASIAN_LANG)
    if hint:
        _fonts(properties).set(_w("hint"), "eastAsia")


def _tag_styles(styles: Any, *, hint: bool) -> None:
    _tag_language(_default_run_properties(styles), hint=hint)
    for style in _styles_with_run_properties(styles):
        _tag_language(_run_properties(style), hint=hint)


def _theme_language(settings: Any) -> None:
    """The language Word resolves theme fonts with: zh-CN picks the theme's Chinese (Hans) typefaces."""
    tag = _child(settings, "themeFontLang", _AFTER_THEME_FONT_LANG, last=True)
    tag.set(_w("val"), LATIN_LANG)
    tag.set(_w("eastAsia"), EAST_ASIAN_LANG)


def set_languages(document: Any, lang: str) -> None:
    """Tag a python-docx ``Document`` for ``lang`` ("en" or "zh"), in place; its fonts are left as they are.

    Settings, document defaults and every style say en-US for Latin and zh-CN for East Asian
    script; for "zh" the styles also carry ``w:hint="eastAsia"`` (see the module's docstring).
    """
    _tag_styles(document.styles.element, hint=lang == "zh")
    _theme_language(document.settings.element)


UNTRANSLATED_COLOUR = "9C2A00"
UNTRANSLATED_BACKGROUND = "FFF1E6"
MAX_DOCX = 50 * 1024 * 1024  # bytes: room for a letterhead with images, not for /dev/zero


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and WPS fill in when they lay out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def a4_document(*, header: str, page: str, of: str, lang: str, margins_mm: tuple[int, int, int], font_pt: float) -> Any:
    """A python-docx document on A4 with ``margins_mm`` (sides, top, bottom), a serif body, no italics (Chinese is
    never set in italics), ``header`` on every page and "page N of M" in the footer: what minutes and reports share."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(margins_mm[0])
    section.top_margin, section.bottom_margin = Mm(margins_mm[1]), Mm(margins_mm[2])
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(font_pt)
    for upright in ("Subtitle", "Intense Quote"):
        doc.styles[upright].font.italic = False
    section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{page} ")
    _field(footer, "PAGE")
    footer.add_run(f" {of} ")
    _field(footer, "NUMPAGES")
    if lang == "zh":
        footer.add_run(" 页")
    return doc


def _page_break(paragraph: Any) -> None:
    from docx.enum.text import WD_BREAK

    paragraph.add_run().add_break(WD_BREAK.PAGE)


def _widths(table: Any, millimetres: list[float]) -> None:
    """Fixed column widths (mm): on the grid, which LibreOffice reads, and on every cell, which Word reads."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _contract_styles(doc: Any) -> None:
    """The paragraph styles of the contract, in English layout: ``render_docx`` turns them to Chinese
    layout (first lines indented two characters, no hanging numbers) for a Chinese document."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    styles = doc.styles
    for name, bold, left, first, before in (
        ("Contract Party", True, 0, 0, 6),
        ("Contract Particular", False, 12, 0, 0),
        ("Contract Text", False, 0, 0, 4),
        ("Contract Item", False, ITEM_INDENT_MM, -ITEM_INDENT_MM, 2),
        ("Contract Group", True, ITEM_INDENT_MM, -ITEM_INDENT_MM, 3),
        ("Contract Subitem", False, ITEM_INDENT_MM + SUB_INDENT_MM, -SUB_INDENT_MM, 1),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.bold = bold or None
        fmt = style.paragraph_format
        fmt.left_indent, fmt.first_line_indent = Mm(left), Mm(first)
        fmt.space_before, fmt.space_after = Pt(before), Pt(2)
        if first:
            fmt.tab_stops.add_tab_stop(Mm(left))
    centred = styles.add_style("Contract Centred", WD_STYLE_TYPE.PARAGRAPH)
    centred.base_style = styles["Normal"]
    centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading in ("Title", "Heading 1"):
        styles[heading].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


ITEM_INDENT_MM = 10.0
"""English items hang their number (3.1) in this much space; sub-items ((a)) hang in SUB_INDENT_MM more."""
SUB_INDENT_MM = 7.0
CHINESE_INDENT_PT = 21.0
"""Two characters of 10.5 pt: how far a Chinese contract indents the first line of each paragraph."""


@functools.cache
def build_template() -> bytes:
    """The built-in agreement template: a DOCX with docxtpl tags, made from code, with Chinese fonts named.

    The same contract as the HTML template: parties, preamble, numbered articles,
    （以下无正文）, a signature page with a table of the parties, and the annex of duties.
    Made once per process (about 0.25 s): ``agreement render --all`` renders every agreement from it.
    """
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(10.5)
    for upright in ("Subtitle", "Intense Quote"):  # Chinese is never set in italics: the slant is synthetic
        doc.styles[upright].font.italic = False
    _contract_styles(doc)
    section.header.paragraphs[0].text = "{{ running_head }}"
    footer = section.footer.paragraphs[0]
    footer.add_run("{{ t.page_before }}")
    _field(footer, "PAGE")
    footer.add_run("{{ t.page_middle }}")
    _field(footer, "NUMPAGES")
    footer.add_run("{{ t.page_after }}")

    def para(text: str, style: str | None = None) -> Any:
        return doc.add_paragraph(text, style=style)

    para("{{r shown(title, title_untranslated) }}", "Title")
    para("{%p if kind_name %}")
    para("{{ kind_name }}", "Subtitle")
    para("{%p endif %}")
    para("{%p if other_title %}")
    para("{{ other_title }}", "Subtitle")
    para("{%p endif %}")
    para("{{ meta }}", "Contract Centred")
    para("{%p if qr %}")
    para("{{ qr_image() }}", "Contract Centred")
    para("{%p endif %}")
    para("{%p if draft %}")
    para("{{ t.draft_note }}", "Intense Quote")
    para("{%p endif %}")
    para("{%p if banner %}")
    para("{{ banner }}", "Intense Quote")
    para("{%p endif %}")

    para("{%p for p in parties %}")
    para(
        "{{ p.label }}{{ t.colon }}{{r shown(p.name, p.untranslated) }}{{ ' (' ~ p.other_name ~ ')' if p.other_name else '' }}",
        "Contract Party",
    )
    para("{%p for line in p.particulars %}")
    para("{{ line.label }}{{ t.colon }}{{ line.value }}", "Contract Particular")
    para("{%p endfor %}")
    para("{%p endfor %}")
    para("{{ preamble }}", "Contract Text")

    para("{%p for a in articles %}")
    para("{{ a.heading }}", "Heading 2")
    para("{%p for i in a.entries %}")
    para("{%p if i.sub %}")
    para("{{ i.mark }}{{ '\\t' if lang == 'en' else '' }}{{ i.text }}", "Contract Group")
    para("{%p for c in i.sub %}")
    para("{{ c.mark }}{{ '\\t' if lang == 'en' else '' }}{{r shown(c.text, c.untranslated) }}", "Contract Subitem")
    para("{%p endfor %}")
    para("{%p else %}")
    para(
        "{{ i.mark }}{{ '\\t' if lang == 'en' and i.mark else '' }}{{r shown(i.text, i.untranslated) }}",
        "Contract Item",
    )
    para("{%p endif %}")
    para("{%p endfor %}")
    para("{%p endfor %}")
    para("{{ t.no_more_text }}", "Contract Text")

    _page_break(para(""))
    para("{{ t.signature_page }}", "Heading 1")
    para("{{ signature_statement }}")
    para("{%p if qr %}")
    para("{{ qr_image() }}", "Contract Centred")
    para("{%p endif %}")
    signatures = doc.add_table(rows=3, cols=2)
    signatures.style = "Table Grid"
    signatures.alignment = WD_TABLE_ALIGNMENT.CENTER
    signatures.rows[0].cells[0].text = "{%tr for s in signing %}"
    left, right = signatures.rows[1].cells
    _widths(signatures, [125, 45])
    left.paragraphs[0].text = "{{r shown(s.seal_line, s.untranslated) }}"
    left.paragraphs[0].style = doc.styles["Contract Party"]
    for text in (
        "{%p if s.recorded %}",
        "{{ s.recorded }}",
        "{%p if s.key_fingerprint %}",
        "{{ t.signing_key }}{{ t.colon }}{{ s.key_fingerprint }}",
        "{%p endif %}",
        "{%p else %}",
        "{{ t.sign_line }}________________",
        "{%p if s.expected %}",
        "{{ s.expected }}",
        "{%p endif %}",
        "{{ t.date_line }}{{ t.date_blank }}",
        "{%p endif %}",
    ):
        left.add_paragraph(text)
    right.paragraphs[0].text = "{{ seal_image(s) }}"
    right.paragraphs[0].style = doc.styles["Contract Centred"]
    signatures.rows[1].height = Mm(38)
    signatures.rows[2].cells[0].text = "{%tr endfor %}"
    para("{%p if not draft %}")
    para("{{ t.terms_hash_label }}{{ t.colon }}{{ doc.terms_hash }}")
    para("{%p endif %}")

    para("{%p if annex %}")
    _page_break(para(""))
    para("{{ t.annex }}", "Heading 1")
    para("{{ title }} · {{ meta }}", "Contract Centred")
    columns = ["no", "duty", "title", "category", "party", "role", "article"]
    annex = doc.add_table(rows=4, cols=len(columns))
    annex.style = "Table Grid"
    _widths(annex, [11, 30, 27, 20, 34, 24, 24])
    for cell, name in zip(annex.rows[0].cells, columns, strict=True):
        cell.text = f"{{{{ t.annex_{name} }}}}"
    annex.rows[1].cells[0].text = "{%tr for r in annex %}"
    for cell, name in zip(annex.rows[2].cells, columns, strict=True):
        cell.text = f"{{{{ r.{name} }}}}"
    annex.rows[3].cells[0].text = "{%tr endfor %}"
    para("{{ t.annex_note }}")
    para("{%p if annex_uses %}")
    para("{{ t.annex_uses }}{{ t.colon }}")
    para("{%p for line in annex_uses %}")
    para("{{ line }}")
    para("{%p endfor %}")
    para("{%p endif %}")
    para("{%p endif %}")
    _east_asian_fonts(doc.styles.element)
    set_languages(doc, "en")  # the hint is added when a Chinese document is rendered
    out = io.BytesIO()
    doc.save(out)
    return _rewrite(out.getvalue(), {_FONTS: _font_table})  # python-docx has no API for the font table


def _chinese_layout(document: Any) -> None:
    """The contract styles of the built-in template as a Chinese contract sets them: every paragraph's
    first line indented two characters, numbers （一） and 1. written inline rather than hanging."""
    from docx.shared import Pt

    names = {s.name for s in document.styles}
    for name in ("Contract Text", "Contract Item", "Contract Group", "Contract Subitem"):
        if name in names:
            fmt = document.styles[name].paragraph_format
            fmt.left_indent, fmt.first_line_indent = Pt(0), Pt(CHINESE_INDENT_PT)


def render_docx(context: dict[str, Any], workspace: Path | None) -> bytes:
    """The agreement as DOCX, tagged for the context's language (``set_languages``), own template or built-in.

    Besides the agreement context, a template may call ``qr_image()``: the QR code of the
    frozen terms (``coordkit.render.qr``), 25 mm wide, or nothing on a draft;
    ``seal_image(block)``: a signing block's recorded seal (``coordkit.render.seal``), or
    the place for one; and ``{{r shown(text, untranslated) }}``: a text as a run, set off
    in colour when it is the English text standing in for missing Chinese.
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    from coordkit.files import read_limited
    from coordkit.render.environment import environment, workspace_template

    own = workspace_template(workspace, TEMPLATE)
    source = read_limited(own, limit=MAX_DOCX, what=TEMPLATE) if own is not None else build_template()
    try:
        template = DocxTemplate(io.BytesIO(source))

        def qr_image() -> Any:
            doc = context.get("doc") or {}
            if not doc.get("terms_hash") or context.get("draft"):
                return ""
            from docx.shared import Mm
            from docxtpl import InlineImage

            from coordkit.render.qr import SIZE_MM, payload, qr_png

            png = qr_png(payload(doc["key"], int(doc["version"]), doc["terms_hash"]))
            return InlineImage(template, io.BytesIO(png), width=Mm(SIZE_MM))

        def seal_image(block: Any) -> Any:
            """The recorded seal of a party's signing block, or the place for one."""
            t = context.get("t") or {}
            if not block.get("seal"):
                if block.get("recorded"):  # signed without a seal: nothing to stamp
                    return ""
                return f"（{t.get('seal_here', '')}）" if context.get("lang") == "zh" else f"({t.get('seal_here', '')})"
            from docx.shared import Mm
            from docxtpl import InlineImage

            from coordkit.render.seal import SIZE_MM as SEAL_MM
            from coordkit.render.seal import seal_png

            name = str(block.get("seal_name") or "")
            png = seal_png(name, str(t.get("recorded_seal", "")))
            if png is None:
                return t.get("recorded_seal_note", "")
            return InlineImage(template, io.BytesIO(png), width=Mm(SEAL_MM * 0.9))

        def shown(text: Any, untranslated: Any = False) -> Any:
            """A text of the agreement as a run: dark orange on light orange when it is an English stand-in."""
            from docxtpl import RichText

            if untranslated:
                return RichText(str(text), color=UNTRANSLATED_COLOUR, highlight=UNTRANSLATED_BACKGROUND)
            return RichText(str(text))

        template.render(
            {**context, "qr_image": qr_image, "seal_image": seal_image, "shown": shown},
            jinja_env=environment(workspace),
            autoescape=True,
        )
    except TemplateError as error:
        raise InvalidInput(_("template {name}: {error}").format(name=TEMPLATE, error=error)) from None
    except CoordError:
        raise
    except Exception as error:  # a .docx that is not a Word document
        if own is not None and own.is_file():
            raise InvalidInput(
                _("template {name}: not a usable .docx ({error})").format(name=own, error=error)
            ) from None
        raise
    set_languages(template.docx, str(context.get("lang", "en")))
    if own is None and context.get("lang") == "zh":
        _chinese_layout(template.docx)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
