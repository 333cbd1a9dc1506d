"""Citizen feedback with moderation, working groups, and the digest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govlab.errors import Conflict, InvalidInput, PermissionDenied
from govlab.testing.community import Community, approval


def test_citizen_feedback_and_moderation(sqlite_community: Community) -> None:
    w = sqlite_community
    fay, bob = w.member("fay", "facilitator"), w.as_("bob")
    kept = bob.add_feedback("Waste collection", "app", "Bin missed twice.", rating=2,
                            district="Headingley", day="2026-02-27")  # fmt: skip
    private = bob.add_feedback("Waste collection", "phone", "Call me on 07700 900123.")
    bob.add_feedback("Libraries", "web", "Great opening hours.", rating=5)
    assert private.day == date(2026, 3, 2)  # today, by the session's clock
    with pytest.raises(InvalidInput, match="feedback: rating"):
        bob.add_feedback("Libraries", "web", "Out of range.", rating=9)
    with pytest.raises(PermissionDenied, match="hide or restore citizen feedback; bob is"):
        bob.hide_feedback(private.id, "personal data")
    fay.hide_feedback(private.id, "personal data")
    assert [f.id for f in bob.feedback("Waste collection")] == [kept.id]
    assert [f.text for f in bob.feedback(since=date(2026, 3, 1))] == ["Great opening hours."]
    hidden = [f for f in fay.feedback(include_hidden=True) if f.hidden]
    assert [(f.id, f.hidden_reason) for f in hidden] == [(private.id, "personal data")]
    with pytest.raises(Conflict, match="already hidden"):
        fay.hide_feedback(private.id, "again")
    fay.unhide_feedback(private.id)
    assert len(bob.feedback("Waste collection")) == 2


def test_working_groups(sqlite_community: Community) -> None:
    w = sqlite_community
    bob, carol = w.as_("bob"), w.as_("carol")
    pid = w.published("author")
    group = bob.create_group("Channel shift!", "Moving calls online.")
    assert (group.id, group.members) == ("channel-shift", ["bob"])
    with pytest.raises(Conflict, match="already exists"):
        carol.create_group("Channel  shift")
    with pytest.raises(PermissionDenied, match="group they are not in"):
        carol.add_note("channel-shift", "Can I write here?")
    carol.join_group("channel-shift")
    carol.attach_practice("channel-shift", pid)
    with pytest.raises(Conflict, match="already in"):
        bob.attach_practice("channel-shift", pid)
    with pytest.raises(PermissionDenied):
        bob.attach_practice("channel-shift", w.draft("author"))
    own_draft = w.draft("carol")
    carol.attach_practice("channel-shift", own_draft)  # on the shelf, still carol's alone
    assert set(carol.group("channel-shift").practices) == {pid, own_draft}
    note = carol.add_note("channel-shift", "Our **call volume** fell 12%.")
    assert note.html == "<p>Our <strong>call volume</strong> fell 12%.</p>"
    bob.leave_group("channel-shift")
    with pytest.raises(Conflict, match="not in"):
        bob.leave_group("channel-shift")
    # dan is not in the group: he sees who is in it and its shelf, but not its notes
    seen = w.as_("dan").group("channel-shift")
    assert (seen.members, seen.practices, [n.author for n in seen.notes]) == (
        ["carol"],
        [pid],
        [],
    )
    assert [n.author for n in carol.group("channel-shift").notes] == ["carol"]
    assert [g.id for g in w.as_("dan").groups()] == ["channel-shift"]


def test_digest_is_one_summary(community: Community) -> None:
    w = community
    clock = w.clock
    bob, carol, dan = w.as_("bob"), w.as_("carol"), w.as_("dan")
    fay = w.member("fay", "facilitator")
    w.published("bob", id="bins", title="Smart bins", topics=["waste"])
    carol.update_profile(topics=["Waste"])  # her challenge: matched without regard to case
    carol.follow("transit")
    old = carol.comment("bins", "Old news.").id
    clock.advance(days=7)  # ---- the digest starts here: 2026-03-09 09:00
    since = clock.now
    rev = w.member("rev-a", "reviewer")
    pid = bob.create({"id": "night-bus", "title": "Night buses", "topics": ["Transit"]}).id
    bob.submit(pid)
    rev.review(pid, **approval())
    w.member("rev-b", "reviewer").review(pid, **approval())
    rev.publish(pid)
    w.published("dan", id="paving", title="Paving", topics=["roads"])  # not followed
    dan.comment("bins", "Did the sensors last the winter?")
    bob.comment("bins", "Replying on my own practice.", parent=old)  # bob's own: not news
    dan.adopt("bins", "York")
    fay.schedule_event("Waste webinar", clock.now + timedelta(days=3),
                       clock.now + timedelta(days=3, hours=1))  # fmt: skip
    fay.schedule_event("Far away", clock.now + timedelta(days=30),
                       clock.now + timedelta(days=30, hours=1))  # fmt: skip
    clock.advance(hours=1)

    for_bob = bob.digest(since)
    assert [r["reviewer"] for r in for_bob.reviews] == ["rev-a", "rev-b"]
    assert [c["author"] for c in for_bob.comments] == ["dan"]
    assert [a["jurisdiction"] for a in for_bob.adoptions] == ["York"]
    assert [e.title for e in for_bob.events] == ["Waste webinar"]
    assert for_bob.new_practices == []  # he follows nothing, and night-bus is his own

    for_carol = carol.digest(since.date())
    assert for_carol.topics == ["Waste", "transit"]
    assert [p["id"] for p in for_carol.new_practices] == ["night-bus"]  # "bins" is older
    assert [r["author"] for r in for_carol.replies] == ["bob"]
    text = for_carol.summary()
    assert text.splitlines()[:3] == [
        "What is new for carol since 2026-03-09:",
        "- 1 new practice(s) in topics you follow:",
        "    Night buses [night-bus]",
    ]
    assert "Waste webinar" in text
    clock.advance(days=60)  # past both events
    quiet = w.as_("zoe").digest(clock.now)
    assert quiet.summary().endswith("- nothing new.")
