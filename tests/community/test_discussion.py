"""Threaded comments: rendering through govlab.render, editing, flags, helpful marks, hiding."""

from __future__ import annotations

import pytest

from govlab.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govlab.testing.community import Community


def test_threads_and_markdown(community: Community) -> None:
    w = community
    pid = w.published("author")
    ann, ben = w.as_("ann"), w.as_("ben")
    first = ann.comment(pid, "We tried this in **Leeds**. <script>alert(1)</script>")
    reply = ben.comment(pid, "How long did it take?", parent=first.id)
    ann.comment(pid, "About [six months](https://example.org/report).", parent=reply.id)
    ben.comment(pid, "Second thread.")
    threads = w.as_("carol").comments(pid)
    assert [c.author for c in threads] == ["ann", "ben"]
    assert threads[0].replies[0].replies[0].author == "ann"
    assert threads[0].html == "<p>We tried this in <strong>Leeds</strong>. </p>"
    link = threads[0].replies[0].replies[0].html
    assert 'href="https://example.org/report"' in link and "nofollow" in link
    assert "<script>" in threads[0].body  # stored as written, only the HTML is cleaned


def test_comments_are_checked(sqlite_community: Community) -> None:
    w = sqlite_community
    pid, other = w.published("author"), w.published("author")
    ann = w.as_("ann")
    with pytest.raises(InvalidInput, match="empty"):
        ann.comment(pid, "   ")
    top = ann.comment(pid, "Hello.")
    with pytest.raises(InvalidInput, match=f"Comment {top.id} is not on practice"):
        ann.comment(other, "Reply in the wrong place.", parent=top.id)
    with pytest.raises(NotFound):
        ann.comment(pid, "To nothing.", parent=999)
    with pytest.raises(PermissionDenied):
        ann.comment(w.draft("author"), "On a draft I cannot read.")


def test_editing_ones_own_comment(sqlite_community: Community) -> None:
    w = sqlite_community
    cid = w.comment("ann")
    edited = w.as_("ann").edit_comment(cid, "A better thought.")
    assert edited.body == "A better thought." and edited.edited is not None
    with pytest.raises(PermissionDenied, match="No one can edit another member's comment"):
        w.admin.edit_comment(cid, "Admin words.")
    entry = w.admin.audit_log(action="comment.edit")[0]
    assert entry.before["body"] == "A first thought."
    assert entry.after["body"] == "A better thought."


def test_flag_hide_and_restore(community: Community) -> None:
    w = community
    fay = w.member("fay", "facilitator")
    pid = w.published("author")
    rude = w.as_("troll").comment(pid, "Rude words.")
    reply = w.as_("ann").comment(pid, "Please keep it civil.", parent=rude.id)
    w.as_("ann").flag(rude.id, "insulting")
    w.as_("ben").flag(rude.id)
    with pytest.raises(Conflict, match="already flagged"):
        w.as_("ben").flag(rude.id)
    queue = fay.flagged()
    assert [(q["id"], q["flags"], q["reasons"]) for q in queue] == [(rude.id, 2, ["insulting"])]
    with pytest.raises(PermissionDenied):
        w.as_("ann").hide_comment(rude.id, "rude")
    with pytest.raises(InvalidInput, match="Say why"):
        fay.hide_comment(rude.id, "")
    fay.hide_comment(rude.id, "Breaks the respect guideline.")
    seen = w.as_("ann").comments(pid)[0]
    assert seen.hidden and seen.body == "" and "hidden by a facilitator" in seen.html
    assert seen.replies[0].id == reply.id  # the reply keeps its place
    with pytest.raises(PermissionDenied):
        w.as_("ann").comments(pid, include_hidden=True)
    full = fay.comments(pid, include_hidden=True)[0]
    assert full.body == "Rude words." and full.hidden_reason == "Breaks the respect guideline."
    assert fay.flagged() == []
    with pytest.raises(Conflict, match="already hidden"):
        fay.hide_comment(rude.id, "again")
    fay.unhide_comment(rude.id)
    assert w.as_("ann").comments(pid)[0].body == "Rude words."
    assert [e.action for e in w.admin.audit_log(target=str(rude.id))] == [
        "comment.add", "comment.flag", "comment.flag", "comment.hide", "comment.unhide",
    ]  # fmt: skip


def test_helpful_marks(sqlite_community: Community) -> None:
    w = sqlite_community
    cid = w.comment("ann")
    w.as_("ben").mark_helpful(cid)
    w.as_("cat").mark_helpful(cid)
    with pytest.raises(Conflict, match="already marked helpful"):
        w.as_("cat").mark_helpful(cid)
    with pytest.raises(PermissionDenied, match="mark their own comment helpful"):
        w.as_("ann").mark_helpful(cid)
    pid = w.admin.audit_log(action="comment.add")[0].after["practice_id"]
    assert w.as_("ann").comments(pid)[0].helpful == 2
    w.as_("cat").unmark_helpful(cid)
    assert w.as_("ann").comments(pid)[0].helpful == 1
    with pytest.raises(Conflict, match="has not marked"):
        w.as_("cat").unmark_helpful(cid)
