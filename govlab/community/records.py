"""The community's records: what the session returns, and the input it validates.

Validation errors become :class:`govlab.InvalidInput` through :func:`validated`, with
one line per problem naming the field.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govlab.errors import InvalidInput
from govlab.models import Country, Level, Status, explain

Score = Field(ge=1, le=5)
TEXT_MAX = 10_000


class Decision(StrEnum):
    approve = "approve"
    request_changes = "request_changes"
    reject = "reject"


class EventKind(StrEnum):
    webinar = "webinar"
    workshop = "workshop"
    course_session = "course-session"
    meeting = "meeting"


class AdoptionStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    live = "live"
    paused = "paused"
    stopped = "stopped"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Member(_Record):
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
    practice_id: str
    count: int
    mean: float | None
    bayesian: float = Field(description="(C*m + sum of stars) / (C + count), see ratings.py")
    counts: dict[int, int]
    mine: int | None = None


class Comment(_Record):
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
    id: int
    author: str
    body: str
    html: str
    at: datetime


class Group(_Record):
    id: str
    name: str
    description: str = ""
    created_by: str
    created: datetime
    members: list[str] = Field(default_factory=list)
    practices: list[str] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class Material(_Record):
    kind: str = Field(pattern=r"^(practice|notebook|link)$")
    ref: str = Field(min_length=1, max_length=500)
    title: str = Field(default="", max_length=200)


class Event(_Record):
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
    id: int = 0
    practice_id: str
    member: str = ""
    jurisdiction: str = Field(min_length=1, max_length=200)
    country: Country | None = None
    started: date | None = None
    note: str = Field(default="", max_length=TEXT_MAX)
    created: datetime | None = None


class KPI(_Record):
    indicator: str = Field(min_length=1, max_length=300)
    value: float
    unit: str = Field(default="", max_length=50)
    period: str = Field(default="", max_length=50)


class CheckIn(_Record):
    id: int = 0
    adoption_id: int
    member: str = ""
    day: date
    status: AdoptionStatus
    progress: int = Field(ge=0, le=100, description="per cent done")
    lessons: str = Field(default="", max_length=TEXT_MAX)
    kpis: list[KPI] = Field(default_factory=list)


class KpiChange(_Record):
    indicator: str
    unit: str
    adopters: int = Field(description="adoptions with at least two observations")
    median_change: float | None
    changes: dict[str, float] = Field(description="jurisdiction -> last minus first value")


class AdoptionSummary(_Record):
    practice_id: str
    adoptions: int
    jurisdictions: list[str]
    statuses: dict[str, int] = Field(description="latest check-in status -> adoptions")
    kpis: list[KpiChange]


class Feedback(_Record):
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


class AuditEntry(_Record):
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    before: Any = None
    after: Any = None


class Standing(_Record):
    rank: int
    member: str
    points: int


class Badge(_Record):
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
