"""The leaderboard with badges, and the calendar of upcoming events with an ``.ics`` download.

Points and badges are the session's (``library.leaderboard``, ``badges``, ``awards``),
replayed from the audit log each time; the page only lays them out.
"""

from __future__ import annotations

import base64
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.models import now
from govlab.render import render_markdown, render_text
from govlab.widgets import charts, views
from govlab.widgets._base import Component, box, html, is_visitor

if TYPE_CHECKING:
    from govlab.community.session import Library

PERIODS = [("All time", 0), ("The last 30 days", 30), ("The last 7 days", 7)]
TOP = 10
DAYS_AHEAD = 90


def points_rules() -> str:
    """How points and badges are earned, from the recognition rules themselves."""
    from govlab.community.recognition import BADGES, POINTS

    seen: dict[str, int] = {}
    for rule in POINTS.values():
        seen.setdefault(rule.why, rule.points)
    points = "".join(f"<li>{p} points: {render_text(why)}</li>" for why, p in seen.items())
    badges = "".join(
        f'<li><span class="govlab-badge">{render_text(b.title)}</span> {render_text(b.how)}</li>'
        for b in BADGES
    )
    return (
        '<details class="govlab-rules"><summary>How points and badges are earned</summary>'
        f'<ul>{points}</ul><ul class="govlab-badge-rules">{badges}</ul></details>'
    )


class Leaderboard(Component):
    """The members with most points, their badges, and the upcoming events."""

    def __init__(self, library: Library | None = None) -> None:
        super().__init__(library)
        self.period = w.Dropdown(description="Points earned in", options=PERIODS, value=0)
        self.period.observe(lambda _: self.refresh(), "value")
        self.table = html("", "govlab-leaderboard")
        self.chart = charts.chart_output()
        self.mine = html("", "govlab-my-points")
        self.calendar = EventCalendar(self.library)
        intro = html(
            '<h1 class="govlab-title">Leaderboard and events</h1><p class="govlab-lead">Who '
            "has shared, reviewed and helped most, and what is coming up next.</p>"
        )
        board = box(
            [
                html("<h2>Leaderboard</h2>"),
                self.period,
                box([self.table, self.chart], "govlab-charts"),
                html(points_rules()),
                self.mine,
            ],
            "govlab-section",
        )
        self.children = [intro, self.notice, board, self.calendar]
        self.refresh()

    def refresh(self) -> None:
        """Read the standings of the chosen period and the member's own points."""
        days = self.period.value
        since = None
        if days:
            since = now() - timedelta(days=days)
        standings = self._act(self.library.leaderboard, since, limit=TOP)
        if standings is None:
            return
        rows = []
        for standing in standings:
            badges = self._act(self.library.badges, standing.member) or []
            shown = "".join(f'<li class="govlab-badge">{render_text(b.title)}</li>' for b in badges)
            rows.append(
                f"<tr><td>{standing.rank}</td><td>{render_text(standing.member)}</td>"
                f'<td>{standing.points}</td><td><ul class="govlab-badges">{shown}</ul></td></tr>'
            )
        if not rows:
            self.table.value = '<p class="govlab-muted">No points earned in this period yet.</p>'
            charts.show_message(self.chart, "No points earned in this period yet.")
        else:
            head = "".join(
                f'<th scope="col">{h}</th>' for h in ("Rank", "Member", "Points", "Badges")
            )
            self.table.value = (
                '<table class="govlab-table"><caption>The top members by points</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
            charts.show(
                self.chart,
                points_figure(standings),
                "; ".join(f"{s.member}: {s.points}" for s in standings),
            )
        self._my_points(since)

    def _my_points(self, since: Any) -> None:
        if is_visitor(self.library):
            self.mine.value = ""
            return
        awards = self._act(self.library.awards) or []
        total = sum(a["points"] for a in awards if since is None or a["at"] >= since)
        recent = [a for a in reversed(awards)][:5]
        items = "".join(
            f"<li>{a['points']} points, {views.day(a['at'])}: {render_text(a['why'])}</li>"
            for a in recent
        )
        who = render_text(self.library.member)
        self.mine.value = f"<h3>Your points, {who}: {total}</h3>" + (
            f"<ul>{items}</ul>" if items else '<p class="govlab-muted">None yet.</p>'
        )


def points_figure(standings: list[Any]) -> Any:
    """A bar per member: their points."""
    import plotly.graph_objects as go

    ordered = list(reversed(standings))
    fig = go.Figure(
        go.Bar(
            x=[s.points for s in ordered],
            y=[s.member for s in ordered],
            orientation="h",
            text=[s.points for s in ordered],
            textposition="auto",
            marker={"color": "#0b5cad"},
        )
    )
    charts.style(fig, "Points", height=max(240, 70 + 32 * len(ordered)))
    fig.update_xaxes(title="points")
    fig.update_yaxes(automargin=True)
    return fig


class EventCalendar(Component):
    """Upcoming webinars, workshops and course sessions, and a calendar file of them."""

    def __init__(self, library: Library | None = None, *, days: int = DAYS_AHEAD) -> None:
        super().__init__(library)
        self.days = days
        self.list = html("", "govlab-events")
        self.download = html("", "govlab-download")
        self.children = [html("<h2>Upcoming events</h2>"), self.notice, self.list, self.download]
        self.add_class("govlab-section")
        self.refresh()

    def refresh(self) -> None:
        """Read the upcoming events and make their calendar file."""
        events = self._act(self.library.upcoming_events, self.days)
        if events is None:
            return
        if not events:
            self.list.value = f'<p class="govlab-muted">Nothing in the next {self.days} days.</p>'
            self.download.value = ""
            return
        self.list.value = (
            '<ul class="govlab-event-list">' + "".join(map(event_html, events)) + "</ul>"
        )
        self.download.value = self._ics_link(events)

    def ics(self, events: list[Any]) -> bytes:
        """The events as an iCalendar file (written by the session's own export)."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "events.ics"
            self.library.export_ics(path, events)
            return path.read_bytes()

    def _ics_link(self, events: list[Any]) -> str:
        data = self._act(self.ics, events)
        if data is None:
            return ""
        encoded = base64.b64encode(data).decode("ascii")
        count = len(events)
        return (
            f'<p><a class="govlab-button-link" download="govlab-events.ics" '
            f'href="data:text/calendar;base64,{encoded}">Add the {count} event'
            f"{'' if count == 1 else 's'} to your calendar (.ics)</a></p>"
        )


def event_html(event: Any) -> str:
    """One event: title, kind, when (in its time zone), description, link, materials."""
    when = (
        f"{views.day(event.starts)}, {event.starts:%H:%M} to {event.ends:%H:%M} ({event.timezone})"
    )
    parts = [
        f'<li class="govlab-event"><h3>{render_text(event.title)}</h3>',
        f'<p class="govlab-muted">{render_text(event.kind.value.replace("-", " ").capitalize())}, '
        f"{render_text(when)}</p>",
    ]
    if event.description:
        parts.append(render_markdown(event.description))
    if event.link:
        parts.append(f"<p>{views.link(event.link, 'Join or read more')}</p>")
    if event.materials:
        items = "".join(
            f"<li>{render_text(m.title or m.ref)} ({render_text(m.kind)})</li>"
            for m in event.materials
        )
        parts.append(f"<p>Materials:</p><ul>{items}</ul>")
    parts.append("</li>")
    return "".join(parts)
