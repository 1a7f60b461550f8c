"""Schema changes, as an ordered list of small functions (as simonw/llm does).

Each migration runs once, inside the transaction that opens the store, on the
store's own connection (``sqlite3`` or SQLAlchemy Core), and is recorded in
``coord_migration``; ``coord_meta.schema_version`` is the count. Migrations are
frozen: each one spells out its own tables and columns, so a store made years
ago migrates to exactly what a new store gets (tests/test_migrations.py opens
the committed version-1 store and compares). ``coordkit.models`` describes the
latest schema; a test keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from coordkit.storage.sql import Conn, dialect, execute, scalar

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table

MigrationFn = Callable[[Conn], None]


def create_tables(conn: Conn, tables: Sequence[Table]) -> None:
    """``CREATE TABLE`` (and its indexes) for SQLAlchemy Core tables, compiled for this connection's database."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    target = sqlite.dialect() if dialect(conn) == "sqlite" else postgresql.dialect()
    for table in tables:
        execute(conn, str(CreateTable(table).compile(dialect=target)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            execute(conn, str(CreateIndex(index).compile(dialect=target)))


def v1_tables() -> MetaData:
    """The schema of version 1, frozen (as coordkit 0.1 created it from its models)."""
    import sqlalchemy as sa

    md = sa.MetaData()
    fk = sa.ForeignKey
    col = sa.Column
    text, integer, date = sa.String, sa.Integer, sa.Date
    sa.Table("coord_meta", md, col("key", text(64), primary_key=True), col("value", text()))
    sa.Table("coord_migration", md, col("name", text(128), primary_key=True), col("applied_at", text(), nullable=False))
    sa.Table(
        "event",
        md,
        col("id", integer(), primary_key=True),
        col("at", text(32), nullable=False),
        col("actor", text(), nullable=False),
        col("action", text(64), nullable=False),
        col("entity", text(32), nullable=False),
        col("key", text(), nullable=False),
        col("before", text()),
        col("after", text()),
        col("prev_hash", text(64), nullable=False),
        col("hash", text(64), nullable=False),
        sa.Index("ix_event_key", "key"),
    )
    sa.Table(
        "stakeholder",
        md,
        col("id", integer(), primary_key=True),
        col("key", text(64), nullable=False, unique=True),
        col("name", text(), nullable=False),
        col("name_zh", text()),
        col("kind", text(32), nullable=False),
        col("influence", integer()),
        col("interest", integer()),
        col("interests", text()),
        col("active", sa.Boolean(), nullable=False),
    )
    for name, columns in (
        ("contact", [col("channel", text(32), nullable=False), col("value", text(), nullable=False)]),
        ("representative", [col("name", text(), nullable=False), col("title", text())]),
    ):
        sa.Table(
            name,
            md,
            col("id", integer(), primary_key=True),
            col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False, index=True),
            *columns,
            col("position", integer(), nullable=False),
        )
    sa.Table(
        "party_key",
        md,
        col("id", integer(), primary_key=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False, index=True),
        col("public_key", text(), nullable=False),
        col("fingerprint", text(64), nullable=False, unique=True),
        col("created_at", text(32), nullable=False),
    )
    sa.Table(
        "project",
        md,
        col("id", integer(), primary_key=True),
        col("key", text(64), nullable=False, unique=True),
        col("name", text(), nullable=False),
        col("name_zh", text()),
        col("starts_on", date()),
        col("ends_on", date()),
        col("lead_id", integer(), fk("stakeholder.id")),
    )
    sa.Table(
        "agreement",
        md,
        col("id", integer(), primary_key=True),
        col("key", text(64), nullable=False, unique=True),
        col("project_id", integer(), fk("project.id"), nullable=False, index=True),
        col("kind", text(32), nullable=False),
        col("created_at", text(32), nullable=False),
    )
    sa.Table(
        "duty",
        md,
        col("id", integer(), primary_key=True),
        col("project_id", integer(), fk("project.id"), nullable=False, index=True),
        col("key", text(64), nullable=False),
        col("title", text(), nullable=False),
        col("title_zh", text()),
        col("category", text()),
        col("due_on", date()),
        sa.UniqueConstraint("project_id", "key"),
    )
    sa.Table(
        "role",
        md,
        col("id", integer(), primary_key=True),
        col("project_id", integer(), fk("project.id"), nullable=False, index=True),
        col("key", text(64), nullable=False),
        col("name", text(), nullable=False),
        col("description", text()),
        sa.UniqueConstraint("project_id", "key"),
    )
    sa.Table(
        "agreement_version",
        md,
        col("id", integer(), primary_key=True),
        col("agreement_id", integer(), fk("agreement.id"), nullable=False, index=True),
        col("number", integer(), nullable=False),
        col("title", text(), nullable=False),
        col("title_zh", text()),
        col("status", text(16), nullable=False),
        col("effective", date()),
        col("expires", date()),
        col("review_every", text(16)),
        col("languages", text(32), nullable=False),
        col("terms_hash", text(64)),
        col("frozen_at", text()),
        col("terminated_on", date()),
        col("termination_reason", text()),
        sa.UniqueConstraint("agreement_id", "number"),
    )
    sa.Table(
        "assignment",
        md,
        col("id", integer(), primary_key=True),
        col("duty_id", integer(), fk("duty.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id")),
        col("role_id", integer(), fk("role.id")),
        col("letter", text(1), nullable=False),
        col("valid_from", date()),
        col("valid_to", date()),
        col("source", text(16), nullable=False),
        col("agreement_key", text()),
        col("agreement_version", integer()),
        sa.CheckConstraint("letter IN ('R', 'A', 'C', 'I')", name="ck_assignment_letter"),
        sa.CheckConstraint("(stakeholder_id IS NULL) <> (role_id IS NULL)", name="ck_assignment_one_party"),
        sa.Index("ix_assignment_stakeholder", "stakeholder_id"),
    )
    sa.Table(
        "role_holder",
        md,
        col("id", integer(), primary_key=True),
        col("role_id", integer(), fk("role.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False, index=True),
        col("valid_from", date()),
        col("valid_to", date()),
    )
    sa.Table(
        "agreement_obligation",
        md,
        col("id", integer(), primary_key=True),
        col("version_id", integer(), fk("agreement_version.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False),
        col("text", text(), nullable=False),
        col("duty_id", integer(), fk("duty.id"), index=True),
        col("letter", text(1)),
        col("due_on", date()),
        col("position", integer(), nullable=False),
    )
    sa.Table(
        "agreement_party",
        md,
        col("id", integer(), primary_key=True),
        col("version_id", integer(), fk("agreement_version.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False, index=True),
        col("label", text(), nullable=False),
        col("position", integer(), nullable=False),
    )
    sa.Table(
        "agreement_resource",
        md,
        col("id", integer(), primary_key=True),
        col("version_id", integer(), fk("agreement_version.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False),
        col("kind", text(), nullable=False),
        col("amount", text(), nullable=False),
        col("unit", text(), nullable=False),
        col("position", integer(), nullable=False),
    )
    sa.Table(
        "agreement_term",
        md,
        col("id", integer(), primary_key=True),
        col("version_id", integer(), fk("agreement_version.id"), nullable=False, index=True),
        col("section", text(16), nullable=False),
        col("stakeholder_id", integer(), fk("stakeholder.id")),
        col("text", text(), nullable=False),
        col("position", integer(), nullable=False),
    )
    sa.Table(
        "signature",
        md,
        col("id", integer(), primary_key=True),
        col("version_id", integer(), fk("agreement_version.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False),
        col("signatory", text(), nullable=False),
        col("title", text()),
        col("signed_on", date(), nullable=False),
        col("method", text(16), nullable=False),
        col("terms_hash", text(64), nullable=False),
        col("scan_sha256", text(64)),
        col("scan_name", text()),
        col("key_fingerprint", text(64)),
        col("key_signature", text()),
        col("recorded_at", text(32), nullable=False),
        sa.UniqueConstraint("version_id", "stakeholder_id"),
    )
    return md


def m001_initial(conn: Conn) -> None:
    create_tables(conn, v1_tables().sorted_tables)


def add_columns(conn: Conn, table: str, columns: Sequence[tuple[str, str]]) -> None:
    """``ALTER TABLE … ADD COLUMN`` for each (name, SQL type); new columns are nullable."""
    for name, sql_type in columns:
        execute(conn, f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")


def m002_signable_agreements(conn: Conn) -> None:
    """Agreements a street office will stamp: party particulars frozen at circulation, bilingual terms,
    clauses, schedules and targets of obligations, resources without amounts, key rotation."""
    import sqlalchemy as sa

    text = "VARCHAR"
    add_columns(conn, "stakeholder", [("address", text), ("legal_representative", text), ("registration_number", text)])
    add_columns(conn, "role", [("name_zh", text)])
    add_columns(
        conn,
        "agreement_version",
        [("canonical_form", "INTEGER"), ("notice", text), ("renewal", text), ("envelope_hash", text)],
    )
    add_columns(
        conn,
        "agreement_party",
        [
            ("name", text),
            ("name_zh", text),
            ("address", text),
            ("legal_representative", text),
            ("registration_number", text),
            ("signer_name", text),
            ("signer_title", text),
            ("key_fingerprint", text),
        ],
    )
    add_columns(conn, "agreement_term", [("text_zh", text)])
    add_columns(
        conn,
        "agreement_obligation",
        [
            ("text_zh", text),
            ("every", text),
            ("target_amount", text),
            ("target_unit", text),
            ("each_min", text),
            ("each_unit", text),
        ],
    )
    add_columns(
        conn,
        "agreement_resource",
        [("description", text), ("description_zh", text), ("resource_key", text), ("slot", text)],
    )
    add_columns(conn, "party_key", [("revoked_at", text), ("replaced_by", text)])
    # A venue or staff time needs no amount: amount and unit become optional.
    if dialect(conn) == "sqlite":
        rebuild_sqlite(conn, "agreement_resource", {"amount": "VARCHAR NOT NULL", "unit": "VARCHAR NOT NULL"})
    else:
        execute(conn, "ALTER TABLE agreement_resource ALTER COLUMN amount DROP NOT NULL")
        execute(conn, "ALTER TABLE agreement_resource ALTER COLUMN unit DROP NOT NULL")
    md = sa.MetaData()
    sa.Table("project", md, sa.Column("id", sa.Integer(), primary_key=True))
    category = sa.Table(
        "project_category",
        md,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False, index=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String()),
        sa.Column("name_zh", sa.String()),
        sa.UniqueConstraint("project_id", "key"),
    )
    create_tables(conn, [category])
    # Envelopes seal signatures and status from here on; versions signed before keep their terms hash and events.
    last = scalar(conn, "SELECT max(id) FROM event")
    execute(conn, "INSERT INTO coord_meta (key, value) VALUES ('envelopes_since', :v)", {"v": str(last or 0)})


def rebuild_sqlite(conn: Conn, table: str, relax: dict[str, str]) -> None:
    """Drop NOT NULL from columns of a SQLite table (SQLite cannot alter a column): the table is rebuilt
    from its own CREATE statement with ``relax`` (column → its declared type and constraint) loosened."""
    from coordkit.storage.sql import rows, scalar

    sql = scalar(conn, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t", {"t": table})
    indexes = [
        r[0]
        for r in rows(
            conn,
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL",
            {"t": table},
        )
    ]
    for column, declared in relax.items():
        before = f"{column} {declared}"
        assert before in sql, (table, before)
        sql = sql.replace(before, f"{column} {declared.removesuffix(' NOT NULL')}")
    columns = ", ".join(f'"{r[1]}"' for r in rows(conn, f'PRAGMA table_info("{table}")'))
    execute(conn, f'ALTER TABLE "{table}" RENAME TO "{table}__old"')
    execute(conn, sql)
    execute(conn, f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{table}__old"')
    execute(conn, f'DROP TABLE "{table}__old"')
    for index in indexes:
        execute(conn, index)


# Rows that must never exist twice. The write lock already lines writers up (SQLite's BEGIN IMMEDIATE,
# PostgreSQL's advisory lock), so a command's own check sees every earlier write; these indexes are the
# guard the database keeps whatever the code does. NULL is "open" in a window and "none" for a party,
# so the indexes compare coalesce() of them: two identical open-ended assignments are equal.
UNIQUE_GUARDS = (
    # the audit chain cannot fork: each event follows a different one
    "CREATE UNIQUE INDEX ux_event_prev_hash ON event (prev_hash)",
    # `duty assign` run twice at once: one manual letter per party, duty and window
    "CREATE UNIQUE INDEX ux_assignment_manual ON assignment (duty_id, coalesce(stakeholder_id, 0), "
    "coalesce(role_id, 0), letter, coalesce(valid_from, '0001-01-01'), coalesce(valid_to, '9999-12-31')) "
    "WHERE source = 'manual'",
    # `role assign` run twice at once: one holding per party, role and window
    "CREATE UNIQUE INDEX ux_role_holder ON role_holder (role_id, stakeholder_id, "
    "coalesce(valid_from, '0001-01-01'), coalesce(valid_to, '9999-12-31'))",
    # a party is named once in a version (its label and signature are per party)
    "CREATE UNIQUE INDEX ux_agreement_party ON agreement_party (version_id, stakeholder_id)",
)


def m003_unique_guards(conn: Conn) -> None:
    """Indexes that keep duplicates out on both databases; identical duplicates a race left are merged first.

    Two identical assignment or holding rows say nothing more than one, so the later copies go (their
    ids are referenced nowhere). A forked event chain cannot be merged: the store is refused with the
    events named, before anything changes.
    """
    from coordkit.errors import StoreError
    from coordkit.i18n import _
    from coordkit.storage.sql import rows

    forks = rows(
        conn,
        "SELECT prev_hash, min(id) AS first, max(id) AS last FROM event GROUP BY prev_hash HAVING count(*) > 1",
    )
    if forks:
        raise StoreError(
            _(
                "the history of this store forks: events {first} and {last} both follow the same "
                "event; restore a backup made before, or ask for help: coord cannot guard it without losing one"
            ).format(first=forks[0].first, last=forks[0].last)
        )
    execute(
        conn,
        "DELETE FROM assignment WHERE source = 'manual' AND id NOT IN (SELECT min(id) FROM assignment "
        "WHERE source = 'manual' GROUP BY duty_id, coalesce(stakeholder_id, 0), coalesce(role_id, 0), letter, "
        "coalesce(valid_from, '0001-01-01'), coalesce(valid_to, '9999-12-31'))",
    )
    execute(
        conn,
        "DELETE FROM role_holder WHERE id NOT IN (SELECT min(id) FROM role_holder GROUP BY role_id, "
        "stakeholder_id, coalesce(valid_from, '0001-01-01'), coalesce(valid_to, '9999-12-31'))",
    )
    for statement in UNIQUE_GUARDS:
        execute(conn, statement)


def m004_meetings_concerns(conn: Conn) -> None:
    """Joint meetings with their minutes and actions, contacts between meetings, concerns and their steps;
    assignments may come from a meeting's action (issue 15)."""
    import sqlalchemy as sa

    md = sa.MetaData()
    fk = sa.ForeignKey
    col = sa.Column
    text, integer, date = sa.String, sa.Integer, sa.Date
    # the tables referred to, as stubs (only their ids), so that the foreign keys compile
    for name in ("project", "stakeholder", "duty"):
        sa.Table(name, md, col("id", integer(), primary_key=True))
    meeting = sa.Table(
        "meeting",
        md,
        col("id", integer(), primary_key=True),
        col("project_id", integer(), fk("project.id"), nullable=False, index=True),
        col("key", text(64), nullable=False),
        col("held_on", date(), nullable=False),
        col("place", text()),
        col("title", text()),
        col("chair_id", integer(), fk("stakeholder.id"), nullable=False),
        col("chair_person", text()),
        col("signed_off_by", text()),
        col("signed_off_on", date()),
        col("minutes_hash", text(64)),
        col("minutes_form", integer()),
        col("recorded_at", text(32), nullable=False),
        sa.UniqueConstraint("project_id", "key"),
    )
    attendee = sa.Table(
        "meeting_attendee",
        md,
        col("id", integer(), primary_key=True),
        col("meeting_id", integer(), fk("meeting.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False, index=True),
        col("person", text()),
        col("present", sa.Boolean(), nullable=False),
        col("position", integer(), nullable=False),
    )
    item = sa.Table(
        "meeting_item",
        md,
        col("id", integer(), primary_key=True),
        col("meeting_id", integer(), fk("meeting.id"), nullable=False, index=True),
        col("section", text(16), nullable=False),
        col("text", text(), nullable=False),
        col("position", integer(), nullable=False),
    )
    action = sa.Table(
        "meeting_action",
        md,
        col("id", integer(), primary_key=True),
        col("meeting_id", integer(), fk("meeting.id"), nullable=False, index=True),
        col("number", integer(), nullable=False),
        col("text", text(), nullable=False),
        col("owner_id", integer(), fk("stakeholder.id"), nullable=False, index=True),
        col("due_on", date(), nullable=False),
        col("duty_id", integer(), fk("duty.id"), index=True),
        col("letter", text(1)),
        col("done_on", date()),
        col("note", text()),
        sa.UniqueConstraint("meeting_id", "number"),
    )
    interaction = sa.Table(
        "interaction",
        md,
        col("id", integer(), primary_key=True),
        col("key", text(64), nullable=False, unique=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False, index=True),
        col("project_id", integer(), fk("project.id"), index=True),
        col("happened_on", date(), nullable=False),
        col("channel", text(16), nullable=False),
        col("summary", text(), nullable=False),
        col("by_person", text()),
        col("recorded_at", text(32), nullable=False),
    )
    concern = sa.Table(
        "concern",
        md,
        col("id", integer(), primary_key=True),
        col("key", text(64), nullable=False, unique=True),
        col("project_id", integer(), fk("project.id"), nullable=False, index=True),
        col("raised_by_id", integer(), fk("stakeholder.id"), nullable=False),
        col("against_id", integer(), fk("stakeholder.id"), nullable=False),
        col("about", text(), nullable=False),
        col("severity", text(8), nullable=False),
        col("text", text(), nullable=False),
        col("opened_at", text(32), nullable=False),
        col("status", text(16), nullable=False),
        col("holder_id", integer(), fk("stakeholder.id"), nullable=False),
        col("level", integer(), nullable=False),
        col("clock_from", text(32), nullable=False),
        col("acknowledged_at", text(32)),
        col("responded_at", text(32)),
        col("resolved_at", text(32)),
        col("outcome", text()),
        col("satisfaction", integer()),
    )
    step = sa.Table(
        "concern_step",
        md,
        col("id", integer(), primary_key=True),
        col("concern_id", integer(), fk("concern.id"), nullable=False, index=True),
        col("position", integer(), nullable=False),
        col("step", text(16), nullable=False),
        col("at", text(32), nullable=False),
        col("by_person", text()),
        col("to_id", integer(), fk("stakeholder.id")),
        col("rung", text(16)),
        col("cause", text(32)),
        col("text", text()),
        col("satisfaction", integer()),
    )
    create_tables(conn, [meeting, attendee, item, action, interaction, concern, step])
    execute(conn, "ALTER TABLE assignment ADD COLUMN action_id INTEGER REFERENCES meeting_action (id)")


def m005_fulfilment(conn: Conn) -> None:
    """Fulfilment of obligations: one record per report on an occurrence (met, partly, missed, waived), with
    the actual figure and the evidence files' hashes; records point at frozen terms and never change them
    (issue 14)."""
    import sqlalchemy as sa

    md = sa.MetaData()
    col = sa.Column
    sa.Table("agreement_version", md, col("id", sa.Integer(), primary_key=True))
    fulfilment = sa.Table(
        "fulfilment",
        md,
        col("id", sa.Integer(), primary_key=True),
        col("version_id", sa.Integer(), sa.ForeignKey("agreement_version.id"), nullable=False, index=True),
        col("obligation", sa.Integer(), nullable=False),
        col("occurrence", sa.Date(), nullable=False),
        col("status", sa.String(16), nullable=False),
        col("on_date", sa.Date(), nullable=False),
        col("actual", sa.String()),
        col("note", sa.String()),
        col("evidence", sa.String()),
        col("recorded_at", sa.String(32), nullable=False),
    )
    create_tables(conn, [fulfilment])


def m007_team_store(conn: Conn) -> None:
    """Team stores (issue 20): on PostgreSQL the member table, the event actor set and checked by the
    database, and the guard on agreement versions; a SQLite store is left exactly as it was."""
    from coordkit.storage import team

    team.migrate(conn)


def m006_substance(conn: Conn) -> None:
    """Overlap in substance (issue 19): exclusive duties, merged duties' old keys, shared resources registered
    once (capacity, owner, budget) and the duties that use them, with when."""
    import sqlalchemy as sa

    false = "0" if dialect(conn) == "sqlite" else "false"
    execute(conn, f"ALTER TABLE duty ADD COLUMN exclusive BOOLEAN NOT NULL DEFAULT {false}")
    md = sa.MetaData()
    fk = sa.ForeignKey
    col = sa.Column
    text, integer = sa.String, sa.Integer
    for name in ("project", "stakeholder", "duty"):
        sa.Table(name, md, col("id", integer(), primary_key=True))
    alias = sa.Table(
        "duty_alias",
        md,
        col("id", integer(), primary_key=True),
        col("project_id", integer(), fk("project.id"), nullable=False, index=True),
        col("key", text(64), nullable=False),
        col("duty_id", integer(), fk("duty.id"), nullable=False, index=True),
        col("title", text(), nullable=False),
        col("title_zh", text()),
        col("merged_at", text(32), nullable=False),
        sa.UniqueConstraint("project_id", "key"),
    )
    resource = sa.Table(
        "resource",
        md,
        col("id", integer(), primary_key=True),
        col("key", text(64), nullable=False, unique=True),
        col("name", text(), nullable=False),
        col("name_zh", text()),
        col("capacity", integer(), nullable=False),
        col("owner_id", integer(), fk("stakeholder.id")),
        col("budget", text()),
        col("unit", text()),
    )
    used = sa.Table(
        "duty_resource",
        md,
        col("id", integer(), primary_key=True),
        col("duty_id", integer(), fk("duty.id"), nullable=False, index=True),
        col("resource_id", integer(), fk("resource.id"), nullable=False, index=True),
        col("slot", text(), nullable=False),
        col("units", integer(), nullable=False),
        col("position", integer(), nullable=False),
    )
    create_tables(conn, [alias, resource, used])


def m009_score_history(conn: Conn) -> None:
    """Each rating of a party's influence and interest with who gave it, when and why, so the map can show
    movement (issue 16). The stakeholder row keeps the current rating, as before."""
    import sqlalchemy as sa

    md = sa.MetaData()
    col = sa.Column
    text, integer, date = sa.String, sa.Integer, sa.Date
    sa.Table("stakeholder", md, col("id", integer(), primary_key=True))
    score = sa.Table(
        "stakeholder_score",
        md,
        col("id", integer(), primary_key=True),
        col("stakeholder_id", integer(), sa.ForeignKey("stakeholder.id"), nullable=False, index=True),
        col("scored_on", date(), nullable=False),
        col("influence", integer(), nullable=False),
        col("interest", integer(), nullable=False),
        col("scored_by", text(), nullable=False),
        col("note", text()),
        col("recorded_at", text(32), nullable=False),
    )
    create_tables(conn, [score])


def m008_reviews(conn: Conn) -> None:
    """Partnership reviews of signed agreements: each party's ratings of five areas and a verdict per
    obligation; a review points at frozen terms and never changes them (issue 14)."""
    import sqlalchemy as sa

    md = sa.MetaData()
    fk = sa.ForeignKey
    col = sa.Column
    text, integer, date = sa.String, sa.Integer, sa.Date
    sa.Table("agreement_version", md, col("id", integer(), primary_key=True))
    sa.Table("stakeholder", md, col("id", integer(), primary_key=True))
    review = sa.Table(
        "review",
        md,
        col("id", integer(), primary_key=True),
        col("key", text(64), nullable=False, unique=True),
        col("version_id", integer(), fk("agreement_version.id"), nullable=False, index=True),
        col("opened_on", date(), nullable=False),
        col("closed_on", date()),
        col("lessons", text()),
        col("recorded_at", text(32), nullable=False),
    )
    rating = sa.Table(
        "review_rating",
        md,
        col("id", integer(), primary_key=True),
        col("review_id", integer(), fk("review.id"), nullable=False, index=True),
        col("stakeholder_id", integer(), fk("stakeholder.id"), nullable=False),
        col("area", text(24), nullable=False),
        col("score", integer(), nullable=False),
        col("comment", text()),
        sa.UniqueConstraint("review_id", "stakeholder_id", "area"),
    )
    verdict = sa.Table(
        "review_verdict",
        md,
        col("id", integer(), primary_key=True),
        col("review_id", integer(), fk("review.id"), nullable=False, index=True),
        col("obligation", integer(), nullable=False),
        col("verdict", text(16), nullable=False),
        sa.UniqueConstraint("review_id", "obligation"),
    )
    create_tables(conn, [review, rating, verdict])


def m010_draft_notes(conn: Conn) -> None:
    """An agreement version's notes: what the drafters keep beside the terms, such as the lessons of the review
    an amendment starts from (``coord agreement amend --from-review``); not terms, so never hashed (issue 14)."""
    add_columns(conn, "agreement_version", [("notes", "VARCHAR")])  # what the model makes (as m002)


MIGRATIONS: list[MigrationFn] = [
    m001_initial,
    m002_signable_agreements,
    m003_unique_guards,
    m004_meetings_concerns,
    m005_fulfilment,
    m006_substance,
    m007_team_store,
    m009_score_history,
    m008_reviews,  # the numbers name the work they came with; stores count migrations by position
    m010_draft_notes,
]
LATEST = len(MIGRATIONS)


def table_names() -> set[str]:
    """Every table a current store has (to refuse a database that holds others of those names)."""
    from sqlmodel import SQLModel

    import coordkit.models  # noqa: F401  (registers the tables)

    return set(SQLModel.metadata.tables)


def migrate(conn: Conn, current: int, *, upto: int | None = None) -> list[str]:
    """Apply every migration after ``current`` (up to ``upto``, default the latest) in the caller's
    transaction; returns the names applied. ``coord restore`` makes a backup's own schema version first,
    fills it, then migrates forward, exactly as that store would have been."""
    target = LATEST if upto is None else upto
    applied = []
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number <= current or number > target:
            continue
        migration(conn)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        execute(
            conn,
            "INSERT INTO coord_migration (name, applied_at) VALUES (:n, :at)",
            {"n": migration.__name__, "at": now},
        )
        applied.append(migration.__name__)
    meta: dict[str, Any] = {"v": str(target)}
    if current == 0:
        execute(
            conn,
            "INSERT INTO coord_meta (key, value) VALUES ('app', 'coordkit'), ('schema_version', :v), ('event_head', :h)",
            {**meta, "h": "0" * 64},
        )
    else:
        execute(conn, "UPDATE coord_meta SET value = :v WHERE key = 'schema_version'", meta)
    return applied
