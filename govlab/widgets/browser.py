"""The practice browser: search as you type, filter by facets, sort, page, open a practice.

One search box, one sort menu, one card list, one facet list and one detail view:
the same few widgets for any size of library. A search updates their traits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.render import render_text
from govlab.widgets import views
from govlab.widgets._base import Component, box, html
from govlab.widgets.cards import CardList, FacetList, SearchBox, facet_groups
from govlab.widgets.detail import PracticeDetail
from govlab.widgets.state import (
    FACET_LABELS,
    SORT_LABELS,
    BrowserState,
    no_result,
    result_summary,
    search_args,
)

if TYPE_CHECKING:
    from govlab.community.session import Library

FACET_VALUES_SENT = 40  # values per facet sent to the page (most frequent first)
VALUE_NAMES = {
    "country": views.country_name,
    "level": lambda value: views.LEVEL_NAMES.get(value, value),
    "evidence_level": views.evidence_name,
    "stage": lambda value: value.capitalize(),
}


class PracticeBrowser(Component):
    """Browse and search the practice library, and open a practice.

    Parameters
    ----------
    library
        The member's session (default: opened for this kernel's member).
    title
        The page's heading.
    """

    def __init__(self, library: Library | None = None, *, title: str = "Practice library") -> None:
        super().__init__(library)
        self.state = BrowserState()
        self.search = SearchBox(
            label="Search the practice library",
            placeholder="e.g. 311, open data, bus network",
            layout=w.Layout(flex="1 1 30rem"),
        )
        self.sort = w.Dropdown(
            description="Sort by",
            options=[(label, name) for name, label in SORT_LABELS.items()],
            value="relevance",
        )
        self.cards = CardList(label="Practices", link_param="practice", empty="No practice found.")
        self.facets = FacetList(label="Filter the results")
        self.detail = PracticeDetail(self.library)
        self.detail.back.on_click(lambda _: self.close_detail())
        self.search.observe(lambda c: self._change(self.state.with_query(c["new"])), "value")
        self.sort.observe(lambda c: self._change(self.state.with_sort(c["new"])), "value")
        self.facets.observe(lambda c: self._change(self.state.with_filters(c["new"])), "selected")
        self.cards.observe(lambda c: self._change(self.state.with_page(c["new"])), "page")
        self.cards.observe(self._on_select, "selected")
        intro = html(
            f'<h1 class="govlab-title">{render_text(title)}</h1>'
            '<p class="govlab-lead">What public servants elsewhere did, what it achieved and '
            "how sure we are of it. Open a practice to rate it, discuss it or adopt it.</p>",
            "govlab-header",
        )
        toolbar = box([self.search, self.sort], "govlab-toolbar", kind=w.HBox)
        self.results = box([self.cards, self.facets], "govlab-results", kind=w.HBox)
        self.detail.layout.display = "none"
        self.children = [intro, self.notice, toolbar, self.results, self.detail]
        self.refresh()

    # searching -------------------------------------------------------------------------
    def _change(self, state: BrowserState) -> None:
        if state != self.state:
            self.state = state
            self.refresh()

    def refresh(self) -> None:
        """Search with the current state and update the cards and facets in place."""
        result = self._act(self.library.search, **search_args(self.state))
        if result is None:
            return
        self.notice.clear()
        counts = dict(result.facets)
        for facet in self.state.filters:  # a chosen facet's own values: counted without it
            widened = self._act(self.library.search, **search_args(self.state, without=facet))
            if widened is not None:
                counts[facet] = widened.facets.get(facet, {})
        limited = {
            name: dict(list(counts.get(name, {}).items())[:FACET_VALUES_SENT])
            for name in FACET_LABELS
        }
        pages = max(1, -(-result.total // self.state.limit))
        with self.cards.hold_sync():
            self.cards.cards = [views.practice_card(s) for s in result.results]
            self.cards.total = result.total
            self.cards.pages = pages
            self.cards.page = min(self.state.page, pages)
            self.cards.summary = result_summary(result.total, self.state)
            self.cards.empty = result.left_out_note or no_result(self.state)
        with self.facets.hold_sync():
            self.facets.facets = facet_groups(limited, FACET_LABELS, VALUE_NAMES)
            self.facets.selected = {k: list(v) for k, v in self.state.filters.items()}

    # opening a practice ---------------------------------------------------------------
    def _on_select(self, change: dict[str, Any]) -> None:
        practice_id = change["new"]
        if not practice_id:
            self._show_results()
            return
        self.state = self.state.with_selected(practice_id)
        if self.detail.show(practice_id):
            self.results.layout.display = "none"
            self.detail.layout.display = "flex"
        else:
            reason = self.detail.last_error or "That practice cannot be opened."
            self.cards.selected = ""  # back to the results (a search that clears the line)
            self.notice.show(reason, "error")

    def open_practice(self, practice_id: str) -> None:
        """Open one practice, as a click on its card (or a ``?practice=ID`` link) does."""
        self.cards.selected = practice_id

    def close_detail(self) -> None:
        """Back to the results (refreshed: a rating just given shows on its card)."""
        self.cards.selected = ""

    def _show_results(self) -> None:
        self.state = self.state.with_selected("")
        self.detail.layout.display = "none"
        self.results.layout.display = "flex"
        self.refresh()
