"""The SQL engine: one statement finds the matches once, counts them by facet and pages them.

It answers every search on PostgreSQL, and on SQLite when the facet index cannot be
used (an in-memory database). The matches are found once (a ``MATERIALIZED`` CTE) and
feed both the facet counts (one ``GROUP BY``) and the page. The total is the sum of the
``status`` counts, since every practice has exactly one status.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from govlab.library.engine import is_sqlite
from govlab.library.search.query import (
    TITLE_WEIGHT,
    Found,
    Query,
    fts5_query,
    sorted_counts,
    tsquery,
)

# inner order (over m joined with practices p), outer order (over the page x)
ORDER = {
    "relevance": ("m.rank, p.updated DESC, p.pk DESC", "x.rank, x.updated DESC, x.pk DESC"),
    "newest": ("p.updated DESC, p.pk DESC", "x.updated DESC, x.pk DESC"),
    "title": ("p.title, p.id", "x.title, x.id"),
    "score": (
        "(s.score IS NULL), s.score DESC, p.updated DESC, p.pk DESC",
        "(x.score IS NULL), x.score DESC, x.updated DESC, x.pk DESC",
    ),
}
# the facet to drive a search without words from: most distinct values first
DRIVING_ORDER = ("country", "year", "technology", "topic", "sector", "evidence_level", "stage")


def search_sql(conn: Connection, request: Query) -> Found:
    """Answer with one statement: matches found once, counted by facet, and paged."""
    params: dict[str, Any] = {"limit": request.limit, "offset": request.offset}
    ctes = _matched_ctes(conn, request, params)
    facets = (
        "SELECT 0 AS part, f.facet AS facet, f.value AS value, count(*) AS n, "
        "CAST(NULL AS FLOAT) AS rank, CAST(NULL AS TEXT) AS record "
        "FROM m JOIN practice_facets f ON f.pk = m.pk GROUP BY f.facet, f.value"
    )
    scored = request.order == "score"
    if scored:
        ctes += ", " + _scores_cte(conn, request, params)
    inner, outer = ORDER[request.order]
    join_scores = " LEFT JOIN s ON s.id = p.id" if scored else ""
    score_column = ", s.score AS score" if scored else ""
    # the records are read for the page only, after the sort: reading (and, on
    # PostgreSQL, de-TOASTing) every match's record would cost more than the search
    page = (
        f"SELECT 1, NULL, NULL, row_number() OVER (ORDER BY {outer}), x.rank, "
        "CAST(r.record AS TEXT) FROM ("
        "SELECT m.rank AS rank, p.updated AS updated, p.pk AS pk, p.title AS title, "
        f"p.id AS id{score_column} FROM m JOIN practices p ON p.pk = m.pk{join_scores} "
        f"ORDER BY {inner} LIMIT :limit OFFSET :offset) x JOIN practices r ON r.pk = x.pk"
    )
    sql = f"WITH {ctes} {facets}"
    if request.limit:
        sql += f" UNION ALL {page}"
    counts: dict[str, dict[str, int]] = {}
    rows: list[tuple[int, Any, float]] = []
    for part, facet, value, n, rank, record in conn.execute(text(sql), params):
        if part == 0:
            counts.setdefault(facet, {})[value] = int(n)
        else:
            rows.append((int(n), record, float(rank)))
    total = sum(counts.get("status", {}).values())
    page_rows = [(record, rank) for _, record, rank in sorted(rows, key=lambda row: row[0])]
    return total, page_rows, sorted_counts(counts)


def _scores_cte(conn: Connection, request: Query, params: dict[str, Any]) -> str:
    """``s(id, score)``: the caller's number per practice id, passed as one JSON object."""
    params["scores"] = json.dumps({key: float(value) for key, value in request.scores.items()})
    if is_sqlite(conn):
        return "s AS (SELECT key AS id, CAST(value AS FLOAT) AS score FROM json_each(:scores))"
    return (
        "s AS (SELECT key AS id, CAST(value AS FLOAT) AS score "
        "FROM jsonb_each_text(CAST(:scores AS jsonb)))"
    )


def _matched_ctes(conn: Connection, request: Query, params: dict[str, Any]) -> str:
    """CTEs ending in ``m(pk, rank)``, every match once; lower rank is better, like bm25.

    The candidates come first, fenced off in their own CTE so that no planner's guess
    can turn the plan around: the full-text matches when there are words (from the GIN
    index), else the practices with the most selective facet filter (from the facet
    index). The other filters are EXISTS probes of ``(pk, facet, value)``.
    """
    wanted = dict(request.wanted)
    if request.words and is_sqlite(conn):  # SQLite's fast path is the index; this is a fallback
        params["q"] = fts5_query(request)
        candidates = (
            f"SELECT rowid AS pk, bm25(practice_fts, {TITLE_WEIGHT}, 1.0) AS rank "
            "FROM practice_fts WHERE practice_fts MATCH :q"
        )
        rank = "c.rank"
    elif request.words:
        params["q"] = tsquery(request)
        candidates = "SELECT pk FROM practices WHERE search @@ to_tsquery('english', :q)"
        # ts_rank is higher for better matches; negate so that lower sorts first, like bm25
        rank = "-ts_rank(p.search, to_tsquery('english', :q))"
    else:
        driver = next((name for name in DRIVING_ORDER if name in wanted), None)
        if driver is None:
            candidates = "SELECT pk FROM practices"
        else:
            keys = _bind(params, "d", wanted.pop(driver))
            params["dn"] = driver
            candidates = (
                f"SELECT DISTINCT pk FROM practice_facets WHERE facet = :dn AND value IN ({keys})"
            )
        rank = "CAST(0 AS FLOAT)"
    where = []
    for index, (name, values) in enumerate(wanted.items()):
        params[f"fn{index}"] = name
        where.append(
            f"EXISTS (SELECT 1 FROM practice_facets f{index} WHERE f{index}.pk = c.pk "
            f"AND f{index}.facet = :fn{index} "
            f"AND f{index}.value IN ({_bind(params, f'f{index}_', values)}))"
        )
    if request.reader is not None:
        where.append(_reader_clause(request, params))
    matched = f"SELECT c.pk AS pk, {rank} AS rank FROM c JOIN practices p ON p.pk = c.pk"
    if where:
        matched += " WHERE " + " AND ".join(where)
    return f"c AS MATERIALIZED ({candidates}), m AS MATERIALIZED ({matched})"


def _reader_clause(request: Query, params: dict[str, Any]) -> str:
    """Only what the reader may read: the statuses open to them, and their own practices."""
    assert request.reader is not None
    shown = _bind(params, "st", list(request.shown_statuses())) or "NULL"
    clause = f"p.status IN ({shown})"
    if request.reader.member is not None:
        params["reader"] = request.reader.member
        clause = f"(p.author = :reader OR {clause})"
    return clause


def _bind(params: dict[str, Any], prefix: str, values: list[str]) -> str:
    """Bind ``values`` as parameters ``prefix0``, ``prefix1`` ...; their placeholders."""
    for j, value in enumerate(values):
        params[f"{prefix}{j}"] = value
    return ", ".join(f":{prefix}{j}" for j in range(len(values)))
