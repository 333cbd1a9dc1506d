"""Tx.bulk_insert on SQLite and PostgreSQL: revision 1, facets, search, all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from govlab.errors import Conflict
from govlab.library import Store
from govlab.models import Practice


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store.open(db_url, seed=False)
    yield store
    store.close()


def practice(pid: str, title: str, **fields: object) -> Practice:
    base: dict[str, object] = {"id": pid, "title": title, "status": "published"}
    return Practice.model_validate(base | fields)


THREE = [
    practice("bus-lanes", "Bus lanes", country="GB", topics=["transit"], author="ann"),
    practice("rent-help", "Rent help", country="US", topics=["housing", "benefits"]),
    practice("pothole-app", "Pothole app", country="GB", summary="Report potholes by phone."),
]


def test_bulk_insert_saves_revision_one_and_facets(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.bulk_insert(THREE, by="loader", why="first load") == 3
    assert store.count() == 3
    rent = store.get("rent-help")
    assert rent.revision == 1 and rent.author == "loader"  # no author given: the loader
    assert store.get("bus-lanes").author == "ann"  # an author given is kept
    [only] = store.history("rent-help")
    assert (only.revision, only.author, only.message) == (1, "loader", "first load")
    assert only.practice.topics == ["housing", "benefits"]
    # facets as Tx.save writes them: GB twice, US once; every status counted
    result = store.search("")
    assert result.total == 3
    assert result.facets["country"] == {"GB": 2, "US": 1}
    assert result.facets["topic"] == {"benefits": 1, "housing": 1, "transit": 1}
    # and the full-text index sees the new rows: "potholes" is in the summary only
    assert [r.id for r in store.search("pothole").results] == ["pothole-app"]


def test_bulk_insert_then_save_makes_revision_two(store: Store) -> None:
    with store.transaction() as tx:
        tx.bulk_insert(THREE[:1], by="loader")
    second = store.save(store.get("bus-lanes").model_copy(update={"summary": "x"}), by="bob")
    assert second.revision == 2
    assert [r.revision for r in store.history("bus-lanes")] == [1, 2]


def test_bulk_insert_is_all_or_nothing(store: Store) -> None:
    store.save(practice("rent-help", "Rent help (existing)"), by="x")
    with pytest.raises(Conflict, match="'rent-help' already exists"), store.transaction() as tx:
        tx.bulk_insert(THREE, by="loader")
    assert store.count() == 1  # only the practice that was there: none of the three landed
    assert store.search("").total == 1


def test_bulk_insert_refuses_an_id_twice(store: Store) -> None:
    twice = [THREE[0], THREE[0].model_copy(update={"title": "Bus lanes again"})]
    with pytest.raises(Conflict, match="'bus-lanes' appears twice"), store.transaction() as tx:
        tx.bulk_insert(twice, by="loader")
    assert store.count() == 0


def test_bulk_insert_of_nothing(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.bulk_insert([], by="loader") == 0
