"""A scripted fortnight of a small community, with its points, badges and leaderboard by hand.

Points (govlab/community/recognition.py): published 10 to the author, review 5,
adoption 5 to the practice's author (not for one's own), check-in 2, helpful mark 3
to the comment's author, comment 1. Hidden comments and withdrawn marks stop counting.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from govlab.community.recognition import POINTS
from govlab.testing.community import Clock, Community, approval


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def fortnight(community: Community, clock: Clock) -> Community:
    w = community
    bob, carol, dan, eve = (w.member(n) for n in ("bob", "carol", "dan", "eve"))
    rev_a, rev_b = w.member("rev-a", "reviewer"), w.member("rev-b", "reviewer")
    fay = w.member("fay", "facilitator")
    # week 1 ---------------------------------------------------------------------------
    clock.now = at(2)
    bob.create({"id": "bike-lanes", "title": "Protected bike lanes", "topics": ["transport"]})
    bob.submit("bike-lanes")  # bob: badge first-contribution (Mar 2)
    clock.now = at(3)
    rev_a.review("bike-lanes", **approval(3))  # rev-a +5
    rev_b.review("bike-lanes", **approval(4))  # rev-b +5
    clock.now = at(4)
    rev_a.publish("bike-lanes")  # bob +10, badge published (Mar 4)
    clock.now = at(5)
    praised = carol.comment("bike-lanes", "Kerbs beat paint.").id  # carol +1
    dan.comment("bike-lanes", "Agreed.")  # dan +1
    clock.now = at(6, 9)
    bob.mark_helpful(praised)  # carol +3
    clock.now = at(6, 10)
    dan.mark_helpful(praised)  # carol +3, withdrawn on Mar 13
    clock.now = at(6, 11)
    eve.mark_helpful(praised)  # carol +3
    # week 2 ---------------------------------------------------------------------------
    for hour, (who, place) in enumerate([(carol, "Leeds"), (dan, "York"), (fay, "Bristol")]):
        clock.now = at(9, 9 + hour)
        who.adopt("bike-lanes", place)  # bob +5 each; badge adopted-in-three at 11:00
    clock.now = at(9, 12)
    adoption = w.admin.adoptions("bike-lanes", member="carol")[0].id
    bob.adopt("bike-lanes", "Hull")  # his own: nothing
    for day in (10, 11):
        clock.now = at(day)
        carol.check_in(adoption, day=f"2026-03-{day}", status="in_progress", progress=day)  # +2
    clock.now = at(12, 9)
    rude = dan.comment("bike-lanes", "Cyclists are a menace.").id  # dan +1, hidden below
    clock.now = at(12, 10)
    fay.hide_comment(rude, "Breaks the respect guideline.")
    clock.now = at(12, 11)
    fay.mark_helpful(praised)  # carol +3: her third standing mark, badge helpful
    clock.now = at(13)
    dan.unmark_helpful(praised)  # carol -3 (the Mar 6 mark no longer counts)
    clock.now = at(14, 9)
    drafts = [w.draft("dan", id=f"dan-idea-{n}") for n in range(4)]
    for pid in drafts:
        dan.submit(pid)  # dan: badge first-contribution (Mar 14 09:00)
    for hour, pid in enumerate(drafts, start=10):
        clock.now = at(14, hour)
        rev_a.review(pid, **approval())  # rev-a +5 each; 5th review at 13:00: five-reviews
    return w


def board(w: Community, **period: object) -> list[tuple[int, str, int]]:
    return [(s.rank, s.member, s.points) for s in w.admin.leaderboard(**period)]  # type: ignore[arg-type]


def test_points_table_is_the_documented_one() -> None:
    assert {action: rule.points for action, rule in POINTS.items()} == {
        "practice.publish": 10,
        "practice.publish_override": 10,
        "review.add": 5,
        "adoption.add": 5,
        "checkin.add": 2,
        "comment.helpful": 3,
        "comment.add": 1,
    }


def test_leaderboard_over_any_period(fortnight: Community) -> None:
    w = fortnight
    # all time: bob 10 + 3 * 5 = 25; rev-a 5 + 4 * 5 = 25; carol 1 + 3 * 3 + 2 * 2 = 14;
    # rev-b 5; dan 1 (his hidden comment earns nothing); eve and fay 0 (not listed)
    assert board(w) == [(1, "bob", 25), (1, "rev-a", 25), (3, "carol", 14), (4, "rev-b", 5),
                        (5, "dan", 1)]  # fmt: skip
    # week 1, [Mar 2, Mar 9): bob 10; carol 1 + 3 (bob) + 3 (eve) = 7; rev-a 5; rev-b 5; dan 1
    week1 = {"since": "2026-03-02", "until": "2026-03-09"}
    assert board(w, **week1) == [(1, "bob", 10), (2, "carol", 7), (3, "rev-a", 5),
                                 (3, "rev-b", 5), (5, "dan", 1)]  # fmt: skip
    # week 2, from Mar 9: rev-a 4 * 5 = 20; bob 3 * 5 = 15; carol 3 (fay) + 2 * 2 = 7
    assert board(w, since=at(9, 0)) == [(1, "rev-a", 20), (2, "bob", 15), (3, "carol", 7)]
    assert w.as_("carol").points() == 14
    assert w.as_("carol").points("dan", since="2026-03-09") == 0
    assert w.admin.leaderboard(limit=2)[-1].member == "rev-a"
    why = [(a["points"], a["why"]) for a in w.as_("bob").awards()]
    assert (
        why
        == [(10, "a practice of yours was published")]
        + [(5, "someone adopted a practice of yours")] * 3
    )


def test_badges_with_the_moment_they_were_earned(fortnight: Community) -> None:
    w = fortnight

    def badges(name: str) -> list[tuple[str, datetime]]:
        return [(b.name, b.earned) for b in w.admin.badges(name)]

    assert badges("bob") == [
        ("first-contribution", at(2)),
        ("published", at(4)),
        ("adopted-in-three", at(9, 11)),  # Leeds, York, then Bristol (Hull is his own)
    ]
    assert badges("rev-a") == [("five-reviews", at(14, 13))]
    # carol's marks standing: bob, eve, fay (dan's was taken back): three, at fay's mark
    assert badges("carol") == [("helpful", at(12, 11))]
    assert badges("dan") == [("first-contribution", at(14, 9))]
    assert badges("rev-b") == [] and badges("eve") == []

    # nothing was counted in a column: restoring dan's hidden comment gives its point back
    w.as_("fay").unhide_comment(int(w.admin.audit_log(action="comment.hide")[0].target))
    assert w.admin.points("dan") == 2
