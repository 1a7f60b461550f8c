"""What each output format needs, and whether this machine has it (``coord doctor``)."""

from __future__ import annotations

import ctypes.util
import importlib.util
from typing import Any

from coordkit.i18n import _


def _module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def diagnose() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"format": "table, json, csv, yaml, md", "ok": True, "detail": "built in", "fix": ""},
    ]
    for fmt, module, detail in (
        ("html", "jinja2", "Jinja2"),
        ("xlsx", "openpyxl", "openpyxl"),
        ("docx", "docxtpl", "docxtpl (python-docx)"),
    ):
        ok = _module(module)
        rows.append(
            {
                "format": fmt,
                "ok": ok,
                "detail": detail if ok else f"{detail} is not installed",
                "fix": "" if ok else f"pip install {module}",
            }
        )
    weasy_ok, weasy_detail = False, "WeasyPrint is not installed"
    if _module("weasyprint"):
        try:
            import weasyprint

            weasy_ok, weasy_detail = True, f"WeasyPrint {weasyprint.__version__} with Pango"
        except OSError as error:  # installed, but Pango is missing
            weasy_detail = f"WeasyPrint cannot load its libraries: {error}"
    rows.append(
        {
            "format": "pdf",
            "ok": weasy_ok,
            "detail": weasy_detail,
            "fix": "" if weasy_ok else "pip install weasyprint; apt-get install libpango-1.0-0 libpangoft2-1.0-0",
        }
    )
    subsetter = ctypes.util.find_library("harfbuzz-subset") is not None
    rows.append(
        {
            "format": "pdf (speed)",
            "ok": subsetter,
            "detail": "HarfBuzz subsetter present: fonts are subset fast"
            if subsetter
            else "no HarfBuzz subsetter: Chinese PDFs take seconds each",
            "fix": "" if subsetter else "apt-get install libharfbuzz-subset0",
        }
    )
    rows.append(cjk_row())
    return rows


def cjk_row() -> dict[str, Any]:
    """Chinese PDFs: a system CJK font, or the font extra (``pip install 'coordkit[cjk]'``), which needs no system step."""
    from coordkit.render.pdf import CJK_EXTRA, CJK_PACKAGE, bundled_fonts, system_cjk_fonts

    system, bundled = system_cjk_fonts(), bundled_fonts()
    if system:
        detail = _("CJK fonts: {fonts}").format(fonts=", ".join(system[:3]))
        if bundled:
            detail += _(" (the font extra is installed too, used when the system has none)")
    elif bundled:
        files = sorted({path.name for path in bundled.values()})
        detail = _("CJK fonts from the font extra: {files} in {folder}").format(
            files=", ".join(files), folder=next(iter(bundled.values())).parent
        )
    else:
        detail = _("no CJK font: Chinese PDFs are refused (they would print as boxes)")
    fix = (
        ""
        if system or bundled
        else _("{extra} (or apt-get install {package})").format(extra=CJK_EXTRA, package=CJK_PACKAGE)
    )
    return {"format": "pdf --lang zh", "ok": bool(system or bundled), "detail": detail, "fix": fix}
