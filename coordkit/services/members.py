"""Members of a team store: database login roles, each a coordinator, a party member or a viewer.

Adding a member creates (or reuses) its login role and makes it a member of
its kind's group role; the grants and policies of ``storage.team`` then decide
what it may do. Only the store's owner (a role that may create roles) manages
members; a password is handed to PostgreSQL and never recorded in the history.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from coordkit.errors import AlreadyExists, InvalidInput, NotFound, Refused
from coordkit.i18n import _
from coordkit.storage import events
from coordkit.storage.sql import Conn, column, dialect, execute, rows, scalar
from coordkit.storage.team import KINDS, quote_ident, roles_of, team_enabled

LOGIN = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")


def require_team(conn: Conn) -> None:
    """Members need a team store: PostgreSQL, made with ``coord init --team``."""
    if dialect(conn) == "sqlite":
        raise Refused(_("members need a team store on PostgreSQL; this store is a SQLite file"))
    if not team_enabled(conn):
        raise Refused(_("this PostgreSQL store is not a team store yet; run: coord init --team"))


def check_login(login: str) -> str:
    if not LOGIN.fullmatch(login):
        raise InvalidInput(
            _("'{login}' is not a login name coord uses: lower-case letters, digits, _ . - (at most 63)").format(
                login=login
            )
        )
    return login


def add_member(
    conn: Conn, *, login: str, kind: str, party: str | None = None, password: str | None = None
) -> dict[str, Any]:
    """Map ``login`` to ``kind`` (and a party member to its party); creates the login role when missing."""
    require_team(conn)
    check_login(login)
    if kind not in KINDS:
        raise InvalidInput(_("--as {kind}: say coordinator, party or viewer").format(kind=kind))
    if (kind == "party") != (party is not None):
        raise InvalidInput(
            _("a party member needs --party PARTY") if kind == "party" else _("only a party member has --party")
        )
    sid = None
    if party is not None:
        from coordkit.storage.lookup import resolve_key

        party = resolve_key(conn, "stakeholder", party)  # its key, name or Chinese name
        sid = scalar(conn, "SELECT id FROM stakeholder WHERE key = :k", {"k": party})
        if sid is None:
            raise NotFound("stakeholder", party, scalar_keys(conn))
    if scalar(conn, "SELECT 1 FROM member WHERE login = :l", {"l": login}):
        raise AlreadyExists(_("'{login}' is already a member; remove it first to change it").format(login=login))
    secret = "" if password is None else " PASSWORD '" + password.replace("'", "''") + "'"
    if scalar(conn, "SELECT 1 FROM pg_roles WHERE rolname = :l", {"l": login}):
        if secret:
            execute(conn, f"ALTER ROLE {quote_ident(login)} WITH LOGIN{secret}")
    else:
        execute(conn, f"CREATE ROLE {quote_ident(login)} WITH LOGIN{secret}")
    execute(conn, f"GRANT {quote_ident(roles_of(conn)[kind])} TO {quote_ident(login)}")
    execute(
        conn,
        "INSERT INTO member (login, kind, stakeholder_id, added_at) VALUES (:l, :k, :s, :at)",
        {"l": login, "k": kind, "s": sid, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
    )
    found = {"login": login, "kind": kind, "party": party}
    events.record(conn, action="member.add", entity="member", key=login, after=found)
    return found


def scalar_keys(conn: Conn) -> list[str]:
    return [str(k) for k in column(conn, "SELECT key FROM stakeholder")]


def list_members(conn: Conn) -> list[dict[str, Any]]:
    require_team(conn)
    return [
        {"login": r.login, "kind": r.kind, "party": r.party}
        for r in rows(
            conn,
            "SELECT m.login, m.kind, s.key AS party FROM member m LEFT JOIN stakeholder s ON s.id = m.stakeholder_id "
            "ORDER BY m.login",
        )
    ]


def remove_member(conn: Conn, *, login: str) -> dict[str, Any]:
    """The login leaves its group role and the member list; the role itself stays (it may serve elsewhere)."""
    require_team(conn)
    found = next((m for m in list_members(conn) if m["login"] == login), None)
    if found is None:
        raise NotFound("member", login, [m["login"] for m in list_members(conn)])
    execute(conn, f"REVOKE {quote_ident(roles_of(conn)[found['kind']])} FROM {quote_ident(login)}")
    execute(conn, "DELETE FROM member WHERE login = :l", {"l": login})
    events.record(conn, action="member.remove", entity="member", key=login, before=found)
    return found
