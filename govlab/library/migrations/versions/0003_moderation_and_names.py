"""Names compared by their skeleton, visitors' feedback held for moderation, invite-only groups.

* ``members.name_key``: the member's name as compared (NFKC, case-folded, confusables
  replaced; see :func:`govlab.text.name_key`), filled in for every existing member. Not
  unique in the schema: an old library may already hold two look-alike names, and
  joining is serialised, so the session refuses a new look-alike instead.
* ``feedback.pending``: feedback from an anonymous visitor waits for a facilitator.
* ``working_groups.invite_only``: only the group's members (or a facilitator) add people.
* ``ix_audit_actor``: what a member has done, found without reading the whole audit log
  (ratings weigh a newcomer's stars by whether they did anything else).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from govlab.text import name_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("name_key", sa.String(200), nullable=True))
    members = sa.table("members", sa.column("name", sa.String), sa.column("name_key", sa.String))
    connection = op.get_bind()
    for (name,) in connection.execute(sa.select(members.c.name)).all():
        connection.execute(
            members.update().where(members.c.name == name).values(name_key=name_key(name))
        )
    op.create_index("ix_members_name_key", "members", ["name_key"])
    op.create_index("ix_audit_actor", "audit", ["actor"])
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(
            sa.Column("pending", sa.Boolean, nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("working_groups") as batch:
        batch.add_column(
            sa.Column("invite_only", sa.Boolean, nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Undo this migration."""
    with op.batch_alter_table("working_groups") as batch:
        batch.drop_column("invite_only")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("pending")
    op.drop_index("ix_audit_actor", "audit")
    op.drop_index("ix_members_name_key", "members")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("name_key")
