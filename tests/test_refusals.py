"""One set of rules: every refusal the commands make is made by ``coord apply`` and ``coord validate``
too, in the same words (the file adds its name, line, column and the field path), store unchanged."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Workspace, run_coord

BASE: dict[str, Any] = {
    "version": 1,
    "stakeholders": [
        {"key": "sw", "name": "Social Work Station", "kind": "social-organisation"},
        {"key": "street", "name": "Street Office", "kind": "government"},
    ],
    "projects": [{"key": "lr", "name": "Liede Renjia", "start": "2024-01-01", "end": "2024-12-31"}],
    "roles": [{"project": "lr", "key": "host", "name": "Venue host", "holders": [{"stakeholder": "sw"}]}],
    "duties": [
        {
            "project": "lr",
            "key": "report",
            "title": "Report",
            "assignments": [{"as": "R", "stakeholder": "street"}, {"as": "C", "role": "host"}],
        }
    ],
    "agreements": [
        {
            "key": "AGR-1",
            "project": "lr",
            "title": "Market",
            "effective": "2024-03-01",
            "parties": [{"stakeholder": "street"}, {"stakeholder": "sw"}],
            "goals": ["A monthly market"],
        }
    ],
    "meetings": [],
    "interactions": [],
    "concerns": [
        {
            "key": "C-1",
            "project": "lr",
            "by": "street",
            "against": "sw",
            "about": "duty:report",
            "text": "Late",
            "opened": "2024-03-01",
        },
        {
            "key": "C-2",
            "project": "lr",
            "by": "street",
            "against": "sw",
            "about": "duty:report",
            "text": "Again",
            "opened": "2024-03-01",
            "steps": [{"step": "resolve", "at": "2024-03-05", "text": "Done", "satisfaction": 4}],
        },
    ],
}
MEETING = {
    "project": "lr",
    "date": "2024-03-04",
    "chair": {"party": "sw", "person": "Chen"},
    "attendees": [{"party": "sw"}],
}
MEET = ["meeting", "add", "--project", "lr", "--date", "2024-03-04", "--chair", "sw/Chen"]
AGREEMENT = {"project": "lr", "title": "T", "parties": [{"stakeholder": "sw"}, {"stakeholder": "street"}]}
NEW = ["agreement", "new", "--title", "T", "--effective", "2024-03-01"]
Change = Callable[[dict[str, Any]], None]


def add(entity: str, item: dict[str, Any]) -> Change:
    return lambda ws: ws[entity].append(item)


def change(entity: str, index: int, **fields: Any) -> Change:
    return lambda ws: ws[entity][index].update(fields)


def add_to(entity: str, index: int, field: str, item: Any) -> Change:
    return lambda ws: ws[entity][index].setdefault(field, []).append(item)


SLUG = "use lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (at most 64)"
KINDS = (
    "government, party-committee, neighbourhood-committee, social-organisation, enterprise, property-management, "
    "university, volunteer-team, resident-group, individual, other"
)
# case: (command line, change to the workspace file, field path in the file, message)
CASES: dict[str, tuple[list[str], Change, str, str]] = {
    "stakeholder key not a slug": (
        ["stakeholder", "add", "Liede SW", "--name", "X", "--kind", "other"],
        add("stakeholders", {"key": "Liede SW", "name": "X", "kind": "other"}),
        "stakeholders[2].key",
        f"stakeholder key 'Liede SW' is not a slug: {SLUG}",
    ),
    "stakeholder name only spaces": (
        ["stakeholder", "add", "x", "--name", "   ", "--kind", "other"],
        add("stakeholders", {"key": "x", "name": "   ", "kind": "other"}),
        "stakeholders[2].name",
        "name must not be empty",
    ),
    "stakeholder kind misspelt": (
        ["stakeholder", "add", "x", "--name", "X", "--kind", "goverment"],
        add("stakeholders", {"key": "x", "name": "X", "kind": "goverment"}),
        "stakeholders[2].kind",
        f"kind 'goverment' is not one of: {KINDS}; did you mean 'government'?",
    ),
    "stakeholder name over 200 characters": (
        ["stakeholder", "add", "x", "--name", "猎" * 201, "--kind", "other"],
        add("stakeholders", {"key": "x", "name": "猎" * 201, "kind": "other"}),
        "stakeholders[2].name",
        "name is 201 characters long; at most 200 are allowed",
    ),
    "contact channel over 32 characters": (
        ["stakeholder", "edit", "sw", "--contact", "c" * 33 + ":020-1"],
        change("stakeholders", 0, contacts=[{"channel": "c" * 33, "value": "020-1"}]),
        "stakeholders[0].contacts[0].channel",
        "contact channel is 33 characters long; at most 32 are allowed",
    ),
    "duty category over 200 characters": (
        ["duty", "add", "r2", "--title", "R", "--category", "c" * 201, "--project", "lr"],
        add("duties", {"project": "lr", "key": "r2", "title": "R", "category": "c" * 201}),
        "duties[1].category",
        "category is 201 characters long; at most 200 are allowed",
    ),
    "influence out of range": (
        ["stakeholder", "edit", "sw", "--influence", "7"],
        change("stakeholders", 0, influence=7),
        "stakeholders[0].influence",
        "influence must be from 1 to 5 (got 7)",
    ),
    "project ends before it starts": (
        ["project", "add", "p2", "--name", "P", "--start", "2024-06-01", "--end", "2024-01-01"],
        add("projects", {"key": "p2", "name": "P", "start": "2024-06-01", "end": "2024-01-01"}),
        "projects[1].end",
        "project 'p2': ends 2024-01-01 before it starts 2024-06-01",
    ),
    "project name only spaces": (
        ["project", "add", "p2", "--name", "  "],
        add("projects", {"key": "p2", "name": "  "}),
        "projects[1].name",
        "name must not be empty",
    ),
    "role name only spaces": (
        ["role", "add", "r2", "--name", " ", "--project", "lr"],
        add("roles", {"project": "lr", "key": "r2", "name": " "}),
        "roles[1].name",
        "name must not be empty",
    ),
    "role held twice at once": (
        ["role", "assign", "host", "sw", "--project", "lr"],
        add_to("roles", 0, "holders", {"stakeholder": "sw", "from": "2024-05-01"}),
        "roles[0].holders[1]",
        "'sw' already holds role 'host' in that period",
    ),
    "holding ends before it starts": (
        ["role", "assign", "host", "street", "--from", "2024-06-01", "--to", "2024-01-01", "--project", "lr"],
        add_to("roles", 0, "holders", {"stakeholder": "street", "from": "2024-06-01", "to": "2024-01-01"}),
        "roles[0].holders[1].to",
        "holding of role 'host': ends 2024-01-01 before it starts 2024-06-01",
    ),
    "duty key not a slug": (
        ["duty", "add", "Report 2", "--title", "R", "--project", "lr"],
        add("duties", {"project": "lr", "key": "Report 2", "title": "R"}),
        "duties[1].key",
        f"duty key 'Report 2' is not a slug: {SLUG}",
    ),
    "duty title only spaces": (
        ["duty", "add", "r2", "--title", "  ", "--project", "lr"],
        add("duties", {"project": "lr", "key": "r2", "title": "  "}),
        "duties[1].title",
        "title must not be empty",
    ),
    "letter X": (
        ["duty", "assign", "report", "sw", "--as", "X", "--project", "lr"],
        add_to("duties", 0, "assignments", {"as": "X", "stakeholder": "sw"}),
        "duties[0].assignments[2].as",
        "RACI letter 'X' is not one of: R, A, C, I",
    ),
    "assignment ends before it starts": (
        [
            "duty",
            "assign",
            "report",
            "sw",
            "--as",
            "C",
            "--from",
            "2024-06-01",
            "--to",
            "2024-05-01",
            "--project",
            "lr",
        ],
        add_to("duties", 0, "assignments", {"as": "C", "stakeholder": "sw", "from": "2024-06-01", "to": "2024-05-01"}),
        "duties[0].assignments[2].to",
        "assignment: ends 2024-05-01 before it starts 2024-06-01",
    ),
    "the same party R twice at once": (
        ["duty", "assign", "report", "street", "--as", "R", "--from", "2024-03-01", "--project", "lr"],
        add_to("duties", 0, "assignments", {"as": "R", "stakeholder": "street", "from": "2024-03-01"}),
        "duties[0].assignments[2]",
        "'street' is already R for duty 'report' in that period",
    ),
    "the same role C twice at once": (
        ["duty", "assign", "report", "role:host", "--as", "C", "--project", "lr"],
        add_to("duties", 0, "assignments", {"as": "C", "role": "host", "to": "2024-06-30"}),
        "duties[0].assignments[2]",
        "'role:host' is already C for duty 'report' in that period",
    ),
    "agreement with one party": (
        [*NEW, "--party", "sw", "--project", "lr"],
        add("agreements", {**AGREEMENT, "key": "AGR-2", "parties": [{"stakeholder": "sw"}]}),
        "agreements[1].parties",
        "an agreement needs at least two parties",
    ),
    "agreement party named twice": (
        [*NEW, "--party", "sw", "--party", "sw", "--project", "lr"],
        add("agreements", {**AGREEMENT, "key": "AGR-2", "parties": [{"stakeholder": "sw"}, {"stakeholder": "sw"}]}),
        "agreements[1].parties[1].stakeholder",
        "party 'sw' is named twice",
    ),
    "agreement term ends before it starts": (
        [*NEW, "--expires", "2024-01-01", "--party", "sw", "--party", "street", "--project", "lr"],
        add("agreements", {**AGREEMENT, "key": "AGR-2", "effective": "2024-03-01", "expires": "2024-01-01"}),
        "agreements[1].expires",
        "agreement term: ends 2024-01-01 before it starts 2024-03-01",
    ),
    "review cadence not understood": (
        [*NEW, "--review-every", "fortnightly", "--party", "sw", "--party", "street", "--project", "lr"],
        add("agreements", {**AGREEMENT, "key": "AGR-2", "review_every": "fortnightly"}),
        "agreements[1].review_every",
        "review cadence 'fortnightly': expected a number and d, w, m or y, e.g. 6m or 90d",
    ),
    "agreement key not valid": (
        [
            "agreement",
            "new",
            "AGR 2",
            "--title",
            "T",
            "--effective",
            "2024-03-01",
            "--party",
            "sw",
            "--party",
            "street",
            "--project",
            "lr",
        ],
        add("agreements", {**AGREEMENT, "key": "AGR 2"}),
        "agreements[1].key",
        "agreement key 'AGR 2' is not valid: use letters, digits, '-', '_' or '.', e.g. AGR-2024-001",
    ),
    "agreement language unknown": (
        [*NEW, "--lang", "fr", "--party", "sw", "--party", "street", "--project", "lr"],
        add("agreements", {**AGREEMENT, "key": "AGR-2", "languages": ["fr"]}),
        "agreements[1].languages",
        "language 'fr' is not one of: en, zh",
    ),
    "agreement title only spaces": (
        [
            "agreement",
            "new",
            "--title",
            "  ",
            "--effective",
            "2024-03-01",
            "--party",
            "sw",
            "--party",
            "street",
            "--project",
            "lr",
        ],
        add("agreements", {**AGREEMENT, "key": "AGR-2", "title": "  "}),
        "agreements[1].title",
        "title must not be empty",
    ),
    "letter without a duty": (
        ["agreement", "obligation", "add", "AGR-1", "--party", "sw", "--text", "Run it", "--as", "R"],
        add_to("agreements", 0, "obligations", {"party": "sw", "text": "Run it", "as": "R"}),
        "agreements[0].obligations[0].as",
        "a RACI letter ('as') needs a duty: the letter says what the party is for that duty",
    ),
    "negative amount": (
        [
            "agreement",
            "resource",
            "add",
            "AGR-1",
            "--party",
            "sw",
            "--kind",
            "funds",
            "--amount",
            "-5",
            "--unit",
            "CNY",
        ],
        add_to("agreements", 0, "resources", {"party": "sw", "kind": "funds", "amount": -5, "unit": "CNY"}),
        "agreements[0].resources[0].amount",
        "amount '-5' is negative; an amount is zero or more",
    ),
    "resource kind over 32 characters": (
        [
            "agreement",
            "resource",
            "add",
            "AGR-1",
            "--party",
            "sw",
            "--kind",
            "k" * 33,
            "--amount",
            "5",
            "--unit",
            "CNY",
        ],
        add_to("agreements", 0, "resources", {"party": "sw", "kind": "k" * 33, "amount": 5, "unit": "CNY"}),
        "agreements[0].resources[0].kind",
        "kind is 33 characters long; at most 32 are allowed",
    ),
    "goal over 10,000 characters": (
        ["agreement", "goal", "add", "AGR-1", "g" * 10_001],
        add_to("agreements", 0, "goals", "g" * 10_001),
        "agreements[0].goals[1].text",
        "text is 10,001 characters long; at most 10,000 are allowed",
    ),
    "action due before the meeting": (
        [*MEET, "--attendee", "sw", "--action", "Do it", "--owner", "sw", "--due", "2024-03-01"],
        add("meetings", {**MEETING, "actions": [{"text": "Do it", "owner": "sw", "due": "2024-03-01"}]}),
        "meetings[0].actions[0].due",
        "action 1: due 2024-03-01 is before the meeting on 2024-03-04",
    ),
    "a party present and absent": (
        [*MEET, "--attendee", "sw", "--absent", "sw"],
        add("meetings", {**MEETING, "absent": ["sw"]}),
        "meetings[0].absent[0]",
        "'sw' is listed both as attending and as absent",
    ),
    "an unknown attendee": (
        [*MEET, "--attendee", "nobody"],
        add("meetings", {**MEETING, "attendees": [{"party": "nobody"}]}),
        "meetings[0].attendees[0].party",
        "no stakeholder 'nobody'",
    ),
    "an agreement resource naming an unregistered shared resource": (
        ["agreement", "resource", "add", "AGR-1", "--party", "sw", "--kind", "venue", "--resource", "nowhere"],
        add_to("agreements", 0, "resources", {"party": "sw", "kind": "venue", "resource": "nowhere"}),
        "agreements[0].resources[0].resource",
        "no resource 'nowhere': no shared resource is registered (coord resource add)",
    ),
    "a contact by fax": (
        ["contact", "log", "sw", "--channel", "fax", "--summary", "Sent the plan"],
        add("interactions", {"key": "I-1", "party": "sw", "date": "2024-03-01", "channel": "fax", "summary": "Plan"}),
        "interactions[0].channel",
        "--channel 'fax' is not one of: call, visit, message, wechat, email, letter, other",
    ),
    "a concern against itself": (
        [
            "concern",
            "open",
            "--project",
            "lr",
            "--by",
            "sw",
            "--against",
            "sw",
            "--about",
            "duty:report",
            "--text",
            "X",
        ],
        add(
            "concerns",
            {
                "key": "C-3",
                "project": "lr",
                "by": "sw",
                "against": "sw",
                "about": "duty:report",
                "text": "X",
                "opened": "2024-03-01",
            },
        ),
        "concerns[2].against",
        "'sw' cannot raise a concern against itself; --against names the other party",
    ),
    "satisfaction outside 1-5": (
        ["concern", "resolve", "C-1", "--outcome", "Done", "--satisfaction", "7"],
        add_to("concerns", 0, "steps", {"step": "resolve", "at": "2024-03-05", "text": "Done", "satisfaction": 7}),
        "concerns[0].steps[0].satisfaction",
        "--satisfaction must be from 1 to 5 (got 7)",
    ),
    "resolving without an outcome": (
        ["concern", "resolve", "C-1", "--satisfaction", "4"],
        add_to("concerns", 0, "steps", {"step": "resolve", "at": "2024-03-05", "satisfaction": 4}),
        "concerns[0].steps[0].text",
        "resolving needs the outcome: --outcome TEXT",
    ),
    "escalating a resolved concern": (
        ["concern", "escalate", "C-2", "--reason", "Again"],
        add_to("concerns", 1, "steps", {"step": "escalate", "at": "2024-03-06", "to": "street", "text": "Again"}),
        "concerns[1].steps[1]",
        "concern C-2 was resolved on 2024-03-05; reopen it first: coord concern reopen C-2 --reason TEXT",
    ),
    "goal only spaces": (
        ["agreement", "goal", "add", "AGR-1", "   "],
        add_to("agreements", 0, "goals", "   "),
        "agreements[0].goals[1].text",
        "text must not be empty",
    ),
}


def write(path: Path, workspace: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(workspace, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def based(ws: Workspace, isolated: Path) -> Workspace:
    result = run_coord("apply", str(write(isolated / "base.yaml", BASE)))
    assert result.exit_code == 0, result.stderr
    return ws


@pytest.mark.parametrize("case", list(CASES))
def test_a_refusal_of_the_command_line_is_a_refusal_of_apply_and_validate(
    based: Workspace, isolated: Path, case: str
) -> None:
    argv, edit, path, message = CASES[case]
    before = based.snapshot()
    result = run_coord(*argv)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n"), case
    workspace = copy.deepcopy(BASE)
    edit(workspace)
    bad = write(isolated / "case.yaml", workspace)
    line = re.compile(rf"Error: case\.yaml:\d+:\d+: {re.escape(path)}: {re.escape(message)}\n")
    for command in ("apply", "validate"):
        result = run_coord(command, bad.name)
        assert result.exit_code == 2, (case, command, result.stderr)
        assert line.fullmatch(result.stderr), (case, command, result.stderr)
    assert based.snapshot() == before
