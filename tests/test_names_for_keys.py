"""Where a command expects a key, the exact name or Chinese name of the thing is accepted too (issue 12, item 4):
every option and argument that names a stakeholder, project, duty, role or resource goes through one resolver
(``storage.lookup.resolve_key``), and a name two things share is refused with the candidates, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Workspace, ok, run_coord

SETUP = [
    [
        "stakeholder",
        "add",
        "street",
        "--name",
        "Liede Street Office",
        "--name-zh",
        "猎德街道办事处",
        "--kind",
        "government",
    ],
    ["stakeholder", "add", "merchants", "--name", "Liede merchants", "--name-zh", "猎德商户", "--kind", "enterprise"],
    ["stakeholder", "add", "committee", "--name-zh", "猎德社区居委会", "--kind", "neighbourhood-committee"],
    ["project", "add", "lr", "--name", "Liede Renjia", "--name-zh", "猎德人家", "--start", "2024-01-01"],
    ["role", "add", "venue-host", "--name", "Venue host", "--name-zh", "场地提供方"],
    ["resource", "add", "square", "--name", "Liede Square", "--name-zh", "猎德广场"],
    ["duty", "add", "market-venue", "--title", "Provide the square", "--title-zh", "提供市集场地"],
    ["agreement", "new", "--title", "Market", "--party", "street", "--party", "merchants", "--effective", "2024-03-01"],
]
KEY = "AGR-2024-001"


@pytest.fixture
def named(ws: Workspace) -> Workspace:
    return ws.replay(SETUP)


def test_parties_by_chinese_name_in_contacts_concerns_and_lists(named: Workspace) -> None:
    logged = run_coord("contact", "log", "猎德商户", "--channel", "call", "--summary", "摊位安排", "--on", "2024-03-05")
    assert logged.exit_code == 0, logged.stderr
    contacts = json.loads(ok("contact", "list", "Liede merchants", "-f", "json"))
    assert [(c["party"], c["summary"]) for c in contacts] == [("merchants", "摊位安排")]
    opened = run_coord(
        "concern",
        "open",
        "--by",
        "猎德社区居委会",
        "--against",
        "猎德商户",
        "--about",
        "duty:提供市集场地",
        "--text",
        "摊位占道",
        "--on",
        "2024-03-06",
    )
    assert opened.exit_code == 0, opened.stderr
    concern = json.loads(ok("concern", "list", "--party", "猎德社区居委会", "-f", "json"))[0]
    assert (concern["by"], concern["against"], concern["about"]) == ("committee", "merchants", "duty:market-venue")
    assert [a["key"] for a in json.loads(ok("agreement", "list", "--party", "猎德商户", "-f", "json"))] == [KEY]
    assert json.loads(ok("agreement", "list", "--party", "猎德社区居委会", "-f", "json")) == []
    assert run_coord("key", "list", "--party", "猎德街道办事处").exit_code == 0
    assert run_coord("due", "--party", "猎德商户", "--on", "2024-03-10", "-f", "json").exit_code == 0


def test_meeting_parties_owners_and_duties_by_name(named: Workspace) -> None:
    added = run_coord(
        "meeting",
        "add",
        "--date",
        "2024-03-04",
        "--chair",
        "猎德街道办事处/张华",
        "--attendee",
        "猎德商户:陈静",
        "--attendee",
        "committee",
        "--decision",
        "每月第二个周六开市",
        "--action",
        "排摊位",
        "--owner",
        "猎德商户",
        "--due",
        "2024-03-30",
        "--duty",
        "提供市集场地",
    )
    assert added.exit_code == 0, added.stderr
    meeting = json.loads(ok("meeting", "show", "2024-03-04", "-f", "json"))
    assert meeting["chair"] == {"party": "street", "person": "张华"}
    assert [a["party"] for a in meeting["attendees"]] == ["merchants", "committee"]
    assert [(a["owner"], a["duty"]) for a in meeting["actions"]] == [("merchants", "market-venue")]
    actions = json.loads(ok("action", "list", "--owner", "Liede merchants", "--on", "2024-03-10", "-f", "json"))
    assert [a["owner"] for a in actions] == ["merchants"]


def test_agreement_terms_and_signing_by_name(named: Workspace) -> None:
    ok("agreement", "obligation", "add", KEY, "--party", "猎德商户", "--text", "Run stalls", "--duty", "提供市集场地")
    ok("agreement", "resource", "add", KEY, "--party", "猎德街道办事处", "--kind", "venue", "--resource", "猎德广场")
    ok("agreement", "right", "add", KEY, "Use the square", "--party", "Liede merchants")
    doc = json.loads(ok("agreement", "show", KEY, "-f", "json"))
    assert [(o["party"], o["duty"]) for o in doc["obligations"]] == [("merchants", "market-venue")]
    assert [(r["party"], r["resource"]) for r in doc["resources"]] == [("street", "square")]
    assert [r["party"] for r in doc["rights"]] == ["merchants"]
    ok("agreement", "circulate", KEY)
    signed = run_coord("agreement", "sign", KEY, "--party", "猎德商户", "--signatory", "王", "--date", "2024-03-01")
    assert signed.exit_code == 0, signed.stderr
    assert [s["party"] for s in json.loads(ok("agreement", "show", KEY, "-f", "json"))["signatures"]] == ["merchants"]


def test_roles_resources_duties_and_projects_by_name(named: Workspace, isolated: Path) -> None:
    ok("role", "assign", "场地提供方", "猎德社区居委会")
    assert json.loads(ok("role", "list", "-f", "json"))[0]["holders"][0]["stakeholder"] == "committee"
    ok("duty", "use", "提供市集场地", "猎德广场", "--when", "2024-06-08")
    assert json.loads(ok("resource", "show", "猎德广场", "-f", "json"))["calendar"][0]["source"] == "duty market-venue"
    ok("duty", "release", "Provide the square", "Liede Square")
    ok("resource", "add", "hall", "--name", "Hall", "--owner", "猎德社区居委会")
    assert json.loads(ok("resource", "show", "hall", "-f", "json"))["owner"] == "committee"
    assert run_coord("grid", "--project", "猎德人家", "-o", "g.html").exit_code == 0
    assert run_coord("obligation", "list", "--party", "猎德商户", "--project", "Liede Renjia").exit_code == 0


def test_a_name_two_things_share_is_refused_with_the_candidates(named: Workspace) -> None:
    ok(
        "stakeholder",
        "add",
        "merchants-east",
        "--name",
        "East merchants",
        "--name-zh",
        "猎德商户",
        "--kind",
        "enterprise",
    )
    before = named.snapshot()
    refusal = (
        "Error: '猎德商户' names more than one stakeholder: merchants (Liede merchants), "
        "merchants-east (East merchants); give the key\n"
    )
    for command in (
        ("contact", "log", "猎德商户", "--channel", "call", "--summary", "x"),
        ("agreement", "list", "--party", "猎德商户"),
        ("concern", "open", "--by", "猎德商户", "--against", "street", "--about", "duty:market-venue", "--text", "x"),
        ("meeting", "add", "--date", "2024-03-04", "--chair", "street/张华", "--attendee", "猎德商户"),
        ("due", "--party", "猎德商户"),
    ):
        result = run_coord(*command)
        assert (result.exit_code, result.stderr) == (2, refusal), command
    assert named.snapshot() == before
    assert run_coord("contact", "log", "merchants-east", "--channel", "call", "--summary", "x").exit_code == 0


def test_the_candidates_are_named_in_the_readers_language(named: Workspace) -> None:
    ok(
        "stakeholder",
        "add",
        "archive",
        "--name",
        "Street archive",
        "--name-zh",
        "猎德街道办事处（档案室）",
        "--kind",
        "government",
    )
    ok(
        "stakeholder",
        "add",
        "street-2",
        "--name",
        "Street office, east",
        "--name-zh",
        "猎德街道办事处（东）",
        "--kind",
        "government",
    )
    ok(
        "stakeholder",
        "add",
        "merchants-east",
        "--name",
        "East merchants",
        "--name-zh",
        "猎德商户",
        "--kind",
        "enterprise",
    )
    before = named.snapshot()
    unknown = run_coord(
        "contact", "log", "猎德街道办事处（职能部门）", "--lang", "zh", "--channel", "call", "--summary", "x"
    )
    assert (unknown.exit_code, unknown.stderr) == (2, "错误：没有利益相关方“猎德街道办事处（职能部门）”\n")
    shared = run_coord("agreement", "list", "--party", "猎德商户", "--lang", "zh")
    assert (shared.exit_code, shared.stderr) == (  # the Chinese names are what was typed: told apart in English
        2,
        "错误：“猎德商户”对应多个利益相关方：merchants (Liede merchants), merchants-east (East merchants)；请给出键\n",
    )
    assert named.snapshot() == before
    ok("stakeholder", "edit", "street", "--name-zh", "猎德街道办事处（职能部门）")
    before = named.snapshot()
    aside = run_coord("contact", "log", "猎德街道办事处", "--lang", "zh", "--channel", "call", "--summary", "x")
    assert (aside.exit_code, aside.stderr) == (
        2,
        "错误：“猎德街道办事处”对应多个利益相关方：archive (猎德街道办事处（档案室）), street (猎德街道办事处（职能部门）), "
        "street-2 (猎德街道办事处（东）)；请给出键\n",
    )
    assert run_coord("contact", "list", "猎德街道办事处").stderr == (
        "Error: '猎德街道办事处' names more than one stakeholder: archive (Street archive), "
        "street (Liede Street Office), street-2 (Street office, east); give the key\n"
    )
    assert named.snapshot() == before


def test_a_name_that_names_nothing_is_refused_as_an_unknown_key(named: Workspace) -> None:
    before = named.snapshot()
    for command, message in (
        (("contact", "log", "不存在", "--channel", "call", "--summary", "x"), "Error: no stakeholder '不存在'\n"),
        (("resource", "show", "大礼堂"), "Error: no resource '大礼堂'\n"),
        (
            ("duty", "use", "不存在的职责", "square", "--when", "2024-06-08"),
            "Error: no duty '不存在的职责' in project 'lr'\n",
        ),
    ):
        result = run_coord(*command)
        assert (result.exit_code, result.stderr) == (2, message), command
    assert named.snapshot() == before


def test_what_a_name_named_is_said_and_recorded_by_its_key(named: Workspace) -> None:
    logged = run_coord("contact", "log", "猎德商户", "--channel", "call", "--summary", "x", "--on", "2024-03-05")
    assert logged.stderr == "Logged contact I-0001 with 'merchants' on 2024-03-05.\n"
    scored = run_coord(
        "stakeholder", "score", "猎德社区居委会", "--influence", "4", "--interest", "5", "--on", "2024-03-05"
    )
    assert scored.stderr == "Scored stakeholder 'committee': influence 4, interest 5.\n"
    assert json.loads(ok("stakeholder", "show", "committee", "-f", "json"))["influence"] == 4
    used = run_coord("duty", "use", "提供市集场地", "猎德广场", "--when", "2024-06-08")
    assert used.stderr == "Duty 'market-venue' uses 'square' (2024-06-08).\n"
    assert run_coord("project", "use", "猎德人家").stderr == "Current project: 'lr'.\n"
    edited = run_coord("duty", "edit", "提供市集场地", "--due", "2024-12-31", "--lang", "zh")
    assert edited.stderr == "已修改职责“market-venue”。\n"
    added = run_coord("agreement", "obligation", "add", KEY, "--party", "猎德商户", "--text", "Run stalls")
    assert added.stderr == f"Added an obligation of merchants to {KEY}.\n"


def test_export_takes_a_project_by_its_chinese_name(named: Workspace, isolated: Path) -> None:
    ok("export", "--project", "lr", "-o", "by-key.yaml")
    ok("export", "--project", "猎德人家", "-o", "by-name.yaml")
    assert (isolated / "by-name.yaml").read_bytes() == (isolated / "by-key.yaml").read_bytes()
    assert (
        run_coord("export", "--project", "不存在的项目", "-o", "x.yaml").stderr == "Error: no project '不存在的项目'\n"
    )


def test_a_name_without_its_bracketed_aside_names_it_when_nothing_is_called_that(named: Workspace) -> None:
    ok("stakeholder", "add", "sw", "--name-zh", "猎德人家社工站（第三方社会组织）", "--kind", "social-organisation")
    ok("stakeholder", "add", "office", "--name", "Liede Office (functional department)", "--kind", "government")
    logged = run_coord("contact", "log", "猎德人家社工站", "--channel", "call", "--summary", "x", "--on", "2024-03-05")
    assert logged.stderr == "Logged contact I-0001 with 'sw' on 2024-03-05.\n"
    assert json.loads(ok("contact", "list", "Liede Office", "-f", "json")) == []  # named, no contacts yet
    ok("stakeholder", "add", "sw-2", "--name-zh", "猎德人家社工站(培训部)", "--kind", "social-organisation")
    refused = run_coord("contact", "list", "猎德人家社工站")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: '猎德人家社工站' names more than one stakeholder: sw (猎德人家社工站（第三方社会组织）), "
        "sw-2 (猎德人家社工站(培训部)); give the key\n",
    )
    ok("stakeholder", "add", "sw-3", "--name-zh", "猎德人家社工站", "--kind", "social-organisation")
    exact = run_coord("contact", "log", "猎德人家社工站", "--channel", "call", "--summary", "x", "--on", "2024-03-05")
    assert exact.stderr == "Logged contact I-0002 with 'sw-3' on 2024-03-05.\n"  # the exact name wins
    assert run_coord("contact", "list", "猎德人家").stderr == "Error: no stakeholder '猎德人家'\n"  # no prefix matching


def test_the_role_list_names_roles_holders_and_projects_in_the_readers_language(named: Workspace) -> None:
    ok("role", "assign", "场地提供方", "猎德社区居委会")
    ok("role", "assign", "venue-host", "street")
    assert ok("role", "list", "--lang", "zh", "-f", "md").splitlines() == [
        "| 项目 | 键 | 名称 | 英文名 | 担任方 | 说明 |",
        "|---|---|---|---|---|---|",
        "| 猎德人家 | venue-host | 场地提供方 | Venue host | 猎德社区居委会; 猎德街道办事处 |  |",
    ]
    assert ok("role", "list", "-f", "md").splitlines()[2] == (
        "| Liede Renjia | venue-host | Venue host | 场地提供方 | 猎德社区居委会; Liede Street Office |  |"
    )
    assert ok("role", "list", "--keys", "-f", "md").splitlines()[2] == (
        "| lr | venue-host | Venue host | 场地提供方 | committee; street |  |"
    )
    assert ok("role", "list", "--lang", "zh", "-f", "csv").splitlines()[1] == (
        "lr,venue-host,场地提供方,Venue host,committee; street,"
    )  # a CSV keeps keys, for coord import
    listed = json.loads(ok("role", "list", "-f", "json"))
    assert [(r["name"], r["name_zh"], [h["stakeholder"] for h in r["holders"]]) for r in listed] == [
        ("Venue host", "场地提供方", ["committee", "street"])
    ]


def test_a_stakeholder_kind_is_typed_as_a_chinese_table_shows_it_and_an_unknown_one_is_refused(
    named: Workspace,
) -> None:
    ok("stakeholder", "add", "co", "--name-zh", "猎德建材公司", "--kind", "企业", "--lang", "zh")
    assert json.loads(ok("stakeholder", "show", "co", "-f", "json"))["kind"] == "enterprise"
    listed = json.loads(ok("stakeholder", "list", "--kind", "企业", "-f", "json"))
    assert [s["key"] for s in listed] == ["co", "merchants"]
    assert [s["key"] for s in json.loads(ok("stakeholder", "list", "--kind", "government", "-f", "json"))] == ["street"]
    before = named.snapshot()
    refused = run_coord("stakeholder", "list", "--kind", "企")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: kind '企' is not one of: government, party-committee, neighbourhood-committee, social-organisation, "
        "enterprise, property-management, university, volunteer-team, resident-group, individual, other\n",
    )
    assert named.snapshot() == before


def test_a_duty_is_assigned_to_a_role_by_its_name(named: Workspace) -> None:
    ok("duty", "assign", "提供市集场地", "场地提供方", "--as", "A")
    ok("duty", "assign", "提供市集场地", "猎德商户", "--as", "R")
    assignments = json.loads(ok("duty", "show", "market-venue", "-f", "json"))["assignments"]
    assert [(a["letter"], a["stakeholder"], a["role"]) for a in assignments] == [
        ("R", "merchants", None),
        ("A", None, "venue-host"),
    ]
    ok("duty", "unassign", "market-venue", "Venue host")
    assert [a["letter"] for a in json.loads(ok("duty", "show", "market-venue", "-f", "json"))["assignments"]] == ["R"]


def test_what_is_removed_by_name_is_said_by_its_key_in_the_readers_language(named: Workspace) -> None:
    ok("stakeholder", "add", "temp", "--name", "Temporary", "--name-zh", "临时单位", "--kind", "other")
    assert run_coord("stakeholder", "remove", "临时单位").stderr == "Removed stakeholder 'temp'.\n"
    ok("duty", "assign", "提供市集场地", "猎德商户", "--as", "R")
    refused = run_coord("duty", "remove", "提供市集场地", "--lang", "zh")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "错误：职责“market-venue”仍有 1 项分工（merchants），请先取消这些分工\n",
    )
    ok("duty", "unassign", "market-venue", "merchants")
    assert run_coord("duty", "remove", "提供市集场地", "--lang", "zh").stderr == "已删除职责“market-venue”。\n"
