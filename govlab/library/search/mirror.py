"""A PostgreSQL library searched as fast as the embedded one: a SQLite copy of its practices.

On PostgreSQL a search ranks with ``ts_rank`` and counts facets in SQL: at 100,000
practices its p95 is several times the SQLite engine's, whose facet index answers
filters and counts in memory (:mod:`.index`). A process that serves many searches (the
govlab service) therefore keeps a copy of the practices (their records, facets and
full-text index: nothing else) in a SQLite file of its own, and answers from it with
the SQLite engine: the same results as a laptop's library, in the same time.

Set ``$GOVLAB_SEARCH_MIRROR`` to a folder to turn it on. The copy keeps up like this:

* every write to a practice on PostgreSQL sends ``NOTIFY govlab_practice`` with its id
  (a bulk load sends ``*``), and PostgreSQL delivers notifications in commit order;
* before each search the copy makes one round trip on its listening connection (so
  that every notification sent before it has arrived) and copies the practices named;
* on first use, after ``*``, after a lost connection and every :data:`RECONCILE_EVERY`
  seconds, it compares every practice's revision on both sides and copies what differs.

The copy is the practices' records as PostgreSQL holds them; who may read what is
still decided per search by the reader's :class:`~govlab.models.Reader`.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from govlab.library import tables as t
from govlab.library.engine import WRITE, make_engine
from govlab.library.records import facet_rows, from_record, row_values, to_record
from govlab.library.search.query import Found, Query

MIRROR_ENV = "GOVLAB_SEARCH_MIRROR"
CHANNEL = "govlab_practice"
RECONCILE_EVERY = 60.0  # seconds: a safety net under the notifications
CHUNK = 1000

_mirrors: dict[str, Mirror] = {}
_lock = threading.Lock()


def notify_sql() -> str:
    """The statement a PostgreSQL write runs for one practice (``:id``, or ``*``)."""
    return f"SELECT pg_notify('{CHANNEL}', :id)"


def search_mirrored(conn: Connection, request: Query) -> Found | None:
    """Answer from the SQLite copy of this PostgreSQL library, or None if none is kept."""
    folder = os.environ.get(MIRROR_ENV)
    if not folder:
        return None
    from govlab.library.search.index import search_indexed

    mirror = mirror_of(conn.engine, Path(folder))
    mirror.refresh(conn)
    with mirror.engine.connect() as copy, copy.begin():
        return search_indexed(copy, request)


def mirror_of(source: Engine, folder: Path) -> Mirror:
    """The process's copy of the library behind ``source`` (made on first use)."""
    key = source.url.render_as_string(hide_password=False)
    with _lock:
        if key not in _mirrors:
            _mirrors[key] = Mirror(folder, key)
        return _mirrors[key]


def forget_mirrors() -> None:
    """Close every copy this process keeps (tests; a service shutting down)."""
    with _lock:
        for mirror in _mirrors.values():
            mirror.close()
        _mirrors.clear()


class Mirror:
    """One PostgreSQL library's practices, copied into a SQLite file and kept up to date."""

    def __init__(self, folder: Path, url: str) -> None:
        from govlab.library.migrate import upgrade

        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(url.encode()).hexdigest()[:16]
        self.path = folder / f"search-{digest}.db"
        self.url = url
        self.engine = make_engine(f"sqlite:///{self.path}")
        upgrade(self.engine)
        self._listener: Any = None
        self._reconciled = 0.0
        self._lock = threading.Lock()

    def close(self) -> None:
        """Stop listening and close the copy's connections."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self.engine.dispose()

    def refresh(self, source: Connection) -> None:
        """Copy what changed on PostgreSQL since the last search (see the module's notes)."""
        with self._lock:
            changed, everything = self._heard()
            if everything or time.monotonic() - self._reconciled > RECONCILE_EVERY:
                changed |= self._differing(source)
                self._reconciled = time.monotonic()
            if changed:
                self._copy(source, sorted(changed))

    def _heard(self) -> tuple[set[str], bool]:
        """Practice ids named since the last look, and whether to compare everything."""
        import psycopg

        if self._listener is None or self._listener.closed:
            self._listener = psycopg.connect(_libpq(self.url), autocommit=True)
            self._listener.execute(f"LISTEN {CHANNEL}")
            return set(), True  # anything written before we listened: compare all
        try:
            self._listener.execute("SELECT 1")  # a round trip: earlier notifications are in
            ids = {note.payload for note in self._listener.notifies(timeout=0)}
        except psycopg.OperationalError:
            self._listener.close()
            return self._heard()
        return ids - {"*"}, "*" in ids

    def _differing(self, source: Connection) -> set[str]:
        """Ids whose revision differs between PostgreSQL and the copy (or that it lacks)."""
        theirs = dict(source.execute(select(t.practices.c.id, t.practices.c.revision)).all())
        with self.engine.connect() as copy:
            ours = dict(copy.execute(select(t.practices.c.id, t.practices.c.revision)).all())
        return {pid for pid, revision in theirs.items() if ours.get(pid) != revision}

    def _copy(self, source: Connection, ids: list[str]) -> None:
        """Write the current records of ``ids`` into the copy, in one transaction."""
        query = select(t.practices.c.pk, t.practices.c.record)
        with self.engine.connect().execution_options(**WRITE) as copy, copy.begin():
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                for pk, record in source.execute(query.where(t.practices.c.id.in_(chunk))):
                    _upsert(copy, pk, from_record(record))


def _upsert(copy: Connection, pk: int, practice: Any) -> None:
    """One practice into the copy: its row, its facets and a revision row.

    It keeps PostgreSQL's own pk (ties in an order break by it); the FTS triggers
    index the row.
    """
    values = row_values(practice) | {"pk": pk}
    statement = sqlite_insert(t.practices).values(values)
    copy.execute(
        statement.on_conflict_do_update(
            index_elements=["pk"], set_={k: statement.excluded[k] for k in values if k != "pk"}
        )
    )
    copy.execute(delete(t.practice_facets).where(t.practice_facets.c.pk == pk))
    rows = facet_rows(pk, practice)
    if rows:
        copy.execute(insert(t.practice_facets), rows)
    # a new revisions row: the facet index reloads practices whose revision rowid is new
    copy.execute(
        text("DELETE FROM revisions WHERE practice_id = :id AND revision = :r"),
        {"id": practice.id, "r": practice.revision},
    )
    copy.execute(
        insert(t.revisions).values(
            practice_id=practice.id,
            revision=practice.revision,
            author=practice.author,
            at=practice.updated,
            message="copied",
            record=to_record(practice),
        )
    )


def _libpq(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1).replace(
        "postgresql+psycopg2://", "postgresql://", 1
    )
