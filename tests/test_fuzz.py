"""Fuzzing: hostile input never gets a traceback, and a refusal never changes the store.

Three targets, each driven by Hypothesis:

- the command line: argv built from the real commands and options (walked from the
  click tree, so a new command is fuzzed the day it is added), with hostile strings,
  dates, numbers, keys that exist and paths;
- workspace YAML files, for ``validate`` and ``apply``;
- ``coord.toml``, for ``check``.

Every run must exit 0, 1 or 2, and an exit 2 must leave every row of the store as it was.
CI runs a bounded number of cases with a fixed seed (``FUZZ_CASES``); ``COORD_FUZZ=long``
runs many more with fresh randomness.

Paths are drawn from a fixed set inside the test's folder: a fuzzer running as root must
never name ``/etc/passwd`` or ``/dev/null`` as an output (``os.replace`` would replace it).
Only options that read (``--from``, ``--scan``, ``--key``, files to validate or apply, an
archive to restore) also get ``/dev/zero``, a FIFO and files that are not what they claim.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordkit.cli.app import COMMANDS, load_command
from tests.conftest import ok, run_coord

LONG = os.environ.get("COORD_FUZZ") == "long"
FUZZ_CASES = {"cli": 100, "yaml": 40, "toml": 30}  # per CI run; COORD_FUZZ=long: 20 times as many
EXAMPLE = Path(__file__).resolve().parent.parent / "agreements" / "liede-renjia.yaml"

# Commands left out, and why: demo renders every document (seconds per case); template copy writes
# into the workspace's templates/ by a name, which has its own tests.
SKIPPED = {("demo",), ("template", "copy")}
READS = {"from_file", "scan", "key_file", "files", "archive"}  # path parameters that are only read
WRITES = {"output", "directory", "workspace", "to"}  # parameters naming something coord writes
SLOW_FORMATS = {"pdf", "docx"}  # rendered only in the long run


def fuzz_settings(target: str) -> Any:
    cases = FUZZ_CASES[target] * (20 if LONG else 1)
    return settings(
        max_examples=cases,
        deadline=None,
        derandomize=not LONG,  # CI: the same cases every run; the long run: new ones each time
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------- hostile values

KEYS = [
    "liede-sw",
    "liede-street",
    "partner-university",
    "liede-renjia",
    "market-venue",
    "venue-host",
    "role:venue-host",
    "AGR-2024-001",
    "AGR-2024-003",
    "AGR-2024-004",
]
DATES = [
    "2024-02-29",
    "2024-02-30",
    "9999-12-31",
    "9999-12-30",
    "0001-01-01",
    "0000-01-01",
    "2024年2月30日",
    "2024/13/1",
    "２０２４－０３－０１",
    "2024-3-1",
    "99999-01-01",
    "",
]
NUMBERS = ["0", "-1", "1e400", "NaN", "inf", "9" * 40, "1234567890123456789.99", "叁拾万元整", "3.", "0x10"]
TEXTS = [
    "",
    "   ",
    "猎德人家",
    "x" * 300,
    "猎" * 201,
    "a\nb",
    "\x1b]0;pwned\x07",
    '=HYPERLINK("http://x")',
    "\udcc1\udcd4",  # a GBK terminal's bytes, as Python keeps them
    "phone：020-1",
    "Chen Jing：Director",
    "--help",
    "-",
    "%_",
    "a" * 33 + ":1",
    "{{ 7 * 7 }}",
    "../../etc/passwd",
]
SAFE_NAMES = ["out", "out.yaml", "sub/dir/out.md", "x.zip", "深 目录/文件.pdf", "a b?c", "out.db"]


def hostile_text() -> st.SearchStrategy[str]:
    chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    return st.one_of(
        st.sampled_from(KEYS + DATES + NUMBERS + TEXTS),
        st.text(chars, max_size=40),
    )


@st.composite
def read_path(draw: st.DrawFn) -> str:
    return draw(
        st.sampled_from(["/dev/zero", "fifo", "missing.yaml", "bad.yaml", "empty", "folder", str(EXAMPLE), "key.pem"])
    )


# ---------------------------------------------------------------- the command tree


def commands() -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        elif path not in SKIPPED:
            found.append((path, command))

    for name in COMMANDS:
        walk(load_command(name), (name,))
    return found


COMMAND_TREE = commands()


def value_for(param: click.Parameter) -> st.SearchStrategy[str]:
    name = param.name or ""
    if name in WRITES:
        return st.sampled_from(SAFE_NAMES)
    if name in READS:
        return read_path()
    choices = getattr(param.type, "choices", None)
    if choices:
        allowed = [str(c.value if hasattr(c, "value") else c) for c in choices]
        if not LONG:
            allowed = [c for c in allowed if c not in SLOW_FORMATS] or allowed
        return st.one_of(st.sampled_from(allowed), hostile_text())
    if isinstance(param.type, click.types.IntParamType):
        return st.one_of(st.sampled_from(["1", "2", "0", "-1", "99999999999999999999"]), hostile_text())
    return hostile_text()


@st.composite
def argv(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(COMMAND_TREE))
    args = list(path)
    for param in command.params:
        if param.name == "help":
            continue
        if isinstance(param, click.Argument):
            count = draw(st.integers(1, 2)) if param.nargs == -1 else 1
            if draw(st.integers(0, 9)) == 0:  # now and then leave a required argument out
                continue
            args += [draw(value_for(param)) for _ in range(count)]
        elif isinstance(param, click.Option) and draw(st.booleans()):
            if param.is_flag:
                args.append(param.opts[0])
            else:
                args += [param.opts[0], draw(value_for(param))]
    if path == ("agreement", "render") and not LONG and "-f" not in args and "--format" not in args:
        args += ["-f", "md"]  # PDF is the default format: only the long run pays for it
    return args


# ---------------------------------------------------------------- the workspace


def fingerprint(db: Path) -> str:
    """Every row of every table, hashed: equal when nothing changed."""
    digest = hashlib.sha256()
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
    conn.close()
    return digest.hexdigest()


@pytest.fixture
def workspace(isolated: Path) -> Iterator[Path]:
    """The example applied, with files for the read options to find: a FIFO, an empty file, a folder,
    YAML that is not a workspace, a key that is not a key."""
    ok("init")
    ok("apply", str(EXAMPLE))
    os.mkfifo(isolated / "fifo")
    (isolated / "empty").write_bytes(b"")
    (isolated / "folder").mkdir()
    (isolated / "bad.yaml").write_text("version: 1\nprojects: [{key: p, name: P, start: 2024-02-30}]\n")
    (isolated / "key.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n")
    yield isolated / "coord.db"


def run_checked(db: Path, args: list[str]) -> int:
    """Run coord; a traceback fails the test (run_coord re-raises), so does any exit but 0, 1, 2, and so
    does a refusal (2) that changed the store."""
    before = fingerprint(db)
    result = run_coord(*args)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert fingerprint(db) == before, (args, result.stderr)
        assert result.stderr.startswith(("Error: ", "错误：", "Usage: ")), (args, result.stderr)  # --lang zh drawn
    return result.exit_code


@given(args=argv())
@fuzz_settings("cli")
def test_fuzz_the_command_line(workspace: Path, args: list[str]) -> None:
    run_checked(workspace, args)


# ---------------------------------------------------------------- YAML

FIELDS = {
    "stakeholders": ["key", "name", "name_zh", "kind", "influence", "interest", "interests", "active", "contacts"],
    "projects": ["key", "name", "name_zh", "start", "end", "lead"],
    "roles": ["project", "key", "name", "description", "holders"],
    "duties": ["project", "key", "title", "title_zh", "category", "due", "assignments"],
    "agreements": [
        "key",
        "project",
        "title",
        "kind",
        "effective",
        "expires",
        "review_every",
        "languages",
        "parties",
        "goals",
        "obligations",
        "resources",
        "status",
        "signatures",
        "terminated_on",
    ],
}


def scalar_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        hostile_text(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.booleans(),
        st.none(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates().map(str),
    )


def values() -> st.SearchStrategy[Any]:
    return st.recursive(
        scalar_values(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(
                st.sampled_from(
                    [
                        "party",
                        "stakeholder",
                        "text",
                        "as",
                        "amount",
                        "unit",
                        "kind",
                        "channel",
                        "value",
                        "signatory",
                        "date",
                        "duty",
                        "label",
                    ]
                ),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=8,
    )


@st.composite
def workspace_text(draw: st.DrawFn) -> str:
    import yaml

    if draw(st.integers(0, 3)) == 0:  # raw YAML that safe_dump would never write
        fragments = [
            "version: 1\n",
            "projects:\n",
            "- key: p\n",
            "  name: P\n",
            "  start: 2024-02-30\n",
            "  end: 9999-12-31\n",
            "stakeholders: &a [*a]\n",
            '- {key: a, name: "\\0", kind: other}\n',
            "  amount: 1234567890123456789.99\n",
            "  name: !!binary aGVsbG8=\n",
            "\t- tab\n",
            "key: [\n",
            "<<: *x\n",
            "--- \n",
            "  influence: " + "9" * 5000 + "\n",
            "agreements: {}\n",
            "duties: 5\n",
        ]
        return "".join(draw(st.lists(st.sampled_from(fragments), max_size=8)))
    data: dict[str, Any] = {"version": draw(st.sampled_from([1, 1, 1, 2, "1"]))}
    for entity, fields in FIELDS.items():
        items = []
        for _ in range(draw(st.integers(0, 2))):
            item = {name: draw(values()) for name in draw(st.lists(st.sampled_from(fields), max_size=6, unique=True))}
            if draw(st.booleans()):
                item.setdefault("key", draw(st.sampled_from(KEYS)))
            items.append(item)
        if items or draw(st.booleans()):
            data[entity] = items
    return yaml.safe_dump(data, allow_unicode=True)


@given(text=workspace_text())
@fuzz_settings("yaml")
def test_fuzz_workspace_yaml(workspace: Path, text: str) -> None:
    path = workspace.parent / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    run_checked(workspace, ["validate", "fuzz.yaml"])
    run_checked(workspace, ["apply", "fuzz.yaml", "--dry-run"])
    run_checked(workspace, ["apply", "fuzz.yaml"])


# ---------------------------------------------------------------- coord.toml

TOML_VALUES = [
    "5",
    "'x'",
    '"zh"',
    '"en"',
    "nan",
    "inf",
    "-1",
    "1e400",
    "[1, 2]",
    "{a = 1}",
    "true",
    "0.5",
    "99999999999999999999",
    "1979-05-27",
]


@st.composite
def toml_text(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            lines.append(draw(st.sampled_from(["[check]", "[lang]", "[check.x]", "[[check]]", "["])))
        elif kind == 4:
            lines.append(draw(st.text(max_size=20)))
        else:
            key = draw(
                st.sampled_from(
                    [
                        "lang",
                        "check",
                        "overload_share",
                        "overload_min",
                        "expiry_warning_days",
                        "unsigned_grace_days",
                        "x",
                        "check.overload_min",
                    ]
                )
            )
            lines.append(f"{key} = {draw(st.sampled_from(TOML_VALUES))}")
    return "\n".join(lines) + "\n"


@given(text=toml_text())
@fuzz_settings("toml")
def test_fuzz_coord_toml(workspace: Path, text: str) -> None:
    (workspace.parent / "coord.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    before = fingerprint(workspace)
    for args in (["check"], ["stakeholder", "list"]):
        result = run_coord(*args)
        assert result.exit_code in (0, 1, 2), (text, result.stderr)
        assert "\n" not in result.stderr.rstrip("\n") or result.exit_code != 2, (text, result.stderr)
    assert fingerprint(workspace) == before
