"""Nothing lost: backups and moves keep every version, signature, key, scan, event and hash; exports
that were cut short are refused.

Each test is one case from the issue; its name says which.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from coordkit.storage.location import server_url
from coordkit.storage.migrations import LATEST
from tests.conftest import PG_URL, ok, reset_postgres, run_coord

EXAMPLE = Path(__file__).resolve().parent.parent / "agreements" / "liede-renjia.yaml"
KILL_AT = Path(__file__).resolve().parent / "kill_at.py"
PARTIES = ("liede-street", "liede-sw", "liede-party-committee", "liede-neighbourhood-committee")
needs_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="COORD_TEST_DATABASE_URL is not set (no PostgreSQL to test)"),
]


def rows_of(url_or_path: str | Path) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table (as text, sorted), to compare stores on either database."""
    url = server_url(url_or_path) if isinstance(url_or_path, str) else f"sqlite:///{url_or_path}"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(tuple(map(_text, row)) for row in conn.execute(text(f'SELECT * FROM "{t}"')))
                for t in sorted(inspect(conn).get_table_names())
            }
    finally:
        engine.dispose()


def _text(value: Any) -> str:
    """A value as text, the same from either database (SQLite keeps a boolean as 1)."""
    return str(int(value)) if isinstance(value, bool) else str(value)


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, with AGR-2024-001 amended and v2 signed by every party: two with a scan of the
    paper, one with an Ed25519 key as well. Versions, signatures, keys, scans and 60-odd events."""
    folder = tmp_path_factory.mktemp("rich")
    db = str(folder / "coord.db")
    (folder / "paper.pdf").write_bytes(b"%PDF-1.7 signed and sealed " * 400)
    (folder / "seal.png").write_bytes(b"\x89PNG the seal of the street office")
    steps: list[list[str]] = [
        ["init"],
        ["apply", str(EXAMPLE)],
        ["key", "register", "liede-sw", str(folder / "sw.pub")],
        ["agreement", "amend", "AGR-2024-001"],
        ["agreement", "goal", "add", "AGR-2024-001", "A second market every quarter"],
        ["agreement", "circulate", "AGR-2024-001"],
    ]
    for n, party in enumerate(PARTIES):
        sign = ["agreement", "sign", "AGR-2024-001", "--party", party, "--signatory", f"Signer {n}"]
        sign += ["--date", "2024-06-01"] + ([] if n == 1 else ["--method", "seal"])
        if n == 0:
            sign += ["--scan", str(folder / "paper.pdf")]
        if n == 1:
            sign += ["--scan", str(folder / "seal.png"), "--key", str(folder / "sw.pem")]
        steps.append(sign)
    made = run_coord("key", "new", "-o", str(folder / "sw.pem"))  # on the party's own machine: no store
    assert made.exit_code == 0, made.stderr
    (folder / "sw.pub").write_text(made.stdout)
    for step in steps:
        result = run_coord("--db", db, *step)
        assert result.exit_code == 0, (step, result.stderr)
    return folder


def test_backup_holds_every_table_row_and_file_with_their_hashes(rich: Path, isolated: Path) -> None:
    import hashlib

    ok("--db", str(rich), "backup", "-o", "b.zip")
    with zipfile.ZipFile(isolated / "b.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["tables"].values():
            assert hashlib.sha256(archive.read(entry["member"])).hexdigest() == entry["sha256"]
        for name, entry in manifest["files"].items():
            assert hashlib.sha256(archive.read(f"files/{name}")).hexdigest() == entry["sha256"]
            assert name == f"scans/{entry['sha256']}" + Path(name).suffix
    original = rows_of(rich / "coord.db")
    assert {t: e["rows"] for t, e in manifest["tables"].items()} == {t: len(r) for t, r in original.items()}
    assert manifest["chain_head"] == dict(original["coord_meta"])["event_head"]
    assert manifest["problems"] == []
    assert len(manifest["files"]) == 2
    versions = manifest["tables"]["agreement_version"]
    assert versions["rows"] == len(original["agreement_version"]) == 5


def test_restore_into_a_new_sqlite_file_is_the_same_store(rich: Path, isolated: Path) -> None:
    ok("--db", str(rich), "backup", "-o", "b.zip")
    result = run_coord("restore", "b.zip", "--to", "copy")
    assert result.exit_code == 0, result.stderr
    events = len(rows_of(rich / "coord.db")["event"])
    assert result.stderr.startswith(f"Restored {sum(len(r) for r in rows_of(rich / 'coord.db').values()):,} rows of ")
    assert f"verified: {events} events chained to " in result.stderr
    assert rows_of(isolated / "copy" / "coord.db") == rows_of(rich / "coord.db")
    assert ok("--db", "copy", "export") == ok("--db", str(rich), "export")
    assert sorted(p.name for p in (isolated / "copy" / "scans").iterdir()) == sorted(
        p.name for p in (rich / "scans").iterdir()
    )
    verified = run_coord("--db", "copy", "agreement", "verify", "--all")
    assert verified.exit_code == 0, verified.stdout + verified.stderr
    with sqlite3.connect(isolated / "copy" / "coord.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert [p.name for p in isolated.iterdir() if p.name.endswith(".coord-tmp")] == []


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=needs_postgres)])
def test_sqlite_to_postgresql_to_sqlite_keeps_every_version_signature_key_scan_event_and_hash(
    rich: Path, isolated: Path, backend: str
) -> None:
    """The issue's case: moving a store by export/apply turned v2 into v1 and dropped signatures, keys, scans
    and events. Through backup/restore, every row comes back, the export is byte-identical, the chain
    head equal, and verify passes on the server and after the way back."""
    assert PG_URL
    reset_postgres(PG_URL)
    ok("--db", str(rich), "backup", "-o", "one.zip")
    (isolated / "server").mkdir()
    result = run_coord("restore", "one.zip", "--to", PG_URL, "--workspace", "server")
    assert result.exit_code == 0, result.stderr
    original = rows_of(rich / "coord.db")
    on_server = {t: r for t, r in rows_of(PG_URL).items() if t != "member"}  # PostgreSQL's own (team stores)
    assert on_server == original
    assert ok("--db", PG_URL, "export") == ok("--db", str(rich), "export")
    verified = run_coord("--db", PG_URL, "agreement", "verify", "--all")
    assert verified.exit_code == 1  # the scans are in server/, not here: verify says so
    ok("--db", PG_URL, "backup", "-o", "two.zip")  # from here: the scans are not in this folder
    two = json.loads(zipfile.ZipFile(isolated / "two.zip").read("manifest.json"))
    assert two["files"] == {} and len(two["problems"]) == 2
    ok("--db", PG_URL, "agreement", "list")
    # from the folder that holds the scans, the backup is whole and verifies
    monkey = subprocess.run(
        [sys.executable, "-m", "coordkit", "--db", PG_URL, "backup", "-o", str(isolated / "three.zip")],
        cwd=isolated / "server",
        capture_output=True,
        text=True,
        check=False,
    )
    assert monkey.returncode == 0, monkey.stderr
    back = run_coord("restore", "three.zip", "--to", "back")
    assert back.exit_code == 0, back.stderr
    assert rows_of(isolated / "back" / "coord.db") == original
    assert ok("--db", "back", "export") == ok("--db", str(rich), "export")
    assert run_coord("--db", "back", "agreement", "verify", "--all").exit_code == 0
    one = json.loads(zipfile.ZipFile(isolated / "one.zip").read("manifest.json"))
    three = json.loads(zipfile.ZipFile(isolated / "three.zip").read("manifest.json"))
    assert three["chain_head"] == one["chain_head"]
    assert three["files"] == one["files"]
    assert {t: e["sha256"] for t, e in three["tables"].items()} == {t: e["sha256"] for t, e in one["tables"].items()}


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=needs_postgres)])
def test_restore_refuses_a_database_that_is_not_empty(rich: Path, isolated: Path, backend: str) -> None:
    assert PG_URL
    reset_postgres(PG_URL)
    ok("--db", PG_URL, "init")
    ok("--db", str(rich), "backup", "-o", "b.zip")
    before = rows_of(PG_URL)
    result = run_coord("restore", "b.zip", "--to", PG_URL)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --to postgresql+psycopg://")
    from coordkit.storage.migrations import table_names

    assert result.stderr.endswith(
        f"the database is not empty (it holds {len(table_names()) + 1} table(s), such as agreement);"  # + member
        " restore into an empty database\n"
    )
    assert rows_of(PG_URL) == before


def test_restore_never_overwrites_a_store(rich: Path, isolated: Path) -> None:
    ok("--db", str(rich), "backup", "-o", "b.zip")
    ok("init", "there")
    before = (isolated / "there" / "coord.db").read_bytes()
    result = run_coord("restore", "b.zip", "--to", "there")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --to {isolated / 'there' / 'coord.db'} exists; restore into a new file "
        "(a restore never overwrites a store)\n",
    )
    assert (isolated / "there" / "coord.db").read_bytes() == before


def test_restore_into_an_empty_file_a_killed_init_left(rich: Path, isolated: Path) -> None:
    ok("--db", str(rich), "backup", "-o", "b.zip")
    (isolated / "w").mkdir()
    (isolated / "w" / "coord.db").write_bytes(b"")
    assert run_coord("restore", "b.zip", "--to", "w/coord.db").exit_code == 0
    assert rows_of(isolated / "w" / "coord.db") == rows_of(rich / "coord.db")


def _rewrite(source: Path, target: Path, change: Any) -> None:
    """A copy of the archive with one member changed: ``change(name, data) -> data``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))


def _manifest_change(**fields: Any) -> Any:
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest.update(fields)
        return json.dumps(manifest).encode()

    return change


@pytest.fixture
def archive(rich: Path, isolated: Path) -> Iterator[Path]:
    ok("--db", str(rich), "backup", "-o", "b.zip")
    yield isolated / "b.zip"


@pytest.mark.parametrize(
    ("case", "change", "message", "code"),
    [
        (
            "a row edited inside the archive",
            lambda name, data: (
                data.replace(b"Liede Street Office", b"Liede Street 0ffice")
                if name == "tables/stakeholder.jsonl"
                else data
            ),
            "bad.zip is not a usable coord backup: tables/stakeholder.jsonl does not match its hash in the manifest; "
            "nothing was restored",
            2,
        ),
        (
            "a scan missing from the archive",
            lambda name, data: data,  # replaced below: the member is left out
            None,
            2,
        ),
        (
            "a manifest from a newer coord",
            _manifest_change(schema_version=99),
            f"bad.zip holds a store of schema 99, made by a newer coord (this one knows up to {LATEST}); "
            "upgrade coordkit to restore it",
            2,
        ),
        (
            "a manifest whose chain head is not the history's",
            _manifest_change(chain_head="0" * 64),
            None,
            1,
        ),
        (
            "another format",
            _manifest_change(format="zip"),
            "bad.zip is not a usable coord backup: its manifest is not a coord backup's; nothing was restored",
            2,
        ),
        (
            "a table name that is not a name",
            _manifest_change(tables={"x; DROP TABLE event": {}}),
            "bad.zip is not a usable coord backup: its manifest is not in the shape coord writes; nothing was restored",
            2,
        ),
    ],
)
def test_a_damaged_backup_restores_nothing(
    archive: Path, isolated: Path, case: str, change: Any, message: str | None, code: int
) -> None:
    bad = isolated / "bad.zip"
    if case == "a scan missing from the archive":
        with zipfile.ZipFile(archive) as old, zipfile.ZipFile(bad, "w") as new:
            dropped = next(i.filename for i in old.infolist() if i.filename.startswith("files/"))
            for info in old.infolist():
                if info.filename != dropped:
                    new.writestr(info.filename, old.read(info.filename))
        message = f"bad.zip is not a usable coord backup: {dropped} is missing; nothing was restored"
    else:
        _rewrite(archive, bad, change)
    result = run_coord("restore", "bad.zip", "--to", "copy")
    assert result.exit_code == code, result.stderr
    if message is not None:
        assert result.stderr == f"Error: {message}\n"
    else:
        assert result.stderr.startswith("Error: the restored history ends at ")
        assert result.stderr.endswith(", the backup's at 000000000000; nothing was restored\n")
    assert not (isolated / "copy" / "coord.db").exists()
    assert [p.name for p in (isolated / "copy").glob("*coord-tmp*")] == [] if (isolated / "copy").exists() else True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.zip", None, "cut.zip is not a usable coord backup: not a zip archive (File is not a zip file); "),
        ("notes.txt", b"hello", "notes.txt is not a usable coord backup: not a zip archive (File is not a zip file); "),
        ("/dev/zero", None, "backup /dev/zero is not a regular file (a device, pipe or folder); name a file"),
    ],
)
def test_what_is_not_a_backup_is_one_line(
    archive: Path, isolated: Path, name: str, content: bytes | None, message: str
) -> None:
    if name == "cut.zip":
        data = archive.read_bytes()
        (isolated / name).write_bytes(data[: len(data) // 2])
    elif content is not None:
        (isolated / name).write_bytes(content)
    result = run_coord("restore", name, "--to", "copy")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")
    assert "\n" not in result.stderr.rstrip("\n")


@pytest.mark.slow
@pytest.mark.parametrize(("event", "survivor"), [("fsync", "old"), ("replace", "new")])
def test_backup_killed_at_any_point_leaves_the_old_archive_or_the_whole_new_one(
    rich: Path, isolated: Path, event: str, survivor: str
) -> None:
    (isolated / "b.zip").write_bytes(b"the old backup")
    result = subprocess.run(
        [sys.executable, str(KILL_AT), event, "1", "--db", str(rich), "backup", "-o", "b.zip"],
        cwd=isolated,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == -9, result.stderr
    if survivor == "old":
        assert (isolated / "b.zip").read_bytes() == b"the old backup"
    else:
        assert run_coord("restore", "b.zip", "--to", "copy").exit_code == 0


# ---------------------------------------------------------------- exports cut short


@pytest.fixture
def exported(rich: Path, isolated: Path) -> str:
    ok("--db", str(rich), "export", "-o", "ws.yaml")
    return (isolated / "ws.yaml").read_text(encoding="utf-8")


def test_an_export_ends_with_its_seal(exported: str) -> None:
    import hashlib

    lines = exported.splitlines(keepends=True)
    assert lines[1] == (
        "# coord export: the last line seals it (counts and SHA-256); a copy without that line was cut short\n"
    )
    body = "".join(lines[:-1])
    assert lines[-1] == (
        "# coord export end: projects=1 stakeholders=10 roles=3 duties=22 agreements=4 meetings=2 interactions=3 concerns=1 "
        f"sha256={hashlib.sha256(body.encode()).hexdigest()}\n"
    )


@pytest.mark.parametrize("command", ["validate", "apply"])
def test_an_export_cut_at_a_line_boundary_is_refused(exported: str, isolated: Path, command: str) -> None:
    """The issue's case: a cut export validated and applied with exit 0, importing part of the duties
    and none of the agreements."""
    lines = exported.splitlines(keepends=True)
    ok("init", "fresh")
    for cut in (len(lines) // 3, len(lines) - 1):
        (isolated / "cut.yaml").write_text("".join(lines[:cut]), encoding="utf-8")
        before = rows_of(isolated / "fresh" / "coord.db")
        result = run_coord("--db", "fresh", command, "cut.yaml")
        assert (result.exit_code, result.stderr) == (
            2,
            "Error: cut.yaml is an export cut short: its last line is not the seal coord writes "
            "('# coord export end: …' with counts and a hash); nothing was read from it; export the store again\n",
        )
        assert rows_of(isolated / "fresh" / "coord.db") == before


def test_an_export_cut_mid_line_is_refused(exported: str, isolated: Path) -> None:
    (isolated / "cut.yaml").write_text(exported[: len(exported) - 30], encoding="utf-8")
    result = run_coord("validate", "cut.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cut.yaml is an export cut short: ")


def test_an_export_missing_a_piece_in_the_middle_is_refused(exported: str, isolated: Path) -> None:
    start = exported.index("- key: liede-street\n")
    end = exported.index("- key: liede-sw\n")
    (isolated / "holed.yaml").write_text(exported[:start] + exported[end:], encoding="utf-8")
    result = run_coord("validate", "holed.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: holed.yaml: its seal counts 10 stakeholders but the file holds 9; part of it is missing or was "
        "added since export; export the store again (to apply an export you changed on purpose, delete its "
        "'# coord export' lines)\n",
    )


def test_an_edited_export_still_applies(exported: str, isolated: Path, rich: Path) -> None:
    """Export is for editing: a changed value keeps the counts, so the file applies (the seal's hash
    tells that it was edited)."""
    from coordkit.services.ascode.load import load

    edited = exported.replace("Liede Street Office (functional department)", "Liede Street Office (Tianhe)")
    assert edited != exported
    (isolated / "edited.yaml").write_text(edited, encoding="utf-8")
    assert load([isolated / "edited.yaml"]).edited == [str(isolated / "edited.yaml")]
    assert load([isolated / "ws.yaml"]).edited == []
    (isolated / "plain.yaml").write_text("\n".join(edited.splitlines()[2:-1]) + "\n", encoding="utf-8")
    assert load([isolated / "plain.yaml"]).edited == []  # without its export lines: a file a person wrote
    ok("init", "fresh")
    ok("--db", "fresh", "apply", "ws.yaml")
    result = run_coord("--db", "fresh", "apply", "edited.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "~ stakeholder liede-street: name\n"


def test_evidence_files_of_any_name_are_kept(rich: Path, tmp_path: Path, isolated: Path) -> None:
    """Files in evidence/ and minutes/ keep their names (a name with spaces or Chinese included)."""
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(rich, workspace)
    (workspace / "evidence").mkdir()
    (workspace / "evidence" / "市集 照片 (1).jpg").write_bytes(b"jpeg of the market")
    (workspace / "minutes").mkdir()
    (workspace / "minutes" / "2024-03.md").write_text("# Minutes\n", encoding="utf-8")
    ok("--db", str(workspace), "backup", "-o", "b.zip")
    ok("restore", "b.zip", "--to", "copy")
    assert (isolated / "copy" / "evidence" / "市集 照片 (1).jpg").read_bytes() == b"jpeg of the market"
    assert (isolated / "copy" / "minutes" / "2024-03.md").read_text(encoding="utf-8") == "# Minutes\n"
