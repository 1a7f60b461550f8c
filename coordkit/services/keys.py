"""Ed25519 keys for parties who sign electronically.

A party makes its own key pair (``coord key new``): the private key is written
once, to a file only its owner can read (mode 0600), and never enters a store;
the workspace registers the public key (``coord key register``), one per party
at a time, rotation recorded. A key signature is over the 32 bytes of an
agreement version's SHA-256 terms hash.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from coordkit.errors import InvalidInput, Refused
from coordkit.files import read_limited
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.lookup import resolve
from coordkit.storage.sql import Conn, execute, insert, rows, scalar


def key_fingerprint(raw_public: bytes) -> str:
    return hashlib.sha256(raw_public).hexdigest()[:32]


def new_keypair(*, output: Path) -> dict[str, str]:
    """Make a key pair: the private key to ``output`` (mode 0600, never over an existing file) for the party
    to keep; returns the public key (base64 of its 32 bytes) and fingerprint to register with the workspace.
    Nothing goes into any store: the coordinator never holds a party's private key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(
            _("{path} exists; choose another file with -o (a key is never overwritten)").format(path=output)
        ) from None
    except OSError as error:
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=output, reason=error.strerror)) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        output.unlink(missing_ok=True)  # never leave half a key behind
        raise
    return {
        "public_key": base64.b64encode(raw).decode(),
        "fingerprint": key_fingerprint(raw),
        "private_key": str(output),
    }


def parse_public_key(text: str) -> bytes:
    """A public key as ``key new`` prints it (base64 of 32 bytes), or a PEM public key file's content."""
    value = text.strip()
    if value.startswith("-----BEGIN"):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            loaded = serialization.load_pem_public_key(value.encode())
        except ValueError:
            raise InvalidInput(_("not a PEM public key")) from None
        if not isinstance(loaded, Ed25519PublicKey):
            raise InvalidInput(_("not an Ed25519 public key (make one with coord key new)"))
        return loaded.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InvalidInput(
            _("'{key}' is not an Ed25519 public key: expected the 44 characters coord key new prints").format(
                key=value[:60]
            )
        )
    return raw


def register_key(conn: Conn, *, party: str, public_key: str, rotate: bool = False) -> dict[str, Any]:
    """Register a party's public key. A party has one key at a time: a second one is refused unless
    ``rotate``, which retires the old key (kept, so signatures made with it still verify)."""
    sid, party = resolve(conn, "stakeholder", party)  # its key, name or Chinese name
    raw = parse_public_key(public_key)
    fingerprint = key_fingerprint(raw)
    owner = scalar(
        conn,
        "SELECT s.key FROM party_key k JOIN stakeholder s ON s.id = k.stakeholder_id WHERE k.fingerprint = :f",
        {"f": fingerprint},
    )
    if owner is not None:
        raise Refused(_("this key is already registered to '{owner}'; a key belongs to one party").format(owner=owner))
    current = scalar(
        conn, "SELECT fingerprint FROM party_key WHERE stakeholder_id = :s AND revoked_at IS NULL", {"s": sid}
    )
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if current is not None and not rotate:
        raise Refused(
            _("'{party}' already has key {fingerprint}; to replace it, register the new one with --rotate").format(
                party=party, fingerprint=current
            )
        )
    if current is not None:
        execute(
            conn,
            "UPDATE party_key SET revoked_at = :t, replaced_by = :f WHERE stakeholder_id = :s AND revoked_at IS NULL",
            {"t": stamp, "f": fingerprint, "s": sid},
        )
    insert(
        conn,
        "party_key",
        {
            "stakeholder_id": sid,
            "public_key": base64.b64encode(raw).decode(),
            "fingerprint": fingerprint,
            "created_at": stamp,
        },
    )
    after = {"party": party, "fingerprint": fingerprint, "replaces": current}
    events.record(
        conn,
        action="key.rotate" if current else "key.register",
        entity="stakeholder",
        key=party,
        before={"party": party, "fingerprint": current} if current else None,
        after=after,
    )
    return after


def party_keys(conn: Conn, party: str | None = None) -> list[dict[str, Any]]:
    """Registered keys (current and retired), by party; ``party`` (a key, name or Chinese name) must exist."""
    if party:
        _sid, party = resolve(conn, "stakeholder", party)
    where = " WHERE s.key = :p" if party else ""
    return [
        {
            "party": r.party,
            "fingerprint": r.fingerprint,
            "public_key": r.public_key,
            "registered": r.created_at,
            "retired": r.revoked_at,
            "replaced_by": r.replaced_by,
        }
        for r in rows(
            conn,
            "SELECT s.key AS party, k.fingerprint, k.public_key, k.created_at, k.revoked_at, k.replaced_by "
            f"FROM party_key k JOIN stakeholder s ON s.id = k.stakeholder_id{where} ORDER BY s.key, k.id",
            {"p": party},
        )
    ]


def _load_private(key_file: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from coordkit.limits import KEY_BYTES

    if not key_file.exists():
        raise InvalidInput(_("--key {path}: no such file").format(path=key_file))
    pem = read_limited(key_file, limit=KEY_BYTES, what="--key")  # /dev/zero would fill memory
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise InvalidInput(_("--key {path}: not an unencrypted PEM private key").format(path=key_file)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(_("--key {path}: not an Ed25519 key (make one with coord key new)").format(path=key_file))
    return key


def sign_hash(conn: Conn, *, key_file: Path, party: str, party_id: int, terms_hash: str) -> tuple[str, str]:
    """Sign a terms hash with a party's private key; the key must be registered to that party."""
    from cryptography.hazmat.primitives import serialization

    private = _load_private(key_file)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    fingerprint = key_fingerprint(raw)
    owner = rows(
        conn, "SELECT stakeholder_id FROM party_key WHERE fingerprint = :f AND revoked_at IS NULL", {"f": fingerprint}
    )
    if not owner or owner[0][0] != party_id:
        raise Refused(
            _(
                "--key {file} is not the registered key of '{party}' (register its public key with coord key register)"
            ).format(file=key_file, party=party)
        )
    signature = private.sign(bytes.fromhex(terms_hash))
    return fingerprint, base64.b64encode(signature).decode()


def check_recorded(conn: Conn, *, party: str, party_id: int, fingerprint: str, signature: str, terms_hash: str) -> None:
    """A key signature made elsewhere (a file from ``coord export``): the key must be one ``party`` registered, now
    or before a rotation, and the signature must verify over ``terms_hash``."""
    owner = scalar(conn, "SELECT stakeholder_id FROM party_key WHERE fingerprint = :f", {"f": fingerprint})
    if owner != party_id:
        raise Refused(
            _("the electronic signature of '{party}' names key {fingerprint}, which is not one it registered").format(
                party=party, fingerprint=fingerprint
            )
        )
    problem = check_signature(public_keys(conn), fingerprint, signature, terms_hash)
    if problem is not None:
        raise Refused(
            _("the electronic signature of '{party}' does not verify over the terms ({problem})").format(
                party=party, problem=problem
            )
        )


def public_keys(conn: Conn) -> dict[str, bytes]:
    return {
        r.fingerprint: base64.b64decode(r.public_key)
        for r in rows(conn, "SELECT fingerprint, public_key FROM party_key")
    }


def check_signature(known: dict[str, bytes], fingerprint: str, signature: str | None, terms_hash: str) -> str | None:
    """None when the signature holds; otherwise what is wrong."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = known.get(fingerprint)
    if raw is None:
        return _("public key {fingerprint} is not in the store").format(fingerprint=fingerprint)
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(base64.b64decode(signature or ""), bytes.fromhex(terms_hash))
    except (InvalidSignature, ValueError):
        return _("does not match the terms hash")
    return None
