"""The QR code on the paper for signature: which agreement, which version, which frozen terms.

The payload is one line a phone camera shows as text and a script splits on ``:``::

    COORD:AGR-2024-001:V1:SHA256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08

Upper case on purpose: the key of a typical agreement, ``V``, digits and the hex hash then
all fall in the QR alphanumeric set (0-9, A-Z, space and ``$%*+-./:``), which packs 2
characters into 11 bits instead of 16. The 93 characters above fit version 5 (37 x 37
modules) at error correction M; the same text in lower case needs byte mode and version 6
(41 x 41). A key with lower-case letters or ``_`` still works (the whole code falls back to
byte mode) and keeps its case: only ``COORD``, ``V`` and ``SHA256`` are case-blind, and the
hash is read back in lower case, as the store keeps it. Agreement keys never hold ``:``.

Drawn with segno: pure Python, no dependencies, standard-conformant (ISO/IEC 18004), and
it writes SVG and PNG itself, so neither Pillow nor a browser is needed to make the code.
"""

from __future__ import annotations

import io
import re
from typing import Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _

PREFIX = "COORD"
ALGORITHM = "SHA256"
SIZE_MM = 25.0
"""Printed side of the code, quiet zone included: 45 modules of 0.56 mm for version 5."""
QUIET_ZONE = 4
"""Modules of white around the symbol, the minimum ISO/IEC 18004 asks for."""
PNG_MODULE_PX = 12
"""Pixels per module in the PNG: 540 px over 25 mm is about 550 dpi, sharp on a 300 or 600 dpi printer."""

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_PAYLOAD = re.compile(
    r"^coord:(?P<key>[A-Za-z0-9][A-Za-z0-9._-]{0,63}):v(?P<version>[1-9][0-9]{0,8}):sha256:(?P<hash>[0-9A-Fa-f]{64})$",
    re.IGNORECASE,
)


def payload(key: str, version: int, terms_hash: str) -> str:
    """``COORD:<key>:V<version>:SHA256:<64 upper-case hex>``, the text the QR code holds."""
    if not _KEY.match(key):
        raise InvalidInput(
            _("agreement key '{key}' cannot go in a QR code: use letters, digits, '-', '_' or '.'").format(key=key)
        )
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput(_("agreement version '{version}' is not a whole number from 1 up").format(version=version))
    if not _HASH.match(terms_hash.lower()):
        raise InvalidInput(
            _("terms hash '{hash}' is not a SHA-256 hash; give the 64 hex digits of the frozen terms").format(
                hash=terms_hash
            )
        )
    return f"{PREFIX}:{key}:V{version}:{ALGORITHM}:{terms_hash.upper()}"


def parse_payload(text: str) -> tuple[str, int, str]:
    """(key, version, hash in lower case) from a scanned code; bad text is InvalidInput, never a guess."""
    found = _PAYLOAD.match(text.strip())
    if found is None:
        shown = text if len(text) <= 200 else text[:197] + "..."  # the longest valid payload has 153 characters
        raise InvalidInput(
            _("'{text}' is not a coord agreement code; expected COORD:<key>:V<version>:SHA256:<64 hex digits>").format(
                text=shown
            )
        )
    return found["key"], int(found["version"]), found["hash"].lower()


def _symbol(text: str) -> Any:
    import segno

    # boost_error: a short payload gets a stronger correction level for free when it fits the same version.
    return segno.make(text, error="m", micro=False, boost_error=True)


def qr_svg(text: str) -> str:
    """Inline ``<svg>`` for HTML and PDF: 25 mm square with its quiet zone painted white, nothing fetched.

    Drawn one unit per module (a 45-unit ``viewBox`` for version 5) and sized with width and
    height in mm: segno's own float ``scale`` floors 25 / (25 / 45) to 44 and leaves the last
    row of the quiet zone unpainted.
    """
    out = io.BytesIO()
    _symbol(text).save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,  # harmless in HTML, needed if the page is XHTML or the SVG is saved on its own
        nl=False,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        omitsize=True,
        title=text,
        svgclass="coord-qr",
        lineclass=None,
    )
    svg = out.getvalue().decode("utf-8")
    size = f'width="{SIZE_MM:g}mm" height="{SIZE_MM:g}mm" shape-rendering="crispEdges" '
    return svg.replace("<svg ", "<svg " + size, 1)


def qr_png(text: str) -> bytes:
    """PNG for DOCX: black on white, its dpi set so that Word and WPS place it at 25 mm by default."""
    symbol = _symbol(text)
    modules = symbol.symbol_size(border=QUIET_ZONE)[0]
    dpi = round(modules * PNG_MODULE_PX / (SIZE_MM / 25.4))
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=PNG_MODULE_PX, border=QUIET_ZONE, dark="#000", light="#fff", dpi=dpi)
    return out.getvalue()
