"""Team stores: who may do what on a shared PostgreSQL store, enforced by PostgreSQL itself.

Three group roles per database (``coord_coordinator_<db>``, ``coord_party_<db>``,
``coord_viewer_<db>``) hold the grants; login roles join one of them and the
``member`` table maps each login to its kind and (for a party member) its party.
Row-level security restricts a party member to its own party's rows; triggers
guard what a policy cannot express (an event's actor is the connected role; a
party member changes an agreement version only by signing it). Whoever connects
with ``psql`` meets the same rules as ``coord``. SQLite stores have none of this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from coordkit.i18n import N_, _
from coordkit.storage.sql import Conn, dialect, execute, scalar

KINDS = ("coordinator", "party", "viewer")
SERVER_ONLY = frozenset({"member"})  # tables only a PostgreSQL store has (left out of backups)


@dataclass(frozen=True)
class Own:
    """Which rows of a table are a party member's: SQL conditions on a row (``coord_party_id()`` is its party).

    ``insert`` must hold for a row it adds; ``update`` (default: ``insert``) for a row as it changes it,
    and for a row it deletes.
    """

    insert: str
    update: str | None = None

    @property
    def change(self) -> str:
        return self.update or self.insert


# Tables a party member writes only for its own party. A new table of party records is one more entry
# here (a condition on its row, as ``fulfilment``'s), plus its grant in PARTY_WRITES.
_INVOLVED = "coord_party_id() IN (c.raised_by_id, c.against_id, c.holder_id)"
_OWN_OBLIGATION = (
    "EXISTS (SELECT 1 FROM agreement_obligation o WHERE o.version_id = fulfilment.version_id "
    "AND o.stakeholder_id = coord_party_id() AND (SELECT count(*) FROM agreement_obligation p "
    "WHERE p.version_id = o.version_id AND (p.position, p.id) <= (o.position, o.id)) = fulfilment.obligation)"
)
PARTY_ROWS: dict[str, Own] = {
    "stakeholder": Own("id = coord_party_id()"),
    "contact": Own("stakeholder_id = coord_party_id()"),
    "representative": Own("stakeholder_id = coord_party_id()"),
    "signature": Own("stakeholder_id = coord_party_id()"),
    # a party raises concerns of its own; the parties in one answer, escalate and resolve it
    "concern": Own("raised_by_id = coord_party_id()", "coord_party_id() IN (raised_by_id, against_id, holder_id)"),
    "concern_step": Own(f"EXISTS (SELECT 1 FROM concern c WHERE c.id = concern_id AND {_INVOLVED})"),
    # a party reports on its own obligations: the obligation numbered ``obligation`` in its version is its own
    "fulfilment": Own(_OWN_OBLIGATION),
    # a party rates the partnership in a review for itself only
    "review_rating": Own("stakeholder_id = coord_party_id()"),
}

RLS_TABLES = (*PARTY_ROWS, "coord_meta", "assignment")  # the tables with row-level security

# What a party member may do beyond reading (row-level security narrows the tables in PARTY_ROWS).
PARTY_WRITES: dict[str, str] = {
    "stakeholder": "UPDATE",
    "contact": "INSERT, DELETE",
    "representative": "INSERT, DELETE",
    "signature": "INSERT",
    "agreement_version": "UPDATE (status, envelope_hash)",  # signing seals the envelope; the guard checks the rest
    "assignment": "INSERT, UPDATE",  # the last signature turns obligations into assignments
    "concern": "INSERT, UPDATE",
    "concern_step": "INSERT",
    "fulfilment": "INSERT",
    "review_rating": "INSERT, DELETE",  # rating an area again replaces the rating
    "event": "INSERT",
    "coord_meta": "UPDATE",  # the chain head only (a policy)
}

GUARD = "coord: "  # how the messages of coord's guards start (what they say is the reason shown)
# What the guards below say, marked for the catalogue: the database speaks English, the reader may not.
GUARD_REASONS = (
    N_("a party member changes an agreement version only by signing it"),
    N_(
        "a party member changes only its name, address, legal representative and registration number, contacts "
        "and representatives"
    ),
)
PARTICULARS_SQL = "ARRAY['name', 'name_zh', 'address', 'legal_representative', 'registration_number']"

# Migration 7 on PostgreSQL: the member table and the database's own checks.
SCHEMA = [
    "CREATE TABLE member ("
    " id SERIAL PRIMARY KEY,"
    " login VARCHAR(63) NOT NULL UNIQUE,"
    " kind VARCHAR(16) NOT NULL CHECK (kind IN ('coordinator', 'party', 'viewer')),"
    " stakeholder_id INTEGER REFERENCES stakeholder (id),"
    " added_at VARCHAR(32) NOT NULL,"
    " CHECK ((kind = 'party') = (stakeholder_id IS NOT NULL)))",
    # the connected role's party (NULL: not a party member); definer rights, so no grant on member is needed
    "CREATE FUNCTION coord_party_id() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER "
    "SET search_path = public AS "
    "$$ SELECT stakeholder_id FROM member WHERE login = session_user AND kind = 'party' $$",
    "ALTER TABLE event ALTER COLUMN actor SET DEFAULT session_user",
    # the actor is who connected; only the tables' owner restoring a backup may write others' names
    """CREATE FUNCTION coord_event_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.actor IS DISTINCT FROM session_user::text AND NOT (
       coalesce(current_setting('coord.restoring', true), '') = 'on'
       AND pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')) THEN
    RAISE EXCEPTION 'coord: the actor of an event is the connected role %, not %', session_user, NEW.actor
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER coord_event_actor BEFORE INSERT OR UPDATE ON event "
    "FOR EACH ROW EXECUTE FUNCTION coord_event_actor()",
    # a party member changes a version only as signing does: circulating -> signed once every party has
    # signed, signed -> superseded once a later version is signed; the envelope is re-sealed (verify checks it)
    """CREATE FUNCTION coord_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coord_party_id() IS NULL THEN
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - 'status' - 'envelope_hash') IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'envelope_hash')
     OR (NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'circulating' AND NEW.status = 'signed'
        AND (SELECT count(*) FROM signature s WHERE s.version_id = NEW.id)
          = (SELECT count(*) FROM agreement_party p WHERE p.version_id = NEW.id))
       OR (OLD.status = 'signed' AND NEW.status = 'superseded' AND EXISTS (
        SELECT 1 FROM agreement_version later WHERE later.agreement_id = NEW.agreement_id
          AND later.number > NEW.number AND later.status = 'signed')))) THEN
    RAISE EXCEPTION 'coord: a party member changes an agreement version only by signing it'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER coord_version_guard BEFORE UPDATE ON agreement_version "
    "FOR EACH ROW EXECUTE FUNCTION coord_version_guard()",
    # a party member edits its particulars; kind, influence, interest and the rest are the coordinators' view
    f"""CREATE FUNCTION coord_stakeholder_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coord_party_id() IS NOT NULL AND (to_jsonb(NEW) - {PARTICULARS_SQL}) IS DISTINCT FROM
     (to_jsonb(OLD) - {PARTICULARS_SQL}) THEN
    RAISE EXCEPTION '{GUARD}a party member changes only its name, address, legal representative and registration'
      ' number, contacts and representatives' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER coord_stakeholder_guard BEFORE UPDATE ON stakeholder "
    "FOR EACH ROW EXECUTE FUNCTION coord_stakeholder_guard()",
]


def migrate(conn: Conn) -> None:
    """Migration 7's PostgreSQL part (a SQLite store is left exactly as it was)."""
    if dialect(conn) == "sqlite":
        return
    for statement in SCHEMA:
        execute(conn, statement)


def group_roles(database: str) -> dict[str, str]:
    """The group role of each kind of member for this database (roles are cluster-wide: the name says which)."""
    suffix = re.sub(r"[^a-z0-9_]", "_", database.lower())
    return {kind: f"coord_{kind}_{suffix}"[:63] for kind in KINDS}


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def roles_of(conn: Conn) -> dict[str, str]:
    return group_roles(str(scalar(conn, "SELECT current_database()")))


def team_enabled(conn: Conn) -> bool:
    """Whether this store's tables carry the team policies."""
    if dialect(conn) == "sqlite":
        return False
    return bool(scalar(conn, "SELECT relrowsecurity FROM pg_class WHERE oid = 'public.signature'::regclass"))


def enable(conn: Conn) -> dict[str, str]:
    """Group roles, grants and row-level security policies (again on an enabled store: brought up to date)."""
    roles = roles_of(conn)
    coordinator, party, viewer = (quote_ident(roles[k]) for k in KINDS)
    for name in roles.values():
        if not scalar(conn, "SELECT 1 FROM pg_roles WHERE rolname = :n", {"n": name}):
            execute(conn, f"CREATE ROLE {quote_ident(name)} NOLOGIN")
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {coordinator}, {party}, {viewer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {coordinator}, {party}, {viewer}",
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {coordinator}",
        # history is never changed, members are the owner's to manage
        f"REVOKE UPDATE, DELETE ON event FROM {coordinator}",
        f"REVOKE INSERT, UPDATE, DELETE ON member FROM {coordinator}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {coordinator}, {party}",
        # tables a later migration makes (run by this role) are readable at once; `init --team` adds their rules
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {coordinator}, {party}, {viewer}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT, UPDATE, DELETE ON TABLES TO {coordinator}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {coordinator}, {party}",
        *(f"GRANT {what} ON {table} TO {party}" for table, what in PARTY_WRITES.items()),
        "ALTER TABLE coord_meta ENABLE ROW LEVEL SECURITY",
        *_policies("coord_meta", "true", f"{coordinator}"),
        f"CREATE POLICY coord_party_head ON coord_meta FOR UPDATE TO {party} "
        "USING (key = 'event_head') WITH CHECK (key = 'event_head')",
        "ALTER TABLE assignment ENABLE ROW LEVEL SECURITY",
        *_policies("assignment", "true", coordinator),
        f"CREATE POLICY coord_party_insert ON assignment FOR INSERT TO {party} WITH CHECK ({_SIGNED_SOURCE})",
        f"CREATE POLICY coord_party_update ON assignment FOR UPDATE TO {party} "
        f"USING (source = 'agreement') WITH CHECK ({_SIGNED_SOURCE})",
    ]
    for table, own in PARTY_ROWS.items():
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            *_policies(table, "true", coordinator),
            f"CREATE POLICY coord_party_insert ON {table} FOR INSERT TO {party} WITH CHECK ({own.insert})",
            # USING (true): another party's row is found, and the check refuses the change instead of hiding it
            f"CREATE POLICY coord_party_update ON {table} FOR UPDATE TO {party} USING (true) WITH CHECK ({own.change})",
            f"CREATE POLICY coord_party_delete ON {table} FOR DELETE TO {party} USING ({own.change})",
        ]
    for statement in statements:
        execute(conn, statement)
    return roles


_SIGNED_SOURCE = (
    "source = 'agreement' AND EXISTS (SELECT 1 FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id "
    "WHERE a.key = agreement_key AND v.number = agreement_version AND v.status = 'signed')"
)


def _policies(table: str, read: str, coordinator: str) -> list[str]:
    """Drop the table's coord policies, then: everyone reads, coordinators do everything."""
    drop = [
        f"DROP POLICY IF EXISTS {name} ON {table}"
        for name in ("coord_read", "coord_coordinator", "coord_party_insert", "coord_party_update")
    ]
    drop += [f"DROP POLICY IF EXISTS {name} ON {table}" for name in ("coord_party_delete", "coord_party_head")]
    return [
        *drop,
        f"CREATE POLICY coord_read ON {table} FOR SELECT USING ({read})",
        f"CREATE POLICY coord_coordinator ON {table} FOR ALL TO {coordinator} USING (true) WITH CHECK (true)",
    ]


def login(conn: Conn) -> str:
    """The role this connection authenticated as (PostgreSQL only)."""
    return str(scalar(conn, "SELECT session_user"))


def is_refusal(error: BaseException) -> bool:
    """Whether the database refused a change for want of permission (a grant, a policy or a guard)."""
    original = getattr(error, "orig", error)
    return type(original).__name__ == "InsufficientPrivilege" or getattr(original, "sqlstate", None) == "42501"


@contextmanager
def refused_as(conn: Conn, message: str, **names: Any) -> Iterator[None]:
    """Turn the database's refusal inside the block into ``message`` (``{login}`` is the connected role)."""
    if dialect(conn) == "sqlite":
        yield
        return
    who = login(conn)
    try:
        yield
    except Exception as error:
        if not is_refusal(error):
            raise
        from coordkit.errors import PermissionDenied

        text = message.format(login=who, **names)
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        if reason.startswith(GUARD):  # one of coord's guards says why
            text = _("{message}: {reason}").format(message=text, reason=guard_reason(reason))
        raise PermissionDenied(text) from None


def guard_reason(reason: str) -> str:
    """What one of coord's guards said (``coord: …``), in the reader's language when it is one of
    ``GUARD_REASONS`` (the actor guard names roles: it stays as the database says it)."""
    said = reason.removeprefix(GUARD)
    return _(said) if said in GUARD_REASONS else said
