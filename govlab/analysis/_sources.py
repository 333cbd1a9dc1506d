"""Where a request log comes from: a DataFrame, a Parquet file or a CSV file (private).

The KPI functions run on either engine; this module hands each engine its input:
:func:`load_frame` reads the needed columns into pandas, :func:`duckdb_requests`
opens a DuckDB connection with a view ``r`` over the same columns.  Both
engines compute response time in hours the same way, from whole nanoseconds::

    hours = double(epoch_ns(closed) - epoch_ns(opened)) / 3_600_000_000_000

Timestamp columns are used as they are stored (``TIMESTAMP``, ``TIMESTAMP_NS``...),
so a 10-million-row file is not converted value by value; text and time-zone
aware columns are cast to naive timestamps (time zones: UTC wall-clock time in a
file, the frame's own wall-clock time in a DataFrame, as pandas reads them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from govlab.analysis._frames import booleans, datetimes, require_columns, row_label
from govlab.errors import InvalidInput, located

if TYPE_CHECKING:
    import duckdb

#: A frame with more rows than this runs through DuckDB under ``engine="auto"``.
DUCKDB_MIN_ROWS = 1_000_000

Source = pd.DataFrame | str | os.PathLike[str]
NS_PER_HOUR = 3_600_000_000_000
REOPEN_TRUE = ("true", "t", "yes", "y", "1", "1.0")
REOPEN_FALSE = ("false", "f", "no", "n", "0", "0.0", "")


@dataclass(frozen=True)
class Located:
    """How to name a row of the source in a message."""

    name: str
    kind: Literal["frame", "csv", "parquet"]

    @property
    def first_row(self) -> int | None:
        """Row number of the first data row in a file (None for a frame: use its index)."""
        return None if self.kind == "frame" else (2 if self.kind == "csv" else 1)

    def row(self, frame: pd.DataFrame, position: int) -> int:
        return row_label(frame, position, self.first_row)


def choose_engine(source: Source, engine: str) -> Literal["pandas", "duckdb"]:
    """``auto``: a path or a frame over :data:`DUCKDB_MIN_ROWS` rows goes to DuckDB."""
    if engine == "pandas":
        return "pandas"
    if engine == "duckdb":
        return "duckdb"
    if engine != "auto":
        raise InvalidInput(f"unknown engine {engine!r}; expected 'auto', 'pandas' or 'duckdb'")
    if isinstance(source, pd.DataFrame):
        return "duckdb" if len(source) > DUCKDB_MIN_ROWS else "pandas"
    return "duckdb"


def describe(source: Source) -> Located:
    """Check a source exists and say what kind it is."""
    if isinstance(source, pd.DataFrame):
        return Located("requests", "frame")
    if not isinstance(source, (str, os.PathLike)):
        raise InvalidInput(f"expected a DataFrame or a file path, got {type(source).__name__}")
    path = Path(source)
    if not path.is_file():
        raise InvalidInput(located("no such file", file=path))
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return Located(str(path), "parquet")
    if suffix in (".csv", ".txt"):
        return Located(str(path), "csv")
    raise InvalidInput(located("expected a .parquet or .csv file", file=path))


def file_columns(where: Located) -> list[str]:
    """The column names of a Parquet or CSV file."""
    if where.kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(where.name).names)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise InvalidInput(
                located(f"not a readable Parquet file ({exc})", file=where.name)
            ) from None
    try:
        return list(pd.read_csv(where.name, nrows=0).columns)
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InvalidInput(located(f"not a readable CSV file ({exc})", file=where.name)) from None


def check_columns(source: Source, where: Located, columns: list[str]) -> None:
    """Raise InvalidInput naming the first missing column."""
    if isinstance(source, pd.DataFrame):
        require_columns(source, columns, name=where.name)
        return
    have = file_columns(where)
    missing = [c for c in columns if c not in have]
    if missing:
        raise InvalidInput(
            located(
                f"missing column; the columns are: {', '.join(have) or 'none'}",
                file=where.name,
                field=missing[0],
            )
        )


def load_frame(source: Source, where: Located, columns: list[str]) -> pd.DataFrame:
    """Read ``columns`` of the source into pandas (a frame is only sliced)."""
    check_columns(source, where, columns)
    if isinstance(source, pd.DataFrame):
        return source[columns]
    if where.kind == "parquet":
        return pd.read_parquet(where.name, columns=columns)
    return pd.read_csv(where.name, usecols=columns)[columns]


def duration_hours(opened: pd.Series, closed: pd.Series) -> np.ndarray:
    """``(closed - opened)`` in hours from whole nanoseconds; NaN while open."""
    o = opened.to_numpy(dtype="datetime64[ns]")
    c = closed.to_numpy(dtype="datetime64[ns]")
    diff = c - o
    open_ = np.isnat(diff)
    nanos = np.where(open_, 0, diff.astype(np.int64))
    return np.where(open_, np.nan, nanos.astype("float64") / float(NS_PER_HOUR))


def prepare(
    frame: pd.DataFrame, where: Located, keys: list[str], *, reopened: bool = False
) -> pd.DataFrame:
    """Keys, ``opened``, ``closed``, ``hours`` (and ``reopened``) checked and typed."""
    opened = datetimes(frame, "opened", name=where.name, first_row=where.first_row)
    closed = datetimes(frame, "closed", name=where.name, first_row=where.first_row)
    check_order(frame, where, opened, closed)
    out = frame[keys].copy() if keys else pd.DataFrame(index=frame.index)
    out["opened"] = opened.to_numpy(dtype="datetime64[ns]")
    out["closed"] = closed.to_numpy(dtype="datetime64[ns]")
    out["hours"] = duration_hours(opened, closed)
    if reopened:
        out["reopened"] = booleans(
            frame, "reopened", name=where.name, first_row=where.first_row
        ).to_numpy()
    return out


def check_order(frame: pd.DataFrame, where: Located, opened: pd.Series, closed: pd.Series) -> None:
    """Every request has an ``opened`` time and is not closed before it was opened."""
    missing = opened.isna().to_numpy()
    if missing.any():
        pos = int(np.argmax(missing))
        raise InvalidInput(
            located(
                "no opening time; every request needs one",
                file=where.name,
                row=where.row(frame, pos),
                field="opened",
            )
        )
    c = closed.to_numpy(dtype="datetime64[ns]")
    backwards = (c < opened.to_numpy(dtype="datetime64[ns]")) & ~np.isnat(c)
    if backwards.any():
        pos = int(np.argmax(backwards))
        raise InvalidInput(
            located(
                f"closed ({closed.iloc[pos]}) before it was opened ({opened.iloc[pos]})",
                file=where.name,
                row=where.row(frame, pos),
                field="closed",
            )
        )


def quote(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_requests(
    source: Source, where: Located, keys: list[str], *, reopened: bool = False
) -> duckdb.DuckDBPyConnection:
    """A new DuckDB cursor with the view ``r`` (keys, opened, closed, hours[, reopened]).

    The views are temporary, so they belong to this cursor alone.
    """
    columns = [*keys, "opened", "closed", *(["reopened"] if reopened else [])]
    check_columns(source, where, columns)
    con = _database().cursor()
    con.execute("SET TimeZone = 'UTC'")  # a session setting: each cursor starts at the default
    if isinstance(source, pd.DataFrame):
        con.register("src", _naive(source[columns]))
    elif where.kind == "parquet":
        con.execute(f"CREATE TEMP VIEW src AS SELECT * FROM read_parquet({_literal(where.name)})")
    else:
        con.execute(f"CREATE TEMP VIEW src AS SELECT * FROM read_csv({_literal(where.name)})")
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE src)").fetchall())
    opened, closed = _timestamp(types, "opened"), _timestamp(types, "closed")
    selected = [quote(k) for k in keys]
    selected += [f"{opened} AS opened", f"{closed} AS closed"]
    selected.append(
        f"(epoch_ns({closed}) - epoch_ns({opened}))::DOUBLE / {NS_PER_HOUR}::DOUBLE AS hours"
    )
    if reopened:
        text = "lower(trim(CAST(reopened AS VARCHAR)))"
        selected.append(f"coalesce({text} IN {REOPEN_TRUE}, false) AS reopened")
        allowed = REOPEN_TRUE + REOPEN_FALSE
        selected.append(f"(reopened IS NOT NULL AND {text} NOT IN {allowed}) AS _bad_flag")
    con.execute(f"CREATE TEMP VIEW r AS SELECT {', '.join(selected)} FROM src")
    return con


_DATABASES: dict[int, duckdb.DuckDBPyConnection] = {}


def _database() -> duckdb.DuckDBPyConnection:
    """The in-memory DuckDB database of this process, opened once; each query takes a cursor.

    A database opened per query costs 0.1-0.2 s on a 10-million-row log (threads,
    memory and file metadata start cold each time).  Keyed by process id: a forked
    child must not use its parent's DuckDB threads.
    """
    import duckdb

    pid = os.getpid()
    if pid not in _DATABASES:
        _DATABASES.clear()
        _DATABASES[pid] = duckdb.connect()
    return _DATABASES[pid]


def _timestamp(types: dict[str, str], column: str) -> str:
    """The column as a naive timestamp: as stored when it is one, else cast."""
    kind = types[column].upper()
    if kind.startswith("TIMESTAMP") and "TIME ZONE" not in kind:
        return quote(column)
    return f"CAST({quote(column)} AS TIMESTAMP)"


def _naive(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop time zones (keeping wall-clock time), as the pandas engine does."""
    out = frame
    for column in ("opened", "closed"):
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            out = out.assign(**{column: frame[column].dt.tz_localize(None)})
    return out


#: Aggregates appended to every DuckDB query; a non-zero sum means bad input.
#: (``hours < 0`` is ``closed < opened``, read from a column the query needs anyway.)
CHECKS = "count(*) - count(opened) AS _no_opened, count_if(hours < 0) AS _backwards"


def run_sql(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    source: Source,
    where: Located,
    keys: list[str],
    *,
    reopened: bool = False,
    params: list[Any] | dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Run a KPI query; bad input is located with pandas and raised as InvalidInput."""
    import duckdb

    try:
        result = con.execute(sql, params or []).df()
    except duckdb.ConversionException as exc:
        _locate(source, where, keys, reopened)
        raise InvalidInput(located(f"cannot read the data: {exc}", file=where.name)) from None
    finally:
        con.close()
    flags = [c for c in result.columns if c.startswith("_")]
    if len(result) and np.nansum(result[flags].to_numpy(dtype=float)) > 0:
        _locate(source, where, keys, reopened)
        raise InvalidInput(  # pragma: no cover - _locate names the row first
            located("requests without an opening time or closed before opened", file=where.name)
        )
    return result.drop(columns=flags)


def _locate(source: Source, where: Located, keys: list[str], reopened: bool) -> None:
    """Re-check the input with pandas to name the first bad row (raises when one is found)."""
    columns = ["opened", "closed", *(["reopened"] if reopened else [])]
    prepare(load_frame(source, where, columns), where, [], reopened=reopened)
