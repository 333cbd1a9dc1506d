"""Records of the practice library, validated with pydantic.

The fields follow what OECD OPSI case studies, the EU JRC catalogue of innovative
public services and CKAN datasets have in common, so that a practice can travel
between them. Validation messages name the field (see :func:`explain`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

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
from govlab.text import clean

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUMMARY_MAX = 300
TEXT_MAX = 20_000  # longer prose is almost certainly a pasting accident


class Level(StrEnum):
    """The level of government a practice belongs to."""

    local = "local"
    regional = "regional"
    national = "national"
    supranational = "supranational"


class Stage(StrEnum):
    """How far a practice has come, from idea to scaled (or retired)."""

    idea = "idea"
    pilot = "pilot"
    implemented = "implemented"
    scaled = "scaled"
    diffusing = "diffusing"
    retired = "retired"


class Status(StrEnum):
    """Where a practice is in the review workflow."""

    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    changes_requested = "changes_requested"
    published = "published"
    rejected = "rejected"
    archived = "archived"


class Audience(StrEnum):
    """Who, besides its author, may read a practice in a given status."""

    everyone = "everyone"  # anyone, anonymous visitors included
    reviewers = "reviewers"  # members who may review
    author = "author"  # no one else (an admin may still read every practice)


READ_BY: dict[Status, Audience] = {
    Status.draft: Audience.author,
    Status.submitted: Audience.reviewers,
    Status.in_review: Audience.reviewers,
    Status.changes_requested: Audience.reviewers,
    Status.published: Audience.everyone,
    Status.rejected: Audience.author,
    Status.archived: Audience.everyone,
}
"""The one declaration of who may read what: the session's check, the search's SQL filter
and the facet index's filter are all derived from it (through :class:`Reader`)."""


def statuses_read_by(audience: Audience) -> tuple[Status, ...]:
    """The statuses whose practices ``audience`` may read, in declaration order."""
    return tuple(status for status, who in READ_BY.items() if who == audience)


PUBLIC_STATUSES = statuses_read_by(Audience.everyone)
READ_BY_REVIEWERS = statuses_read_by(Audience.reviewers)


@dataclass(frozen=True)
class Reader:
    """Someone reading the library: their name and the audiences they belong to.

    ``member`` is None for an anonymous visitor (who is nobody's author).
    """

    member: str | None
    audiences: frozenset[Audience] = frozenset({Audience.everyone})

    def statuses(self) -> tuple[str, ...]:
        """Statuses this reader may read whoever wrote the practice."""
        return tuple(s.value for s, who in READ_BY.items() if who in self.audiences)

    def may_read(self, status: Status, author: str) -> bool:
        """Whether this reader may read a practice with ``status`` written by ``author``."""
        return READ_BY[status] in self.audiences or (
            self.member is not None and author == self.member
        )


class EvidenceType(StrEnum):
    """How a figure is known: self-reported, audited, evaluated or from a randomised trial."""

    self_reported = "self-reported"
    audited = "audited"
    evaluated = "evaluated"
    randomised = "randomised"


class Direction(StrEnum):
    """Which way an outcome's indicator should move."""

    increase = "increase"
    decrease = "decrease"
    neutral = "neutral"


class CostKind(StrEnum):
    """Whether a cost is paid once or every year."""

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


class Record(BaseModel):
    """Base of govlab's records: unknown fields refused, text cleaned once, here.

    Every piece of text (and list of texts) loses its control characters (see
    :func:`govlab.text.clean`), so SQLite and PostgreSQL store the same thing and no
    escape sequence reaches a terminal.
    """

    # NaN and infinity cannot travel through JSON exports: refuse them at the door
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, use_enum_values=False, allow_inf_nan=False
    )

    # before pydantic strips whitespace: a control character may hide whitespace behind it
    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        # exactly str: an enum member is a str too, and must stay a member
        if type(value) is str:
            return clean(value)
        if type(value) is list and value and all(type(v) is str for v in value):
            return [clean(v) for v in value]
        return value


_Record = Record


class Cost(_Record):
    """A cost of a practice, in a currency."""

    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")
    kind: CostKind = CostKind.one_off
    note: ShortText = ""


class Outcome(_Record):
    """One measured result of a practice, with its evidence type and source."""

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
    """Where a practice's account comes from: a web page with a title."""

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


CASE_STUDIES = (
    "service-performance-311",
    "transit-network",
    "shared-portal",
    "digital-by-default",
)
"""The names a practice's ``case_study`` may take: the runnable case studies.

Declared here, below the layer that runs them, so the session can check a practice's
field; ``govlab.casestudies.registry`` holds each case's whole specification and a test
keeps the two the same.
"""

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


# search results ------------------------------------------------------------------------
Sort = Literal["relevance", "rating", "newest", "adopted", "title"]
SORTS: tuple[Sort, ...] = ("relevance", "rating", "newest", "adopted", "title")
"""relevance (best match first; newest without words), rating (best Bayesian average of
stars first, unrated last), newest (last changed first), adopted (most adoptions first),
title (A to Z)."""


class PracticeSummary(BaseModel):
    """What a search result card shows of one practice."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    summary: str = ""
    jurisdiction: str = ""
    country: str | None = None
    level: Level | None = None
    sector: str = ""
    topics: list[str] = Field(default_factory=list)
    technologies: list[str] = Field(default_factory=list)
    stage: Stage | None = None
    year_started: int | None = None
    evidence_level: int | None = None
    status: Status = Status.published
    case_study: str | None = None
    author: str = ""
    updated: datetime | None = None
    score: float = Field(default=0.0, description="relevance, higher is better; 0 without words")
    rating: float | None = Field(default=None, description="Bayesian average of stars")
    ratings: int = Field(default=0, description="how many ratings")
    adoptions: int = Field(default=0, description="how many adoptions")


SUMMARY_FIELDS = tuple(
    name
    for name in PracticeSummary.model_fields
    if name not in {"score", "rating", "ratings", "adoptions"}
)
"""The fields of a practice's record that a summary copies."""


class SearchResult(BaseModel):
    """A page of results, the number of all matches, and facet counts over the matches."""

    total: int
    results: list[PracticeSummary]
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="facet -> value -> count, highest count first"
    )
    page: int = 1
    limit: int = 20
    left_out: list[str] = Field(
        default_factory=list,
        description="words of the query too common to search for ('the', 'of'), left out",
    )

    @property
    def pages(self) -> int:
        """How many pages of ``limit`` results the matches fill (0 when none match)."""
        return -(-self.total // self.limit) if self.limit else 0

    @property
    def left_out_note(self) -> str:
        """Why a search of only common words found nothing ('' when it did not happen).

        Like PostgreSQL's ``to_tsquery`` and Elasticsearch's ``zero_terms_query``, a
        search whose words are all stop words matches nothing: "the" is in every
        practice, so it says nothing about which one is wanted.
        """
        if self.total or not self.left_out:
            return ""
        quoted = [f'"{word}"' for word in self.left_out]
        words = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        verb = "is" if len(quoted) == 1 else "are"
        return (
            f"{words} {verb} too common to search for: "
            "add a word that says what the practice is about."
        )

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (what ``govlab search --json`` prints)."""
        return self.model_dump(mode="json")
