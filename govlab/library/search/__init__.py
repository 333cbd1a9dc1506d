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
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from govlab.errors import InvalidInput
from govlab.library.engine import is_sqlite
from govlab.library.records import aware
from govlab.library.search.index import search_indexed
from govlab.library.search.mirror import search_mirrored
from govlab.library.search.query import (
    MAX_LIMIT,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    MAX_WORDS,
    ORDERS,
    WORD_RE,
    Found,
    Query,
    stop_words,
)
from govlab.library.search.sql import search_sql
from govlab.models import (
    FACETS,
    SUMMARY_FIELDS,
    Level,
    PracticeSummary,
    Reader,
    SearchResult,
    Stage,
    Status,
)

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
    check_page(limit, page)
    words, left_out = query_words(query, prefix=prefix)
    wanted = check_filters(filters or {})
    if left_out and not words:  # only stop words: nothing to look for (see left_out_note)
        return SearchResult(total=0, results=[], page=page, limit=limit, left_out=left_out)
    if order == "relevance" and not words:
        order = "newest"
    request = Query(
        words,
        wanted,
        reader,
        order,
        limit,
        (page - 1) * limit,
        prefix,
        dict(scores or {}),
    )
    if is_sqlite(conn):
        found: Found | None = search_indexed(conn, request)
    else:
        found = search_mirrored(conn, request)  # None unless $GOVLAB_SEARCH_MIRROR is set
    total, rows, facets = found if found is not None else search_sql(conn, request)
    results = [summary(record, rank) for record, rank in rows]
    # built from the engines' own counts and checked cards: no second validation
    return SearchResult.model_construct(
        total=total, results=results, facets=facets, page=page, limit=limit, left_out=left_out
    )


def query_words(query: object, *, prefix: bool = False) -> tuple[list[str], list[str]]:
    """The distinct words of a search, in order, and the stop words left out of it.

    InvalidInput past the limits. Stop words are left out, as PostgreSQL's English
    configuration leaves them out. A word said twice is searched once (FTS5's bm25
    costs grow with the square of the repeated terms: a pasted "a a a ..." ran for
    minutes). With ``prefix``, the word typed last stays last, since it is the one
    still being typed.
    """
    if not isinstance(query, str):
        raise InvalidInput(f"query: give the words to search for as text, not {query!r}.")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"query: a search may be {MAX_QUERY_CHARS} characters long; this one has "
            f"{len(query):,}. Search for a few words from it."
        )
    # stop words ("the", "of") are in every practice: PostgreSQL drops them, and so do we
    said = WORD_RE.findall(query.lower())
    words = [w for w in said if w not in stop_words()]
    left_out = list(dict.fromkeys(w for w in said if w in stop_words()))
    last = words[-1:] if prefix else []
    distinct = list(dict.fromkeys(w for w in words if w not in last)) + last
    if len(distinct) > MAX_WORDS:
        raise InvalidInput(
            f"query: a search may have {MAX_WORDS} different words; this one has "
            f"{len(distinct)}. Search for the few that matter most."
        )
    return distinct, left_out


def check_page(limit: object, page: object) -> None:
    """InvalidInput unless ``limit`` (0 to 500) and ``page`` (from 1) are whole numbers."""
    if type(limit) is not int or not 0 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit: give a whole number from 0 to {MAX_LIMIT}, not {limit!r}.")
    if type(page) is not int or not 1 <= page <= MAX_PAGE:
        raise InvalidInput(f"page: give a whole number from 1 to {MAX_PAGE:,}, not {page!r}.")


def check_filters(raw: Filters) -> dict[str, list[str]]:
    """Facet filters as lists of stored values; InvalidInput for an unknown facet."""
    wanted: dict[str, list[str]] = {}
    for name, value in raw.items():
        if value is None or value == "" or value == []:
            continue
        if name not in FACETS:
            raise InvalidInput(f"Unknown filter {name!r}: filter on one of {', '.join(FACETS)}.")
        values = [value] if isinstance(value, str | int) else value
        if not isinstance(values, list | tuple | set) or not all(
            isinstance(v, str | int) for v in values
        ):
            raise InvalidInput(f"{name}: give one value or a list of values, not {value!r}.")
        wanted[name] = [str(v).upper() if name == "country" else str(v) for v in values]
    return wanted


def summary(record: Any, rank: float) -> PracticeSummary:
    """A result card's fields from a stored record (a dict, or JSON text).

    The record was validated when it was saved, so the card is built without
    validating it again (a search builds twenty: validation was a tenth of its time);
    only the enumerations are turned back into their members.
    """
    data = json.loads(record) if isinstance(record, str) else record
    fields = {key: data[key] for key in SUMMARY_FIELDS if data.get(key) is not None}
    for name, kind in ENUMS.items():
        if name in fields:
            fields[name] = kind(fields[name])
    if "updated" in fields:
        fields["updated"] = aware(datetime.fromisoformat(fields["updated"]))
    return PracticeSummary.model_construct(score=round(-float(rank), 4), **fields)


ENUMS: dict[str, Any] = {"level": Level, "stage": Stage, "status": Status}
