"""Concerns between parties: the clock, escalation up the responsibility chain with time and reason at every
step (in ``concern show`` and in ``coord log``), resolution, refusals, settings, the check, and files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Workspace, ok, run_coord

BASE: dict[str, Any] = {
    "version": 1,
    "stakeholders": [
        {"key": key, "name": key.title(), "kind": "other"}
        for key in ("raiser", "target", "resp", "acct", "lead", "district")
    ],
    "projects": [{"key": "p", "name": "P", "start": "2024-01-01", "end": "2024-12-31", "lead": "lead"}],
    "duties": [
        {
            "project": "p",
            "key": "venue",
            "title": "Provide the square",
            "assignments": [{"as": "R", "stakeholder": "resp"}, {"as": "A", "stakeholder": "acct"}],
        }
    ],
    "agreements": [
        {
            "key": "AGR-1",
            "project": "p",
            "title": "Market",
            "effective": "2024-01-01",
            "parties": [{"stakeholder": "raiser"}, {"stakeholder": "target"}],
            "obligations": [{"party": "target", "text": "Lend the square"}],
        }
    ],
}
OPEN = [
    "concern",
    "open",
    "--project",
    "p",
    "--by",
    "raiser",
    "--against",
    "target",
    "--about",
    "duty:venue",
    "--severity",
    "high",
    "--text",
    "The square was closed on market day",
    "--on",
    "2024-03-01",
]


@pytest.fixture
def based(ws: Workspace, isolated: Path) -> Workspace:
    (isolated / "base.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    result = run_coord("apply", "base.yaml")
    assert result.exit_code == 0, result.stderr
    (isolated / "coord.toml").write_text('[concerns]\nescalate_to = "district"\n')
    return ws


@pytest.fixture
def opened(based: Workspace) -> Workspace:
    result = run_coord(*OPEN)
    assert (result.exit_code, result.stderr) == (0, "Opened concern C-0001: 'target' holds it.\n")
    return based


def escalate(on: str) -> tuple[int, str]:
    result = run_coord("concern", "escalate", "C-0001", "--on", on, "--by", "Ms Raiser")
    return result.exit_code, result.stderr


def test_escalation_walks_the_chain_r_a_lead_named(opened: Workspace) -> None:
    """High severity: acknowledge within 1 day, respond within 5, from when the holder got it."""
    assert escalate("2024-03-04") == (0, "Escalated concern C-0001 to 'resp' (responsible): ack-overdue.\n")
    assert escalate("2024-03-07") == (0, "Escalated concern C-0001 to 'acct' (accountable): ack-overdue.\n")
    ok("concern", "ack", "C-0001", "--by", "Mr Acct", "--on", "2024-03-08")
    assert escalate("2024-03-13") == (0, "Escalated concern C-0001 to 'lead' (lead): response-overdue.\n")
    assert escalate("2024-03-15") == (0, "Escalated concern C-0001 to 'district' (named): ack-overdue.\n")
    before = opened.snapshot()
    assert escalate("2024-03-17") == (
        2,
        "Error: concern C-0001 has reached the top of its ladder (target, resp, acct, lead, district); name a party "
        'above them in coord.toml: [concerns] escalate_to = "KEY"\n',
    )
    assert opened.snapshot() == before
    shown = ok("concern", "show", "C-0001", "--on", "2024-03-17")
    for line in (
        "2024-03-01 · opened by 'raiser' against 'target'",
        "2024-03-04 · escalate · to resp (responsible) · ack-overdue · by Ms Raiser",
        "2024-03-07 · escalate · to acct (accountable) · ack-overdue · by Ms Raiser",
        "2024-03-08 · ack · by Mr Acct",
        "2024-03-13 · escalate · to lead (lead) · response-overdue · by Ms Raiser",
        "2024-03-15 · escalate · to district (named) · ack-overdue · by Ms Raiser",
        "acknowledgement 1 day overdue (due 2024-03-16)",
    ):
        assert line in shown, line
    data = json.loads(ok("concern", "show", "C-0001", "-f", "json", "--on", "2024-03-17"))
    assert (data["holder"], data["level"], data["status"], data["clock"]) == (
        "district",
        4,
        "open",
        "acknowledgement 1 day overdue (due 2024-03-16)",
    )
    log = json.loads(ok("log", "C-0001", "-f", "json"))
    assert [event["action"] for event in log] == [
        "concern.escalate",
        "concern.escalate",
        "concern.ack",
        "concern.escalate",
        "concern.escalate",
        "concern.open",
    ]
    steps = [event["after"]["steps"][-1] for event in log if event["action"] == "concern.escalate"]
    assert [(s["to"], s["rung"], s["cause"], s["at"][:10]) for s in reversed(steps)] == [
        ("resp", "responsible", "ack-overdue", data["steps"][0]["at"][:10]),
        ("acct", "accountable", "ack-overdue", data["steps"][1]["at"][:10]),
        ("lead", "lead", "response-overdue", data["steps"][3]["at"][:10]),
        ("district", "named", "ack-overdue", data["steps"][4]["at"][:10]),
    ]
    assert all(s["at"].endswith("Z") for s in steps)


def test_escalating_in_time_needs_a_reason(opened: Workspace) -> None:
    before = opened.snapshot()
    early = run_coord("concern", "escalate", "C-0001", "--on", "2024-03-02")
    assert (early.exit_code, early.stderr) == (
        2,
        "Error: concern C-0001 is within its deadlines (acknowledge by 2024-03-02); say why it goes up: --reason TEXT\n",
    )
    assert opened.snapshot() == before
    ok("concern", "escalate", "C-0001", "--on", "2024-03-02", "--reason", "The market is tomorrow")
    step = json.loads(ok("concern", "show", "C-0001", "-f", "json"))["steps"][-1]
    assert (step["to"], step["rung"], step["cause"], step["text"]) == (
        "resp",
        "responsible",
        "requested",
        "The market is tomorrow",
    )


def test_respond_resolve_reopen(opened: Workspace) -> None:
    ok("concern", "ack", "C-0001", "--on", "2024-03-02")
    ok("concern", "respond", "C-0001", "--text", "We will share a schedule", "--on", "2024-03-04")
    listed = json.loads(ok("concern", "list", "--project", "p", "--on", "2024-03-20", "-f", "json"))
    assert [(c["key"], c["status"], c["holder"], c["age_days"], c["clock"]) for c in listed] == [
        ("C-0001", "responded", "target", 19, "")
    ]
    resolved = run_coord(
        "concern", "resolve", "C-0001", "--outcome", "A written schedule", "--satisfaction", "4", "--on", "2024-03-10"
    )
    assert (resolved.exit_code, resolved.stderr) == (0, "Concern C-0001 resolved: resolved, held by 'target'.\n")
    data = json.loads(ok("concern", "show", "C-0001", "-f", "json"))
    assert (data["status"], data["outcome"], data["satisfaction"], data["age_days"]) == (
        "resolved",
        "A written schedule",
        4,
        9,
    )
    ok("concern", "reopen", "C-0001", "--reason", "Closed again", "--on", "2024-04-13")
    listed = json.loads(ok("concern", "list", "--status", "pending", "--on", "2024-04-15", "-f", "json"))
    assert [(c["status"], c["clock"]) for c in listed] == [("open", "acknowledgement 1 day overdue (due 2024-04-14)")]
    assert json.loads(ok("concern", "list", "--status", "resolved", "-f", "json")) == []


REFUSALS: dict[str, tuple[list[str], str]] = {
    "satisfaction outside 1-5": (
        ["concern", "resolve", "C-0001", "--outcome", "Settled", "--satisfaction", "7"],
        "--satisfaction must be from 1 to 5 (got 7)",
    ),
    "resolving without an outcome": (
        ["concern", "resolve", "C-0001", "--satisfaction", "4"],
        "resolving needs the outcome: --outcome TEXT",
    ),
    "resolving without a satisfaction": (
        ["concern", "resolve", "C-0001", "--outcome", "Settled"],
        "resolving needs the raising party's satisfaction: --satisfaction 1-5",
    ),
    "escalating a resolved concern": (
        ["concern", "escalate", "C-0002", "--reason", "Again"],
        "concern C-0002 was resolved on 2024-03-05; reopen it first: coord concern reopen C-0002 --reason TEXT",
    ),
    "acknowledging a resolved concern": (
        ["concern", "ack", "C-0002"],
        "concern C-0002 was resolved on 2024-03-05; reopen it first: coord concern reopen C-0002 --reason TEXT",
    ),
    "reopening an open concern": (
        ["concern", "reopen", "C-0001", "--reason", "x"],
        "concern C-0001 is open, not resolved; only a resolved concern can be reopened",
    ),
    "a step before the one before it": (
        ["concern", "ack", "C-0001", "--on", "2024-02-28"],
        "concern C-0001: a step on 2024-02-28 cannot come before the step before it (2024-03-01)",
    ),
    "a step in the future": (
        ["concern", "ack", "C-0001", "--on", "2999-01-01"],
        "--on 2999-01-01 is in the future; record what has happened",
    ),
    "a time that is not one": (
        ["concern", "ack", "C-0001", "--on", "yesterday"],
        "--on 'yesterday' is not a date or a time; use 2024-03-12, 2024-03-12 09:30 or 2024年3月12日",
    ),
    "unknown concern": (["concern", "ack", "C-0003"], "no concern 'C-0003'; did you mean 'C-0002'?"),
    "unknown party": ([*OPEN[:5], "nobody", *OPEN[6:]], "no stakeholder 'nobody'"),
    "against itself": (
        [*OPEN[:7], "raiser", *OPEN[8:]],
        "'raiser' cannot raise a concern against itself; --against names the other party",
    ),
    "about nothing known": (
        [*OPEN[:9], "venue", *OPEN[10:]],
        "--about 'venue' names nothing a concern can be about; use duty:KEY, agreement:KEY, "
        "obligation:AGREEMENT/N or resource:TEXT",
    ),
    "about an unknown duty": (
        [*OPEN[:9], "duty:venu", *OPEN[10:]],
        "no duty 'venu' in project 'p'; did you mean 'venue'?",
    ),
    "about an obligation that is not there": (
        [*OPEN[:9], "obligation:AGR-1/3", *OPEN[10:]],
        "AGR-1 has 1 obligation(s); there is no obligation 3 (see coord agreement obligation list AGR-1)",
    ),
    "a severity that is not one": (
        [*OPEN[:11], "urgent", *OPEN[12:]],
        "severity 'urgent' is not one of: low, medium, high",
    ),
    "a concern without its text": (OPEN[:12] + OPEN[14:], "a concern needs --text"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_are_one_line_exit_2_store_unchanged(opened: Workspace, case: str) -> None:
    ok(
        "concern",
        "open",
        "--project",
        "p",
        "--by",
        "raiser",
        "--against",
        "target",
        "--about",
        "resource:the square",
        "--text",
        "Again",
        "--on",
        "2024-03-01",
    )
    ok("concern", "resolve", "C-0002", "--outcome", "Shared", "--satisfaction", "3", "--on", "2024-03-05")
    argv, message = REFUSALS[case]
    before = opened.snapshot()
    result = run_coord(*argv)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    assert opened.snapshot() == before


def test_the_overdue_concern_check_and_its_settings(opened: Workspace, isolated: Path) -> None:
    def found(on: str) -> list[str]:
        out = run_coord("check", "--project", "p", "--on", on, "--select", "overdue-concern", "-f", "json").stdout
        return [f["message"] for f in json.loads(out)["findings"]]

    assert found("2024-03-02") == []
    assert found("2024-03-04") == [
        "concern C-0001 (high, about duty:venue) was not acknowledged by 'target' by 2024-03-02 (2 days overdue)"
    ]
    ok("concern", "ack", "C-0001", "--on", "2024-03-04")
    assert found("2024-03-06") == []
    assert found("2024-03-07") == [
        "concern C-0001 (high, about duty:venue) has had no response from 'target' by 2024-03-06 (1 day overdue)"
    ]
    (isolated / "coord.toml").write_text("[concerns]\nresponse_days = {high = 10}\n")
    assert found("2024-03-07") == []
    ok("concern", "respond", "C-0001", "--text", "On it", "--on", "2024-03-08")
    assert found("2024-06-01") == []


CONFIG_ERRORS = {
    "[concerns]\nack_days = {urgent = 1}\n": "unknown severity 'concerns.ack_days.urgent'; severities: low, medium, high",
    "[concerns]\nack_days = {high = -1}\n": "concerns.ack_days.high must be a whole number of days, 0 or more (got -1)",
    "[concerns]\nack_days = {high = 2.5}\n": "concerns.ack_days.high must be a whole number of days, 0 or more (got 2.5)",
    "[concerns]\nresponse_days = {high = 0}\n": "concerns.response_days.high (0) is shorter than concerns.ack_days.high "
    "(1); a response cannot be due before the acknowledgement",
    "[concerns]\nescalate_to = 5\n": 'concerns.escalate_to must be a stakeholder key such as "liede-street" (got 5)',
    "[concerns]\nack_day = {high = 1}\n": "unknown setting 'concerns.ack_day'; did you mean 'ack_days'?",
    "concerns = 3\n": "'concerns' must be a section: write [concerns] on a line of its own, then its settings",
    "[check]\nsilent_days = '60'\n": "check.silent_days must be a whole number (got '60')",
}


@pytest.mark.parametrize("content", list(CONFIG_ERRORS))
def test_bad_settings_are_one_line_naming_file_and_setting(opened: Workspace, isolated: Path, content: str) -> None:
    (isolated / "coord.toml").write_text(content)
    result = run_coord("concern", "list")
    assert (result.exit_code, result.stderr) == (2, f"Error: {isolated / 'coord.toml'}: {CONFIG_ERRORS[content]}\n")


def test_an_unknown_named_party_is_refused_when_it_is_needed(opened: Workspace, isolated: Path) -> None:
    (isolated / "coord.toml").write_text('[concerns]\nescalate_to = "distrct"\n')
    result = run_coord("concern", "escalate", "C-0001", "--on", "2024-03-04")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: coord.toml: concerns.escalate_to names no stakeholder 'distrct'; add it or name another\n",
    )


def test_concerns_in_files_append_steps_and_refuse_changes(opened: Workspace, isolated: Path) -> None:
    ok("concern", "ack", "C-0001", "--by", "Mr Target", "--on", "2024-03-02")
    exported = yaml.safe_load(ok("export"))
    concern = exported["concerns"][0]
    assert concern["steps"] == [{"step": "ack", "at": concern["steps"][0]["at"], "by": "Mr Target"}]
    concern["steps"].append({"step": "respond", "at": "2024-03-04T10:00:00+08:00", "text": "We share the square"})
    (isolated / "more.yaml").write_text(yaml.safe_dump(exported, allow_unicode=True, sort_keys=False), encoding="utf-8")
    applied = run_coord("apply", "more.yaml")
    assert applied.exit_code == 0, applied.stderr
    assert "~ concern C-0001" in applied.stdout
    data = json.loads(ok("concern", "show", "C-0001", "-f", "json"))
    assert (data["status"], data["steps"][-1]["at"]) == ("responded", "2024-03-04T02:00:00Z")
    before = opened.snapshot()
    concern["steps"][0]["by"] = "Somebody else"
    (isolated / "more.yaml").write_text(yaml.safe_dump(exported, allow_unicode=True, sort_keys=False), encoding="utf-8")
    refused = run_coord("apply", "more.yaml")
    assert (refused.exit_code, refused.stderr.splitlines()[-1]) == (
        2,
        "Error: concern 'C-0001': its particulars and recorded steps never change; add new steps after them",
    )
    assert opened.snapshot() == before
    concern["steps"][0]["by"] = "Mr Target"
    concern["steps"].append({"step": "resolve", "at": "2024-03-05", "text": "Settled", "satisfaction": 9})
    (isolated / "more.yaml").write_text(yaml.safe_dump(exported, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for command in ("apply", "validate"):
        bad = run_coord(command, "more.yaml")
        assert bad.exit_code == 2
        assert bad.stderr.endswith(": concerns[0].steps[2].satisfaction: --satisfaction must be from 1 to 5 (got 9)\n")
    assert opened.snapshot() == before


def test_an_obligation_escalates_to_the_party_it_binds(based: Workspace) -> None:
    ok(
        "concern",
        "open",
        "--project",
        "p",
        "--by",
        "raiser",
        "--against",
        "acct",
        "--about",
        "obligation:AGR-1/1",
        "--text",
        "The square was not lent",
        "--on",
        "2024-03-01",
    )
    result = run_coord("concern", "escalate", "C-0001", "--on", "2024-03-10")
    assert result.stderr == "Escalated concern C-0001 to 'target' (responsible): ack-overdue.\n"
    ok(
        "concern",
        "open",
        "--project",
        "p",
        "--by",
        "raiser",
        "--against",
        "target",
        "--about",
        "agreement:AGR-1",
        "--text",
        "The agreement is not kept",
        "--on",
        "2024-03-01",
    )
    result = run_coord("concern", "escalate", "C-0002", "--on", "2024-03-10")
    assert result.stderr == "Escalated concern C-0002 to 'lead' (lead): ack-overdue.\n"


def test_the_rules_of_a_concern_as_plain_functions() -> None:
    from coordkit.domain.concerns import (
        About,
        State,
        clock,
        escalation_chain,
        moment,
        next_rung,
        parse_about,
    )

    assert parse_about("duty：market-venue") == About("duty", "market-venue")
    assert parse_about("obligation:AGR-2024-002/5") == About("obligation", "AGR-2024-002", 5)
    assert str(parse_about("resource: the square ")) == "resource:the square"
    assert moment("2024-03-11T10:00:00+08:00", "--on") == "2024-03-11T02:00:00Z"
    state = State(status="open", holder="b", level=0, clock_from=moment("2024-03-11", "--on"))  # noon, local time
    assert clock(state, ack_days=1, response_days=5, on="2024-03-12") == ("ack", "2024-03-12", 0)
    assert clock(state, ack_days=1, response_days=5, on="2024-03-15") == ("ack", "2024-03-12", 3)
    acknowledged = State(status="acknowledged", holder="b", level=0, clock_from=state.clock_from, acknowledged="x")
    assert clock(acknowledged, ack_days=1, response_days=5, on="2024-03-17") == ("response", "2024-03-16", 1)
    chain = escalation_chain(responsible=["r"], accountable=["a", "b"], lead="l", named="n")
    assert chain == [("r", "responsible"), ("a", "accountable"), ("b", "accountable"), ("l", "lead"), ("n", "named")]
    assert next_rung(chain, raised_by="a", held=["b", "r"]) == ("l", "lead")
    assert next_rung(chain, raised_by="a", held=["b", "r", "l", "n"]) is None
