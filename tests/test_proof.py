"""Proof that holds: every way an attacker with write access to the store could change what was signed or
what happened, each caught by ``coord verify`` (exit 1, naming it), by ``coord check`` and by ``render``."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from coordkit.storage.events import GENESIS, canonical, event_hash
from tests.conftest import Workspace, ok, run_coord

KEY = "AGR-2024-001"
SETUP = [
    ["stakeholder", "add", "street", "--name", "Street Office", "--kind", "government", "--rep", "Li Wei:Director"],
    [
        "stakeholder",
        "add",
        "sw",
        "--name",
        "Social Work Station",
        "--kind",
        "social-organisation",
        "--rep",
        "Chen:Head",
    ],
    ["stakeholder", "add", "mallory", "--name", "Mallory", "--kind", "other"],
    ["project", "add", "lr", "--name", "Liede Renjia"],
    [
        "agreement",
        "new",
        "--title",
        "Market",
        "--party",
        "street:甲方",
        "--party",
        "sw:乙方",
        "--effective",
        "2024-03-01",
    ],
    ["agreement", "goal", "add", KEY, "A monthly market", "--zh", "每月一次公益市集"],
]


@pytest.fixture
def signed(ws: Workspace, isolated: Path) -> Workspace:
    """One agreement signed by a seal with a scan and by an Ed25519 key registered before circulation."""
    for args in SETUP:
        ok(*args)
    ok("key", "register", "sw", ok("key", "new", "-o", "sw.pem").strip())
    ok("agreement", "circulate", KEY)
    (isolated / "scan.pdf").write_bytes(b"%PDF the signed paper")
    ok("agreement", "sign", KEY, "--party", "甲方", "--method", "seal", "--scan", "scan.pdf", "--date", "2024-02-20")
    ok("agreement", "sign", KEY, "--party", "sw", "--key", "sw.pem", "--date", "2024-02-21")
    return ws


def rows(ws: Workspace, sql: str) -> list[tuple]:
    engine = create_engine(ws.url if ws.path is None else f"sqlite:///{ws.path}")
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def rehash_from_genesis(ws: Workspace) -> None:
    """What a careful attacker does after editing an event: recompute every hash and move the head."""
    engine = create_engine(ws.url if ws.path is None else f"sqlite:///{ws.path}")
    try:
        with engine.begin() as conn:
            prev = GENESIS
            found = conn.execute(
                text("SELECT id, at, actor, action, entity, key, before, after FROM event ORDER BY id")
            )
            for row in list(found):
                fields = dict(zip(("at", "actor", "action", "entity", "key", "before", "after"), row[1:], strict=True))
                digest = event_hash(prev, fields)
                conn.execute(
                    text("UPDATE event SET prev_hash = :p, hash = :h WHERE id = :i"),
                    {"p": prev, "h": digest, "i": row[0]},
                )
                prev = digest
            conn.execute(text("UPDATE coord_meta SET value = :h WHERE key = 'event_head'"), {"h": prev})
    finally:
        engine.dispose()


def swap_public_key(ws: Workspace, isolated: Path) -> None:
    """Replace sw's public key by the attacker's and re-sign sw's signature with it (fingerprint kept)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    attacker = Ed25519PrivateKey.generate()
    raw = attacker.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    (terms_hash,) = rows(ws, "SELECT terms_hash FROM agreement_version")[0]
    forged = base64.b64encode(attacker.sign(bytes.fromhex(terms_hash))).decode()
    ws.execute("UPDATE party_key SET public_key = :k", k=base64.b64encode(raw).decode())
    ws.execute("UPDATE signature SET key_signature = :s WHERE key_signature IS NOT NULL", s=forged)


def key_of_another_party(ws: Workspace, isolated: Path) -> None:
    """Register a key to mallory and make sw's signature one made with it."""
    ok("key", "register", "mallory", ok("key", "new", "-o", "mallory.pem").strip())
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key((isolated / "mallory.pem").read_bytes(), password=None)
    (terms_hash,) = rows(ws, "SELECT terms_hash FROM agreement_version")[0]
    (fingerprint,) = rows(
        ws, "SELECT fingerprint FROM party_key k JOIN stakeholder s ON s.id = k.stakeholder_id WHERE s.key = 'mallory'"
    )[0]
    forged = base64.b64encode(private.sign(bytes.fromhex(terms_hash))).decode()  # type: ignore[union-attr]
    ws.execute(
        "UPDATE signature SET key_fingerprint = :f, key_signature = :s WHERE key_signature IS NOT NULL",
        f=fingerprint,
        s=forged,
    )


Tamper = Callable[[Workspace, Path], None]


def sql(*statements: str) -> Tamper:
    def run(ws: Workspace, _isolated: Path) -> None:
        for statement in statements:
            ws.execute(statement)

    return run


def then(*steps: Tamper) -> Tamper:
    def run(ws: Workspace, isolated: Path) -> None:
        for step in steps:
            step(ws, isolated)

    return run


# case: (tampering, rule coord check reports, words coord verify prints)
CASES: dict[str, tuple[Tamper, str, str]] = {
    "terms edited, hash cleared": (
        sql(
            "UPDATE agreement_term SET text = 'Party B pays everything' WHERE section = 'goal'",
            "UPDATE agreement_version SET terms_hash = NULL",
        ),
        "tampered-agreement",
        f"{KEY} v1 is signed but has no terms hash",
    ),
    "terms edited": (
        sql("UPDATE agreement_term SET text = 'Party B pays everything' WHERE section = 'goal'"),
        "tampered-agreement",
        "its terms no longer match what was frozen",
    ),
    "party renamed after signing": (
        sql("UPDATE agreement_party SET name = 'Somebody Else' WHERE label = '甲方'"),
        "tampered-agreement",
        "its terms no longer match what was frozen",
    ),
    "signature deleted": (
        sql("DELETE FROM signature WHERE method = 'seal'"),
        "tampered-agreement",
        "its signatures or status were changed after they were recorded",
    ),
    "signatory changed": (
        sql("UPDATE signature SET signatory = 'Mallory' WHERE method = 'seal'"),
        "tampered-agreement",
        "its signatures are not the ones its history recorded",
    ),
    "signature date changed": (
        sql("UPDATE signature SET signed_on = '2024-01-01' WHERE method = 'seal'"),
        "tampered-agreement",
        "its signatures or status were changed after they were recorded",
    ),
    "signature method changed": (
        sql("UPDATE signature SET method = 'signature' WHERE method = 'seal'"),
        "tampered-agreement",
        "its signatures or status were changed after they were recorded",
    ),
    "status changed": (
        sql("UPDATE agreement_version SET status = 'terminated', terminated_on = '2024-06-30'"),
        "tampered-agreement",
        "its status is terminated but its history says signed",
    ),
    "agreement deleted": (
        sql(
            "DELETE FROM assignment",
            "DELETE FROM signature",
            "DELETE FROM agreement_term",
            "DELETE FROM agreement_party",
            "DELETE FROM agreement_version",
            "DELETE FROM agreement",
        ),
        "broken-history",
        f"agreement {KEY} is in the history but no longer in the store: it was deleted",
    ),
    "scan path outside scans": (
        sql("UPDATE signature SET scan_name = '../../../../etc/hostname' WHERE scan_name IS NOT NULL"),
        "bad-evidence",
        "scan is stored under a name that is not its hash",
    ),
    "scan replaced": (
        lambda ws, isolated: next((isolated / "scans").iterdir()).write_bytes(b"%PDF another paper"),
        "bad-evidence",
        "scan of AGR-2024-001 v1 no longer matches its hash",
    ),
    "public key swapped": (swap_public_key, "unbound-key", "is another key"),
    "key of another party": (key_of_another_party, "unbound-key", "was made with a key of 'mallory'"),
    "electronic without a key": (
        sql(
            "UPDATE signature SET method = 'electronic', key_fingerprint = NULL, key_signature = NULL "
            "WHERE method = 'seal'"
        ),
        "unbound-key",
        "says electronic but carries no key signature",
    ),
    "event edited": (
        sql("UPDATE event SET key = 'forged' WHERE id = 3"),  # the actor: PostgreSQL's own trigger refuses that
        "broken-history",
        "event 3: its content no longer matches its hash",
    ),
    "event deleted": (sql("DELETE FROM event WHERE id = 4"), "broken-history", "does not follow the event before it"),
    "events reordered": (
        sql(
            "UPDATE event SET id = 1000 WHERE id = 2",
            "UPDATE event SET id = 2 WHERE id = 3",
            "UPDATE event SET id = 3 WHERE id = 1000",
        ),
        "broken-history",
        "does not follow the event before it",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_caught_by_verify_check_and_render(signed: Workspace, isolated: Path, case: str) -> None:
    tamper, rule, words = CASES[case]
    tamper(signed, isolated)
    verify = run_coord("verify")
    assert verify.exit_code == 1, (case, verify.stderr)
    assert words in verify.stdout + verify.stderr, (case, verify.stdout)
    check = run_coord("check", "--on", "2024-04-01", "--select", rule, "-f", "json")
    assert check.exit_code == 1, (case, check.stdout, check.stderr)
    assert any(words in f["message"] for f in json.loads(check.stdout)["findings"]), (case, check.stdout)
    if rule in ("tampered-agreement", "unbound-key", "bad-evidence") and case != "agreement deleted":
        render = run_coord("agreement", "render", KEY, "-f", "md", "-o", "paper.md")
        assert render.exit_code == 1 and "can no longer be proven" in render.stderr, (case, render.stderr)
        assert not (isolated / "paper.md").exists()


def test_an_untouched_store_verifies_everywhere(signed: Workspace, isolated: Path) -> None:
    verify = run_coord("verify", "-f", "json")
    assert verify.exit_code == 0, verify.stdout
    result = json.loads(verify.stdout)
    assert result["ok"] and result["problems"] == []
    assert result["checked"]["signatures"] == 2 and result["checked"]["keys"] == 1 and result["checked"]["files"] == 1
    check = run_coord(
        "check",
        "--on",
        "2024-04-01",
        "-f",
        "json",
        "--select",
        "tampered-agreement,broken-history,bad-evidence,unbound-key",
    )
    assert check.exit_code == 0 and json.loads(check.stdout)["findings"] == []
    assert run_coord("agreement", "render", KEY, "-f", "md", "-o", "paper.md").exit_code == 0


def test_anchors_catch_a_history_cut_short_or_rewritten(signed: Workspace, isolated: Path) -> None:
    anchor = ok("log", "--head").strip()
    seq, digest = anchor.split(":")
    assert int(seq) == rows(signed, "SELECT max(id) FROM event")[0][0] and len(digest) == 64
    (isolated / "anchors.txt").write_text(f"# noted on the signed paper\n{anchor}\n", encoding="utf-8")
    assert run_coord("verify", "--anchor", anchor).exit_code == 0
    assert run_coord("verify", "--anchor", "anchors.txt").exit_code == 0
    ok("stakeholder", "edit", "mallory", "--name", "Mallory Ltd")  # history goes on: the anchor still holds
    assert run_coord("verify", "--anchor", anchor).exit_code == 0

    # cut short: drop the newest events and move the head back; the chain itself still holds
    last = rows(signed, f"SELECT hash FROM event WHERE id = {int(seq) - 3}")[0][0]
    signed.execute(f"DELETE FROM event WHERE id > {int(seq) - 3}")
    signed.execute("UPDATE coord_meta SET value = :h WHERE key = 'event_head'", h=last)
    cut = run_coord("verify", "--anchor", anchor)
    assert cut.exit_code == 1 and f"event {seq} of the anchor is no longer in the history" in cut.stdout


def test_a_history_rewritten_from_genesis_fails_only_against_an_anchor(signed: Workspace, isolated: Path) -> None:
    anchor = ok("log", "--head").strip()
    signed.execute("UPDATE event SET at = '2000-01-01T00:00:00.000000Z'")  # (the actor: PostgreSQL refuses that)
    rehash_from_genesis(signed)
    assert run_coord("verify").exit_code == 0  # consistent inside the store: only an anchor can tell
    rewritten = run_coord("verify", "--anchor", anchor)
    assert rewritten.exit_code == 1 and "the history was rewritten" in rewritten.stdout


def test_allowed_signers_kept_outside_the_store(signed: Workspace, isolated: Path) -> None:
    (public,) = rows(signed, "SELECT public_key FROM party_key")[0]
    (isolated / "allowed").write_text(f"sw {public}\n", encoding="utf-8")
    assert run_coord("verify", "--allowed-signers", "allowed").exit_code == 0
    (isolated / "allowed").write_text("sw MCowBQYDK2VwAyEAzzzz\n", encoding="utf-8")
    other = run_coord("verify", "--allowed-signers", "allowed")
    assert other.exit_code == 1 and "is not the one the allowed signers name" in other.stdout


def test_a_store_signed_by_coordkit_0_1_verifies_after_upgrading(isolated: Path) -> None:
    old = isolated / "old" / "coord.db"
    old.parent.mkdir()
    with sqlite3.connect(old) as conn:
        conn.executescript((Path(__file__).parent / "data" / "store-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    verify = run_coord("--db", str(old), "verify", "-f", "json")
    assert verify.exit_code == 0, verify.stdout
    doc = json.loads(run_coord("--db", str(old), "agreement", "show", KEY, "-f", "json").stdout)
    assert (doc["form"], doc["status"], doc["signatures"][0]["method"]) == (1, "circulating", "wet-ink")
    # the version circulated under 0.1 and is signed now: frozen as it was, and sealed from here on
    assert (
        run_coord(
            "--db",
            str(old),
            "agreement",
            "sign",
            KEY,
            "--party",
            "liede-street",
            "--signatory",
            "Li",
            "--date",
            "2024-01-02",
        ).exit_code
        == 0
    )
    assert run_coord("--db", str(old), "verify").exit_code == 0


_EVENT_FIELDS = ("at", "actor", "action", "entity", "key", "before", "after")
_TEXT = st.one_of(st.none(), st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(prev=st.text(max_size=8), fields=st.fixed_dictionaries({name: _TEXT for name in _EVENT_FIELDS}))
def test_an_event_hash_is_the_hash_of_its_canonical_json(prev: str, fields: dict[str, str | None]) -> None:
    """The chain's hash is put together without the JSON encoder for speed; it must be the same bytes."""
    payload = canonical({"prev": prev, **fields}).encode("utf-8")
    assert event_hash(prev, fields) == hashlib.sha256(payload).hexdigest()
    assert (
        event_hash(prev, {**fields, "at": 1})
        == hashlib.sha256(canonical({"prev": prev, **fields, "at": 1}).encode("utf-8")).hexdigest()
    )  # a value that is not text goes through the encoder


_ANY = st.one_of(st.none(), st.text(max_size=12), st.integers(), st.floats(allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(st.fixed_dictionaries({name: _ANY for name in _EVENT_FIELDS}), min_size=1, max_size=4),
    broken=st.integers(min_value=-1, max_value=3),
)
def test_the_chain_check_on_tuples_is_the_chain_of_event_hash(events: list[dict[str, object]], broken: int) -> None:
    """``chain_row_problems`` builds each event's JSON itself (check and verify hash 113,001 events); it must find
    exactly where ``event_hash`` says the chain breaks, for text and for what a hand-edited store may hold."""
    from coordkit.storage.events import EVENT_COLUMNS, chain_problems, chain_row_problems

    rows, prev = [], GENESIS
    for number, fields in enumerate(events, start=1):
        digest = event_hash(prev, fields)
        if number - 1 == broken:
            digest = "0" * 64
        rows.append({"id": number, **fields, "prev_hash": prev, "hash": digest})
        prev = digest
    found = chain_row_problems([tuple(row[name] for name in EVENT_COLUMNS) for row in rows], prev)
    assert found == chain_problems(rows, prev)
    assert found == ([f"event {broken + 1}: its content no longer matches its hash"] if 0 <= broken < len(rows) else [])


def test_history_keeps_every_hash_and_reads_only_agreement_and_key_events() -> None:
    """``read_history`` checks the chain and gathers what proof needs in the same pass: every event's hash (for
    anchors), the count, and the content of agreement and key events only."""
    import json

    from coordkit.proof import read_history

    made = [
        ("agreement.create", "agreement", "AGR-1", {"key": "AGR-1", "version": 1, "status": "draft"}),
        ("duty.add", "duty", "venue", {"key": "venue"}),
        ("key.new", "stakeholder", "sw", {"fingerprint": "ab12"}),
        ("agreement.sign", "agreement", "AGR-1", {"key": "AGR-1", "version": 1, "status": "signed"}),
        ("stakeholder.add", "stakeholder", "sw", {"fingerprint": "not-a-key-event"}),
    ]
    rows, prev = [], GENESIS
    for number, (action, entity, key, after) in enumerate(made, start=1):
        fields = {"at": "2024-01-01T00:00:00Z", "actor": "t", "action": action, "entity": entity, "key": key}
        fields |= {"before": None, "after": json.dumps(after)}
        digest = event_hash(prev, fields)
        rows.append((number, fields["at"], "t", action, entity, key, None, fields["after"], prev, digest))
        prev = digest
    history = read_history(rows, prev)
    assert history.problems == [] and history.count == 5
    assert history.hashes == {row[0]: row[-1] for row in rows}
    assert history.versions == {("AGR-1", 1): (4, {"key": "AGR-1", "version": 1, "status": "signed"})}
    assert history.agreements == {"AGR-1"} and history.key_fingerprints == {"ab12"}
    assert read_history(rows[:-1], prev).problems == ["the newest events are missing (the chain head does not match)"]


@pytest.mark.parametrize("case", ["event edited", "event deleted", "terms edited", "scan replaced"])
def test_check_finds_the_same_when_a_second_process_verifies(
    signed: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """Above ``WORKER_EVENTS`` events, coord check verifies in a second process that opens the store by its
    location (the SQLite file, the PostgreSQL URL) and speaks the reader's language; nothing else changes."""
    from coordkit.background import Background

    CASES[case][0](signed, isolated)
    args = ("check", "--on", "2024-04-01", "-f", "json")
    here = run_coord(*args)
    used: list[Background[object]] = []

    class Watched(Background[object]):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            used.append(self)

    monkeypatch.setattr("coordkit.services.checking.WORKER_EVENTS", 0)
    monkeypatch.setattr("coordkit.services.checking.Background", Watched)
    there = run_coord(*args)
    assert used and all(job.elsewhere for job in used)
    assert (there.exit_code, there.stdout) == (here.exit_code, here.stdout) and here.exit_code == 1
    assert CASES[case][2] in here.stdout
    monkeypatch.setenv("COORD_LANG", "zh")
    chinese = run_coord(*args, "--select", CASES[case][1])
    monkeypatch.setattr("coordkit.services.checking.WORKER_EVENTS", 10**9)
    assert chinese.stdout == run_coord(*args, "--select", CASES[case][1]).stdout
