"""Every write leaves an audit row: who, what, when, and the state before and after."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from govlab.testing.community import Community, approval


def test_every_write_leaves_one_audit_row(sqlite_community: Community, tmp_path: Path) -> None:
    w = sqlite_community
    ada, fay = w.admin, w.member("fay", "facilitator")
    rev_a, rev_b = w.member("rev-a", "reviewer"), w.member("rev-b", "reviewer")
    bob, carol = w.as_("bob"), w.as_("carol")
    w.published("author", id="bins")
    state: dict[str, int] = {}
    csv = tmp_path / "c.csv"

    def remember(key: str, value: int) -> None:
        state[key] = value

    writes: list[tuple[str, str, Callable[[], object]]] = [
        ("bob", "practice.create", lambda: bob.create({"id": "idea", "title": "An idea"})),
        ("bob", "practice.edit", lambda: bob.edit("idea", summary="Better")),
        ("bob", "practice.submit", lambda: bob.submit("idea")),
        ("rev-a", "practice.start_review", lambda: rev_a.start_review("idea")),
        ("rev-a", "review.add", lambda: rev_a.review("idea", **approval())),
        ("rev-b", "review.add", lambda: rev_b.review("idea", **approval())),
        ("rev-b", "practice.publish", lambda: rev_b.publish("idea")),
        ("fay", "practice.archive", lambda: fay.archive("idea", "old")),
        (
            "ada",
            "practice.import",
            lambda: ada.import_practices([{"id": "imported", "title": "Imp"}], "t"),
        ),
        ("ada", "settings.approvals_needed", lambda: ada.set_approvals_needed(3)),
        ("carol", "rating.set", lambda: carol.rate("bins", 4)),
        ("carol", "comment.add", lambda: remember("c", carol.comment("bins", "Hi.").id)),
        ("carol", "comment.edit", lambda: carol.edit_comment(state["c"], "Hello.")),
        ("bob", "comment.flag", lambda: bob.flag(state["c"])),
        ("bob", "comment.helpful", lambda: bob.mark_helpful(state["c"])),
        ("bob", "comment.unhelpful", lambda: bob.unmark_helpful(state["c"])),
        ("fay", "comment.hide", lambda: fay.hide_comment(state["c"], "test")),
        ("fay", "comment.unhide", lambda: fay.unhide_comment(state["c"])),
        ("carol", "member.guidelines", carol.accept_guidelines),
        ("fay", "member.add", lambda: fay.add_member("dan")),
        ("ada", "member.grant", lambda: ada.grant("dan", "reviewer")),
        ("carol", "member.profile", lambda: carol.update_profile(jurisdiction="Leeds")),
        ("carol", "member.follow", lambda: carol.follow("waste")),
        ("carol", "member.unfollow", lambda: carol.unfollow("waste")),
        ("bob", "group.create", lambda: bob.create_group("Waste task force")),
        ("carol", "group.join", lambda: carol.join_group("waste-task-force")),
        ("carol", "group.attach", lambda: carol.attach_practice("waste-task-force", "bins")),
        ("carol", "group.note", lambda: carol.add_note("waste-task-force", "Notes.")),
        ("carol", "group.leave", lambda: carol.leave_group("waste-task-force")),
        (
            "fay",
            "event.schedule",
            lambda: remember(
                "e", fay.schedule_event("Talk", "2026-04-01T10:00", "2026-04-01T11:00").id
            ),
        ),  # fmt: skip
        ("fay", "event.material", lambda: fay.add_material(state["e"], "link", "https://x.org")),
        ("carol", "adoption.add", lambda: remember("a", carol.adopt("bins", "Leeds").id)),
        (
            "carol",
            "checkin.add",
            lambda: carol.check_in(state["a"], day="2026-04-01", status="live", progress=10),
        ),  # fmt: skip
        (
            "carol",
            "checkin.add",
            lambda: (
                csv.write_text(
                    "practice,jurisdiction,date,status,progress\nbins,Leeds,2026-05-01,live,20\n"
                ),
                carol.import_checkins(csv),
            ),
        ),  # fmt: skip
        ("bob", "feedback.add", lambda: remember("f", bob.add_feedback("Bins", "web", "Late.").id)),
        ("fay", "feedback.hide", lambda: fay.hide_feedback(state["f"], "test")),
        ("fay", "feedback.unhide", lambda: fay.unhide_feedback(state["f"])),
    ]
    for actor, action, write in writes:
        before = len(ada.audit_log())
        w.clock.advance(minutes=1)
        write()
        log = ada.audit_log()
        assert len(log) == before + 1, action
        entry = log[-1]
        assert (entry.actor, entry.action, entry.at) == (actor, action, w.clock.now)
    edit = ada.audit_log(action="practice.edit")[0]
    assert (edit.before["summary"], edit.after["summary"]) == ("", "Better")
    grant = ada.audit_log(action="member.grant")[0]
    assert (grant.before, grant.after) == ({"role": "member"}, {"role": "reviewer"})
