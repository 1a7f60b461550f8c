"""Which texts of an agreement have no Chinese: the Chinese contract refuses to print them in English.

An agreement's texts are bilingual (``text`` / ``text_zh``, ``title`` / ``title_zh``,
``name`` / ``name_zh``, ``description`` / ``description_zh``). A Chinese render of a
version with 3 goals of which 1 has no ``text_zh`` would put one English sentence in
a Chinese contract; ``untranslated`` names it (``goals[2]``, the field path ``coord
apply`` uses, counted from 0) so the renderer can refuse with the list and the
``untranslated-term`` check can flag the same texts. Words coord itself translates
are not listed, nor texts already written in Chinese: resource kinds of ``RESOURCE_KINDS``, units of ``coordkit.amounts.UNITS``,
slots ``coordkit.slots`` can read; a unit or kind of the party's own (``hours a
week``) is listed unless it is already written in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from coordkit.vocab import RESOURCE_KINDS

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_TEXT_LISTS = ("goals", "methods", "rights", "obligations", "communication", "dispute_resolution", "clauses")


def has_chinese(text: str | None) -> bool:
    """Whether ``text`` holds a Chinese character (``场讲座`` does, ``sessions`` and ``09:00`` do not)."""
    return bool(text) and _CJK.search(text or "") is not None


def written_in_chinese(text: str | None) -> bool:
    """Whether ``text`` is Chinese already: at least as many Chinese characters as Latin letters.

    ``居民自我服务、自我管理`` and ``每月举办一次 DIY 市集`` are; ``Hold the market in 猎德 square`` is not.
    """
    if not text:
        return False
    return len(_CJK.findall(text)) >= max(1, len(_LATIN.findall(text)))


def needs_chinese(item: Mapping[str, Any], field: str) -> bool:
    """An English text with no Chinese beside it; an empty text needs none, nor one typed in Chinese in the
    main field (``name: 猎德社工站``, a goal typed 居民自我服务)."""
    english = item.get(field)
    if not english or item.get(f"{field}_zh"):
        return False
    return not written_in_chinese(str(english))


def _own_word(word: Any, known: bool) -> bool:
    """A word of the party's own (not one coord translates) that is not written in Chinese."""
    return bool(word) and not known and not has_chinese(str(word))


def _unit_known(unit: Any) -> bool:
    from coordkit.amounts import UNITS, unit_of

    return unit_of(str(unit)) in UNITS


def _slot_known(when: Any) -> bool:
    from coordkit.errors import CoordError
    from coordkit.slots import parse_slot

    try:
        parse_slot(str(when))
    except (CoordError, ValueError):
        return False
    return True


def _walk(doc: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if needs_chinese(doc, "title"):
        yield "title", doc["title"]
    if needs_chinese(doc, "kind_name"):
        yield "kind_name", doc["kind_name"]
    for index, party in enumerate(doc.get("parties") or []):
        if needs_chinese(party, "name"):
            yield f"parties[{index}].name", party["name"]
    for section in _TEXT_LISTS:
        for index, item in enumerate(doc.get(section) or []):
            if isinstance(item, Mapping) and needs_chinese(item, "text"):
                yield f"{section}[{index}]", item["text"]
            target = item.get("target") if isinstance(item, Mapping) else None
            for field in ("unit", "each_unit"):
                if target and _own_word(target.get(field), _unit_known(target.get(field))):
                    yield f"{section}[{index}].target.{field}", str(target[field])
    for index, resource in enumerate(doc.get("resources") or []):
        path = f"resources[{index}]"
        if needs_chinese(resource, "description"):
            yield f"{path}.description", resource["description"]
        elif not resource.get("description") and _own_word(
            resource.get("kind"), resource.get("kind") in RESOURCE_KINDS
        ):
            yield f"{path}.kind", str(resource["kind"])
        if resource.get("amount") is not None and _own_word(resource.get("unit"), _unit_known(resource.get("unit"))):
            yield f"{path}.unit", str(resource["unit"])
        if _own_word(resource.get("when"), _slot_known(resource.get("when"))):
            yield f"{path}.when", str(resource["when"])


def untranslated(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field path, English text) of every text of ``doc`` a Chinese contract cannot print, in document order.

    ``[("goals[2]", "A monthly market run by residents"), ("resources[1].unit", "hours a week")]``:
    paths count from 0, as ``coord apply`` names fields. A document in the form before
    bilingual terms (texts as plain strings) has nothing to list: each text there is in
    whatever language it was typed.
    """
    return list(_walk(doc))
