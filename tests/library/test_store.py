"""The store on SQLite and on a real PostgreSQL server: saves, revisions, diffs, search."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from govlab.errors import InvalidInput, NotFound
from govlab.library import Store
from govlab.library.migrate import current_revision, upgrade
from govlab.models import Audience, Practice, Reader

REVIEWER = frozenset({Audience.everyone, Audience.reviewers})


def practice(pid: str, title: str, **fields: object) -> Practice:
    base: dict[str, object] = {"id": pid, "title": title, "status": "published"}
    return Practice.model_validate(base | fields)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store.open(db_url, seed=False)
    yield store
    store.close()


@pytest.fixture
def small(store: Store) -> Store:
    """Five practices whose search results are worked out by hand below."""
    store.save(
        practice(
            "open-data-portal",
            "Open data portal",
            summary="The city publishes its datasets.",
            country="GB",
            level="local",
            topics=["open data", "transparency"],
            year_started=2012,
        ),
        by="alice",
    )
    store.save(
        practice(
            "bus-network-redesign",
            "Bus network redesign",
            summary="A frequent grid of routes; portals for riders came later.",
            country="US",
            level="regional",
            sector="Transport",
            topics=["transit"],
            year_started=2015,
        ),
        by="bob",
    )
    store.save(
        practice(
            "night-bus",
            "Night buses from call data",
            summary="Transit routes drawn from late-night phone records.",
            country="KR",
            level="local",
            sector="Transport",
            topics=["transit", "data analytics"],
            year_started=2013,
        ),
        by="bob",
    )
    store.save(
        practice("draft-idea", "Reporting portal draft", status="draft", country="GB"),
        by="carol",
    )
    store.save(
        practice(
            "review-me",
            "Waiting for review",
            summary="A portal",
            status="submitted",
            country="GB",
        ),
        by="dave",
    )
    return store


def test_save_keeps_every_revision_with_who_and_why(store: Store) -> None:
    first = store.save(practice("a-practice", "A practice", summary="one"), by="alice", why="new")
    assert first.revision == 1 and first.author == "alice" and first.created is not None
    second = store.save(first.model_copy(update={"summary": "two"}), by="bob", why="clearer")
    assert second.revision == 2
    assert second.author == "alice"  # the author stays; bob is the editor of revision 2
    assert second.created == first.created
    history = store.history("a-practice")
    assert [(r.revision, r.author, r.message) for r in history] == [
        (1, "alice", "new"),
        (2, "bob", "clearer"),
    ]
    assert history[0].practice.summary == "one" and history[1].practice.summary == "two"
    assert store.get("a-practice").summary == "two"


def test_diff_names_the_changed_fields(store: Store) -> None:
    first = store.save(practice("p-one", "Practice one", summary="old", topics=["a"]), by="x")
    store.save(first.model_copy(update={"summary": "new", "topics": ["a", "b"]}), by="y")
    changes = {c.field: (c.before, c.after) for c in store.diff("p-one", 1, 2)}
    assert changes == {"summary": ("old", "new"), "topics": (["a"], ["a", "b"])}


def test_missing_practice_is_a_clear_error(store: Store) -> None:
    with pytest.raises(NotFound, match="No practice with id 'nope'"):
        store.get("nope")
    with pytest.raises(NotFound):
        store.history("nope")


def test_migrations_are_idempotent(store: Store) -> None:
    head = current_revision(store.engine)
    upgrade(store.engine)
    assert current_revision(store.engine) == head


def test_stemming_finds_plural_and_singular(small: Store) -> None:
    # "portals" stems to "portal": matches the three practices with portal(s) in them
    ids = {r.id for r in small.search("portals").results}
    assert ids == {"open-data-portal", "bus-network-redesign", "draft-idea", "review-me"}


def test_title_match_ranks_first(small: Store) -> None:
    # "portal" is in the title of open-data-portal and only in the summary of the bus redesign
    ids = [r.id for r in small.search("portal", status="published").results]
    assert ids == ["open-data-portal", "bus-network-redesign"]


def test_words_are_whole_words_unless_typing(small: Store) -> None:
    assert small.search("tran").total == 0
    typing = {r.id for r in small.search("tran", prefix=True).results}
    # "Transit", "Transport", and the topic "transparency"
    assert typing == {"night-bus", "bus-network-redesign", "open-data-portal"}
    assert {r.id for r in small.search("night tran", prefix=True).results} == {"night-bus"}


def test_a_stem_is_not_the_start_of_other_words(small: Store) -> None:
    small.save(practice("citizen-panel", "Citizen panels", summary="Residents advise."), by="d")
    small.save(practice("smart-cities", "Smart cities", summary="Sensors in cities."), by="d")
    # "cities" stems to "citi", the start of "citizen": a whole word must not find it;
    # open-data-portal's summary says "The city publishes"
    expected = ["smart-cities", "open-data-portal"]
    assert [r.id for r in small.search("cities").results] == expected
    assert [r.id for r in small.search("city").results] == expected
    assert "citizen-panel" in {r.id for r in small.search("cit", prefix=True).results}


def test_bus_finds_buses_and_buses_finds_bus(small: Store) -> None:
    # the stemmers split these ("bu", "buse"): word_forms joins them again
    assert {r.id for r in small.search("bus").results} == {"bus-network-redesign", "night-bus"}
    assert {r.id for r in small.search("buses").results} == {
        "bus-network-redesign",
        "night-bus",
    }


def test_filters_and_facet_counts(small: Store) -> None:
    result = small.search("", topic="transit")
    assert result.total == 2
    # counts over the matches: both Transport, one US regional, one KR local
    assert result.facets["sector"] == {"Transport": 2}
    assert result.facets["country"] == {"KR": 1, "US": 1}
    assert result.facets["level"] == {"local": 1, "regional": 1}
    assert result.facets["topic"] == {"transit": 2, "data analytics": 1}
    both = small.search("", country=["gb", "KR"], status="published")
    assert {r.id for r in both.results} == {"open-data-portal", "night-bus"}


def test_words_and_filters_combine(small: Store) -> None:
    result = small.search("bus", country="KR")
    assert [r.id for r in result.results] == ["night-bus"]


def test_sort_and_pages(small: Store) -> None:
    titles = [r.title for r in small.search("", order="title", limit=2, page=1).results]
    assert titles == ["Bus network redesign", "Night buses from call data"]
    page3 = small.search("", order="title", limit=2, page=3)
    assert [r.title for r in page3.results] == ["Waiting for review"]
    assert page3.total == 5
    newest = small.search("", order="newest").results[0].id
    assert newest == "review-me"  # saved last


def test_reader_sees_published_own_and_as_reviewer_submitted(small: Store) -> None:
    as_member = {r.id for r in small.search("portal", reader=Reader("erin")).results}
    assert as_member == {"open-data-portal", "bus-network-redesign"}
    as_author = {r.id for r in small.search("portal", reader=Reader("carol")).results}
    assert "draft-idea" in as_author
    as_reviewer = {r.id for r in small.search("portal", reader=Reader("erin", REVIEWER)).results}
    assert as_reviewer == {"open-data-portal", "bus-network-redesign", "review-me"}


def test_bad_search_options_are_clear(small: Store) -> None:
    with pytest.raises(InvalidInput, match="Unknown filter 'colour'"):
        small.search("", colour="red")
    with pytest.raises(InvalidInput, match="Unknown sort"):
        small.search("", order="random")


def test_query_syntax_is_never_interpreted(small: Store) -> None:
    # FTS5 / tsquery operators in user text are words, not syntax errors
    for query in ['"unbalanced', "bus AND OR NOT", "NEAR(bus data)", "a:* & !b", "title:bus"]:
        small.search(query)


def test_stats(small: Store) -> None:
    stats = small.stats()
    assert stats["total"] == 5
    assert stats["by_status"] == {"published": 3, "draft": 1, "submitted": 1}
    assert stats["facets"]["country"] == {"GB": 3, "KR": 1, "US": 1}
