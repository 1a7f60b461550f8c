"""What each output format needs, and whether this machine has it (``coord doctor``)."""

from __future__ import annotations

import ctypes.util
import importlib.util
from typing import Any


def _module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def diagnose() -> list[dict[str, Any]]:
    from coordkit.render.pdf import CJK_PACKAGE, cjk_fonts

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
    fonts = cjk_fonts()
    rows.append(
        {
            "format": "pdf --lang zh",
            "ok": bool(fonts),
            "detail": f"CJK fonts: {', '.join(fonts[:3])}" if fonts else "no CJK font: Chinese would print as boxes",
            "fix": "" if fonts else f"apt-get install {CJK_PACKAGE}",
        }
    )
    return rows
