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
