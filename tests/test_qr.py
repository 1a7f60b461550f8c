"""The QR code for the paper to sign, decoded back with a real decoder (zxing-cpp) from PNG, PDF and DOCX."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import zxingcpp
from PIL import Image

from coordkit.errors import InvalidInput
from coordkit.render.documents import agreement_context
from coordkit.render.docx import render_docx
from coordkit.render.qr import parse_payload, payload, qr_png, qr_svg
from coordkit.render.templates import sample_agreement

HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
TEXT = f"COORD:AGR-2024-001:V1:SHA256:{HASH.upper()}"


def decode(image: Image.Image) -> list[zxingcpp.Barcode]:
    return [code for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def test_payload_is_short_upper_case_and_parses_back() -> None:
    assert payload("AGR-2024-001", 1, HASH) == TEXT
    assert payload("AGR-2024-001", 1, HASH.upper()) == TEXT
    assert len(TEXT) == 93
    assert parse_payload(TEXT) == ("AGR-2024-001", 1, HASH)
    # A key keeps its case; the fixed words and the hash are case-blind; a scanner's trailing newline is fine.
    own = payload("liede_market.2", 12, HASH)
    assert own == f"COORD:liede_market.2:V12:SHA256:{HASH.upper()}"
    assert parse_payload(own) == ("liede_market.2", 12, HASH)
    assert parse_payload(f"coord:AGR-2024-001:v3:sha256:{HASH}\n") == ("AGR-2024-001", 3, HASH)


@pytest.mark.parametrize(
    "text",
    [
        f"COORD:AGR-2024-001:V1:SHA256:{HASH[:-1]}",  # 63 hex digits
        f"COORD:AGR-2024-001:V1:SHA256:{HASH}0",
        f"COORD:AGR-2024-001:V0:SHA256:{HASH}",
        f"COORD:AGR-2024-001:1:SHA256:{HASH}",
        f"COORD:AGR-2024-001:V1:MD5:{HASH}",
        f"COORD:AGR:2024:V1:SHA256:{HASH}",
        f"XCOORD:AGR-2024-001:V1:SHA256:{HASH}",
        f"COORD:AGR-2024-001:V1:SHA256:{'g' * 64}",
        "",
    ],
)
def test_parse_refuses_anything_else(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_payload(text)
    assert str(error.value) == (
        f"'{text}' is not a coord agreement code; expected COORD:<key>:V<version>:SHA256:<64 hex digits>"
    )


def test_parse_shortens_long_junk_in_its_message() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_payload("x" * 201)
    assert str(error.value) == (
        f"'{'x' * 197}...' is not a coord agreement code; expected COORD:<key>:V<version>:SHA256:<64 hex digits>"
    )


def test_payload_refuses_what_would_not_parse_back() -> None:
    with pytest.raises(InvalidInput) as error:
        payload("AGR:1", 1, HASH)
    assert str(error.value) == "agreement key 'AGR:1' cannot go in a QR code: use letters, digits, '-', '_' or '.'"
    with pytest.raises(InvalidInput) as error:
        payload("AGR-2024-001", 0, HASH)
    assert str(error.value) == "agreement version '0' is not a whole number from 1 up"
    with pytest.raises(InvalidInput) as error:
        payload("AGR-2024-001", 1, "abc")
    assert str(error.value) == "terms hash 'abc' is not a SHA-256 hash; give the 64 hex digits of the frozen terms"


def test_png_decodes_back_and_prints_at_25_mm() -> None:
    image = Image.open(io.BytesIO(qr_png(TEXT)))
    # Version 5 (37 modules) plus a 4-module quiet zone on each side, 12 px a module.
    assert image.size == (45 * 12, 45 * 12)
    dpi = image.info["dpi"][0]
    assert 45 * 12 / dpi * 25.4 == pytest.approx(25.0, abs=0.1)
    (code,) = decode(image)
    assert code.text == TEXT
    assert code.ec_level == "M"
    assert parse_payload(code.text) == ("AGR-2024-001", 1, HASH)


def test_svg_is_self_contained_and_25_mm() -> None:
    svg = qr_svg(TEXT)
    assert svg.startswith('<svg width="25mm" height="25mm" ')
    assert 'viewBox="0 0 45 45"' in svg
    assert '<path fill="#fff" d="M0 0h45v45h-45z"/>' in svg  # the whole quiet zone painted white
    assert "href" not in svg and "url(" not in svg and "<image" not in svg


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_svg_in_a_weasyprint_pdf_decodes_back(tmp_path: Path) -> None:
    import weasyprint

    text = payload("AGR-2024-007", 2, HASH)
    html = f"<html><body><p>Scan to check the terms</p>{qr_svg(text)}</body></html>"
    (tmp_path / "qr.pdf").write_bytes(weasyprint.HTML(string=html).write_pdf())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "qr.pdf"), str(tmp_path / "page")], check=True
    )
    (code,) = decode(Image.open(tmp_path / "page.png"))
    assert parse_payload(code.text) == ("AGR-2024-007", 2, HASH)
    # The symbol without its quiet zone: 37 of the 45 modules across 25 mm, 20.6 mm, 121 px at 150 dpi.
    position = code.position
    side_mm = (position.top_right.x - position.top_left.x) / 150 * 25.4
    assert side_mm == pytest.approx(37 / 45 * 25, abs=0.6)


def render_with(template_text: str, doc: dict[str, object], tmp_path: Path) -> bytes:
    own = docx.Document()
    own.add_paragraph(template_text)
    (tmp_path / "templates").mkdir(exist_ok=True)
    own.save(tmp_path / "templates" / "agreement.docx")
    _, stakeholders = sample_agreement()
    return render_docx(agreement_context(doc, stakeholders, "en"), tmp_path)


def test_docx_templates_can_place_the_code(tmp_path: Path) -> None:
    doc, _ = sample_agreement()
    doc = {**doc, "terms_hash": HASH}
    rendered = render_with("Scan: {{ qr_image() }}", doc, tmp_path)
    with zipfile.ZipFile(io.BytesIO(rendered)) as package:
        (media,) = [name for name in package.namelist() if name.startswith("word/media/")]
        (code,) = decode(Image.open(io.BytesIO(package.read(media))))
    assert parse_payload(code.text) == ("AGR-2024-001", 1, HASH)
    (shape,) = docx.Document(io.BytesIO(rendered)).inline_shapes
    assert shape.width.mm == pytest.approx(25.0)
    draft = {**doc, "terms_hash": None, "fingerprint": None, "status": "draft", "signatures": []}
    rendered = render_with("Scan: {{ qr_image() }}", draft, tmp_path)
    assert not docx.Document(io.BytesIO(rendered)).inline_shapes
    assert docx.Document(io.BytesIO(rendered)).paragraphs[0].text == "Scan: "
