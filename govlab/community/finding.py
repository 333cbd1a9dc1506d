"""Finding practices: the library's search as one member sees it, with ratings and adoptions.

The library's search finds and ranks; this session method decides what the member may
read (from the policy, through :class:`govlab.models.Reader`), orders by the
community's own numbers when asked (the Bayesian average of ratings, the number of
adoptions) and puts those numbers on each result card.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from govlab.community import tables as ct
from govlab.community._base import SessionBase
from govlab.community.ratings import rating_numbers, rating_scores
from govlab.errors import InvalidInput
from govlab.library.search import search as library_search
from govlab.library.store import Tx
from govlab.models import SORTS, SearchResult, Sort

Facet = str | int | Sequence[str | int] | None
# the library's order for each sort a member can ask for
ORDER_OF: dict[str, str] = {
    "relevance": "relevance",
    "rating": "score",
    "newest": "newest",
    "adopted": "score",
    "title": "title",
}


class FindingMixin(SessionBase):
    """Searching the library as one member sees it."""

    def search(
        self,
        query: str = "",
        *,
        country: Facet = None,
        level: Facet = None,
        sector: Facet = None,
        topic: Facet = None,
        technology: Facet = None,
        stage: Facet = None,
        evidence_level: Facet = None,
        year: Facet = None,
        status: Facet = None,
        sort: Sort = "relevance",
        page: int = 1,
        limit: int = 20,
        prefix: bool = False,
    ) -> SearchResult:
        """Search the practices this member may read.

        Parameters
        ----------
        query
            Words to find; each must match as a whole word, by its stem ("portals" finds
            "portal").
        country, level, sector, topic, technology, stage, evidence_level, year, status
            Facet filters: one value, or several (any of them matches).
        sort
            ``relevance``, ``rating`` (best Bayesian average first, unrated last),
            ``newest``, ``adopted`` (most adoptions first) or ``title``.
        page, limit
            1-based page number and page size (0 for the counts only, at most 500).
        prefix
            The last word may be the start of a longer one (a search-as-you-type box).

        Returns
        -------
        SearchResult
            The page of :class:`~govlab.models.PracticeSummary` cards with their stars
            and adoptions, the total and the facet counts over every match.
        """
        if sort not in SORTS:
            raise InvalidInput(f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
        filters = {
            "country": country,
            "level": level,
            "sector": sector,
            "topic": topic,
            "technology": technology,
            "stage": stage,
            "evidence_level": evidence_level,
            "year": year,
            "status": status,
        }

        def work(tx: Tx) -> SearchResult:
            scores = None
            if sort == "rating":
                scores = rating_scores(tx)
            elif sort == "adopted":
                scores = {pid: float(n) for pid, n in adoption_counts(tx).items()}
            found = library_search(
                tx.conn,
                query,
                filters=filters,
                order=ORDER_OF[sort],
                limit=limit,
                page=page,
                reader=self._reader(tx),
                prefix=prefix,
                scores=scores,
            )
            return with_community_numbers(tx, found)

        return self._read(work)


def adoption_counts(tx: Tx, ids: Sequence[str] | None = None) -> dict[str, int]:
    """How many adoptions each practice has (only practices with one; of ``ids`` if given)."""
    a = ct.adoptions
    query = select(a.c.practice_id, func.count()).group_by(a.c.practice_id)
    if ids is not None:
        query = query.where(a.c.practice_id.in_(list(ids)))
    return {pid: int(n) for pid, n in tx.conn.execute(query)}


def with_community_numbers(tx: Tx, found: SearchResult) -> SearchResult:
    """The result with each card's rating, number of ratings and adoptions filled in."""
    ids = [card.id for card in found.results]
    if not ids:
        return found
    ratings = rating_numbers(tx, ids)
    adoptions = adoption_counts(tx, ids)
    cards = []
    for card in found.results:
        rating = ratings.get(card.id)
        cards.append(
            card.model_copy(
                update={
                    "rating": rating[0] if rating else None,
                    "ratings": rating[1] if rating else 0,
                    "adoptions": adoptions.get(card.id, 0),
                }
            )
        )
    return found.model_copy(update={"results": cards})
