"""Activity agreements through the command line: life, proof, refusals, and the link to duties."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Workspace, ok, run_coord

KEY = "AGR-2024-001"
SETUP = [
    ["stakeholder", "add", "street", "--name", "Liede Street Office", "--kind", "government", "--contact", "phone:1"],
    [
        "stakeholder",
        "add",
        "sw",
        "--name",
        "Liede Social Work",
        "--name-zh",
        "猎德社工",
        "--kind",
        "social-organisation",
        "--contact",
        "phone:2",
    ],
    [
        "stakeholder",
        "add",
        "committee",
        "--name",
        "Neighbourhood Committee",
        "--kind",
        "neighbourhood-committee",
        "--contact",
        "phone:3",
    ],
    ["stakeholder", "add", "outsider", "--name", "Outsider", "--kind", "other"],
    ["project", "add", "lr", "--name", "Liede Renjia", "--start", "2024-01-01", "--end", "2025-12-31"],
    ["duty", "add", "market-venue", "--title", "Provide the market venue", "--category", "markets"],
    ["duty", "add", "market-plan", "--title", "Plan the market", "--category", "markets"],
    [
        "agreement",
        "new",
        "--title",
        "Monthly public-welfare market",
        "--party",
        "street:Party A",
        "--party",
        "sw:Party B",
        "--party",
        "committee:Party C",
        "--effective",
        "2024-03-01",
        "--expires",
        "2024-12-31",
        "--review-every",
        "3m",
        "--lang",
        "en,zh",
    ],
    ["agreement", "goal", "add", KEY, "A monthly market where residents sell and teach"],
    ["agreement", "method", "add", KEY, "Residents run the stalls; the social workers organise"],
    ["agreement", "right", "add", KEY, "--party", "sw", "Use the square on market days"],
    [
        "agreement",
        "obligation",
        "add",
        KEY,
        "--party",
        "sw",
        "--text",
        "Plan each market",
        "--duty",
        "market-plan",
        "--as",
        "R",
    ],
    [
        "agreement",
        "obligation",
        "add",
        KEY,
        "--party",
        "committee",
        "--text",
        "Provide the square",
        "--duty",
        "market-venue",
        "--as",
        "A",
    ],
    [
        "agreement",
        "resource",
        "add",
        KEY,
        "--party",
        "street",
        "--kind",
        "funds",
        "--amount",
        "300000",
        "--unit",
        "CNY",
    ],
    ["agreement", "dispute", "add", KEY, "Mediation by the street office"],
    ["agreement", "communication", "add", KEY, "A joint meeting every month"],
]


def show(version: int | None = None) -> dict:
    args = ["agreement", "show", KEY, "-f", "json"] + (["--version", str(version)] if version else [])
    return json.loads(ok(*args))


def make_draft(ws: Workspace, *, fresh: bool = False) -> Workspace:
    """The draft (SETUP run once per session, its store copied after that unless ``fresh``), and the committee's
    own key pair registered before circulation, so it is frozen with the terms (the key file is the test's own)."""
    ws.replay(SETUP, fresh=fresh)
    public = ok("key", "new", "-o", "keys/committee.pem").strip()
    ok("key", "register", "committee", public)
    return ws


@pytest.fixture
def drafted(ws: Workspace) -> Workspace:
    return make_draft(ws)


def sign_all(isolated: Path, *, date: str = "2024-02-20") -> None:
    (isolated / "signed.pdf").write_bytes(b"%PDF scan of the signed paper")
    ok(
        "agreement",
        "sign",
        KEY,
        "--party",
        "street",
        "--signatory",
        "Li Wei",
        "--title",
        "Director",
        "--method",
        "seal",
        "--scan",
        "signed.pdf",
        "--date",
        date,
    )
    ok("agreement", "sign", KEY, "--party", "sw", "--signatory", "Chen Jing", "--date", date)
    ok(
        "agreement",
        "sign",
        KEY,
        "--party",
        "committee",
        "--signatory",
        "Wang Fang",
        "--method",
        "electronic",
        "--key",
        "keys/committee.pem",
        "--date",
        date,
    )


def test_life_from_draft_to_supersession(ws: Workspace, isolated: Path) -> None:
    make_draft(ws, fresh=True)  # the commands themselves, every time: this test checks what they made
    draft = show()
    assert (draft["status"], draft["terms_hash"], draft["unsigned"]) == ("draft", None, ["street", "sw", "committee"])
    assert draft["obligations"] == [
        {
            "party": "sw",
            "text": "Plan each market",
            "text_zh": None,
            "duty": "market-plan",
            "as": "R",
            "due": None,
            "every": None,
            "target": None,
        },
        {
            "party": "committee",
            "text": "Provide the square",
            "text_zh": None,
            "duty": "market-venue",
            "as": "A",
            "due": None,
            "every": None,
            "target": None,
        },
    ]
    assert draft["resources"] == [
        {
            "party": "street",
            "kind": "funds",
            "description": None,
            "description_zh": None,
            "amount": "300000",
            "unit": "CNY",
            "resource": None,
            "when": None,
        }
    ]
    ok("agreement", "circulate", KEY)
    circulating = show()
    assert circulating["status"] == "circulating" and len(circulating["terms_hash"]) == 64
    sign_all(isolated)
    v1 = show()
    assert v1["status"] == "signed" and v1["unsigned"] == []
    assert len(v1["terms_hash"]) == 64 and v1["fingerprint"] == v1["terms_hash"][:12]
    assert {s["terms_hash"] for s in v1["signatures"]} == {v1["terms_hash"]}
    assert [s["method"] for s in v1["signatures"]] == ["seal", "signature+seal", "electronic"]
    assert v1["terms_hash"] == circulating["terms_hash"]  # the paper that circulated is the paper signed
    scan = v1["signatures"][0]["scan_sha256"]
    assert (isolated / "scans" / f"{scan}.pdf").read_bytes() == b"%PDF scan of the signed paper"
    assert stat.S_IMODE(os.stat(isolated / "keys" / "committee.pem").st_mode) == 0o600
    assert run_coord("agreement", "verify", KEY).exit_code == 0

    listed = json.loads(ok("agreement", "list", "-f", "json"))
    assert [(a["key"], a["status"], a["signatures"], a["parties"]) for a in listed] == [(KEY, "signed", 3, 3)]

    ok("agreement", "amend", KEY)
    assert show()["version"] == 1  # the version in force stays what show gives
    listed = json.loads(ok("agreement", "list", "--status", "signed", "-f", "json"))
    assert [(a["version"], a["pending"]) for a in listed] == [(1, {"version": 2, "status": "draft"})]
    ok("agreement", "obligation", "remove", KEY, "2")
    ok(
        "agreement",
        "obligation",
        "add",
        KEY,
        "--party",
        "committee",
        "--text",
        "Provide the square and a storeroom",
        "--duty",
        "market-venue",
        "--as",
        "A",
    )
    ok("agreement", "edit", KEY, "--effective", "2024-07-01", "--expires", "2025-06-30")
    v2 = show(2)
    assert (v2["version"], v2["status"], v2["terms_hash"]) == (2, "draft", None)
    assert show(1)["status"] == "signed" and show(1)["terms_hash"] == v1["terms_hash"]
    changes = json.loads(ok("agreement", "diff", KEY, "-f", "json"))
    assert [(c["section"], c["change"], c["from"], c["to"]) for c in changes] == [
        ("effective", "changed", "2024-03-01", "2024-07-01"),
        ("expires", "changed", "2024-12-31", "2025-06-30"),
        (
            "obligations",
            "changed",
            "committee: Provide the square [A market-venue]",
            "committee: Provide the square and a storeroom [A market-venue]",
        ),
    ]
    ok("agreement", "circulate", KEY)
    for party, name in (("street", "Li Wei"), ("sw", "Chen Jing"), ("committee", "Wang Fang")):
        ok("agreement", "sign", KEY, "--party", party, "--signatory", name, "--date", "2024-06-20")
    assert show()["status"] == "signed"
    old = show(1)
    assert old["status"] == "superseded" and old["terms_hash"] == v1["terms_hash"]
    assert old["obligations"][1]["text"] == "Provide the square"
    verified = json.loads(run_coord("agreement", "verify", "--all", "-f", "json").stdout)
    assert [(r["version"], r["ok"]) for r in verified] == [(1, True), (2, True)]
    # the matrix follows what was signed: v1 until the day before v2 takes effect, then v2
    assert _cells("2024-06-30") == {("market-plan", "sw"): "R#", ("market-venue", "committee"): "A#"}
    assert _cells("2024-07-01") == {("market-plan", "sw"): "R#", ("market-venue", "committee"): "A#"}
    duty = json.loads(ok("duty", "show", "market-venue", "-f", "json"))
    assert [(a["agreement"], a["from"], a["to"]) for a in duty["assignments"]] == [
        (f"{KEY} v1", "2024-03-01", "2024-06-30"),
        (f"{KEY} v2", "2024-07-01", "2025-06-30"),
    ]
    log = [e["action"] for e in json.loads(ok("log", KEY, "-f", "json"))]
    assert log.count("agreement.sign") == 6 and log[-1] == "agreement.new" and "agreement.supersede" in log


def _cells(on: str) -> dict[tuple[str, str], str]:
    data = json.loads(ok("matrix", "--on", on, "-f", "json"))
    return {(r["duty"], p): t for r in data["rows"] for p, t in r["cells"].items()}


def test_ending_an_agreement_takes_its_duties_off_the_matrix(drafted: Workspace, isolated: Path) -> None:
    assert _cells("2024-04-01") == {}
    ok("agreement", "circulate", KEY)
    sign_all(isolated)
    assert _cells("2024-04-01") == {("market-plan", "sw"): "R#", ("market-venue", "committee"): "A#"}
    assert _cells("2025-01-01") == {}  # after it expires
    ok("agreement", "terminate", KEY, "--reason", "the square is being rebuilt", "--date", "2024-08-31")
    assert _cells("2024-08-31") == {("market-plan", "sw"): "R#", ("market-venue", "committee"): "A#"}
    assert _cells("2024-09-01") == {}
    doc = show()
    assert (doc["status"], doc["terminated_on"]) == ("terminated", "2024-08-31")


def test_tampering_with_terms_is_caught_by_verify_and_check(drafted: Workspace, isolated: Path) -> None:
    ok("agreement", "circulate", KEY)
    sign_all(isolated)
    fingerprint = show()["fingerprint"]
    drafted.execute("UPDATE agreement_resource SET amount = '30000'")
    verify = run_coord("agreement", "verify", KEY)
    assert verify.exit_code == 1
    changed = show()
    from coordkit.canonical import compute_hash

    now = compute_hash(changed)[:12]
    message = f"{KEY} v1: its terms no longer match what was frozen (hash now {now}, frozen as {fingerprint})"
    assert f"{message}\n" in verify.stderr
    check = run_coord("check", "--on", "2024-04-01", "--select", "tampered-agreement", "-f", "json")
    assert check.exit_code == 1
    assert json.loads(check.stdout)["findings"] == [
        {
            "rule": "tampered-agreement",
            "severity": "error",
            "project": "lr",
            "subject": f"{KEY} v1",
            "message": message,
            "hint": "see coord verify; restore the store from a backup (coord restore) made before the change",
        }
    ]


def test_an_edited_scan_is_caught(drafted: Workspace, isolated: Path) -> None:
    ok("agreement", "circulate", KEY)
    sign_all(isolated)
    stored = next((isolated / "scans").iterdir())
    stored.write_bytes(b"%PDF something else")
    verify = run_coord("agreement", "verify", "--all")
    assert verify.exit_code == 1
    assert f"street's scan of {KEY} v1 no longer matches its hash\n" in verify.stderr


def test_a_forged_key_signature_is_caught(drafted: Workspace, isolated: Path) -> None:
    ok("agreement", "circulate", KEY)
    sign_all(isolated)
    drafted.execute("UPDATE signature SET key_signature = :s WHERE key_signature IS NOT NULL", s="AAAA" * 22)
    verify = run_coord("agreement", "verify", KEY)
    assert verify.exit_code == 1
    assert f"committee's key signature on {KEY} v1: does not match the terms hash\n" in verify.stderr


REFUSALS = {
    "party not in the agreement": (
        ["agreement", "sign", KEY, "--party", "outsider", "--signatory", "X"],
        f"no party 'outsider' in agreement '{KEY}'",
    ),
    "signing twice": (
        ["agreement", "sign", KEY, "--party", "street", "--signatory", "Li Wei"],
        f"'street' has already signed {KEY} v1",
    ),
    "editing a signed version": (["agreement", "goal", "add", KEY, "Another goal"], None),
    "editing a field of a signed version": (["agreement", "edit", KEY, "--title", "New title"], None),
    "electronic without a key": (
        ["agreement", "sign", KEY, "--party", "sw", "--method", "electronic"],
        "an electronic signature is made with the party's key: pass --key FILE",
    ),
    "unknown duty": (
        ["agreement", "obligation", "add", KEY, "--party", "sw", "--text", "x", "--duty", "market-pln"],
        None,
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_leave_the_store_unchanged(drafted: Workspace, isolated: Path, case: str) -> None:
    ok("agreement", "circulate", KEY)
    ok("agreement", "sign", KEY, "--party", "street", "--signatory", "Li Wei", "--date", "2024-02-20")
    args, message = REFUSALS[case]
    fingerprint = show()["fingerprint"]
    if message is None:
        message = (
            f"the terms of {KEY} v1 are frozen since it circulated (fingerprint {fingerprint}); "
            f"amend it instead: coord agreement amend {KEY}"
        )
    before = drafted.snapshot()
    result = run_coord(*args)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    assert drafted.snapshot() == before


DRAFT_REFUSALS = {
    "amending a draft": (
        ["agreement", "amend", KEY],
        f"{KEY} v1 is still a draft; change it directly instead of amending",
    ),
    "unknown duty": (
        ["agreement", "obligation", "add", KEY, "--party", "sw", "--text", "x", "--duty", "market-pln"],
        "no duty 'market-pln' in project 'lr'; did you mean 'market-plan'?",
    ),
    "expires before effective": (
        [
            "agreement",
            "new",
            "--title",
            "T",
            "--party",
            "street",
            "--party",
            "sw",
            "--effective",
            "2024-05-01",
            "--expires",
            "2024-04-30",
        ],
        "agreement term: ends 2024-04-30 before it starts 2024-05-01",
    ),
    "missing --from file": (["agreement", "new", "--from", "nowhere.yaml"], "nowhere.yaml: no such file"),
    "signing a draft": (
        ["agreement", "sign", KEY, "--party", "sw", "--signatory", "X"],
        f"{KEY} v1 is still a draft; circulate it first: coord agreement circulate {KEY}",
    ),
    "missing fields without a terminal": (
        ["agreement", "new", "--party", "street"],
        "missing --title, --effective, --party (at least two) (no terminal to ask on)",
    ),
    "right without a party": (
        ["agreement", "right", "add", KEY, "Speak first"],
        None,
    ),
    "remove a clause that is not there": (
        ["agreement", "goal", "remove", KEY, "5"],
        f"{KEY} has no goal number 5 (it has 1)",
    ),
}


@pytest.mark.parametrize("case", list(DRAFT_REFUSALS))
def test_draft_refusals(drafted: Workspace, case: str) -> None:
    args, message = DRAFT_REFUSALS[case]
    before = drafted.snapshot()
    result = run_coord(*args)
    if message is None:  # a usage error: click says which option is missing
        assert result.exit_code == 2 and "Missing option '--party'" in result.stderr
    else:
        assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    assert drafted.snapshot() == before


def test_terminating_twice(drafted: Workspace, isolated: Path) -> None:
    ok("agreement", "circulate", KEY)
    sign_all(isolated)
    ok("agreement", "terminate", KEY, "--reason", "done", "--date", "2024-09-30")
    before = drafted.snapshot()
    again = run_coord("agreement", "terminate", KEY, "--reason", "again")
    assert (again.exit_code, again.stderr) == (2, f"Error: {KEY} was already terminated on 2024-09-30\n")
    assert drafted.snapshot() == before


def test_new_from_yaml_and_its_errors(drafted: Workspace, isolated: Path) -> None:
    (isolated / "agr.yaml").write_text(
        "key: AGR-2024-007\ntitle: Public-welfare courses\ntitle_zh: 公益课程\neffective: 2024-04-01\n"
        "parties:\n  - stakeholder: sw\n    label: Party A\n  - stakeholder: committee\n    label: Party B\n"
        "goals: [Weekly courses by residents]\n"
        "obligations:\n  - party: sw\n    text: Find teachers\n    duty: market-plan\n    as: C\n"
        "resources:\n  - {party: committee, kind: venue, amount: 40, unit: hours}\n",
        encoding="utf-8",
    )
    ok("agreement", "new", "--from", "agr.yaml")
    doc = json.loads(ok("agreement", "show", "AGR-2024-007", "-f", "json"))
    assert (doc["title_zh"], doc["goals"], doc["resources"][0]["amount"]) == (
        "公益课程",
        [{"text": "Weekly courses by residents", "text_zh": None}],
        "40",
    )
    assert doc["obligations"] == [
        {
            "party": "sw",
            "text": "Find teachers",
            "text_zh": None,
            "duty": "market-plan",
            "as": "C",
            "due": None,
            "every": None,
            "target": None,
        }
    ]
    (isolated / "bad.yaml").write_text("title: T\nparties: []\nobligatons: []\n", encoding="utf-8")
    before = drafted.snapshot()
    bad = run_coord("agreement", "new", "--from", "bad.yaml")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "Error: bad.yaml:3:1: obligatons: unknown field; did you mean 'obligations'?\n",
    )
    assert drafted.snapshot() == before


def test_generated_keys_count_per_year(drafted: Workspace) -> None:
    ok("agreement", "new", "--title", "Second", "--party", "street", "--party", "sw", "--effective", "2024-05-01")
    ok("agreement", "new", "--title", "Next year", "--party", "street", "--party", "sw", "--effective", "2025-01-01")
    assert [a["key"] for a in json.loads(ok("agreement", "list", "-f", "json"))] == [
        KEY,
        "AGR-2024-002",
        "AGR-2025-001",
    ]


EDITOR = """
import pathlib, sys
path = pathlib.Path(sys.argv[1])
count = pathlib.Path(sys.argv[0]).with_suffix(".count")
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
text = path.read_text(encoding="utf-8")
if n == 0:
    text = text.replace("title: Monthly public-welfare market", "title: Monthly market\\nsubtitle: oops")
else:
    assert text.startswith("# Error: "), text
    text = text.replace("subtitle: oops\\n", "")
path.write_text(text, encoding="utf-8")
"""


def test_edit_in_editor_reopens_with_the_error_on_top(
    drafted: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coordkit.cli import editing

    script = isolated / "editor.py"
    script.write_text(EDITOR)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setattr(editing, "at_terminal", lambda: True)  # a person who fixes what the error says
    result = run_coord("agreement", "edit", KEY)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Changed {KEY}.\n"  # the error was shown in the file, not left above the result
    assert (isolated / "editor.count").read_text() == "2"
    doc = show()
    assert (
        doc["title"] == "Monthly market" and len(doc["obligations"]) == 2 and doc["resources"][0]["amount"] == "300000"
    )


NOTES_EDITOR = """
import pathlib, shutil, sys
path = pathlib.Path(sys.argv[1])
shutil.copyfile(path, pathlib.Path(sys.argv[0]).with_name("form.yaml"))
text = path.read_text(encoding="utf-8")
if "notes:" not in text:
    text = text.replace("title: Monthly public-welfare market\\n", "title: Monthly public-welfare market\\nnotes: |-\\n  Ask the residents first.\\n  Then the street office.\\n")
    path.write_text(text, encoding="utf-8")
"""


def test_the_edit_form_shows_notes_of_several_lines_as_a_block(
    drafted: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form a drafter edits shows a text of several lines as it reads (``|``), not as one quoted line."""
    script = isolated / "editor.py"
    script.write_text(NOTES_EDITOR)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    assert run_coord("agreement", "edit", KEY).stderr == f"Changed {KEY}.\n"
    assert show()["notes"] == "Ask the residents first.\nThen the street office."
    assert run_coord("agreement", "edit", KEY).stderr == "No change.\n"  # the form read back is the same
    form = (isolated / "form.yaml").read_text(encoding="utf-8")
    assert "\nnotes: |-\n  Ask the residents first.\n  Then the street office.\n" in form


def test_readme_recomputes_the_hash_without_coord(drafted: Workspace, isolated: Path) -> None:
    ok("agreement", "circulate", KEY)
    sign_all(isolated)
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("<!-- recompute-hash -->")[1].split("```python\n")[1].split("```")[0]
    (isolated / "agreement.json").write_text(ok("agreement", "show", KEY, "-f", "json"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", snippet, "agreement.json"], capture_output=True, text=True, check=True, cwd=isolated
    )
    doc = show()
    assert out.stdout.split() == [doc["terms_hash"], doc["envelope_hash"]]
