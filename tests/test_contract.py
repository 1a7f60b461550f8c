"""The contract a street office stamps, read back: PDF text per page (pypdf), the QR code decoded
(zxing-cpp), DOCX paragraphs and tables (python-docx), Markdown; and the refusal of untranslated texts."""

from __future__ import annotations

import copy
import functools
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import zxingcpp
from PIL import Image

from coordkit.domain.translation import untranslated
from coordkit.errors import InvalidInput
from coordkit.render import i18n
from coordkit.render.documents import agreement_context, render_agreement
from coordkit.render.qr import parse_payload
from coordkit.render.templates import SAMPLE_HASH, check_template, sample_agreement, sample_duties

KEY = "AGR-2024-001"
FINGERPRINT = SAMPLE_HASH[:12]
ARTICLES = {
    "zh": [
        "第一条　合作目标",
        "第二条　合作方式",
        "第三条　各方权利与义务",
        "第四条　资源投入",
        "第五条　协议期限与生效",
        "第六条　成效评估与沟通机制",
        "第七条　协议的变更与解除",
        "第八条　违约责任",
        "第九条　争议解决",
        "第十条　附则",
    ],
    "en": [
        "Article 1\u2002Purpose and goals",
        "Article 2\u2002Methods of cooperation",
        "Article 3\u2002Rights and obligations of the parties",
        "Article 4\u2002Resources",
        "Article 5\u2002Term and effectiveness",
        "Article 6\u2002Review and communication",
        "Article 7\u2002Amendment and termination",
        "Article 8\u2002Liability for breach",
        "Article 9\u2002Dispute resolution",
        "Article 10\u2002Counterparts",
    ],
}
RUNNING_HEAD = {"zh": f"{KEY} · 第1版", "en": f"{KEY} · Version 1"}
MARK = {"zh": f"指纹 {FINGERPRINT}", "en": f"Fingerprint {FINGERPRINT}"}
STATEMENT = {
    "zh": f"（本页无正文，为《公益市集合作协议》（协议编号：{KEY}，第1版，指纹：{FINGERPRINT}）之签署页）",
    "en": (
        "This page bears no further terms: it is the signature page of “Monthly public-welfare market”, "
        f"agreement no. {KEY}, version 1, fingerprint {FINGERPRINT}."
    ),
}
NO_MORE_TEXT = {"zh": "（以下无正文）", "en": "(The rest of this page is intentionally left blank)"}
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def sample(status: str = "circulating", **changes: Any) -> dict[str, Any]:
    doc, _ = sample_agreement(status)
    return {**copy.deepcopy(dict(doc)), **changes}


def stakeholders() -> list[Any]:
    return sample_agreement()[1]


@functools.cache
def pdf(status: str, lang: str, seam: bool = False) -> bytes:
    doc, people = sample_agreement(status)
    out = render_agreement(doc, people, fmt="pdf", lang=lang, workspace=None, duties=sample_duties(), seam=seam)
    assert isinstance(out, bytes)
    return out


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def signature_page(text: list[str]) -> int:
    """The index of the signature page (English runs a page longer than Chinese)."""
    (found,) = [n for n, page in enumerate(text) if page.startswith(("签署页", "Signature page", "草稿\n签署页"))]
    return found


def flat(text: str) -> str:
    """The text without the line breaks the PDF puts inside long lines."""
    return text.replace("\n", "")


def qr_codes(data: bytes, page: int, tmp_path: Path) -> list[tuple[str, int, str]]:
    (tmp_path / "doc.pdf").write_bytes(data)
    stem = tmp_path / f"page{page}"
    pages_wanted = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", *pages_wanted, str(tmp_path / "doc.pdf"), str(stem)],
        check=True,
    )
    image = Image.open(f"{stem}.png")
    return [
        parse_payload(code.text)
        for code in zxingcpp.read_barcodes(image)
        if code.format == zxingcpp.BarcodeFormat.QRCode
    ]


# ------------------------------------------------------------------ the paper to sign (PDF)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_circulating_pdf_is_the_paper_to_sign(lang: str) -> None:
    text = pages(pdf("circulating", lang))
    count = len(text)
    assert count == {"zh": 4, "en": 5}[lang]  # the terms, the signature page, the annex
    for number, page in enumerate(text, start=1):
        assert RUNNING_HEAD[lang] in page and MARK[lang] in page, number
        if lang == "zh":
            assert f"第 {number} 页，共 {count} 页" in page
        else:
            assert f"Page {number} of {count}" in page
    whole = "\n".join(text)
    assert "草稿" not in whole and "DRAFT" not in whole and "Draft" not in whole
    # The articles in their fixed order, each once, then （以下无正文） and only then the signature page.
    positions = [whole.index(heading) for heading in ARTICLES[lang]]
    assert positions == sorted(positions)
    assert all(whole.count(heading) == 1 for heading in ARTICLES[lang])
    assert whole.index(NO_MORE_TEXT[lang]) > positions[-1]
    signing = signature_page(text)
    assert signing == count - 2 and text[-1].startswith(("附件：职责对照表", "Annex: Duties by party"))
    assert NO_MORE_TEXT[lang] in text[signing - 1]
    # The statement that names the agreement (the PDF breaks its line where the page did).
    title = "签署页" if lang == "zh" else "Signature page"
    assert (
        flat(text[signing])
        .replace("Monthlypublic", "Monthly public")
        .replace("1,fingerprint", "1, fingerprint")
        .startswith(title + STATEMENT[lang])
    )
    assert SAMPLE_HASH in text[signing]
    # No tags, no empty sections, no English words in the Chinese body.
    body = "\n".join(text[:signing])
    for leak in ("无。", "None.", "(职责", "（职责", "(duty", "market-plan, R", ", R)", "300000"):
        assert leak not in body, leak
    if lang == "zh":
        for word in ("funds", "venue", "volunteers", "sessions", "people", "phone", "Party"):
            assert word not in body, word


def test_chinese_body_reads_as_a_contract() -> None:
    first, second = (flat(page) for page in pages(pdf("circulating", "zh"))[:2])
    assert first.startswith(
        "公益市集合作协议协议编号：AGR-2024-001　第1版　指纹：9f86d081884c扫码核对条款甲方：猎德街道办事处"
    )
    for line in (
        "地址：广州市天河区猎德路100号",
        "法定代表人（负责人）：李伟",
        "统一社会信用代码：11440106MB2C12345X",
        "联系方式：手机 139 0000 1111；微信 liede-sw",
        "经各方友好协商，本着平等自愿、诚实信用、互利共赢的原则，就公益市集合作事宜达成如下协议",
        "（一）甲方的权利1.随时检查市集运营情况。",
        "1.分两期拨付项目资金（于2024年3月15日前完成）。",
    ):
        assert line in first, line
    for line in (
        "1.策划并组织实施公益市集（每月一次；不少于7场，每场不少于200人）。",
        "2.向甲方报告工作进展（每季度一次）。",
        "（一）甲方提供资金人民币叁拾万元整（¥300,000.00）。",
        "（二）乙方提供志愿者20人。",
        "（三）丙方提供场地：猎德广场，时间为每月第一个星期六 09:00-12:00。",
        "（一）本协议有效期自2024年3月1日起至2024年12月31日止。",
        "（二）任何一方需在期满前解除本协议的，应至少提前30天书面通知其他各方。",
        "（三）本协议自各方签字并盖章之日起生效。",
        "（一）各方每季度对合作成效进行一次评估，总结经验教训。",
        # an article of one paragraph is not numbered
        "第八条　违约责任任何一方未履行本协议约定义务给其他方造成损失的，应依法承担赔偿责任。第九条",
        "第十条　附则本协议一式三份，各方各执一份，具有同等法律效力。（以下无正文）",
    ):
        assert line in second, line


def test_english_body_writes_amounts_and_cadences_in_words() -> None:
    whole = flat("\n".join(pages(pdf("circulating", "en"))[:2]))
    for line in (
        "Party A: Liede Street Office (猎德街道办事处)",
        "Legal representative (person in charge): 李伟",
        "4.1 Party A provides funds: CNY 300,000.00.",
        "4.2 Party B provides volunteers: 20 people.",
        "(a) Plan and run the market (every month; at least 7 sessions, each with at least200 people).",
        "(b) Report progress to Party A (every quarter).",
        "4.3 Party C provides a venue (The square), the first Saturday of every month,09:00-12:00.",
        "5.1 This agreement runs from 1 March 2024 to 31 December 2024.",
        "(a) Pay the funds in two instalments (by 15 March 2024).3.3 Rights of Party B",
        "Article 8\u2002Liability for breachA party that fails its obligations",
    ):
        assert line in whole, line


@needs_pdftoppm
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_qr_on_first_and_signature_pages_decodes_to_key_version_and_hash(lang: str, tmp_path: Path) -> None:
    data = pdf("circulating", lang)
    signing = signature_page(pages(data)) + 1
    for page in (1, signing):
        assert qr_codes(data, page, tmp_path) == [(KEY, 1, SAMPLE_HASH)], page
    assert qr_codes(data, 2, tmp_path) == []


@needs_pdftoppm
def test_draft_has_no_code_and_says_draft_on_every_page(tmp_path: Path) -> None:
    data = pdf("draft", "zh")
    text = pages(data)
    for page in text:
        assert "草稿" in page and "指纹" not in page
    assert "草稿：传签前不得签署，条款仍可修改。" in text[0]
    assert f"签署页（本页无正文，为《公益市集合作协议》（协议编号：{KEY}，第1版，草稿）之签署页）" in flat(text[2])
    assert qr_codes(data, 1, tmp_path) == []
    english = pages(pdf("draft", "en"))
    assert all("DRAFT" in page for page in english)


def test_signed_version_shows_recorded_signatures_and_seals_not_blanks() -> None:
    signature_page = flat(pages(pdf("signed", "zh"))[2])
    for line in (
        "甲方（盖章）：猎德街道办事处签署记录：李伟（主任）于2024年2月20日签字并盖章。已盖章（电子记录，非印模）",
        "乙方（盖章）：猎德社工站签署记录：陈静（站长）于2024年2月21日盖章。已盖章（电子记录，非印模）",
        "丙方（盖章）：猎德社区居民委员会签署记录：黄丽（主任）于2024年2月21日签字并盖章。",
    ):
        assert line in signature_page, line
    assert signature_page.count("电子记录") == 6  # the note under each seal and the word inside its ring
    assert "签字）：" not in signature_page and "盖章处" not in signature_page
    english = flat(pages(pdf("signed", "en"))[3])
    assert (
        "Party A (seal): Liede Street OfficeSigned by 李伟, 主任 on 20 February 2024 (signature and seal)." in english
    )
    assert english.count("Seal recorded: a record of theseal, not an impression of it.") == 3
    assert "猎德街道办事处RECORDED" in english  # a Chinese organisation's seal bears its Chinese name


def test_circulating_signature_page_has_blanks_and_the_expected_signers() -> None:
    signature_page = flat(pages(pdf("circulating", "zh"))[2])
    assert (
        "甲方（盖章）：猎德街道办事处法定代表人或授权代表（签字）：拟签署人：李伟（主任）日期：______年____月____日盖章处"
        in signature_page
    )
    assert signature_page.count("盖章处") == 3 and "签署记录" not in signature_page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_annex_lists_the_duties_with_their_articles(lang: str) -> None:
    annex = pages(pdf("circulating", lang))[-1]
    rows = {
        "zh": [
            "1 market-funding 市集资金保障 公益市集 甲方：猎德街道办事处 负责（A） 第三条（二）1",
            "2 market-plan 市集策划与运营 公益市集 乙方：猎德社工站 执行（R） 第三条（四）1",
            "3 progress-report 进展报告 报告与评估 乙方：猎德社工站 执行（R） 第三条（四）2",
            "4 market-venue 提供活动场地 公益市集 丙方：猎德社区居民委员会 执行（R） 第三条（五）1",
        ],
        "en": [
            "1 market-funding Fund the market Public-welfare",
            "2 market-plan Plan the market Public-welfare",
            "3 progress-report Report progress Reporting",
            "4 market-venue Provide the venue Public-welfare",
        ],
    }[lang]
    assert annex.startswith("附件：职责对照表" if lang == "zh" else "Annex: Duties by party")
    table = flat(annex)
    for row in rows:
        assert row.replace(" ", "") in table.replace(" ", ""), row
    if lang == "en":
        for cited in ("Accountable (A) 3.2(a)", "Responsible (R) 3.4(a)", "Responsible (R) 3.4(b)", "3.5(a)"):
            assert cited.replace(" ", "") in table.replace(" ", ""), cited


def test_superseded_and_terminated_versions_say_so_on_every_page() -> None:
    for page in pages(pdf("superseded", "zh")):
        assert "已被第2版取代" in page
    assert "本版本已被第2版取代，不再有效。" in pages(pdf("superseded", "zh"))[0]
    english = pages(pdf("superseded", "en"))
    assert all("SUPERSEDED BY VERSION 2" in page for page in english)
    terminated = pages(pdf("terminated", "zh"))
    assert all("已于2024年6月30日解除" in page for page in terminated)
    assert "本协议已于2024年6月30日解除。解除原因：场地改建，市集停办" in terminated[0]


def test_seam_marks_on_every_page_only_when_asked() -> None:
    marked = pages(pdf("circulating", "zh", seam=True))
    assert len(marked) == 4 and all("骑缝章" in page for page in marked)
    assert not any("骑缝章" in page for page in pages(pdf("circulating", "zh")))


# ------------------------------------------------------------------ texts with no Chinese


def test_untranslated_lists_every_text_without_chinese_by_field_path() -> None:
    doc = sample()
    assert untranslated(doc) == []
    doc["goals"][1]["text_zh"] = None
    doc["parties"][2]["name_zh"] = None
    doc["obligations"][1]["target"]["each_unit"] = "visitors"
    doc["resources"][1]["description_zh"] = ""
    doc["resources"][2] = {**doc["resources"][2], "kind": "sound system", "amount": "2", "unit": "sets"}
    doc["clauses"][4]["text_zh"] = None
    doc["resources"][0]["unit"] = "元"  # coord's own unit, and Chinese words of the party's own, need nothing
    doc["parties"][1] = {**doc["parties"][1], "name": "猎德社工站", "name_zh": None}  # a name typed in Chinese
    doc["methods"] = [
        {"text": "每月举办一次 DIY 市集", "text_zh": None},
        {"text": "Stalls on 猎德 square", "text_zh": None},
    ]
    assert untranslated(doc) == [
        ("parties[2].name", "Liede Neighbourhood Committee"),
        ("goals[1]", "Bring neighbours, merchants and volunteers together"),
        ("methods[1]", "Stalls on 猎德 square"),
        ("obligations[1].target.each_unit", "visitors"),
        ("clauses[4]", "This agreement is made in three counterparts, one for each party, each equally authentic"),
        ("resources[1].description", "The square"),
        ("resources[2].kind", "sound system"),
        ("resources[2].unit", "sets"),
    ]


def test_chinese_render_refuses_untranslated_texts_with_the_list() -> None:
    doc = sample()
    doc["goals"][1]["text_zh"] = None
    doc["methods"][0]["text_zh"] = None
    with pytest.raises(InvalidInput) as error:
        render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None)
    assert str(error.value) == (
        "2 texts have no Chinese: goals[1] 'Bring neighbours, merchants and volunte…', "
        "methods[0] 'The street office funds the market; the…'; add them, or render with --allow-untranslated"
    )
    # English needs no Chinese.
    assert "Bring neighbours" in str(render_agreement(doc, stakeholders(), fmt="md", lang="en", workspace=None))


def test_refusal_counts_them_all_and_quotes_the_first_five() -> None:
    doc = sample()
    for obligation in doc["obligations"]:
        obligation["text_zh"] = None
    doc["title_zh"] = None
    doc["rights"][0]["text_zh"] = None
    with pytest.raises(InvalidInput) as error:
        agreement_context(doc, stakeholders(), "zh")
    message = str(error.value)
    assert message.startswith(
        "6 texts have no Chinese, the first 5: title 'Monthly public-welfare market', rights[0] 'Inspect the market"
    )
    assert "obligations[2]" in message and "obligations[3]" not in message
    assert message.endswith("; add them, or render with --allow-untranslated")


def test_duty_titles_without_chinese_are_refused_too() -> None:
    duties = sample_duties()
    duties["market-plan"] = {**duties["market-plan"], "title_zh": None}
    with pytest.raises(InvalidInput) as error:
        agreement_context(sample(), stakeholders(), "zh", duties=duties)
    assert str(error.value) == (
        "1 text has no Chinese: duties[market-plan].title 'Plan the market'; "
        "add it, or render with --allow-untranslated"
    )


def test_allowed_untranslated_texts_print_in_english_marked() -> None:
    doc = sample()
    doc["goals"][1]["text_zh"] = None
    doc["resources"][2]["unit"] = "volunteers"
    markdown = str(render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None, allow_untranslated=True))
    assert "（二）【未译】Bring neighbours, merchants and volunteers together。\n" in markdown
    assert "（二）乙方提供志愿者【未译】20 volunteers。\n" in markdown
    html = str(render_agreement(doc, stakeholders(), fmt="html", lang="zh", workspace=None, allow_untranslated=True))
    assert '<p class="item untranslated"><span class="mark">（二）</span>【未译】Bring neighbours' in html


def test_document_in_the_older_shape_prints_its_texts_as_written() -> None:
    """Texts as plain strings (no ``form``): one text per term, in whichever language it was typed."""
    doc = sample()
    del doc["form"]
    doc["goals"] = ["A monthly market", "居民自我服务"]
    doc["rights"] = [{"party": "liede-sw", "text": "Use the square"}]
    markdown = str(render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None))
    assert "（一）A monthly market。\n\n（二）居民自我服务。\n" in markdown
    assert "【未译】" not in markdown


# ------------------------------------------------------------------ what is left out, what is frozen


def test_empty_sections_are_left_out_and_the_articles_renumbered() -> None:
    doc = sample(methods=[], clauses=[], communication=[], review_every=None, rights=[], dispute_resolution=[])
    context = agreement_context(doc, stakeholders(), "zh", duties=sample_duties())
    assert [a["heading"] for a in context["articles"]] == [
        "第一条　合作目标",
        "第二条　各方权利与义务",
        "第三条　资源投入",
        "第四条　协议期限与生效",
    ]
    markdown = str(render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None, duties=sample_duties()))
    assert "无。" not in markdown and "争议解决" not in markdown
    assert (
        "| 1 | market-funding | 市集资金保障 | 公益市集 | 甲方：猎德街道办事处 | 负责（A） | 第二条（一）1 |"
        in markdown
    )


def test_party_particulars_print_as_frozen_not_as_the_register_says_today() -> None:
    people = stakeholders()
    people[0] = {**people[0], "name": "Renamed Office", "name_zh": "改名后的街道办"}
    markdown = str(render_agreement(sample(), people, fmt="md", lang="zh", workspace=None))
    assert "**甲方：猎德街道办事处**" in markdown and "改名" not in markdown


# ------------------------------------------------------------------ DOCX and Markdown


def test_docx_has_the_same_articles_signature_table_and_annex() -> None:
    doc, people = sample_agreement("signed")
    data = render_agreement(doc, people, fmt="docx", lang="zh", workspace=None, duties=sample_duties())
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert [p for p in paragraphs if p.startswith("第") and "条　" in p] == ARTICLES["zh"]
    assert "（一）甲方提供资金人民币叁拾万元整（¥300,000.00）。" in paragraphs
    assert paragraphs.index("（以下无正文）") < paragraphs.index("签署页") < paragraphs.index("附件：职责对照表")
    assert STATEMENT["zh"] in paragraphs
    signing, annex = document.tables
    assert [row.cells[0].text.split("\n")[:2] for row in signing.rows] == [
        ["甲方（盖章）：猎德街道办事处", "签署记录：李伟（主任）于2024年2月20日签字并盖章。"],
        ["乙方（盖章）：猎德社工站", "签署记录：陈静（站长）于2024年2月21日盖章。"],
        ["丙方（盖章）：猎德社区居民委员会", "签署记录：黄丽（主任）于2024年2月21日签字并盖章。"],
    ]
    assert [[c.text for c in row.cells] for row in annex.rows][:2] == [
        ["序号", "职责编号", "职责名称", "类别", "承担方", "分工", "对应条款"],
        ["1", "market-funding", "市集资金保障", "公益市集", "甲方：猎德街道办事处", "负责（A）", "第三条（二）1"],
    ]
    assert len(annex.rows) == 5
    # Two QR codes (first page, signature page) and three recorded seals.
    assert len(document.inline_shapes) == 5
    assert document.sections[0].header.paragraphs[0].text == f"{KEY} · 第1版 · 指纹 {FINGERPRINT}"
    # Chinese layout: every paragraph's first line indented two characters, numbers inline.
    item = document.styles["Contract Item"].paragraph_format
    assert (item.first_line_indent.pt, item.left_indent.pt) == (21.0, 0.0)


def test_docx_of_a_circulating_version_has_blanks_to_sign() -> None:
    doc, people = sample_agreement("circulating")
    data = render_agreement(doc, people, fmt="docx", lang="en", workspace=None, duties=sample_duties())
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    first = [c.text for c in document.tables[0].rows[0].cells]
    assert first == [
        "Party A (seal): Liede Street Office\n"
        "Legal representative or authorised signatory (signature):________________\n"
        "To be signed by 李伟, 主任\n"
        "Date:____ / ____ / ________",
        "(Seal)",
    ]
    assert len(document.inline_shapes) == 2
    # English layout: the number (3.1, (a)) hangs in 10 mm, followed by a tab.
    item = document.styles["Contract Item"].paragraph_format
    assert (round(item.first_line_indent.mm), round(item.left_indent.mm)) == (-10, 10)
    assert "1.1\tA monthly market run by residents." in [p.text for p in document.paragraphs]


def test_markdown_contract_in_english() -> None:
    doc, people = sample_agreement("circulating")
    markdown = str(render_agreement(doc, people, fmt="md", lang="en", workspace=None, duties=sample_duties()))
    assert markdown.startswith(
        "# Monthly public-welfare market\n\nCooperation agreement\n\n_公益市集合作协议_\n\n"
        f"Agreement no. {KEY} · Version 1 · Fingerprint {FINGERPRINT}\n\n"
        "**Party A: Liede Street Office** (猎德街道办事处)\n\n- Address: 广州市天河区猎德路100号\n"
    )
    assert (
        "## Article 3\u2002Rights and obligations of the parties\n\n**3.1 Rights of Party A**\n\n"
        "(a) Inspect the market at any time.\n\n**3.2 Obligations of Party A**\n\n"
        "(a) Pay the funds in two instalments (by 15 March 2024).\n\n"
    ) in markdown
    assert "## Article 10\u2002Counterparts\n\nThis agreement is made in three counterparts" in markdown
    assert (
        f"(The rest of this page is intentionally left blank)\n\n---\n\n## Signature page\n\n{STATEMENT['en']}\n\n"
    ) in markdown
    assert (
        "| 2 | market-plan | Plan the market | Public-welfare markets | Party B: Liede Social Work Station |"
        in markdown
    )


def test_builtin_templates_check_clean_at_every_stage(tmp_path: Path) -> None:
    for name in ("agreement.html.j2", "agreement.md.j2", "agreement.docx"):
        assert check_template(name, tmp_path) == [], name


# ------------------------------------------------------------------ the words


def test_amounts_cadences_slots_and_numbers_in_document_words() -> None:
    assert i18n.amount("300000", "CNY", "zh") == "人民币叁拾万元整（¥300,000.00）"
    assert i18n.amount("300000", "CNY", "en") == "CNY 300,000.00"
    assert i18n.amount("1200.5", "hours", "en") == "1,200.5 hours"
    assert i18n.amount("1", "people", "en") == "1 person"
    assert i18n.amount("7", "sessions", "zh", measure=True) == "7场"
    assert i18n.amount("20", "hours a week", "zh") == "20 hours a week"
    assert i18n.amount("4", "名社工", "zh") == "4名社工"
    assert [i18n.every(c, "zh") for c in ("1w", "2w", "1m", "3m", "6m", "1y", "5d", "4m")] == [
        "每周",
        "每两周",
        "每月",
        "每季度",
        "每半年",
        "每年",
        "每5天",
        "每4个月",
    ]
    assert [i18n.every(c, "en") for c in ("3m", "4m", "1d", "20w")] == [
        "every quarter",
        "every four months",
        "every day",
        "every 20 weeks",
    ]
    assert i18n.period("30d", "zh") == "30天" and i18n.period("1m", "en") == "1 month"
    assert i18n.slot("weekly sat 14:00-17:00", "zh") == "每星期六 14:00-17:00"
    assert i18n.slot("monthly last sun", "en") == "the last Sunday of every month"
    assert i18n.slot("2024-06-01..2024-06-03", "zh") == "2024年6月1日至2024年6月3日每天"
    assert i18n.slot("on market days", "en") == "on market days"
    assert [i18n.zh_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 101, 110, 112)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零一",
        "一百一十",
        "一百一十二",
    ]
    assert i18n.article(12, "zh") == "第十二条" and i18n.article(12, "en") == "Article 12"
    assert [i18n.letter(x, "zh") for x in "RACI"] == ["执行（R）", "负责（A）", "咨询（C）", "知会（I）"]
    assert i18n.method("wet-ink", "zh") == "签字" and i18n.method("signature+seal", "en") == "signature and seal"
    assert i18n.format_date("2024-03-01", "en") == "1 March 2024"


def test_obligation_qualifiers_say_nothing_twice_and_first_due_for_recurring() -> None:
    doc = sample()
    plan, report = doc["obligations"][1], doc["obligations"][2]
    plan["text_zh"] = "策划市集，全年不少于7场"
    report.update(text_zh="每季度向甲方报告工作进展", text="Report progress to Party A every quarter", due="2024-03-31")
    zh = str(render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None))
    assert "1. 策划市集，全年不少于7场（每月一次）。\n" in zh
    assert "2. 每季度向甲方报告工作进展（首次于2024年3月31日前完成）。\n" in zh
    en = str(render_agreement(doc, stakeholders(), fmt="md", lang="en", workspace=None))
    assert "(b) Report progress to Party A every quarter (first by 31 March 2024).\n" in en


def test_a_resource_whose_description_says_the_day_says_it_once() -> None:
    """The demo's market square: "每月第二个星期六的猎德广场，时间为每月第二个星期六 09:00-17:00" said the day twice."""
    doc = sample()
    venue = doc["resources"][1]
    venue.update(
        description="The square on the first Saturday of every month", description_zh="每月第一个周六的猎德广场"
    )
    zh = str(render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None))
    assert "（三）丙方提供场地：每月第一个周六的猎德广场，时间为09:00-12:00。\n" in zh
    en = str(render_agreement(doc, stakeholders(), fmt="md", lang="en", workspace=None))
    assert "Party C provides a venue (The square on the first Saturday of every month), 09:00-12:00.\n" in en
    venue.update(when="monthly first sat")  # the whole day, already said: nothing more
    zh = str(render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None))
    assert "（三）丙方提供场地：每月第一个周六的猎德广场。\n" in zh
    venue.update(when="weekly sun 09:00-12:00")  # another day than the description's: both said
    zh = str(render_agreement(doc, stakeholders(), fmt="md", lang="zh", workspace=None))
    assert "（三）丙方提供场地：每月第一个周六的猎德广场，时间为每星期日 09:00-12:00。\n" in zh
    assert i18n.slot_beside("monthly second sat 09:00-17:00", "zh", "每月第二个礼拜六的广场") == "09:00-17:00"
    assert i18n.slot_beside("monthly second sat 09:00-17:00", "zh", None) == "每月第二个星期六 09:00-17:00"
    assert i18n.slot_beside("on market days", "en", "on market days") == "on market days"


def test_signed_without_a_seal_leaves_no_place_for_one_and_seals_bear_the_bare_name() -> None:
    doc = sample("signed")
    doc["signatures"][1]["method"] = "signature"
    doc["parties"][0]["name_zh"] = "猎德街道办事处（职能部门）"
    context = agreement_context(doc, stakeholders(), "zh")
    street, station, _ = context["signing"]
    assert street["seal_name"] == "猎德街道办事处" and "（职能部门）" not in str(street["seal"])
    assert station["seal"] is None and station["recorded"] == "签署记录：陈静（站长）于2024年2月21日签字。"
    html = str(render_agreement(doc, stakeholders(), fmt="html", lang="zh", workspace=None))
    assert html.count('class="seal-area"') == 2 and "盖章处" not in html


def test_no_more_text_is_kept_with_the_last_paragraph() -> None:
    html = str(render_agreement(sample(), stakeholders(), fmt="html", lang="zh", workspace=None))
    tail = html[html.index('<div class="tail">') :]
    assert tail.split("</div>")[0].split() == [
        "<div",
        'class="tail">',
        "<p",
        'class="item">本协议一式三份，各方各执一份，具有同等法律效力。</p>',
        "<p",
        'class="end">（以下无正文）</p>',
    ]
    assert ".tail { page-break-inside: avoid; }" in html


def test_chinese_is_set_in_the_simplified_chinese_face_only() -> None:
    """Margins and seals name their font too: fontconfig's own pick for Chinese is the Japanese face."""
    for lang, expected in (
        ("zh", ["Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"]),
        ("en", ["DejaVu-Serif", "DejaVu-Serif-Bold", "Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"]),
    ):
        fonts = set()
        for page in pypdf.PdfReader(io.BytesIO(pdf("signed", lang))).pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
        assert sorted(fonts) == expected, lang


def test_every_format_marks_a_superseded_version() -> None:
    doc, people = sample_agreement("superseded")
    markdown = str(render_agreement(doc, people, fmt="md", lang="zh", workspace=None))
    assert "\n> **本版本已被第2版取代，不再有效。**\n" in markdown
    data = render_agreement(doc, people, fmt="docx", lang="en", workspace=None)
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == (
        f"{KEY} · Version 1 · SUPERSEDED BY VERSION 2 · Fingerprint {FINGERPRINT}"
    )
    assert "Superseded by version 2: this version is no longer in force." in [p.text for p in document.paragraphs]
