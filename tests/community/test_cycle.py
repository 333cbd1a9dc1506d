"""A facilitator's whole cycle, from code, with every forbidden step in it refused.

This is the "done when" of the issue: add members, a member contributes and
submits, two reviewers review, it is published, others rate, comment and adopt
it, adopters check in, and the leaderboard and the digest show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import govlab
from govlab import Conflict, PermissionDenied
from govlab.community.session import Library
from govlab.testing.community import Clock


@pytest.fixture
def session(db_url: str, clock: Clock) -> Iterator[Callable[[str], Library]]:
    """Open the library as someone (closed again after the test)."""
    opened: list[Library] = []

    def open_as(user: str) -> Library:
        opened.append(
            govlab.open_library(db_url, user, seed=False, show_guidelines=False, clock=clock)
        )
        return opened[-1]

    yield open_as
    for library in opened:
        library.close()


def test_a_facilitators_cycle(
    session: Callable[[str], Library], clock: Clock, tmp_path: Path
) -> None:
    # the facilitator opens a new library (first member: admin) and adds people
    fay = session("fay")
    fay.add_member("amina")
    fay.add_member("raj", role="reviewer")
    fay.add_member("li", role="reviewer")
    for name in ("amina", "raj", "li", "tom", "sara"):
        session(name).accept_guidelines()
    amina, raj, li, tom, sara = (session(n) for n in ("amina", "raj", "li", "tom", "sara"))
    with pytest.raises(PermissionDenied, match="add a member; tom is a member"):
        tom.add_member("mallory", role="admin")

    # a member contributes and submits
    amina.create(
        {
            "id": "missed-bins-app",
            "title": "Report a missed bin from your phone",
            "summary": "Residents report missed collections in an app; crews get them by route.",
            "topics": ["waste", "channel shift"],
            "country": "GB",
            "level": "local",
        },
        why="first draft",
    )
    with pytest.raises(PermissionDenied, match="not published yet"):
        tom.get("missed-bins-app")
    with pytest.raises(PermissionDenied, match="No one can submit another member's practice"):
        tom.submit("missed-bins-app")
    amina.submit("missed-bins-app", "ready for review")

    # two reviewers review; the author cannot, and one approval is not enough
    with pytest.raises(PermissionDenied, match="No one can review their own submission"):
        amina.review("missed-bins-app", evidence=5, transferability=5, clarity=5, impact=5,
                     evidence_level=5, decision="approve")  # fmt: skip
    assert [q.id for q in raj.review_queue()] == ["missed-bins-app"]
    raj.review("missed-bins-app", evidence=4, transferability=4, clarity=5, impact=3,
               evidence_level=2, decision="approve", comment="Before/after figures.")  # fmt: skip
    with pytest.raises(Conflict, match="has 1 approving review"):
        raj.publish("missed-bins-app")
    li.review("missed-bins-app", evidence=3, transferability=4, clarity=4, impact=4,
              evidence_level=3, decision="approve")  # fmt: skip
    with pytest.raises(PermissionDenied, match="No one can publish their own practice"):
        amina.publish("missed-bins-app")
    published = li.publish("missed-bins-app", "two approvals")
    assert published.evidence_level == 2  # the lower middle of 2 and 3

    # others rate, comment and adopt it
    clock.advance(days=1)
    tom.rate("missed-bins-app", 5)
    sara.rate("missed-bins-app", 4)
    with pytest.raises(PermissionDenied, match="No one can rate their own practice"):
        amina.rate("missed-bins-app", 5)
    question = tom.comment("missed-bins-app", "Did **crews** like it?")
    amina.comment("missed-bins-app", "Yes: fewer call-backs.", parent=question.id)
    amina.mark_helpful(question.id)
    with pytest.raises(PermissionDenied, match="No one can edit another member's comment"):
        amina.edit_comment(question.id, "Did crews hate it?")
    leeds = tom.adopt("missed-bins-app", "Leeds", country="GB")
    sara.adopt("missed-bins-app", "York", country="GB")

    # adopters check in: one by one, and from a CSV
    tom.check_in(leeds.id, day="2026-04-01", status="in_progress", progress=40,
                 kpis=[{"indicator": "missed bins per week", "value": 120}])  # fmt: skip
    tom.check_in(leeds.id, day="2026-06-01", status="live", progress=100,
                 kpis=[{"indicator": "missed bins per week", "value": 85}])  # fmt: skip
    york_csv = tmp_path / "york.csv"
    york_csv.write_text(
        "practice,jurisdiction,date,status,progress,indicator,value\n"
        "missed-bins-app,York,2026-04-01,in_progress,30,missed bins per week,60\n"
        "missed-bins-app,York,2026-06-01,live,90,missed bins per week,51\n",
        encoding="utf-8",
    )
    assert sara.import_checkins(york_csv) == 2
    with pytest.raises(PermissionDenied, match="check in on another member's adoption"):
        sara.check_in(leeds.id, day="2026-06-02", status="stopped", progress=0)
    summary = fay.adoption_summary("missed-bins-app")
    assert summary.jurisdictions == ["Leeds", "York"]
    assert summary.kpis[0].median_change == -22.0  # median of Leeds -35 and York -9

    # the leaderboard and the digest show it
    # amina: published 10 + adopted twice 5 + 5 + a comment 1 = 21
    # tom: comment 1 + helpful 3 + two check-ins 2 + 2 = 8; sara: two check-ins = 4
    # raj and li: a review each, 5
    assert [(s.member, s.points) for s in fay.leaderboard()] == [
        ("amina", 21), ("tom", 8), ("li", 5), ("raj", 5), ("sara", 4),
    ]  # fmt: skip
    assert [b.name for b in amina.badges()] == ["first-contribution", "published"]
    digest = amina.digest("2026-03-01").summary()
    assert "2 review(s) of your practices" in digest
    assert "1 comment(s) on your practices" in digest  # tom's; her own reply is not news
    assert "2 adoption(s) of your practices" in digest
    with pytest.raises(PermissionDenied, match="read the audit log; tom is a member"):
        tom.audit_log()
    assert len(fay.audit_log(target="missed-bins-app")) == 8  # create, submit, 2 reviews,
    # start_review, publish, 2 ratings
