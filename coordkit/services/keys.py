"""Ed25519 keys for parties who sign electronically.

The private key is written once, to a file only its owner can read (mode
0600), for the party to keep; the store keeps the public key. A key signature
is over the 32 bytes of an agreement version's SHA-256 terms hash.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from coordkit.errors import InvalidInput, Refused
from coordkit.storage import events
from coordkit.storage.lookup import lookup_id
from coordkit.storage.sql import Conn, insert, rows


def key_fingerprint(raw_public: bytes) -> str:
    return hashlib.sha256(raw_public).hexdigest()[:32]


def new_key(conn: Conn, *, party: str, output: Path) -> dict[str, Any]:
    """Make a key pair for ``party``: the private key to ``output`` (0600), the public key to the store."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    sid = lookup_id(conn, "stakeholder", party, "stakeholder")
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fingerprint = key_fingerprint(raw)
    insert(
        conn,
        "party_key",
        {
            "stakeholder_id": sid,
            "public_key": base64.b64encode(raw).decode(),
            "fingerprint": fingerprint,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(f"{output} exists; choose another file with -o (a key is never overwritten)") from None
    except OSError as error:
        raise InvalidInput(f"cannot write {output}: {error.strerror}") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    result = {"party": party, "fingerprint": fingerprint, "private_key": str(output)}
    events.record(
        conn, action="key.new", entity="stakeholder", key=party, after={"party": party, "fingerprint": fingerprint}
    )
    return result


def _load_private(key_file: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from coordkit.files import read_limited
    from coordkit.limits import KEY_BYTES

    if not key_file.exists():
        raise InvalidInput(f"--key {key_file}: no such file")
    pem = read_limited(key_file, limit=KEY_BYTES, what="--key")  # /dev/zero would fill memory
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise InvalidInput(f"--key {key_file}: not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(f"--key {key_file}: not an Ed25519 key (make one with coord key new)")
    return key


def sign_hash(conn: Conn, *, key_file: Path, party: str, party_id: int, terms_hash: str) -> tuple[str, str]:
    """Sign a terms hash with a party's private key; the key must be registered to that party."""
    from cryptography.hazmat.primitives import serialization

    private = _load_private(key_file)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    fingerprint = key_fingerprint(raw)
    owner = rows(conn, "SELECT stakeholder_id FROM party_key WHERE fingerprint = :f", {"f": fingerprint})
    if not owner or owner[0][0] != party_id:
        raise Refused(f"--key {key_file} is not a key of '{party}' (register one with coord key new --party {party})")
    signature = private.sign(bytes.fromhex(terms_hash))
    return fingerprint, base64.b64encode(signature).decode()


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
        return f"public key {fingerprint} is not in the store"
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(base64.b64decode(signature or ""), bytes.fromhex(terms_hash))
    except (InvalidSignature, ValueError):
        return "does not match the terms hash"
    return None
