"""Alembic environment: run on the connection govlab hands over (see govlab.library.migrate)."""

from __future__ import annotations

from alembic import context

from govlab.library.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
context.run_migrations()
