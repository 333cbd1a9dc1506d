"""The feedback forum and the leaderboard with its event calendar."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

from govlab.community.session import open_library
from govlab.testing.community import Community, approval
from govlab.widgets import EventCalendar, FeedbackForum, Leaderboard, charts

from .conftest import values

COMMENTS = [
    "The buses are late every morning and the drivers are rude.",
    "Great new bike lanes, thank you, much safer now.",
    "Potholes on my street have been there for months, terrible.",
    "The library staff are wonderful and helpful.",
    "Bus stops need shelters, waiting in the rain is awful.",
    "Parks are clean and lovely this year.",
]


def test_a_member_sends_feedback_and_sees_no_moderation(world: Community) -> None:
    li = world.member("li")
    forum = FeedbackForum(li)
    assert forum.facilitator.layout.display == "none"
    forum.text.value = "The new bus timetable is easier to read."
    forum.rating.value = 4
    forum.send.click()
    assert "your feedback about street repairs is recorded" in forum.form_notice.text
    [entry] = world.admin.feedback()
    assert (entry.text, entry.rating, entry.channel, entry.entered_by) == (
        "The new bus timetable is easier to read.", 4, "web form", "li",
    )  # fmt: skip
    forum.send.click()  # empty text: the model says so, beside nothing lost
    assert forum.form_notice.kind == "error" and "text" in forum.form_notice.text


def test_a_visitors_feedback_waits_for_a_facilitator(world: Community) -> None:
    visitor = open_library(world.db, visitor=True, seed=False)
    forum = FeedbackForum(visitor)
    forum.text.value = "Please fix the lights on Park Road."
    forum.send.click()
    assert "A facilitator reads each message before it is shown" in forum.form_notice.text
    assert world.admin.feedback() == []  # not shown to anyone yet
    facilitator = FeedbackForum(world.member("fay", "facilitator"))
    assert "waiting for approval" in facilitator.entries.value
    [pending] = world.admin.pending_feedback()
    facilitator.entry.value = pending.id
    facilitator.approve.click()
    assert [e.text for e in world.admin.feedback()] == ["Please fix the lights on Park Road."]
    visitor.close()


def test_the_facilitator_reads_sentiment_topics_and_hides_entries(world: Community) -> None:
    fay = world.member("fay", "facilitator")
    for n, text in enumerate(COMMENTS * 2):
        fay.add_feedback("Public transport", "survey", text, day=f"2026-0{1 + n % 3}-1{n % 9}")
    forum = FeedbackForum(fay)
    assert forum.facilitator.layout.display == "flex"
    sentiment = charts.figure_of(forum.sentiment_chart)
    assert sentiment is not None and sentiment["data"][0]["name"] == "entries"
    assert values(sentiment["data"][0]["y"]) == [4, 4, 4]  # 12 entries over 3 months
    assert "Topics found in the text" in forum.topics_table.value
    first = fay.feedback()[0]
    forum.entry.value = first.id
    forum.hide.click()  # no reason given: the session refuses
    assert "Say why" in forum.moderation_notice.text
    forum.reason.value = "personal data"
    forum.hide.click()
    assert first.id not in [e.id for e in fay.feedback()]
    assert "hidden: personal data" in forum.entries.value
    forum.restore.click()
    assert first.id in [e.id for e in fay.feedback()]


def test_the_leaderboard_shows_the_sessions_points_and_badges(world: Community) -> None:
    pid = world.approved("ann")  # two reviews: rev-a and rev-b earn 5 points each
    world.member("rev-a", "reviewer").publish(pid)  # ann earns 10
    board = Leaderboard(world.member("li"))
    rows = re.findall(r"<tr><td>(\d+)</td><td>([\w-]+)</td><td>(\d+)</td>", board.table.value)
    assert rows == [("1", "ann", "10"), ("2", "rev-a", "5"), ("2", "rev-b", "5")]
    assert "First contribution" in board.table.value and "Published" in board.table.value
    figure = charts.figure_of(board.chart)
    assert figure is not None and values(figure["data"][0]["x"]) == [5, 5, 10]
    assert "Your points, li: 0" in board.mine.value
    assert approval()["decision"] == "approve"


def test_the_calendar_lists_upcoming_events_and_offers_an_ics_file(world: Community) -> None:
    fay = world.member("fay", "facilitator")
    start = world.clock.now + timedelta(days=3)  # upcoming on the session's clock
    end = start + timedelta(hours=1)
    fay.schedule_event("Clinic <b>on</b> figures", start, end, timezone="Europe/London")
    calendar = EventCalendar(world.member("li"))
    assert "Clinic &lt;b&gt;on&lt;/b&gt; figures" in calendar.list.value
    link = re.search(r'href="data:text/calendar;base64,([^"]+)"', calendar.download.value)
    assert link is not None
    ics = base64.b64decode(link.group(1)).decode()
    assert "BEGIN:VCALENDAR" in ics and "SUMMARY:Clinic <b>on</b> figures" in ics
    assert "TZID=Europe/London" in ics
