"""A PostgreSQL library searched through its SQLite copy answers as the SQLite library does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from govlab.library import Store
from govlab.library.generate import generate_practices
from govlab.library.search import index as search_index
from govlab.library.search import mirror
from govlab.models import Audience, Practice, Reader, Status

pytestmark = pytest.mark.postgres

WHEN = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
REVIEWERS = frozenset({Audience.everyone, Audience.reviewers})
CASES: list[dict[str, Any]] = [
    {"query": "transit"},
    {"query": "eviction tenants", "filters": {"level": "local"}},
    {"query": "", "filters": {"topic": ["housing", "transit"]}, "limit": 50},
    {"query": "data", "order": "title", "limit": 5, "page": 3},
    {"query": "digital tran", "prefix": True},
    {"query": "", "order": "score", "scores": {"synthetic-7": 4.5, "synthetic-9": 3.0}},
    {"query": "service", "reader": Reader("member-17")},
    {"query": "", "reader": Reader("nobody", REVIEWERS), "filters": {"level": "national"}},
    {"query": "", "reader": Reader(None), "limit": 0},
]


def _twin(url: str) -> Store:
    store = Store.open(url, seed=False, clock=lambda: WHEN)
    with store.transaction() as tx:
        tx.bulk_insert(generate_practices(240, seed=3), by="loader")
    return store


@pytest.fixture
def libraries(
    pg_url: str, govlab_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[Store, Store]]:
    govlab_home.mkdir(parents=True, exist_ok=True)
    shared, laptop = _twin(pg_url), _twin(f"sqlite:///{govlab_home / 'library.db'}")
    monkeypatch.setenv(mirror.MIRROR_ENV, str(tmp_path / "mirror"))
    search_index.forget()
    assert shared.search("").total == 240  # PostgreSQL answers while the copy is made
    assert mirror.wait_for_copies(timeout=120)
    yield shared, laptop
    mirror.forget_mirrors()
    shared.close()
    laptop.close()


def _answer(store: Store, case: dict[str, Any]) -> tuple[Any, ...]:
    options = {k: v for k, v in case.items() if k != "query"}
    result = store.search(case["query"], **options)
    return result.total, [(c.id, c.score) for c in result.results], result.facets


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_the_copy_answers_as_the_sqlite_library(
    libraries: tuple[Store, Store], case: dict[str, Any]
) -> None:
    shared, laptop = libraries
    assert _answer(shared, case) == _answer(laptop, case)


def test_a_write_from_another_process_is_seen_by_the_next_search(
    libraries: tuple[Store, Store], pg_url: str
) -> None:
    shared, _ = libraries
    assert shared.search("zebrafinch").total == 0  # the copy is made and listening
    other = Store.open(pg_url, seed=False)
    other.save(Practice(id="late", title="Zebrafinch crossings", status=Status.published), by="y")
    assert [c.id for c in shared.search("zebrafinch").results] == ["late"]
    late = other.get("late")
    other.save(late.model_copy(update={"status": Status.archived, "sector": "Birds"}), by="y")
    other.close()
    again = shared.search("zebrafinch")
    assert [c.status for c in again.results] == [Status.archived]
    assert again.facets["sector"] == {"Birds": 1}


def test_a_lost_listener_is_replaced_and_everything_compared(
    libraries: tuple[Store, Store], pg_url: str
) -> None:
    shared, _ = libraries
    shared.search("")
    [copy] = mirror._mirrors.values()
    copy._listener.close()  # as a restarted database would drop it
    other = Store.open(pg_url, seed=False)
    other.save(Practice(id="missed", title="Heard of nowhere", status=Status.published), by="y")
    other.close()
    assert shared.search("nowhere").total == 1


def test_postgres_answers_until_the_first_copy_is_complete(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = _twin(pg_url)
    monkeypatch.setenv(mirror.MIRROR_ENV, str(tmp_path / "mirror"))
    assert not mirror.copies_ready() or mirror._mirrors == {}
    first = store.search("transit")  # starts the copy; PostgreSQL answers this one
    assert mirror.wait_for_copies(timeout=120) and mirror.copies_ready()
    [copy] = mirror._mirrors.values()
    with copy.engine.connect() as conn:
        copied = conn.exec_driver_sql("SELECT count(*) FROM practices").scalar()
    assert copied == 240
    assert store.search("transit").total == first.total
    mirror.forget_mirrors()
    store.close()


def test_without_the_setting_postgres_answers_itself(pg_url: str) -> None:
    store = Store.open(pg_url, seed=False)
    try:
        store.save(Practice(id="only-one", title="A single one", status=Status.published), by="x")
        assert store.search("single").total == store.search("").total == 1
        assert mirror._mirrors == {}
    finally:
        store.close()
