"""DOCX agreements for parties who edit in Word or WPS, rendered with docxtpl.

The built-in template is not a binary in the repository: ``build_template``
makes it with python-docx, Jinja tags and all, each time (``coord template copy
agreement.docx`` writes it out for a workspace to edit). A workspace's own
``templates/agreement.docx`` takes its place.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from coordkit.errors import InvalidInput

TEMPLATE = "agreement.docx"
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


def build_template() -> bytes:
    """The built-in agreement template: a DOCX with docxtpl tags, made from code."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # 宋体: on every Chinese Word or WPS install
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
        para("{{ loop.index }}. {{ item }}")
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
    para("{{ loop.index }}. {{ c }}")
    para("{%p endfor %}")
    para("{%p for p in parties %}")
    para(
        "{{ p.label }} {{ p.name }}: {% for c in p.contacts %}{{ c.channel }} {{ c.value }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}"
    )
    para("{%p endfor %}")
    para("{{ t.dispute }}", "Heading 1")
    para("{%p for d in doc.dispute_resolution %}")
    para("{{ loop.index }}. {{ d }}")
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
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(context: dict[str, Any], workspace: Path | None) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    from coordkit.files import read_limited
    from coordkit.render.environment import environment, workspace_template

    own = workspace_template(workspace, TEMPLATE)
    source = read_limited(own, limit=MAX_DOCX, what=TEMPLATE) if own is not None else build_template()
    try:
        template = DocxTemplate(io.BytesIO(source))
        template.render(context, jinja_env=environment(workspace), autoescape=True)
    except TemplateError as error:
        raise InvalidInput(f"template {TEMPLATE}: {error}") from None
    except Exception as error:  # a .docx that is not a Word document
        if own is not None and own.is_file():
            raise InvalidInput(f"template {own}: not a usable .docx ({error})") from None
        raise
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
