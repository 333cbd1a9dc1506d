"""The canonical service-request log and the loader for any request log.

Every request loader returns the same frame: the columns of
:data:`REQUEST_COLUMNS` first, then whatever other columns the source had.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from govlab.datasets._dates import parse_dates
from govlab.datasets._io import (
    FIRST_DATA_ROW,
    PathLike,
    existing_file,
    read_csv_text,
    require_columns,
    text_column,
)
from govlab.errors import InvalidInput, located

#: Canonical request-log columns, in order.
REQUEST_COLUMNS: list[str] = [
    "id",
    "opened",
    "closed",
    "category",
    "agency",
    "status",
    "channel",
    "district",
]

#: dtype of each canonical column (``str`` columns hold NA, never the text "nan").
REQUEST_DTYPES: dict[str, str] = {
    "id": "str",
    "opened": "datetime64[ns]",
    "closed": "datetime64[ns]",
    "category": "str",
    "agency": "str",
    "status": "str",
    "channel": "str",
    "district": "str",
}

REQUIRED_FIELDS: tuple[str, ...] = ("id", "opened")

#: Closing dates systems write when they mean "unknown" (NYC 311 uses 01/01/1900
#: 12:00:00 AM; spreadsheets and Unix give day zero); read as missing.
PLACEHOLDER_DATES: tuple[pd.Timestamp, ...] = (
    pd.Timestamp("1900-01-01"),
    pd.Timestamp("1899-12-30"),
    pd.Timestamp("1970-01-01"),
)

_TEXT_FIELDS = ("category", "agency", "status", "channel", "district")

# Column-name signatures of the formats recognised when no mapping is given.
_NYC_SIGNATURE = ("Unique Key", "Created Date", "Complaint Type")
_OPEN311_SIGNATURE = ("service_request_id", "requested_datetime")


def to_canonical(
    frame: pd.DataFrame,
    mapping: Mapping[str, str],
    *,
    file: object,
    date_format: str | None = None,
    row_offset: int = FIRST_DATA_ROW,
    missing: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Map a source frame onto the canonical request columns.

    Parameters
    ----------
    frame
        The source rows, as read.
    mapping
        Canonical field -> source column; ``id`` and ``opened`` are required,
        unmapped canonical fields become all-NA columns.
    file
        The source, named in error messages.
    date_format
        Format of the ``opened`` and ``closed`` columns (guessed when None).
    row_offset
        Row number of the first data row (2 for CSV: the header is row 1).
    missing
        Extra text markers that mean "no value" (e.g. ``"Unspecified"``).
        Closing dates in :data:`PLACEHOLDER_DATES` are read as missing too.

    Returns
    -------
    pandas.DataFrame
        :data:`REQUEST_COLUMNS` then the source columns that were not mapped.

    Raises
    ------
    InvalidInput
        A mapped column is missing, a date cannot be read, a request is closed
        before it was opened, or an ``id`` is empty.
    """
    check_mapping(mapping)
    for field in REQUIRED_FIELDS:
        if field not in mapping:
            raise InvalidInput(
                located(f"no column given for the required field {field!r}", file=file)
            )
    for field, column in mapping.items():
        require_columns(frame, [column], file=file, what=f"mapped to {field!r}")
    out = pd.DataFrame(index=frame.index)
    out["id"] = text_column(frame[mapping["id"]])
    _check_ids(out["id"], file=file, field=mapping["id"], row_offset=row_offset)
    for field in ("opened", "closed"):
        if field in mapping:
            out[field] = parse_dates(
                frame[mapping[field]],
                file=file,
                field=mapping[field],
                date_format=date_format,
                row_offset=row_offset,
            )
        else:
            out[field] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    out["closed"] = out["closed"].mask(out["closed"].isin(PLACEHOLDER_DATES))
    _check_opened(out, file=file, mapping=mapping, row_offset=row_offset)
    for field in _TEXT_FIELDS:
        if field in mapping:
            out[field] = text_column(frame[mapping[field]], missing=missing)
        else:
            out[field] = pd.Series(pd.NA, index=frame.index, dtype="str")
    used = set(mapping.values())
    extras = [c for c in frame.columns if c not in used and c not in out.columns]
    return pd.concat([out, frame[extras]], axis=1).reset_index(drop=True)


def check_mapping(mapping: Mapping[str, str]) -> None:
    """Raise when a mapping names a field that is not canonical."""
    for field, column in mapping.items():
        if field not in REQUEST_COLUMNS:
            raise InvalidInput(
                f"mapping: unknown field {field!r}; expected some of {', '.join(REQUEST_COLUMNS)}"
            )
        if not isinstance(column, str) or not column:
            raise InvalidInput(f"mapping: field {field!r} must name a column, got {column!r}")


def _check_ids(ids: pd.Series, *, file: object, field: str, row_offset: int) -> None:
    empty = ids.isna()
    if empty.any():
        position = int(empty.to_numpy().argmax())
        raise InvalidInput(
            located("the request id is empty", file=file, row=position + row_offset, field=field)
        )


def _check_opened(
    out: pd.DataFrame, *, file: object, mapping: Mapping[str, str], row_offset: int
) -> None:
    """Every request has an opening time and is not closed before it was opened."""
    no_open = out["opened"].isna()
    if no_open.any():
        position = int(no_open.to_numpy().argmax())
        raise InvalidInput(
            located(
                "the opening date is empty; every request needs one",
                file=file,
                row=position + row_offset,
                field=mapping["opened"],
            )
        )
    early = out["closed"] < out["opened"]
    if early.any():
        position = int(early.to_numpy().argmax())
        raise InvalidInput(
            located(
                f"request {out['id'].iloc[position]!r} is closed "
                f"({out['closed'].iloc[position]}) before it was opened "
                f"({out['opened'].iloc[position]}); expected closed >= opened",
                file=file,
                row=position + row_offset,
                field=mapping.get("closed", "closed"),
            )
        )


def detect_format(columns: list[str]) -> str | None:
    """Name the request-log format these column names belong to, or None."""
    if all(c in columns for c in _NYC_SIGNATURE):
        return "nyc311"
    if all(c in columns for c in _OPEN311_SIGNATURE):
        return "open311"
    if all(c in columns for c in REQUIRED_FIELDS):
        return "canonical"
    return None


def load_requests(
    path: PathLike,
    mapping: Mapping[str, str] | None = None,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Load any request log (CSV, Parquet or Open311 JSON) onto the canonical columns.

    Parameters
    ----------
    path
        A ``.csv`` (or other delimited text), ``.parquet`` or ``.json`` file.
    mapping
        Canonical field -> your column, e.g. ``{"id": "Ticket", "opened":
        "Created Date", "closed": "Closed Date", "category": "Complaint Type"}``.
        ``id`` and ``opened`` are required; the other fields are optional.
        When None, the known formats are recognised by their column names:
        NYC 311 exports, Open311 GeoReport v2 (CSV or JSON) and files that
        already use the canonical names.
    sep, encoding
        Separator and text encoding of a CSV file (default ``,`` and UTF-8).
    date_format
        How ``opened``/``closed`` are written (strptime codes); guessed when None.

    Returns
    -------
    pandas.DataFrame
        :data:`REQUEST_COLUMNS` (see :data:`REQUEST_DTYPES`) then the other source columns.

    Raises
    ------
    InvalidInput
        With the file, row and column: row numbers count the header as row 1, so
        the first data row is row 2 (for Parquet the first row is row 1).
    """
    p = existing_file(path)
    suffix = p.suffix.lower()
    if suffix == ".json":
        from govlab.datasets.open311 import load_open311

        return load_open311(p, encoding=encoding) if mapping is None else _mapped_json(p, mapping)
    if suffix in (".parquet", ".pq"):
        frame, offset = _read_parquet(p), 1
    else:
        frame, offset = read_csv_text(p, sep=sep, encoding=encoding), FIRST_DATA_ROW
    if mapping is None:
        return _auto(frame, p, offset=offset, date_format=date_format)
    return to_canonical(frame, mapping, file=p, date_format=date_format, row_offset=offset)


def _auto(frame: pd.DataFrame, p: Path, *, offset: int, date_format: str | None) -> pd.DataFrame:
    kind = detect_format([str(c) for c in frame.columns])
    if kind == "nyc311":
        from govlab.datasets.nyc311 import nyc311_from_frame

        return nyc311_from_frame(frame, file=p)
    if kind == "open311":
        from govlab.datasets.open311 import open311_from_frame

        return open311_from_frame(frame, file=p, row_offset=offset)
    if kind == "canonical":
        identity = {c: c for c in REQUEST_COLUMNS if c in frame.columns}
        out = to_canonical(frame, identity, file=p, date_format=date_format, row_offset=offset)
        if "reopened" in out.columns and out["reopened"].dtype != bool:
            out["reopened"] = out["reopened"].astype("str").str.lower().isin(["true", "1", "yes"])
        out.attrs.update(frame.attrs)
        return out
    found = ", ".join(repr(str(c)) for c in frame.columns[:40])
    raise InvalidInput(
        located(
            "cannot recognise the request-log format: expected NYC 311 export columns "
            "('Unique Key', 'Created Date', ...), Open311 fields ('service_request_id', "
            "'requested_datetime', ...) or the canonical 'id' and 'opened'; columns found: "
            f"{found}. Pass mapping={{'id': ..., 'opened': ..., 'closed': ...}}",
            file=p,
        )
    )


def _read_parquet(p: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(p)
    except (pa.ArrowException, OSError) as exc:
        raise InvalidInput(located(f"cannot read as Parquet: {exc}", file=p)) from None
    if table.num_rows == 0:
        raise InvalidInput(located("the file has no rows", file=p))
    frame = table.to_pandas()
    metadata = table.schema.metadata or {}
    if metadata.get(b"govlab.synthetic") == b"true":
        frame.attrs["synthetic"] = True
    return frame


def _mapped_json(p: Path, mapping: Mapping[str, str]) -> pd.DataFrame:
    from govlab.datasets._io import read_json

    data = read_json(p)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data) or not data:
        raise InvalidInput(located("expected a non-empty JSON list of records", file=p))
    frame = pd.DataFrame(data)
    return to_canonical(frame, mapping, file=p, row_offset=1)
