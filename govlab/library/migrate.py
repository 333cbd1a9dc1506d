"""Bring a database to the newest schema with Alembic, one process at a time."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from govlab.library.engine import WRITE, is_sqlite

# any constant will do: it names govlab's migration lock among PostgreSQL advisory locks
PG_LOCK_KEY = 0x60B1AB


def alembic_config(connection: Connection | None = None) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("govlab.library") / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every pending migration; a no-op on an up-to-date database."""
    from alembic import command

    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        # BEGIN IMMEDIATE (SQLite) or an advisory lock (PostgreSQL): one migrator at a time
        if not is_sqlite(connection):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        command.upgrade(alembic_config(connection), revision)  # type: ignore[arg-type]


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
