"""The loader for any request log: NYC 311 exports, Open311, Parquet, or a mapped CSV.

The canonical columns and the mapping onto them live in
:mod:`govlab.datasets.canonical`; this module recognises a file's format and
hands it to the right loader.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from govlab.datasets.canonical import REQUEST_COLUMNS, REQUIRED_FIELDS, to_canonical
from govlab.datasets.nyc311 import nyc311_from_frame
from govlab.datasets.open311 import load_open311, open311_from_frame
from govlab.datasets.reading import PathLike, existing_file, read_csv_text, read_json
from govlab.datasets.values import FIRST_DATA_ROW
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
        return nyc311_from_frame(frame, file=p)
    if kind == "open311":
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
    frame: pd.DataFrame = table.to_pandas()
    metadata = table.schema.metadata or {}
    if metadata.get(b"govlab.synthetic") == b"true":
        frame.attrs["synthetic"] = True
    return frame


def _mapped_json(p: Path, mapping: Mapping[str, str]) -> pd.DataFrame:

    data = read_json(p)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data) or not data:
        raise InvalidInput(located("expected a non-empty JSON list of records", file=p))
    frame = pd.DataFrame(data)
    return to_canonical(frame, mapping, file=p, row_offset=1)
