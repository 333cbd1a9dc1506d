"""Converting a Practice to and from its stored row, and the results the store returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from govlab.models import Practice


def to_record(practice: Practice) -> dict[str, Any]:
    """The JSON document stored for a practice (and kept in every revision)."""
    return practice.model_dump(mode="json")


def from_record(record: dict[str, Any] | str) -> Practice:
    """The Practice a stored JSON document (a dict, or JSON text) holds."""
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
    """The ``practice_facets`` rows of one practice: one per facet value."""
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
    """How one field of a practice changed between two revisions."""

    field: str
    before: Any
    after: Any
