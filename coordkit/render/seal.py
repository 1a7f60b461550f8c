"""The mark that stands for a RECORDED seal on the signature page: a red ring with the party's name, and
电子记录 ("recorded") where a real seal has its star.

It says that the store records this party's seal on this version, nothing more: no
five-pointed star, no seal number, and the word 电子记录 in the middle, so nobody can
take a printout for the impression of a real seal. Drawn as inline SVG, the name set
character by character along the upper arc (WeasyPrint's SVG has no ``textPath``).
"""

from __future__ import annotations

import functools
import io
import math
import shutil
import subprocess

from markupsafe import Markup, escape

SIZE_MM = 34.0
"""A little smaller than an official seal (42 mm): it marks where the seal is recorded, it does not imitate it."""
RED = "#c8102e"
FONT = "'Noto Serif CJK SC', 'DejaVu Serif', serif"
"""Named on every <text>: WeasyPrint's SVG takes no font from the page's CSS, and fontconfig's own pick for
Chinese is Noto Sans CJK JP (Japanese glyph forms, and two more faces to embed)."""
CENTRE_Y = 60.0
"""Where 电子记录 sits on the 100-unit ring: below the middle, clear of the ends of a long name."""


def _layout(name: str) -> tuple[list[str], float, float, float, float]:
    """(characters, font size, degrees the name spans, degrees between characters, baseline radius) on a 100-unit ring."""
    chars = list(name.strip()) or [" "]
    count = len(chars)
    font = 12.0 if count <= 8 else max(6.0, 12.0 * 8 / count)
    # The arc grows with the name, up to 270° (a long English name).
    spread = min(270.0, max(120.0, count * font * 1.75))
    step = spread / max(count - 1, 1)
    radius = 43.5 - 4.0 - 0.88 * font  # baseline: the glyphs' tops stay 4 units inside the ring
    return chars, font, spread, step, radius


def seal_svg(name: str, centre: str, *, size_mm: float = SIZE_MM) -> Markup:
    """A 100-unit square ring, ``size_mm`` wide: ``name`` around the top, ``centre`` across the middle."""
    chars, font, spread, step, radius = _layout(name)
    count = len(chars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seal-mark" viewBox="0 0 100 100" '
        f'width="{size_mm:g}mm" height="{size_mm:g}mm" role="img" aria-label="{escape(name)} {escape(centre)}">',
        f'<circle cx="50" cy="50" r="45" fill="none" stroke="{RED}" stroke-width="3"/>',
    ]
    for index, char in enumerate(chars):
        angle = -spread / 2 + index * step if count > 1 else 0.0
        x = 50 + radius * math.sin(math.radians(angle))
        y = 50 - radius * math.cos(math.radians(angle))
        parts.append(
            f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({angle:.2f} {x:.2f} {y:.2f})" '
            f'text-anchor="middle" font-family="{FONT}" font-weight="bold" font-size="{font:.1f}" fill="{RED}">'
            f"{escape(char)}</text>"
        )
    middle = 11.0 if len(centre) <= 4 else max(6.0, 44.0 / len(centre))
    parts.append(
        f'<text x="50" y="{CENTRE_Y + middle / 3:.2f}" text-anchor="middle" font-family="{FONT}" font-size="{middle:.1f}" '
        f'fill="{RED}" font-weight="bold">{escape(centre)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


PNG_PX = 480
"""Side of the DOCX picture: 480 px over 34 mm is about 360 dpi."""


@functools.lru_cache(maxsize=1)
def _font_file() -> tuple[str, int] | None:
    """A bold CJK face for the PNG (fontconfig's choice for Noto Serif CJK SC Bold, as the SVG names), or None without one."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(
        ["fc-match", "-f", "%{file}\\n%{index}", "Noto Serif CJK SC:style=Bold"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    if len(found) < 2 or not found[0] or not found[1].isdigit():
        return None
    return found[0], int(found[1])


def seal_png(name: str, centre: str) -> bytes | None:
    """The same mark as ``seal_svg``, as a transparent PNG for DOCX; None when no CJK font is installed.

    Each character is drawn upright on its own tile, turned to its angle on the ring and
    laid on the picture, the way the SVG sets them.
    """
    font_file = _font_file()
    if font_file is None:
        return None
    from PIL import Image, ImageDraw, ImageFont

    scale = PNG_PX / 100
    red = (200, 16, 46, 255)
    picture = Image.new("RGBA", (PNG_PX, PNG_PX), (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    ring = 45 * scale
    middle = PNG_PX / 2
    draw.ellipse((middle - ring, middle - ring, middle + ring, middle + ring), outline=red, width=round(3 * scale))
    chars, font_size, spread, step, radius = _layout(name)
    font = ImageFont.truetype(font_file[0], round(font_size * scale), index=font_file[1])
    tile = round(font_size * scale * 1.6)
    for index, char in enumerate(chars):
        angle = -spread / 2 + index * step if len(chars) > 1 else 0.0
        glyph = Image.new("RGBA", (tile, tile), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((tile / 2, tile / 2), char, font=font, fill=red, anchor="mm")
        turned = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        # the centre of the glyph sits half an em inside the baseline radius of the SVG
        at = (radius + 0.38 * font_size) * scale
        x = middle + at * math.sin(math.radians(angle)) - tile / 2
        y = middle - at * math.cos(math.radians(angle)) - tile / 2
        picture.alpha_composite(turned, (round(x), round(y)))
    size = 11.0 if len(centre) <= 4 else max(6.0, 44.0 / len(centre))
    centre_font = ImageFont.truetype(font_file[0], round(size * scale), index=font_file[1])
    draw.text((middle, CENTRE_Y * scale), centre, font=centre_font, fill=red, anchor="mm")
    out = io.BytesIO()
    picture.save(out, format="PNG", dpi=(round(PNG_PX / (SIZE_MM / 25.4)),) * 2)
    return out.getvalue()
