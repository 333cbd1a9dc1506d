"""One search call: full-text query, facet filters, facet counts, sort and a page.

SQLite ranks with FTS5's bm25 (title weighted 10 to 1 over the body); PostgreSQL
with ts_rank over a tsvector whose title words carry weight A. Both match whole words
by their stem ("portals" finds "portal"), as :func:`word_forms` says; a search box that
searches while someone types asks for ``prefix=True``, and the last word then also
matches as the start of a longer word ("tran" finds "transit").

Why not always a prefix: the prefix is taken of the stem, and a stem that lost its
ending is the start of unrelated words ("cities" stems to "citi", which starts
"citizen"; "taxes" to "tax", which starts "taxi"; "bus" to "bu", which starts
"budget"). Whole words are what someone who pressed Enter asked for.

Two ways to answer, with the same results:

* On SQLite, :mod:`govlab.library.search_index` keeps each practice's facet values in
  memory (as search engines keep "doc values"), so that filters and facet counts cost
  microseconds, and asks SQLite only for the full-text matches and the page.
* On PostgreSQL (and on SQLite when that index cannot be used), one SQL statement:
  the matches are found once (a ``MATERIALIZED`` CTE) and feed both the facet counts
  (one ``GROUP BY``) and the page. The total is the sum of the ``status`` counts, since
  every practice has exactly one status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from govlab.errors import InvalidInput
from govlab.library.engine import is_sqlite
from govlab.library.records import SearchResult
from govlab.models import AWAITING_REVIEW, FACETS, PUBLIC_STATUSES

SORTS = ("relevance", "newest", "title")
PUBLIC = tuple(status.value for status in PUBLIC_STATUSES)
IN_REVIEW = tuple(status.value for status in AWAITING_REVIEW)
MAX_LIMIT = 500
TITLE_WEIGHT = 10.0
WORD_RE = re.compile(r"\w+", re.UNICODE)

Filters = Mapping[str, str | Sequence[str] | None]
Found = tuple[int, list[tuple[Any, float]], dict[str, dict[str, int]]]
"""What an engine hands back: the total, the page as (record, rank), the facet counts."""


@dataclass(frozen=True)
class Query:
    """A checked search request, as the engines receive it."""

    words: list[str]
    wanted: dict[str, list[str]]
    reader: tuple[str, bool] | None
    order: str  # relevance (only with words), newest or title
    limit: int
    offset: int
    prefix: bool = False  # the last word may also be the start of a longer word

    def shown_statuses(self) -> tuple[str, ...]:
        """Statuses the reader may see whoever wrote the practice."""
        assert self.reader is not None
        return PUBLIC + (IN_REVIEW if self.reader[1] else ())


def search(
    conn: Connection,
    query: str = "",
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    limit: int = 20,
    page: int = 1,
    reader: tuple[str, bool] | None = None,
    prefix: bool = False,
    **facet_filters: str | Sequence[str] | None,
) -> SearchResult:
    """Search the library.

    Parameters
    ----------
    query
        Words to find; all must match, each as a whole word by its stem.
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
    prefix
        Also match the last word as the start of a longer one: for a search box that
        searches while someone is still typing.
    """
    wanted = _filters({**(filters or {}), **facet_filters})
    if sort not in SORTS:
        raise InvalidInput(f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
    if not 0 <= limit <= MAX_LIMIT or page < 1:
        raise InvalidInput(f"limit must be 0 to {MAX_LIMIT} and page at least 1.")
    words = WORD_RE.findall(query.lower())
    order = "newest" if sort == "relevance" and not words else sort
    request = Query(words, wanted, reader, order, limit, (page - 1) * limit, prefix)
    found = None
    if is_sqlite(conn):
        from govlab.library.search_index import search_indexed

        found = search_indexed(conn, request)
    total, rows, facets = found if found is not None else search_sql(conn, request)
    results = [_summary(record, rank) for record, rank in rows]
    return SearchResult(total=total, results=results, facets=facets, page=page, limit=limit)


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


def word_forms(word: str) -> list[str]:
    """The forms of ``word`` a search matches, each by its stem: usually the word alone.

    Both engines' English stemmers split one family of plurals from its singular
    ("bus" stems to "bu" and "buses" to "buse"; so census, status, campus, bonus), so
    a word in ``-us`` also matches its plural in ``-uses``, and a plural in ``-uses``
    its singular (from five letters: "uses" is not the plural of "us").
    """
    forms = [word]
    if len(word) >= 3 and word.endswith("us"):
        forms.append(word + "es")
    elif len(word) >= 5 and word.endswith("uses"):
        forms.append(word[:-2])
    return forms


def fts5_query(request: Query) -> str:
    """The FTS5 MATCH text: every form quoted (never syntax), words joined by AND."""
    return _boolean(request, '"{}"', " OR ", " AND ", '"{}"*')


def tsquery(request: Query) -> str:
    """The same for PostgreSQL's ``to_tsquery`` (words hold only letters, digits and _)."""
    return _boolean(request, "{}", " | ", " & ", "{}:*")


def _boolean(request: Query, term: str, either: str, every: str, start: str) -> str:
    """Each word's forms joined by ``either``, the words by ``every`` (templates for each)."""
    clauses = []
    for word in request.words:
        forms = [term.format(form) for form in word_forms(word)]
        clauses.append(forms[0] if len(forms) == 1 else f"({either.join(forms)})")
    if request.prefix:
        clauses[-1] = f"({clauses[-1]}{either}{start.format(request.words[-1])})"
    return every.join(clauses)


def sorted_counts(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Every facet, its values by count (highest first), then by value."""
    return {
        name: dict(sorted(counts.get(name, {}).items(), key=lambda item: (-item[1], item[0])))
        for name in dict.fromkeys([*FACETS, *counts])
    }


# the SQL engine ------------------------------------------------------------------------
ORDER = {
    "relevance": ("m.rank, p.updated DESC, p.pk DESC", "x.rank, x.updated DESC, x.pk DESC"),
    "newest": ("p.updated DESC, p.pk DESC", "x.updated DESC, x.pk DESC"),
    "title": ("p.title, p.id", "x.title, x.id"),
}


def search_sql(conn: Connection, request: Query) -> Found:
    """Answer with one statement: matches found once, counted by facet, and paged."""
    params: dict[str, Any] = {"limit": request.limit, "offset": request.offset}
    matched = _matched_ctes(conn, request, params)
    facets = (
        "SELECT 0 AS part, f.facet AS facet, f.value AS value, count(*) AS n, "
        "CAST(NULL AS FLOAT) AS rank, CAST(NULL AS TEXT) AS record "
        "FROM m JOIN practice_facets f ON f.pk = m.pk GROUP BY f.facet, f.value"
    )
    inner, outer = ORDER[request.order]
    # the records are read for the page only, after the sort: reading (and, on
    # PostgreSQL, de-TOASTing) every match's record would cost more than the search
    page = (
        f"SELECT 1, NULL, NULL, row_number() OVER (ORDER BY {outer}), x.rank, "
        "CAST(r.record AS TEXT) FROM ("
        "SELECT m.rank AS rank, p.updated AS updated, p.pk AS pk, p.title AS title, "
        "p.id AS id FROM m JOIN practices p ON p.pk = m.pk "
        f"ORDER BY {inner} LIMIT :limit OFFSET :offset) x JOIN practices r ON r.pk = x.pk"
    )
    sql = f"WITH {matched} {facets}"
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


# the facet to drive a search without words from: most distinct values first
DRIVING_ORDER = ("country", "year", "technology", "topic", "sector", "evidence_level", "stage")


def _matched_ctes(conn: Connection, request: Query, params: dict[str, Any]) -> str:
    """CTEs ending in ``m(pk, rank)``, every match once; lower rank is better, like bm25.

    The candidates come first, fenced off in their own CTE so that no planner's guess
    can turn the plan around: the full-text matches when there are words (from the GIN
    index), else the practices with the most selective facet filter (from the facet
    index). The other filters are EXISTS probes of ``(pk, facet, value)``.
    """
    wanted = dict(request.wanted)
    if request.words and is_sqlite(conn):  # SQLite's fast path is search_index; this is a fallback
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
        params["reader"] = request.reader[0]
        shown = ", ".join(repr(s) for s in request.shown_statuses())
        where.append(f"(p.author = :reader OR p.status IN ({shown}))")
    matched = f"SELECT c.pk AS pk, {rank} AS rank FROM c JOIN practices p ON p.pk = c.pk"
    if where:
        matched += " WHERE " + " AND ".join(where)
    return f"c AS MATERIALIZED ({candidates}), m AS MATERIALIZED ({matched})"


def _bind(params: dict[str, Any], prefix: str, values: list[str]) -> str:
    """Bind ``values`` as parameters ``prefix0``, ``prefix1`` ...; their placeholders."""
    for j, value in enumerate(values):
        params[f"{prefix}{j}"] = value
    return ", ".join(f":{prefix}{j}" for j in range(len(values)))


SUMMARY_FIELDS = (
    "id",
    "title",
    "summary",
    "jurisdiction",
    "country",
    "level",
    "sector",
    "topics",
    "stage",
    "year_started",
    "evidence_level",
    "status",
    "case_study",
)
"""The fields of a practice each search result carries (with its ``score``)."""


def _summary(record: Any, rank: float) -> dict[str, Any]:
    data = json.loads(record) if isinstance(record, str) else record
    summary = {key: data.get(key) for key in SUMMARY_FIELDS}
    summary["score"] = round(-float(rank), 4)
    return summary
