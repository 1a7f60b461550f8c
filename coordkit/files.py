"""Files coord writes or keeps: whole or not at all, and never more than asked for.

A file coord writes is first written in full to a temporary file in the same
folder, flushed and fsynced, then renamed over the target with ``os.replace``:
a kill, a full disk or Ctrl-C at any moment leaves either the old file or the
whole new one, never a 2 MB piece of a 7.2 MB export. Kept files (scans,
evidence) are stored under their SHA-256, so a piece left by a killed copy can
never pass for the real thing: its name would not match its content.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path

from coordkit.errors import InvalidInput
from coordkit.i18n import _

CHUNK = 1024 * 1024  # bytes read and hashed at a time: a 500 MB scan never sits in memory whole
STORED_NAME = re.compile(r"[0-9a-f]{64}(\.[a-z0-9]{1,8})?")
EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


def size_text(size: int) -> str:
    """``52428800`` → ``50 MB``; ``1536`` → ``1.5 KB``: limits in words a person reads at a glance."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


def _reason(error: OSError) -> str:
    """What went wrong and what to do, for the errors a person can fix."""
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        return _("the disk is full; free some space and try again")
    if error.errno == errno.EFBIG:
        return _("the file is larger than this system or account allows")
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied; choose a folder you may write to")
    if error.errno == errno.EROFS:
        return _("the file system is read-only; choose another folder")
    if error.errno == errno.EISDIR:
        return _("it is a folder; name a file")
    if error.errno == errno.ENOTDIR:
        return _("a part of the path is a file, not a folder")
    if error.errno == errno.ENAMETOOLONG:
        return _("the name is too long for this system")
    return error.strerror or str(error)


def sync_folder(folder: Path) -> None:
    """Make the renames into ``folder`` durable (after ``atomic_write(..., sync_folder=False)`` in a batch)."""
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable: without this a power cut can undo it (POSIX only)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a folder; the data itself is already safe
        pass
    finally:
        os.close(fd)


def _new_mode(target: Path) -> int:
    """The mode the file gets: the replaced file's, else what the umask gives a new file (0644 under 022)."""
    try:
        info = os.lstat(target)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temporary(folder: Path, hint: str) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{hint[:40]}.", suffix=".coord-tmp")
    return fd, Path(name)


def _discard(temporary: Path) -> None:
    with contextlib.suppress(OSError):  # already gone, or the folder vanished: nothing left to clean
        temporary.unlink()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:CHUNK])
        view = view[written:]


def _is_stream(path: Path) -> bool:
    """``-o /dev/null``, ``-o /dev/stdout`` or a named pipe: a device, not a file to replace.

    Replacing one by rename would put a regular file where ``/dev/null`` was, for
    every program on the machine; these are written straight through instead.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _write_stream(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=path, reason=_reason(error))) from None


def atomic_write(path: Path, content: bytes | str, *, sync_folder: bool = True) -> None:
    """Write ``content`` to ``path`` so that readers see the old file or the whole new one, never a piece.

    Text is written as UTF-8. The parent folders are made when missing. When
    ``path`` is a symbolic link, the link itself is replaced by the new file and
    whatever it pointed at is left untouched: ``-o ws.yaml`` never writes
    through a link planted at that name into ``~/.ssh/authorized_keys``. The
    temporary file is removed on any failure, Ctrl-C included; failures a
    person can fix (full disk, no permission, a folder at that name) become one
    ``InvalidInput`` line. A batch writing 1,000 files into one folder passes
    ``sync_folder=False`` and calls ``sync_folder(folder)`` once at the end: the
    folder's fsync costs about as much as the file's (2 ms each here), and
    skipping it can only lose a rename on power loss, never expose a piece.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = Path(path)
    if _is_stream(path):
        _write_stream(path, data)
        return
    try:
        if path.is_dir() and not path.is_symlink():
            raise OSError(errno.EISDIR, os.strerror(errno.EISDIR))
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        mode = _new_mode(path)
        fd, temporary = _temporary(folder, path.name)
    except OSError as error:
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=path, reason=_reason(error))) from None
    try:
        try:
            _write_all(fd, data)
            if hasattr(os, "fchmod"):  # not on Windows, where mkstemp's file is already writable by its owner
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException as error:
        _discard(temporary)
        if isinstance(error, OSError):
            raise InvalidInput(
                _("cannot write {path}: {reason}; the old file, if any, is unchanged").format(
                    path=path, reason=_reason(error)
                )
            ) from None
        raise
    if sync_folder:
        _fsync_folder(path.parent)


def _open_regular(path: Path, what: str) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading without blocking on a FIFO, and refuse anything but a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise InvalidInput(
            _("{what} {path}: cannot read it ({reason})").format(what=what, path=path, reason=_reason(error))
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise InvalidInput(
            _("{what} {path} is not a regular file (a device, pipe or folder); name a file").format(
                what=what, path=path
            )
        )
    return fd, info


def _too_large(what: str, path: Path, limit: int) -> InvalidInput:
    return InvalidInput(
        _("{what} {path} is larger than the limit of {limit}; use a smaller file").format(
            what=what, path=path, limit=size_text(limit)
        )
    )


def read_limited(path: Path, *, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is refused in one line.

    ``/dev/zero`` or a file that keeps growing would otherwise fill memory; a
    FIFO would block forever. ``what`` names the file for the person ("--scan").
    """
    fd, info = _open_regular(Path(path), what)
    try:
        if info.st_size > limit:
            raise _too_large(what, path, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_large(what, path, limit)
    except OSError as error:
        raise InvalidInput(
            _("{what} {path}: cannot read it ({reason})").format(what=what, path=path, reason=_reason(error))
        ) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def safe_extension(name: str) -> str:
    """``Scan.PDF`` → ``.pdf``; ``x.tar.gz`` → ``.gz``; ``a.<script>`` or ``noext`` → ``""``."""
    suffix = Path(name).suffix.lower()
    return suffix if EXTENSION.fullmatch(suffix) else ""


def safe_stored_name(name: str) -> bool:
    """A stored name is 64 lower-case hex digits plus an optional short extension: no '/', no '..', nothing else.

    Names read back from the store (``scan_name``) are checked with this before
    they are joined to a folder, so a tampered row cannot point outside it.
    """
    return STORED_NAME.fullmatch(name) is not None


def hash_file(path: Path) -> str | None:
    """SHA-256 of a regular file at ``path`` (not through a link), None if it is anything else."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def store_by_hash(source: Path, folder: Path, *, limit: int, what: str = "--scan") -> tuple[str, str]:
    """Copy ``source`` into ``folder`` as ``<sha256><.ext>``; returns (hash, stored name).

    The copy streams in 1 MB chunks, hashing as it goes, into a temporary file
    that is renamed to its hash name only once whole and fsynced. A file
    already at that name is re-hashed: the same content is kept, anything else
    (a piece left by a killed copy, a file edited since) is replaced. Sources
    above ``limit`` bytes, and devices, pipes or folders, are refused in one
    line that starts with ``what`` (the option the file came from).
    """
    source = Path(source)
    fd, info = _open_regular(source, what)
    try:
        if info.st_size > limit:
            raise _too_large(what, source, limit)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            out, temporary = _temporary(folder, "store")
        except OSError as error:
            raise InvalidInput(
                _("cannot write into {folder}: {reason}").format(folder=folder, reason=_reason(error))
            ) from None
        try:
            digest = hashlib.sha256()
            total = 0
            try:
                while chunk := os.read(fd, CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise _too_large(what, source, limit)
                    digest.update(chunk)
                    _write_all(out, chunk)
                os.fsync(out)
            finally:
                os.close(out)
            hexdigest = digest.hexdigest()
            name = hexdigest + safe_extension(source.name)
            target = folder / name
            if hash_file(target) == hexdigest:
                temporary.unlink()
            else:
                os.replace(temporary, target)
                _fsync_folder(folder)
        except BaseException as error:
            _discard(temporary)
            if isinstance(error, OSError):
                raise InvalidInput(
                    _("cannot copy {source} into {folder}: {reason}").format(
                        source=source, folder=folder, reason=_reason(error)
                    )
                ) from None
            raise
    finally:
        os.close(fd)
    return hexdigest, name
