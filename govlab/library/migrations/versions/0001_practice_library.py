"""The practice library: practices, facets, revisions, audit, settings, full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

SQLITE_FTS = [
    # external-content FTS5 index over practices(title, body), kept in step by triggers
    "CREATE VIRTUAL TABLE practice_fts USING fts5("
    "title, body, content='practices', content_rowid='pk', tokenize='porter unicode61')",
    "CREATE TRIGGER practices_fts_insert AFTER INSERT ON practices BEGIN "
    "INSERT INTO practice_fts(rowid, title, body) VALUES (new.pk, new.title, new.body); END",
    "CREATE TRIGGER practices_fts_delete AFTER DELETE ON practices BEGIN "
    "INSERT INTO practice_fts(practice_fts, rowid, title, body) "
    "VALUES ('delete', old.pk, old.title, old.body); END",
    "CREATE TRIGGER practices_fts_update AFTER UPDATE OF title, body ON practices BEGIN "
    "INSERT INTO practice_fts(practice_fts, rowid, title, body) "
    "VALUES ('delete', old.pk, old.title, old.body); "
    "INSERT INTO practice_fts(rowid, title, body) VALUES (new.pk, new.title, new.body); END",
]

POSTGRES_FTS = [
    # title words weigh A, the rest B: ts_rank favours a match in the title
    "ALTER TABLE practices ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED",
    "CREATE INDEX ix_practices_search ON practices USING gin (search)",
]


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "practices",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(80), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("year_started", sa.Integer),
        sa.Column("created", TS, nullable=False),
        sa.Column("updated", TS, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_practices_updated", "practices", ["updated"])
    op.create_index("ix_practices_title", "practices", ["title"])
    op.create_table(
        "practice_facets",
        sa.Column(
            "pk", sa.Integer, sa.ForeignKey("practices.pk", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("facet", sa.String(30), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_index("ix_practice_facets_lookup", "practice_facets", ["facet", "value", "pk"])
    op.create_index("ix_practice_facets_pk", "practice_facets", ["pk", "facet", "value"])
    op.create_table(
        "revisions",
        sa.Column("practice_id", sa.String(80), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.UniqueConstraint("practice_id", "revision", name="uq_revisions_practice_revision"),
    )
    op.create_table(
        "audit",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("at", TS, nullable=False, index=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
    )
    statements = SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else POSTGRES_FTS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Undo this migration."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS practice_fts")
    for table in ("settings", "audit", "revisions", "practice_facets", "practices"):
        op.drop_table(table)
