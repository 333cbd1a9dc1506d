"""SQLite's in-memory facet index answers exactly as the one-statement SQL search does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.library import Store
from govlab.library.generate import generate_practices
from govlab.library.search import facets as search_facets
from govlab.library.search import halves as search_halves
from govlab.library.search import index as search_index
from govlab.library.search import search
from govlab.library.search.query import Query
from govlab.library.search.sql import search_sql
from govlab.models import Audience, Practice, Reader, Status

REVIEWERS = frozenset({Audience.everyone, Audience.reviewers})
# a score for every tenth generated practice, some tied: the rest sort last, by newest
SCORES = {f"synthetic-{n}": float(n % 7) for n in range(0, 240, 10)}


@pytest.fixture
def library(govlab_home: Path) -> Iterator[Store]:
    """240 generated practices (90% published, the rest archived or submitted)."""
    govlab_home.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{govlab_home / 'library.db'}", seed=False)
    with store.transaction() as tx:
        tx.bulk_insert(generate_practices(240, seed=3), by="loader")
    search_index.forget()
    yield store
    store.close()


CASES: list[dict[str, Any]] = [
    {"query": "transit"},
    {"query": "eviction tenants", "filters": {"level": "local"}},
    {"query": "permit", "filters": {"country": ["GB", "us"], "stage": "pilot"}},
    {"query": "", "filters": {"topic": ["housing", "transit"]}},
    {"query": "", "filters": {"sector": "Transport"}, "order": "title"},
    {"query": "online", "order": "newest", "limit": 7, "page": 2},
    {"query": "data", "order": "title", "limit": 5, "page": 3},
    {"query": "", "order": "score", "scores": SCORES, "limit": 30},
    {"query": "data", "order": "score", "scores": SCORES, "limit": 5, "page": 2},
    {"query": "", "order": "score", "scores": {}, "filters": {"level": "local"}},
    {"query": "data", "limit": 0},
    {"query": "", "limit": 50},
    {"query": "nosuchword"},
    {"query": "bus census", "filters": {"stage": "pilot"}},
    {"query": "digital tran", "prefix": True, "limit": 10},
    {"query": "", "filters": {"country": "ZZ"}},
    {"query": "service", "reader": Reader("member-17")},
    {"query": "", "reader": Reader("nobody", REVIEWERS), "filters": {"level": "national"}},
    {"query": "service", "reader": Reader(None)},
]


def both(store: Store, case: dict[str, Any]) -> tuple[Any, Any]:
    """The indexed answer and the SQL answer to one search, read in one snapshot."""
    options = {k: v for k, v in case.items() if k != "query"}
    with store.reading() as tx:
        indexed = search(tx.conn, case["query"], **options)
        words = case["query"].lower().split()
        sort = options.get("order", "relevance")
        limit, page = options.get("limit", 20), options.get("page", 1)
        wanted = {
            k: [v.upper() if k == "country" else v for v in ([x] if isinstance(x, str) else x)]
            for k, x in options.get("filters", {}).items()
        }
        order = "newest" if sort == "relevance" and not words else sort
        reader, prefix = options.get("reader"), options.get("prefix", False)
        scores = options.get("scores", {})
        request = Query(words, wanted, reader, order, limit, (page - 1) * limit, prefix, scores)
        total, rows, facets = search_sql(tx.conn, request)
    return indexed, (total, rows, facets)


@pytest.mark.parametrize("halves", [False, True], ids=["one-connection", "two-halves"])
@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_indexed_search_equals_sql_search(
    library: Store, case: dict[str, Any], halves: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two halves: each half of the pks ranked on its own connection, as in a large library
    monkeypatch.setattr(search_index, "SPLIT_FROM", 0 if halves else 10**9)
    indexed, (total, rows, facets) = both(library, case)
    assert indexed.total == total
    assert indexed.facets == facets
    sql_page = [(json_id(record), round(-rank, 4)) for record, rank in rows]
    assert [(r.id, r.score) for r in indexed.results] == sql_page


def json_id(record: Any) -> str:
    import json

    return str((json.loads(record) if isinstance(record, str) else record)["id"])


def test_the_indexed_path_is_the_one_answering(library: Store) -> None:
    library.search("transit")
    assert len(search_index._indexes) == 1
    [opened] = search_index._indexes.values()
    assert opened.index.watermark == 240  # one revision per practice


def test_a_change_is_seen_by_the_next_search(library: Store) -> None:
    before = library.search("", country="ZZ")
    assert before.total == 0
    first = library.get("synthetic-0")
    library.save(first.model_copy(update={"country": "ZZ", "topics": ["new topic"]}), by="x")
    after = library.search("", country="ZZ")
    assert [r.id for r in after.results] == ["synthetic-0"]
    assert after.facets["topic"] == {"new topic": 1}
    # the old country lost one practice: the counts over everything agree with SQL
    indexed, (total, _, facets) = both(library, {"query": ""})
    assert indexed.facets == facets and indexed.total == total == 240


def test_a_write_through_another_engine_is_seen(library: Store) -> None:
    library.search("")  # build the index in this process
    other = Store.open(str(library.engine.url), seed=False)
    other.save(Practice(id="from-elsewhere", title="Bus lanes", status=Status.published), by="y")
    other.close()
    assert library.search("bus lanes").results[0].id == "from-elsewhere"
    assert library.search("").total == 241


def test_many_changes_rebuild_and_answer_the_same(
    library: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.search("")
    monkeypatch.setattr(search_facets, "REFRESH_AT_MOST", 2)
    with library.transaction() as tx:
        tx.bulk_insert(generate_practices(5, seed=9, start=1000), by="loader")
    indexed, (total, _, facets) = both(library, {"query": "", "filters": {"level": "local"}})
    assert indexed.total == total and indexed.facets == facets
    assert library.search("").total == 245


def test_halves_split_the_work_and_agree(library: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    answered: list[tuple[int, int]] = []
    answer = search_halves.Halves._answer

    def spy(self: search_halves.Halves, sql: str, params: dict[str, Any], mark: int) -> Any:
        rows = answer(self, sql, params, mark)
        answered.append((params["lo"], len(rows or [])))
        return rows

    monkeypatch.setattr(search_halves.Halves, "_answer", spy)
    monkeypatch.setattr(search_index, "SPLIT_FROM", 10**9)
    whole = library.search("service", level="local", limit=5)
    assert answered == []
    monkeypatch.setattr(search_index, "SPLIT_FROM", 0)
    halved = library.search("service", level="local", limit=5)
    [(split, rows)] = answered
    assert 1 < split < 240 and rows > 1  # the upper half's aggregate row and its best
    assert (halved.total, halved.results, halved.facets) == (
        whole.total,
        whole.results,
        whole.facets,
    )


def test_a_write_between_the_two_snapshots_is_not_mixed_in(
    library: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "SPLIT_FROM", 0)
    late = Practice(id="late", title="Zebrafinch service", status=Status.published)
    with library.reading() as tx:
        before = search(tx.conn, "service")
        # another writer commits while this read transaction holds its snapshot: the
        # second connection would see it, so this search must answer alone
        other = Store.open(str(library.engine.url), seed=False)
        other.save(late, by="y")
        other.close()
        again = search(tx.conn, "service")
    assert again.total == before.total
    assert library.search("service").total == before.total + 1


def test_reader_sees_own_draft_through_the_index(library: Store) -> None:
    # no generated practice says "zebrafinch"; a draft is seen by its author alone
    library.save(Practice(id="my-draft", title="Zebrafinch draft", country="GB"), by="zoe")
    assert library.search("zebrafinch", reader=Reader("zoe")).total == 1
    assert library.search("zebrafinch", reader=Reader("ann", REVIEWERS)).total == 0
    assert library.search("zebrafinch", reader=Reader(None)).total == 0
    assert library.search("zebrafinch").total == 1


def test_an_in_memory_database_uses_sql() -> None:
    search_index.forget()
    store = Store.open("sqlite://", seed=False)
    try:
        store.save(Practice(id="only-one", title="A single one", status=Status.published), by="x")
        assert store.search("single").total == store.search("").total == 1
        assert search_index._indexes == {}
    finally:
        store.close()
