"""The practice browser's view state, and the ``library.search`` call it stands for.

Plain data, so that what a search box, a checkbox or a sort menu means is testable
without a browser: ``library.search(**search_args(state))``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

#: facet -> its label in the filter list, in the order shown
FACET_LABELS = {
    "country": "Country",
    "level": "Level of government",
    "sector": "Sector",
    "topic": "Topic",
    "technology": "Technology",
    "stage": "Stage",
    "evidence_level": "Evidence level",
    "year": "Year started",
}
#: sort -> its label in the sort menu
SORT_LABELS = {
    "relevance": "Best match",
    "rating": "Highest rated",
    "newest": "Newest",
    "adopted": "Most adopted",
    "title": "Title (A to Z)",
}
#: what the browser shows: published practices, and retired ones marked as such
SHOWN_STATUSES = ("published", "archived")
PAGE_SIZE = 12


@dataclass(frozen=True)
class BrowserState:
    """What the person browsing has asked for."""

    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    selected: str = ""
    limit: int = PAGE_SIZE

    def with_query(self, query: str) -> BrowserState:
        """A new query starts again at page 1."""
        return replace(self, query=query, page=1)

    def with_filters(
        self, filters: dict[str, list[str]] | dict[str, tuple[str, ...]]
    ) -> BrowserState:
        """New filters (facet -> values) start again at page 1."""
        kept = {name: tuple(values) for name, values in filters.items() if values}
        return replace(self, filters=kept, page=1)

    def with_sort(self, sort: str) -> BrowserState:
        """A new sort starts again at page 1."""
        return replace(self, sort=sort, page=1)

    def with_page(self, page: int) -> BrowserState:
        """Another page of the same results."""
        return replace(self, page=max(1, page))

    def with_selected(self, practice_id: str) -> BrowserState:
        """The practice opened (empty: back to the results)."""
        return replace(self, selected=practice_id)


def search_args(state: BrowserState, *, without: str | None = None) -> dict[str, Any]:
    """The keyword arguments of ``library.search`` for ``state``.

    The search box searches as someone types, so the last word is also a prefix
    (``prefix=True``) unless it is finished with a space. ``without`` leaves one
    facet's filter out and asks for counts only: the counts beside that facet's
    own values (choosing a second country widens the search, so its count is the
    count without the first).
    """
    query = state.query.strip()
    args: dict[str, Any] = {
        "query": query,
        "sort": state.sort,
        "page": state.page,
        "limit": state.limit,
        "prefix": bool(query) and not state.query.endswith(" "),
        "status": list(SHOWN_STATUSES),
    }
    for name, values in state.filters.items():
        if name != without and values:
            args[name] = list(values)
    if without is not None:
        args.update(page=1, limit=0)
    return args


def result_summary(total: int, state: BrowserState) -> str:
    """``24 practices match "transit"``: the line above the cards."""
    noun, verb = ("practice", "matches") if total == 1 else ("practices", "match")
    query = state.query.strip()
    if query:
        return f'{total:,} {noun} {verb} "{query}"'
    if state.filters:
        return f"{total:,} {noun} {verb} these filters"
    return f"{total:,} {noun} in the library"


def no_result(state: BrowserState) -> str:
    """The sentence shown when nothing matches."""
    query = state.query.strip()
    words = f' for "{query}"' if query else ""
    return f"No practice found{words}. Try fewer words or clear a filter."
