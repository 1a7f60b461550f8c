"""One set of Chinese names for the RACI letters wherever a reader meets them: R 执行, A 负责, C 咨询, I 知会.

The names live in ``coordkit.render.i18n.LETTERS`` (the documents' annex and legend use it directly); the
matrix, the checks, the report and the catalogue write them in sentences, so this test reads every Chinese
text that names a letter (``负责方（A）``, ``执行/负责（R/A）``, ``A 负责``) and compares the name with it. Before,
the matrix and the checks said 问责 for A while the agreement's annex said 负责 (and two checks said 负责 for R).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

import coordkit
from coordkit.render import i18n

PACKAGE = Path(coordkit.__file__).parent
NAMES = {code: names[1] for code, names in i18n.LETTERS.items()}
ANY_NAME = {*NAMES.values(), "问责", "知情", "批准"}  # the names of either common set
WORD = "[\u4e00-\u9fff]{2}"
ONE = re.compile(rf"({WORD})方?（([RACI])）")  # 负责方（A）, 执行（R）
TWO = re.compile(rf"({WORD})[/或]({WORD})（([RACI])/([RACI])）")  # 执行/负责（R/A）, 执行或负责（R/A）
LEGEND = re.compile(rf"\b([RACI]) ({WORD})")  # R 执行 · A 负责
SOURCES = ("render/i18n.py", "render/report.py", "render/documents.py", "render/matrix.py", "tabular.py")


def texts() -> list[tuple[str, str]]:
    """Every Chinese text a reader may meet: the catalogue's translations, the documents' and the report's
    fixed words, and the templates."""
    with (PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "coordkit.po").open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    found = []
    for entry in catalog:
        for text in [entry.string] if isinstance(entry.string, str) else list(entry.string or ()):
            found.append((f"coordkit.po {entry.id!r}", text))
    for name in SOURCES:
        found += [(f"coordkit/{name}", text) for text in strings((PACKAGE / name).read_text(encoding="utf-8"))]
    for path in sorted((PACKAGE.parent / "templates").glob("*.j2")):
        found.append((f"templates/{path.name}", path.read_text(encoding="utf-8")))
    return found


def strings(source: str) -> list[str]:
    """The string literals of a module but its docstrings (which may name the other set, to say why not)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def misnamed(where: str, text: str) -> list[str]:
    wrong = []
    for word, code in ONE.findall(text):
        if word != NAMES[code] and word in ANY_NAME:
            wrong.append(f"{where}: {word}（{code}） where {NAMES[code]}（{code}）")
    for first, second, one, two in TWO.findall(text):
        if (first, second) != (NAMES[one], NAMES[two]):
            wrong.append(f"{where}: {first}/{second}（{one}/{two}） where {NAMES[one]}/{NAMES[two]}")
    for code, word in LEGEND.findall(text):
        if word in ANY_NAME and word != NAMES[code]:
            wrong.append(f"{where}: {code} {word} where {code} {NAMES[code]}")
    return wrong


def test_the_letters_have_one_set_of_chinese_names() -> None:
    assert NAMES == {"R": "执行", "A": "负责", "C": "咨询", "I": "知会"}
    assert [i18n.letter(code, "zh") for code in "RACI"] == ["执行（R）", "负责（A）", "咨询（C）", "知会（I）"]
    wrong = [line for where, text in texts() for line in misnamed(where, text)]
    assert wrong == []


def test_the_scan_would_see_a_letter_named_otherwise() -> None:
    assert misnamed("x", "职责“d”没有问责方（A）") == ["x: 问责（A） where 负责（A）"]
    assert misnamed("x", "两个负责方（R）") == ["x: 负责（R） where 执行（R）"]
    assert misnamed("x", "执行或问责（R/A）") == ["x: 执行/问责（R/A） where 执行/负责"]
    assert misnamed("x", "R 执行 · A 问责 · C 咨询") == ["x: A 问责 where A 负责"]
    assert misnamed("x", "法定代表人（负责人）；负责（A）；执行（R）") == []
