"""coord speaks Chinese: every marked message has a translation, with the same placeholders, and it
reaches the reader through the catalogue the build compiled.

Chinese runs of the command line happen in a subprocess: a command module's help texts are
translated once, when it is first imported, and an in-process run would leave them Chinese for
every later test.
"""

from __future__ import annotations

import gettext
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import coordkit
from coordkit import i18n, i18n_tools
from coordkit.checks.config import CheckConfig, load_config
from coordkit.errors import InvalidInput, NotFound, did_you_mean
from coordkit.i18n import _, language, set_language, set_workspace_language, workspace_language

PACKAGE = Path(coordkit.__file__).parent
ZH_PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "coordkit.po"
ZH_MO = ZH_PO.with_suffix(".mo")


def fields(text: str) -> set[str]:
    """The named fields of a str.format text (``{{`` is a literal brace)."""
    return {name for _text, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def zh_catalog() -> Catalog:
    with ZH_PO.open("rb") as handle:
        return read_po(handle, locale="zh", abort_invalid=True)


def source_messages() -> list[tuple[str, int, str | tuple[str, ...]]]:
    """Every message marked with _, N_ or ngettext in coordkit/, found by Babel's own extractor."""
    found = []
    for filename, line, message, _comments, _context in extract_from_dir(PACKAGE, method_map=[("**.py", "python")]):
        found.append((f"coordkit/{filename}", line, message))
    return found


def run_zh(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COORD_LANG": "zh"}
    return subprocess.run([sys.executable, "-m", "coordkit", *args], capture_output=True, text=True, env=env, cwd=cwd)


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORD_LANG", "zh")


# (a) every message has a usable Chinese translation


def test_the_source_has_marked_messages_to_check() -> None:
    ids = {message for _file, _line, message in source_messages()}
    assert "no {kind} '{key}'" in ids and "Example:" in ids and "duty" in ids  # _, helptext, N_


def test_every_marked_message_has_a_chinese_translation() -> None:
    catalog = zh_catalog()
    missing = []
    for filename, line, message in source_messages():
        msgid = message if isinstance(message, str) else message[0]
        entry: Message | None = catalog.get(msgid)
        strings = forms(entry.string) if entry is not None else []
        if entry is None:
            missing.append(f"{filename}:{line} {msgid!r}: not in the .po (run python -m coordkit.i18n_tools update)")
        elif not strings or not all(strings):
            missing.append(f"{filename}:{line} {msgid!r}: no Chinese translation")
        elif entry.fuzzy:
            missing.append(f"{filename}:{line} {msgid!r}: fuzzy (review it and remove the flag)")
        elif isinstance(message, tuple) and not isinstance(entry.id, tuple):
            missing.append(f"{filename}:{line} {msgid!r}: the .po has it without its plural")
    assert missing == [], "\n".join(missing)


# (b) placeholders survive translation


def test_each_translation_has_the_placeholders_of_its_msgid() -> None:
    differ = []
    for entry in zh_catalog():
        if not entry.id or not entry.string:
            continue
        wanted = set().union(*(fields(text) for text in forms(entry.id)))
        for text in forms(entry.string):
            if fields(text) != wanted:
                differ.append(f"{entry.id!r}: {sorted(fields(text))} instead of {sorted(wanted)}")
    assert differ == [], "\n".join(differ)


def test_the_checks_would_catch_a_bad_catalogue() -> None:
    """The two tests above are only worth something if the mistakes they look for are seen."""
    assert fields("{path}: no {kind} '{key}' {{literal}}") == {"path", "kind", "key"}
    assert fields("{count:d} {name!r}") == {"count", "name"}
    assert i18n_tools.problems(Message("no {kind}", "没有{类型}")) == [
        "placeholders ['类型'] differ from the msgid's ['kind']"
    ]
    assert i18n_tools.problems(Message("no {kind}", "没有{kind}", flags=["fuzzy"])) == ["fuzzy"]
    assert i18n_tools.problems(Message("no {kind}", "")) == ["untranslated"]
    assert i18n_tools.problems(Message(("{count} duty", "{count} duties"), ("{count} 项职责",))) == []


# (c) the compiled catalogue reaches the reader


def test_chinese_comes_back_through_underscore_from_the_installed_catalogue(zh: None) -> None:
    assert ZH_MO.is_file(), "no compiled catalogue: pip install -e . (or python -m coordkit.i18n_tools compile)"
    i18n.translations.cache_clear()
    assert language() == "zh"
    assert _("no {kind} '{key}'").format(kind=_("stakeholder"), key="liede-s") == "没有利益相关方“liede-s”"
    assert str(NotFound("duty", "reprot", ["report"], ("project", "liede-renjia"))) == (
        "项目“liede-renjia”中没有职责“reprot”；您是不是指“report”？"
    )
    assert str(NotFound("duty", "reprot", [], "project 'liede-renjia'")) == "项目“liede-renjia”中没有职责“reprot”"
    assert str(NotFound("party", "x", [], "an odd place")) == "an odd place中没有协议方“x”"
    assert did_you_mean("overload_shar", ["overload_share"]) == "；您是不是指“overload_share”？"
    assert did_you_mean("zz", ["a", "b"], otherwise=_("known")) == "；可用的设置：a, b"


def test_a_held_language_is_read_once_and_given_back(zh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with i18n.held_language() as held:
        monkeypatch.setenv("COORD_LANG", "en")
        assert (held, language(), _("error")) == ("zh", "zh", "错误")
        assert language({"COORD_LANG": "en"}) == "en"  # an environment given is still read
    assert (language(), _("error")) == ("en", "error")


def test_english_is_the_source_text() -> None:
    assert str(NotFound("duty", "reprot", ["report"], ("project", "liede-renjia"))) == (
        "no duty 'reprot' in project 'liede-renjia'; did you mean 'report'?"
    )
    assert str(NotFound("stakeholder", "liede-s", ["liede-sw"])) == "no stakeholder 'liede-s'; did you mean 'liede-sw'?"
    assert str(NotFound("widget", "w")) == "no widget 'w'"
    assert did_you_mean("zz", ["a", "b"], otherwise=_("known")) == "; known: a, b"


def test_the_installed_catalogue_is_compiled_from_the_current_po() -> None:
    """An editable install compiles once; a .po edited since then needs compiling again."""
    with ZH_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected = {
        entry.id: entry.string
        for entry in zh_catalog()
        if entry.id and isinstance(entry.id, str) and not i18n_tools.problems(entry)
    }
    got = {msgid: compiled.gettext(msgid) for msgid in expected}
    assert got == expected, "the .mo is older than the .po: run python -m coordkit.i18n_tools compile"


def test_the_build_leaves_out_fuzzy_empty_and_mismatched_translations(tmp_path: Path) -> None:
    po = tmp_path / "zh" / "LC_MESSAGES" / "coordkit.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "good {key}"\nmsgstr "好 {key}"\n\n'
        '#, fuzzy\nmsgid "guessed"\nmsgstr "猜的"\n\n'
        'msgid "empty"\nmsgstr ""\n\n'
        'msgid "no {kind}"\nmsgstr "没有{种类}"\n\n'
        'msgid "{count} duty"\nmsgid_plural "{count} duties"\nmsgstr[0] "{count} 项职责"\n',
        encoding="utf-8",
    )
    report = i18n_tools.compile_all(tmp_path, out_dir=tmp_path / "out")
    mo = tmp_path / "out" / "zh" / "LC_MESSAGES" / "coordkit.mo"
    assert list(report) == [mo]
    assert [line.split(": ", 1)[1] for line in report[mo]] == [
        "fuzzy",
        "untranslated",
        "placeholders ['种类'] differ from the msgid's ['kind']",
    ]
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.gettext("good {key}") == "好 {key}"
    assert [compiled.gettext(m) for m in ("guessed", "empty", "no {kind}")] == ["guessed", "empty", "no {kind}"]
    assert compiled.ngettext("{count} duty", "{count} duties", 3) == "{count} 项职责"
    assert not (tmp_path / "zh" / "LC_MESSAGES" / "coordkit.mo").exists()  # out_dir: the source tree untouched


def test_a_broken_po_fails_the_build(tmp_path: Path) -> None:
    po = tmp_path / "zh" / "LC_MESSAGES" / "coordkit.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "a"\nmsgstr "甲"\nmsgid "b"\n', encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        i18n_tools.compile_all(tmp_path)
    assert str(raised.value) == f"{po}:3: missing msgstr for msgid 'b'"


def test_update_extracts_into_the_template_and_keeps_translations(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    source = package / "mod.py"
    source.write_text(
        'from x import _, N_\nA = N_("duty")\nB = _("no {kind} \'{key}\'")\nC = _("Example:")\n', encoding="utf-8"
    )
    locale_dir = tmp_path / "locale"
    i18n_tools.update(locale_dir, package)
    template = (locale_dir / "coordkit.pot").read_text(encoding="utf-8")
    assert '#: pkg/mod.py\nmsgid "duty"\nmsgstr ""' in template
    assert "#: pkg/mod.py\n#, python-brace-format\nmsgid \"no {kind} '{key}'\"" in template
    po = i18n_tools.po_path("zh", locale_dir)
    text = po.read_text(encoding="utf-8")
    for msgid, msgstr in (("duty", "职责"), ("no {kind} '{key}'", "没有{kind}“{key}”"), ("Example:", "示例：")):
        text = text.replace(f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, encoding="utf-8")
    source.write_text('from x import _, N_\nA = N_("duty")\nB = _("no {kind} \'{key}\' here")\n', encoding="utf-8")
    i18n_tools.update(locale_dir, package)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    assert catalog["duty"].string == "职责"
    changed = catalog["no {kind} '{key}' here"]
    assert changed.fuzzy and changed.string == "没有{kind}“{key}”"  # kept for review, fuzzy: not compiled
    assert list(catalog.obsolete) == ["Example:"]


# (d) the order of the language settings


@pytest.fixture
def forget_language() -> object:
    yield None
    set_language(None)
    set_workspace_language(None)


@pytest.mark.parametrize(
    ("explicit", "workspace", "env", "expected"),
    [
        (None, None, {}, "en"),
        (None, None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, None, {"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        (None, None, {"LC_MESSAGES": "en_GB.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
        (None, None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, "zh", {"LC_ALL": "en_US.UTF-8"}, "zh"),  # the workspace over the locale
        (None, "zh", {"COORD_LANG": "en"}, "en"),  # COORD_LANG over the workspace
        (None, "zh", {"COORD_LANG": "fr"}, "zh"),  # a COORD_LANG coord cannot speak is passed over
        ("zh", "en", {"COORD_LANG": "en", "LANG": "en_US"}, "zh"),  # --lang over everything
        ("中文", None, {}, "zh"),
        ("en", "zh", {"COORD_LANG": "zh"}, "en"),
    ],
)
def test_language_order(
    explicit: str | None, workspace: str | None, env: dict[str, str], expected: str, forget_language: object
) -> None:
    set_language(explicit)
    set_workspace_language(workspace)
    assert language(env) == expected


def test_none_forgets_a_setting(forget_language: object) -> None:
    set_language("zh")
    set_workspace_language("zh")
    set_language(None)
    assert language({"COORD_LANG": "en"}) == "en"
    set_workspace_language(None)
    assert language({"LANG": "en_US"}) == "en"


# coord.toml's lang


def test_workspace_language_reads_lang_from_coord_toml(tmp_path: Path) -> None:
    assert workspace_language(tmp_path) is None  # no coord.toml
    (tmp_path / "coord.toml").write_text("[check]\noverload_min = 3\n")
    assert workspace_language(tmp_path) is None
    (tmp_path / "coord.toml").write_text('lang = "zh"\n\n[check]\noverload_min = 3\n')
    assert workspace_language(tmp_path) == "zh"
    (tmp_path / "coord.toml").write_text('lang = "en"\n')
    assert workspace_language(tmp_path) == "en"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ('lang = "fr"\n', '{path}: lang must be "zh" or "en" (got \'fr\'); write lang = "zh" for Chinese'),
        ('lang = "zh_CN"\n', '{path}: lang must be "zh" or "en" (got \'zh_CN\'); write lang = "zh" for Chinese'),
        ("lang = 1\n", '{path}: lang must be "zh" or "en" (got 1); write lang = "zh" for Chinese'),
        ('lang = "zh\n', "{path}: Illegal character '\\n' (at line 1, column 11)"),
    ],
)
def test_a_bad_lang_is_one_error_naming_the_file(tmp_path: Path, content: str, error: str) -> None:
    (tmp_path / "coord.toml").write_text(content)
    expected = error.format(path=tmp_path / "coord.toml")
    with pytest.raises(InvalidInput) as raised:
        workspace_language(tmp_path)
    assert str(raised.value) == expected
    with pytest.raises(InvalidInput) as raised:
        load_config(tmp_path)
    assert str(raised.value) == expected


def test_a_bad_lang_in_chinese(tmp_path: Path, zh: None) -> None:
    (tmp_path / "coord.toml").write_text('lang = "fr"\n')
    with pytest.raises(InvalidInput) as raised:
        workspace_language(tmp_path)
    assert (
        str(raised.value)
        == f'{tmp_path / "coord.toml"}：lang 必须是 "zh" 或 "en"（实际为 \'fr\'）；要用中文请写 lang = "zh"'
    )


def test_check_settings_accept_lang_and_still_refuse_the_unknown(tmp_path: Path) -> None:
    path = tmp_path / "coord.toml"
    path.write_text('lang = "zh"\n[check]\noverload_min = 3\n')
    assert load_config(tmp_path) == CheckConfig(overload_min=3)
    path.write_text('language = "zh"\n')
    with pytest.raises(InvalidInput) as raised:
        load_config(tmp_path)
    assert str(raised.value) == (
        f'{path}: unknown setting \'language\'; coord.toml holds lang = "zh" or "en" and a [check] section'
    )
    path.write_text("check = 3\n")
    with pytest.raises(InvalidInput) as raised:
        load_config(tmp_path)
    assert (
        str(raised.value) == f"{path}: 'check' must be a section: write [check] on a line of its own, then its settings"
    )
    path.write_text("[check]\noverload_min = 2.5\n")
    with pytest.raises(InvalidInput) as raised:
        load_config(tmp_path)
    assert str(raised.value) == f"{path}: check.overload_min must be a whole number (got 2.5)"


# the command line in Chinese (a subprocess: see the module's docstring)


def test_key_help_in_chinese(tmp_path: Path) -> None:
    result = run_zh("key", "new", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == ["Usage: coord key new [OPTIONS]", "", "  在签署方自己的电脑上生成密钥对。", ""]
    assert "    coord key new -o ~/keys/liede-sw.pem" in lines
    assert any("要写入的私钥文件（绝不覆盖）。" in line for line in lines)
    listing = run_zh("key", "--help", cwd=tmp_path).stdout.splitlines()
    assert listing[2] == "  供电子签署的各方使用的 Ed25519 密钥。"
    assert any(line.split() == ["new", "在签署方自己的电脑上生成密钥对。"] for line in listing)


def test_key_messages_in_chinese(tmp_path: Path) -> None:
    assert run_zh("init", cwd=tmp_path).returncode == 0
    added = run_zh(
        "stakeholder", "add", "liede-sw", "--name", "Liede SW", "--kind", "social-organisation", cwd=tmp_path
    )
    assert added.returncode == 0, added.stderr
    made = run_zh("key", "new", "-o", "sw.pem", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    public = made.stdout.strip()
    assert made.stderr.startswith("已将私钥写入 sw.pem（权限 0600；请妥善保管，勿交给任何人）。")
    assert (tmp_path / "sw.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    unknown = run_zh("key", "register", "liede-s", public, cwd=tmp_path)
    assert (unknown.returncode, unknown.stderr) == (2, "错误：没有利益相关方“liede-s”；您是不是指“liede-sw”？\n")
    registered = run_zh("key", "register", "liede-sw", public, cwd=tmp_path)
    assert registered.returncode == 0 and registered.stderr.startswith("已为“liede-sw”登记密钥 ")


def _table_headers() -> list[tuple[str, int, str]]:
    """Every header of a list's columns in coordkit/cli: the second string of each ``(field, header)`` pair in a
    list assigned to a name with ``columns`` in it (``COLUMNS``, ``LIST_COLUMNS``, ``columns = [...]``)."""
    import ast

    found = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if not any("columns" in name.lower() or name == "CALENDAR" for name in names):
                    continue
                if not isinstance(node.value, ast.List):
                    continue
                for pair in node.value.elts:
                    if (
                        isinstance(pair, ast.Tuple)
                        and len(pair.elts) == 2
                        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in pair.elts)
                    ):
                        header = pair.elts[1]
                        assert isinstance(header, ast.Constant)
                        found.append((f"coordkit/cli/{path.name}", pair.lineno, header.value))
    return found


def test_every_table_header_has_a_chinese_translation() -> None:
    """A header is translated when a table is printed (``display.headers``); one the catalogue lacks prints in
    English to a Chinese reader, as ``opened``/``ratings``/``capacity`` did in zh tables."""
    headers = _table_headers()
    assert len(headers) > 60  # the scan finds the lists' columns
    zh = gettext.translation("coordkit", localedir=PACKAGE / "locale", languages=["zh"])
    missing = [
        f"{where}:{line}: {header!r}"
        for where, line, header in headers
        if header.isascii() and zh.gettext(header) == header
    ]
    assert missing == []
