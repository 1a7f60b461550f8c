"""Backups that lose nothing, and moves between SQLite and PostgreSQL that keep every hash.

``export``/``apply`` is for editing: it writes what a person reads and re-derives
the rest, so an amended agreement's v2 came back as v1 with another
fingerprint, and key signatures, scans, party keys and 11 of 25 events were
gone. A backup is the store itself: every table dumped row by row (ids, hashes,
timestamps as they are), the files the rows point at, and a manifest.

The archive is one zip file:

- ``manifest.json``: format, coord and schema version, the chain head, each
  table's columns, row count and member hash, each file's SHA-256, and what
  verification found when the backup was made;
- ``tables/<table>.jsonl``: the columns, then one JSON array per row, in
  primary-key order; dates as ISO text and booleans as true/false, so a dump of
  SQLite restores into PostgreSQL and back unchanged;
- ``files/<folder>/<name>``: every file of the workspace's evidence folders
  (``coordkit.vocab.EVIDENCE_FOLDERS``).

The tables are read in one snapshot (SQLite's read transaction, PostgreSQL's
REPEATABLE READ) and every table the store has is taken, whatever its name, so
tables added by later migrations need nothing here. A restore goes into a new
SQLite file or an empty PostgreSQL database, in one transaction: the backup's
own schema version is made first, the rows go in with their ids (PostgreSQL's
sequences are moved past them), then the store is migrated forward and checked
(row counts, the chain head, the event chain, every signed version, every
file's hash) before it commits. A SQLite restore is built beside the target
and renamed into place only once verified: there is never half a store.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from coordkit.domain.values import not_utf8
from coordkit.errors import CoordError, InvalidInput, StoreError
from coordkit.i18n import _
from coordkit.limits import BACKUP_ENTRY_BYTES
from coordkit.storage.engine import Store
from coordkit.storage.location import StoreLocation
from coordkit.storage.sql import Conn, dialect, scalar
from coordkit.vocab import EVIDENCE_FOLDERS

FORMAT = "coord-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
ROWS_PER_BATCH = 5000
LINE_BYTES = 64 * 1024 * 1024  # one row of a table dump (a 10,000-character clause is 40 KB)
TABLE_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# One part of a file's path inside the archive: any name a folder can hold except ., .. and names
# with separators or control characters (a member name must never lead out of the workspace)
FILE_RE = re.compile(r"(?!\.\.?$)[^/\\\x00-\x1f\x7f]{1,255}")


class VerificationFailed(CoordError):
    """A restored store that does not verify: nothing was restored (exit 1, as a failed ``verify``)."""

    exit_code = 1


@dataclass
class BackupReport:
    """What a backup holds (as its manifest says) and the SHA-256 of the archive itself."""

    path: Path
    schema: int
    chain_head: str
    tables: dict[str, int]
    files: int
    file_bytes: int
    archive_sha256: str
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass
class RestoreReport:
    """What a restore put where, and what verification found (nothing, or it would not have committed)."""

    target: str
    workspace: Path
    schema: int
    chain_head: str
    tables: dict[str, int]
    files: int
    events: int
    versions: int
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# ---------------------------------------------------------------- the schema, as the store has it


def store_tables(conn: Conn) -> list[str]:
    """Every table of the store, parents before children (as the models sort them), unknown ones last by name."""
    from sqlmodel import SQLModel

    import coordkit.models  # noqa: F401  (registers the tables)

    if isinstance(conn, sqlite3.Connection):
        found = {
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        }
    else:
        from sqlalchemy import inspect

        from coordkit.storage.team import SERVER_ONLY

        # a team store's members are logins of one server: after a restore, add them there again
        found = set(inspect(conn).get_table_names()) - SERVER_ONLY
    known = [t.name for t in SQLModel.metadata.sorted_tables if t.name in found]
    return known + sorted(found - set(known))


def _column_kinds(table: str) -> dict[str, str]:
    """``{"active": "bool", "signed_on": "date"}``: the columns whose values differ between SQLite and PostgreSQL."""
    from sqlalchemy import Boolean, Date, DateTime
    from sqlmodel import SQLModel

    declared = SQLModel.metadata.tables.get(table)
    if declared is None:
        return {}
    kinds = {}
    for column in declared.columns:
        if isinstance(column.type, Boolean):
            kinds[column.name] = "bool"
        elif isinstance(column.type, Date | DateTime):
            kinds[column.name] = "date"
    return kinds


def _order(table: str) -> str:
    from sqlmodel import SQLModel

    declared = SQLModel.metadata.tables.get(table)
    keys = [c.name for c in declared.primary_key.columns] if declared is not None else []
    return ", ".join(f'"{k}"' for k in keys) if keys else "1"


def _json_default(value: Any) -> Any:
    """Values JSON has no form for: dates as ISO text, bytes as base64 (the same from either database)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot back up a {type(value).__name__}")


ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _converter(columns: list[str], kinds: dict[str, str], convert: Any) -> Any:
    """A function fixing the few columns that need it in a row (booleans: 1 on SQLite, true on PostgreSQL),
    or None when no column does: 100,000 rows are then written as they come."""
    positions = [i for i, c in enumerate(columns) if kinds.get(c) == "bool"]
    if not positions:
        return None

    def fix(row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for i in positions:
            if values[i] is not None:
                values[i] = convert(values[i])
        return values

    return fix


def _native(values: list[Any]) -> list[Any]:
    """Bytes back from base64 (a dict in a row can only be that)."""
    return [base64.b64decode(v["base64"]) if isinstance(v, dict) else v for v in values]


def _select(conn: Conn, table: str) -> tuple[list[str], Iterator[Sequence[Any]]]:
    """The columns and the rows of ``table`` in primary-key order, streamed."""
    sql = f'SELECT * FROM "{table}" ORDER BY {_order(table)}'
    if isinstance(conn, sqlite3.Connection):
        cursor = conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql)
        return [c[0] for c in cursor.description], iter(cursor)
    result = conn.exec_driver_sql(sql, execution_options={"stream_results": True, "yield_per": ROWS_PER_BATCH})
    return list(result.keys()), iter(result)


# ---------------------------------------------------------------- backup


def _evidence_files(root: Path) -> list[tuple[str, Path]]:
    """(member name, path) of every regular file in the workspace's evidence folders (links are not followed)."""
    found = []
    for folder in EVIDENCE_FOLDERS:
        base = root / folder
        if not base.is_dir() or base.is_symlink():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.name.endswith(".coord-tmp"):
                continue
            relative = path.relative_to(root).as_posix()
            if not_utf8(relative) is not None or not all(FILE_RE.fullmatch(p) for p in relative.split("/")):
                raise InvalidInput(_("{path}: a file name coord cannot keep in a backup; rename it").format(path=path))
            found.append((relative, path))
    return found


def _dump_table(archive: zipfile.ZipFile, conn: Conn, table: str) -> dict[str, Any]:
    columns, cursor = _select(conn, table)
    fix = _converter(columns, _column_kinds(table), bool)
    encode = ENCODER.encode
    digest = hashlib.sha256()
    count = 0
    member = f"tables/{table}.jsonl"
    with archive.open(member, "w", force_zip64=True) as out:
        buffer: list[str] = [json.dumps(columns) + "\n"]
        for row in cursor:
            buffer.append(encode(fix(row) if fix else list(row)) + "\n")
            count += 1
            if len(buffer) >= ROWS_PER_BATCH:
                data = "".join(buffer).encode("utf-8")
                digest.update(data)
                out.write(data)
                buffer = []
        data = "".join(buffer).encode("utf-8")
        digest.update(data)
        out.write(data)
    return {"member": member, "columns": columns, "rows": count, "sha256": digest.hexdigest()}


def _add_file(archive: zipfile.ZipFile, name: str, path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(f"files/{name}", date_time=dt.datetime.fromtimestamp(path.stat().st_mtime).timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED  # scans are PDF or JPEG: compressed already
    with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


@contextlib.contextmanager
def _snapshot(store: Store) -> Iterator[Conn]:
    """One consistent read of the whole store: SQLite's read transaction, PostgreSQL's REPEATABLE READ."""
    if store.location.is_sqlite:
        with store.read() as conn:
            yield conn
        return
    with store._translate():
        connection = store.engine.connect().execution_options(isolation_level="REPEATABLE READ")
        try:
            with connection.begin():
                yield connection
        finally:
            connection.close()


@contextlib.contextmanager
def _atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A file written whole or not at all (temporary file beside it, fsync, rename), for large outputs."""
    from coordkit.files import sync_folder

    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(21, os.strerror(21))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".coord-tmp")
    except OSError as error:
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=path, reason=_reason(error))) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError):
            raise InvalidInput(
                _("cannot write {path}: {reason}; the old file, if any, is unchanged").format(
                    path=path, reason=_reason(error)
                )
            ) from None
        raise
    sync_folder(path.parent)


def _reason(error: OSError) -> str:
    from coordkit import files

    return files._reason(error)


def verification_problems(conn: Conn, workspace: Path) -> list[str]:
    """What ``coord verify`` would say: the event chain, then every signed version (its hash, signatures, scans)."""
    from coordkit.services.agreements.proof import verify
    from coordkit.services.history import verify_history

    problems = list(verify_history(conn))
    for result in verify(conn, workspace=workspace):
        problems += [f"{result['key']} v{result['version']}: {p}" for p in result["problems"]]
    return [problem.replace(str(workspace), "WORKSPACE") for problem in problems]


def backup(store: Store, output: Path) -> BackupReport:
    """Write the whole store and its evidence files into the archive ``output`` (atomically)."""
    from coordkit import __version__
    from coordkit.storage.lookup import get_meta

    root = store.root
    manifest: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "coord": __version__}
    with (
        _atomic_output(output) as handle,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        with _snapshot(store) as conn:
            manifest["schema_version"] = int(get_meta(conn, "schema_version") or 0)
            manifest["chain_head"] = get_meta(conn, "event_head") or ""
            manifest["made_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            manifest["source"] = {"dialect": dialect(conn), "store": store.location.display}
            manifest["tables"] = {table: _dump_table(archive, conn, table) for table in store_tables(conn)}
            manifest["problems"] = verification_problems(conn, root)
        manifest["files"] = {name: _add_file(archive, name, path) for name, path in _evidence_files(root)}
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        archive.writestr(MANIFEST, text)
    return BackupReport(
        path=output,
        schema=manifest["schema_version"],
        chain_head=manifest["chain_head"],
        tables={t: m["rows"] for t, m in manifest["tables"].items()},
        files=len(manifest["files"]),
        file_bytes=sum(f["bytes"] for f in manifest["files"].values()),
        archive_sha256=_hash_path(output),
        problems=manifest["problems"],
    )


def _hash_path(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- reading an archive


def _damaged(archive: Path, what: str) -> InvalidInput:
    return InvalidInput(
        _("{archive} is not a usable coord backup: {what}; nothing was restored").format(archive=archive, what=what)
    )


def _open_archive(path: Path) -> zipfile.ZipFile:
    from coordkit.files import _open_regular

    fd, _info = _open_regular(Path(path), _("backup"))  # refuses /dev/zero, a FIFO, a folder
    os.close(fd)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _damaged(path, _("not a zip archive ({error})").format(error=error)) from None


def _member(archive: zipfile.ZipFile, path: Path, name: str) -> zipfile.ZipInfo:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _damaged(path, _("{name} is missing").format(name=name)) from None
    if info.file_size > BACKUP_ENTRY_BYTES:
        raise _damaged(path, _("{name} is larger than any backup holds").format(name=name))
    return info


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """The manifest, checked for the shape this coord writes (every name used later is safe)."""
    info = _member(archive, path, MANIFEST)
    if info.file_size > 64 * 1024 * 1024:
        raise _damaged(path, _("its manifest is too large"))
    try:
        manifest = json.loads(archive.read(info).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile, OSError, EOFError) as error:
        raise _damaged(path, _("its manifest cannot be read ({error})").format(error=error)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, _("its manifest is not a coord backup's"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _damaged(
            path,
            _("it is in backup format {found}; this coord reads format {known}").format(
                found=manifest.get("format_version"), known=FORMAT_VERSION
            ),
        )
    try:
        tables, files = manifest["tables"], manifest["files"]
        assert isinstance(manifest["schema_version"], int) and isinstance(manifest["chain_head"], str)
        assert isinstance(tables, dict) and isinstance(files, dict)
        for table, entry in tables.items():
            assert TABLE_RE.fullmatch(table) and entry["member"] == f"tables/{table}.jsonl"
            assert isinstance(entry["rows"], int) and isinstance(entry["sha256"], str)
            assert isinstance(entry["columns"], list) and all(TABLE_RE.fullmatch(c) for c in entry["columns"])
        for name, entry in files.items():
            parts = name.split("/")
            assert len(parts) >= 2 and parts[0] in EVIDENCE_FOLDERS and all(FILE_RE.fullmatch(p) for p in parts)
            assert isinstance(entry["sha256"], str) and isinstance(entry["bytes"], int)
        assert isinstance(manifest.get("problems", []), list)
    except (AssertionError, KeyError, TypeError, AttributeError):
        raise _damaged(path, _("its manifest is not in the shape coord writes")) from None
    return manifest


def _check_members(archive: zipfile.ZipFile, path: Path, manifest: dict[str, Any]) -> None:
    """Every member's bytes match the manifest's SHA-256 (a damaged archive restores nothing)."""
    wanted = [(entry["member"], entry["sha256"]) for entry in manifest["tables"].values()]
    wanted += [(f"files/{name}", entry["sha256"]) for name, entry in manifest["files"].items()]
    for name, expected in wanted:
        info = _member(archive, path, name)
        digest = hashlib.sha256()
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise _damaged(path, _("{name} cannot be read ({error})").format(name=name, error=error)) from None
        if digest.hexdigest() != expected:
            raise _damaged(path, _("{name} does not match its hash in the manifest").format(name=name))


def _batches(archive: zipfile.ZipFile, path: Path, entry: dict[str, Any]) -> Iterator[list[list[Any]]]:
    """A table's rows, a few thousand at a time (one JSON parse per batch, not per row)."""
    member = entry["member"]
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        header = json.loads(text.readline(LINE_BYTES))
        if header != entry["columns"]:
            raise _damaged(path, _("{name} has other columns than its manifest says").format(name=member))
        width = len(header)
        while True:
            lines = []
            for _n in range(ROWS_PER_BATCH):
                line = text.readline(LINE_BYTES)
                if not line:
                    break
                if not line.endswith("\n"):
                    raise _damaged(path, _("{name} has a row too long to read").format(name=member))
                lines.append(line)
            if not lines:
                return
            joined = "[" + ",".join(lines) + "]"
            try:
                batch = json.loads(joined)
            except ValueError:
                raise _damaged(path, _("{name} has a malformed row").format(name=member)) from None
            if any(not isinstance(row, list) or len(row) != width for row in batch):
                raise _damaged(path, _("{name} has a malformed row").format(name=member))
            if '{"base64":' in joined:
                batch = [_native(row) for row in batch]
            yield batch


# ---------------------------------------------------------------- restore


def _target_columns(conn: Conn, table: str) -> list[str]:
    if isinstance(conn, sqlite3.Connection):
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    from sqlalchemy import inspect

    inspector = inspect(conn)
    return [c["name"] for c in inspector.get_columns(table)] if inspector.has_table(table) else []


def _insert(conn: Conn, archive: zipfile.ZipFile, path: Path, table: str, entry: dict[str, Any], version: int) -> int:
    """Put one table's rows back with their ids: executemany on SQLite, COPY on PostgreSQL."""
    columns: list[str] = entry["columns"]
    have = _target_columns(conn, table)
    if not have:
        raise _damaged(
            path, _("it holds table {table}, which schema {version} has not").format(table=table, version=version)
        )
    if sorted(have) != sorted(columns):
        raise _damaged(
            path,
            _("table {table} has columns {found}; this schema has {known}").format(
                table=table, found=", ".join(columns), known=", ".join(have)
            ),
        )
    sqlite = isinstance(conn, sqlite3.Connection)
    fix = _converter(columns, _column_kinds(table), (lambda v: int(bool(v))) if sqlite else bool)
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0

    def batches() -> Iterator[list[Any]]:
        for batch in _batches(archive, path, entry):
            yield [fix(row) for row in batch] if fix else batch

    if isinstance(conn, sqlite3.Connection):
        marks = ", ".join("?" for _c in columns)
        for batch in batches():
            conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', batch)
            count += len(batch)
        return count
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for batch in batches():
            for row in batch:
                copy.write_row(row)
            count += len(batch)
    if "id" in columns:
        scalar(
            conn,
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) "
            f'FROM "{table}"',
        )
    return count


def _extract(archive: zipfile.ZipFile, path: Path, manifest: dict[str, Any], root: Path) -> None:
    """Put each file back under the workspace (checked by hash; a file already there with that content stays)."""
    from coordkit.files import hash_file, sync_folder

    folders = set()
    for name, entry in manifest["files"].items():
        target = root / name
        if hash_file(target) == entry["sha256"]:
            continue
        if target.exists() or target.is_symlink():
            raise InvalidInput(
                _("{target} exists with other content; restore into a workspace without it").format(target=target)
            )
        with _atomic_output(target) as out, archive.open(f"files/{name}") as source:
            while chunk := source.read(CHUNK):
                out.write(chunk)
        folders.add(target.parent)
    for folder in folders:
        sync_folder(folder)


def _refuse_existing(location: StoreLocation) -> None:
    if location.is_sqlite:
        assert location.path is not None
        if location.path.exists() and location.path.stat().st_size > 0:
            raise InvalidInput(
                _("--to {path} exists; restore into a new file (a restore never overwrites a store)").format(
                    path=location.path
                )
            )
        return
    from sqlalchemy import create_engine, inspect

    engine = create_engine(location.url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    except Exception as error:
        from coordkit.storage.engine import translate_error

        translated = translate_error(error, location)
        if translated is None:
            raise
        raise translated from None
    finally:
        engine.dispose()
    if tables:
        raise InvalidInput(
            _(
                "--to {url}: the database is not empty (it holds {count} table(s), such as {first}); "
                "restore into an empty database"
            ).format(url=location.display, count=len(tables), first=sorted(tables)[0])
        )


def restore(archive_path: Path, location: StoreLocation, *, workspace: Path | None = None) -> RestoreReport:
    """Restore the backup into a new SQLite file or an empty PostgreSQL database, and verify it.

    Verification runs inside the restoring transaction: row counts, the chain head and what
    ``coord verify`` finds must be what the manifest recorded when the backup was made, or
    nothing is restored (``VerificationFailed``).
    """
    from coordkit.storage.lookup import get_meta
    from coordkit.storage.migrations import LATEST, migrate

    root = workspace if workspace is not None else location.root
    with _open_archive(archive_path) as archive:
        manifest = read_manifest(archive, archive_path)
        version = manifest["schema_version"]
        if version > LATEST:
            raise InvalidInput(
                _(
                    "{archive} holds a store of schema {version}, made by a newer coord (this one knows up to "
                    "{latest}); upgrade coordkit to restore it"
                ).format(archive=archive_path, version=version, latest=LATEST)
            )
        _check_members(archive, archive_path, manifest)
        _refuse_existing(location)
        _extract(archive, archive_path, manifest, root)
        temporary: Path | None = None
        if location.is_sqlite:
            assert location.path is not None
            location.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = location.path.with_name(f".{location.path.name}.restore-{os.getpid()}.coord-tmp")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        store = Store(location)
        try:
            with _building(store, temporary) as conn:
                migrate(conn, 0, upto=version)
                conn_execute(conn, "DELETE FROM coord_migration")
                conn_execute(conn, "DELETE FROM coord_meta")
                counts = {
                    table: _insert(conn, archive, archive_path, table, entry, version)
                    for table, entry in manifest["tables"].items()
                }
                expected = {table: entry["rows"] for table, entry in manifest["tables"].items()}
                if isinstance(conn, sqlite3.Connection) and conn.execute("PRAGMA foreign_key_check").fetchone():
                    raise VerificationFailed(
                        _("the backup's rows point at rows it does not hold; nothing was restored")
                    )
                if counts != expected:
                    raise VerificationFailed(
                        _("the restored store has other row counts than the backup; nothing was restored")
                    )
                if version < LATEST:
                    migrate(conn, version)
                head = get_meta(conn, "event_head") or ""
                problems = verification_problems(conn, root)
                if head != manifest["chain_head"]:
                    raise VerificationFailed(
                        _(
                            "the restored history ends at {head}, the backup's at {expected}; nothing was restored"
                        ).format(head=head[:12], expected=manifest["chain_head"][:12])
                    )
                if problems != manifest.get("problems", []):
                    raise VerificationFailed(
                        _(
                            "the restored store does not verify as the original did: {problem}; nothing was restored"
                        ).format(
                            problem=next(iter(set(problems) ^ set(manifest.get("problems", [])))),
                        )
                    )
                events = int(scalar(conn, "SELECT count(*) FROM event") or 0)
                versions = int(scalar(conn, "SELECT count(*) FROM agreement_version WHERE terms_hash IS NOT NULL") or 0)
        except BaseException:
            store.dispose()
            if temporary is not None:
                for leftover in (
                    temporary,
                    *(temporary.with_name(temporary.name + s) for s in ("-wal", "-shm", "-journal")),
                ):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
            raise
        store.dispose()
    if temporary is not None and location.path is not None:
        _finish_sqlite(temporary, location.path)
    return RestoreReport(
        target=location.display,
        workspace=root,
        schema=LATEST,
        chain_head=head,
        tables=counts,
        files=len(manifest["files"]),
        events=events,
        versions=versions,
        problems=problems,
    )


@contextlib.contextmanager
def _building(store: Store, temporary: Path | None) -> Iterator[Conn]:
    """The restoring transaction: PostgreSQL through the store's own write (its lock); SQLite in a new
    file beside the target, without a journal and with foreign keys checked once at the end (the file
    is only renamed into place once committed, fsynced and verified; a failure deletes it)."""
    if temporary is None:
        with store.write() as conn:
            # the backup's events keep their actors; a team store lets only its owner write them (storage.team)
            conn_execute(conn, "SET LOCAL coord.restoring = 'on'")
            yield conn
        return
    from coordkit.storage.sql import configure_sqlite

    with store._translate():
        raw = configure_sqlite(sqlite3.connect(temporary, isolation_level=None))
        try:
            raw.execute("PRAGMA journal_mode = OFF")
            raw.execute("PRAGMA synchronous = OFF")
            raw.execute("BEGIN IMMEDIATE")
            yield raw
            raw.execute("COMMIT")
        finally:
            raw.close()


def conn_execute(conn: Conn, sql: str) -> None:
    from coordkit.storage.sql import execute

    execute(conn, sql)


def _finish_sqlite(temporary: Path, target: Path) -> None:
    """WAL on, as every store runs; the file fsynced and renamed into place (the folder fsynced too)."""
    from coordkit.files import sync_folder

    raw = sqlite3.connect(temporary, isolation_level=None)
    try:
        raw.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()
    fd = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if target.exists() and target.stat().st_size > 0:  # made meanwhile by someone else: never overwritten
        temporary.unlink()
        raise StoreError(_("{path} was made while the restore ran; nothing was replaced").format(path=target))
    os.replace(temporary, target)
    sync_folder(target.parent)
