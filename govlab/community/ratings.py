"""Ratings: 1-5 stars, one per member per practice, and a Bayesian average for ranking.

Ranking by the plain mean puts a practice with one 5-star rating above one with
forty ratings averaging 4.8. The Bayesian average pulls every practice towards a
prior of ``PRIOR_WEIGHT`` pseudo-ratings of ``PRIOR_MEAN`` stars::

    bayesian = (C * m + sum of stars) / (C + count),   m = 3.0, C = 5

so one 5-star rating gives (15 + 5) / 6 = 3.33, and forty ratings summing to 192
give (15 + 192) / 45 = 4.6.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from govlab.community import tables as ct
from govlab.community._base import SessionBase
from govlab.community.records import RatingSummary
from govlab.errors import Conflict, InvalidInput
from govlab.library.engine import is_sqlite
from govlab.library.store import Tx
from govlab.models import Status

PRIOR_MEAN = 3.0  # m: the middle of the scale, "no opinion yet"
PRIOR_WEIGHT = 5  # C: how many ratings it takes before a practice's own ratings dominate
STARS = (1, 2, 3, 4, 5)


def bayesian_average(
    total: float, count: int, *, prior_mean: float = PRIOR_MEAN, prior_weight: float = PRIOR_WEIGHT
) -> float:
    """``(C * m + total) / (C + count)``: the mean pulled towards the prior."""
    return (prior_weight * prior_mean + total) / (prior_weight + count)


def summarise(tx: Tx, practice_id: str, member: str | None = None) -> RatingSummary:
    """Counts per star, mean and Bayesian average of one practice's ratings."""
    r = ct.ratings
    query = (
        select(r.c.stars, func.count()).where(r.c.practice_id == practice_id).group_by(r.c.stars)
    )
    counts = dict.fromkeys(STARS, 0)
    for stars, count in tx.conn.execute(query):
        counts[int(stars)] = int(count)
    n = sum(counts.values())
    total = sum(stars * count for stars, count in counts.items())
    mine = None
    if member is not None:
        mine_query = select(r.c.stars).where(r.c.practice_id == practice_id, r.c.member == member)
        mine = tx.conn.execute(mine_query).scalar_one_or_none()
    return RatingSummary(
        practice_id=practice_id,
        count=n,
        mean=total / n if n else None,
        bayesian=bayesian_average(total, n),
        counts=counts,
        mine=mine,
    )


def rating_numbers(tx: Tx, ids: Sequence[str] | None = None) -> dict[str, tuple[float, int]]:
    """Each rated practice's (Bayesian average, number of ratings); of ``ids`` if given."""
    r = ct.ratings
    query = select(r.c.practice_id, func.count(), func.sum(r.c.stars)).group_by(r.c.practice_id)
    if ids is not None:
        query = query.where(r.c.practice_id.in_(list(ids)))
    return {
        pid: (round(bayesian_average(float(total), int(n)), 4), int(n))
        for pid, n, total in tx.conn.execute(query)
    }


def rating_scores(tx: Tx) -> dict[str, float]:
    """Each rated practice's Bayesian average: what ``sort="rating"`` orders by."""
    return {pid: score for pid, (score, _) in rating_numbers(tx).items()}


class RatingsMixin(SessionBase):
    """Rating practices and reading their ratings."""

    def rate(self, practice_id: str, stars: int) -> RatingSummary:
        """Rate a published practice 1-5 stars; rating again replaces one's rating."""
        if isinstance(stars, bool) or not isinstance(stars, int) or stars not in STARS:
            raise InvalidInput(f"stars: give a whole number from 1 to 5, not {stars!r}.")

        def work(tx: Tx) -> None:
            practice = self._head(tx, practice_id)
            self._require_on("rate", practice.author, tx)
            if practice.status != Status.published:
                raise Conflict(
                    f"Only published practices can be rated; {practice_id!r} is "
                    f"{practice.status.value.replace('_', ' ')}."
                )
            r = ct.ratings
            query = select(r.c.stars).where(
                r.c.practice_id == practice_id, r.c.member == self.member
            )
            before = tx.conn.execute(query).scalar_one_or_none()
            _upsert(tx, practice_id, self.member, stars, self._now())
            self._audit(
                tx,
                "rating.set",
                practice_id,
                before=None if before is None else {"stars": before},
                after={"stars": stars, "author": practice.author},
            )

        self._write(work)
        return self._read(lambda tx: summarise(tx, practice_id, self.member))

    def ratings(self, practice_id: str) -> RatingSummary:
        """The practice's ratings: count, counts per star, mean, Bayesian average, mine."""

        def work(tx: Tx) -> RatingSummary:
            self._head(tx, practice_id)
            return summarise(tx, practice_id, self.member)

        return self._read(work)

    def top_rated(self, limit: int = 10) -> list[RatingSummary]:
        """Published practices with ratings, best Bayesian average first."""

        def work(tx: Tx) -> list[RatingSummary]:
            ids = tx.conn.execute(select(ct.ratings.c.practice_id).distinct()).scalars().all()
            shown = [p.id for p in tx.practices(ids) if p.status == Status.published]
            summaries = [summarise(tx, pid, self.member) for pid in shown]
            summaries.sort(key=lambda s: (-s.bayesian, -s.count, s.practice_id))
            return summaries[:limit]

        return self._read(work)


def _upsert(tx: Tx, practice_id: str, member: str, stars: int, at: object) -> None:
    dialect = sqlite if is_sqlite(tx.conn) else postgresql
    statement = dialect.insert(ct.ratings).values(
        practice_id=practice_id, member=member, stars=stars, at=at
    )
    tx.conn.execute(
        statement.on_conflict_do_update(
            index_elements=["practice_id", "member"],
            set_={"stars": statement.excluded.stars, "at": statement.excluded.at},
        )
    )
