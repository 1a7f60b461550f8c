"""HTML to PDF with WeasyPrint, refusing Chinese documents when no CJK font is there.

A PDF rendered without a CJK font shows empty boxes instead of Chinese, which
no party could sign; the error says how to get one instead. A font comes from
the system (fontconfig: ``fc-list :lang=zh``) or from the ``[cjk]`` extra
(``pip install 'coordkit[cjk]'``: Noto Sans SC and Noto Serif SC, SIL OFL),
which coord loads through ``@font-face`` under the family names the templates
ask for when fontconfig knows no CJK font, so a machine without any font
package still prints Chinese (a system font, when there is one, is left to do
the work: the documents look as they did before the extra came).
WeasyPrint reads only the template folders, the extra's font folder and
``data:`` URLs (``render.fetcher``).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from coordkit.errors import CoordError
from coordkit.i18n import _

CJK_PACKAGE = "fonts-noto-cjk"
CJK_EXTRA = "pip install 'coordkit[cjk]'"
FONT_MODULE = "pylopdf_fonts_zh_cn"  # the package the [cjk] extra installs
# The families the templates name, each served by one file of the extra (the Sans file also answers to
# "Noto Sans SC": a template written for Google's web fonts finds it too).
FONT_FILES = {
    "Noto Sans CJK SC": "NotoSansSC-Regular.otf",
    "Noto Sans SC": "NotoSansSC-Regular.otf",
    "Noto Serif CJK SC": "NotoSerifSC-Regular.otf",
    "Noto Serif SC": "NotoSerifSC-Regular.otf",
}


class CannotRender(CoordError):
    """This machine lacks something a format needs (WeasyPrint's libraries, a CJK font): the message names the fix."""


@functools.lru_cache(maxsize=1)
def bundled_fonts() -> dict[str, Path]:
    """Family → font file, from the ``[cjk]`` extra (empty without it). Found by path: nothing is imported."""
    spec = importlib.util.find_spec(FONT_MODULE)
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations)))
    return {family: folder / name for family, name in FONT_FILES.items() if (folder / name).is_file()}


@functools.lru_cache(maxsize=1)
def system_cjk_fonts() -> tuple[str, ...]:
    """Families fontconfig knows that cover Chinese (empty when none, or no fontconfig)."""
    if shutil.which("fc-list") is None:
        return ()
    result = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return tuple(sorted({line.split(",")[0].strip() for line in result.stdout.splitlines() if line.strip()}))


def cjk_fonts() -> tuple[str, ...]:
    """Every family that can print Chinese here: the system's, then the extra's."""
    system = system_cjk_fonts()
    return system + tuple(family for family in sorted(bundled_fonts()) if family not in system)


def fonts_to_load() -> dict[str, Path]:
    """The extra's files to load through ``@font-face``: only when the system has no CJK font of its own."""
    return {} if system_cjk_fonts() else bundled_fonts()


def missing_cjk_font() -> CannotRender:
    return CannotRender(
        _(
            "rendering Chinese to PDF needs a CJK font and none is installed; install coord's font extra "
            "({extra}) or a system font (Debian/Ubuntu: apt-get install {package}) and try again"
        ).format(extra=CJK_EXTRA, package=CJK_PACKAGE)
    )


def require_cjk_font() -> None:
    if not cjk_fonts():
        raise missing_cjk_font()


def weasyprint() -> Any:
    try:
        module = _import_weasyprint()
    except (ImportError, OSError) as error:
        raise CannotRender(
            _("PDF output needs WeasyPrint and its system libraries (Pango): {error}; see coord doctor").format(
                error=error
            )
        ) from None
    return module


def _import_weasyprint() -> Any:
    """``import weasyprint``, with ``ctypes.util.find_library`` answering from ldconfig's cache while it runs.

    WeasyPrint opens GObject, Pango, HarfBuzz (and its subset and vector parts), fontconfig and PangoFT2 through
    cffi, trying up to six names for each; for every name that is not a file cffi asks ``find_library``, which on
    Linux runs ``ldconfig -p``, then gcc, then ld for each name it does not find: 54 processes, and 0.45–0.7 s
    for the import here where 0.30–0.33 s remain with the cache (the time of every PDF command). The cache
    answers as ``find_library``'s first step does (``_soname``); gcc and ld add a library only where
    ``LD_LIBRARY_PATH`` or ``LIBRARY_PATH`` point (then nothing is changed) or in the loader's own folders, where
    WeasyPrint's ``.so`` names open it anyway. If the import fails so, it is tried again as WeasyPrint does it.
    """
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    listing = _ldconfig_listing()
    if listing is None:
        import weasyprint as module

        return module
    import ctypes.util

    real = ctypes.util.find_library
    ctypes.util.find_library = functools.partial(_soname, listing)
    try:
        import weasyprint as module
    except (ImportError, OSError):
        ctypes.util.find_library = real
        import weasyprint as module
    finally:
        ctypes.util.find_library = real
    return module


def _ldconfig_listing() -> bytes | None:
    """``ldconfig -p``, as ``ctypes.util`` reads it, on Linux when no library path is set; else None."""
    if not sys.platform.startswith("linux") or os.environ.get("LD_LIBRARY_PATH") or os.environ.get("LIBRARY_PATH"):
        return None
    try:
        listed = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
        )
    except OSError:
        return None
    return listed.stdout if listed.returncode == 0 and listed.stdout else None


def _soname(listing: bytes, name: str) -> str | None:
    """What ``ctypes.util.find_library(name)`` finds in ldconfig's cache (its ``_findSoname_ldconfig``)."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }.get(machine, "libc6")
    found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), listing)
    return os.fsdecode(found.group(1)) if found else None


@functools.cache
def font_config() -> Any:
    """One WeasyPrint font configuration per process, so fonts load once for a batch.

    With a new one per document, each render leaves the loaded CJK faces in reference
    cycles that the garbage collector reaches late: ``render --all`` of 100 contracts
    peaked at 438 MB instead of 212 MB, and each PDF took about 0.06 s longer.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def prepare_pdf(lang: str) -> None:
    """What ``html_to_pdf`` loads before it reads the document: WeasyPrint (0.3 s to import here) and its font
    configuration, so a caller can load them while a second process draws what goes into the document."""
    if lang == "zh":
        require_cjk_font()
    weasyprint()
    font_config()


def has_cjk(text: str) -> bool:
    return re.search(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]", text) is not None


def needs_cjk(html: str, lang: str) -> bool:
    """A document in Chinese, or with Chinese in it (an English agreement names 猎德街道办事处), needs a CJK font."""
    return lang == "zh" or has_cjk(html)


def asset_folders(workspace: Path | None) -> list[Path]:
    """The folders a document may read from: the workspace's templates/ first (relative URLs resolve there), then the built-in ones."""
    from coordkit.render.environment import builtin_dir, workspace_templates

    own = workspace_templates(workspace)
    return [own, builtin_dir()] if own is not None else [builtin_dir()]


def font_face_css(fonts: dict[str, Path]) -> str:
    """``@font-face`` rules that give the templates' family names the extra's files."""
    return "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); }}\n'
        for family, path in sorted(fonts.items())
    )


def html_to_pdf(
    html: str, *, lang: str, workspace: Path | None = None, late: Callable[[], Mapping[str, bytes]] | None = None
) -> bytes:
    """A4 PDF of ``html``; Chinese (asked for, or in the text) needs a CJK font.

    Relative URLs (``<img src="logo.png">``) resolve in the workspace's
    templates/ folder, else the built-in one; anything outside those folders
    stops the rendering with one line naming the URL.

    ``late()`` gives SVG pictures by URL (``render.fetcher.LATE`` + a name), called once the pages are laid out
    and before they are drawn: a picture inside an inline ``<svg>`` of a known size (``<image href=…>``) may still
    be in the making while WeasyPrint lays out the pages, as ``render.report`` draws its charts.
    """
    chinese = needs_cjk(html, lang)
    if chinese:
        require_cjk_font()
    module = weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    from coordkit.render.fetcher import ContainedFetcher, refusal

    folders = asset_folders(workspace)
    fonts = fonts_to_load() if chinese else {}
    fetcher = ContainedFetcher(folders + sorted({path.parent for path in fonts.values()}))
    try:
        document = module.HTML(string=html, base_url=folders[0].resolve().as_uri() + "/", url_fetcher=fetcher)
        config = font_config()
        options: dict[str, Any] = {}
        if fonts:
            options["stylesheets"] = [module.CSS(string=font_face_css(fonts), font_config=config, url_fetcher=fetcher)]
        pages = document.render(font_config=config, **options)
        if late is not None:
            fetcher.late.update(late())
        result = pages.write_pdf(**options)
    except FatalURLFetchingError as error:
        raise refusal(error, folders) from None
    assert isinstance(result, bytes)
    return result
