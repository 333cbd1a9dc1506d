"""The permission table, walked through the real session: every role x every action.

EXPECTED is written out here from the issue (and the decisions documented in
govlab/community/policy.py), independently of policy.POLICY; each action is then
actually attempted by a member of each role on a real database, and must succeed
exactly when EXPECTED says so, or fail with PermissionDenied and a plain message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from govlab.community import policy
from govlab.community.policy import Role
from govlab.community.session import Library, open_library
from govlab.errors import PermissionDenied
from govlab.models import Practice
from govlab.testing.community import Community, approval

V, M, R, F, A = Role.visitor, Role.member, Role.reviewer, Role.facilitator, Role.admin
ALL, REVIEWERS, FACILITATORS, ADMINS, NOBODY = {M, R, F, A}, {R, F, A}, {F, A}, {A}, set()
# a visitor owns nothing (no one may join under the name "visitor"): these cannot be tried
VISITOR_OWNS_NOTHING = {
    "edit_own_draft",
    "submit",
    "read_own",
    "review_own",
    "publish_own",
    "rate_own",
    "edit_own_comment",
    "mark_own_helpful",
    "checkin_own",
}

EXPECTED: dict[str, set[Role]] = {
    "create_draft": ALL,
    "edit_own_draft": ALL,
    "edit_others_draft": ADMINS,  # "never, except admin"
    "submit": ALL,
    "submit_others": NOBODY,
    "read_own": ALL,
    "read_submitted": REVIEWERS,  # "only reviewers once it is submitted"
    "read_others_draft": ADMINS,  # the admin may edit it, so may read it
    "start_review": REVIEWERS,
    "review": REVIEWERS,
    "review_own": NOBODY,  # "review own submission (never)"
    "request_changes": REVIEWERS,
    "publish": REVIEWERS,
    "publish_own": NOBODY,  # not even with enough approvals, nor by an override (issue 9)
    "publish_override": FACILITATORS,
    "reject": FACILITATORS,
    "archive": FACILITATORS,
    "import_practices": FACILITATORS,
    "import_own_drafts": ALL,
    "rate": ALL,
    "rate_own": NOBODY,
    "comment": ALL,
    "edit_own_comment": ALL,
    "edit_others_comment": NOBODY,
    "hide_comment": FACILITATORS,
    "flag": ALL,
    "mark_helpful": ALL,
    "mark_own_helpful": NOBODY,
    "add_member": FACILITATORS,
    "grant_role": FACILITATORS,
    "grant_admin": ADMINS,
    "edit_own_profile": ALL,
    "edit_others_profile": ADMINS,
    "view_audit": FACILITATORS,
    "change_settings": ADMINS,
    "create_group": ALL,
    "write_own_group": ALL,
    "write_others_group": FACILITATORS,
    "read_others_group": FACILITATORS,  # a group's notes are its members' (issue 9)
    "schedule_event": FACILITATORS,
    "adopt": ALL,
    "checkin_own": ALL,
    "checkin_others": NOBODY,  # "check in on another's (never)"
    "add_feedback": ALL | {V},  # a visitor's waits for a facilitator
    "hide_feedback": FACILITATORS,
    "approve_feedback": FACILITATORS,
}

Run = Callable[[Library, Community], object]


def _import_keeping_status(me: Library, w: Community) -> None:
    pid = w.next_id("imp")
    me.import_practices([Practice(id=pid, title="Imported", status="published")], why="t")
    if w.admin.get(pid).status.value != "published":  # imported, but only as a draft
        raise PermissionDenied("imported as a draft")


def _new_member(w: Community) -> str:
    name = w.next_id("person")
    w.admin.add_member(name)
    return name


def _group(w: Community) -> str:
    return w.admin.create_group(w.next_id("group")).id


def _visitors_feedback(w: Community) -> int:
    with open_library(w.db, seed=False, clock=w.clock, visitor=True) as visitor:
        return visitor.add_feedback("Parks", "web", "The swings are broken.").id


def _read_notes(me: Library, w: Community) -> None:
    group = _group(w)
    w.admin.add_note(group, "Only for the group.")
    if not me.group(group).notes:  # listed without its notes
        raise PermissionDenied("notes not shown")


RUNS: dict[str, Run] = {
    "create_draft": lambda me, w: me.create({"id": w.next_id(), "title": "New idea"}),
    "edit_own_draft": lambda me, w: me.edit(w.draft(me.member), summary="Better"),
    "edit_others_draft": lambda me, w: me.edit(w.draft("author"), summary="Better"),
    "submit": lambda me, w: me.submit(w.draft(me.member)),
    "submit_others": lambda me, w: me.submit(w.draft("author")),
    "read_own": lambda me, w: me.get(w.draft(me.member)),
    "read_submitted": lambda me, w: me.get(w.submitted("author")),
    "read_others_draft": lambda me, w: me.get(w.draft("author")),
    "start_review": lambda me, w: me.start_review(w.submitted("author")),
    "review": lambda me, w: me.review(w.submitted("author"), **approval()),
    "review_own": lambda me, w: me.review(w.submitted(me.member), **approval()),
    "request_changes": lambda me, w: me.request_changes(w.submitted("author"), "Add costs."),
    "publish": lambda me, w: me.publish(w.approved("author")),
    "publish_own": lambda me, w: me.publish(w.approved(me.member), override=True),
    "publish_override": lambda me, w: me.publish(w.submitted("author"), override=True),
    "reject": lambda me, w: me.reject(w.submitted("author"), "Out of scope."),
    "archive": lambda me, w: me.archive(w.published("author"), "Superseded."),
    "import_practices": _import_keeping_status,
    "import_own_drafts": lambda me, w: me.import_practices(
        [{"id": w.next_id(), "title": "Mine"}], why="t"
    ),
    "rate": lambda me, w: me.rate(w.published("author"), 4),
    "rate_own": lambda me, w: me.rate(w.published(me.member), 4),
    "comment": lambda me, w: me.comment(w.published("author"), "Useful."),
    "edit_own_comment": lambda me, w: me.edit_comment(w.comment(me.member), "Edited."),
    "edit_others_comment": lambda me, w: me.edit_comment(w.comment("author"), "Edited."),
    "hide_comment": lambda me, w: me.hide_comment(w.comment("author"), "Off topic."),
    "flag": lambda me, w: me.flag(w.comment("author"), "rude"),
    "mark_helpful": lambda me, w: me.mark_helpful(w.comment("author")),
    "mark_own_helpful": lambda me, w: me.mark_helpful(w.comment(me.member)),
    "add_member": lambda me, w: me.add_member(w.next_id("newcomer")),
    "grant_role": lambda me, w: me.grant(_new_member(w), "reviewer"),
    "grant_admin": lambda me, w: me.grant(_new_member(w), "admin"),
    "edit_own_profile": lambda me, w: me.update_profile(organisation="Leeds City Council"),
    "edit_others_profile": lambda me, w: me.update_profile("author", organisation="X"),
    "view_audit": lambda me, w: me.audit_log(),
    "change_settings": lambda me, w: me.set_approvals_needed(2),
    "create_group": lambda me, w: me.create_group(w.next_id("task-force")),
    "write_own_group": lambda me, w: me.add_note(me.join_group(_group(w)).id, "Hello."),
    "write_others_group": lambda me, w: me.add_note(_group(w), "Hello."),
    "read_others_group": _read_notes,
    "schedule_event": lambda me, w: me.schedule_event(
        "Webinar", datetime(2026, 4, 1, 10), datetime(2026, 4, 1, 11)
    ),
    "adopt": lambda me, w: me.adopt(w.published("author"), "Leeds"),
    "checkin_own": lambda me, w: me.check_in(
        w.adoption(me.member), day="2026-04-01", status="live", progress=50
    ),
    "checkin_others": lambda me, w: me.check_in(
        w.adoption("author"), day="2026-04-01", status="live", progress=50
    ),
    "add_feedback": lambda me, w: me.add_feedback("Bins", "web", "Missed collection."),
    "hide_feedback": lambda me, w: me.hide_feedback(
        w.admin.add_feedback("Bins", "web", "My phone is 0123").id, "personal data"
    ),
    "approve_feedback": lambda me, w: me.approve_feedback(_visitors_feedback(w)),
}


def test_expected_covers_every_declared_action() -> None:
    assert set(EXPECTED) == set(policy.ACTIONS) == set(RUNS)
    for action, roles in EXPECTED.items():
        assert {r for r in Role if policy.allowed(r, action)} == roles, action


@pytest.mark.slow
def test_every_role_times_every_action(community: Community) -> None:
    actors = {role: community.member(f"as-{role.value}", role.value) for role in Role if role != V}
    actors[V] = open_library(community.db, seed=False, clock=community.clock, visitor=True)
    wrong = []
    for action, run in RUNS.items():
        for role, me in actors.items():
            if role == V and action in VISITOR_OWNS_NOTHING:
                continue
            try:
                run(me, community)
                done = True
            except PermissionDenied as error:
                done = False
                message = str(error)
                plain = "No one can" in message or f"{me.member} is a" in message
                plain = plain or (role == V and "Visitors can read published" in message)
                if action not in ("import_practices", "read_others_group") and not plain:
                    wrong.append(f"{action} as {role}: unclear message {message!r}")
            if done != (role in EXPECTED[action]):
                wrong.append(f"{action} as {role}: {'allowed' if done else 'refused'}")
    actors[V].close()
    assert wrong == []


def test_refusals_read_plainly() -> None:
    assert (
        policy.refusal("review", "alice", "member")
        == "Only reviewers, facilitators and admins can review a submission; alice is a member."
    )
    assert (
        policy.refusal("edit_others_draft", "bob", "reviewer")
        == "Only admins can edit another member's draft; bob is a reviewer."
    )
    assert policy.refusal("review_own", "carol", "admin") == (
        "No one can review their own submission."
    )
    assert policy.owned("check_in", owner="bob", member="bob") == "checkin_own"
    assert policy.owned("check_in", owner="bob", member="eve") == "checkin_others"


def test_a_members_refusal_names_them(sqlite_community: Community) -> None:
    w = sqlite_community
    bob = w.member("bob")
    pid = w.submitted("author")
    with pytest.raises(PermissionDenied, match="Only reviewers.*review a submission; bob is a"):
        bob.review(pid, **approval())
    with pytest.raises(PermissionDenied, match="not published yet"):
        bob.get(pid)
