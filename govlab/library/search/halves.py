"""Ranking a large library's matches on both cores: each half of the pks on its own connection.

FTS5 ranks every match with bm25 (about 2 us each, plus a walk of each word's whole
list of practices for its IDF), on one core. In a large library a common word with a
weak filter leaves thousands of matches to rank, so :class:`Halves` runs the same
statement on two connections at once, one for the pks below a split point and one for
those from it (FTS5 takes a rowid range as a constraint and walks only that part of
its lists). bm25 scores do not depend on the range (its IDF and average lengths are
the whole table's), so the two answers together are the one answer: their pks one
after the other, and the best-ranked of each, from which the best overall are chosen.

The second connection must read the same snapshot as the first. Every change to a
practice adds a row to ``revisions`` (see :mod:`govlab.library.search.index`), so the
helper compares the highest revision it sees with the one the search's own snapshot
holds, and when they differ (a write landed in between) the first connection answers
for both halves.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from govlab.library.search.query import WATERMARK_SQL

SPLIT_FROM = 20_000
"""Practices from which two connections answer sooner than one (below, the thread's
hand-over and the second walk for the IDF cost more than half the ranking saves)."""
HIGHEST = 2**63 - 1
_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()

Rows = list[tuple[Any, ...]]


class Halves:
    """A library's second connection (read-only, opened on first use) and how to use it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def run(
        self, raw: Any, sql: str, params: dict[str, Any], split: int | None, watermark: int
    ) -> Rows:
        """``sql``'s rows for pks in [0, split) here and [split, ...) on the helper, or all here.

        ``sql`` takes the range as ``:lo`` and ``:hi``; ``watermark`` is the highest
        revision rowid of ``raw``'s snapshot.
        """
        if split is None:
            return list(raw.execute(sql, params | {"lo": 0, "hi": HIGHEST}).fetchall())
        upper = params | {"lo": split, "hi": HIGHEST}
        helped: Future[Rows | None] = _executor().submit(self._answer, sql, upper, watermark)
        try:
            rows = list(raw.execute(sql, params | {"lo": 0, "hi": split}).fetchall())
        finally:
            other = helped.result()  # never leave the helper running past this search
        if other is None:  # the helper reads another snapshot: answer its half here
            other = list(raw.execute(sql, upper).fetchall())
        return rows + other

    def close(self) -> None:
        """Close the second connection, if it was opened."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def _answer(self, sql: str, params: dict[str, Any], watermark: int) -> Rows | None:
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            (mark,) = conn.execute(WATERMARK_SQL).fetchone()
            return list(conn.execute(sql, params).fetchall()) if mark == watermark else None
        finally:
            conn.execute("ROLLBACK")

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # a forked child opens its own
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA busy_timeout = 60000")
            self._conn, self._pid = conn, os.getpid()
        return self._conn


def _executor() -> ThreadPoolExecutor:
    """One worker thread per process (searches of one process take turns)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="govlab-search"))
        return _pool[1]
