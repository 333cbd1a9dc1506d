"""Tokens the govlab service issues to members outside a JupyterHub (stored hashed).

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"  # set to the newest revision in main when merging (0003 is coming)
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_tokens",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("member", sa.String(200), nullable=False, index=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("created", TS, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("expires", TS),
        sa.Column("revoked", TS),
    )


def downgrade() -> None:
    op.drop_table("service_tokens")
