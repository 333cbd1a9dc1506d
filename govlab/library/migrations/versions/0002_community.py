"""The community's tables.

Members, workflow transitions, reviews, ratings, discussion, groups, events,
adoptions and check-ins, citizen feedback, follows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
SEQ = sa.BigInteger().with_variant(sa.Integer, "sqlite")
NAME = 200
ID = 80


def _members_and_workflow() -> None:
    op.create_table(
        "members",
        sa.Column("name", sa.String(NAME), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(300), nullable=False),
        sa.Column("jurisdiction", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("level", sa.String(20)),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("bio", sa.Text, nullable=False),
        sa.Column("joined", TS, nullable=False),
        sa.Column("guidelines_accepted", TS),
        sa.Column("guidelines_version", sa.String(20)),
    )
    op.create_table(
        "transitions",
        sa.Column("seq", SEQ, primary_key=True),
        sa.Column("practice_id", sa.String(ID), nullable=False, index=True),
        sa.Column("from_status", sa.String(20), nullable=False),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(NAME), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("override", sa.Boolean, nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", SEQ, primary_key=True),
        sa.Column("practice_id", sa.String(ID), nullable=False, index=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.String(NAME), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("evidence", sa.Integer, nullable=False),
        sa.Column("transferability", sa.Integer, nullable=False),
        sa.Column("clarity", sa.Integer, nullable=False),
        sa.Column("impact", sa.Integer, nullable=False),
        sa.Column("evidence_level", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.UniqueConstraint("practice_id", "round", "reviewer", name="uq_reviews_one_per_round"),
    )
    op.create_table(
        "ratings",
        sa.Column("practice_id", sa.String(ID), nullable=False),
        sa.Column("member", sa.String(NAME), nullable=False),
        sa.Column("stars", sa.Integer, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.UniqueConstraint("practice_id", "member", name="uq_ratings_practice_member"),
    )
    op.create_table(
        "follows",
        sa.Column("member", sa.String(NAME), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.UniqueConstraint("member", "topic", name="uq_follows"),
    )


def _discussion() -> None:
    op.create_table(
        "comments",
        sa.Column("id", SEQ, primary_key=True),
        sa.Column("practice_id", sa.String(ID), nullable=False, index=True),
        sa.Column("parent_id", SEQ, sa.ForeignKey("comments.id")),
        sa.Column("author", sa.String(NAME), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created", TS, nullable=False),
        sa.Column("edited", TS),
        sa.Column("hidden", sa.Boolean, nullable=False),
        sa.Column("hidden_by", sa.String(NAME)),
        sa.Column("hidden_reason", sa.Text),
    )
    for table in ("comment_flags", "helpful_marks"):
        columns: list[sa.schema.SchemaItem] = [
            sa.Column("comment_id", SEQ, sa.ForeignKey("comments.id"), nullable=False),
            sa.Column("member", sa.String(NAME), nullable=False),
        ]
        if table == "comment_flags":
            columns.append(sa.Column("reason", sa.Text, nullable=False))
        columns.append(sa.Column("at", TS, nullable=False))
        op.create_table(
            table, *columns, sa.UniqueConstraint("comment_id", "member", name=f"uq_{table}")
        )


def _groups_and_events() -> None:
    op.create_table(
        "working_groups",
        sa.Column("id", sa.String(ID), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(NAME), nullable=False),
        sa.Column("created", TS, nullable=False),
    )
    group = sa.ForeignKey("working_groups.id")
    op.create_table(
        "group_members",
        sa.Column("group_id", sa.String(ID), group, nullable=False),
        sa.Column("member", sa.String(NAME), nullable=False),
        sa.Column("joined", TS, nullable=False),
        sa.UniqueConstraint("group_id", "member", name="uq_group_members"),
    )
    op.create_table(
        "group_practices",
        sa.Column("group_id", sa.String(ID), sa.ForeignKey("working_groups.id"), nullable=False),
        sa.Column("practice_id", sa.String(ID), nullable=False),
        sa.Column("added_by", sa.String(NAME), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.UniqueConstraint("group_id", "practice_id", name="uq_group_practices"),
    )
    op.create_table(
        "group_notes",
        sa.Column("id", SEQ, primary_key=True),
        sa.Column(
            "group_id",
            sa.String(ID),
            sa.ForeignKey("working_groups.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("author", sa.String(NAME), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", SEQ, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("starts", TS, nullable=False, index=True),
        sa.Column("ends", TS, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("link", sa.String(500), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("group_id", sa.String(ID), sa.ForeignKey("working_groups.id")),
        sa.Column("created_by", sa.String(NAME), nullable=False),
        sa.Column("created", TS, nullable=False),
    )
    op.create_table(
        "event_materials",
        sa.Column("event_id", SEQ, sa.ForeignKey("events.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(500), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
    )


def _adoptions_and_feedback() -> None:
    op.create_table(
        "adoptions",
        sa.Column("id", SEQ, primary_key=True),
        sa.Column("practice_id", sa.String(ID), nullable=False, index=True),
        sa.Column("member", sa.String(NAME), nullable=False),
        sa.Column("jurisdiction", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("started", sa.Date),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created", TS, nullable=False),
        sa.UniqueConstraint("practice_id", "member", "jurisdiction", name="uq_adoptions"),
    )
    op.create_table(
        "checkins",
        sa.Column("id", SEQ, primary_key=True),
        sa.Column("adoption_id", SEQ, sa.ForeignKey("adoptions.id"), nullable=False, index=True),
        sa.Column("member", sa.String(NAME), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("lessons", sa.Text, nullable=False),
        sa.Column("created", TS, nullable=False),
    )
    op.create_table(
        "kpi_observations",
        sa.Column("checkin_id", SEQ, sa.ForeignKey("checkins.id"), nullable=False, index=True),
        sa.Column("indicator", sa.String(300), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("period", sa.String(50), nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("id", SEQ, primary_key=True),
        sa.Column("service", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("rating", sa.Integer),
        sa.Column("district", sa.String(200), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("entered_by", sa.String(NAME), nullable=False),
        sa.Column("created", TS, nullable=False),
        sa.Column("hidden", sa.Boolean, nullable=False),
        sa.Column("hidden_by", sa.String(NAME)),
        sa.Column("hidden_reason", sa.Text),
    )
    op.create_index("ix_feedback_service_day", "feedback", ["service", "day"])


TABLES = (
    "feedback",
    "kpi_observations",
    "checkins",
    "adoptions",
    "event_materials",
    "events",
    "group_notes",
    "group_practices",
    "group_members",
    "working_groups",
    "helpful_marks",
    "comment_flags",
    "comments",
    "follows",
    "ratings",
    "reviews",
    "transitions",
    "members",
)


def upgrade() -> None:
    """Apply this migration."""
    _members_and_workflow()
    _discussion()
    _groups_and_events()
    _adoptions_and_feedback()


def downgrade() -> None:
    """Undo this migration."""
    for table in TABLES:
        op.drop_table(table)
