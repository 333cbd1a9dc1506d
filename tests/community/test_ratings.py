"""Ratings against hand-computed counts, means and Bayesian averages."""

from __future__ import annotations

import pytest

from govlab.community.ratings import PRIOR_MEAN, PRIOR_WEIGHT, bayesian_average
from govlab.errors import Conflict, InvalidInput, PermissionDenied
from govlab.testing.community import Community


def test_the_prior() -> None:
    assert (PRIOR_MEAN, PRIOR_WEIGHT) == (3.0, 5)
    assert bayesian_average(0, 0) == 3.0  # no ratings: the prior itself
    assert bayesian_average(5, 1) == pytest.approx(20 / 6)  # (5*3 + 5) / (5 + 1) = 3.333
    assert bayesian_average(192, 40) == pytest.approx(4.6)  # (15 + 192) / 45


def test_rating_a_practice(community: Community) -> None:
    w = community
    stars = {"ann": 5, "ben": 4, "cat": 4, "dan": 2, "eve": 5}
    for name in stars:
        w.as_(name)  # members before it is published: their ratings count in full
    w.clock.advance(minutes=1)
    pid = w.published("author")
    for name, given in stars.items():
        w.as_(name).rate(pid, given)
    summary = w.as_("ann").rate(pid, 3)  # ann changes her mind: 5 -> 3
    # ratings now 3, 4, 4, 2, 5: n = 5, sum = 18, mean = 3.6
    # bayesian = (5 * 3.0 + 18) / (5 + 5) = 33 / 10 = 3.3
    assert summary.count == 5
    assert summary.counts == {1: 0, 2: 1, 3: 1, 4: 2, 5: 1}
    assert summary.mean == pytest.approx(3.6)
    assert summary.bayesian == pytest.approx(3.3)
    assert summary.mine == 3
    assert w.as_("ben").ratings(pid).mine == 4
    assert [e.before for e in w.admin.audit_log(action="rating.set", actor="ann")] == [
        None,
        {"stars": 5},
    ]


def test_ranking_uses_the_bayesian_average(sqlite_community: Community) -> None:
    w = sqlite_community
    for name in ["ann"] + [f"fan{n}" for n in range(6)]:
        w.as_(name)  # members before it is published: their ratings count in full
    w.clock.advance(minutes=1)
    one_five = w.published("author", id="one-five-star")
    many_fours = w.published("author", id="many-fours")
    w.as_("ann").rate(one_five, 5)  # (15 + 5) / 6 = 3.33
    for n in range(6):
        w.as_(f"fan{n}").rate(many_fours, 4)  # (15 + 24) / 11 = 3.545
    ranked = w.admin.top_rated()
    assert [r.practice_id for r in ranked] == ["many-fours", "one-five-star"]
    assert ranked[0].bayesian == pytest.approx(39 / 11)
    assert ranked[0].mean == 4.0 and ranked[1].mean == 5.0  # the plain mean would flip them


def test_what_cannot_be_rated(sqlite_community: Community) -> None:
    w = sqlite_community
    bob = w.as_("bob")
    with pytest.raises(Conflict, match="Only published practices can be rated"):
        w.member("rev", "reviewer").rate(w.submitted("author"), 4)
    pid = w.published("author")
    for bad in (0, 6, 3.5, True, "5"):
        with pytest.raises(InvalidInput, match="whole number from 1 to 5"):
            bob.rate(pid, bad)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match="No one can rate their own practice"):
        w.as_("author").rate(pid, 5)
    assert bob.ratings(pid).count == 0
