"""Where the embedded library lives, and which database a call means."""

from __future__ import annotations

import os
from pathlib import Path


def govlab_home() -> Path:
    """``$GOVLAB_HOME``, else the platform's user data dir for govlab."""
    home = os.environ.get("GOVLAB_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("govlab", appauthor=False))


def resolve_db_url(db: str | None = None) -> str:
    """The SQLAlchemy URL to use: ``db``, else ``$GOVLAB_DB_URL``, else the embedded SQLite file.

    A bare file path is accepted and means a SQLite file there.
    """
    url = db or os.environ.get("GOVLAB_DB_URL")
    if not url:
        home = govlab_home()
        home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{home / 'library.db'}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare postgresql:// means psycopg2
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
