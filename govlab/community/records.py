"""The community's records: what the session returns, and the input it validates.

Validation errors become :class:`govlab.InvalidInput` through :func:`validated`, with
one line per problem naming the field.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from govlab.errors import InvalidInput
from govlab.models import Country, Level, Record, Status, explain
from govlab.text import clean

Score = Field(ge=1, le=5)
TEXT_MAX = 10_000


class Decision(StrEnum):
    """A reviewer's decision on a submission."""

    approve = "approve"
    request_changes = "request_changes"
    reject = "reject"


class EventKind(StrEnum):
    """What kind of event it is."""

    webinar = "webinar"
    workshop = "workshop"
    course_session = "course-session"
    meeting = "meeting"


class AdoptionStatus(StrEnum):
    """Where an adoption stands at a check-in."""

    planned = "planned"
    in_progress = "in_progress"
    live = "live"
    paused = "paused"
    stopped = "stopped"


_Record = Record  # unknown fields refused, text cleaned (see govlab.models.Record)


def written_text(body: str, what: str = "comment") -> str:
    """Text a member wrote (a comment, a note), stripped and cleaned; InvalidInput if empty."""
    body = clean(body if isinstance(body, str) else "").strip()
    if not body:
        raise InvalidInput(f"{what}: write something first (it is empty).")
    if len(body) > TEXT_MAX:
        raise InvalidInput(f"{what}: {len(body)} characters is too long (at most {TEXT_MAX}).")
    return body


class Member(_Record):
    """A member's profile and role."""

    name: str = Field(min_length=1, max_length=200)
    role: str = "member"
    display_name: str = Field(default="", max_length=200)
    organisation: str = Field(default="", max_length=300)
    jurisdiction: str = Field(default="", max_length=200)
    country: Country | None = None
    level: Level | None = None
    topics: list[str] = Field(default_factory=list, description="the challenges they work on")
    bio: str = Field(default="", max_length=TEXT_MAX)
    joined: datetime | None = None
    guidelines_accepted: datetime | None = None
    shared: list[str] = Field(default_factory=list, description="ids of practices they wrote")


PROFILE_FIELDS = (
    "display_name",
    "organisation",
    "jurisdiction",
    "country",
    "level",
    "topics",
    "bio",
)


class Review(_Record):
    """One reviewer's review of one round of a submission."""

    id: int = 0
    practice_id: str
    round: int = 1
    reviewer: str = ""
    at: datetime | None = None
    evidence: int = Score
    transferability: int = Score
    clarity: int = Score
    impact: int = Score
    evidence_level: int = Field(
        ge=1, le=5, description="1 anecdote or self-report ... 5 randomised trial"
    )
    comment: str = Field(default="", max_length=TEXT_MAX)
    decision: Decision


class QueueItem(_Record):
    """A submission in the reviewers' queue, as the review desk lists it."""

    id: str
    title: str
    author: str
    status: Status
    updated: datetime
    round: int = Field(description="how many times it has been submitted")
    approvals: int = Field(description="approving reviews in this round")
    needed: int = Field(description="approving reviews publishing needs")
    reviewed_by_me: bool


class RatingSummary(_Record):
    """A practice's ratings: counts per star, mean, Bayesian average and one's own."""

    practice_id: str
    count: int
    mean: float | None
    bayesian: float = Field(
        description="(C*m + sum of weighted stars) / (C + sum of weights), see ratings.py"
    )
    counts: dict[int, int]
    mine: int | None = None


class Comment(_Record):
    """A comment on a practice, with its replies and its rendered HTML."""

    id: int
    practice_id: str
    parent_id: int | None
    author: str
    body: str
    html: str
    created: datetime
    edited: datetime | None = None
    hidden: bool = False
    hidden_reason: str | None = None
    flags: int = 0
    helpful: int = 0
    replies: list[Comment] = Field(default_factory=list)


class Note(_Record):
    """A note in a working group, with its rendered HTML."""

    id: int
    author: str
    body: str
    html: str
    at: datetime


class Group(_Record):
    """A working group with its members, its shelf of practices and its notes."""

    id: str
    name: str
    description: str = ""
    created_by: str
    created: datetime
    invite_only: bool = False
    members: list[str] = Field(default_factory=list)
    practices: list[str] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class Material(_Record):
    """Something an event points to: a practice, a notebook or a link."""

    kind: str = Field(pattern=r"^(practice|notebook|link)$")
    ref: str = Field(min_length=1, max_length=500)
    title: str = Field(default="", max_length=200)


class Event(_Record):
    """A webinar, workshop, course session or meeting."""

    id: int = 0
    title: str = Field(min_length=3, max_length=200)
    kind: EventKind = EventKind.webinar
    starts: datetime
    ends: datetime
    timezone: str = "UTC"
    link: str = Field(default="", max_length=500, pattern=r"^(https?://\S+)?$")
    description: str = Field(default="", max_length=TEXT_MAX)
    group_id: str | None = None
    created_by: str = ""
    materials: list[Material] = Field(default_factory=list)


class Adoption(_Record):
    """A member's adoption of a practice in one jurisdiction."""

    id: int = 0
    practice_id: str
    member: str = ""
    jurisdiction: str = Field(min_length=1, max_length=200)
    country: Country | None = None
    started: date | None = None
    note: str = Field(default="", max_length=TEXT_MAX)
    created: datetime | None = None


class KPI(_Record):
    """One observed value of an indicator at a check-in."""

    indicator: str = Field(min_length=1, max_length=300)
    value: float
    unit: str = Field(default="", max_length=50)
    period: str = Field(default="", max_length=50)


class CheckIn(_Record):
    """A progress report on an adoption: status, per cent done, KPIs, lessons."""

    id: int = 0
    adoption_id: int
    member: str = ""
    day: date
    status: AdoptionStatus
    progress: int = Field(ge=0, le=100, description="per cent done")
    lessons: str = Field(default="", max_length=TEXT_MAX)
    kpis: list[KPI] = Field(default_factory=list)


class KpiChange(_Record):
    """How one KPI moved across the adopters of a practice."""

    indicator: str
    unit: str
    adopters: int = Field(description="adoptions with at least two observations")
    median_change: float | None
    changes: dict[str, float] = Field(description="jurisdiction -> last minus first value")


class AdoptionSummary(_Record):
    """A practice's adoptions: where, their latest statuses, how their KPIs moved."""

    practice_id: str
    adoptions: int
    jurisdictions: list[str]
    statuses: dict[str, int] = Field(description="latest check-in status -> adoptions")
    kpis: list[KpiChange]


class Feedback(_Record):
    """One piece of citizen feedback about a service."""

    id: int = 0
    service: str = Field(min_length=1, max_length=200)
    channel: str = Field(min_length=1, max_length=50)
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    rating: int | None = Field(default=None, ge=1, le=5)
    district: str = Field(default="", max_length=200)
    day: date
    entered_by: str = ""
    hidden: bool = False
    hidden_reason: str | None = None
    pending: bool = Field(default=False, description="a visitor's, waiting for a facilitator")


class AuditEntry(_Record):
    """One row of the audit log: who did what to which thing, before and after."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    before: Any = None
    after: Any = None


class Standing(_Record):
    """A member's place on the leaderboard."""

    rank: int
    member: str
    points: int


class Badge(_Record):
    """A badge a member earned, and when."""

    name: str
    title: str
    earned: datetime


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Any, *, what: str = "") -> M:
    """``model.model_validate(data)``, or InvalidInput naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        prefix = f"{what}: " if what else ""
        raise InvalidInput(prefix + explain(error)) from None
