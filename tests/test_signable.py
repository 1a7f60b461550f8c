"""Agreements a street office will stamp: circulation freezes terms and particulars, kinds start from standard
clauses in both languages, signing works as practised, parties keep their own keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Workspace, ok, run_coord

KEY = "AGR-2024-001"
SETUP = [
    [
        "stakeholder",
        "add",
        "street",
        "--name-zh",
        "猎德街道办事处",
        "--kind",
        "government",
        "--address",
        "广州市天河区猎德路1号",
        "--legal-rep",
        "李明",
        "--reg-no",
        "11440106526018159D",
        "--rep",
        "李明：副主任",
    ],
    [
        "stakeholder",
        "add",
        "sw",
        "--name",
        "Social Work Station",
        "--name-zh",
        "猎德社工站",
        "--kind",
        "social-organisation",
        "--rep",
        "陈静:项目主任",
    ],
    ["project", "add", "lr", "--name", "Liede Renjia"],
    ["duty", "add", "report", "--title", "Quarterly report"],
    [
        "agreement",
        "new",
        "--kind",
        "service",
        "--title",
        "Social work services",
        "--title-zh",
        "社工服务协议",
        "--party",
        "street:甲方，sw:乙方",
        "--effective",
        "2024-03-01",
        "--expires",
        "2024-12-31",
    ],
    ["agreement", "goal", "add", KEY, "Serve the residents", "--zh", "服务居民"],
]


def show(version: int | None = None) -> dict:
    return json.loads(ok("agreement", "show", KEY, "-f", "json", *(["--version", str(version)] if version else [])))


@pytest.fixture
def drafted(ws: Workspace) -> Workspace:
    for args in SETUP:
        ok(*args)
    return ws


def test_a_kind_starts_from_its_standard_clauses_in_both_languages(drafted: Workspace) -> None:
    doc = show()
    assert (doc["kind"], doc["kind_name_zh"]) == ("service", "服务协议")
    assert [c["section"] for c in doc["clauses"]] == [
        "effectiveness",
        "amendment",
        "termination",
        "breach",
        "confidentiality",
        "counterparts",
    ]
    counterparts = doc["clauses"][-1]
    assert counterparts["text_zh"] == "本协议一式两份，各方各执一份，具有同等法律效力。"
    assert counterparts["text"] == "This agreement is made in 2 counterparts, one for each party, all equally valid."
    assert doc["dispute_resolution"][0]["text_zh"].startswith("因本协议引起的争议，由各方协商解决")
    assert [(p["stakeholder"], p["label"]) for p in doc["parties"]] == [("street", "甲方"), ("sw", "乙方")]
    assert doc["parties"][0]["name"] == "猎德街道办事处"  # a Chinese-only organisation needs no English name
    assert doc["parties"][0]["signer"] == {"name": "李明", "title": "副主任"}  # typed with a full-width colon


def test_a_workspace_adds_its_own_kind(drafted: Workspace, isolated: Path) -> None:
    (isolated / "templates").mkdir()
    (isolated / "templates" / "kinds.yaml").write_text(
        "kinds:\n  training:\n    name: Training agreement\n    name_zh: 培训协议\n    clauses:\n"
        "      - {section: counterparts, text: 'Made in {copies} copies.', text_zh: '本协议一式{copies}份。'}\n",
        encoding="utf-8",
    )
    ok(
        "agreement",
        "new",
        "AGR-T",
        "--kind",
        "training",
        "--title",
        "T",
        "--party",
        "street",
        "--party",
        "sw",
        "--effective",
        "2024-03-01",
    )
    doc = json.loads(ok("agreement", "show", "AGR-T", "-f", "json"))
    assert [(c["text"], c["text_zh"]) for c in doc["clauses"]] == [("Made in 2 copies.", "本协议一式两份。")]


def test_circulation_freezes_terms_and_particulars(drafted: Workspace) -> None:
    ok("agreement", "circulate", KEY)
    doc = show()
    assert doc["status"] == "circulating" and doc["form"] == 2 and doc["fingerprint"] == doc["terms_hash"][:12]
    before = drafted.snapshot()
    for args, words in (
        (["agreement", "goal", "add", KEY, "Another goal"], "frozen since it circulated"),
        (["agreement", "edit", KEY, "--title", "New"], "frozen since it circulated"),
        (["agreement", "translate", KEY, "title", "新标题"], "frozen since it circulated"),
    ):
        result = run_coord(*args)
        assert result.exit_code == 2 and words in result.stderr and "amend it instead" in result.stderr
    assert drafted.snapshot() == before
    ok("stakeholder", "edit", "street", "--name", "Renamed Office", "--address", "别处")
    frozen = show()["parties"][0]
    assert (frozen["name"], frozen["address"], frozen["registration_number"]) == (
        "猎德街道办事处",
        "广州市天河区猎德路1号",
        "11440106526018159D",
    )
    assert run_coord("verify").exit_code == 0


def test_signing_as_practised(drafted: Workspace, isolated: Path) -> None:
    ok("key", "register", "sw", ok("key", "new", "-o", "sw.pem").strip())
    ok("agreement", "circulate", KEY)
    ok("agreement", "sign", KEY, "--party", "甲方", "--date", "2024-02-20")
    ok("agreement", "sign", KEY, "--party", "Party B", "--key", "sw.pem", "--date", "2024-02-21")
    doc = show()
    assert [(s["party"], s["signatory"], s["title"], s["method"]) for s in doc["signatures"]] == [
        ("street", "李明", "副主任", "signature+seal"),
        ("sw", "陈静", "项目主任", "electronic"),
    ]
    assert doc["status"] == "signed" and doc["parties"][1]["key_fingerprint"] == doc["signatures"][1]["key_fingerprint"]


def test_a_key_per_party_and_rotation_recorded(drafted: Workspace) -> None:
    first = ok("key", "new", "-o", "one.pem").strip()
    second = ok("key", "new", "-o", "two.pem").strip()
    ok("key", "register", "sw", first)
    before = drafted.snapshot()
    again = run_coord("key", "register", "sw", second)
    assert again.exit_code == 2 and "already has key" in again.stderr and "--rotate" in again.stderr
    assert drafted.snapshot() == before
    assert run_coord("key", "register", "street", first).exit_code == 2  # a key belongs to one party
    ok("key", "register", "sw", second, "--rotate")
    keys = json.loads(ok("key", "list", "-f", "json"))
    assert [(k["party"], k["retired"] is not None) for k in keys] == [("sw", True), ("sw", False)]
    assert "key.rotate" in [e["action"] for e in json.loads(ok("log", "sw", "-f", "json"))]
    assert run_coord("key", "new", "-o", "one.pem").exit_code == 2  # a private key is never overwritten


def test_amending_a_circulating_version_replaces_its_paper(drafted: Workspace) -> None:
    ok("agreement", "circulate", KEY)
    ok("agreement", "amend", KEY)
    assert show(1)["status"] == "superseded" and show(2)["status"] == "draft"
    refused = run_coord("agreement", "sign", KEY, "--party", "甲方")
    assert refused.exit_code == 2 and "still a draft" in refused.stderr
    assert run_coord("verify").exit_code == 0


def test_translating_a_term_and_obligations_that_recur(drafted: Workspace) -> None:
    ok(
        "agreement",
        "obligation",
        "add",
        KEY,
        "Quarterly report",
        "--party",
        "sw",
        "--duty",
        "report",
        "--every",
        "每季度",
        "--target",
        "4 reports",
    )
    ok("agreement", "translate", KEY, "obligations[0]", "每季度提交书面报告")  # as render and check name it
    ok(
        "agreement",
        "resource",
        "add",
        KEY,
        "--party",
        "street",
        "--kind",
        "venue",
        "--description",
        "The square",
        "--zh",
        "猎德广场",
        "--when",
        "每月第一个周六 09:00-12:00",
    )
    ok("agreement", "resource", "add", KEY, "--party", "street", "--kind", "funds", "--amount", "30万", "--unit", "CNY")
    doc = show()
    assert doc["obligations"][0]["every"] == "3m" and doc["obligations"][0]["text_zh"] == "每季度提交书面报告"
    assert doc["obligations"][0]["target"] == {"amount": "4", "unit": "reports", "each_min": None, "each_unit": None}
    assert [(r["kind"], r["amount"], r["unit"], r["when"]) for r in doc["resources"]] == [
        ("venue", None, None, "monthly first sat 09:00-12:00"),
        ("funds", "300000", "CNY", None),
    ]
    bad = run_coord("agreement", "translate", KEY, "goals[9]", "x")
    assert bad.exit_code == 2 and bad.stderr.startswith(f"Error: {KEY} has no goals[9]: it has ")


def test_a_mistyped_credit_code_is_refused(ws: Workspace) -> None:
    result = run_coord("stakeholder", "add", "x", "--name", "X", "--kind", "other", "--reg-no", "11440106526018159A")
    assert result.exit_code == 2
    assert "is not a valid unified social credit code: its last character should be D" in result.stderr
