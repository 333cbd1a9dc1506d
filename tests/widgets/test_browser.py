"""The practice browser, as a participant uses it: type, tick, sort, page, open, rate, discuss."""

from __future__ import annotations

import pytest

from govlab.community.session import open_library
from govlab.testing.community import Community
from govlab.widgets import PracticeBrowser

from .conftest import assert_inert, live_widgets, texts


@pytest.fixture
def library(world: Community) -> Community:
    world.published(
        "ann",
        id="bus-network",
        title="A frequent bus network",
        country="US",
        level="local",
        topics=["transit"],
        summary="Buses every 15 minutes.",
    )
    world.published(
        "ann",
        id="bus-lanes",
        title="Bus lanes on main roads",
        country="GB",
        level="local",
        topics=["transit"],
    )
    world.published(
        "bob",
        id="open-data-portal",
        title="An open data portal",
        country="GB",
        level="national",
        topics=["open data"],
    )
    world.draft("bob", id="secret-draft", title="A bus draft nobody else sees")
    return world  # fmt: skip


def test_typing_narrows_the_cards_and_counts_the_facets(library: Community) -> None:
    browser = PracticeBrowser(library.member("cat"))
    assert browser.cards.total == 3  # published only: bob's draft is not browsed
    browser.search.value = "bu"  # still typing: "bu" matches the start of "bus"
    assert sorted(texts(browser.cards.cards)) == [
        "A frequent bus network",
        "Bus lanes on main roads",
    ]
    assert browser.cards.summary == '2 practices match "bu"'
    country = next(g for g in browser.facets.facets if g["name"] == "country")
    assert {v["value"]: v["count"] for v in country["values"]} == {"US": 1, "GB": 1}
    assert next(v["label"] for v in country["values"] if v["value"] == "GB") == "United Kingdom"
    browser.search.value = "zebra crossings"
    assert browser.cards.cards == [] and "No practice found" in browser.cards.empty
    browser.search.value = "the"  # typed before the word that matters
    assert browser.cards.cards == [] and browser.cards.empty.startswith('"the" is too common')


def test_a_ticked_facet_filters_and_its_own_counts_stay_open(library: Community) -> None:
    browser = PracticeBrowser(library.member("cat"))
    browser.facets.selected = {"country": ["GB"]}
    assert sorted(texts(browser.cards.cards)) == ["An open data portal", "Bus lanes on main roads"]
    country = next(g for g in browser.facets.facets if g["name"] == "country")
    # choosing a second country widens the search: the US still shows its one practice
    assert {v["value"]: v["count"] for v in country["values"]} == {"GB": 2, "US": 1}
    level = next(g for g in browser.facets.facets if g["name"] == "level")
    assert {v["value"]: v["count"] for v in level["values"]} == {"local": 1, "national": 1}
    browser.facets.selected = {"country": ["GB", "US"], "level": ["local"]}
    assert sorted(texts(browser.cards.cards)) == [
        "A frequent bus network",
        "Bus lanes on main roads",
    ]


def test_sorting_by_rating_and_paging(library: Community) -> None:
    for n in range(12):
        library.published("dan", id=f"extra-{n:02d}", title=f"Extra practice {n:02d}")
    raters = [library.member(name) for name in ("r1", "r2", "r3")]
    for rater in raters:
        rater.rate("open-data-portal", 5)
        rater.rate("bus-lanes", 2)
    browser = PracticeBrowser(library.member("cat"))
    assert browser.cards.total == 15 and browser.cards.pages == 2
    browser.sort.value = "rating"
    assert texts(browser.cards.cards)[:2] == ["An open data portal", "Bus lanes on main roads"]
    first = browser.cards.cards[0]
    assert first["ratings"] == 3 and first["stars"] == pytest.approx((15 + 15) / 8)
    browser.cards.page = 2
    assert len(browser.cards.cards) == 3 and browser.cards.page == 2
    browser.search.value = "extra"  # a new search goes back to page 1
    assert browser.cards.page == 1


def test_opening_a_practice_and_rating_it_is_stored(library: Community) -> None:
    cat = library.member("cat")
    browser = PracticeBrowser(cat)
    browser.open_practice("bus-lanes")
    assert browser.detail.layout.display == "flex" and browser.results.layout.display == "none"
    assert "Bus lanes on main roads" in browser.detail.body.value
    assert "Revision 1" in browser.detail.history.value
    browser.detail.stars.value = 4  # a click on the fourth star
    assert cat.ratings("bus-lanes").mine == 4
    assert browser.detail.stars.count == 1 and browser.detail.stars.average == 4.0
    assert "you rated it 4 stars" in browser.detail.rating_notice.text
    browser.detail.back.click()
    assert browser.results.layout.display == "flex" and browser.cards.selected == ""
    card = next(c for c in browser.cards.cards if c["id"] == "bus-lanes")
    assert card["ratings"] == 1  # the refreshed card counts the new rating


def test_rating_ones_own_practice_is_refused_in_the_page(library: Community) -> None:
    ann = library.member("ann")
    browser = PracticeBrowser(ann)
    browser.open_practice("bus-lanes")
    browser.detail.stars.value = 5
    assert "No one can rate their own practice" in browser.detail.rating_notice.text
    assert browser.detail.rating_notice.kind == "error"
    assert browser.detail.stars.value == 0  # shows what is stored: nothing
    assert ann.ratings("bus-lanes").count == 0


def test_comments_and_adoptions_go_through_the_session(library: Community) -> None:
    cat = library.member("cat")
    browser = PracticeBrowser(cat)
    browser.open_practice("bus-network")
    detail = browser.detail
    detail.comment_box.value = "Did ridership <script>alert(1)</script> grow?"
    detail.post.click()
    [comment] = cat.comments("bus-network")
    assert comment.body.startswith("Did ridership") and comment.author == "cat"
    assert_inert(detail.thread.value)  # the sanitiser drops the script with its content
    assert "alert" not in detail.thread.value and "Did ridership" in detail.thread.value
    detail.reply_to.value = comment.id
    detail.comment_box.value = "It did, by 11%."
    detail.post.click()
    assert cat.comments("bus-network")[0].replies[0].body == "It did, by 11%."
    detail.comment_box.value = "   "
    detail.post.click()
    assert "write something first" in detail.comment_notice.text
    detail.jurisdiction.value = "Leeds"
    detail.country.value = "GB"
    detail.adopt_button.click()
    [adoption] = cat.adoptions("bus-network")
    assert (adoption.jurisdiction, adoption.country, adoption.member) == ("Leeds", "GB", "cat")
    assert "Adopted 1 time: Leeds." in detail.adoptions.value


def test_an_address_naming_a_missing_practice_says_so(library: Community) -> None:
    browser = PracticeBrowser(library.member("cat"))
    browser.open_practice("no-such-practice")
    assert "No practice with id 'no-such-practice'" in browser.notice.text
    assert browser.cards.selected == "" and browser.results.layout.display == "flex"
    browser.open_practice("secret-draft")  # bob's draft: cat may not read it
    assert browser.notice.kind == "error" and "secret-draft" in browser.notice.text


def test_searching_updates_the_same_widgets(library: Community) -> None:
    browser = PracticeBrowser(library.member("cat"))
    browser.search.value = "bus"
    before = live_widgets()
    for query in ("open", "bus lanes", "", "portal", "zzz", "bus"):
        browser.search.value = query
    browser.facets.selected = {"country": ["GB"]}
    browser.sort.value = "title"
    browser.open_practice("bus-lanes")
    browser.detail.back.click()
    browser.open_practice("bus-network")
    assert live_widgets() == before


def test_a_visitors_rating_is_refused_by_the_session(library: Community) -> None:
    visitor = open_library(library.db, visitor=True, seed=False)
    browser = PracticeBrowser(visitor)
    assert browser.cards.total == 3
    browser.open_practice("bus-network")
    browser.detail.stars.value = 3
    assert browser.detail.rating_notice.text.startswith("Visitors can read published practices")
    assert library.admin.ratings("bus-network").count == 0
    visitor.close()
