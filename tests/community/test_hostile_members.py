"""The rules hold for everyone: each test is one finding of the probe (issue 9)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from govlab.community.session import name_admin, open_library
from govlab.errors import Conflict, InvalidInput, PermissionDenied
from govlab.library import Store
from govlab.models import Practice
from govlab.testing.community import Community, approval


# 3. rules a member could walk around ----------------------------------------------
def test_no_one_publishes_their_own_work(community: Community) -> None:
    w = community
    fay = w.member("fay", "facilitator")
    gus = w.member("gus", "facilitator")
    mine = w.submitted("fay")
    with pytest.raises(PermissionDenied, match="No one can publish their own practice"):
        fay.publish(mine, override=True)
    approved = w.approved("fay")
    with pytest.raises(PermissionDenied, match="No one can publish their own practice"):
        fay.publish(approved)  # not even with two independent approvals
    gus.publish(mine, "urgent: a second facilitator's override", override=True)
    [entry] = w.admin.audit_log(action="practice.publish_override")
    assert (entry.actor, entry.target) == ("gus", mine)


@pytest.mark.parametrize("step", ["start_review", "request_changes", "reject"])
def test_no_one_moves_their_own_submission(community: Community, step: str) -> None:
    w = community
    rex = w.member("rex", "facilitator")  # a facilitator may reject, a reviewer may not
    pid = w.submitted("rex")
    call = {
        "start_review": lambda: rex.start_review(pid),
        "request_changes": lambda: rex.request_changes(pid, "Add costs."),
        "reject": lambda: rex.reject(pid, "Out of scope."),
    }[step]
    with pytest.raises(PermissionDenied, match="No one can review their own submission"):
        call()
    assert w.admin.get(pid).status.value == "submitted"


def test_a_session_member_cannot_be_relabelled(sqlite_community: Community) -> None:
    bob = sqlite_community.as_("bob")
    with pytest.raises(AttributeError):
        bob.member = "ada"  # type: ignore[misc]
    assert bob.member == "bob" and bob.role.value == "member"


@pytest.mark.parametrize("name", ["govlab-seed", "GOVLAB-SEED", "visitor", "Visitor", "system"])
def test_reserved_names_cannot_be_joined(sqlite_community: Community, name: str) -> None:
    with pytest.raises(InvalidInput, match="a name govlab keeps for itself"):
        open_library(sqlite_community.db, name, seed=False, show_guidelines=False)


@pytest.mark.parametrize("look_alike", ["Alice", "ALICE", "\u0430lice", "ａｌｉｃｅ", "a1ice"])
def test_look_alike_names_are_refused(community: Community, look_alike: str) -> None:
    community.as_("alice")
    with pytest.raises(Conflict, match="looks the same as 'alice', who is already a member"):
        open_library(community.db, look_alike, seed=False, show_guidelines=False)
    with pytest.raises(Conflict, match="looks the same as 'alice'"):
        community.admin.add_member(look_alike)


def test_the_creator_is_the_admin_and_a_tools_library_has_none_to_claim(db_url: str) -> None:
    Store.open(db_url, seed=False).close()  # made by a tool, for no one
    first = open_library(db_url, "first-comer", seed=False, show_guidelines=False)
    assert first.role.value == "member"  # whoever opens it first does not become admin
    assert name_admin(db_url, "operator") is True
    assert name_admin(db_url, "someone-else") is False  # it has an admin now
    with open_library(db_url, "operator", seed=False, show_guidelines=False) as operator:
        assert operator.role.value == "admin"
    first.close()


def test_whoever_creates_a_library_is_its_admin(db_url: str) -> None:
    with open_library(db_url, "creator", seed=False, show_guidelines=False) as creator:
        assert creator.role.value == "admin"
    with open_library(db_url, "second", seed=False, show_guidelines=False) as second:
        assert second.role.value == "member"


def test_sock_puppets_do_not_carry_a_practice_to_the_top(sqlite_community: Community) -> None:
    w = sqlite_community
    regulars = [w.as_(f"regular{n}") for n in range(3)]
    w.clock.advance(days=1)
    good = w.published("author", id="good-practice", title="Good practice")
    hyped = w.published("hyper", id="hyped-practice", title="Hyped practice")
    for regular in regulars:
        regular.rate(good, 5)
        regular.rate(hyped, 2)
    w.clock.advance(days=1)
    for n in range(20):  # twenty fresh accounts, doing nothing but rating
        w.as_(f"puppet{n}").rate(hyped, 5)
    # good: (5*3 + 15) / (5 + 3) = 3.75; hyped: (15 + 6 + 20*0.2*5) / (5 + 3 + 20*0.2) = 41/12
    top = w.admin.top_rated()
    assert [s.practice_id for s in top] == [good, hyped]
    assert top[0].bayesian == pytest.approx(30 / 8)
    assert top[1].bayesian == pytest.approx(41 / 12)
    assert [c.id for c in w.admin.search("practice", sort="rating").results][:2] == [good, hyped]
    # a puppet that takes part counts in full from then on
    w.as_("puppet0").comment(hyped, "We use this too.")
    assert w.admin.ratings(hyped).bayesian == pytest.approx((15 + 6 + 5 + 19 * 0.2 * 5) / (9 + 3.8))


# 4. smaller leaks -------------------------------------------------------------------
def test_an_invite_only_group_and_its_notes(community: Community) -> None:
    w = community
    bob, carol, dan = w.as_("bob"), w.as_("carol"), w.as_("dan")
    bob.create_group("Budget circle", invite_only=True)
    bob.add_note("budget-circle", "Draft numbers, not for circulation.")
    with pytest.raises(PermissionDenied, match="is invite-only: ask one of its members"):
        dan.join_group("budget-circle")
    with pytest.raises(PermissionDenied, match="group they are not in"):
        dan.add_note("budget-circle", "Let me in")
    assert dan.group("budget-circle").notes == []
    bob.invite_to_group("budget-circle", "carol")
    assert [n.body for n in carol.group("budget-circle").notes] == [
        "Draft numbers, not for circulation."
    ]
    with pytest.raises(PermissionDenied, match="group they are not in"):
        dan.invite_to_group("budget-circle", "dan")


def test_awards_hide_a_practice_the_reader_cannot_open(sqlite_community: Community) -> None:
    w = sqlite_community
    rev = w.member("rev-a", "reviewer")
    pid = w.submitted("author")
    rev.review(pid, **approval())
    assert [a["target"] for a in rev.awards()] == [pid]  # the reviewer may open it
    assert [a["target"] for a in w.as_("bob").awards("rev-a")] == [""]


def test_a_refusal_does_not_name_the_drafts_author(sqlite_community: Community) -> None:
    w = sqlite_community
    pid = w.draft("secret-author")
    with pytest.raises(PermissionDenied) as refused:
        w.as_("bob").get(pid)
    assert "secret-author" not in str(refused.value) and "not published yet" in str(refused.value)


def test_a_draft_cannot_be_backdated(sqlite_community: Community) -> None:
    w = sqlite_community
    old = datetime(1999, 1, 1, tzinfo=UTC)
    made = w.as_("bob").create(
        {"id": "backdated", "title": "Backdated", "created": old, "updated": old}
    )
    assert made.created == made.updated == w.clock.now
    imported = w.as_("bob").import_practices(
        [Practice(id="backdated-too", title="Backdated too", created=old)], why="t"
    )
    assert imported == 1 and w.as_("bob").get("backdated-too").created == w.clock.now


@pytest.mark.parametrize("value", ["../../etc/passwd", "no-such-case"])
def test_case_study_must_name_a_runnable_case(sqlite_community: Community, value: str) -> None:
    bob = sqlite_community.as_("bob")
    with pytest.raises(InvalidInput, match="case_study .* is not a case study govlab can run"):
        bob.create({"id": "with-case", "title": "With a case", "case_study": value})
    pid = bob.create({"id": "with-case", "title": "With a case"}).id
    with pytest.raises(InvalidInput, match="is not a case study govlab can run"):
        bob.edit(pid, case_study=value)
    assert bob.edit(pid, case_study="shared-portal").case_study == "shared-portal"


# the visitor role (public dashboards) ------------------------------------------------
def test_a_visitor_reads_what_is_published_and_leaves_feedback(community: Community) -> None:
    w = community
    public = w.published("author", title="Published bus practice")
    w.draft("author", title="Draft bus practice")
    w.submitted("author")
    with open_library(w.db, seed=False, clock=w.clock, visitor=True) as visitor:
        assert visitor.is_visitor and visitor.role.value == "visitor"
        assert [c.id for c in visitor.search("bus", prefix=True).results] == [public]
        assert visitor.search("").total == 1
        with pytest.raises(PermissionDenied, match="Visitors can read published practices"):
            visitor.rate(public, 5)
        with pytest.raises(PermissionDenied, match="Visitors can read published practices"):
            visitor.comment(public, "Hello")
        with pytest.raises(PermissionDenied, match="Visitors can read"):
            visitor.members()
        note = visitor.add_feedback("Buses", "web", "The 42 was late again.")
    assert note.pending and note.entered_by == "visitor"
    assert w.as_("bob").feedback("Buses") == []  # waits for a facilitator
    with pytest.raises(PermissionDenied, match="approve a visitor's feedback"):
        w.as_("bob").approve_feedback(note.id)
    assert [f.id for f in w.admin.pending_feedback()] == [note.id]
    w.admin.approve_feedback(note.id)
    assert [f.text for f in w.as_("bob").feedback("Buses")] == ["The 42 was late again."]
    with open_library(w.db, seed=False, clock=w.clock, visitor=True) as visitor:
        assert [f.id for f in visitor.feedback("Buses")] == [note.id]


def test_a_shared_library_serves_many_members(db_url: str) -> None:
    from govlab.community.session import SharedLibrary

    with SharedLibrary(db_url, seed=False, creator="host") as shared:
        host = shared.session("host")
        assert host.role.value == "admin" and host.joined_now
        ann = shared.session("ann")
        ann.close()  # the pool stays open for the others
        assert host.search("").total == 0 and shared.session("ann").joined_now is False
        visitor = shared.session("anyone", visitor=True)
        assert visitor.is_visitor and visitor.member == "visitor"
        with pytest.raises(InvalidInput, match="days: give a whole number from 1 to 3,660"):
            host.upcoming_events(days=9350528)
        assert host.now() == host.now().replace(microsecond=0)
