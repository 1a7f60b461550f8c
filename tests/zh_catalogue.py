"""The Chinese catalogue of the due list, compiled from ``tests/data/schedule.zh.po`` for the tests.

The tests install it where ``coordkit.i18n`` looks for catalogues, so they
exercise the real gettext path (a compiled ``.mo`` read by ``translations``)
without depending on the project catalogue being built.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from coordkit import i18n

PO = Path(__file__).parent / "data" / "schedule.zh.po"


def read_catalog() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle)


def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Compile the catalogue into ``tmp_path`` and point ``coordkit.i18n`` at it for one test."""
    target = tmp_path / "locale" / "zh" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / f"{i18n.DOMAIN}.mo").open("wb") as handle:
        write_mo(handle, read_catalog())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.translations.cache_clear()
    yield
    i18n.translations.cache_clear()
