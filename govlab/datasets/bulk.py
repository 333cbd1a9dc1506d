"""A whole city's request log (tens of millions of rows) onto canonical Parquet, through DuckDB.

:func:`govlab.datasets.load_requests` reads a log into pandas: right for a
sample, too slow and too big for NYC's 30 million requests. For a large file
:func:`requests_to_parquet` writes the same canonical columns (with the same
mapping, the same reading rules from :func:`~govlab.datasets.reading.sniff`
and the same date formats) straight to a Parquet file with one DuckDB query,
in a few seconds and a bounded amount of memory, reporting its progress.

The checks are those of :func:`~govlab.datasets.canonical.to_canonical`: an
empty id, an opening date that is empty or not a date, a closing date that is
not a date or before the opening. The query only counts them; when one is
found, the file is read again in chunks with the pandas loader, which names the
first bad row with the message it always gives.
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from govlab.datasets.canonical import PLACEHOLDER_DATES, REQUEST_COLUMNS, check_mapping
from govlab.datasets.reading import Detected, PathLike, ReadOptions, existing_file, sniff
from govlab.datasets.values import date_style, guess_format, order_of
from govlab.errors import InvalidInput, located

#: Files at least this large go through DuckDB (CSV bytes; Parquet rows / 10).
BULK_BYTES = 48 << 20

Progress = Callable[[float, str], None]

_TEXT = ("category", "agency", "status", "channel", "district")
_DUCKDB_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "latin-1": "latin-1"}
_NYC = {
    "id": "Unique Key",
    "opened": "Created Date",
    "closed": "Closed Date",
    "category": "Complaint Type",
    "agency": "Agency",
    "status": "Status",
    "channel": "Open Data Channel Type",
    "district": "Community Board",
}
_NYC_MISSING = ("Unspecified", "0 Unspecified", "N/A")
_SAMPLE_ROWS = 20_000
_TWO_NUMBERS = r"^\s*\d{1,2}[/-]\d{1,2}[/-]"
# DuckDB's own settings for one conversion: a bounded memory, no bar printed on stdout
# (govlab draws its own from query_progress), rows written as they come.
_SETTINGS = (
    "SET memory_limit = '1GB'",
    "SET preserve_insertion_order = false",
    "SET enable_progress_bar = true",
    "SET enable_progress_bar_print = false",
)


def is_bulk(path: PathLike) -> bool:
    """Whether a request log is large enough for :func:`requests_to_parquet`."""
    p = Path(path)
    if p.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            return bool(pq.ParquetFile(p).metadata.num_rows * 10 >= BULK_BYTES)
        except Exception:  # a damaged file: the pandas loader names the problem
            return False
    return p.suffix.lower() not in (".json",) and p.stat().st_size >= BULK_BYTES


def requests_to_parquet(
    path: PathLike,
    out: PathLike,
    mapping: Mapping[str, str] | None = None,
    *,
    given: ReadOptions | None = None,
    progress: Progress | None = None,
    columns: tuple[str, ...] = tuple(REQUEST_COLUMNS),
) -> Detected:
    """Write a CSV or Parquet request log as canonical Parquet at ``out``.

    Parameters
    ----------
    path
        The log: canonical column names, an NYC 311 export, or any layout with ``mapping``.
    out
        The Parquet file to write.
    mapping
        Canonical field -> the file's column (None: canonical names or NYC 311).
    given
        What the person said about the file (encoding, separator, date order ...).
    progress
        Called with ``(fraction done, what is happening)`` while DuckDB reads.
    columns
        The canonical columns to write (``id``, ``opened`` and ``closed`` always are).

    Returns
    -------
    Detected
        How the file was read (with the date style found).

    Raises
    ------
    InvalidInput
        As :func:`govlab.datasets.load_requests` would, naming the row.
    """
    import duckdb

    p = existing_file(path)
    given = given or ReadOptions()
    how = sniff(p, given)
    fields, missing = _fields(how, mapping, p)
    con = duckdb.connect()
    try:
        for setting in _SETTINGS:
            con.execute(setting)
        source = _source(con, p, how, out, progress)
        dates = _date_formats(con, source, fields, given, how)
        sql = _select(source, fields, dates, missing, columns)
        _run(con, f"COPY ({sql}) TO '{_quoted(out)}' (FORMAT parquet)", progress)
        bad = con.execute(f"SELECT count_if(_check > 0) FROM read_parquet('{_quoted(out)}')")
        problems = int(bad.fetchone()[0])  # type: ignore[index]
    finally:
        con.close()
    if problems:
        _locate(p, mapping, given)
        raise InvalidInput(located("some requests cannot be read", file=p))  # pragma: no cover
    style = next((s for s in dates.values() if s), "")
    return replace(how, date_style=date_style(style) if style else "")


def _fields(
    how: Detected, mapping: Mapping[str, str] | None, p: Path
) -> tuple[dict[str, str], tuple[str, ...]]:
    columns = set(how.columns)
    if mapping:
        check_mapping(mapping)
        fields = dict(mapping)
        for field in REQUEST_COLUMNS:
            if field not in fields and field in columns:
                fields[field] = field
        missing: tuple[str, ...] = ()
    elif {"Unique Key", "Created Date"} <= columns:
        fields = {k: v for k, v in _NYC.items() if v in columns}
        missing = _NYC_MISSING
    else:
        fields = {c: c for c in REQUEST_COLUMNS if c in columns}
        missing = ()
    for field in ("id", "opened"):
        if field not in fields:
            raise InvalidInput(located(f"no column given for the required field {field!r}", file=p))
    for field, column in fields.items():
        if column not in columns:
            raise InvalidInput(
                located(f"column {column!r} (mapped to {field!r}) not found", file=p)
            )
    return fields, missing


def _quoted(path: object) -> str:
    return str(path).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _source(con: Any, p: Path, how: Detected, out: PathLike, progress: Progress | None) -> str:
    """A relation over the file, every column as text (CSV) or as stored (Parquet)."""
    if how.kind == "parquet":
        return f"read_parquet('{_quoted(p)}')"
    encoding = _DUCKDB_ENCODINGS.get(how.encoding)
    csv_path = p
    if encoding is None:  # DuckDB reads UTF-8 and Latin-1 only: transcode the rest once
        csv_path = Path(str(out) + ".utf8.csv")
        _transcode(p, how.encoding, csv_path, progress)
        encoding = "utf-8"
    sep = how.sep.replace("'", "''")
    return (
        f"read_csv('{_quoted(csv_path)}', header=true, skip={how.header_line - 1}, "
        f"delim='{sep}', quote='\"', escape='\"', all_varchar=true, encoding='{encoding}', "
        "null_padding=false, strict_mode=true)"
    )


def _transcode(p: Path, encoding: str, target: Path, progress: Progress | None) -> None:
    size = max(p.stat().st_size, 1)
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0
    with p.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 22):
            dst.write(decoder.decode(chunk))
            done += len(chunk)
            if progress:
                progress(0.3 * done / size, f"converting {encoding} to UTF-8")
        dst.write(decoder.decode(b"", final=True))


def _date_formats(
    con: Any, source: str, fields: Mapping[str, str], given: ReadOptions, how: Detected
) -> dict[str, str]:
    """Field -> strptime format (``ISO8601``, or "" for a column already of timestamps)."""
    p = Path(how.file)
    columns = [f for f in ("opened", "closed") if f in fields]
    sample = _sample(how, [fields[f] for f in columns])
    out: dict[str, str] = {}
    texts = []
    for field in columns:
        values = sample[fields[field]]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[field] = ""
        else:
            texts.append((field, values.dropna().astype("str").str.strip()))
    dayfirst = given.dayfirst
    ordered = [f for f, v in texts if v.str.match(_TWO_NUMBERS).any()]
    if ordered and given.date_format is None and dayfirst is None:
        dayfirst = _order(con, source, fields, ordered, p)
    for field, values in texts:
        values = values[values != ""]
        if given.date_format:
            out[field] = given.date_format
        elif values.empty:
            out[field] = "ISO8601"
        else:
            out[field] = guess_format(values, dayfirst, file=p, field=fields[field])
    return out


def _sample(how: Detected, columns: list[str]) -> pd.DataFrame:
    """The first rows of the date columns, as pandas reads them."""
    if how.kind == "parquet":
        import pyarrow.parquet as pq

        batch = next(pq.ParquetFile(how.file).iter_batches(_SAMPLE_ROWS, columns=columns))
        frame: pd.DataFrame = batch.to_pandas()
        return frame
    return pd.read_csv(
        how.file, sep=how.sep, encoding=how.encoding, skiprows=how.header_line - 1,
        usecols=columns, dtype=str, keep_default_na=False, na_values=[""], nrows=_SAMPLE_ROWS,
    )  # fmt: skip


def _order(
    con: Any, source: str, fields: Mapping[str, str], names: list[str], p: Path
) -> bool | None:
    """The date order over the whole file, by the rule of :func:`~govlab.datasets.values.order_of`.

    Only the largest first and second numbers of dates written ``NN/NN/...`` (or
    with dashes) whose two numbers differ matter, so DuckDB finds them in one pass.
    """
    pattern = "^\\s*(\\d{1,2})[/-](\\d{1,2})[/-]"
    parts = []
    for field in names:
        c = _ident(fields[field])
        a = f"TRY_CAST(regexp_extract({c}, '{pattern}', 1) AS INTEGER)"
        b = f"TRY_CAST(regexp_extract({c}, '{pattern}', 2) AS INTEGER)"
        parts.append(f"SELECT {a} AS a, {b} AS b FROM {source}")
    union = " UNION ALL ".join(parts)
    sql = f"SELECT max(a), max(b), any_value(a), any_value(b) FROM ({union}) WHERE a <> b"
    row = con.execute(sql).fetchone()
    if row is None or row[0] is None:
        return None
    first, second, one, other = (int(v) for v in row)
    example = pd.Series([f"{one:02d}/{other:02d}/..."])
    if first > 12 and second > 12:  # both ways in one file: name the value that does not fit
        return True
    largest = pd.Series([f"{first:02d}/01/2000", f"01/{second:02d}/2000"])
    if first <= 12 and second <= 12:
        return order_of([example], file=p, field=fields[names[0]])
    return order_of([largest], file=p, field=fields[names[0]])


def _parse(column: str, fmt: str) -> str:
    c = _ident(column)
    if fmt == "":
        return f"CAST({c} AS TIMESTAMP)"
    text = f"NULLIF(regexp_replace(trim({c}), '(Z|[+-]\\d{{2}}:?\\d{{2}})$', ''), '')"
    if fmt == "ISO8601":
        return f"TRY_CAST({text} AS TIMESTAMP)"
    return f"try_strptime({text}, '{fmt}')"


def _select(
    source: str,
    fields: Mapping[str, str],
    dates: Mapping[str, str],
    missing: tuple[str, ...],
    wanted: tuple[str, ...] = tuple(REQUEST_COLUMNS),
) -> str:
    """The canonical columns and a ``_check`` code: 0 fine, 1 empty id, 2-5 a bad value."""
    blank = ", ".join(f"'{m}'" for m in ("", *missing))
    selected = [f"NULLIF(trim(CAST({_ident(fields['id'])} AS VARCHAR)), '') AS id"]
    for field in ("opened", "closed"):  # inner names: DuckDB lets a select use its own aliases
        if field in fields:
            selected.append(f"{_parse(fields[field], dates[field])} AS _{field}")
        else:
            selected.append(f"NULL::TIMESTAMP AS _{field}")
    for field in (f for f in _TEXT if f in wanted):
        if field in fields:
            text = f"trim(CAST({_ident(fields[field])} AS VARCHAR))"
            selected.append(f"CASE WHEN {text} IN ({blank}) THEN NULL ELSE {text} END AS {field}")
        else:
            selected.append(f"NULL::VARCHAR AS {field}")
    raw = "NULL::VARCHAR"
    if "closed" in fields:
        raw = f"NULLIF(trim(CAST({_ident(fields['closed'])} AS VARCHAR)), '')"
    selected.append(f"{raw} AS _raw_closed")
    placeholders = ", ".join(f"TIMESTAMP '{d}'" for d in PLACEHOLDER_DATES)
    keep = [c for c in REQUEST_COLUMNS if c in ("id", "opened", "closed") or c in wanted]
    shown = {
        "opened": "_opened AS opened",
        "closed": f"CASE WHEN _closed IN ({placeholders}) THEN NULL ELSE _closed END AS closed",
    }
    columns = [shown.get(c, c) for c in keep]
    check = (
        "CASE WHEN id IS NULL THEN 1 WHEN _opened IS NULL THEN 2 "
        "WHEN _closed IS NULL AND _raw_closed IS NOT NULL THEN 4 "
        f"WHEN _closed < _opened AND _closed NOT IN ({placeholders}) THEN 5 ELSE 0 END AS _check"
    )
    return f"SELECT {', '.join(columns)}, {check} FROM (SELECT {', '.join(selected)} FROM {source})"


def _run(con: Any, sql: str, progress: Progress | None) -> None:
    """Run ``sql``, reporting DuckDB's own progress every 0.2 s."""
    if progress is None:
        con.execute(sql)
        return
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.2):
            share = con.query_progress()
            if share >= 0:
                progress(0.3 + 0.7 * share / 100, "reading the log")

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        con.execute(sql)
    finally:
        done.set()
        watcher.join()
    progress(1.0, "reading the log")


def _locate(p: Path, mapping: Mapping[str, str] | None, given: ReadOptions) -> None:
    """Read the file again with the pandas loader, chunk by chunk, to name the first bad row."""
    from govlab.datasets.canonical import to_canonical
    from govlab.datasets.reading import read_table

    if p.suffix.lower() in (".parquet", ".pq"):
        frame = read_table(p, given)
        if mapping:
            to_canonical(frame, mapping, file=p, dayfirst=given.dayfirst)
        else:
            to_canonical(frame, {c: c for c in REQUEST_COLUMNS if c in frame.columns}, file=p)
        return
    how = sniff(p, given)
    with pd.read_csv(
        p, sep=how.sep, encoding=how.encoding, skiprows=how.header_line - 1, dtype=str,
        keep_default_na=False, na_values=[""], chunksize=500_000,
    ) as reader:  # fmt: skip
        for chunk in reader:
            _check_chunk(chunk, p, how, mapping, given)


def _check_chunk(
    chunk: pd.DataFrame,
    p: Path,
    how: Detected,
    mapping: Mapping[str, str] | None,
    given: ReadOptions,
) -> None:
    """Map one chunk as the pandas loader would (it raises on the first bad row)."""
    from govlab.datasets.canonical import to_canonical
    from govlab.datasets.nyc311 import nyc311_from_frame

    chunk.columns = [str(c).strip() for c in chunk.columns]
    offset = how.header_line + 1 + int(chunk.index[0])
    if mapping:
        to_canonical(chunk, mapping, file=p, row_offset=offset, dayfirst=given.dayfirst)
    elif "Unique Key" in chunk.columns:
        nyc311_from_frame(chunk, file=p, row_offset=offset)
    else:
        identity = {c: c for c in REQUEST_COLUMNS if c in chunk.columns}
        to_canonical(chunk, identity, file=p, row_offset=offset, dayfirst=given.dayfirst)
