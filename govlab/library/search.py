"""One search call: full-text query, facet filters, facet counts, sort and a page.

SQLite ranks with FTS5's bm25 (title weighted 10 to 1 over the body); PostgreSQL
with ts_rank over a tsvector whose title words carry weight A. Both stem English
words ("portals" finds "portal") and treat the last word as a prefix, so results
appear while someone is still typing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from govlab.errors import InvalidInput
from govlab.library.engine import is_sqlite
from govlab.library.records import SearchResult
from govlab.models import FACETS

SORTS = ("relevance", "newest", "title")
PUBLIC = ("published", "archived")
IN_REVIEW = ("submitted", "in_review", "changes_requested")
MAX_LIMIT = 500
TITLE_WEIGHT = 10.0
WORD_RE = re.compile(r"\w+", re.UNICODE)

Filters = Mapping[str, str | Sequence[str] | None]


def search(
    conn: Connection,
    query: str = "",
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    limit: int = 20,
    page: int = 1,
    reader: tuple[str, bool] | None = None,
    **facet_filters: str | Sequence[str] | None,
) -> SearchResult:
    """Search the library.

    Parameters
    ----------
    query
        Words to find; all must match (stemmed; the last one may be a prefix).
    filters, facet_filters
        Facet name -> value or list of values (any of them), e.g. ``country="GB"``.
    sort
        ``relevance`` (default with a query), ``newest`` or ``title``.
    limit, page
        Page size (0 for counts only) and 1-based page number.
    reader
        ``(member, may_review)`` to show only what that member may read: published and
        archived practices, their own, and (for reviewers) those awaiting review.
        ``None`` shows everything (the store itself, exports, admin tools).
    """
    wanted = _filters({**(filters or {}), **facet_filters})
    if sort not in SORTS:
        raise InvalidInput(f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
    if not 0 <= limit <= MAX_LIMIT or page < 1:
        raise InvalidInput(f"limit must be 0 to {MAX_LIMIT} and page at least 1.")
    words = WORD_RE.findall(query.lower())
    params: dict[str, Any] = {}
    matched, rank = _matched_sql(conn, words, wanted, params, reader)
    total = conn.execute(text(f"SELECT count(*) FROM ({matched}) m"), params).scalar_one()
    results = _page(conn, matched, rank, sort, words, limit, page, params) if limit else []
    facets = _facet_counts(conn, matched, params)
    return SearchResult(total=int(total), results=results, facets=facets, page=page, limit=limit)


def _filters(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {}
    for name, value in raw.items():
        if value is None or value == "" or value == []:
            continue
        if name not in FACETS:
            raise InvalidInput(f"Unknown filter {name!r}: filter on one of {', '.join(FACETS)}.")
        values = [value] if isinstance(value, str | int) else list(value)
        wanted[name] = [str(v).upper() if name == "country" else str(v) for v in values]
    return wanted


def _matched_sql(
    conn: Connection,
    words: list[str],
    wanted: dict[str, list[str]],
    params: dict[str, Any],
    reader: tuple[str, bool] | None,
) -> tuple[str, str]:
    """SQL selecting (pk, rank) of every match, and the rank expression's name."""
    where = []
    if words and is_sqlite(conn):
        params["q"] = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        source = (
            f"SELECT rowid AS pk, bm25(practice_fts, {TITLE_WEIGHT}, 1.0) AS rank "
            "FROM practice_fts WHERE practice_fts MATCH :q"
        )
        select_sql = "SELECT p.pk, h.rank FROM practices p JOIN (" + source + ") h ON h.pk = p.pk"
    elif words:
        params["q"] = " & ".join([*words[:-1], f"{words[-1]}:*"])
        # ts_rank is higher for better matches; negate so that lower sorts first, like bm25
        select_sql = (
            "SELECT p.pk, -ts_rank(p.search, to_tsquery('english', :q)) AS rank FROM practices p"
        )
        where.append("p.search @@ to_tsquery('english', :q)")
    else:
        select_sql = "SELECT p.pk, 0.0 AS rank FROM practices p"
    for index, (name, values) in enumerate(wanted.items()):
        keys = []
        for j, value in enumerate(values):
            params[f"f{index}_{j}"] = value
            keys.append(f":f{index}_{j}")
        params[f"fn{index}"] = name
        where.append(
            f"p.pk IN (SELECT pk FROM practice_facets WHERE facet = :fn{index} "
            f"AND value IN ({', '.join(keys)}))"
        )
    if reader is not None:
        params["reader"] = reader[0]
        shown = PUBLIC + (IN_REVIEW if reader[1] else ())
        where.append(f"(p.author = :reader OR p.status IN ({', '.join(repr(s) for s in shown)}))")
    if where:
        select_sql += " WHERE " + " AND ".join(where)
    return select_sql, "rank"


ORDER = {
    "relevance": "m.rank, p.updated DESC, p.pk DESC",
    "newest": "p.updated DESC, p.pk DESC",
    "title": "p.title, p.id",
}


def _page(
    conn: Connection,
    matched: str,
    rank: str,
    sort: str,
    words: list[str],
    limit: int,
    page: int,
    params: dict[str, Any],
) -> list[dict[str, Any]]:
    order = ORDER[sort if words or sort != "relevance" else "newest"]
    sql = (
        f"SELECT p.record, m.{rank} AS rank FROM ({matched}) m JOIN practices p ON p.pk = m.pk "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    rows = conn.execute(text(sql), {**params, "limit": limit, "offset": (page - 1) * limit})
    return [_summary(record, score) for record, score in rows]


def _summary(record: Any, rank: float) -> dict[str, Any]:
    import json

    data = json.loads(record) if isinstance(record, str) else record
    keep = ("id", "title", "summary", "jurisdiction", "country", "level", "sector", "topics")
    summary = {key: data.get(key) for key in keep}
    summary.update(
        stage=data.get("stage"),
        year_started=data.get("year_started"),
        evidence_level=data.get("evidence_level"),
        status=data.get("status"),
        case_study=data.get("case_study"),
        score=round(-float(rank), 4),
    )
    return summary


def _facet_counts(
    conn: Connection, matched: str, params: dict[str, Any]
) -> dict[str, dict[str, int]]:
    sql = (
        f"SELECT f.facet, f.value, count(*) FROM ({matched}) m "
        "JOIN practice_facets f ON f.pk = m.pk GROUP BY f.facet, f.value"
    )
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for facet, value, count in conn.execute(text(sql), params):
        counts.setdefault(facet, {})[value] = int(count)
    return {
        name: dict(sorted(values.items(), key=lambda item: (-item[1], item[0])))
        for name, values in counts.items()
    }
