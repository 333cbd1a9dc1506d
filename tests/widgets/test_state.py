"""The browser's view state and the search it stands for: no widget, no browser."""

from __future__ import annotations

from govlab.widgets.state import BrowserState, no_result, result_summary, search_args


def test_a_new_query_starts_at_page_one_and_searches_as_you_type() -> None:
    state = BrowserState(page=3).with_query("bus net")
    args = search_args(state)
    assert args["query"] == "bus net" and args["page"] == 1
    assert args["prefix"] is True  # "net" may be the start of "network"
    assert search_args(state.with_query("bus ")).get("prefix") is False  # a finished word


def test_filters_become_facet_arguments_and_empty_ones_are_dropped() -> None:
    state = BrowserState().with_filters({"country": ["GB", "EE"], "level": []})
    args = search_args(state)
    assert args["country"] == ["GB", "EE"]
    assert "level" not in args
    assert args["status"] == ["published", "archived"]
    assert args["sort"] == "relevance" and args["limit"] == 12


def test_counts_for_a_chosen_facet_leave_its_own_filter_out() -> None:
    state = BrowserState(query="data").with_filters({"country": ["GB"], "level": ["local"]})
    args = search_args(state, without="country")
    assert "country" not in args and args["level"] == ["local"]
    assert args["limit"] == 0 and args["query"] == "data"


def test_the_lines_above_the_cards_read_as_sentences() -> None:
    assert result_summary(1, BrowserState(query="311")) == '1 practice matches "311"'
    assert result_summary(1200, BrowserState()) == "1,200 practices in the library"
    filtered = BrowserState().with_filters({"country": ["GB"]})
    assert result_summary(2, filtered) == "2 practices match these filters"
    assert "Try fewer words" in no_result(BrowserState(query="zzz"))
