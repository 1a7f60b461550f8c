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


@functools.cache
def build_template() -> bytes:
    """The built-in agreement template: a DOCX with docxtpl tags, made from code, with Chinese fonts named.

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
    section.header.paragraphs[0].text = "{{ header }} · {{ mark }}"
    footer = section.footer.paragraphs[0]
    footer.add_run("{{ t.page }} ")
    _field(footer, "PAGE")
    footer.add_run(" {{ t.of }} ")
    _field(footer, "NUMPAGES")
    footer.add_run("{{ ' 页' if lang == 'zh' else '' }}")

    def para(text: str, style: str | None = None) -> None:
        doc.add_paragraph(text, style=style)

    para("{{ title }}", "Title")
    para("{%p if other_title %}")
    para("{{ other_title }}", "Subtitle")
    para("{%p endif %}")
    para("{{ t.agreement }} · {{ t.key }} {{ doc.key }} · {{ t.version }} {{ doc.version }} · {{ mark }}")
    para("{%p if draft %}")
    para("{{ t.draft_note }}", "Intense Quote")
    para("{%p endif %}")
    para("{%p if terminated %}")
    para("{{ terminated }}", "Intense Quote")
    para("{%p endif %}")

    para("{{ t.parties }}", "Heading 1")
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(
        table.rows[0].cells, ["", "{{ t.name }}", "{{ t.representatives }}", "{{ t.contacts }}"], strict=True
    ):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for p in parties %}"
    row = [
        "{{ p.label }}",
        "{{ p.name }}{% if p.other_name %} ({{ p.other_name }}){% endif %}",
        "{% for r in p.representatives %}{{ r.name }}{% if r.title %}, {{ r.title }}{% endif %}"
        "{% if not loop.last %}; {% endif %}{% endfor %}",
        "{% for c in p.contacts %}{{ c.channel }}: {{ c.value }}{% if not loop.last %}; {% endif %}{% endfor %}",
    ]
    for cell, text in zip(table.rows[2].cells, row, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"

    for heading, items in (("goals", "doc.goals"), ("methods", "doc.methods")):
        para(f"{{{{ t.{heading} }}}}", "Heading 1")
        para(f"{{%p for item in {items} %}}")
        para("{{ loop.index }}. {{ item.text }}")
        para("{%p endfor %}")

    para("{{ t.rights_obligations }}", "Heading 1")
    para("{%p for p in parties %}")
    para("{{ p.label }}: {{ p.name }}", "Heading 2")
    para("{{ t.rights }}", "Heading 3")
    para("{%p for r in p.rights %}")
    para("• {{ r }}")
    para("{%p endfor %}")
    para("{{ t.obligations }}", "Heading 3")
    para("{%p for o in p.obligations %}")
    para(
        "• {{ o.text }}{% if o.duty %} ({{ t.duty }} {{ o.duty }}, {{ o['as'] }}){% endif %}"
        "{% if o.due %}, {{ t.due }} {{ date(o.due) }}{% endif %}"
    )
    para("{%p endfor %}")
    para("{%p endfor %}")

    para("{{ t.resources }}", "Heading 1")
    resources = doc.add_table(rows=4, cols=4)
    resources.style = "Table Grid"
    for cell, text in zip(
        resources.rows[0].cells, ["", "{{ t.resource_kind }}", "{{ t.amount }}", "{{ t.unit }}"], strict=True
    ):
        cell.text = text
    resources.rows[1].cells[0].text = "{%tr for r in doc.resources %}"
    for cell, text in zip(
        resources.rows[2].cells,
        ["{{ labels[r.party] }}", "{{ r.kind }}", "{{ r.amount }}", "{{ r.unit }}"],
        strict=True,
    ):
        cell.text = text
    resources.rows[3].cells[0].text = "{%tr endfor %}"

    para("{{ t.term }}", "Heading 1")
    para("{{ t.effective }}: {{ effective }} · {{ t.expires }}: {{ expires }}")
    para("{{ t.review }}", "Heading 1")
    para("{{ review }}")
    para("{{ t.communication }}", "Heading 1")
    para("{%p for c in doc.communication %}")
    para("{{ loop.index }}. {{ c.text }}")
    para("{%p endfor %}")
    para("{%p for p in parties %}")
    para(
        "{{ p.label }} {{ p.name }}: {% for c in p.contacts %}{{ c.channel }} {{ c.value }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}"
    )
    para("{%p endfor %}")
    para("{{ t.dispute }}", "Heading 1")
    para("{%p for d in doc.dispute_resolution %}")
    para("{{ loop.index }}. {{ d.text }}")
    para("{%p endfor %}")

    para("{{ t.signatures }}", "Heading 1")
    signatures = doc.add_table(rows=3, cols=3)
    signatures.style = "Table Grid"
    signatures.rows[0].cells[0].text = "{%tr for p in parties %}"
    cells = signatures.rows[1].cells
    cells[0].text = "{{ p.label }}: {{ p.name }}"
    cells[1].text = (
        "{% if p.signature %}{{ t.signed_by }}: {{ p.signature.signatory }}{% if p.signature.title %}, "
        "{{ p.signature.title }}{% endif %} · {{ t.date }}: {{ date(p.signature.date) }} · {{ t.method }}: "
        "{{ method(p.signature.method) }}{% else %}{{ t.signatory }}: ____________   {{ t.title }}: ____________   "
        "{{ t.date }}: ____________{% endif %}"
    )
    cells[2].text = "{{ t.seal }}"
    signatures.rows[1].height = Mm(35)
    signatures.rows[2].cells[0].text = "{%tr endfor %}"
    para("{%p if not draft %}")
    para("{{ t.terms_hash }}: {{ doc.terms_hash }}")
    para("{%p endif %}")
    _east_asian_fonts(doc.styles.element)
    set_languages(doc, "en")  # the hint is added when a Chinese document is rendered
    out = io.BytesIO()
    doc.save(out)
    return _rewrite(out.getvalue(), {_FONTS: _font_table})  # python-docx has no API for the font table


def render_docx(context: dict[str, Any], workspace: Path | None) -> bytes:
    """The agreement as DOCX, tagged for the context's language (``set_languages``), own template or built-in.

    Besides the agreement context, a template may call ``qr_image()``: the QR code of the
    frozen terms (``coordkit.render.qr``), 25 mm wide, or nothing on a draft.
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
            if not doc.get("terms_hash"):
                return ""
            from docx.shared import Mm
            from docxtpl import InlineImage

            from coordkit.render.qr import SIZE_MM, payload, qr_png

            png = qr_png(payload(doc["key"], int(doc["version"]), doc["terms_hash"]))
            return InlineImage(template, io.BytesIO(png), width=Mm(SIZE_MM))

        template.render({**context, "qr_image": qr_image}, jinja_env=environment(workspace), autoescape=True)
    except TemplateError as error:
        raise InvalidInput(f"template {TEMPLATE}: {error}") from None
    except CoordError:
        raise
    except Exception as error:  # a .docx that is not a Word document
        if own is not None and own.is_file():
            raise InvalidInput(f"template {own}: not a usable .docx ({error})") from None
        raise
    set_languages(template.docx, str(context.get("lang", "en")))
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
