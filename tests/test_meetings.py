"""Joint meetings: minutes, sign-off and its hash, action items (in the matrix while they run), follow-up,
contacts between meetings, the checks they feed, what falls due, and the minutes as a chair reads them."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Workspace, ok, run_coord

BASE: dict[str, Any] = {
    "version": 1,
    "stakeholders": [
        {"key": "street", "name": "Street Office", "name_zh": "街道办", "kind": "government"},
        {"key": "sw", "name": "Social Work Station", "name_zh": "社工站", "kind": "social-organisation"},
        {"key": "committee", "name": "Neighbourhood Committee", "name_zh": "居委会", "kind": "neighbourhood-committee"},
        {"key": "property", "name": "Property Company", "name_zh": "物业公司", "kind": "property-management"},
        {"key": "merchants", "name": "Merchants", "name_zh": "商户", "kind": "enterprise"},
    ],
    "projects": [
        {
            "key": "lr",
            "name": "Liede Renjia",
            "name_zh": "猎德人家",
            "start": "2024-01-01",
            "end": "2024-12-31",
            "lead": "street",
        }
    ],
    "duties": [
        {
            "project": "lr",
            "key": "venue",
            "title": "Provide the square",
            "assignments": [{"as": "A", "stakeholder": "committee"}, {"as": "R", "stakeholder": "property"}],
        },
        {
            "project": "lr",
            "key": "platform",
            "title": "Information platform",
            "assignments": [{"as": "R", "stakeholder": "sw"}],
        },
    ],
}
MARCH = [
    "meeting",
    "add",
    "--project",
    "lr",
    "--date",
    "2024-03-04",
    "--place",
    "Community centre",
    "--chair",
    "committee/黄丽",
    "--attendee",
    "committee:黄丽",
    "--attendee",
    "sw:陈静",
    "--attendee",
    "property",
    "--absent",
    "merchants",
    "--agenda",
    "The square",
    "--decision",
    "Market on the second Saturday",
    "--decision",
    "A shared group chat",
    "--action",
    "Set up the group chat",
    "--owner",
    "committee",
    "--due",
    "2024-04-30",
    "--duty",
    "platform",
    "--as",
    "C",
    "--action",
    "Write the square schedule",
    "--owner",
    "property",
    "--due",
    "2024-03-31",
    "--duty",
    "-",
]


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def based(ws: Workspace, isolated: Path) -> Workspace:
    result = run_coord("apply", str(write(isolated / "base.yaml", BASE)))
    assert result.exit_code == 0, result.stderr
    return ws


@pytest.fixture
def march(based: Workspace) -> Workspace:
    result = run_coord(*MARCH)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Recorded the joint meeting '2024-03-04' of lr: 2 action(s); 0 open action(s) of earlier meetings.\n"
    )
    return based


def test_minutes_as_recorded(march: Workspace) -> None:
    shown = json.loads(ok("meeting", "show", "2024-03-04", "--project", "lr", "-f", "json"))
    assert shown == {
        "project": "lr",
        "key": "2024-03-04",
        "date": "2024-03-04",
        "place": "Community centre",
        "title": None,
        "chair": {"party": "committee", "person": "黄丽"},
        "attendees": [
            {"party": "committee", "person": "黄丽"},
            {"party": "sw", "person": "陈静"},
            {"party": "property", "person": None},
        ],
        "absent": ["merchants"],
        "agenda": ["The square"],
        "decisions": ["Market on the second Saturday", "A shared group chat"],
        "actions": [
            {
                "number": 1,
                "text": "Set up the group chat",
                "owner": "committee",
                "due": "2024-04-30",
                "duty": "platform",
                "as": "C",
                "done": None,
                "note": None,
            },
            {
                "number": 2,
                "text": "Write the square schedule",
                "owner": "property",
                "due": "2024-03-31",
                "duty": None,
                "as": None,
                "done": None,
                "note": None,
            },
        ],
        "signed_off": None,
        "fingerprint": None,
        "earlier_open": [],
    }
    listed = json.loads(ok("meeting", "list", "--project", "lr", "-f", "json"))
    assert [
        (m["key"], m["attendees"], m["absent"], m["actions"], m["open_actions"], m["signed_off"]) for m in listed
    ] == [("2024-03-04", 3, 1, 2, 2, None)]
    again = run_coord(*MARCH[: MARCH.index("--action")])  # a second meeting the same day gets the next key
    assert again.exit_code == 0 and "'2024-03-04-2'" in again.stderr


def test_an_action_with_a_duty_is_in_the_matrix_for_its_window_only(march: Workspace) -> None:
    def cell(on: str) -> str:
        rows = json.loads(ok("matrix", "--project", "lr", "--on", on, "-f", "json"))["rows"]
        return next(r for r in rows if r["duty"] == "platform")["cells"].get("committee", "")

    assert (cell("2024-03-03"), cell("2024-03-04"), cell("2024-04-30"), cell("2024-05-01")) == ("", "C+", "C+", "")
    legend = json.loads(ok("matrix", "--project", "lr", "--on", "2024-04-01", "-f", "json"))["legend"]
    assert legend["+"] == "from a joint meeting's decision (until the action's due date)"
    duty = json.loads(ok("duty", "show", "platform", "--project", "lr", "-f", "json"))
    assert {
        "letter": "C",
        "stakeholder": "committee",
        "role": None,
        "from": "2024-03-04",
        "to": "2024-04-30",
        "source": "meeting",
    } in duty["assignments"]
    assert ok("export").count("committee") == ok("export").count("committee")  # exported as the meeting, not twice
    exported = yaml.safe_load(ok("export"))
    platform = next(d for d in exported["duties"] if d["key"] == "platform")
    assert platform["assignments"] == [{"as": "R", "stakeholder": "sw"}]


def test_an_action_may_not_double_a_letter_held(based: Workspace) -> None:
    before = based.snapshot()
    argv = [
        *MARCH[: MARCH.index("--action")],
        "--action",
        "Run it",
        "--owner",
        "sw",
        "--due",
        "2024-04-01",
        "--duty",
        "platform",
        "--as",
        "R",
    ]
    result = run_coord(*argv)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: action 1: 'sw' is already R for duty 'platform' in that period\n",
    )
    assert based.snapshot() == before


def test_sign_off_freezes_the_minutes(march: Workspace) -> None:
    signed = run_coord("meeting", "sign-off", "2024-03-04", "--project", "lr", "--on", "2024-03-06")
    assert signed.exit_code == 0, signed.stderr
    shown = json.loads(ok("meeting", "show", "2024-03-04", "--project", "lr", "-f", "json"))
    sign = shown["signed_off"]
    assert (sign["by"], sign["date"], sign["form"], len(sign["hash"])) == ("黄丽", "2024-03-06", 1, 64)
    assert shown["fingerprint"] == sign["hash"][:12]
    assert signed.stderr == f"Signed off the minutes of meeting '2024-03-04' (fingerprint {shown['fingerprint']}).\n"
    from coordkit.domain.meetings import minutes_hash

    assert minutes_hash(shown) == sign["hash"]  # anyone can recompute it from `meeting show -f json`
    before = march.snapshot()
    refused = (
        "Error: the minutes of meeting '2024-03-04' were signed off by 黄丽 on 2024-03-06; they cannot change "
        "(record a correction in the next meeting's minutes)\n"
    )
    for argv in (
        ["meeting", "edit", "2024-03-04", "--project", "lr", "--place", "Elsewhere"],
        ["meeting", "sign-off", "2024-03-04", "--project", "lr", "--by", "Someone"],
    ):
        result = run_coord(*argv)
        assert (result.exit_code, result.stderr) == (2, refused), argv
    assert march.snapshot() == before
    # follow-up is not minutes: an action is done after sign-off, and the hash still holds
    done = run_coord("action", "done", "2024-03-04/1", "--project", "lr", "--on", "2024-04-22", "--note", "Made")
    assert (done.exit_code, done.stderr) == (0, "Action 2024-03-04/1 is done (2024-04-22).\n")
    check = json.loads(
        run_coord("check", "--project", "lr", "--on", "2024-09-01", "--select", "tampered-minutes", "-f", "json").stdout
    )
    assert check["findings"] == []


def test_tampered_minutes_are_found(march: Workspace) -> None:
    ok("meeting", "sign-off", "2024-03-04", "--project", "lr", "--by", "黄丽", "--on", "2024-03-06")
    shown = json.loads(ok("meeting", "show", "2024-03-04", "--project", "lr", "-f", "json"))
    march.execute(
        "UPDATE meeting_item SET text = 'Market on the first Sunday' WHERE text = 'Market on the second Saturday'"
    )
    result = run_coord("check", "--project", "lr", "--on", "2024-03-10", "--select", "tampered-minutes", "-f", "json")
    assert result.exit_code == 1
    from coordkit.domain.meetings import minutes_hash

    now = minutes_hash(json.loads(ok("meeting", "show", "2024-03-04", "--project", "lr", "-f", "json")))
    assert json.loads(result.stdout)["findings"] == [
        {
            "rule": "tampered-minutes",
            "severity": "error",
            "project": "lr",
            "subject": "2024-03-04",
            "message": f"the minutes of meeting '2024-03-04' no longer match what 黄丽 signed off on 2024-03-06 "
            f"(fingerprint {shown['fingerprint']}, now {now[:12]})",
            "hint": "restore the store from a backup; the minutes as signed off are in the meeting.sign-off event",
        }
    ]
    from coordkit.background import Background
    from coordkit.services.meetings import minutes_problems
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import locate

    # coord check of a large store hands the minutes to its second process with the rest of what is hashed:
    # the same findings, for the project checked only, in the reader's language
    used: list[Background[object]] = []

    class Watched(Background[object]):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            used.append(self)

    args = ("check", "--on", "2024-03-10", "--select", "tampered-minutes", "-f", "json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("coordkit.services.checking.WORKER_EVENTS", 0)
        patch.setattr("coordkit.services.checking.Background", Watched)
        assert run_coord(*args, "--project", "lr").stdout == result.stdout
        assert json.loads(run_coord(*args).stdout)["findings"] == json.loads(result.stdout)["findings"]
        patch.setenv("COORD_LANG", "zh")
        there = run_coord(*args, "--project", "lr").stdout
    assert used and all(job.elsewhere for job in used)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COORD_LANG", "zh")
        assert there == run_coord(*args, "--project", "lr").stdout and "纪要" in there

    opened = open_store(locate(None))
    try:
        with opened.read() as conn:
            assert minutes_problems(conn) == [
                f"meeting lr/2024-03-04: its minutes no longer match what was signed off "
                f"(fingerprint {shown['fingerprint']}, now {now[:12]})"
            ]
    finally:
        opened.dispose()


BAD = {
    "unknown attendee": (
        ["--attendee", "nobody"],
        "Error: no stakeholder 'nobody'\n",
    ),
    "unknown owner": (
        ["--attendee", "sw", "--action", "Do it", "--owner", "s-w", "--due", "2024-04-01"],
        "Error: no stakeholder 's-w'; did you mean 'sw'?\n",
    ),
    "unknown duty": (
        ["--attendee", "sw", "--action", "Do it", "--owner", "sw", "--due", "2024-04-01", "--duty", "venu"],
        "Error: no duty 'venu' in project 'lr'; did you mean 'venue'?\n",
    ),
    "action due before the meeting": (
        ["--attendee", "sw", "--action", "Do it", "--owner", "sw", "--due", "2024-03-01"],
        "Error: action 1: due 2024-03-01 is before the meeting on 2024-03-04\n",
    ),
    "no attendee": ([], "Error: minutes list who attended: --attendee PARTY[:PERSON]\n"),
    "owners and actions do not pair": (
        ["--attendee", "sw", "--action", "A", "--action", "B", "--owner", "sw", "--due", "2024-04-01"],
        "Error: give --owner and --due once for each --action, in the same order (2 action(s), 1 owner(s), "
        "1 due date(s)); or pass the record with --from FILE\n",
    ),
    "present and absent": (
        ["--attendee", "sw", "--absent", "sw"],
        "Error: 'sw' is listed both as attending and as absent\n",
    ),
    "a date that is not one": (
        ["--attendee", "sw", "--date", "2024-02-30"],
        "Error: --date '2024-02-30' is not a date (2024-02 has 29 days); use 2025-03-01, 2025/3/1 or 2025年3月1日\n",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_minutes_are_one_line_exit_2_store_unchanged(based: Workspace, case: str) -> None:
    extra, message = BAD[case]
    before = based.snapshot()
    argv = ["meeting", "add", "--project", "lr", "--chair", "committee/黄丽"]
    argv += [] if "--date" in extra else ["--date", "2024-03-04"]
    result = run_coord(*argv, *extra)
    assert (result.exit_code, result.stderr) == (2, message)
    assert based.snapshot() == before


def test_the_next_meeting_lists_the_open_actions_of_earlier_ones(march: Workspace) -> None:
    ok("action", "done", "2024-03-04/2", "--project", "lr", "--on", "2024-03-30")
    ok("meeting", "add", "--project", "lr", "--date", "2024-05-06", "--chair", "committee/黄丽", "--attendee", "sw")
    ok("action", "done", "2024-03-04/1", "--project", "lr", "--on", "2024-05-10")  # done after the May meeting
    may = json.loads(ok("meeting", "show", "2024-05-06", "--project", "lr", "-f", "json"))
    assert may["earlier_open"] == [
        {
            "meeting": "2024-03-04",
            "number": 1,
            "text": "Set up the group chat",
            "owner": "committee",
            "due": "2024-04-30",
        }
    ]
    listed = json.loads(ok("action", "list", "--project", "lr", "--on", "2024-05-07", "-f", "json"))
    assert [(a["action"], a["state"], a["done"]) for a in listed] == [
        ("2024-03-04/1", "done", "2024-05-10"),
        ("2024-03-04/2", "done", "2024-03-30"),
    ]
    again = run_coord("action", "done", "2024-03-04/1", "--project", "lr")
    assert (again.exit_code, again.stderr) == (2, "Error: action 2024-03-04/1 was already done on 2024-05-10\n")
    missing = run_coord("action", "done", "2024-03-04/9", "--project", "lr")
    assert (missing.exit_code, missing.stderr) == (
        2,
        "Error: no action '2024-03-04/9' in meeting '2024-03-04'; did you mean '2024-03-04/2'?\n",
    )


def test_open_actions_and_no_joint_meeting_checks(march: Workspace, isolated: Path) -> None:
    def findings(on: str, rule: str) -> list[tuple[str, str]]:
        out = run_coord("check", "--project", "lr", "--on", on, "--select", rule, "-f", "json").stdout
        return [(f["subject"], f["message"]) for f in json.loads(out)["findings"]]

    assert findings("2024-03-31", "open-actions") == []
    assert findings("2024-04-02", "open-actions") == [
        (
            "2024-03-04/2",
            "action 2024-03-04/2 of 'property' was due on 2024-03-31 and is still open (2 days late): "
            "Write the square schedule",
        ),
    ]
    ok("action", "done", "2024-03-04/2", "--project", "lr", "--on", "2024-04-05")
    assert findings("2024-04-02", "open-actions") != []  # still open on that day
    assert findings("2024-04-06", "open-actions") == []
    assert findings("2024-06-02", "no-joint-meeting") == []  # 90 days after 2024-03-04
    assert findings("2024-06-03", "no-joint-meeting") == [
        ("lr", "project 'lr' has had no joint meeting since 2024-03-04 (91 days; at most 90)")
    ]
    (isolated / "coord.toml").write_text("[check]\nno_meeting_days = 30\n")
    assert findings("2024-04-04", "no-joint-meeting") == [
        ("lr", "project 'lr' has had no joint meeting since 2024-03-04 (31 days; at most 30)")
    ]
    assert findings("2025-01-05", "no-joint-meeting") == []  # the project has ended


def test_contacts_between_meetings_and_silent_parties(march: Workspace, isolated: Path) -> None:
    logged = run_coord(
        "contact",
        "log",
        "merchants",
        "--channel",
        "call",
        "--summary",
        "Told them",
        "--on",
        "2024-03-20",
        "--by",
        "陈静",
        "--project",
        "lr",
    )
    assert (logged.exit_code, logged.stderr) == (0, "Logged contact I-0001 with 'merchants' on 2024-03-20.\n")
    ok("contact", "log", "property", "--channel", "visit", "--summary", "Saw the square", "--on", "2024-04-02")
    listed = json.loads(ok("contact", "list", "--project", "lr", "-f", "json"))
    assert [(c["key"], c["party"], c["date"], c["channel"], c["by"]) for c in listed] == [
        ("I-0002", "property", "2024-04-02", "visit", None),
        ("I-0001", "merchants", "2024-03-20", "call", "陈静"),
    ]
    assert [c["key"] for c in json.loads(ok("contact", "list", "merchants", "-f", "json"))] == ["I-0001"]
    bad = run_coord("contact", "log", "merchants", "--channel", "fax", "--summary", "x")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "Error: --channel 'fax' is not one of: call, visit, message, wechat, email, letter, other\n",
    )
    future = run_coord("contact", "log", "merchants", "--channel", "call", "--summary", "x", "--on", "2999-01-01")
    assert (future.exit_code, future.stderr) == (
        2,
        "Error: --on 2999-01-01 is in the future; record what has happened\n",
    )

    def silent(on: str) -> list[tuple[str, str]]:
        out = run_coord("check", "--project", "lr", "--on", on, "--select", "silent-party", "-f", "json").stdout
        return [(f["subject"], f["message"]) for f in json.loads(out)["findings"]]

    # R/A holders: committee (A venue), property (R venue), sw (R platform); committee and sw attended on 2024-03-04
    assert silent("2024-05-01") == []
    assert silent("2024-05-04") == [
        (
            "committee",
            "'committee' carries duties in project 'lr' but nobody has been in touch since 2024-03-04 "
            "(61 days; at most 60)",
        ),
        (
            "sw",
            "'sw' carries duties in project 'lr' but nobody has been in touch since 2024-03-04 (61 days; at most 60)",
        ),
    ]
    (isolated / "coord.toml").write_text("[check]\nsilent_days = 90\n")
    assert silent("2024-05-04") == []


def test_minutes_from_a_file_and_from_the_editor(
    based: Workspace, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = {
        "date": "2024-03-04",
        "chair": {"party": "committee", "person": "黄丽"},
        "attendees": [{"party": "committee", "person": "黄丽"}, {"party": "sw"}],
        "decisions": ["Market monthly"],
        "actions": [{"text": "Group chat", "owner": "committee", "due": "2024-04-30", "duty": "platform", "as": "C"}],
    }
    (isolated / "minutes.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    assert run_coord("meeting", "add", "--project", "lr", "--from", "minutes.yaml").exit_code == 0
    record["actions"][0]["due"] = "2024-03-01"
    (isolated / "bad.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    bad = run_coord("meeting", "add", "--project", "lr", "--from", "bad.yaml", "--place", "x")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "Error: --from takes the whole record; give the other flags in the file instead\n",
    )
    bad = run_coord("meeting", "add", "--project", "lr", "--from", "bad.yaml")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: bad.yaml:") and bad.stderr.endswith(
        ": actions[0].due: action 1: due 2024-03-01 is before the meeting on 2024-03-04\n"
    )
    # $EDITOR: the record opens as YAML; the editor here changes the place
    editor = isolated / "editor.py"
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text(encoding='utf-8').replace('decisions:', 'place: Room 2\\ndecisions:'), encoding='utf-8')\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    edited = run_coord("meeting", "edit", "2024-03-04", "--project", "lr")
    assert (edited.exit_code, edited.stderr) == (0, "Changed the minutes of meeting '2024-03-04'.\n")
    shown = json.loads(ok("meeting", "show", "2024-03-04", "--project", "lr", "-f", "json"))
    assert shown["place"] == "Room 2" and shown["actions"][0]["duty"] == "platform"
    monkeypatch.delenv("EDITOR")
    none = run_coord("meeting", "edit", "2024-03-04", "--project", "lr")
    assert (none.exit_code, none.stderr) == (
        2,
        "Error: give the minutes with flags or --from FILE, or set EDITOR (or VISUAL)\n",
    )


def test_due_items_of_meetings_actions_and_concerns(march: Workspace, isolated: Path) -> None:
    ok(
        "concern",
        "open",
        "--project",
        "lr",
        "--by",
        "committee",
        "--against",
        "property",
        "--about",
        "duty:venue",
        "--severity",
        "high",
        "--text",
        "The square was closed",
        "--on",
        "2024-03-11",
    )
    ok("action", "done", "2024-03-04/2", "--project", "lr", "--on", "2024-03-30")
    from coordkit.due import select
    from coordkit.services.meetings import due_items
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import locate

    opened = open_store(locate(None))
    try:
        with opened.read() as conn:
            items = due_items(conn, on=dt.date(2024, 3, 12))
    finally:
        opened.dispose()
    seen = [
        (i.kind, i.date.isoformat(), i.title, i.party, i.status, i.uid_seed)
        for i in select(items, on=dt.date(2024, 3, 12), settled=True)
    ]
    assert seen == [
        ("concern", "2024-03-12", "Acknowledge concern C-0001: The square was closed", "property", "open", seen[0][5]),
        ("action", "2024-03-31", "Write the square schedule", "property", "done", "action/lr/2024-03-04/2"),
        ("action", "2024-04-30", "Set up the group chat", "committee", "open", "action/lr/2024-03-04/1"),
        (
            "meeting",
            "2024-06-02",
            "Joint meeting of lr (the last was on 2024-03-04)",
            None,
            "scheduled",
            "meeting/lr/after/2024-03-04",
        ),
    ]
    assert seen[0][5].startswith("concern/C-0001/ack/2024-03-1")


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def test_the_demo_minutes_read_as_a_chair_reads_them(isolated: Path) -> None:
    """The August minutes of the demo, in Chinese: 会议纪要 with attendees, decisions, the action table with owner and
    deadline, the March action still open then, and the chair's sign-off; the hash on every page (PDF and DOCX)."""
    result = run_coord("demo", "demo")
    assert result.exit_code == 0, result.stderr
    documents = isolated / "demo" / "documents"
    shown = json.loads(ok("--db", "demo", "meeting", "show", "2024-08-05", "--project", "liede-renjia", "-f", "json"))
    digest, fingerprint = shown["signed_off"]["hash"], shown["fingerprint"]
    pages = _pdf_pages(documents / "minutes-liede-renjia-2024-08-05.zh.pdf")
    text = "".join("".join(pages).split())
    for expected in (
        "猎德人家社工服务项目联席会议纪要",
        "会议时间2024年8月5日",
        "主持人猎德社区党委 张华",
        "猎德街道办事处（职能部门） 李明",
        "缺席单位猎德商户、猎德居民志愿服务队",
        "二、议定事项",
        "合作高校于8月底前完成人才培养协议的签署",
        "三、工作任务分工（责任单位与完成时限）",
        "责任单位",
        "完成时限",
        "制定秋季公益课程方案并提交居委会",
        "2024年9月20日",
        "四、前次会议待办事项",
        "2024-03-04/1",
        "主持人：张华",
        "2024年8月7日",
    ):
        assert "".join(expected.split()) in text, expected
    for page in pages:
        assert f"指纹 {fingerprint}" in page and digest in page.replace("\n", "").replace(" ", "")
    from docx import Document

    doc = Document(str(documents / "minutes-liede-renjia-2024-08-05.zh.docx"))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "猎德人家社工服务项目联席会议纪要" and "二、议定事项" in paragraphs
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    assert tables[0][3][0] == "出席单位及人员" and "猎德社区居委会 黄丽" in tables[0][3][1]
    assert tables[1] == [
        ["序号", "工作事项", "责任单位", "完成时限", "对应职责"],
        ["1", "制定秋季公益课程方案并提交居委会", "猎德人家社工站（第三方社会组织）", "2024年9月20日", ""],
    ]
    assert tables[2][1] == ["2024-03-04/1", "建立各方共享的工作群和社区信息公告栏", "猎德社区居委会", "2024年4月30日"]
    march = Document(str(documents / "minutes-liede-renjia-2024-03-04.zh.docx"))
    serves = [[cell.text for cell in row.cells] for row in march.tables[1].rows][1]
    assert serves[-1] == "社区信息共享平台建设 (R)"  # the duty by its Chinese title, not its key
    english = (documents / "minutes-liede-renjia-2024-03-04.en.md").read_text(encoding="utf-8")
    assert "| Build the community information-sharing platform (R) |" in english
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == f"会议纪要 · liede-renjia/2024-08-05 · 指纹 {fingerprint}"
    assert section.footer.paragraphs[-1].text == f"SHA-256 {digest}"
    styles = io.BytesIO((documents / "minutes-liede-renjia-2024-08-05.zh.docx").read_bytes())
    import zipfile

    with zipfile.ZipFile(styles) as package:
        xml = package.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in xml and 'w:eastAsia="SimSun"' in xml and 'w:eastAsia="SimHei"' in xml


def test_minutes_render_before_sign_off_say_draft(march: Workspace, isolated: Path) -> None:
    assert (
        run_coord(
            "meeting", "render", "2024-03-04", "--project", "lr", "-f", "pdf", "--lang", "en", "-o", "m.pdf"
        ).exit_code
        == 0
    )
    pages = _pdf_pages(isolated / "m.pdf")
    assert all("DRAFT" in page for page in pages)
    assert "Draft minutes: not signed off yet; they may still change." in pages[0]
    md = ok("meeting", "render", "2024-03-04", "--project", "lr", "-f", "md", "--lang", "en")
    assert "| 1 | Set up the group chat | Neighbourhood Committee | 30 April 2024 | Information platform (C) |" in md
    assert "- **Absent**: Merchants" in md


def test_the_readme_examples_run_as_written(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex
    import subprocess

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- meetings-example -->")[1].split("```sh\n")[1].split("```")[0]
    lines = block.strip().splitlines()
    assert lines[0] == "coord demo meetings-demo && cd meetings-demo"
    assert run_coord("demo", "meetings-demo").exit_code == 0
    monkeypatch.chdir(isolated / "meetings-demo")
    outputs = {}
    for line in lines[1:]:
        argv = shlex.split(line, comments=True)
        assert argv[0] == "coord", line
        result = run_coord(*argv[1:])
        assert result.exit_code == (1 if argv[1] == "check" else 0), (line, result.stderr)
        outputs[" ".join(argv[1:3])] = result
    assert "C+" in outputs["matrix --on"].stdout.split("market-volunteers")[1].splitlines()[0]
    assert "Escalated concern C-0002 to 'liede-street' (lead): response-overdue." in outputs["concern escalate"].stderr
    assert "to liede-street (lead) · response-overdue" in outputs["concern show"].stdout
    assert (isolated / "meetings-demo" / "minutes-2024-08-05.zh.pdf").stat().st_size > 10_000
    # the README's few lines of Python recompute a signed-off meeting's hash without coord
    snippet = readme.split("<!-- recompute-minutes-hash -->")[1].split("```python\n")[1].split("```")[0]
    shown = ok("meeting", "show", "2024-09-02", "-f", "json")
    Path("minutes.json").write_text(shown, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", snippet, "minutes.json"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == json.loads(shown)["signed_off"]["hash"]
