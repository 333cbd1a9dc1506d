"""The review desk: refusals for members, reviews recorded, publishing once two approve."""

from __future__ import annotations

from govlab.testing.community import Community
from govlab.widgets import ReviewDesk


def score(desk: ReviewDesk, value: int, level: int) -> None:
    for dropdown in desk.scores.values():
        dropdown.value = value
    desk.level.value = level


def test_a_member_is_told_the_desk_is_for_reviewers(world: Community) -> None:
    world.submitted("ann")
    desk = ReviewDesk(world.member("bob"))
    assert desk.notice.kind == "error"
    assert "Only reviewers, facilitators and admins can review" in desk.notice.text
    assert desk.queue.cards == []


def test_two_approvals_publish_with_the_median_evidence_level(world: Community) -> None:
    pid = world.submitted("ann")
    first = ReviewDesk(world.member("rev-a", "reviewer"))
    assert [c["id"] for c in first.queue.cards] == [pid]
    assert first.queue.cards[0]["chips"] == ["0 of 2 approvals"]
    first.queue.selected = pid
    assert f"Draft {pid}" in first.submission.value
    first.approve.click()  # nothing chosen yet
    assert "Choose a value for: Evidence, Transferability" in first.desk_notice.text
    score(first, 4, 3)
    first.approve.click()
    assert [r.reviewer for r in world.admin.reviews(pid)] == ["rev-a"]
    first.publish.click()  # one approval is not enough: the session says so
    assert "publishing needs 2" in first.desk_notice.text
    assert world.admin.get(pid).status.value == "in_review"
    second = ReviewDesk(world.member("rev-b", "reviewer"))
    second.queue.selected = pid
    assert "rev-a" in second.reviews.value
    score(second, 3, 4)
    second.approve.click()
    second.publish.click()
    published = world.admin.get(pid)
    assert published.status.value == "published" and published.evidence_level == 3
    assert second.queue.cards == [] and "Published" in second.desk_notice.text


def test_asking_for_changes_needs_a_comment_and_sends_it_back(world: Community) -> None:
    pid = world.submitted("ann")
    desk = ReviewDesk(world.member("rev-a", "reviewer"))
    desk.show(pid)
    score(desk, 2, 1)
    desk.ask.click()
    assert "say in the comment what should change" in desk.desk_notice.text
    desk.comment.value = "Which year are the figures from?"
    desk.ask.click()
    assert world.admin.get(pid).status.value == "changes_requested"
    assert desk.queue.cards == []


def test_rejecting_is_for_facilitators(world: Community) -> None:
    pid = world.submitted("ann")
    reviewer = ReviewDesk(world.member("rev-a", "reviewer"))
    reviewer.show(pid)
    reviewer.comment.value = "Out of scope."
    reviewer.reject.click()
    assert "Only facilitators and admins can reject" in reviewer.desk_notice.text
    facilitator = ReviewDesk(world.member("fay", "facilitator"))
    facilitator.show(pid)
    facilitator.comment.value = "Out of scope for this library."
    facilitator.reject.click()
    assert world.admin.get(pid).status.value == "rejected"


def test_a_resubmission_shows_what_changed_since_it_was_sent_back(world: Community) -> None:
    pid = world.submitted("ann")
    world.member("rev-a", "reviewer").request_changes(pid, "Say where.")
    ann = world.as_("ann")
    ann.edit(pid, jurisdiction="Leeds", why="said where")
    ann.submit(pid, "where added")
    desk = ReviewDesk(world.member("rev-b", "reviewer"))
    desk.show(pid)
    assert '<th scope="row">jurisdiction</th>' in desk.changes.value
    assert "Leeds" in desk.changes.value


def test_a_page_shown_later_reads_the_queue_again(world: Community) -> None:
    """Voila preheats a kernel minutes before a page takes it: the page asks for fresh data."""
    desk = ReviewDesk(world.member("rev-a", "reviewer"))
    assert desk.queue.cards == []
    pid = world.submitted("ann")
    desk.notice._handle_custom_msg({"event": "shown"}, [])  # what notice.js sends on render
    assert [card["id"] for card in desk.queue.cards] == [pid]
