"""Every workflow path, every refused transition, revisions, reviews and the evidence level."""

from __future__ import annotations

import pytest

from govlab.community.workflow import TRANSITIONS, evidence_level
from govlab.errors import Conflict, InvalidInput, PermissionDenied
from govlab.models import Practice, Status
from govlab.testing.community import Community, approval

S = Status


def statuses(w: Community, pid: str) -> list[str]:
    return [row["to_status"] for row in w.admin.workflow(pid)]


def test_the_long_way_round(community: Community) -> None:
    """draft, submitted, in review, changes, submitted, in review, published, archived."""
    w = community
    bob, rev_a, rev_b = (
        w.member("bob"),
        w.member("rev-a", "reviewer"),
        w.member("rev-b", "reviewer"),
    )
    fay = w.member("fay", "facilitator")
    pid = bob.create({"id": "night-bus", "title": "Night buses"}, why="first go").id
    bob.submit(pid, "ready")
    rev_a.review(pid, **approval(4))  # round 1: one approval, then ...
    rev_b.review(pid, **approval(2, decision="request_changes", comment="Add the costs."))
    assert bob.get(pid).status == S.changes_requested
    with pytest.raises(Conflict, match="changes requested, so it cannot be published"):
        rev_a.publish(pid)
    bob.edit(pid, {"summary": "Now with costs."}, why="added costs")
    bob.submit(pid, "costs added")
    # round 2: rev-a's round-1 approval does not count
    with pytest.raises(Conflict, match="has 0 approving review"):
        rev_a.publish(pid)
    rev_a.review(pid, **approval(3))
    rev_b.review(pid, **approval(4))
    published = rev_b.publish(pid, "two approvals")
    assert published.status == S.published
    assert published.evidence_level == 3  # median_low of round 2's levels [3, 4]
    fay.archive(pid, "replaced by a new service")
    assert statuses(w, pid) == [
        "submitted", "in_review", "changes_requested", "submitted", "in_review", "published",
        "archived",
    ]  # fmt: skip
    transitions = w.admin.workflow(pid)
    assert [(t["actor"], t["why"]) for t in transitions][-2:] == [
        ("rev-b", "two approvals"),
        ("fay", "replaced by a new service"),
    ]
    history = bob.history(pid)
    assert [r.message for r in history] == [
        "first go", "ready", "review started", "Add the costs.", "added costs", "costs added",
        "review started", "two approvals", "replaced by a new service",
    ]  # fmt: skip
    assert history[4].practice.summary == "Now with costs." and history[4].author == "bob"
    actions = [e.action for e in w.admin.audit_log(target=pid)]
    assert actions == [
        "practice.create", "practice.submit", "review.add", "practice.start_review",
        "review.add", "practice.request_changes", "practice.edit", "practice.submit",
        "review.add", "practice.start_review", "review.add", "practice.publish",
        "practice.archive",
    ]  # fmt: skip


def test_rejections_and_archiving_them(community: Community) -> None:
    w = community
    fay, rev = w.member("fay", "facilitator"), w.member("rev-a", "reviewer")
    straight = w.submitted("author")
    fay.reject(straight, "Not a public-sector practice.")
    reviewed = w.submitted("author")
    rev.start_review(reviewed)
    fay.reject(reviewed, "Evidence too thin.")
    sent_back = w.submitted("author")
    rev.request_changes(sent_back, "Say what it cost.")
    fay.reject(sent_back, "No reply in six months.")
    fay.archive(straight, "tidy up")
    assert statuses(w, straight) == ["submitted", "rejected", "archived"]
    assert statuses(w, reviewed) == ["submitted", "in_review", "rejected"]
    assert statuses(w, sent_back) == ["submitted", "changes_requested", "rejected"]
    with pytest.raises(InvalidInput, match="Say why"):
        fay.reject(w.submitted("author"), "  ")


def test_a_facilitator_override_is_recorded(community: Community) -> None:
    w = community
    fay, rev = w.member("fay", "facilitator"), w.member("rev-a", "reviewer")
    pid = w.submitted("author")
    rev.review(pid, **approval(5))
    with pytest.raises(PermissionDenied, match="publish without enough approving reviews"):
        rev.publish(pid, override=True)
    practice = fay.publish(pid, "urgent: the minister cites it", override=True)
    assert practice.status == S.published and practice.evidence_level == 5
    last = w.admin.workflow(pid)[-1]
    assert last["override"] is True and last["actor"] == "fay"
    assert [e.action for e in w.admin.audit_log(action="practice.publish_override")] == [
        "practice.publish_override"
    ]


def test_approvals_needed_is_a_setting(sqlite_community: Community) -> None:
    w = sqlite_community
    rev = w.member("rev-a", "reviewer")
    with pytest.raises(PermissionDenied):
        w.member("fay", "facilitator").set_approvals_needed(1)
    w.admin.set_approvals_needed(1)
    pid = w.submitted("author")
    rev.review(pid, **approval(2))
    assert rev.publish(pid).evidence_level == 2
    with pytest.raises(InvalidInput):
        w.admin.set_approvals_needed(0)


ALLOWED = {(frm, to) for (frm, to) in TRANSITIONS}
TARGETS = [S.submitted, S.in_review, S.changes_requested, S.published, S.rejected, S.archived]
REFUSED = [(frm, to) for frm in S for to in TARGETS if (frm, to) not in ALLOWED]


def move(w: Community, pid: str, target: Status) -> None:
    """Ask for ``target`` as its author (submit) or the admin: only the workflow can refuse."""
    calls = {
        S.submitted: lambda: w.as_("author").submit(pid),
        S.in_review: lambda: w.admin.start_review(pid),
        S.changes_requested: lambda: w.admin.request_changes(pid, "why"),
        S.published: lambda: w.admin.publish(pid, override=True),
        S.rejected: lambda: w.admin.reject(pid, "why"),
        S.archived: lambda: w.admin.archive(pid, "why"),
    }
    calls[target]()


def test_every_refused_transition(sqlite_community: Community) -> None:
    w = sqlite_community
    assert len(REFUSED) == 7 * 6 - len(ALLOWED) == 30
    for frm, to in REFUSED:
        pid = w.next_id("state")
        w.admin.import_practices(
            [Practice(id=pid, title="Tested", status=frm, author="author")], why="setup"
        )
        with pytest.raises(Conflict, match="so it cannot be"):
            move(w, pid, to)
        assert w.admin.get(pid).status == frm, (frm, to)
    for frm, to in sorted(ALLOWED):
        pid = w.next_id("state")
        w.admin.import_practices(
            [Practice(id=pid, title="Tested", status=frm, author="author")], why="setup"
        )
        move(w, pid, to)
        assert w.admin.get(pid).status == to


def test_editing_only_drafts(sqlite_community: Community) -> None:
    w = sqlite_community
    bob = w.member("bob")
    pid = w.draft("bob")
    with pytest.raises(InvalidInput, match="status.*cannot be edited"):
        bob.edit(pid, status="published")
    with pytest.raises(InvalidInput, match="country"):
        bob.edit(pid, country="Narnia")
    bob.submit(pid)
    with pytest.raises(Conflict, match="only drafts and practices sent back"):
        bob.edit(pid, summary="sneaky")
    with pytest.raises(InvalidInput, match="starts as a draft"):
        bob.create({"id": "x-published", "title": "Sneaky", "status": "published"})
    with pytest.raises(Conflict, match="already exists"):
        bob.create({"id": pid, "title": "Again"})


def test_reviews_are_checked(sqlite_community: Community) -> None:
    w = sqlite_community
    rev = w.member("rev-a", "reviewer")
    draft = w.draft("author")
    with pytest.raises(Conflict, match="only submissions waiting for review"):
        rev.review(draft, **approval())
    pid = w.submitted("author")
    with pytest.raises(InvalidInput, match="evidence_level"):
        rev.review(pid, **approval(6))
    with pytest.raises(InvalidInput, match="say in the comment"):
        rev.review(pid, **approval(decision="reject"))
    rev.review(pid, **approval())
    with pytest.raises(Conflict, match="already reviewed"):
        rev.review(pid, **approval())
    queue = w.member("rev-b", "reviewer").review_queue()
    assert [(q.id, q.approvals, q.needed, q.reviewed_by_me) for q in queue] == [(pid, 1, 2, False)]
    assert w.as_("author").reviews(pid)[0].reviewer == "rev-a"


def test_who_reads_what(community: Community) -> None:
    w = community
    bob, rev = w.member("bob"), w.member("rev-a", "reviewer")
    draft = w.draft("author", title="Secret draft plan")
    waiting = w.submitted("author")
    public = w.published("author", title="Public plan")
    assert w.as_("author").get(draft).id == draft
    with pytest.raises(PermissionDenied):
        rev.get(draft)
    assert rev.get(waiting).id == waiting
    with pytest.raises(PermissionDenied):
        bob.get(waiting)
    assert w.admin.get(draft).id == draft
    found = {r.id for r in bob.search("", limit=50).results}
    assert found == {public}
    assert {r.id for r in rev.search("", limit=50).results} == {public, waiting}
    assert {p.id for p in rev.all_practices()} == {public, waiting}
    assert w.admin.search("", limit=50).total == 3


def test_import_is_all_or_nothing(sqlite_community: Community) -> None:
    w = sqlite_community
    bob = w.member("bob")
    taken = w.published("someone", id="already-here")
    batch = [{"id": "new-one", "title": "New one"}, {"id": taken, "title": "Clash"}]
    with pytest.raises(Conflict, match="Already in the library: already-here"):
        w.admin.import_practices(batch, why="catalogue")
    with pytest.raises(InvalidInput, match="practice 2: id 'dup' is also practice 1"):
        w.admin.import_practices(
            [{"id": "dup", "title": "Alpha"}, {"id": "dup", "title": "Beta"}], "x"
        )
    with pytest.raises(InvalidInput, match="practice 1: country"):
        bob.import_practices([{"id": "bad-country", "title": "Alpha", "country": "XX"}], why="x")
    assert [p.id for p in w.admin.all_practices()] == [taken]
    # a member's import lands as their own drafts, whatever the file says
    assert bob.import_practices([{"id": "mine", "title": "Mine", "status": "published"}], "x") == 1
    mine = bob.get("mine")
    assert (mine.status, mine.author) == (S.draft, "bob")


def test_evidence_level_is_the_lower_median() -> None:
    assert evidence_level([]) is None
    assert evidence_level([4]) == 4
    assert evidence_level([2, 5, 3]) == 3  # sorted 2, 3, 5: the middle one
    assert evidence_level([3, 4]) == 3  # 3.5 rounds down: evidence claims do not grow
    assert evidence_level([1, 2, 4, 5]) == 2
