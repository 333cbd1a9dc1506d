"""One search call: full-text query, facet filters, facet counts, sort and a page.

SQLite ranks with FTS5's bm25 (title weighted 10 to 1 over the body); PostgreSQL
with ts_rank over a tsvector whose title words carry weight A. Both match whole words
by their stem ("portals" finds "portal"), as :func:`~.query.word_forms` says; a search
box that searches while someone types asks for ``prefix=True``, and the last word then
also matches as the start of a longer word ("tran" finds "transit").

Why not always a prefix: the prefix is taken of the stem, and a stem that lost its
ending is the start of unrelated words ("cities" stems to "citi", which starts
"citizen"; "taxes" to "tax", which starts "taxi"; "bus" to "bu", which starts
"budget"). Whole words are what someone who pressed Enter asked for.

Two ways to answer, with the same results:

* On SQLite, :mod:`.index` keeps each practice's facet values in memory (as search
  engines keep "doc values"), so that filters and facet counts cost microseconds,
  and asks SQLite only for the full-text matches and the page.
* On PostgreSQL (and on SQLite when that index cannot be used), :mod:`.sql` answers
  with one statement.

The package's modules import :mod:`.query` and never each other in a circle.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from govlab.errors import InvalidInput
from govlab.library.engine import is_sqlite
from govlab.library.search.index import search_indexed
from govlab.library.search.query import MAX_LIMIT, ORDERS, WORD_RE, Found, Query
from govlab.library.search.sql import search_sql
from govlab.models import FACETS, SUMMARY_FIELDS, PracticeSummary, Reader, SearchResult

__all__ = ["FACETS", "MAX_LIMIT", "ORDERS", "PracticeSummary", "Query", "SearchResult", "search"]

FilterValue = str | int | Sequence[str | int] | None
Filters = Mapping[str, FilterValue]


def search(
    conn: Connection,
    query: str = "",
    *,
    filters: Filters | None = None,
    order: str = "relevance",
    limit: int = 20,
    page: int = 1,
    reader: Reader | None = None,
    prefix: bool = False,
    scores: Mapping[str, float] | None = None,
) -> SearchResult:
    """Search the library, on the connection's own snapshot.

    Parameters
    ----------
    query
        Words to find; all must match, each as a whole word by its stem.
    filters
        Facet name -> value or list of values (any of them), e.g. ``{"country": "GB"}``.
    order
        ``relevance`` (falls back to ``newest`` without words), ``newest``, ``title`` or
        ``score`` (by ``scores``, highest first, practices without a score last).
    limit, page
        Page size (0 for counts only) and 1-based page number.
    reader
        Show only what this reader may read (see :class:`govlab.models.Reader`);
        ``None`` shows everything (the store itself, exports, admin tools).
    prefix
        Also match the last word as the start of a longer one: for a search box that
        searches while someone is still typing.
    """
    if order not in ORDERS:
        raise InvalidInput(f"Unknown sort {order!r}: use one of {', '.join(ORDERS)}.")
    if not 0 <= limit <= MAX_LIMIT or page < 1:
        raise InvalidInput(f"limit must be 0 to {MAX_LIMIT} and page at least 1.")
    words = WORD_RE.findall(query.lower())
    if order == "relevance" and not words:
        order = "newest"
    request = Query(
        words,
        check_filters(filters or {}),
        reader,
        order,
        limit,
        (page - 1) * limit,
        prefix,
        dict(scores or {}),
    )
    found: Found | None = search_indexed(conn, request) if is_sqlite(conn) else None
    total, rows, facets = found if found is not None else search_sql(conn, request)
    results = [summary(record, rank) for record, rank in rows]
    return SearchResult(total=total, results=results, facets=facets, page=page, limit=limit)


def check_filters(raw: Filters) -> dict[str, list[str]]:
    """Facet filters as lists of stored values; InvalidInput for an unknown facet."""
    wanted: dict[str, list[str]] = {}
    for name, value in raw.items():
        if value is None or value == "" or value == []:
            continue
        if name not in FACETS:
            raise InvalidInput(f"Unknown filter {name!r}: filter on one of {', '.join(FACETS)}.")
        values = [value] if isinstance(value, str | int) else list(value)
        wanted[name] = [str(v).upper() if name == "country" else str(v) for v in values]
    return wanted


def summary(record: Any, rank: float) -> PracticeSummary:
    """A result card's fields from a stored record (a dict, or JSON text)."""
    data = json.loads(record) if isinstance(record, str) else record
    fields = {key: data.get(key) for key in SUMMARY_FIELDS if data.get(key) is not None}
    return PracticeSummary.model_validate(fields | {"score": round(-float(rank), 4)})
