"""Events: webinars, workshops and course sessions, with materials, exported to ``.ics``.

Times are stored in UTC with the event's IANA time zone beside them; they come
back (and go into the calendar file) in that zone, with a VTIMEZONE block so that
calendar applications place them right across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select

from govlab.community import tables as ct
from govlab.community._base import SessionBase, When, to_moment
from govlab.community.records import Event, Material, validated
from govlab.errors import InvalidInput, NotFound
from govlab.library.records import aware
from govlab.library.store import Tx

PRODID = "-//govlab//community events//EN"


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (e.g. ``Europe/London``), or InvalidInput."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"timezone: {name!r} is not a time zone name such as Europe/London or UTC."
        ) from None


def _placed(moment: datetime | str, tz: ZoneInfo, what: str) -> datetime:
    """An aware datetime: naive times (and ISO strings) are read in the event's zone."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            raise InvalidInput(
                f"{what}: {moment!r} is not a date and time (2026-03-01T10:00)."
            ) from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


class EventsMixin(SessionBase):
    """Webinars, workshops and course sessions, with materials and an iCalendar export."""

    def schedule_event(
        self,
        title: str,
        starts: datetime | str,
        ends: datetime | str,
        *,
        timezone: str = "UTC",
        kind: str = "webinar",
        link: str = "",
        description: str = "",
        group: str | None = None,
        materials: Iterable[Material | dict[str, Any]] = (),
    ) -> Event:
        """Schedule an event (facilitators). Naive times are read in ``timezone``."""
        tz = zone(timezone)
        start, end = _placed(starts, tz, "starts"), _placed(ends, tz, "ends")
        if end <= start:
            raise InvalidInput("ends: the event must end after it starts.")
        event = validated(
            Event,
            {
                "title": title,
                "kind": kind,
                "starts": start,
                "ends": end,
                "timezone": timezone,
                "link": link,
                "description": description,
                "group_id": group,
                "materials": list(materials),
            },
            what="event",
        )

        def work(tx: Tx) -> Event:
            self._require("schedule_event", tx)
            if group is not None:
                from govlab.community.groups import group_row

                group_row(tx, group)
            row = event.model_dump(mode="python", exclude={"id", "materials", "created_by"})
            row.update(
                kind=event.kind.value,
                starts=start.astimezone(UTC),
                ends=end.astimezone(UTC),
                created_by=self.member,
                created=self._now(),
            )
            key = int(tx.conn.execute(insert(ct.events).values(row)).inserted_primary_key[0])  # type: ignore[index]
            for material in event.materials:
                self._add_material(tx, key, material)
            self._audit(tx, "event.schedule", key, after=event.model_dump(mode="json"))
            return _event(tx, key)

        return self._write(work)

    def add_material(self, event_id: int, kind: str, ref: str, title: str = "") -> Event:
        """Attach a practice (its id), a notebook (its path) or a link to an event."""
        material = validated(Material, {"kind": kind, "ref": ref, "title": title}, what="material")

        def work(tx: Tx) -> Event:
            self._require("schedule_event", tx)
            _event(tx, event_id)
            self._add_material(tx, event_id, material)
            self._audit(tx, "event.material", event_id, after=material.model_dump())
            return _event(tx, event_id)

        return self._write(work)

    def _add_material(self, tx: Tx, event_id: int, material: Material) -> None:
        if material.kind == "practice":
            tx.practice(material.ref)  # NotFound names the id
        row = material.model_dump() | {"event_id": event_id}
        tx.conn.execute(insert(ct.event_materials).values(row))

    def event(self, event_id: int) -> Event:
        """One event, with its materials; NotFound if there is none."""
        return self._read(lambda tx: _event(tx, event_id))

    def events(
        self,
        since: When | None = None,
        until: When | None = None,
        *,
        group: str | None = None,
    ) -> list[Event]:
        """Events starting in [since, until), earliest first (all when not given)."""

        def work(tx: Tx) -> list[Event]:
            e = ct.events
            query = select(e.c.id).order_by(e.c.starts, e.c.id)
            if since is not None:
                query = query.where(e.c.starts >= _utc(since))
            if until is not None:
                query = query.where(e.c.starts < _utc(until))
            if group is not None:
                query = query.where(e.c.group_id == group)
            return [_event(tx, key) for key in list(tx.conn.execute(query).scalars())]

        return self._read(work)

    def upcoming_events(self, days: int = 30) -> list[Event]:
        """Events starting from now until ``days`` ahead (1 to 3,660: ten years)."""
        if type(days) is not int or not 1 <= days <= 3660:
            raise InvalidInput(f"days: give a whole number from 1 to 3,660, not {days!r}.")
        start = self._now()
        return self.events(start, start + timedelta(days=days))

    def export_ics(self, path: str | Path, events: Iterable[Event] | None = None) -> int:
        """Write events (default: all) to an iCalendar file; returns how many."""
        from icalendar import Calendar

        chosen = list(self.events() if events is None else events)
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        for event in chosen:
            calendar.add_component(_vevent(event, self._now()))
        calendar.add_missing_timezones()
        Path(path).write_bytes(calendar.to_ical())
        return len(chosen)


def _utc(moment: When) -> datetime:
    return to_moment(moment).astimezone(UTC)


def _event(tx: Tx, event_id: int) -> Event:
    row = tx.conn.execute(select(ct.events).where(ct.events.c.id == event_id)).first()
    if row is None:
        raise NotFound(f"No event number {event_id}.")
    data = dict(row._mapping)
    tz = ZoneInfo(data["timezone"])
    data["starts"] = aware(data["starts"]).astimezone(tz)
    data["ends"] = aware(data["ends"]).astimezone(tz)
    data.pop("created")
    em = ct.event_materials
    rows = tx.conn.execute(select(em).where(em.c.event_id == event_id))
    data["materials"] = [Material(kind=m.kind, ref=m.ref, title=m.title) for m in rows]
    return Event.model_validate(data)


def _vevent(event: Event, stamp: datetime) -> Any:
    from icalendar import Event as VEvent

    vevent = VEvent()
    vevent.add("uid", f"govlab-event-{event.id}-{int(event.starts.timestamp())}@govlab")
    vevent.add("dtstamp", stamp.astimezone(UTC))
    vevent.add("summary", event.title)
    vevent.add("dtstart", event.starts)
    vevent.add("dtend", event.ends)
    vevent.add("categories", [event.kind.value])
    if event.link:
        vevent.add("url", event.link)
        vevent.add("location", event.link)
    lines = [event.description] if event.description else []
    if event.materials:
        lines.append("Materials:")
        lines += [f"- {m.title or m.ref} ({m.kind}: {m.ref})" for m in event.materials]
    if lines:
        vevent.add("description", "\n".join(lines))
    return vevent
