"""Events with time zones and materials, exported to .ics and parsed back by icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from govlab.errors import InvalidInput, NotFound, PermissionDenied
from govlab.testing.community import Community


def test_events_round_trip_through_ics(community: Community, tmp_path: Path) -> None:
    w = community
    fay = w.member("fay", "facilitator")
    pid = w.published("author", id="bike-lanes")
    group = fay.create_group("Active travel").id
    london = fay.schedule_event(
        "Bike lanes, a year on",
        "2026-03-27T10:00",  # the Friday before the clocks go forward: GMT
        "2026-03-27T11:30",
        timezone="Europe/London",
        kind="webinar",
        link="https://meet.example.org/bikes",
        description="What Leeds learned.",
        group=group,
        materials=[{"kind": "practice", "ref": pid}],
    )
    fay.add_material(london.id, "notebook", "notebooks/10_kpis.ipynb", "KPI notebook")
    seoul = fay.schedule_event(
        "Night buses workshop",
        datetime(2026, 3, 30, 9, 0, tzinfo=UTC),  # an aware time is moved into the zone
        datetime(2026, 3, 30, 11, 0, tzinfo=UTC),
        timezone="Asia/Seoul",
        kind="workshop",
    )
    assert seoul.starts == datetime(2026, 3, 30, 18, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    assert [e.title for e in w.as_("bob").events(group=group)] == ["Bike lanes, a year on"]
    path = tmp_path / "govlab.ics"
    assert w.as_("bob").export_ics(path) == 2

    calendar = Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Bike lanes, a year on", "Night buses workshop"]
    first = events[0]
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert start == datetime(2026, 3, 27, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert start.astimezone(UTC) == datetime(2026, 3, 27, 10, 0, tzinfo=UTC)  # GMT = UTC
    assert end - start == timedelta(minutes=90)
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert str(first["URL"]) == "https://meet.example.org/bikes"
    description = str(first["DESCRIPTION"])
    assert "What Leeds learned." in description and "KPI notebook (notebook:" in description
    assert "bike-lanes (practice: bike-lanes)" in description
    second_start = events[1].decoded("DTSTART")
    assert second_start.astimezone(UTC) == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/London", "Asia/Seoul"}
    assert len({str(e["UID"]) for e in events}) == 2


def test_daylight_saving_is_kept(sqlite_community: Community, tmp_path: Path) -> None:
    fay = sqlite_community.member("fay", "facilitator")
    fay.schedule_event("After the change", "2026-03-30T10:00", "2026-03-30T11:00",
                       timezone="Europe/London")  # fmt: skip
    event = fay.events()[0]
    assert event.starts.astimezone(UTC).hour == 9  # BST is UTC+1
    fay.export_ics(tmp_path / "one.ics")
    parsed = Calendar.from_ical((tmp_path / "one.ics").read_bytes()).walk("VEVENT")[0]
    assert parsed.decoded("DTSTART").astimezone(UTC) == datetime(2026, 3, 30, 9, tzinfo=UTC)


def test_events_are_checked(sqlite_community: Community) -> None:
    w = sqlite_community
    fay = w.member("fay", "facilitator")
    with pytest.raises(InvalidInput, match="timezone: 'Mars/Olympus'"):
        fay.schedule_event("Talk", "2026-04-01T10:00", "2026-04-01T11:00", timezone="Mars/Olympus")
    with pytest.raises(InvalidInput, match="must end after it starts"):
        fay.schedule_event("Talk", "2026-04-01T10:00", "2026-04-01T09:00")
    with pytest.raises(InvalidInput, match="starts: 'next tuesday'"):
        fay.schedule_event("Talk", "next tuesday", "2026-04-01T09:00")
    with pytest.raises(InvalidInput, match="kind"):
        fay.schedule_event("Talk", "2026-04-01T10:00", "2026-04-01T11:00", kind="party")
    with pytest.raises(NotFound, match="no-such-practice"):
        fay.schedule_event("Talk", "2026-04-01T10:00", "2026-04-01T11:00",
                           materials=[{"kind": "practice", "ref": "no-such-practice"}])  # fmt: skip
    with pytest.raises(PermissionDenied, match="schedule an event; bob is a member"):
        w.as_("bob").schedule_event("Talk", "2026-04-01T10:00", "2026-04-01T11:00")
    assert fay.events() == []


def test_upcoming(sqlite_community: Community) -> None:
    w = sqlite_community
    fay = w.member("fay", "facilitator")
    now = w.clock.now  # 2026-03-02 09:00 UTC
    for days, title in ((-1, "Past"), (3, "Soon"), (40, "Later")):
        start = now + timedelta(days=days)
        fay.schedule_event(title, start, start + timedelta(hours=1))
    assert [e.title for e in fay.upcoming_events(days=30)] == ["Soon"]
    assert [e.title for e in fay.events(since="2026-03-01")] == ["Past", "Soon", "Later"]
