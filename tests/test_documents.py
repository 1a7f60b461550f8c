"""Documents read back and compared with the store: PDF text, DOCX paragraphs, parsed HTML."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypdf
import pytest

from tests.conftest import Workspace, ok, run_coord

KEY = "AGR-2024-001"
EVIL = "<script>alert(1)</script> & Co"


SETUP = [
    [
        "stakeholder",
        "add",
        "street",
        "--name",
        "Liede Street Office",
        "--name-zh",
        "猎德街道办事处",
        "--kind",
        "government",
        "--contact",
        "phone:020-3888-0000",
        "--rep",
        "Li Wei:Director",
    ],
    [
        "stakeholder",
        "add",
        "sw",
        "--name",
        "Liede Social Work Station",
        "--name-zh",
        "猎德社工站",
        "--kind",
        "social-organisation",
        "--contact",
        "wechat:liede-sw",
    ],
    ["stakeholder", "add", "evil", "--name", EVIL, "--kind", "enterprise", "--contact", "phone:1"],
    ["project", "add", "lr", "--name", "Liede Renjia", "--start", "2024-01-01"],
    ["duty", "add", "market-plan", "--title", "Plan the market"],
    [
        "agreement",
        "new",
        "--title",
        "Monthly public-welfare market",
        "--title-zh",
        "公益市集合作协议",
        "--party",
        "street:Party A",
        "--party",
        "sw:Party B",
        "--party",
        "evil:Party C",
        "--effective",
        "2024-03-01",
        "--expires",
        "2024-12-31",
        "--review-every",
        "3m",
    ],
    ["agreement", "goal", "add", KEY, "A monthly market where residents sell and teach"],
    ["agreement", "goal", "add", KEY, "居民自我服务、自我管理"],
    ["agreement", "method", "add", KEY, "Residents run the stalls"],
    ["agreement", "right", "add", KEY, "--party", "sw", "Use the square on market days"],
    [
        "agreement",
        "obligation",
        "add",
        KEY,
        "--party",
        "sw",
        "--text",
        "Plan each market",
        "--duty",
        "market-plan",
        "--as",
        "R",
    ],
    [
        "agreement",
        "resource",
        "add",
        KEY,
        "--party",
        "street",
        "--kind",
        "funds",
        "--amount",
        "300000",
        "--unit",
        "CNY",
    ],
    ["agreement", "dispute", "add", KEY, "Mediation by the street office"],
    ["agreement", "communication", "add", KEY, "A joint meeting every month"],
]


@pytest.fixture
def agreement(sqlite_ws: Workspace) -> Workspace:
    """A draft agreement of three parties (SETUP runs once per session, its store copied after that)."""
    return sqlite_ws.replay(SETUP)


CHINESE = "AGR-2024-002"


def chinese_only() -> str:
    """An agreement whose every text has its Chinese (title and party names only), for Chinese renders from the CLI."""
    ok(
        "agreement",
        "new",
        "--title",
        "Market",
        "--title-zh",
        "市集协议",
        "--party",
        "street",
        "--party",
        "sw",
        "--effective",
        "2024-05-01",
    )
    return CHINESE


def many_obligations() -> None:
    """Enough obligations to run over several pages."""
    for number in range(1, 41):
        ok("agreement", "obligation", "add", KEY, "--party", "street", "--text", f"Obligation number {number:02d}")


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def pdf_fonts(path: Path) -> set[str]:
    fonts = set()
    for page in pypdf.PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def sign_everyone() -> None:
    ok("agreement", "circulate", KEY)
    for party, name in (("street", "Li Wei"), ("sw", "Chen Jing"), ("evil", "Mr Evil")):
        ok("agreement", "sign", KEY, "--party", party, "--signatory", name, "--method", "seal", "--date", "2024-02-20")


def test_english_pdf_reads_back_with_key_version_fingerprint_on_every_page(
    agreement: Workspace, isolated: Path
) -> None:
    many_obligations()
    sign_everyone()
    fingerprint = json.loads(ok("agreement", "show", KEY, "-f", "json"))["fingerprint"]
    ok("agreement", "render", KEY, "-f", "pdf", "-o", "a.pdf")
    pages = pdf_pages(isolated / "a.pdf")
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"{KEY} · Version 1" in text
        assert f"Fingerprint {fingerprint}" in text
        assert f"Page {number} of {len(pages)}" in text
    whole = "\n".join(pages)
    for expected in (
        "Liede Street Office",
        "Liede Social Work Station",
        EVIL,
        "Plan each market",
        "Obligation number 40",
        "Use the square on market days",
        "Party A provides funds: CNY 300,000.00.",
        "Mediation by the street office",
        "This agreement runs from 1 March 2024 to 31 December 2024.",
        "every quarter",
        "Signed by Chen Jing on 20 February 2024 (seal).",
        "(The rest of this page is intentionally left blank)",
    ):
        assert expected in whole, expected
    assert "300000" not in whole and "(duty market-plan" not in whole and "None." not in whole


def test_chinese_pdf_embeds_a_cjk_font_and_reads_back_in_chinese(tmp_path: Path) -> None:
    """A draft long enough to run over several pages (rendered from the document: the texts need their Chinese)."""
    from coordkit.render.documents import render_agreement
    from coordkit.render.templates import sample_agreement

    doc, people = sample_agreement("draft")
    extra = [
        {**doc["obligations"][0], "duty": None, "text": f"Obligation {n:02d}", "text_zh": f"第{n:02d}项义务"}
        for n in range(1, 41)
    ]
    data = render_agreement(
        {**doc, "obligations": [*doc["obligations"], *extra]}, people, fmt="pdf", lang="zh", workspace=None
    )
    assert isinstance(data, bytes)
    (tmp_path / "a.zh.pdf").write_bytes(data)
    pages = pdf_pages(tmp_path / "a.zh.pdf")
    assert len(pages) >= 3
    whole = "\n".join(pages)
    for expected in (
        "公益市集合作协议",
        "猎德街道办事处",
        "甲方",
        "乙方",
        "第一条　合作目标",
        "2024年3月1日",
        "第40项义务",
    ):
        assert expected in whole, expected
    for number, text in enumerate(pages, start=1):
        assert "草稿" in text and f"第 {number} 页，共 {len(pages)} 页" in text
    assert any("CJK" in font for font in pdf_fonts(tmp_path / "a.zh.pdf"))


def test_no_cjk_font_is_a_clear_error_not_boxes(
    agreement: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coordkit.render.pdf as pdf

    monkeypatch.setattr(pdf, "cjk_fonts", lambda: ())
    result = run_coord("agreement", "render", chinese_only(), "-f", "pdf", "--lang", "zh", "-o", "a.zh.pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: rendering Chinese to PDF needs a CJK font and none is installed; "
        "install coord's font extra (pip install 'coordkit[cjk]') or a system font "
        "(Debian/Ubuntu: apt-get install fonts-noto-cjk) and try again\n"
    )
    assert not (isolated / "a.zh.pdf").exists()


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_html_escapes_names_and_reads_back(sqlite_ws: Workspace) -> None:
    sqlite_ws.replay(SETUP, fresh=True)  # the commands themselves, every time: what they stored is read back
    html = ok("agreement", "render", KEY, "-f", "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "<script>" not in html
    parser = Text()
    parser.feed(html)
    assert parser.scripts == 0
    text = " ".join(parser.parts)
    assert EVIL in text and "Plan each market" in text and "DRAFT" in text
    register = ok("stakeholder", "list", "-f", "html")
    assert "&lt;script&gt;" in register and "<script>" not in register and "猎德社工站" in register


def test_docx_reads_back_literally(agreement: Workspace, isolated: Path) -> None:
    sign_everyone()
    fingerprint = json.loads(ok("agreement", "show", KEY, "-f", "json"))["fingerprint"]
    ok("agreement", "render", KEY, "-f", "docx", "-o", "a.docx")
    document = docx.Document(isolated / "a.docx")
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Monthly public-welfare market"
    assert "1.1\tA monthly market where residents sell and teach." in paragraphs
    assert "(a)\tPlan each market." in paragraphs
    assert f"Agreement no. {KEY} · Version 1 · Fingerprint {fingerprint}" in paragraphs
    assert [f"Party C: {EVIL}", "Contact: Phone 1"] == paragraphs[paragraphs.index(f"Party C: {EVIL}") :][:2]
    assert "Party A provides funds: CNY 300,000.00." in paragraphs  # the only resource: not numbered
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert any(
        row[0].startswith("Party B (seal): Liede Social Work Station\nSigned by Chen Jing on 20 February 2024")
        for row in cells
    )
    header = document.sections[0].header.paragraphs[0].text
    assert header == f"{KEY} · Version 1 · Fingerprint {fingerprint}"
    zh = docx.Document(io.BytesIO(run_coord_bytes("agreement", "render", chinese_only(), "-f", "docx", "--lang", "zh")))
    texts = [p.text for p in zh.paragraphs]
    assert texts[0] == "市集协议"
    assert "协议编号：AGR-2024-002　第1版　草稿" in texts and "甲方：猎德街道办事处" in texts


def run_coord_bytes(*args: str) -> bytes:
    out = Path("out.bin")
    ok(*args, "-o", str(out))
    return out.read_bytes()


def test_render_sign_render_shows_fingerprint_and_signatures(agreement: Workspace, isolated: Path) -> None:
    ok("agreement", "render", KEY, "-f", "pdf", "-o", "draft.pdf")
    draft = "\n".join(pdf_pages(isolated / "draft.pdf"))
    assert "DRAFT" in draft and "Fingerprint" not in draft and "Signed by" not in draft
    sign_everyone()
    shown = json.loads(ok("agreement", "show", KEY, "-f", "json"))
    ok("agreement", "render", KEY, "-f", "pdf", "-o", "signed.pdf")
    signed = pdf_pages(isolated / "signed.pdf")
    assert all(f"Fingerprint {shown['fingerprint']}" in page for page in signed)
    whole = "\n".join(signed)
    assert "Signed by Li Wei on" in whole and "Signed by Chen Jing on" in whole and "Signed by Mr Evil on" in whole
    assert shown["terms_hash"] in whole.replace("\n", "")
    assert "DRAFT" not in whole


def test_render_all_into_a_folder(agreement: Workspace, isolated: Path) -> None:
    ok("agreement", "new", "--title", "Second", "--party", "street", "--party", "sw", "--effective", "2024-05-01")
    result = run_coord("agreement", "render", "--all", "-f", "md", "-o", "docs")
    assert result.stderr == "Wrote 2 MD document(s) to docs/.\n"
    assert sorted(p.name for p in (isolated / "docs").iterdir()) == [f"{KEY}-v1.en.md", "AGR-2024-002-v1.en.md"]
    assert "# Second" in (isolated / "docs" / "AGR-2024-002-v1.en.md").read_text(encoding="utf-8")


def test_workspace_template_overrides_and_sandbox(agreement: Workspace, isolated: Path) -> None:
    listed = json.loads(ok("template", "list", "-f", "json"))
    assert {t["name"]: t["source"] for t in listed}["agreement.md.j2"] == "built-in"
    ok("template", "copy", "agreement.md.j2")
    path = isolated / "templates" / "agreement.md.j2"
    path.write_text("Custom: {{ doc.key }} for {{ parties | length }} parties\n", encoding="utf-8")
    assert ok("agreement", "render", KEY, "-f", "md") == f"Custom: {KEY} for 3 parties\n"
    assert {t["name"]: t["source"] for t in json.loads(ok("template", "list", "-f", "json"))}[
        "agreement.md.j2"
    ] == "workspace (overrides built-in)"
    path.write_text("line one\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    escape = run_coord("agreement", "render", KEY, "-f", "md")
    assert escape.exit_code == 2
    assert escape.stderr == (
        "Error: template agreement.md.j2, line 2: access to attribute '__class__' of 'str' object is unsafe.\n"
    )
    path.write_text("{% include '/etc/passwd' %}\n", encoding="utf-8")
    assert run_coord("agreement", "render", KEY, "-f", "md").stderr == "Error: no template '/etc/passwd'\n"
    path.write_text("a\nb\n{{ doc.nonexistent_field }}\n", encoding="utf-8")
    undefined = run_coord("agreement", "render", KEY, "-f", "md")
    assert undefined.exit_code == 2
    assert (
        undefined.stderr
        == "Error: template agreement.md.j2, line 3: 'dict object' has no attribute 'nonexistent_field'\n"
    )
    checked = run_coord("template", "check", "agreement.md.j2")
    assert checked.exit_code == 1
    assert (
        "en, signed: template agreement.md.j2, line 3: 'dict object' has no attribute 'nonexistent_field'"
        in checked.stderr
    )
    assert run_coord("template", "check", "agreement.html.j2").exit_code == 0


def test_template_commands_in_chinese(agreement: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "zh")
    copied = run_coord("template", "copy", "agreement.md.j2")
    target = isolated / "templates" / "agreement.md.j2"
    assert copied.stderr == f"已将 agreement.md.j2 复制到 {target}；coord 今后使用您的副本。\n"
    assert run_coord("template", "copy", "agreement.md.j2").stderr == f"错误：{target} 已存在；如需替换请使用 --force\n"
    assert (
        run_coord("template", "check", "agreement.md.j2").stderr == "agreement.md.j2：各语言均可正常生成，没有问题。\n"
    )
    target.write_text("{{ doc.nonexistent_field }}\n", encoding="utf-8")
    checked = run_coord("template", "check", "agreement.md.j2")
    assert checked.exit_code == 1 and checked.stderr.endswith("\nagreement.md.j2：10 个问题。\n")
    assert (
        "en, signed: 模板 agreement.md.j2 第 1 行：'dict object' has no attribute 'nonexistent_field'" in checked.stderr
    )


def test_workspace_docx_template(agreement: Workspace, isolated: Path) -> None:
    ok("template", "copy", "agreement.docx")
    own = docx.Document(isolated / "templates" / "agreement.docx")
    own.paragraphs[0].text = "OUR OWN {{ doc.key }}"
    own.save(isolated / "templates" / "agreement.docx")
    ok("agreement", "render", KEY, "-f", "docx", "-o", "a.docx")
    assert docx.Document(isolated / "a.docx").paragraphs[0].text == f"OUR OWN {KEY}"


def test_matrix_and_register_pdfs(agreement: Workspace, isolated: Path) -> None:
    sign_everyone()
    ok("matrix", "--on", "2024-06-01", "-f", "pdf", "-o", "matrix.pdf")
    matrix = "\n".join(pdf_pages(isolated / "matrix.pdf"))
    assert "Responsibility matrix" in matrix and "market-plan" in matrix and "R#" in matrix
    ok("stakeholder", "list", "-f", "pdf", "--lang", "zh", "-o", "register.pdf")
    register = "\n".join(pdf_pages(isolated / "register.pdf"))
    assert "利益相关方名册" in register and "猎德社工站" in register and EVIL in register


def test_doctor_reports_every_format(agreement: Workspace) -> None:
    rows = json.loads(ok("doctor", "-f", "json"))
    assert [r["format"] for r in rows] == [
        "table, json, csv, yaml, md",
        "html",
        "xlsx",
        "docx",
        "pdf",
        "pdf (speed)",
        "pdf --lang zh",
    ]
    assert all(r["ok"] for r in rows), rows
