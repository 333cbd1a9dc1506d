"""SQLAlchemy engines for the embedded SQLite file and a shared PostgreSQL server.

SQLite runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE`` so that two writers queue instead of failing with
"database is locked" when a reader tries to upgrade its lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

BUSY_TIMEOUT_MS = 60_000
WRITE = {"govlab_write": True}


def make_engine(url: str) -> Engine:
    """An engine for ``url`` set up for govlab's concurrency rules."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    if engine.url.database and engine.url.database != ":memory:":
        # created on first use, folder and all, like the default library
        Path(engine.url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # take transaction control from the sqlite3 module so BEGIN is ours to emit
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("govlab_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_sqlite(engine: Engine | Connection) -> bool:
    """Whether ``engine`` (or a connection) talks to SQLite."""
    return engine.dialect.name == "sqlite"
