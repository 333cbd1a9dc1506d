"""The community's tables (SQLAlchemy Core), in a ``metadata`` of their own.

Importing this module adds nothing to the library's ``metadata``: the two sets of
tables live in one database, created by the migrations (``0002_community`` and later),
and each layer declares its own. Times are stored in UTC. Points, badges and the
leaderboard have no table: they are derived from ``audit`` when asked for.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
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
"""The community's tables; the library's are in :data:`govlab.library.tables.metadata`."""

TS = DateTime(timezone=True)
NAME = 200  # a member's name, as in audit.actor and practices.author
ID = 80  # a practice id
SEQ = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements INTEGER keys only

members = Table(
    "members",
    metadata,
    Column("name", String(NAME), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("display_name", String(200), nullable=False, default=""),
    Column("organisation", String(300), nullable=False, default=""),
    Column("jurisdiction", String(200), nullable=False, default=""),
    Column("country", String(2)),
    Column("level", String(20)),
    Column("topics", JSON, nullable=False),
    Column("bio", Text, nullable=False, default=""),
    Column("joined", TS, nullable=False),
    Column("guidelines_accepted", TS),
    Column("guidelines_version", String(20)),
    Column("name_key", String(NAME), index=True),  # see govlab.text.name_key
)

transitions = Table(
    "transitions",
    metadata,
    Column("seq", SEQ, primary_key=True),
    Column("practice_id", String(ID), nullable=False, index=True),
    Column("from_status", String(20), nullable=False),
    Column("to_status", String(20), nullable=False),
    Column("actor", String(NAME), nullable=False),
    Column("at", TS, nullable=False),
    Column("why", Text, nullable=False, default=""),
    Column("override", Boolean, nullable=False, default=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", SEQ, primary_key=True),
    Column("practice_id", String(ID), nullable=False, index=True),
    Column("round", Integer, nullable=False),
    Column("reviewer", String(NAME), nullable=False),
    Column("at", TS, nullable=False),
    Column("evidence", Integer, nullable=False),
    Column("transferability", Integer, nullable=False),
    Column("clarity", Integer, nullable=False),
    Column("impact", Integer, nullable=False),
    Column("evidence_level", Integer, nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("decision", String(20), nullable=False),
    UniqueConstraint("practice_id", "round", "reviewer", name="uq_reviews_one_per_round"),
)

ratings = Table(
    "ratings",
    metadata,
    Column("practice_id", String(ID), nullable=False),
    Column("member", String(NAME), nullable=False),
    Column("stars", Integer, nullable=False),
    Column("at", TS, nullable=False),
    UniqueConstraint("practice_id", "member", name="uq_ratings_practice_member"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", SEQ, primary_key=True),
    Column("practice_id", String(ID), nullable=False, index=True),
    Column("parent_id", SEQ, ForeignKey("comments.id")),
    Column("author", String(NAME), nullable=False),
    Column("body", Text, nullable=False),
    Column("created", TS, nullable=False),
    Column("edited", TS),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("hidden_by", String(NAME)),
    Column("hidden_reason", Text),
)

comment_flags = Table(
    "comment_flags",
    metadata,
    Column("comment_id", SEQ, ForeignKey("comments.id"), nullable=False),
    Column("member", String(NAME), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("at", TS, nullable=False),
    UniqueConstraint("comment_id", "member", name="uq_comment_flags"),
)

helpful_marks = Table(
    "helpful_marks",
    metadata,
    Column("comment_id", SEQ, ForeignKey("comments.id"), nullable=False),
    Column("member", String(NAME), nullable=False),
    Column("at", TS, nullable=False),
    UniqueConstraint("comment_id", "member", name="uq_helpful_marks"),
)

groups = Table(
    "working_groups",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("created_by", String(NAME), nullable=False),
    Column("created", TS, nullable=False),
    Column("invite_only", Boolean, nullable=False, default=False),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", String(ID), ForeignKey("working_groups.id"), nullable=False),
    Column("member", String(NAME), nullable=False),
    Column("joined", TS, nullable=False),
    UniqueConstraint("group_id", "member", name="uq_group_members"),
)

group_practices = Table(
    "group_practices",
    metadata,
    Column("group_id", String(ID), ForeignKey("working_groups.id"), nullable=False),
    Column("practice_id", String(ID), nullable=False),
    Column("added_by", String(NAME), nullable=False),
    Column("at", TS, nullable=False),
    UniqueConstraint("group_id", "practice_id", name="uq_group_practices"),
)

group_notes = Table(
    "group_notes",
    metadata,
    Column("id", SEQ, primary_key=True),
    Column("group_id", String(ID), ForeignKey("working_groups.id"), nullable=False, index=True),
    Column("author", String(NAME), nullable=False),
    Column("body", Text, nullable=False),
    Column("at", TS, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", SEQ, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("starts", TS, nullable=False, index=True),
    Column("ends", TS, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("link", String(500), nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("group_id", String(ID), ForeignKey("working_groups.id")),
    Column("created_by", String(NAME), nullable=False),
    Column("created", TS, nullable=False),
)

event_materials = Table(
    "event_materials",
    metadata,
    Column("event_id", SEQ, ForeignKey("events.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("ref", String(500), nullable=False),
    Column("title", String(200), nullable=False, default=""),
)

adoptions = Table(
    "adoptions",
    metadata,
    Column("id", SEQ, primary_key=True),
    Column("practice_id", String(ID), nullable=False, index=True),
    Column("member", String(NAME), nullable=False),
    Column("jurisdiction", String(200), nullable=False),
    Column("country", String(2)),
    Column("started", Date),
    Column("note", Text, nullable=False, default=""),
    Column("created", TS, nullable=False),
    UniqueConstraint("practice_id", "member", "jurisdiction", name="uq_adoptions"),
)

checkins = Table(
    "checkins",
    metadata,
    Column("id", SEQ, primary_key=True),
    Column("adoption_id", SEQ, ForeignKey("adoptions.id"), nullable=False, index=True),
    Column("member", String(NAME), nullable=False),
    Column("day", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("progress", Integer, nullable=False),
    Column("lessons", Text, nullable=False, default=""),
    Column("created", TS, nullable=False),
)

kpi_observations = Table(
    "kpi_observations",
    metadata,
    Column("checkin_id", SEQ, ForeignKey("checkins.id"), nullable=False, index=True),
    Column("indicator", String(300), nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(50), nullable=False, default=""),
    Column("period", String(50), nullable=False, default=""),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", SEQ, primary_key=True),
    Column("service", String(200), nullable=False),
    Column("channel", String(50), nullable=False),
    Column("text", Text, nullable=False),
    Column("rating", Integer),
    Column("district", String(200), nullable=False, default=""),
    Column("day", Date, nullable=False),
    Column("entered_by", String(NAME), nullable=False),
    Column("created", TS, nullable=False),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("hidden_by", String(NAME)),
    Column("hidden_reason", Text),
    Column("pending", Boolean, nullable=False, default=False),  # a visitor's, not yet approved
    Index("ix_feedback_service_day", "service", "day"),
)

follows = Table(
    "follows",
    metadata,
    Column("member", String(NAME), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("at", TS, nullable=False),
    UniqueConstraint("member", "topic", name="uq_follows"),
)
