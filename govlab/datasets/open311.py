"""Open311 GeoReport v2 service requests (JSON list or CSV with the GeoReport field names)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from govlab.datasets.canonical import to_canonical
from govlab.datasets.reading import (
    PathLike,
    Rows,
    existing_file,
    options,
    read_json,
    read_table,
    rows_of,
)
from govlab.datasets.values import parse_dates
from govlab.errors import InvalidInput, located

OPEN311_REQUIRED: tuple[str, ...] = ("service_request_id", "requested_datetime")

#: Columns of :func:`load_open311_notes`.
NOTE_COLUMNS: list[str] = ["id", "datetime", "type", "summary", "description", "related_id"]


def load_open311(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Load Open311 GeoReport v2 service requests onto the canonical request columns.

    ========  ==============================================================
    id        ``service_request_id``
    opened    ``requested_datetime`` (the UTC offset is dropped: local time)
    closed    ``closed_datetime`` if the source has it; else the last note of
              type ``closed`` (Chicago's timeline); else ``updated_datetime``
              when ``status`` is closed; else NaT
    category  ``service_name``
    agency    ``agency_responsible``
    status    ``status`` (``open`` / ``closed``)
    channel   ``channel`` or ``extended_attributes.channel``, upper-cased
    district  ``district``, ``ward`` or ``extended_attributes.ward``
    ========  ==============================================================

    Other fields follow: ``extended_attributes`` keys as their own columns,
    ``attributes`` as a JSON string, and ``notes_count``. The notes timeline
    itself is returned by :func:`load_open311_notes`.

    Parameters
    ----------
    path
        A ``.json`` file holding a list of requests, or a CSV file whose header
        uses the GeoReport field names.
    encoding
        Text encoding when not UTF-8.

    Raises
    ------
    InvalidInput
        The JSON is not a list of requests, a request lacks ``service_request_id``
        or ``requested_datetime``, a date cannot be read, or a request is closed
        before it was opened. For JSON, ``row N`` is the N-th request of the list;
        for CSV the header is row 1 and the first request row 2.
    """
    p = existing_file(path)
    if p.suffix.lower() == ".json":
        records = _records(p, encoding=encoding)
        return open311_from_frame(_flatten(records), file=p, row_offset=1)
    return open311_from_frame(read_table(p, options(encoding=encoding)), file=p)


def load_open311_notes(path: PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """The activity timeline (``notes``) of Open311 JSON requests, one row per note.

    Columns: ``id`` (the request), ``datetime`` (naive local time), ``type``
    (``opened``, ``activity``, ``follow_on_created``, ``closed`` ...), ``summary``,
    ``description`` and ``related_id`` (the follow-on request, when named).
    A file without notes gives an empty frame with these columns.
    """
    p = existing_file(path)
    rows: list[dict[str, Any]] = []
    for record in _records(p, encoding=encoding):
        for note in record.get("notes") or []:
            if not isinstance(note, dict):
                continue
            related = (note.get("extended_attributes") or {}).get("service_request_id")
            rows.append(
                {
                    "id": str(record["service_request_id"]),
                    "datetime": note.get("datetime"),
                    "type": note.get("type"),
                    "summary": note.get("summary"),
                    "description": note.get("description"),
                    "related_id": related,
                }
            )
    frame = pd.DataFrame(rows, columns=NOTE_COLUMNS)
    frame["datetime"] = parse_dates(frame["datetime"], file=p, field="notes.datetime", row_offset=1)
    for column in ("id", "type", "summary", "description", "related_id"):
        frame[column] = frame[column].astype("str")
    return frame


def open311_from_frame(
    frame: pd.DataFrame, *, file: object, row_offset: Rows | None = None
) -> pd.DataFrame:
    """Map Open311 fields already in a frame (see :func:`load_open311`).

    ``row_offset`` is the line of the first request (None: from how the frame was read).
    """
    rows = rows_of(frame) if row_offset is None else row_offset
    frame = frame.copy()
    for column in OPEN311_REQUIRED:
        if column not in frame.columns:
            found = ", ".join(repr(str(c)) for c in frame.columns)
            raise InvalidInput(
                located(f"column {column!r} (Open311) not found; columns found: {found}", file=file)
            )
    frame["_closed"] = _closed_time(frame)
    mapping = {"id": "service_request_id", "opened": "requested_datetime", "closed": "_closed"}
    for field, candidates in {
        "category": ("service_name",),
        "agency": ("agency_responsible",),
        "status": ("status",),
        "channel": ("channel",),
        "district": ("district", "ward"),
    }.items():
        source = next((c for c in candidates if c in frame.columns), None)
        if source is not None:
            mapping[field] = source
    if "channel" in frame.columns:
        frame["channel"] = frame["channel"].astype("str").str.upper()
    out = to_canonical(frame, mapping, file=file, row_offset=rows)
    out.attrs["source_format"] = "open311"
    return out


def _closed_time(frame: pd.DataFrame) -> pd.Series:
    """Text of the closing time per request, by the precedence documented above."""
    note = frame.pop("_closed_note") if "_closed_note" in frame.columns else None
    if "closed_datetime" in frame.columns:
        return frame.pop("closed_datetime")
    closed = pd.Series(None, index=frame.index, dtype="object")
    if note is not None:
        closed = note.astype("object")
    if "updated_datetime" in frame.columns and "status" in frame.columns:
        is_closed = frame["status"].astype("str").str.lower().eq("closed").fillna(False)
        closed = closed.where(closed.notna() | ~is_closed, frame["updated_datetime"])
    return closed


def _records(p: object, *, encoding: str | None) -> list[dict[str, Any]]:
    data = read_json(str(p), encoding=encoding)
    if not isinstance(data, list):
        kind = type(data).__name__
        keys = (
            f" with keys {', '.join(map(repr, list(data)[:8]))}" if isinstance(data, dict) else ""
        )
        raise InvalidInput(
            located(
                f"expected a JSON list of service requests (GeoReport v2), found a {kind}{keys}",
                file=p,
            )
        )
    if not data:
        raise InvalidInput(located("the JSON list holds no service requests", file=p))
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise InvalidInput(
                located(
                    f"expected a service request (a JSON object), found {json.dumps(record)[:60]}",
                    file=p,
                    row=number,
                )
            )
        for field in OPEN311_REQUIRED:
            if record.get(field) in (None, ""):
                raise InvalidInput(
                    located(f"the request has no {field!r}", file=p, row=number, field=field)
                )
    return data


def _flatten(records: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for record in records:
        row: dict[str, Any] = {}
        for key, value in record.items():
            if key == "extended_attributes" and isinstance(value, dict):
                for name, inner in value.items():
                    row.setdefault(name, inner)
            elif key == "attributes":
                row["attributes"] = json.dumps(value, sort_keys=True)
            elif key == "notes":
                notes = value if isinstance(value, list) else []
                row["notes_count"] = len(notes)
                closing = [
                    n.get("datetime")
                    for n in notes
                    if isinstance(n, dict) and n.get("type") == "closed"
                ]
                row["_closed_note"] = closing[-1] if closing else None
            else:
                row[key] = value
        row["service_request_id"] = str(record["service_request_id"])
        rows.append(row)
    return pd.DataFrame(rows)
