"""An export carries what was signed: apply of it makes agreements with the same fingerprints.

The terms hash covers each party's particulars as they stood when the terms froze
(name, address, who signs, the key frozen with them) and the version's number. A
party renamed after signing, a key rotated since, an amended agreement (version 2)
and an electronic signature all come back from ``export`` → ``apply`` with the
same hash; the paper people signed still matches the store the file makes. A
file whose signed terms, particulars or key signatures were changed is refused
and the store is left as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ok, run_coord

KEY = "AGR-2024-001"


def hashes(db: str) -> dict[str, tuple[int, str | None]]:
    listed = json.loads(ok("--db", db, "agreement", "list", "-f", "json"))
    return {a["key"]: (a["version"], a["fingerprint"]) for a in listed}


@pytest.fixture
def signed_then_changed(isolated: Path) -> Path:
    """The demo, AGR-2024-001 amended to v2 and signed (the station electronically, the street office with a scan),
    then the station renamed and its key rotated: what the register says now differs from what was signed."""
    assert run_coord("demo", "d").exit_code == 0
    os.chdir(isolated / "d")
    ok("key", "register", "liede-sw", ok("key", "new", "-o", "sw.pem").strip())
    ok("agreement", "amend", KEY)
    ok("agreement", "goal", "add", KEY, "A second market in the autumn", "--zh", "秋季加办一次市集")
    ok("agreement", "circulate", KEY)
    Path("scan.pdf").write_bytes(b"%PDF the signed paper")
    ok("agreement", "sign", KEY, "--party", "liede-street", "--date", "2024-09-02", "--scan", "scan.pdf")
    ok("agreement", "sign", KEY, "--party", "liede-sw", "--date", "2024-09-02", "--key", "sw.pem")
    for party in ("liede-party-committee", "liede-neighbourhood-committee"):
        ok("agreement", "sign", KEY, "--party", party, "--date", "2024-09-03", "--method", "seal")
    ok("stakeholder", "edit", "liede-sw", "--name", "Liede Social Work Station", "--address", "猎德路9号")
    ok("key", "register", "liede-sw", ok("key", "new", "-o", "sw2.pem").strip(), "--rotate")
    ok("export", "-o", "x.yaml")
    return isolated / "d"


def test_apply_of_an_export_makes_the_same_fingerprints(signed_then_changed: Path) -> None:
    exported = Path("x.yaml").read_text(encoding="utf-8")
    assert "as_signed:" in exported and "key_signature:" in exported and "version: 2" in exported
    fresh = signed_then_changed.parent / "fresh"
    fresh.mkdir()
    shutil.copytree("scans", fresh / "scans")  # the scans travel with the workspace, as backup takes them
    ok("init", str(fresh))
    ok("--db", str(fresh), "apply", "x.yaml")
    assert hashes(str(fresh)) == hashes(".") and hashes(".")[KEY][0] == 2
    assert ok("--db", str(fresh), "export") == exported
    assert run_coord("--db", str(fresh), "verify").exit_code == 0
    shown = json.loads(ok("--db", str(fresh), "agreement", "show", KEY, "-f", "json"))
    station = next(p for p in shown["parties"] if p["stakeholder"] == "liede-sw")
    assert (shown["version"], station["name"], station["address"]) == (
        2,
        "Liede Renjia Social Work Station (third-party social organisation)",
        "广州市天河区猎德路8号",
    )
    signature = next(s for s in shown["signatures"] if s["party"] == "liede-sw")
    assert signature["method"] == "electronic" and signature["key_signature"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("秋季加办一次市集", "秋季加办两次市集"),
            f"Error: {KEY} v2: its terms and parties as written give the fingerprint ",
        ),
        (
            ("address: 广州市天河区猎德路8号", "address: 广州市天河区猎德路18号"),
            f"Error: {KEY} v2: its terms and parties as written give the fingerprint ",
        ),
    ],
)
def test_a_file_whose_signed_terms_were_changed_is_refused(
    signed_then_changed: Path, edit: tuple[str, str], message: str
) -> None:
    text = Path("x.yaml").read_text(encoding="utf-8")
    assert text.count(edit[0]) >= 1
    Path("edited.yaml").write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    ok("init", "../fresh")
    before = ok("--db", "../fresh", "export")
    result = run_coord("--db", "../fresh", "apply", "edited.yaml")
    assert result.exit_code == 2 and result.stderr.startswith(message), result.stderr
    assert "were changed in the file" in result.stderr
    assert ok("--db", "../fresh", "export") == before  # nothing applied


def test_a_key_signature_that_does_not_verify_is_refused(signed_then_changed: Path) -> None:
    text = Path("x.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "key_signature:" in line)
    signature = line.split("key_signature:")[1].strip()
    forged = ("A" if signature[0] != "A" else "B") + signature[1:]
    Path("forged.yaml").write_text(text.replace(signature, forged), encoding="utf-8")
    ok("init", "../fresh")
    result = run_coord("--db", "../fresh", "apply", "forged.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the electronic signature of 'liede-sw' does not verify over the terms")


def test_an_electronic_signature_without_its_key_signature_is_refused(signed_then_changed: Path) -> None:
    text = Path("x.yaml").read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if "key_signature:" not in line) + "\n"
    Path("bare.yaml").write_text(kept, encoding="utf-8")
    result = run_coord("validate", "bare.yaml")
    assert result.exit_code == 2
    assert "key_signature: an electronic signature carries key and key_signature" in result.stderr
