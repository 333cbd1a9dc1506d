"""The loader for any request log: NYC 311 exports, Open311, Parquet, or a mapped CSV.

The canonical columns and the mapping onto them live in
:mod:`govlab.datasets.canonical`; this module recognises a file's format and
hands it to the right loader.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

import govlab.datasets.words as words
from govlab.datasets.canonical import REQUEST_COLUMNS, REQUIRED_FIELDS, to_canonical
from govlab.datasets.nyc311 import nyc311_from_frame
from govlab.datasets.open311 import load_open311, open311_from_frame
from govlab.datasets.reading import PathLike, existing_file, options, read_json, read_table
from govlab.errors import InvalidInput, located

# Column-name signatures of the formats recognised when no mapping is given.
_NYC_SIGNATURE = ("Unique Key", "Created Date", "Complaint Type")
_OPEN311_SIGNATURE = ("service_request_id", "requested_datetime")


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
    decimal: str | None = None,
    dayfirst: bool | None = None,
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
    sep, encoding, decimal
        How the CSV file is written; detected when None (see
        :mod:`govlab.datasets.reading`).
    dayfirst
        Whether dates such as 03/04/2024 are day-first; detected from the dates
        when None (a file where every date reads both ways is refused).
    date_format
        How ``opened``/``closed`` are written (strptime codes); worked out when None.

    Returns
    -------
    pandas.DataFrame
        :data:`REQUEST_COLUMNS` (see :data:`REQUEST_DTYPES`) then the other source
        columns; ``attrs["reading"]`` says how the file was read.

    Raises
    ------
    InvalidInput
        With the file, row and column: rows are the file's own line numbers, so
        in a plain CSV file the header is row 1 and the first request row 2 (for
        Parquet the first row is row 1).
    """
    p = existing_file(path)
    given = options(encoding=encoding, sep=sep, decimal=decimal, dayfirst=dayfirst)
    if p.suffix.lower() == ".json":
        return load_open311(p, encoding=encoding) if mapping is None else _mapped_json(p, mapping)
    frame = read_table(p, given)
    if mapping is None:
        return _auto(frame, p, date_format=date_format, dayfirst=dayfirst)
    return to_canonical(frame, mapping, file=p, date_format=date_format, dayfirst=dayfirst)


def _auto(
    frame: pd.DataFrame, p: Path, *, date_format: str | None, dayfirst: bool | None
) -> pd.DataFrame:
    kind = detect_format([str(c) for c in frame.columns])
    if kind == "nyc311":
        return nyc311_from_frame(frame, file=p)
    if kind == "open311":
        return open311_from_frame(frame, file=p)
    if kind == "canonical":
        identity = {c: c for c in REQUEST_COLUMNS if c in frame.columns}
        out = to_canonical(frame, identity, file=p, date_format=date_format, dayfirst=dayfirst)
        if "reopened" in out.columns and out["reopened"].dtype != bool:
            out["reopened"] = out["reopened"].astype("str").str.lower().isin(["true", "1", "yes"])
        out.attrs.update({k: v for k, v in frame.attrs.items() if k not in out.attrs})
        return out
    found = ", ".join(repr(str(c)) for c in frame.columns[:40])
    fields = " ".join(words.mapping(f) for f in ("id", "opened", "closed"))
    raise InvalidInput(
        located(
            "cannot recognise the request-log format: expected NYC 311 export columns "
            "('Unique Key', 'Created Date', ...), Open311 fields ('service_request_id', "
            "'requested_datetime', ...) or the canonical 'id' and 'opened'; columns found: "
            f"{found}. Say which of your columns holds what: {fields}",
            file=p,
        )
    )


def _mapped_json(p: Path, mapping: Mapping[str, str]) -> pd.DataFrame:
    data = read_json(p)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data) or not data:
        raise InvalidInput(located("expected a non-empty JSON list of records", file=p))
    frame = pd.DataFrame(data)
    return to_canonical(frame, mapping, file=p, row_offset=1)
