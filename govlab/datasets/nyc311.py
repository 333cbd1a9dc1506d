"""NYC 311 service-request exports (NYC Open Data dataset erm2-nwe9)."""

from __future__ import annotations

import pandas as pd

from govlab.datasets.canonical import to_canonical
from govlab.datasets.reading import (
    PathLike,
    Rows,
    existing_file,
    options,
    read_table,
    require_columns,
    with_date_style,
)

#: Columns both export schemas share and the loader needs.
NYC311_REQUIRED: tuple[str, ...] = (
    "Unique Key",
    "Created Date",
    "Closed Date",
    "Agency",
    "Complaint Type",
    "Status",
)

_CHANNEL = "Open Data Channel Type"  # only in the newer (2011-style, 41-column) export
_DATE_FORMAT = "%m/%d/%Y %I:%M:%S %p"
_MISSING = ("Unspecified", "0 Unspecified", "N/A")


def nyc311_schema(columns: list[str]) -> str:
    """Name the export schema: ``"nyc311-41"`` (with a channel column) or ``"nyc311-52"``.

    The 41-column export (e.g. the 2011 sample) has ``Open Data Channel Type``;
    the older 52-column export (e.g. the 2013 sample) has school columns and no
    channel.
    """
    return "nyc311-41" if _CHANNEL in columns else "nyc311-52"


def load_nyc311(
    path: PathLike,
    *,
    encoding: str | None = None,
    sep: str | None = None,
) -> pd.DataFrame:
    """Load an NYC 311 export onto the canonical request columns.

    Both export schemas are recognised (see :func:`nyc311_schema`):

    ========  ===========================================================
    id        ``Unique Key``
    opened    ``Created Date`` (``03/01/2011 02:27:57 PM``, local time)
    closed    ``Closed Date``; the placeholder ``01/01/1900 12:00:00 AM`` is NaT
    category  ``Complaint Type``
    agency    ``Agency`` (the acronym; ``Agency Name`` stays as an extra column)
    status    ``Status``
    channel   ``Open Data Channel Type`` (PHONE/ONLINE/OTHER/UNKNOWN); NA in the
              52-column schema, which has no channel
    district  ``Community Board`` (e.g. ``03 MANHATTAN``); ``0 Unspecified`` is NA
    ========  ===========================================================

    The other export columns follow under their own names; ``attrs["source_format"]``
    names the schema.

    Parameters
    ----------
    path
        The CSV export.
    encoding, sep
        Text encoding and separator; detected when None.

    Raises
    ------
    InvalidInput
        A required column is missing (the columns found are listed), a date cannot
        be read, or a request is closed before it was opened. Rows count the header
        as row 1, so the first request is row 2.
    """
    p = existing_file(path)
    return nyc311_from_frame(read_table(p, options(encoding=encoding, sep=sep)), file=p)


def nyc311_from_frame(
    frame: pd.DataFrame, *, file: object, row_offset: Rows | None = None
) -> pd.DataFrame:
    """Map an NYC 311 export already read as text (see :func:`load_nyc311`).

    ``row_offset`` is the line of the first request (None: from how it was read).
    """
    require_columns(frame, NYC311_REQUIRED, file=file, what="NYC 311 export")
    mapping = {
        "id": "Unique Key",
        "opened": "Created Date",
        "closed": "Closed Date",
        "category": "Complaint Type",
        "agency": "Agency",
        "status": "Status",
    }
    if _CHANNEL in frame.columns:
        mapping["channel"] = _CHANNEL
    if "Community Board" in frame.columns:
        mapping["district"] = "Community Board"
    fmt = _DATE_FORMAT if _looks_like(frame["Created Date"]) else None
    out = to_canonical(
        frame, mapping, file=file, date_format=fmt, missing=_MISSING, row_offset=row_offset
    )
    out.attrs["source_format"] = nyc311_schema(list(frame.columns))
    if "reading" in out.attrs and fmt:
        out.attrs["reading"] = with_date_style(out.attrs["reading"], "month-first")
    return out


def _looks_like(values: pd.Series) -> bool:
    first = values.dropna()
    return bool(len(first)) and bool(
        pd.notna(pd.to_datetime(first.iloc[:1], format=_DATE_FORMAT, errors="coerce").iloc[0])
    )
