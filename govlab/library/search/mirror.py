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
* after ``*`` and after a lost connection it compares every practice's revision on both
  sides and copies what differs; every :data:`RECONCILE_EVERY` seconds it does the same
  in a thread of its own, as a safety net, without holding up a search.

The first copy of a large library takes a while (about half a minute for 100,000
practices), so it is made in a thread of its own: until it is complete, PostgreSQL
answers searches itself, and :func:`copies_ready` says when the copy has taken over.

The copy is the practices' records as PostgreSQL holds them; who may read what is
still decided per search by the reader's :class:`~govlab.models.Reader`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, delete, insert, select
from sqlalchemy.engine import Connection

from govlab.library import tables as t
from govlab.library.engine import WRITE, make_engine
from govlab.library.records import facet_rows, from_record, row_values
from govlab.library.search.query import Found, Query
from govlab.models import Practice

log = logging.getLogger(__name__)

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
    if not mirror.ready.is_set():
        mirror.start_copying(conn.engine)
        return None  # PostgreSQL answers until the first copy is complete
    mirror.refresh(conn)
    with mirror.engine.connect() as copy, copy.begin():
        return search_indexed(copy, request)


def copies_ready() -> bool:
    """Whether every copy this process keeps is complete (True when none is kept)."""
    with _lock:
        return all(mirror.ready.is_set() for mirror in _mirrors.values())


def wait_for_copies(timeout: float = 600.0) -> bool:
    """Wait until every copy this process keeps is complete; whether they all are."""
    with _lock:
        mirrors = list(_mirrors.values())
    deadline = time.monotonic() + timeout
    return all(m.ready.wait(max(0.0, deadline - time.monotonic())) for m in mirrors)


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
        self.ready = threading.Event()
        self._worker: threading.Thread | None = None

    def start_copying(self, source: Engine) -> None:
        """Make the first copy in a thread of its own (once; again if it failed)."""
        with _lock:
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(
                target=self._first_copy, args=(source,), name="govlab-search-copy", daemon=True
            )
            self._worker.start()

    def _first_copy(self, source: Engine) -> None:
        try:
            with source.connect() as conn:
                self.refresh(conn)
            self.ready.set()
        except Exception:  # searches keep asking PostgreSQL; the next one tries again
            log.exception("the search copy of %s could not be made", source.url)

    def _reconcile_later(self, source: Engine) -> None:
        """The periodic comparison of everything, in a thread: searches do not wait for it."""

        def work() -> None:
            try:
                with source.connect() as conn:
                    differing = self._differing(conn)
                    with self._lock:
                        self._copy(conn, sorted(differing))
            except Exception:
                log.exception("the search copy of %s could not be compared", source.url)

        threading.Thread(target=work, name="govlab-search-compare", daemon=True).start()

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
            if everything:
                changed |= self._differing(source)
                self._reconciled = time.monotonic()
            elif time.monotonic() - self._reconciled > RECONCILE_EVERY:
                self._reconciled = time.monotonic()
                if self.ready.is_set():
                    self._reconcile_later(source.engine)
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
                found = source.execute(query.where(t.practices.c.id.in_(chunk))).all()
                _replace(copy, [(pk, from_record(record)) for pk, record in found])


def _replace(copy: Connection, practices: list[tuple[int, Practice]]) -> None:
    """Practices into the copy, a chunk at a time: rows, facets and a revision row each.

    Each keeps PostgreSQL's own pk (ties in an order break by it); the FTS triggers
    index the rows. Old rows go first, then every table gets one many-row insert.
    """
    if not practices:
        return
    pks = [pk for pk, _ in practices]
    ids = [practice.id for _, practice in practices]
    copy.execute(delete(t.practice_facets).where(t.practice_facets.c.pk.in_(pks)))
    copy.execute(delete(t.practices).where(t.practices.c.pk.in_(pks) | t.practices.c.id.in_(ids)))
    rows = [row_values(practice) | {"pk": pk} for pk, practice in practices]
    copy.execute(insert(t.practices), rows)
    facets = [row for pk, practice in practices for row in facet_rows(pk, practice)]
    if facets:
        copy.execute(insert(t.practice_facets), facets)
    _note_revisions(copy, practices, rows)


def _note_revisions(
    copy: Connection, practices: list[tuple[int, Practice]], rows: list[dict[str, Any]]
) -> None:
    """A new revisions row per changed practice, so the facet index reloads it.

    The index reloads practices whose revisions row is newer than the last it saw, so
    the new row is inserted before the old ones go (deleting first could hand the new
    row a rowid the index has already seen).
    """
    r = t.revisions
    ids = [practice.id for _, practice in practices]
    held = set(copy.execute(select(r.c.practice_id, r.c.revision).where(r.c.practice_id.in_(ids))))
    new = [
        {
            "practice_id": practice.id,
            "revision": practice.revision,
            "author": practice.author,
            "at": practice.updated,
            "message": "copied",
            "record": row["record"],
        }
        for (_, practice), row in zip(practices, rows, strict=True)
        if (practice.id, practice.revision) not in held
    ]
    if new:
        copy.execute(insert(r), new)
    old = [{"pid": p.id, "rev": p.revision} for _, p in practices]
    copy.execute(
        delete(r).where(r.c.practice_id == bindparam("pid"), r.c.revision != bindparam("rev")),
        old,
    )


def _libpq(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1).replace(
        "postgresql+psycopg2://", "postgresql://", 1
    )
