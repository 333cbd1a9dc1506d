"""The practice store: one object per database, transactions, revisions and audit.

The store knows nothing of roles: permission checks live in the community session,
which calls these methods. Every save records a revision and an audit row in the
same transaction as the change.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from govlab.errors import Busy, Conflict, NotFound
from govlab.library import tables as t
from govlab.library.engine import WRITE, is_sqlite, make_engine
from govlab.library.paths import resolve_db_url
from govlab.library.records import (
    FieldChange,
    Revision,
    aware,
    facet_rows,
    from_record,
    row_values,
    to_record,
)
from govlab.library.search import Filters
from govlab.models import Practice, Reader, SearchResult, now
from govlab.text import clean

T = TypeVar("T")
RETRIES = 8  # a locked SQLite file after the busy timeout, or a PostgreSQL serialisation clash


Clock = Callable[[], datetime]


class Store:
    """The library's storage, on SQLite or PostgreSQL through one SQLAlchemy engine.

    ``clock`` is where every timestamp a write makes comes from (revisions, ``created``
    and ``updated``, audit rows): the session's clock, so that one action carries one time.
    """

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock: Clock = clock or now

    @classmethod
    def open(
        cls,
        db: str | None = None,
        *,
        seed: bool = True,
        clock: Clock | None = None,
        creator: str | None = None,
    ) -> Store:
        """Open the library at ``db``, creating, migrating and (on first use) seeding it.

        A library that is already at the newest schema (and seeded, if ``seed``) is
        opened with one read: no write lock, so opening never waits for a long import.
        ``creator`` is recorded as the person who created a new library (its admin).
        """
        store = cls(make_engine(resolve_db_url(db)), clock)
        if not store._ready(seed):
            store._prepare(seed, creator)
        return store

    def _ready(self, seed: bool) -> bool:
        """Whether the library needs no migration (and no seeding, if ``seed``): one read."""
        from govlab.library.migrate import HEAD, stored_revision

        with self.engine.connect() as conn, conn.begin():
            if stored_revision(conn) != HEAD:
                return False
            return not seed or Tx(conn).setting("seeded") is not None

    def _prepare(self, seed: bool, creator: str | None) -> None:
        """Migrate and seed, once, waiting (with a plain message) while another process does."""
        from govlab.library.migrate import upgrade

        for attempt in range(RETRIES):
            try:
                if upgrade(self.engine):
                    self.retrying(lambda tx: tx.set_setting("created", self._created(creator)))
                if seed:
                    self.seed_once()
                return
            except OperationalError as error:
                if not _transient(error):
                    raise
                if attempt == RETRIES - 1:
                    raise Busy(
                        f"The library at {self.url} is busy: another govlab is writing to it "
                        "(an import, or someone setting it up). Try again in a minute."
                    ) from None
                time.sleep(0.05 * 2**attempt)

    def _created(self, creator: str | None) -> dict[str, Any]:
        return {"by": creator, "at": self.clock().isoformat()}

    @property
    def url(self) -> str:
        """The database URL, with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A write transaction: everything in it lands together or not at all."""
        with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
            yield Tx(conn, self.clock)

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        """A read transaction: one consistent snapshot, and no write lock taken."""
        with self.engine.connect() as conn, conn.begin():
            yield Tx(conn, self.clock)

    def retrying(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in a write transaction, again if the database was momentarily busy."""
        for attempt in range(RETRIES):
            try:
                with self.transaction() as tx:
                    return work(tx)
            except OperationalError as error:
                if not _transient(error):
                    raise
                if attempt == RETRIES - 1:
                    raise Busy(
                        f"The library at {self.url} is busy: another govlab has been writing "
                        "to it for over a minute (an import?). Nothing was changed; try again."
                    ) from None
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    # reads -----------------------------------------------------------------------------
    def get(self, practice_id: str) -> Practice:
        """One practice by id; NotFound if there is none."""
        with self.reading() as tx:
            return tx.practice(practice_id)

    def history(self, practice_id: str) -> list[Revision]:
        """Every revision of a practice, oldest first."""
        with self.reading() as tx:
            return tx.history(practice_id)

    def diff(self, practice_id: str, a: int, b: int) -> list[FieldChange]:
        """What changed between revisions ``a`` and ``b`` of a practice, field by field."""
        with self.reading() as tx:
            before, after = tx.revision(practice_id, a), tx.revision(practice_id, b)
        return diff_records(to_record(before.practice), to_record(after.practice))

    def search(
        self,
        query: str = "",
        *,
        filters: Filters | None = None,
        order: str = "relevance",
        limit: int = 20,
        page: int = 1,
        reader: Reader | None = None,
        prefix: bool = False,
        scores: Mapping[str, float] | None = None,
        **facets: Any,
    ) -> SearchResult:
        """Search every practice (or what ``reader`` may read): see :func:`~.search.search`.

        Facet filters may be given as ``filters`` or as keyword arguments (``country="GB"``).
        """
        from govlab.library.search import search

        with self.reading() as tx:
            return search(
                tx.conn,
                query,
                filters={**(filters or {}), **facets},
                order=order,
                limit=limit,
                page=page,
                reader=reader,
                prefix=prefix,
                scores=scores,
            )

    def stats(self) -> dict[str, Any]:
        """How many practices there are, by status, with the facet counts."""
        from govlab.library.search import search

        with self.reading() as tx:
            rows = tx.conn.execute(
                select(t.practices.c.status, func.count()).group_by(t.practices.c.status)
            ).all()
            facets = search(tx.conn, "", limit=0).facets
        by_status = {status: count for status, count in rows}
        return {"total": sum(by_status.values()), "by_status": by_status, "facets": facets}

    def count(self) -> int:
        """How many practices the library holds."""
        with self.reading() as tx:
            return tx.count()

    # writes ----------------------------------------------------------------------------
    def save(self, practice: Practice, *, by: str, why: str = "") -> Practice:
        """Create or update one practice in its own transaction (with a revision)."""
        return self.retrying(lambda tx: tx.save(practice, by=by, why=why))

    def save_all(self, practices: Iterable[Practice], *, by: str, why: str = "") -> int:
        """Save many practices in one transaction: all land, or none."""
        items = list(practices)
        self.retrying(lambda tx: [tx.save(p, by=by, why=why, audit=False) for p in items])
        return len(items)

    def seed_once(self) -> bool:
        """Load the seed library into a new, empty library; False if it was seeded before."""
        from govlab.library.seed import seed_practices

        practices = seed_practices()

        def work(tx: Tx) -> bool:
            if tx.setting("seeded") is not None:
                return False
            for practice in practices:
                if not tx.exists(practice.id):
                    tx.save(
                        practice,
                        by=practice.author or "govlab-seed",
                        why="seed library",
                        audit=False,
                    )
            tx.set_setting("seeded", {"at": tx.now().isoformat(), "count": len(practices)})
            return True

        return bool(self.retrying(work))


class Tx:
    """Reads and writes inside one transaction."""

    def __init__(self, conn: Connection, clock: Clock | None = None) -> None:
        self.conn = conn
        self.now: Clock = clock or now

    def exists(self, practice_id: str) -> bool:
        """Whether a practice with this id exists."""
        query = select(t.practices.c.pk).where(t.practices.c.id == practice_id)
        return self.conn.execute(query).first() is not None

    def count(self) -> int:
        """How many practices the library holds."""
        return int(self.conn.execute(select(func.count()).select_from(t.practices)).scalar_one())

    def practice(self, practice_id: str, *, for_update: bool = False) -> Practice:
        """One practice by id (locked for update on PostgreSQL if asked); NotFound if none."""
        query = select(t.practices.c.record).where(t.practices.c.id == practice_id)
        if for_update and not is_sqlite(self.conn):
            query = query.with_for_update()
        record = self.conn.execute(query).scalar_one_or_none()
        if record is None:
            raise NotFound(f"No practice with id {practice_id!r} in the library.")
        return from_record(record)

    def practices(self, ids: Iterable[str] | None = None) -> list[Practice]:
        """Every practice (or those of ``ids``), by id."""
        query = select(t.practices.c.record).order_by(t.practices.c.id)
        if ids is not None:
            query = query.where(t.practices.c.id.in_(list(ids)))
        return [from_record(record) for record in self.conn.execute(query).scalars()]

    def save(self, practice: Practice, *, by: str, why: str = "", audit: bool = True) -> Practice:
        """Create or update a practice, keeping a revision (and an audit row)."""
        moment, why = self.now(), clean(why)
        pk = self.conn.execute(
            select(t.practices.c.pk).where(t.practices.c.id == practice.id)
        ).scalar_one_or_none()
        before = self.practice(practice.id, for_update=True) if pk is not None else None
        stamped = practice.model_copy(
            update={
                "author": practice.author or (before.author if before else by),
                "created": before.created if before else (practice.created or moment),
                "updated": moment,
                "revision": (before.revision if before else 0) + 1,
            }
        )
        values = row_values(stamped)
        if pk is None:
            pk = self._insert(values)
        else:
            self.conn.execute(update(t.practices).where(t.practices.c.pk == pk).values(values))
            self.conn.execute(delete(t.practice_facets).where(t.practice_facets.c.pk == pk))
        rows = facet_rows(pk, stamped)
        if rows:
            self.conn.execute(insert(t.practice_facets), rows)
        self._keep_revision(stamped, by=by, why=why, at=moment)
        self._announce(stamped.id)
        if audit:
            self.audit(by, "practice.save", stamped.id, before=before, after=stamped, at=moment)
        return stamped

    def bulk_insert(self, practices: Iterable[Practice], *, by: str, why: str = "") -> int:
        """Insert many new practices at once: revision 1 each, no audit rows.

        The fast path for loading a large library (benchmarks, a first import): one
        multi-row insert per table instead of a round of queries per practice. It only
        creates: an id already in the library, or twice in ``practices``, raises
        :class:`Conflict` and, as the transaction rolls back, nothing is inserted.
        """
        moment = self.now()
        stamped = [
            p.model_copy(
                update={
                    "author": p.author or by,
                    "created": p.created or moment,
                    "updated": moment,
                    "revision": 1,
                }
            )
            for p in practices
        ]
        if not stamped:
            return 0
        self._refuse_duplicates([p.id for p in stamped])
        rows = [row_values(p) for p in stamped]
        statement = insert(t.practices).returning(
            t.practices.c.pk, t.practices.c.id, sort_by_parameter_order=True
        )
        try:
            pks = dict((pid, pk) for pk, pid in self.conn.execute(statement, rows))
        except IntegrityError as error:
            raise Conflict("A practice with one of these ids already exists.") from error
        facets = [row for p in stamped for row in facet_rows(pks[p.id], p)]
        if facets:
            self.conn.execute(insert(t.practice_facets), facets)
        revisions = [
            {
                "practice_id": p.id,
                "revision": 1,
                "author": by,
                "at": moment,
                "message": why,
                "record": row["record"],
            }
            for p, row in zip(stamped, rows, strict=True)
        ]
        self.conn.execute(insert(t.revisions), revisions)
        self._announce("*")
        return len(stamped)

    def _announce(self, practice_id: str) -> None:
        """Tell a searching copy of a PostgreSQL library which practice changed (at commit)."""
        if not is_sqlite(self.conn):
            from govlab.library.search.mirror import notify_sql

            self.conn.execute(text(notify_sql()), {"id": practice_id})

    def _refuse_duplicates(self, ids: list[str]) -> None:
        seen: set[str] = set()
        for pid in ids:
            if pid in seen:
                raise Conflict(f"Practice id {pid!r} appears twice in one bulk insert.")
            seen.add(pid)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            taken = self.conn.execute(
                select(t.practices.c.id).where(t.practices.c.id.in_(chunk)).limit(1)
            ).scalar_one_or_none()
            if taken is not None:
                raise Conflict(f"A practice with id {taken!r} already exists.")

    def _insert(self, values: dict[str, Any]) -> int:
        try:
            result = self.conn.execute(insert(t.practices).values(values))
        except IntegrityError as error:
            raise Conflict(f"A practice with id {values['id']!r} already exists.") from error
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def _keep_revision(self, practice: Practice, *, by: str, why: str, at: Any) -> None:
        self.conn.execute(
            insert(t.revisions).values(
                practice_id=practice.id,
                revision=practice.revision,
                author=by,
                at=at,
                message=why,
                record=to_record(practice),
            )
        )

    def history(self, practice_id: str) -> list[Revision]:
        """Every revision of a practice, oldest first; NotFound if it has none."""
        query = (
            select(t.revisions)
            .where(t.revisions.c.practice_id == practice_id)
            .order_by(t.revisions.c.revision)
        )
        revisions = [_revision(row._mapping) for row in self.conn.execute(query)]
        if not revisions:
            raise NotFound(f"No practice with id {practice_id!r} in the library.")
        return revisions

    def revision(self, practice_id: str, number: int) -> Revision:
        """One revision of a practice; NotFound if it does not exist."""
        query = select(t.revisions).where(
            t.revisions.c.practice_id == practice_id, t.revisions.c.revision == number
        )
        row = self.conn.execute(query).first()
        if row is None:
            raise NotFound(f"Practice {practice_id!r} has no revision {number}.")
        return _revision(row._mapping)

    def audit(
        self,
        actor: str,
        action: str,
        target: str = "",
        *,
        before: Any = None,
        after: Any = None,
        at: Any = None,
    ) -> None:
        """Append an audit row: who did what to which thing, with the state before and after."""
        self.conn.execute(
            insert(t.audit).values(
                at=at or self.now(),
                actor=actor,
                action=action,
                target=target,
                before=_jsonable(before),
                after=_jsonable(after),
            )
        )

    def setting(self, key: str) -> Any:
        """A setting's stored value (None if it was never set)."""
        query = select(t.settings.c.value).where(t.settings.c.key == key)
        return self.conn.execute(query).scalar_one_or_none()

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting's value, replacing any before it."""
        self.conn.execute(delete(t.settings).where(t.settings.c.key == key))
        self.conn.execute(insert(t.settings).values(key=key, value=value))


def _revision(row: Any) -> Revision:
    return Revision(
        practice_id=row["practice_id"],
        revision=row["revision"],
        author=row["author"],
        at=aware(row["at"]),
        message=row["message"],
        practice=from_record(row["record"]),
    )


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def _transient(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text or "deadlock" in text


IGNORED_IN_DIFF = {"updated", "revision"}


def diff_records(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Field-level changes; long text fields also carry a unified diff in ``after``."""
    changes = []
    for name in after:
        if name in IGNORED_IN_DIFF or before.get(name) == after.get(name):
            continue
        old, new = before.get(name), after.get(name)
        if isinstance(old, str) and isinstance(new, str) and ("\n" in old or "\n" in new):
            lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="")
            new = {"text": new, "diff": "\n".join(lines)}
        changes.append(FieldChange(field=name, before=old, after=new))
    return changes
