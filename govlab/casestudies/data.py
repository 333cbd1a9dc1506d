"""A participant's own data for a case: read it, map its columns, check it, before any run.

``--map FIELD=COLUMN`` says which of the file's columns holds a canonical field.
Every file goes through the one reading path of :mod:`govlab.datasets.reading`
(encoding, separator, decimal mark, header row and date order worked out, or
given): a request log through :func:`govlab.datasets.load_requests` (or, for a
whole city's log, :func:`govlab.datasets.bulk.requests_to_parquet`), ridership
through :func:`govlab.datasets.load_ridership`, and a table (channel volumes)
field by field, naming the file, row and column of the first bad value.

:func:`read_case_data` returns a :class:`CaseData`: the frame (or the Parquet
file of a large log), how the file was read, and the notes a report states.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import govlab.datasets.words as words
from govlab.casestudies.spec import CaseStudy, DataField, DataSpec
from govlab.datasets.reading import (
    Detected,
    ReadOptions,
    existing_file,
    read_table,
    reading_of,
    rows_of,
    sniff,
)
from govlab.datasets.values import column_dates, column_numbers, line_at, text_column
from govlab.errors import InvalidInput, located

_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class CaseData:
    """A participant's file, read onto a case's fields and checked.

    Attributes
    ----------
    frame
        The canonical fields (None when ``parquet`` holds a large log instead).
    parquet
        The canonical Parquet file of a log too large for pandas, or None.
    label
        The file's name, for the report.
    reading
        How the file was read (encoding, separator, dates ...).
    rows
        Rows read.
    mapping
        Field -> the file's column, for the fields found.
    notes
        Sentences on what was assumed (a resampling, a column left out ...).
    place
        Where the data is from, when the file says it (a single ``city`` value).
    """

    frame: pd.DataFrame | None
    parquet: Path | None
    label: str
    reading: Detected
    rows: int
    mapping: dict[str, str]
    notes: tuple[str, ...] = ()
    place: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def source(self) -> pd.DataFrame | Path:
        """What the case analyses: the frame, or the Parquet file."""
        if self.frame is not None:
            return self.frame
        assert self.parquet is not None
        return self.parquet


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """Turn ``["opened=Created Date", ...]`` into ``{"opened": "Created Date"}``."""
    mapping: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise InvalidInput(f"--map {item!r}: expected FIELD=COLUMN, e.g. opened='Created Date'")
        if name.strip() in mapping:
            raise InvalidInput(f"--map: the field {name.strip()!r} is mapped twice")
        mapping[name.strip()] = column.strip()
    return mapping


def check_mapping(spec: DataSpec, mapping: Mapping[str, str], case: str) -> None:
    """Raise when ``mapping`` names a field the case does not have."""
    for name in mapping:
        if spec.field_name(name) not in spec.names:
            raise InvalidInput(
                f"--map: case {case!r} has no field {name!r}; fields: {', '.join(spec.names)}"
            )


def load_case_data(
    case: CaseStudy,
    path: Path,
    mapping: Mapping[str, str],
    *,
    reading: ReadOptions | None = None,
    duplicates: str = "error",
) -> pd.DataFrame:
    """Load ``path`` onto the case's canonical fields (see :func:`read_case_data`).

    Returns
    -------
    pandas.DataFrame
        The canonical fields (a request log keeps its other columns after them).
    """
    data = read_case_data(case, path, mapping, reading=reading, duplicates=duplicates)
    if data.frame is None:  # pragma: no cover - only with a work folder
        raise InvalidInput("a large log needs a work folder")
    return data.frame


def read_case_data(
    case: CaseStudy,
    path: Path,
    mapping: Mapping[str, str],
    *,
    reading: ReadOptions | None = None,
    duplicates: str = "error",
    work: Path | None = None,
    progress: Progress | None = None,
) -> CaseData:
    """Read ``path`` onto the case's canonical fields and check every value.

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
    reading
        What the person said about the file (encoding, separator ...); None: detect.
    duplicates
        The rule for two rows of the same period (ridership): ``error``, ``sum``,
        ``mean`` or ``last``.
    work
        A folder for the Parquet file of a large request log (without one, a
        large log is read into pandas like a small one).
    progress
        Called with ``(fraction, what)`` while a large log is read.

    Raises
    ------
    InvalidInput
        A field the case does not have, a required column missing (naming the
        file and the column), or a value that cannot be read (naming the row).
    """
    check_mapping(case.data, mapping, case.name)
    given = reading or ReadOptions()
    p = existing_file(path)
    if case.data.kind == "requests":
        return _requests(case.data, p, mapping, given, work, progress)
    if case.data.kind == "ridership":
        return _ridership(p, mapping, given, duplicates)
    frame = load_table(case.data, p, mapping, given)
    how = reading_of(frame) or sniff(p, given)
    columns = dict(frame.attrs["columns"])
    return CaseData(frame, None, p.name, how, len(frame), columns, place=_place(frame))


def _requests(
    spec: DataSpec,
    p: Path,
    mapping: Mapping[str, str],
    given: ReadOptions,
    work: Path | None,
    progress: Progress | None,
) -> CaseData:
    from govlab.datasets import load_requests
    from govlab.datasets.bulk import is_bulk, requests_to_parquet

    columns = list(sniff(p, given).columns) if p.suffix.lower() != ".json" else []
    full = {f: f for f in spec.names if f in columns and f not in mapping}
    full.update(mapping)
    if mapping and columns:
        _require(spec, full, p, columns)
    if work is not None and is_bulk(p):
        out = work / "requests.parquet"
        wanted = spec.analysed or tuple(f.name for f in spec.fields)
        how = requests_to_parquet(
            p, out, full if mapping else None, given=given, progress=progress, columns=wanted
        )
        rows = _parquet_rows(out)
        return CaseData(None, out, p.name, how, rows, full if mapping else {}, place=None)
    frame = load_requests(
        p,
        full if mapping else None,
        encoding=given.encoding,
        sep=given.sep,
        decimal=given.decimal,
        dayfirst=given.dayfirst,
        date_format=given.date_format,
    )
    if not mapping:
        for name in ("id", "opened"):
            if name not in frame.columns or frame[name].isna().all():
                raise InvalidInput(
                    located(
                        f"no values for the required field {name!r}; "
                        f"name its column with {words.mapping(name)}",
                        file=p,
                    )
                )
    how = reading_of(frame) or sniff(p, given)
    used = full if mapping else {f: f for f in spec.names if f in frame.columns}
    return CaseData(frame, None, p.name, how, len(frame), used, place=_place(frame))


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _ridership(
    p: Path, mapping: Mapping[str, str], given: ReadOptions, duplicates: str
) -> CaseData:
    from govlab.datasets import load_ridership

    frame = load_ridership(
        p,
        mapping,
        duplicates=duplicates,
        encoding=given.encoding,
        sep=given.sep,
        decimal=given.decimal,
        dayfirst=given.dayfirst,
        date_format=given.date_format,
    )
    how = reading_of(frame) or sniff(p, given)
    notes = tuple(frame.attrs.get("notes", ()))
    used = {k: v for k, v in mapping.items()}
    return CaseData(frame, None, p.name, how, len(frame), used, notes=notes)


def _place(frame: pd.DataFrame) -> str | None:
    """The place a file names in a ``city`` / ``municipality`` column, when it names one."""
    for column in frame.columns:
        if re.fullmatch(r"(city|municipality|jurisdiction|council|town)", str(column).lower()):
            values = frame[column].dropna().astype("str").str.strip()
            if len(values) and values.value_counts().iloc[0] >= 0.95 * len(values):
                return str(values.value_counts().index[0]).title()
    return None


def load_table(
    spec: DataSpec, path: Path, mapping: Mapping[str, str], given: ReadOptions | None = None
) -> pd.DataFrame:
    """Read a CSV / Parquet table and parse the fields of ``spec`` (see :func:`read_case_data`)."""
    raw = read_table(path, given)
    columns = [str(c) for c in raw.columns]
    full = {f: f for f in spec.names if f in columns and f not in mapping}
    for alias, target in spec.aliases:  # a column under another usual name (annual_volume)
        if alias in columns and target not in full and target not in mapping:
            full[target] = alias
    full.update({spec.field_name(k): v for k, v in mapping.items()})
    _require(spec, full, path, columns)
    out = pd.DataFrame(index=raw.index)
    dayfirst = given.dayfirst if given else None
    for item in spec.fields:
        if item.name in full:
            out[item.name] = _parse(raw, item, path, full[item.name], dayfirst)
    out = out.reset_index(drop=True)
    rows = rows_of(raw)
    # where each value came from, for the case's own checks (row = position + row_offset)
    out.attrs.update(
        file=str(path),
        row_offset=rows if isinstance(rows, int) else line_at(rows, 0),
        columns=dict(full),
        reading=raw.attrs.get("reading"),
        lines=raw.attrs.get("lines"),
    )
    return out


def error_at(data: pd.DataFrame, position: int, field: str, message: str) -> InvalidInput:
    """The error for the value at ``position`` of a case's ``field``: file, line and column.

    ``data`` is a frame :func:`load_table` made (its ``attrs`` say where each value came
    from); a frame built in Python names the row as a CSV file of it would.
    """
    return InvalidInput(
        located(
            message,
            file=data.attrs.get("file"),
            row=position + int(data.attrs.get("row_offset", 2)),
            field=data.attrs.get("columns", {}).get(field, field),
        )
    )


def spelled(
    data: pd.DataFrame, field: str, synonyms: Mapping[str, str], expected: str
) -> pd.Series:
    """``data[field]`` in the case's own words, through ``synonyms`` (case and spaces aside).

    Raises
    ------
    InvalidInput
        For the first value ``synonyms`` does not know: ``unknown channel 'fax';
        expected ...`` with ``expected`` and where the value is.
    """
    import numpy as np

    known = data[field].astype("str").str.strip().str.lower().map(synonyms)
    unknown = known.isna().to_numpy()
    if unknown.any():
        pos = int(np.argmax(unknown))
        given = data[field].iloc[pos]
        raise error_at(data, pos, field, f"unknown {field} {given!r}; expected {expected}")
    return known


def _require(spec: DataSpec, full: Mapping[str, str], path: Path, columns: list[str]) -> None:
    found = ", ".join(repr(c) for c in columns[:40])
    for name in spec.required:
        if name not in full:
            raise InvalidInput(
                located(
                    f"no column for the required field {name!r}; name it with "
                    f"{words.mapping(name)} (columns found: {found})",
                    file=path,
                )
            )
    for name, column in full.items():
        if column not in columns:
            raise InvalidInput(
                located(
                    f"column {column!r} (mapped to {name!r}) not found; columns found: {found}",
                    file=path,
                )
            )


def _parse(
    raw: pd.DataFrame, item: DataField, path: Path, column: str, dayfirst: bool | None
) -> pd.Series:
    if item.type == "datetime":
        return column_dates(raw, column, file=path, dayfirst=dayfirst)
    if item.type == "number":
        return column_numbers(raw, column, file=path)
    if item.type == "bool":
        return _booleans(raw[column], path, column, rows_of(raw))
    return text_column(raw[column])


def _booleans(values: pd.Series, path: Path, column: str, rows: Any) -> pd.Series:
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
                row=line_at(rows, position),
                field=column,
            )
        )
    return text.isin(_TRUE)
