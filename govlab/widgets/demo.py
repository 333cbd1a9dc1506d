"""A lively library for demos, screenshots and the browser tests: members at work on the seed.

Everything goes through the members' own sessions, so the library holds exactly what
a workshop would leave: ratings, comments, reviews, adoptions with check-ins, events
and citizen feedback (real Austin survey comments, labelled as such).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govlab.community.session import Library

MEMBERS = (("rosa", "reviewer"), ("tomas", "reviewer"), ("fatima", "facilitator"), ("li", "member"))
APPROVAL: dict[str, Any] = {
    "evidence": 4,
    "transferability": 3,
    "clarity": 4,
    "impact": 3,
    "evidence_level": 2,
    "decision": "approve",
    "comment": "Clear, and the figures are audited.",
}
CHECKINS = (
    ("planned", 10, 0),
    ("in_progress", 45, 40),
    ("live", 80, 100),
)


def populate(
    db: str | None = None, *, admin: str | None = None, feedback: int = 60
) -> dict[str, str]:
    """Fill a freshly seeded library with a workshop's activity; returns the names used.

    ``admin`` is the library's first member (default: the current user), who adds the
    others with their roles.
    """
    from govlab.community.session import open_library

    first = open_library(db, admin, show_guidelines=False)
    sessions: dict[str, Library] = {}
    known = {m.name for m in first.members()}
    for name, role in MEMBERS:
        if name not in known:
            first.add_member(name, role)
        sessions[name] = open_library(db, name, show_guidelines=False)
    found = first.search("", limit=8, sort="title")
    ids = [card.id for card in found.results]
    _rate_and_discuss(sessions, ids)
    _adopt(sessions, ids)
    _events(sessions["fatima"], ids)
    _contribute(sessions)
    _feedback(sessions["fatima"], feedback)
    for session in sessions.values():
        session.close()
    first.close()
    return {"admin": first.member, "facilitator": "fatima", "reviewer": "rosa", "member": "li"}


def _rate_and_discuss(sessions: dict[str, Library], ids: list[str]) -> None:
    for offset, session in enumerate(sessions.values()):
        for index, practice_id in enumerate(ids[:6]):
            session.rate(practice_id, 3 + (index + offset) % 3)
    li, rosa = sessions["li"], sessions["rosa"]
    first = li.comment(
        ids[0], "We tried something like this in our council: the **data** was the hard part."
    )
    rosa.comment(
        ids[0], "Which data? The service logs, or the residents' reports?", parent=first.id
    )
    sessions["tomas"].comment(ids[1], "Worth reading the evaluation before copying it.")


def _adopt(sessions: dict[str, Library], ids: list[str]) -> None:
    places = (("li", "Leeds", "GB"), ("tomas", "Porto", "PT"), ("rosa", "Tampere", "FI"))
    start = date(2026, 1, 12)
    for step, (name, where, country) in enumerate(places):
        session = sessions[name]
        adoption = session.adopt(ids[step % 3], where, country=country, started=start)
        for n, (status, progress, kpi) in enumerate(CHECKINS[: step + 1]):
            session.check_in(
                adoption.id,
                day=start + timedelta(weeks=4 * (n + 1)),
                status=status,
                progress=progress,
                kpis=[
                    {"indicator": "Days to close a request", "value": 12 - kpi / 20, "unit": "days"}
                ],
                lessons="Start with one team." if n == 0 else "",
            )


def _contribute(sessions: dict[str, Library]) -> None:
    """One practice published through review, one waiting in the queue."""
    li = sessions["li"]
    done: dict[str, Any] = {
        "id": "leeds-pothole-triage",
        "title": "Leeds pothole triage from residents' photos",
        "summary": "Leeds sorts pothole reports by a photo's severity: crews fix the worst first.",
        "jurisdiction": "Leeds",
        "country": "GB",
        "level": "local",
        "sector": "Transport",
        "topics": ["311", "roads"],
        "approach": "Residents attach a photo; a triage officer grades it in one minute.",
        "outcomes": [
            {
                "indicator": "Days to repair a severe pothole",
                "baseline": 9,
                "value": 4,
                "unit": "days",
                "evidence_type": "audited",
            }
        ],
    }
    if li.search("pothole triage").total == 0:
        li.create(done)
        li.submit(done["id"], "ready for review")
        for name in ("rosa", "tomas"):
            sessions[name].review(done["id"], **APPROVAL)
        sessions["rosa"].publish(done["id"])
        waiting: dict[str, Any] = {
            "id": "porto-night-buses",
            "title": "Porto's night bus network from phone data",
            "summary": "Porto redrew its night routes from anonymised phone movements.",
            "jurisdiction": "Porto",
            "country": "PT",
            "level": "local",
            "sector": "Transport",
        }
        sessions["tomas"].create(waiting)
        sessions["tomas"].submit(waiting["id"], "ready for review")
        sessions["rosa"].review(waiting["id"], **APPROVAL)


def _events(facilitator: Library, ids: list[str]) -> None:
    from govlab.models import now

    soon = now().replace(hour=14, minute=0, second=0) + timedelta(days=7)
    facilitator.schedule_event(
        "Measuring what changed: a clinic on before-and-after figures",
        soon,
        soon + timedelta(hours=1, minutes=30),
        timezone="Europe/London",
        kind="webinar",
        link="https://example.org/clinic",
        description="Bring one figure you would like to trust more.",
        materials=[{"kind": "practice", "ref": ids[0], "title": "A practice to discuss"}],
    )
    later = soon + timedelta(days=14)
    facilitator.schedule_event(
        "Re-run a case study on your own city's data",
        later,
        later + timedelta(hours=3),
        timezone="Europe/Lisbon",
        kind="workshop",
    )


def _feedback(facilitator: Library, count: int) -> None:
    if count <= 0:
        return
    from govlab.datasets.feedback import load_feedback
    from govlab.datasets.samples import sample_path

    comments = load_feedback(sample_path("austin_community_survey_comments")).dropna(
        subset=["text"]
    )
    services = ("Street repairs", "Public transport", "Parks and open spaces", "Libraries")
    for n, row in enumerate(comments.head(count).itertuples()):
        facilitator.add_feedback(
            services[n % len(services)],
            "survey (Austin, 2016-17)",
            str(row.text)[:2000],
            district=f"District {row.district}" if str(row.district) not in ("", "nan") else "",
            day=date(2026, 1 + n % 3, 1 + n % 27),
        )
