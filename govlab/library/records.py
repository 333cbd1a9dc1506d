"""Converting a Practice to and from its stored row, and the results the store returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from govlab.models import Practice


def to_record(practice: Practice) -> dict[str, Any]:
    """The JSON document stored for a practice (and kept in every revision)."""
    return practice.model_dump(mode="json")


def from_record(record: dict[str, Any] | str) -> Practice:
    if isinstance(record, str):  # some drivers hand JSON back as text
        return Practice.model_validate_json(record)
    return Practice.model_validate(record)


def row_values(practice: Practice) -> dict[str, Any]:
    """The columns of ``practices`` derived from a practice."""
    return {
        "id": practice.id,
        "title": practice.title,
        "body": practice.body_text(),
        "status": practice.status.value,
        "author": practice.author,
        "year_started": practice.year_started,
        "created": practice.created,
        "updated": practice.updated,
        "revision": practice.revision,
        "record": to_record(practice),
    }


def facet_rows(pk: int, practice: Practice) -> list[dict[str, Any]]:
    return [
        {"pk": pk, "facet": name, "value": value[:200]}
        for name, values in practice.facets().items()
        for value in values
    ]


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Revision:
    """One saved state of a practice: who, when, why, and the whole record."""

    practice_id: str
    revision: int
    author: str
    at: datetime
    message: str
    practice: Practice


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class SearchResult:
    """A page of results, the number of all matches, and facet counts over the matches."""

    total: int
    results: list[dict[str, Any]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    page: int = 1
    limit: int = 20

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.page,
            "limit": self.limit,
            "results": self.results,
            "facets": self.facets,
        }
