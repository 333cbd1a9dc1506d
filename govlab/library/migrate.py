"""Bring a database to the newest schema with Alembic, one process at a time.

Opening a library that is already at the newest schema reads one row
(``alembic_version``) and imports no Alembic: :func:`is_current` answers from a
plain query against :data:`HEAD`. Only a new or older library is migrated, in a
write transaction that one process at a time may hold.
"""

from __future__ import annotations

from importlib import resources

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from govlab.library.engine import WRITE, is_sqlite

HEAD = "0003"
"""The newest migration in ``migrations/versions`` (a test checks it against Alembic's)."""
# any constant will do: it names govlab's migration lock among PostgreSQL advisory locks
PG_LOCK_KEY = 0x60B1AB


def alembic_config(connection: Connection | None = None) -> object:
    """Alembic's configuration for govlab's migrations, on ``connection`` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("govlab.library") / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def stored_revision(connection: Connection) -> str | None:
    """The schema revision recorded in the database (None for a new, empty database)."""
    try:
        with connection.begin_nested():
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None  # no alembic_version table: nothing was ever migrated here


def is_current(engine: Engine) -> bool:
    """Whether the database is at :data:`HEAD` (a read: no write lock, no Alembic)."""
    with engine.connect() as connection, connection.begin():
        return stored_revision(connection) == HEAD


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Apply every pending migration; True if the database was new (nothing migrated yet)."""
    from alembic import command

    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        # BEGIN IMMEDIATE (SQLite) or an advisory lock (PostgreSQL): one migrator at a time
        if not is_sqlite(connection):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        created = stored_revision(connection) is None
        command.upgrade(alembic_config(connection), revision)  # type: ignore[arg-type]
        return created


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, read through Alembic."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
