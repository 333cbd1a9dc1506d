"""Records of the practice library, validated with pydantic.

The fields follow what OECD OPSI case studies, the EU JRC catalogue of innovative
public services and CKAN datasets have in common, so that a practice can travel
between them. Validation messages name the field (see :func:`explain`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from govlab._countries import COUNTRY_CODES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUMMARY_MAX = 300
TEXT_MAX = 20_000  # longer prose is almost certainly a pasting accident


class Level(StrEnum):
    local = "local"
    regional = "regional"
    national = "national"
    supranational = "supranational"


class Stage(StrEnum):
    idea = "idea"
    pilot = "pilot"
    implemented = "implemented"
    scaled = "scaled"
    diffusing = "diffusing"
    retired = "retired"


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    changes_requested = "changes_requested"
    published = "published"
    rejected = "rejected"
    archived = "archived"


# Who may read a practice, by its status: anyone (public), reviewers (awaiting review),
# otherwise only its author. The store's search and the session both read these.
PUBLIC_STATUSES = (Status.published, Status.archived)
AWAITING_REVIEW = (Status.submitted, Status.in_review, Status.changes_requested)


class EvidenceType(StrEnum):
    self_reported = "self-reported"
    audited = "audited"
    evaluated = "evaluated"
    randomised = "randomised"


class Direction(StrEnum):
    increase = "increase"
    decrease = "decrease"
    neutral = "neutral"


class CostKind(StrEnum):
    one_off = "one-off"
    annual = "annual"


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in COUNTRY_CODES:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. GB, US, EE)")
    return code


def _clean_list(values: list[str]) -> list[str]:
    """Strip, drop empties and duplicates, keep order."""
    seen: dict[str, None] = {}
    for item in values:
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)


Country = Annotated[str, AfterValidator(_country)]
Tags = Annotated[list[Annotated[str, Field(max_length=200)]], AfterValidator(_clean_list)]
ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(max_length=TEXT_MAX)]


class _Record(BaseModel):
    # NaN and infinity cannot travel through JSON exports: refuse them at the door
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, use_enum_values=False, allow_inf_nan=False
    )


class Cost(_Record):
    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")
    kind: CostKind = CostKind.one_off
    note: ShortText = ""


class Outcome(_Record):
    indicator: str = Field(min_length=1, max_length=300)
    unit: ShortText = ""
    baseline: float | None = None
    value: float | None = None
    period: ShortText = ""
    direction: Direction = Direction.neutral
    evidence_type: EvidenceType = EvidenceType.self_reported
    source: ShortText = ""
    note: ShortText = ""


class Source(_Record):
    url: str = Field(pattern=r"^https?://\S+$", max_length=2000)
    title: ShortText = ""


class Practice(_Record):
    """A public-sector practice or case study in the library."""

    id: str = Field(min_length=3, max_length=80, pattern=SLUG_RE.pattern)
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(default="", max_length=SUMMARY_MAX)
    problem: LongText = ""
    approach: LongText = ""
    results: LongText = ""
    lessons: LongText = ""
    jurisdiction: str = Field(default="", max_length=200)
    country: Country | None = None
    level: Level | None = None
    organisation: str = Field(default="", max_length=300)
    sector: str = Field(default="", max_length=100)
    topics: Tags = Field(default_factory=list)
    technologies: Tags = Field(default_factory=list)
    stage: Stage | None = None
    year_started: int | None = Field(default=None, ge=1800, le=2100)
    year_ended: int | None = Field(default=None, ge=1800, le=2100)
    tools: Tags = Field(default_factory=list)
    stakeholders: Tags = Field(default_factory=list)
    costs: list[Cost] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    related: Tags = Field(default_factory=list, description="ids of related practices")
    case_study: str | None = Field(default=None, description="name of a runnable case study")
    evidence_level: int | None = Field(default=None, ge=1, le=5, description="set by review")
    status: Status = Status.draft
    author: str = Field(default="", max_length=200)
    created: datetime | None = None
    updated: datetime | None = None
    revision: int = Field(default=0, ge=0)
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Za-z]{2,4})?$")

    @field_validator("created", "updated")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value

    @field_validator("case_study", mode="before")
    @classmethod
    def _no_empty_case_study(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _years_in_order(self) -> Practice:
        if self.year_started and self.year_ended and self.year_ended < self.year_started:
            raise ValueError("year_ended is before year_started")
        return self

    def facets(self) -> dict[str, list[str]]:
        """The facet values this practice is counted under in search."""
        year = [str(self.year_started)] if self.year_started else []
        one = {
            "country": self.country,
            "level": self.level.value if self.level else None,
            "sector": self.sector or None,
            "stage": self.stage.value if self.stage else None,
            "evidence_level": str(self.evidence_level) if self.evidence_level else None,
            "status": self.status.value,
        }
        out = {name: [value] for name, value in one.items() if value}
        out.update(topic=list(self.topics), technology=list(self.technologies), year=year)
        return {name: values for name, values in out.items() if values}

    def body_text(self) -> str:
        """Everything but the title that full-text search should find."""
        parts = [self.summary, self.problem, self.approach, self.results, self.lessons]
        parts += [self.jurisdiction, self.organisation, self.sector]
        parts += self.topics + self.technologies + self.tools
        parts += [outcome.indicator for outcome in self.outcomes]
        return "\n".join(part for part in parts if part)


FACETS = (
    "country",
    "level",
    "sector",
    "topic",
    "technology",
    "stage",
    "evidence_level",
    "year",
    "status",
)


def now() -> datetime:
    """The current time in UTC, to the second (what the library stores)."""
    return datetime.now(UTC).replace(microsecond=0)


def explain(error: ValidationError) -> str:
    """One line per problem, each naming the field: ``outcomes.0.value: ...``."""
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "record"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)


def practice_from(data: dict[str, Any]) -> Practice:
    """Validate a mapping into a Practice (raises pydantic's ValidationError)."""
    return Practice.model_validate(data)
