"""The library's tables (SQLAlchemy Core). Migrations in ``migrations/`` create them.

A practice is stored whole as JSON in ``practices.record``; the columns beside it
are copies kept for sorting, filtering and search, rewritten on every save.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

practices = Table(
    "practices",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(80), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False, index=True),
    Column("author", String(200), nullable=False, default=""),
    Column("year_started", Integer),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("record", JSON, nullable=False),
)

practice_facets = Table(
    "practice_facets",
    metadata,
    Column("pk", Integer, ForeignKey("practices.pk", ondelete="CASCADE"), nullable=False),
    Column("facet", String(30), nullable=False),
    Column("value", String(200), nullable=False),
    Index("ix_practice_facets_lookup", "facet", "value", "pk"),
    Index("ix_practice_facets_pk", "pk", "facet", "value"),
)

revisions = Table(
    "revisions",
    metadata,
    Column("practice_id", String(80), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("message", Text, nullable=False, default=""),
    Column("record", JSON, nullable=False),
    UniqueConstraint("practice_id", "revision", name="uq_revisions_practice_revision"),
)

audit = Table(
    "audit",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(200), nullable=False, index=True),
    Column("action", String(60), nullable=False),
    Column("target", String(200), nullable=False, default=""),
    Column("before", JSON),
    Column("after", JSON),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", JSON, nullable=False),
)
