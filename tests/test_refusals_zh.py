"""Every refusal a person can meet goes through gettext, so a Chinese coordinator reads it in Chinese.

(a) A scan of coordkit/'s source: an error a user can cause (``CoordError`` or a subclass, found in the
source itself) built from an f-string or a plain English string is a message the catalogue never sees,
as 106 of them were before this test; so is a line gathered into an ``errors`` list that becomes one
error, and a ``ValueError`` raised by a validator of a workspace file (``coordkit/spec.py``), which
``coord apply`` shows as it is.
(b) The command line end to end under ``COORD_LANG=zh``: exit code 2, one line, Chinese.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest

import coordkit
from tests.conftest import ok, run_coord

PACKAGE = Path(coordkit.__file__).parent
EXAMPLE = PACKAGE.parent / "agreements" / "liede-renjia.yaml"
ROOT_ERROR = "CoordError"
# Modules whose ValueErrors reach the reader as they are: pydantic puts a validator's message in the
# ValidationError that coordkit.spec.validate turns into one line per field.
SHOWN_VALUE_ERRORS = ("spec.py",)
CJK = re.compile(r"[\u3400-\u9fff]")


def error_classes(sources: dict[str, ast.Module]) -> set[str]:
    """``CoordError`` and every class in the sources that derives from it, however indirectly."""
    found = {ROOT_ERROR}
    while True:
        more = {
            node.name
            for tree in sources.values()
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and any(isinstance(base, ast.Name) and base.id in found for base in node.bases)
        }
        if more <= found:
            return found
        found |= more


def _translated(node: ast.expr) -> bool:
    """``_("...")``, ``ngettext(...)`` or either with ``.format(...)``."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in ("_", "gettext", "ngettext"):
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return _translated(node.func.value)
    return False


def _english(node: ast.expr) -> bool:
    """Text written in the source that no catalogue sees: an f-string, a string with a letter in it, such a
    string's ``.format()``, or either joined to something with ``+``."""
    if _translated(node):
        return False
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and re.search("[A-Za-z]", node.value) is not None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _english(node.func.value)
    if isinstance(node, ast.BinOp):
        return _english(node.left) or _english(node.right)
    return False


def _raised_name(call: ast.Call) -> str | None:
    """``InvalidInput`` for ``InvalidInput(...)``; ``type(error)`` re-raises an error of the same class;
    ``errors.append(...)`` gathers the lines of one error (``coord apply`` reports every bad field at once)."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Call) and ast.unparse(call.func.func) == "type":
        return ROOT_ERROR
    if isinstance(call.func, ast.Attribute) and call.func.attr == "append":
        gathered = ast.unparse(call.func.value)
        return "append" if gathered.endswith(("errors", "reasons", "refusals")) else None
    return None


def untranslated(sources: dict[str, ast.Module]) -> list[str]:
    """``file:line: Class: message`` for each error built with a message no catalogue sees.

    ``NotFound``'s arguments are a kind and a key (it builds its own message from the catalogue).
    """
    classes = (error_classes(sources) - {"NotFound"}) | {"append"}
    found = []
    for name, tree in sources.items():
        shown = classes | ({"ValueError"} if Path(name).name in SHOWN_VALUE_ERRORS else set())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _raised_name(node) not in shown:
                continue
            messages = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "message")]
            for message in messages:
                if _english(message):
                    found.append(f"{name}:{node.lineno}: {_raised_name(node)}: {ast.unparse(message)[:100]}")
    return found


def package_sources() -> dict[str, ast.Module]:
    return {
        f"coordkit/{path.relative_to(PACKAGE)}": ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


# (a) the source


def test_every_refusal_in_the_source_goes_through_gettext() -> None:
    sources = package_sources()
    assert {"InvalidInput", "Refused", "StoreError", "StoreLocked", "VerificationFailed"} <= error_classes(sources)
    assert untranslated(sources) == []


def test_the_scan_would_catch_an_untranslated_refusal() -> None:
    """The test above is only worth something if the mistakes it looks for are seen."""
    source = """
class Odd(Refused):
    pass

def f(key, version, error, where):
    raise Refused(f"{key} v{version} is still a draft")
    raise Odd("not allowed")
    raise InvalidInput(f"{where}: " + _("no such file"))
    raise StoreError("{key} is locked".format(key=key))
    raise type(error)(f"{where}: {error}")
    raise InvalidInput(_("fine {key}").format(key=key))
    raise InvalidInput(_("fine") + did_you_mean(key, []))
    raise InvalidInput("\\n".join(lines))
    raise InvalidInput(message, field=("key",))
    raise NotFound("duty", key, [], f"project '{key}'")
    raise ValueError(f"internal {key}")
    errors.append(f"{where}: {key} is already defined")
    lines.append(f"{where}: {key}")
"""
    sources = {"coordkit/errors.py": ast.parse("class CoordError(Exception): ...\nclass Refused(CoordError): ...")}
    sources["coordkit/mod.py"] = ast.parse(source)
    sources["coordkit/spec.py"] = ast.parse('def v(x):\n    raise ValueError("must be a number")\n')
    sources["coordkit/errors.py"].body.append(ast.parse("class InvalidInput(CoordError): ...").body[0])
    sources["coordkit/errors.py"].body.append(ast.parse("class StoreError(CoordError): ...").body[0])
    lines = [line.split(": ", 2)[:2] for line in untranslated(sources)]
    assert lines == [
        ["coordkit/mod.py:6", "Refused"],
        ["coordkit/mod.py:7", "Odd"],
        ["coordkit/mod.py:8", "InvalidInput"],
        ["coordkit/mod.py:9", "StoreError"],
        ["coordkit/mod.py:10", "CoordError"],
        ["coordkit/mod.py:17", "append"],
        ["coordkit/spec.py:2", "ValueError"],
    ]


# (b) the command line in Chinese


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "zh")


def refused(command: str) -> str:
    """The one line a refused command prints, after checking it exits 2 and says it in Chinese."""
    result = run_coord(*shlex.split(command))
    assert result.exit_code == 2, (command, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    assert CJK.search(lines[0].removeprefix("错误：")), lines[0]
    return lines[0]


@pytest.fixture
def example(isolated: Path) -> Path:
    ok("init")
    ok("apply", str(EXAMPLE))
    return isolated


def test_amending_a_draft_is_refused_in_chinese(example: Path, zh: None) -> None:
    assert refused("agreement amend AGR-2024-004") == "错误：AGR-2024-004 第1版仍是草稿，可直接修改，无需变更"


def test_a_signed_agreements_terms_are_refused_in_chinese(example: Path, zh: None) -> None:
    line = refused("agreement goal add AGR-2024-001 'One more goal'")
    assert line.startswith("错误：AGR-2024-001 第1版自传签起条款已冻结（指纹 ")
    assert line.endswith("）；请改为变更：coord agreement amend AGR-2024-001")


def test_a_signed_agreement_going_back_to_draft_is_refused_in_chinese(example: Path, zh: None) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count("    status: signed\n") == 2
    (example / "back.yaml").write_text(text.replace("    status: signed\n", "    status: draft\n", 1), "utf-8")
    line = refused("apply back.yaml")
    assert line.startswith("错误：") and line.endswith("协议“AGR-2024-001”的状态为“已签署”，不能退回草稿"), line


def test_an_unknown_slot_is_refused_in_chinese(example: Path, zh: None) -> None:
    ok("resource", "add", "square", "--name", "Liede Square", "--name-zh", "猎德广场")
    line = refused("duty use course-venue square --when 'fortnightly sat'")
    assert line == (  # the forms it names are the ones a Chinese input method types
        "错误：“fortnightly sat”不是时段；请用以下写法之一：2024-06-15、2024-06-15 09:00-12:00、"
        "2024-06-01..2024-06-30、每周六 14:00-17:00、每月第一个星期六 09:00-12:00"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nprojects: [\n", "错误：bad.yaml:3:1：此处缺少应有的内容"),
        (
            "stakeholders:\n  - key: a\n    name: [unclosed\n",
            "错误：bad.yaml:4:1：此处应为“,”或“]”（方括号可能未闭合）",
        ),
        (
            "version: 1\nprojects:\n\t- key: p\n",
            "错误：bad.yaml:3:1：此处的字符不能作为内容开头（制表符请改为空格，@ 或 ` 开头的文字请加引号）",
        ),
        (
            "version: 1\nversion: 1\n",
            "错误：bad.yaml:2:1：字段“version”重复（首次出现在第 1 行）；YAML 会悄悄只保留最后一个",
        ),
        ("version: 2\n", "错误：bad.yaml:1:1：version：本版 coord 只能读取第 1 版格式的文件"),
        ("- a\n", "错误：bad.yaml:1:1：工作区文件应为映射（version、projects、stakeholders 等字段）"),
        (
            "stakeholders:\n  - {key: x, name: X, kind: other, influence: high}\n",
            "错误：bad.yaml:2:36：stakeholders[0].influence：“high”不是整数",
        ),
        ("projects:\n  - {key: p, name: P, start: 2024-13-01}\n", None),
    ],
)
def test_a_malformed_file_given_to_apply_is_refused_in_chinese(
    isolated: Path, zh: None, text: str, message: str | None
) -> None:
    ok("init")
    (isolated / "bad.yaml").write_text(text, encoding="utf-8")
    line = refused("apply bad.yaml")
    if message is not None:
        assert line == message


def test_every_bad_field_of_several_files_is_one_chinese_line_each(isolated: Path, zh: None) -> None:
    ok("init")
    (isolated / "a.yaml").write_text("stakeholders:\n  - {key: sw, name: SW, kind: other}\n", encoding="utf-8")
    (isolated / "b.yaml").write_text(
        "stakeholders:\n  - {key: sw, name: Again, kind: other}\nagreements:\n  - {project: p, title: T, parties: [{stakeholder: sw}, {stakeholder: x}]}\n",
        encoding="utf-8",
    )
    result = run_coord("apply", "a.yaml", "b.yaml")
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            "错误：b.yaml:2:6：stakeholders[0].key：利益相关方“sw”已在 a.yaml:2:6 定义",
            "错误：b.yaml:4:5：agreements[0].key：工作区文件中的协议须有编号（key）",
        ],
    )


def test_no_store_is_refused_in_chinese(isolated: Path, zh: None) -> None:
    assert refused("agreement list") == (
        f"错误：{isolated} 及其上级文件夹中都没有 coord 存储；可运行 coord init 在此新建，或用 --db 指定路径"
    )
