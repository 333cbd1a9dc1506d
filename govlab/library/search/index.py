"""SQLite search with the facets held in memory: filters and counts in microseconds.

Counting facets in SQL costs SQLite about 10 us per matching practice (a probe of
``practice_facets`` and a sorter row for each of its ~10 facet values): 40 ms for
4,000 matches. Search engines keep each document's facet values in memory for this
("doc values"); :class:`FacetIndex` does the same with numpy arrays indexed by
practice ``pk``: one matrix of facet-value codes, each practice's ``updated`` time
(for sorting), and the author of every practice not yet public (for the reader rule).

A search then asks SQLite only what needs its indexes, in one statement: the
full-text matches, filtered inside FTS5's own scan by a byte mask the facet index
builds (``substr(:mask, rowid + 1, 1)``, so bm25 runs only on the survivors), handed
back as one ``group_concat`` string rather than a row each, plus the few best-ranked;
then the records of the one page shown. In a large library, each half of the pks runs
that statement on its own connection and core (:mod:`govlab.library.search.halves`).

Freshness: every change to a practice goes through ``Tx.save`` or ``Tx.bulk_insert``,
and each adds a row to ``revisions``. The index remembers the highest revision rowid
it reflects and, inside the search's own read transaction, first reloads the practices
of any newer revision, so it answers for the same snapshot as the full-text index.
(Practices are never deleted; a tool that deletes one, or writes ``practice_facets``
without a revision, must call :func:`forget`.)
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from govlab.library.search.facets import FacetIndex
from govlab.library.search.halves import SPLIT_FROM, Halves
from govlab.library.search.query import TITLE_WEIGHT, Found, Query, fts5_query, sorted_counts
from govlab.models import SUMMARY_FIELDS

if TYPE_CHECKING:
    import numpy as np

KEEP = 4  # libraries whose index a process keeps (tests open many, a server one or two)


@dataclass
class _Library:
    index: FacetIndex
    halves: Halves


_indexes: OrderedDict[tuple[str, int, int], _Library] = OrderedDict()
_lock = threading.Lock()


def search_indexed(conn: Connection, request: Query) -> Found | None:
    """Answer ``request`` with the facet index, or None if this database cannot have one."""
    key = _key(conn)
    raw = conn.connection.driver_connection
    if key is None or raw is None:
        return None
    with _lock:
        library = _indexes.pop(key, None) or _Library(FacetIndex(), Halves(key[0]))
        _indexes[key] = library
        while len(_indexes) > KEEP:
            _indexes.popitem(last=False)[1].halves.close()
        library.index.catch_up(raw)
        return _answer(raw, library, request)


def forget() -> None:
    """Drop every facet index of this process (each rebuilds on its next search)."""
    with _lock:
        for library in _indexes.values():
            library.halves.close()
        _indexes.clear()


def _key(conn: Connection) -> tuple[str, int, int] | None:
    path = conn.engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    stat = os.stat(path)  # a file replaced at the same path is another library
    return (os.path.abspath(path), stat.st_dev, stat.st_ino)


def _answer(raw: Any, library: _Library, request: Query) -> Found:
    import numpy as np

    index = library.index
    keep = index.mask(request)
    best: tuple[Any, Any] | None = None
    if request.words:
        pks, ranks, best = _full_text(raw, library, request, keep)
    else:
        pks = np.flatnonzero(keep if keep is not None else index.exists())
        ranks = np.zeros(len(pks))
    total, facets = len(pks), sorted_counts(index.count(pks))
    page: list[tuple[Any, float]] = []
    if request.limit and len(pks) > request.offset:
        if best is not None:  # relevance: order the best-ranked few, exactly as SQL ranked them
            pks, ranks = best
        if request.order == "title":
            index.load_titles(raw)
        scores = index.scores(raw, dict(request.scores)) if request.order == "score" else None
        chosen = index.top(pks, ranks, request.order, request.offset + request.limit, scores)
        chosen = chosen[request.offset :]
        page = _records(raw, pks[chosen].tolist(), ranks[chosen].tolist())
    return total, page, facets


def _full_text(
    raw: Any, library: _Library, request: Query, keep: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """Matches that ``keep`` lets through: (all pks, their ranks, the best-ranked).

    For relevance order, the ranks of all matches are not needed: only the best-ranked
    ``offset + limit`` (and any tied with the last of them) come back, with their exact
    bm25; the rest come as one string of pks. For other orders every rank comes back
    (to 15 digits, which is what a shown score needs). In a large library each half of
    the pks is answered on its own connection (:mod:`govlab.library.search.halves`).
    """
    import numpy as np

    match = (
        f"SELECT rowid AS pk, bm25(practice_fts, {TITLE_WEIGHT}, 1.0) AS r FROM practice_fts "
        "WHERE practice_fts MATCH :q AND rowid >= :lo AND rowid < :hi"
    )
    params: dict[str, Any] = {"q": fts5_query(request)}
    if keep is not None:
        # a byte per pk; the unary + keeps SQLite from handing rowid to FTS5 as a lookup
        match += " AND substr(:keep, +rowid + 1, 1) = x'01'"
        params["keep"] = keep.view(np.uint8).tobytes()
    relevance = request.order == "relevance"
    sql = f"WITH h AS MATERIALIZED ({match}) SELECT NULL, group_concat(pk), "
    sql += "NULL FROM h" if relevance else "group_concat(r) FROM h"
    if relevance:
        params["k"] = request.offset + request.limit
        sql += (
            " UNION ALL SELECT r, pk, NULL FROM h WHERE r <= "
            "(SELECT max(r) FROM (SELECT r FROM h ORDER BY r LIMIT :k))"
        )
    split = _split_point(library.index, keep)
    rows = library.halves.run(raw, sql, params, split, library.index.watermark)
    # the aggregate rows are those without a rank (bm25 is never NULL), one per half
    joined = [row for row in rows if row[0] is None]
    pks = np.concatenate([_numbers(row[1], np.int64) for row in joined])
    if not relevance:
        return pks, np.concatenate([_numbers(row[2], np.float64) for row in joined]), None
    best = [row for row in rows if row[0] is not None]
    best_pks = np.array([pk for _, pk, _ in best], dtype=np.int64)
    best_ranks = np.array([r for r, _, _ in best], dtype=np.float64)
    return pks, np.zeros(0), (best_pks, best_ranks)


def _split_point(index: FacetIndex, keep: np.ndarray | None) -> int | None:
    """The pk that halves the practices a search may match, in a large library (else None)."""
    import numpy as np

    if len(index.updated) < SPLIT_FROM:
        return None
    candidates = np.flatnonzero(keep if keep is not None else index.exists())
    return int(candidates[len(candidates) // 2]) if len(candidates) > 1 else None


def _numbers(joined: str | None, dtype: Any) -> np.ndarray:
    """A ``group_concat`` of numbers (None for none) as an array."""
    import numpy as np

    if not joined:
        return np.zeros(0, dtype=dtype)
    return np.fromstring(joined, dtype=dtype, sep=",")


def _records(raw: Any, pks: list[int], ranks: list[float]) -> list[tuple[Any, float]]:
    """The page's summaries: SQLite picks the fields out of each record, parsing it once."""
    import json

    paths = ", ".join(f"'$.{name}'" for name in SUMMARY_FIELDS)
    marks = ", ".join("?" * len(pks))
    # with several paths, json_extract returns one JSON array of their values
    sql = f"SELECT pk, json_extract(record, {paths}) FROM practices WHERE pk IN ({marks})"
    found = {
        pk: dict(zip(SUMMARY_FIELDS, json.loads(values), strict=True))
        for pk, values in raw.execute(sql, pks)
    }
    return [(found[pk], rank) for pk, rank in zip(pks, ranks, strict=True)]
