"""One-line errors everywhere, and sizes with limits: each case a hostile tester found, named after it.

Every refusal is ``Error: …`` on one line, exit 2, and the store as it was; SQLite and PostgreSQL
refuse the same values in the same words (the rules run before either database sees a value).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import Workspace, ok, run_coord

EXAMPLE = Path(__file__).resolve().parent.parent / "agreements" / "liede-renjia.yaml"


def refused(space: Workspace | None, *args: str, message: str, code: int = 2) -> None:
    """``args`` are refused with exactly ``message``, and the store is unchanged."""
    before = space.snapshot() if space is not None else None
    result = run_coord(*args)
    assert (result.exit_code, result.stderr) == (code, f"Error: {message}\n"), result.stderr
    if space is not None:
        assert space.snapshot() == before


def write_yaml(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10**9), encoding="utf-8")
    return path


STAKEHOLDER = ["stakeholder", "add", "x", "--kind", "other"]


# ---------------------------------------------------------------- lengths and NUL, the same on both databases


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*STAKEHOLDER, "--name", "a\x00b"], "name holds a NUL character (\\0); remove it"),
        ([*STAKEHOLDER, "--name", "猎" * 201], "name is 201 characters long; at most 200 are allowed"),
        (
            [*STAKEHOLDER, "--name", "X", "--contact", "c" * 33 + ":020-1"],
            "contact channel is 33 characters long; at most 32 are allowed",
        ),
        (
            [*STAKEHOLDER, "--name", "X", "--interests", "i" * 10_001],
            "interests is 10,001 characters long; at most 10,000 are allowed",
        ),
        ([*STAKEHOLDER, "--name", "X", "--name-zh", "a\x00"], "name_zh holds a NUL character (\\0); remove it"),
        (
            ["stakeholder", "add", "x\n", "--name", "X", "--kind", "other"],
            "stakeholder key 'x\\n' is not a slug: use lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (at most 64)",
        ),
    ],
    ids=["nul-in-name", "name-201", "channel-33", "interests-10001", "nul-in-name-zh", "key-with-newline"],
)
def test_postgresql_refuses_nothing_sqlite_takes(ws: Workspace, args: list[str], message: str) -> None:
    """The issue's case: a channel over 32 characters or a NUL was a DataError traceback on PostgreSQL."""
    refused(ws, *args, message=message)


def test_a_name_of_exactly_the_limit_is_taken(ws: Workspace) -> None:
    ok(*STAKEHOLDER, "--name", "猎" * 200, "--contact", "c" * 32 + ":020-1")
    assert run_coord("stakeholder", "show", "x", "-f", "json").stdout.count("猎") == 200


def test_an_agreement_kind_over_32_characters_is_refused_in_a_file_as_on_the_command_line(
    ws: Workspace, isolated: Path
) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["agreements"][0]["kind"] = "k" * 33
    write_yaml(isolated / "kind.yaml", data)
    before = ws.snapshot()
    result = run_coord("apply", "kind.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: kind.yaml:")
    assert result.stderr.endswith(": agreements[0].kind: kind is 33 characters long; at most 32 are allowed\n")
    assert ws.snapshot() == before


def test_a_10_mb_name_in_a_file_is_refused_at_once(sqlite_ws: Workspace, isolated: Path) -> None:
    """The issue's case: a 10 MB name was taken, then ``stakeholder list`` took 46 s and the register 1.1 GB."""
    path = isolated / "big.yaml"
    path.write_text(
        "version: 1\nstakeholders:\n- key: big\n  kind: other\n  name: " + "x" * 10 * 1024 * 1024 + "\n",
        encoding="utf-8",
    )
    refused(
        sqlite_ws,
        "apply",
        "big.yaml",
        message="big.yaml:5:9: a text of 10,485,760 characters; at most 1,000,000 are allowed in one value",
    )


def test_a_nul_in_yaml_is_one_line_with_its_place(ws: Workspace, isolated: Path) -> None:
    (isolated / "nul.yaml").write_text('version: 1\nprojects:\n- key: p\n  name: "Liede\\0Renjia"\n', encoding="utf-8")
    refused(ws, "apply", "nul.yaml", message="nul.yaml:4:9: the text holds a NUL character (\\0); remove it")
    refused(None, "validate", "nul.yaml", message="nul.yaml:4:9: the text holds a NUL character (\\0); remove it")


# ---------------------------------------------------------------- bytes that are not UTF-8 (a GBK terminal)


def coord_process(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LANG": "C.UTF-8", "COORD_USER": "tester"}
    return subprocess.run([sys.executable, "-m", "coordkit", *args], cwd=cwd, capture_output=True, env=env, check=False)


@pytest.mark.slow
def test_non_utf8_bytes_in_an_argument_are_one_line(sqlite_ws: Workspace, isolated: Path) -> None:
    """The issue's case: 猎德 typed on a GBK terminal arrives as b'\\xc1\\xd4\\xb5\\xc2': a traceback before."""
    gbk = "猎德".encode("gbk")
    before = sqlite_ws.snapshot()
    stored = coord_process("stakeholder", "add", "x", "--name", gbk, "--kind", "other", cwd=isolated)
    looked_up = coord_process("stakeholder", "show", gbk, cwd=isolated)
    assert (stored.returncode, stored.stderr.decode()) == (
        2,
        "Error: name holds bytes that are not UTF-8 text (0xc1 0xc2); set the terminal or file to UTF-8 "
        "(a GBK terminal sends other bytes) and type it again\n",
    )
    assert (looked_up.returncode, looked_up.stderr.decode()) == (
        2,
        "Error: an argument holds bytes that are not UTF-8 text (0xc1 0xc2); set the terminal to UTF-8 "
        "(a GBK terminal sends other bytes) and type it again\n",
    )
    assert sqlite_ws.snapshot() == before


# ---------------------------------------------------------------- YAML: dates, numbers, sizes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2024-02-30",
            "2024-02-30 is not a date (day is out of range for month); write a day that exists, such as 2024-02-29",
        ),
        (
            "2023-13-01",
            "2023-13-01 is not a date (month must be in 1..12); write a day that exists, such as 2024-02-29",
        ),
        (
            "0000-01-01",
            "0000-01-01 is not a date (year 0 is out of range); write a day that exists, such as 2024-02-29",
        ),
    ],
)
def test_an_unquoted_impossible_date_in_yaml_is_one_line(isolated: Path, value: str, message: str) -> None:
    (isolated / "dates.yaml").write_text(
        f"version: 1\nprojects:\n- key: p\n  name: P\n  start: {value}\n", encoding="utf-8"
    )
    refused(None, "validate", "dates.yaml", message=f"dates.yaml:5:10: {message}")


def test_an_integer_of_5000_digits_is_one_line(isolated: Path) -> None:
    (isolated / "n.yaml").write_text(
        "version: 1\nstakeholders:\n- {key: a, name: A, kind: other, influence: " + "9" * 5000 + "}\n", encoding="utf-8"
    )
    result = run_coord("validate", "n.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: n.yaml:3:45: 9999999999")
    assert result.stderr.endswith(
        "cannot be read (Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits); "
        "put it in quotes to keep it as text\n"
    )


def test_an_unquoted_amount_is_signed_exactly_as_written(sqlite_ws: Workspace, isolated: Path) -> None:
    """The issue's case: ``amount: 1234567890123456789.99`` unquoted was signed as 1234567890123456800 (19 digits
    are now refused: 18 before the point is the limit); 18 digits, far past a float's 15, stay exact."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("amount: 300000,", "amount: 123456789012345678.99,")
    assert "123456789012345678.99" in text
    (isolated / "amount.yaml").write_text(text, encoding="utf-8")
    ok("apply", "amount.yaml")
    shown = run_coord("agreement", "show", "AGR-2024-001", "-f", "json").stdout
    assert '"amount": "123456789012345678.99"' in shown


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
def test_dev_zero_or_a_fifo_as_a_yaml_file_is_one_line(sqlite_ws: Workspace, isolated: Path, source: str) -> None:
    """The issue's case: ``/dev/zero`` was read until MemoryError; a FIFO waited forever."""
    if source == "fifo":
        os.mkfifo(isolated / "fifo")
    for args in (["validate", source], ["apply", source], ["agreement", "new", "--from", source]):
        refused(
            sqlite_ws,
            *args,
            message=f"YAML file {source} is not a regular file (a device, pipe or folder); name a file",
        )


def test_a_yaml_file_over_the_limit_is_refused_before_it_is_read(
    sqlite_ws: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coordkit import yamlio

    monkeypatch.setattr(yamlio, "YAML_BYTES", 1024)
    path = write_yaml(
        isolated / "large.yaml",
        {"version": 1, "stakeholders": [{"key": f"s{i}", "name": "S", "kind": "other"} for i in range(100)]},
    )
    refused(
        sqlite_ws,
        "apply",
        "large.yaml",
        message="YAML file large.yaml is larger than the limit of 1 KB; use a smaller file",
    )
    assert path.stat().st_size > 1024


@pytest.fixture
def signing(sqlite_ws: Workspace) -> Workspace:
    ok("apply", str(EXAMPLE))
    return sqlite_ws


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--scan", "--scan /dev/zero is not a regular file (a device, pipe or folder); name a file"),
        ("--key", "--key /dev/zero is not a regular file (a device, pipe or folder); name a file"),
    ],
)
def test_dev_zero_as_a_scan_or_key_is_one_line(signing: Workspace, option: str, message: str) -> None:
    refused(
        signing,
        "agreement",
        "sign",
        "AGR-2024-003",
        "--party",
        "partner-university",
        "--signatory",
        "Wang",
        option,
        "/dev/zero",
        message=message,
    )


def test_a_key_file_over_the_limit_is_refused(signing: Workspace, isolated: Path) -> None:
    (isolated / "huge.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\n" + b"A" * 70_000)
    refused(
        signing,
        "agreement",
        "sign",
        "AGR-2024-003",
        "--party",
        "partner-university",
        "--signatory",
        "Wang",
        "--key",
        "huge.pem",
        message="--key huge.pem is larger than the limit of 64 KB; use a smaller file",
    )


# ---------------------------------------------------------------- dates at the calendar's edges


@pytest.mark.parametrize("day", ["9999-12-30", "9999-12-31", "0001-01-01"])
def test_dates_at_the_calendars_edges_are_answered(signing: Workspace, day: str) -> None:
    """The issue's case: ``check --on 9999-12-30`` was a traceback (a warning window past year 9999)."""
    for args in (["check", "--on", day], ["matrix", "--on", day], ["check", "--on", day, "-f", "json"]):
        result = run_coord(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr
    ok("duty", "add", "far", "--title", "Far", "--due", "9999-12-31")
    ok("duty", "assign", "far", "liede-sw", "--as", "R", "--from", day, "--to", "9999-12-31")


def test_signing_an_agreement_effective_on_0001_01_01_is_answered(sqlite_ws: Workspace) -> None:
    """The issue's case: a traceback (the day before 0001-01-01 when a version supersedes another)."""
    for args in (
        ["stakeholder", "add", "a", "--name", "A", "--kind", "other"],
        ["stakeholder", "add", "b", "--name", "B", "--kind", "other"],
        ["project", "add", "p", "--name", "P"],
        ["agreement", "new", "AGR-1", "--title", "T", "--party", "a", "--party", "b", "--effective", "0001-01-01"],
        ["agreement", "goal", "add", "AGR-1", "A goal"],
        ["agreement", "circulate", "AGR-1"],
        ["agreement", "sign", "AGR-1", "--party", "a", "--signatory", "A", "--date", "0001-01-01"],
        ["agreement", "sign", "AGR-1", "--party", "b", "--signatory", "B", "--date", "0001-01-01"],
        ["agreement", "amend", "AGR-1"],
        ["agreement", "circulate", "AGR-1"],
        ["agreement", "sign", "AGR-1", "--party", "a", "--signatory", "A", "--date", "0001-01-01"],
    ):
        ok(*args)
    result = run_coord("agreement", "sign", "AGR-1", "--party", "b", "--signatory", "B", "--date", "0001-01-01")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        0,
        "Every party has signed: AGR-1 v2 is in force.",
    )
    assert run_coord("check", "--on", "0001-01-01").exit_code in (0, 1)


# ---------------------------------------------------------------- coord.toml


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("check = 5\n", "'check' must be a section: write [check] on a line of its own, then its settings"),
        ("lang = 5\n", 'lang must be "zh" or "en" (got 5); write lang = "zh" for Chinese'),
        ("[check]\noverload_min = 'ten'\n", "check.overload_min must be a whole number (got 'ten')"),
        ("[check]\noverload_share = nan\n", "check.overload_share must be above 0 and at most 1 (got nan)"),
        ("[check]\nexpiry_warning_days = -1\n", "check.expiry_warning_days must not be negative (got -1)"),
        ("[check\n", "Expected ']' at the end of a table declaration (at line 1, column 7)"),
    ],
)
def test_wrong_types_in_coord_toml_are_one_line(
    sqlite_ws: Workspace, isolated: Path, content: str, message: str
) -> None:
    (isolated / "coord.toml").write_text(content, encoding="utf-8")
    refused(sqlite_ws, "check", message=f"{isolated / 'coord.toml'}: {message}")


# ---------------------------------------------------------------- full disks


def _limit_file_size() -> None:
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (70_000, 70_000))


@pytest.mark.slow
def test_a_full_disk_under_the_store_is_one_line_and_changes_nothing(sqlite_ws: Workspace, isolated: Path) -> None:
    before = sqlite_ws.snapshot()
    result = subprocess.run(
        [sys.executable, "-m", "coordkit", "apply", str(EXAMPLE)],
        cwd=isolated,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        env={**os.environ, "LANG": "C.UTF-8"},
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        2,
        f"Error: cannot write the store {isolated / 'coord.db'}: the disk is full or refused the write "
        "(disk I/O error); free some space and try again; nothing was changed\n",
    )
    assert sqlite_ws.snapshot() == before


# ---------------------------------------------------------------- read-only stores


@pytest.fixture
def world_readable() -> Iterator[Path]:
    """A folder another user may read (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="coord-ro-"))
    folder.chmod(0o755)
    yield folder
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def as_nobody(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", sys.executable, "-m", "coordkit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "C.UTF-8", "HOME": str(cwd)},
        check=False,
    )


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv")
def test_a_store_another_user_owns_is_read_and_never_written(world_readable: Path) -> None:
    """The issue's case: a store the process may not write could not even be read. Root ignores file
    modes, so the test runs coord as the user nobody (setpriv) on a store root owns, mode 0644."""
    db = world_readable / "coord.db"
    ok("init", str(world_readable))
    ok("--db", str(db), "apply", str(EXAMPLE))
    before = db.read_bytes()
    listed = as_nobody("--db", str(db), "stakeholder", "list", "-f", "csv", cwd=world_readable)
    assert listed.returncode == 0, listed.stderr
    assert "\nliede-street,Liede Street Office" in listed.stdout
    written = as_nobody(
        "--db", str(db), "stakeholder", "add", "x", "--name", "X", "--kind", "other", cwd=world_readable
    )
    assert (written.returncode, written.stderr) == (
        2,
        f"Error: the store {db} is read-only here; nothing was changed\n",
    )
    assert db.read_bytes() == before
    assert sorted(p.name for p in world_readable.iterdir()) == ["coord.db"]  # no -wal or -shm left by the reader


def test_read_only_is_decided_by_os_access(sqlite_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same code path without root: ``os.access`` says the file may not be written."""
    from coordkit.storage import engine

    ok("stakeholder", "add", "a", "--name", "A", "--kind", "other")
    real = os.access
    monkeypatch.setattr(engine.os, "access", lambda path, mode: False if mode == os.W_OK else real(path, mode))
    assert run_coord("stakeholder", "list", "-f", "csv").stdout.splitlines()[1].startswith("a,A,")
    refused(
        sqlite_ws,
        "stakeholder",
        "add",
        "b",
        "--name",
        "B",
        "--kind",
        "other",
        message=f"the store {sqlite_ws.path} is read-only here; nothing was changed",
    )


# ---------------------------------------------------------------- smaller ones


def test_log_of_a_key_with_an_underscore_matches_only_that_key(sqlite_ws: Workspace) -> None:
    """The issue's case: ``coord log v_nue`` matched ``venue`` (the key went into LIKE as a pattern)."""
    ok("project", "add", "p", "--name", "P")
    ok("duty", "add", "venue", "--title", "Venue")
    ok("duty", "add", "v_nue", "--title", "V")
    keys = [line.split(",")[3] for line in ok("log", "v_nue", "-f", "csv").splitlines()[1:]]
    assert keys == ["p/v_nue"]
    assert [line.split(",")[3] for line in ok("log", "venue", "-f", "csv").splitlines()[1:]] == ["p/venue"]
    assert ok("log", "%", "-f", "csv").splitlines()[1:] == []


def test_an_empty_file_a_killed_init_left_is_named_as_such(isolated: Path) -> None:
    """The issue's case: it was called another application's database."""
    (isolated / "coord.db").write_bytes(b"")
    refused(
        None,
        "stakeholder",
        "list",
        message=f"{isolated / 'coord.db'} is an empty SQLite file, not a coord store yet; "
        f"run 'coord init {isolated}' to make the store in it",
    )
    ok("init")
    ok("stakeholder", "list")


def test_removing_a_party_to_a_signed_agreement_says_why(signing: Workspace) -> None:
    """The issue's case: a raw "FOREIGN KEY constraint failed"."""
    result = run_coord("stakeholder", "remove", "liede-sw")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: stakeholder 'liede-sw' is still referenced by ")
    assert "agreement version(s)" in result.stderr and "FOREIGN KEY" not in result.stderr


def test_an_editor_that_never_produces_valid_yaml_stops(
    sqlite_ws: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: ``agreement edit`` reopened the editor forever while the YAML stayed invalid. Now it
    reopens at most 5 times on a terminal, stops when the same invalid file comes back, and off a terminal
    never reopens; nothing is changed."""
    ok("apply", str(EXAMPLE))
    editor = isolated / "bad-editor.sh"
    editor.write_text("#!/bin/sh\necho 'title: [unclosed' > \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    done = subprocess.run(
        [sys.executable, "-m", "coordkit", "agreement", "edit", "AGR-2024-004"],
        cwd=isolated,
        capture_output=True,
        text=True,
        timeout=5,
        check=False,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Error: the edited file is not valid; nothing was changed: ")
    assert json.loads(run_coord("agreement", "show", "AGR-2024-004", "-f", "json").stdout)["title"] != "[unclosed"


def test_init_where_a_file_has_the_folders_name_is_one_line(isolated: Path) -> None:
    """Found by the fuzz test: ``coord init out.yaml`` beside a file out.yaml was a FileExistsError."""
    (isolated / "out.yaml").write_text("x")
    refused(
        None,
        "init",
        "out.yaml",
        message=f"cannot make the store in {isolated / 'out.yaml'}: it is a file, not a folder; name another folder",
    )
    assert (isolated / "out.yaml").read_text() == "x"
