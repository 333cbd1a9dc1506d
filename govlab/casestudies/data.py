"""A participant's own data for a case: read it, map its columns, check it, before any run.

``--map FIELD=COLUMN`` says which of the file's columns holds a canonical field.
A request log goes through :func:`govlab.datasets.load_requests`; a table (the
channel volumes of ``shared-portal``, the ridership of ``transit-network``) is
read with the same CSV rules as every govlab loader, then each field is parsed
to its type, naming the file, row and column of the first bad value.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from govlab.casestudies.spec import CaseStudy, DataField, DataSpec
from govlab.datasets.reading import (
    check_separator,
    existing_file,
    first_line,
    read_csv_text,
    read_json,
)
from govlab.datasets.values import numeric_column, parse_dates, text_column
from govlab.errors import InvalidInput, located

_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """Turn ``["opened=Created Date", ...]`` into ``{"opened": "Created Date"}``."""
    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise InvalidInput(f"--map {item!r}: expected FIELD=COLUMN, e.g. opened='Created Date'")
        if field.strip() in mapping:
            raise InvalidInput(f"--map: the field {field.strip()!r} is mapped twice")
        mapping[field.strip()] = column.strip()
    return mapping


def check_mapping(spec: DataSpec, mapping: Mapping[str, str], case: str) -> None:
    """Raise when ``mapping`` names a field the case does not have."""
    for field in mapping:
        if field not in spec.names:
            raise InvalidInput(
                f"--map: case {case!r} has no field {field!r}; fields: {', '.join(spec.names)}"
            )


def load_case_data(case: CaseStudy, path: Path, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Load ``path`` onto the case's canonical fields.

    Parameters
    ----------
    case
        The case whose :class:`~govlab.casestudies.spec.DataSpec` says what is needed.
    path
        A CSV or Parquet file (a request log may also be Open311 JSON).
    mapping
        Canonical field -> the file's column. Fields not mapped are looked for
        under their canonical names (or, for a request log with no mapping at
        all, the known formats are recognised: NYC 311, Open311).

    Returns
    -------
    pandas.DataFrame
        The canonical fields (a request log keeps its other columns after them).

    Raises
    ------
    InvalidInput
        A field the case does not have, a required column missing (naming the
        file and the column), or a value that cannot be read (naming the row).
    """
    check_mapping(case.data, mapping, case.name)
    if case.data.kind == "requests":
        return _load_requests(case.data, path, mapping)
    return load_table(case.data, path, mapping)


def _load_requests(spec: DataSpec, path: Path, mapping: Mapping[str, str]) -> pd.DataFrame:
    from govlab.datasets import load_requests

    if mapping:
        columns = _header(path)
        full = {f: f for f in spec.names if f in columns and f not in mapping}
        full.update(mapping)
        if columns:  # an empty file: the loader says so
            _require(spec, full, path, columns)
        return load_requests(path, full)
    frame = load_requests(path)
    for field in spec.required:
        if field not in frame.columns or frame[field].isna().all():
            raise InvalidInput(
                located(
                    f"no values for the required field {field!r}; "
                    f"name its column with --map {field}=COLUMN",
                    file=path,
                )
            )
    return frame


def load_table(spec: DataSpec, path: Path, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Read a CSV / Parquet table and parse the fields of ``spec`` (see :func:`load_case_data`)."""
    raw, offset = _read(path)
    columns = [str(c) for c in raw.columns]
    full = {f: f for f in spec.names if f in columns and f not in mapping}
    full.update(mapping)
    _require(spec, full, path, columns)
    out = pd.DataFrame(index=raw.index)
    for field in spec.fields:
        if field.name in full:
            out[field.name] = _parse(raw[full[field.name]], field, path, full[field.name], offset)
    out = out.reset_index(drop=True)
    # where each value came from, for the case's own checks (row = position + row_offset)
    out.attrs.update(file=str(path), row_offset=offset, columns=dict(full))
    return out


def _require(spec: DataSpec, full: Mapping[str, str], path: Path, columns: list[str]) -> None:
    found = ", ".join(repr(c) for c in columns[:40])
    for field in spec.required:
        if field not in full:
            raise InvalidInput(
                located(
                    f"no column for the required field {field!r}; name it with "
                    f"--map {field}=COLUMN (columns found: {found})",
                    file=path,
                )
            )
    for field, column in full.items():
        if column not in columns:
            raise InvalidInput(
                located(
                    f"column {column!r} (mapped to {field!r}) not found; columns found: {found}",
                    file=path,
                )
            )


def _read(path: Path) -> tuple[pd.DataFrame, int]:
    p = existing_file(path)
    if p.suffix.lower() in (".parquet", ".pq"):
        try:
            frame = pd.read_parquet(p)
        except Exception as exc:  # pyarrow raises many kinds for a bad file
            raise InvalidInput(located(f"cannot read as Parquet: {exc}", file=p)) from None
        if frame.empty:
            raise InvalidInput(located("the file has no rows", file=p))
        return frame, 1
    return read_csv_text(p), 2


def _header(path: Path) -> list[str]:
    """Column names of a request log, read without loading the rows."""
    p = existing_file(path)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            return [str(c) for c in pq.read_schema(p).names]
        except Exception as exc:  # pyarrow raises many kinds for a bad file
            raise InvalidInput(located(f"cannot read as Parquet: {exc}", file=p)) from None
    if suffix == ".json":
        data = read_json(p)
        records = data if isinstance(data, list) else []
        return sorted({str(k) for r in records if isinstance(r, dict) for k in r})
    header = first_line(p, "utf-8-sig")
    if not header:
        return []
    sep = check_separator(p, header, None)
    return [c.strip() for c in next(csv.reader([header], delimiter=sep))]


def _parse(values: pd.Series, field: DataField, path: Path, column: str, offset: int) -> pd.Series:
    if field.type == "datetime":
        return parse_dates(values, file=path, field=column, row_offset=offset)
    if field.type == "number":
        return numeric_column(values, file=path, field=column, row_offset=offset)
    if field.type == "bool":
        return _booleans(values, path, column, offset)
    return text_column(values)


def _booleans(values: pd.Series, path: Path, column: str, offset: int) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    text = values.astype("str").str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE) & text.notna()
    if bad.any() or text.isna().any():
        position = int((bad | text.isna()).to_numpy().argmax())
        raise InvalidInput(
            located(
                f"cannot read {values.iloc[position]!r} as true/false; expected yes/no, "
                "true/false or 1/0",
                file=path,
                row=position + offset,
                field=column,
            )
        )
    return text.isin(_TRUE)
