"""The canonical service-request log: its columns, and mapping any source frame onto them.

Every request loader (:mod:`~govlab.datasets.nyc311`, :mod:`~govlab.datasets.open311`,
:mod:`~govlab.datasets.requestlog`) returns the same frame: the columns of
:data:`REQUEST_COLUMNS` first, then whatever other columns the source had. This
module imports none of those loaders, so each of them can import it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from govlab.datasets.reading import Rows, require_columns, rows_of, with_date_style
from govlab.datasets.values import line_at, order_of, parse_dates, text_column
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


def to_canonical(
    frame: pd.DataFrame,
    mapping: Mapping[str, str],
    *,
    file: object,
    date_format: str | None = None,
    row_offset: Rows | None = None,
    missing: tuple[str, ...] = (),
    dayfirst: bool | None = None,
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
        The file line of the first data row (2 for CSV: the header is line 1), or a
        function of the row's position; None: from how ``frame`` was read.
    missing
        Extra text markers that mean "no value" (e.g. ``"Unspecified"``).
        Closing dates in :data:`PLACEHOLDER_DATES` are read as missing too.
    dayfirst
        The order of dates such as 03/04/2024 (None: from the dates of both columns;
        when every date reads both ways the mapping is refused, asking for it).

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
    rows = rows_of(frame) if row_offset is None else row_offset
    out = pd.DataFrame(index=frame.index)
    out["id"] = text_column(frame[mapping["id"]])
    _check_ids(out["id"], file=file, field=mapping["id"], row_offset=rows)
    dates = [frame[mapping[f]] for f in ("opened", "closed") if f in mapping]
    if date_format is None and dayfirst is None:
        dayfirst = order_of(dates, file=file, field=mapping["opened"])
    styles = []
    for field in ("opened", "closed"):
        if field in mapping:
            parsed = parse_dates(
                frame[mapping[field]],
                file=file,
                field=mapping[field],
                date_format=date_format,
                row_offset=rows,
                dayfirst=dayfirst,
            )
            styles.append(parsed.attrs.get("date_style", ""))
            out[field] = parsed
        else:
            out[field] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    out["closed"] = out["closed"].mask(out["closed"].isin(PLACEHOLDER_DATES))
    _check_opened(out, file=file, mapping=mapping, row_offset=rows)
    for field in _TEXT_FIELDS:
        if field in mapping:
            out[field] = text_column(frame[mapping[field]], missing=missing)
        else:
            out[field] = pd.Series(pd.NA, index=frame.index, dtype="str")
    used = set(mapping.values())
    extras = [c for c in frame.columns if c not in used and c not in out.columns]
    result = pd.concat([out, frame[extras]], axis=1).reset_index(drop=True)
    result.attrs = {k: v for k, v in frame.attrs.items() if k in ("reading", "lines")}
    if "reading" in result.attrs and styles:
        result.attrs["reading"] = with_date_style(result.attrs["reading"], styles[0])
    return result


def check_mapping(mapping: Mapping[str, str]) -> None:
    """Raise when a mapping names a field that is not canonical."""
    for field, column in mapping.items():
        if field not in REQUEST_COLUMNS:
            raise InvalidInput(
                f"mapping: unknown field {field!r}; expected some of {', '.join(REQUEST_COLUMNS)}"
            )
        if not isinstance(column, str) or not column:
            raise InvalidInput(f"mapping: field {field!r} must name a column, got {column!r}")


def _check_ids(ids: pd.Series, *, file: object, field: str, row_offset: Rows) -> None:
    empty = ids.isna()
    if empty.any():
        position = int(empty.to_numpy().argmax())
        raise InvalidInput(
            located(
                "the request id is empty", file=file, row=line_at(row_offset, position), field=field
            )
        )


def _check_opened(
    out: pd.DataFrame, *, file: object, mapping: Mapping[str, str], row_offset: Rows
) -> None:
    """Every request has an opening time and is not closed before it was opened."""
    no_open = out["opened"].isna()
    if no_open.any():
        position = int(no_open.to_numpy().argmax())
        raise InvalidInput(
            located(
                "the opening date is empty; every request needs one",
                file=file,
                row=line_at(row_offset, position),
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
                row=line_at(row_offset, position),
                field=mapping.get("closed", "closed"),
            )
        )
