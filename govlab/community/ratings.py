"""Ratings: 1-5 stars, one per member per practice, and a Bayesian average for ranking.

Ranking by the plain mean puts a practice with one 5-star rating above one with
forty ratings averaging 4.8. The Bayesian average pulls every practice towards a
prior of ``PRIOR_WEIGHT`` pseudo-ratings of ``PRIOR_MEAN`` stars::

    bayesian = (C * m + sum of stars) / (C + count),   m = 3.0, C = 5

so one 5-star rating gives (15 + 5) / 6 = 3.33, and forty ratings summing to 192
give (15 + 192) / 45 = 4.6.

Sock puppets: a rating from a member who joined after the practice was published and
has done nothing else counts as :data:`NEWCOMER_WEIGHT` of a rating (both in the sum of
stars and in the count), so twenty fresh accounts giving 5 stars weigh as four. Once a
member comments, reviews, adopts or contributes, their ratings count in full. This was
chosen over closing membership (``open_membership``, also available) because it works
in an open library without a facilitator approving each newcomer.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from govlab.community import tables as ct
from govlab.community._base import SessionBase
from govlab.community.records import RatingSummary
from govlab.errors import Conflict, InvalidInput
from govlab.library import tables as lt
from govlab.library.engine import is_sqlite
from govlab.library.records import aware
from govlab.library.store import Tx
from govlab.models import Status

PRIOR_MEAN = 3.0  # m: the middle of the scale, "no opinion yet"
PRIOR_WEIGHT = 5  # C: how many ratings it takes before a practice's own ratings dominate
STARS = (1, 2, 3, 4, 5)


def bayesian_average(
    total: float,
    count: float,
    *,
    prior_mean: float = PRIOR_MEAN,
    prior_weight: float = PRIOR_WEIGHT,
) -> float:
    """``(C * m + total) / (C + count)``: the mean pulled towards the prior."""
    return (prior_weight * prior_mean + total) / (prior_weight + count)


NEWCOMER_WEIGHT = 0.2
"""How much one star counts from a member who joined after the practice was published and
has done nothing else in the library: that is what a sock puppet looks like, and twenty
of them would otherwise carry a practice to the top."""
QUIET_ACTIONS = (
    "member.join",
    "member.guidelines",
    "member.profile",
    "member.follow",
    "member.unfollow",
    "rating.set",
)
"""Audited actions that do not make a member an active one."""


def rated(tx: Tx, ids: Sequence[str] | None = None) -> list[tuple[str, str, int, float]]:
    """Every rating (of ``ids`` if given) as (practice id, member, stars, weight).

    The weight is 1, or :data:`NEWCOMER_WEIGHT` for a member who joined after the
    practice was published (its latest publication; for an imported practice, its
    creation) and whose audit rows are all :data:`QUIET_ACTIONS`. Four queries,
    whatever the number of ratings.
    """
    r, m, t, p, a = ct.ratings, ct.members, ct.transitions, lt.practices, lt.audit
    query = select(r.c.practice_id, r.c.member, r.c.stars)
    if ids is not None:
        query = query.where(r.c.practice_id.in_(list(ids)))
    rows = [(pid, who, int(stars)) for pid, who, stars in tx.conn.execute(query)]
    if not rows:
        return []
    raters = select(query.subquery().c.member)
    practices = select(query.subquery().c.practice_id)
    joined = dict(tx.conn.execute(select(m.c.name, m.c.joined).where(m.c.name.in_(raters))).all())
    published = dict(
        tx.conn.execute(select(p.c.id, p.c.created).where(p.c.id.in_(practices))).all()
    )
    published |= dict(
        tx.conn.execute(
            select(t.c.practice_id, func.max(t.c.at))
            .where(t.c.to_status == Status.published.value, t.c.practice_id.in_(practices))
            .group_by(t.c.practice_id)
        ).all()
    )
    active = set(
        tx.conn.execute(
            select(a.c.actor)
            .where(a.c.actor.in_(raters), a.c.action.not_in(QUIET_ACTIONS))
            .distinct()
        ).scalars()
    )

    def weight(pid: str, who: str) -> float:
        came, opened = joined.get(who), published.get(pid)
        newcomer = came is not None and opened is not None and aware(came) > aware(opened)
        return NEWCOMER_WEIGHT if newcomer and who not in active else 1.0

    return [(pid, who, stars, weight(pid, who)) for pid, who, stars in rows]


def summarise(tx: Tx, practice_id: str, member: str | None = None) -> RatingSummary:
    """Counts per star, mean and (weighted) Bayesian average of one practice's ratings."""
    ratings = rated(tx, [practice_id])
    counts = dict.fromkeys(STARS, 0)
    for _, _, stars, _ in ratings:
        counts[stars] += 1
    n = len(ratings)
    total = sum(stars for _, _, stars, _ in ratings)
    mine = next((stars for _, who, stars, _ in ratings if who == member), None)
    return RatingSummary(
        practice_id=practice_id,
        count=n,
        mean=total / n if n else None,
        bayesian=_weighted_bayesian(ratings),
        counts=counts,
        mine=mine,
    )


def _weighted_bayesian(ratings: Sequence[tuple[str, str, int, float]]) -> float:
    """``(C * m + sum of weight * stars) / (C + sum of weights)``."""
    weighted = sum(w * stars for _, _, stars, w in ratings)
    return bayesian_average(weighted, sum(w for *_, w in ratings))


def rating_numbers(tx: Tx, ids: Sequence[str] | None = None) -> dict[str, tuple[float, int]]:
    """Each rated practice's (weighted Bayesian average, number of ratings); of ``ids``."""
    by_practice: dict[str, list[tuple[str, str, int, float]]] = {}
    for row in rated(tx, ids):
        by_practice.setdefault(row[0], []).append(row)
    return {
        pid: (round(_weighted_bayesian(rows), 4), len(rows)) for pid, rows in by_practice.items()
    }


def rating_scores(tx: Tx) -> dict[str, float]:
    """Each rated practice's weighted Bayesian average: what ``sort="rating"`` orders by."""
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
            numbers = rating_numbers(tx)
            p = lt.practices
            published = set(
                tx.conn.execute(
                    select(p.c.id).where(
                        p.c.id.in_(list(numbers)), p.c.status == Status.published.value
                    )
                ).scalars()
            )
            ranked = sorted(published, key=lambda pid: (-numbers[pid][0], -numbers[pid][1], pid))
            return [summarise(tx, pid, self.member) for pid in ranked[:limit]]

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
