"""Team stores (issue 20): PostgreSQL decides who may do what, with real login roles.

Each test makes the store as the ``postgres`` superuser (the store's owner), adds
members, then acts through coord and through raw SQL on each member's own
connection. Login roles start with ``ct_`` and this database's name and are dropped afterwards (roles are
cluster-wide); the group roles are named after this test database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, ok, reset_postgres, run_coord

KEY = "AGR-2024-001"
# roles are cluster-wide: the logins carry this database's name, so runs on other databases never meet them
_DB = make_url(PG_URL).database if PG_URL else "none"
BOSS, SW, VIEW = (f"ct_{_DB}_{who}" for who in ("boss", "sw", "view"))
LOGINS = (BOSS, SW, VIEW)
SETUP = [
    ["stakeholder", "add", "liede-street", "--name", "Liede Street Office", "--kind", "government", "--rep", "Li Ming"],
    [
        "stakeholder",
        "add",
        "liede-sw",
        "--name",
        "Social Work Station",
        "--kind",
        "social-organisation",
        "--rep",
        "Chen",
    ],
    ["project", "add", "lr", "--name", "Liede Renjia"],
    [
        "agreement",
        "new",
        "--title",
        "Services",
        "--party",
        "liede-street",
        "--party",
        "liede-sw",
        "--effective",
        "2024-03-01",
    ],
    ["agreement", "goal", "add", KEY, "Serve the residents"],
    ["agreement", "circulate", KEY],
]


def as_login(login: str) -> str:
    assert PG_URL
    return make_url(PG_URL).set(username=login, password="pw-" + login).render_as_string(hide_password=False)


def drop_logins() -> None:
    """This test database's login roles and group roles (run after its schema is dropped: nothing is granted them)."""
    assert PG_URL
    from coordkit.storage.team import group_roles

    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for login in (*LOGINS, *group_roles(_DB).values()):
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
    engine.dispose()


@pytest.fixture
def team(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A circulating two-party agreement in a team store; BOSS coordinates, SW acts for liede-sw."""
    if not PG_URL:
        pytest.skip("COORD_TEST_DATABASE_URL is not set (no PostgreSQL to test)")
    reset_postgres(PG_URL)
    drop_logins()
    monkeypatch.setenv("COORD_DATABASE_URL", PG_URL)
    made = run_coord("init", "--team")
    assert made.exit_code == 0, made.stderr
    assert f"Team store: group roles coord_coordinator_{_DB}, coord_party_{_DB} and" in made.stderr
    for args in SETUP:
        ok(*args)
    added = run_coord("member", "add", BOSS, "--as", "coordinator", "--password", input=f"pw-{BOSS}\npw-{BOSS}\n")
    assert (added.exit_code, added.stderr) == (0, f"Added {BOSS} as a coordinator.\n")
    ok("member", "add", SW, "--as", "party", "--party", "liede-sw")
    ok("member", "add", VIEW, "--as", "viewer")
    try:
        yield PG_URL
    finally:
        reset_postgres(PG_URL)
        drop_logins()


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    assert PG_URL
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        found = {n: sorted(map(str, conn.execute(text(f'SELECT * FROM "{n}"')))) for n in sorted(names)}
    engine.dispose()
    return found


def raw(login: str, sql: str) -> str:
    """Run ``sql`` on ``login``'s own connection; the database's refusal, or '' when it went through."""
    engine = create_engine(as_login(login).replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
        return ""
    except Exception as error:  # the refusal itself is what is tested
        return str(getattr(error, "orig", error)).splitlines()[0]
    finally:
        engine.dispose()


def as_member(login: str, *args: str) -> Any:
    return run_coord("--db", as_login(login), *args)


def test_a_party_member_may_not_sign_for_another_party(team: str) -> None:
    before = snapshot()
    result = as_member(SW, "agreement", "sign", KEY, "--party", "liede-street")
    assert (result.exit_code, result.stderr) == (2, f"Error: {SW} may not sign for liede-street\n")
    assert snapshot() == before
    refusal = raw(
        SW,
        "INSERT INTO signature (version_id, stakeholder_id, signatory, signed_on, method, terms_hash, recorded_at) "
        "SELECT v.id, s.id, 'x', '2024-03-01', 'signature', v.terms_hash, 'now' FROM agreement_version v, "
        "stakeholder s WHERE s.key = 'liede-street'",
    )
    assert refusal == 'new row violates row-level security policy for table "signature"'
    assert snapshot() == before


def test_a_party_member_signs_for_its_own_party_and_the_coordinator_for_the_other(team: str) -> None:
    ok("--db", as_login(SW), "agreement", "sign", KEY, "--party", "liede-sw")
    ok("--db", as_login(BOSS), "agreement", "sign", KEY, "--party", "liede-street")
    doc = json.loads(ok("agreement", "show", KEY, "-f", "json"))
    assert doc["status"] == "signed"
    assert json.loads(ok("verify", "-f", "json"))["problems"] == []


def test_the_last_signature_by_a_party_member_makes_the_agreement_signed(team: str) -> None:
    ok("--db", as_login(BOSS), "agreement", "sign", KEY, "--party", "liede-street")
    ok("--db", as_login(SW), "agreement", "sign", KEY, "--party", "liede-sw")
    assert json.loads(ok("agreement", "show", KEY, "-f", "json"))["status"] == "signed"
    assert json.loads(ok("verify", "-f", "json"))["problems"] == []


def test_a_party_member_edits_its_own_party_and_not_another(team: str) -> None:
    ok("--db", as_login(SW), "stakeholder", "edit", "liede-sw", "--address", "1 Liede Road")
    before = snapshot()
    result = as_member(SW, "stakeholder", "edit", "liede-street", "--address", "Elsewhere")
    assert (result.exit_code, result.stderr) == (2, f"Error: {SW} may not edit liede-street\n")
    assert raw(SW, "UPDATE stakeholder SET address = 'x' WHERE key = 'liede-street'") == (
        'new row violates row-level security policy for table "stakeholder"'
    )
    result = as_member(SW, "stakeholder", "edit", "liede-sw", "--influence", "5")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {SW} may not edit liede-sw: a party member changes only its name, address, legal representative"
        " and registration number, contacts and representatives\n",
    )
    result = as_member(SW, "stakeholder", "edit", "liede-sw", "--influence", "5", "--lang", "zh")
    assert (result.exit_code, result.stderr) == (  # the guard's reason in the reader's language too
        2,
        f"错误：{SW} 无权修改 liede-sw：协议方成员只能修改本单位的名称、地址、法定代表人、统一社会信用代码、联系方式和代表\n",
    )
    raw(
        SW,
        "DELETE FROM representative WHERE stakeholder_id = (SELECT id FROM stakeholder WHERE key = 'liede-street')",
    )
    assert snapshot() == before


def test_only_a_coordinator_terminates(team: str) -> None:
    ok("--db", as_login(SW), "agreement", "sign", KEY, "--party", "liede-sw")
    ok("--db", as_login(BOSS), "agreement", "sign", KEY, "--party", "liede-street")
    before = snapshot()
    result = as_member(SW, "agreement", "terminate", KEY, "--reason", "no longer needed")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {SW} may not make this change in the team store "
        "(permission denied for table agreement_version); nothing was changed\n"
    )
    assert raw(SW, "UPDATE agreement_version SET status = 'terminated'") == (
        "coord: a party member changes an agreement version only by signing it"
    )
    assert snapshot() == before
    assert raw(BOSS, "DELETE FROM event") == "permission denied for table event"  # history stays, for everyone
    ok("--db", as_login(BOSS), "stakeholder", "edit", "liede-sw", "--influence", "4")
    ok("--db", as_login(BOSS), "agreement", "terminate", KEY, "--reason", "no longer needed")
    assert json.loads(ok("agreement", "show", KEY, "-f", "json"))["status"] == "terminated"


def test_a_party_member_raises_concerns_of_its_own_party_and_answers_those_it_holds(team: str) -> None:
    about = f"agreement:{KEY}"
    ok(
        "--db",
        as_login(SW),
        "concern",
        "open",
        "--by",
        "liede-sw",
        "--against",
        "liede-street",
        "--about",
        about,
        "--text",
        "The hall was locked",
    )
    before = snapshot()
    result = as_member(
        SW, "concern", "open", "--by", "liede-street", "--against", "liede-sw", "--about", about, "--text", "x"
    )
    assert (result.exit_code, result.stderr) == (2, f"Error: {SW} may not raise a concern for liede-street\n")
    assert snapshot() == before
    ok(
        "--db",
        as_login(BOSS),
        "concern",
        "open",
        "--by",
        "liede-street",
        "--against",
        "liede-sw",
        "--about",
        about,
        "--text",
        "Report late",
        "--key",
        "C-0100",
    )
    ok("--db", as_login(SW), "concern", "ack", "C-0100")
    ok("--db", as_login(SW), "concern", "respond", "C-0100", "--text", "Sent today")
    shown = json.loads(ok("concern", "show", "C-0100", "-f", "json"))
    assert [step["step"] for step in shown["steps"]] == ["ack", "respond"]


def test_a_viewer_reads_and_writes_nothing(team: str) -> None:
    before = snapshot()
    assert "liede-sw" in ok("--db", as_login(VIEW), "stakeholder", "list")
    result = as_member(VIEW, "stakeholder", "edit", "liede-sw", "--address", "x")
    assert (result.exit_code, result.stderr) == (2, f"Error: {VIEW} may not edit liede-sw\n")
    result = as_member(VIEW, "project", "add", "other", "--name", "Other")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {VIEW} may not make this change in the team store (permission denied")
    for sql in (
        "UPDATE stakeholder SET address = 'x'",
        "INSERT INTO project (key, name) VALUES ('p', 'P')",
        "DELETE FROM contact",
        "UPDATE coord_meta SET value = 'x'",
    ):
        assert raw(VIEW, sql).startswith("permission denied for table"), sql
    assert snapshot() == before


def test_every_event_names_the_role_that_connected_whatever_coord_user_says(
    team: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COORD_USER", "liede-street-director")
    ok("--db", as_login(SW), "stakeholder", "edit", "liede-sw", "--address", "1 Liede Road")
    ok("--db", as_login(BOSS), "project", "add", "other", "--name", "Other")
    events = json.loads(ok("log", "-f", "json", "--limit", "2"))
    assert [(e["actor"], e["action"]) for e in events] == [(BOSS, "project.add"), (SW, "stakeholder.edit")]
    assert {e["actor"] for e in json.loads(ok("log", "-f", "json"))} == {"postgres", SW, BOSS}
    forged = raw(
        SW,
        "INSERT INTO event (at, actor, action, entity, key, prev_hash, hash) "
        f"VALUES ('now', '{BOSS}', 'x', 'x', 'x', 'x', 'x')",
    )
    assert forged == f"coord: the actor of an event is the connected role {SW}, not {BOSS}"
    assert json.loads(ok("verify", "-f", "json"))["problems"] == []


def test_members_are_listed_and_removed(team: str) -> None:
    listed = json.loads(ok("member", "list", "-f", "json"))
    assert listed == [
        {"login": BOSS, "kind": "coordinator", "party": None},
        {"login": SW, "kind": "party", "party": "liede-sw"},
        {"login": VIEW, "kind": "viewer", "party": None},
    ]
    removed = run_coord("member", "remove", VIEW)
    assert (removed.exit_code, removed.stderr) == (0, f"Removed {VIEW} from the members.\n")
    result = as_member(VIEW, "stakeholder", "list")  # without its group role the schema is out of sight
    shown = make_url(as_login(VIEW)).set(drivername="postgresql+psycopg").render_as_string()
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: the database {shown} holds no coord store; run 'coord init' to make one\n",
    )
    result = run_coord("member", "add", SW, "--as", "viewer")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: '{SW}' is already a member; remove it first to change it\n",
    )
    result = as_member(BOSS, "member", "add", VIEW, "--as", "viewer")
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {BOSS} may not make this change")


def test_sqlite_has_no_team_store(sqlite_ws: Any) -> None:
    result = run_coord("init", "--team")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --team needs a PostgreSQL store (COORD_DATABASE_URL or --db postgresql://…); nothing was made\n",
    )
    for args in (["member", "list"], ["member", "add", SW, "--as", "viewer", "--password"]):
        result = run_coord(*args)  # refused before any password is asked for
        assert (result.exit_code, result.stderr) == (
            2,
            "Error: members need a team store on PostgreSQL; this store is a SQLite file\n",
        )


def test_a_team_store_backs_up_to_a_sqlite_file_with_its_actors(team: str) -> None:
    ok("--db", as_login(SW), "agreement", "sign", KEY, "--party", "liede-sw")
    ok("backup", "-o", "team.zip")
    restored = run_coord("restore", "team.zip", "--to", "laptop")
    assert restored.exit_code == 0, restored.stderr
    events = json.loads(ok("--db", "laptop", "log", "-f", "json", "--limit", "1"))
    assert [(e["actor"], e["action"]) for e in events] == [(SW, "agreement.sign")]
    assert json.loads(ok("--db", "laptop", "verify", "-f", "json"))["problems"] == []


def test_the_row_level_security_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m bench.team`` end to end at a tiny scale (its figures are not asserted)."""
    if not PG_URL:
        pytest.skip("COORD_TEST_DATABASE_URL is not set (no PostgreSQL to test)")
    from bench.team import main

    try:
        medians = main(["--url", PG_URL, "--parties", "3", "--operations", "2", "--rounds", "1"])
    finally:
        reset_postgres(PG_URL)
        drop_logins()
    assert sorted(medians) == ["read off", "read on", "write off", "write on"]
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| figure (3 parties, party member's connection) | RLS on (ms) | RLS off (ms) | on/off |"
    assert [line.split("|")[1].strip() for line in lines[2:]] == ["write", "read"]


def test_an_older_postgresql_store_migrates_and_becomes_a_team_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store of schema 4 keeps its events (and the names they were recorded with) and turns into a team store."""
    if not PG_URL:
        pytest.skip("COORD_TEST_DATABASE_URL is not set (no PostgreSQL to test)")
    from coordkit.storage.events import GENESIS, event_hash
    from coordkit.storage.migrations import migrate

    reset_postgres(PG_URL)
    drop_logins()
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        migrate(conn, 0, upto=4)
        fields = {"at": "2024-01-01T00:00:00.000000Z", "actor": "wang", "action": "note", "entity": "store"}
        fields |= {"key": "old", "before": None, "after": None}
        digest = event_hash(GENESIS, fields)
        conn.execute(
            text(
                "INSERT INTO event (at, actor, action, entity, key, prev_hash, hash) "
                "VALUES (:at, :actor, :action, :entity, :key, :prev, :hash)"
            ),
            {**fields, "prev": GENESIS, "hash": digest},
        )
        conn.execute(text("UPDATE coord_meta SET value = :h WHERE key = 'event_head'"), {"h": digest})
    engine.dispose()
    monkeypatch.setenv("COORD_DATABASE_URL", PG_URL)
    try:
        ok("stakeholder", "add", "liede-sw", "--name", "Social Work Station", "--kind", "social-organisation")
        assert [e["actor"] for e in json.loads(ok("log", "-f", "json"))] == ["postgres", "wang"]
        made = run_coord("init", "--team")
        assert made.stderr.startswith("Team store: group roles coord_coordinator_test")
        ok("member", "add", SW, "--as", "party", "--party", "liede-sw")
        ok("--db", as_login(SW), "stakeholder", "edit", "liede-sw", "--address", "1 Liede Road")
        assert [e["actor"] for e in json.loads(ok("log", "-f", "json"))] == [
            SW,
            "postgres",
            "postgres",
            "postgres",
            "wang",
        ]
        assert json.loads(ok("verify", "-f", "json"))["problems"] == []
    finally:
        reset_postgres(PG_URL)
        drop_logins()


def test_a_party_member_reports_on_its_own_obligations_only(team: str) -> None:
    """Fulfilment of an obligation is recorded by the party it obliges (or a coordinator), through coord and
    through its own connection alike."""
    key = "AGR-2024-002"
    ok(
        "agreement",
        "new",
        "--title",
        "Reports",
        "--party",
        "liede-street",
        "--party",
        "liede-sw",
        "--effective",
        "2024-03-01",
    )
    ok("agreement", "obligation", "add", key, "Pay for the services", "--party", "liede-street", "--due", "2024-04-30")
    ok("agreement", "obligation", "add", key, "Report every quarter", "--party", "liede-sw", "--due", "2024-05-31")
    ok("agreement", "circulate", key)
    ok("agreement", "sign", key, "--party", "liede-street")
    ok("agreement", "sign", key, "--party", "liede-sw")
    before = snapshot()
    refused = as_member(SW, "obligation", "done", key, "1", "--on", "2024-04-28")
    assert (refused.exit_code, refused.stderr) == (2, f"Error: {SW} may not report on obligations of liede-street\n")
    assert snapshot() == before
    assert raw(
        SW,
        "INSERT INTO fulfilment (version_id, obligation, occurrence, status, on_date, recorded_at) "
        "SELECT id, 1, '2024-04-30', 'met', '2024-04-28', 'now' FROM agreement_version",
    ) == ('new row violates row-level security policy for table "fulfilment"')
    ok("--db", as_login(SW), "obligation", "done", key, "2", "--on", "2024-05-20")
    ok("--db", as_login(BOSS), "obligation", "done", key, "1", "--on", "2024-04-28")
    rows = json.loads(ok("obligation", "list", key, "--on", "2024-06-01", "-f", "json"))
    assert [(r["number"], r["status"]) for r in rows] == [(1, "met"), (2, "met")]
    assert json.loads(ok("verify", "-f", "json"))["problems"] == []


def test_a_party_member_rates_a_review_for_its_own_party_only(team: str) -> None:
    key = "AGR-2024-002"
    ok(
        "agreement",
        "new",
        "--title",
        "Reviews",
        "--party",
        "liede-street",
        "--party",
        "liede-sw",
        "--effective",
        "2024-03-01",
    )
    ok("agreement", "edit", key, "--review-every", "3m")
    ok("agreement", "goal", "add", key, "Review the cooperation")
    ok("agreement", "circulate", key)
    ok("agreement", "sign", key, "--party", "liede-street")
    ok("agreement", "sign", key, "--party", "liede-sw")
    ok("review", "open", key, "--on", "2024-06-01")
    ok("--db", as_login(SW), "review", "rate", "R-0001", "--party", "liede-sw", "--area", "trust", "--score", "4")
    ok("--db", as_login(SW), "review", "rate", "R-0001", "--party", "liede-sw", "--area", "trust", "--score", "5")
    before = snapshot()
    refused = as_member(SW, "review", "rate", "R-0001", "--party", "liede-street", "--area", "trust", "--score", "1")
    assert refused.exit_code == 2 and refused.stderr.startswith(f"Error: {SW} may not make this change")
    assert snapshot() == before
    shown = json.loads(ok("review", "show", "R-0001", "-f", "json"))
    assert [(r["party"], r["area"], r["score"]) for r in shown["ratings"]] == [("liede-sw", "trust", 5)]
