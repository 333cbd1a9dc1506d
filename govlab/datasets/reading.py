"""Reading a city's file as it was published: one path for every loader and for ``govlab run``.

:func:`read_table` reads a CSV (or Parquet) file into text columns, after working
out what a person would otherwise have to say:

* the **encoding**: a byte-order mark, else UTF-8 if every byte reads as UTF-8,
  else Windows-1252 when it has the bytes only Windows-1252 gives a meaning
  (curly quotes, the euro sign), else Latin-1;
* the **separator** (``,`` ``;`` tab or ``|``) and the **header row**: the first
  line whose number of fields the following lines share (title lines above a
  table are skipped);
* the **decimal mark**: a comma when a ``;``- or tab-separated file writes its
  numbers ``1.234,5``.

The date order is worked out when a date column is read
(:func:`govlab.datasets.values.parse_dates`). Whatever was given is used as
given (:class:`ReadOptions`, or the keyword arguments of every loader:
``encoding``, ``sep``, ``decimal``, ``dayfirst``). What was found travels with the
frame (:func:`reading_of`) and reads as one line (:meth:`Detected.sentence`).

Row numbers in messages are the file's own line numbers, so the header of a
plain CSV file is row 1 and its first data row row 2 (:func:`rows_of`).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

import govlab.datasets.words as words
from govlab.errors import InvalidInput, located

PathLike = str | Path

#: A file's line of each record: the line of the first record (plain files), or a function.
Rows = int | Callable[[int], int]

_CHUNK = 1 << 20
_SNIFF_BYTES = 1 << 16
_SEPARATORS = (",", ";", "\t", "|")
_C1 = re.compile(rb"[\x80-\x9f]")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_NUMBER_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


@dataclass(frozen=True)
class ReadOptions:
    """What the person said about a file; ``None`` means "work it out".

    Attributes
    ----------
    encoding
        Text encoding (``"utf-8"``, ``"latin-1"``, ``"cp1252"`` ...).
    sep
        Column separator (``","``, ``";"``, a tab, ``"|"``).
    decimal
        Decimal mark of numbers (``"."`` or ``","``).
    dayfirst
        ``True`` for 03/04 = 3 April, ``False`` for March 4; None: from the dates.
    date_format
        A strptime format for the dates (overrides ``dayfirst``).
    """

    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    dayfirst: bool | None = None
    date_format: str | None = None

    def __post_init__(self) -> None:
        if self.decimal not in (None, ".", ","):
            raise InvalidInput(f"the decimal mark must be '.' or ',', not {self.decimal!r}")
        if self.sep is not None and len(self.sep) != 1:
            shown = self.sep.encode("unicode_escape").decode()
            raise InvalidInput(f"the separator must be one character, not {shown!r}")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise InvalidInput(f"unknown encoding {self.encoding!r}") from None


@dataclass(frozen=True)
class Detected:
    """How a file was read: what was found, and what was given (``given``)."""

    file: str
    kind: str  # "csv", "parquet" or "json"
    encoding: str = "utf-8"
    sep: str = ","
    decimal: str = "."
    header_line: int = 1
    dayfirst: bool | None = None
    date_style: str = ""  # "ISO", "day-first", "month-first" ... once dates were read
    columns: tuple[str, ...] = ()
    given: tuple[str, ...] = field(default=())

    def sentence(self) -> str:
        """One line: ``read as Latin-1, ';'-separated, decimal comma, day-first dates``."""
        if self.kind != "csv":
            parts = [f"read as {self.kind.capitalize()}"]
        else:
            sep = "tab" if self.sep == "\t" else repr(self.sep)
            parts = [f"read as {_ENCODING_NAMES.get(self.encoding, self.encoding)}",
                     f"{sep}-separated"]  # fmt: skip
            if self.decimal == ",":
                parts.append("decimal comma")
            if self.header_line > 1:
                parts.append(f"header on line {self.header_line}")
        if self.date_style:
            parts.append(f"{self.date_style} dates")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for a report and for ``--json``."""
        out = asdict(self)
        out["columns"] = list(self.columns)
        out["given"] = list(self.given)
        out["sentence"] = self.sentence()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Detected:
        """The record :meth:`to_dict` wrote."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["columns"] = tuple(known.get("columns", ()))
        known["given"] = tuple(known.get("given", ()))
        return cls(**known)


def existing_file(path: PathLike) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, or raise if there is no such file."""
    p = Path(path).expanduser()
    if not p.exists():
        raise InvalidInput(located("no such file", file=p))
    if p.is_dir():
        raise InvalidInput(located("is a folder; expected a file", file=p))
    return p


def options(
    *,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
) -> ReadOptions:
    """The :class:`ReadOptions` of a loader's keyword arguments (checked)."""
    return ReadOptions(encoding, sep, decimal, dayfirst, date_format)


def detect_encoding(path: Path) -> str:
    """The file's encoding: BOM, else UTF-8, else Windows-1252 or Latin-1 (see the module)."""
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    c1 = undefined = False
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            c1 = c1 or _C1.search(chunk) is not None
            undefined = undefined or _CP1252_UNDEFINED.search(chunk) is not None
    return "cp1252" if c1 and not undefined else "latin-1"


def sniff(path: PathLike, given: ReadOptions | None = None) -> Detected:
    """Work out how to read a file without reading all of it (the encoding scan excepted).

    Raises
    ------
    InvalidInput
        No such file, or an empty file.
    """
    p = existing_file(path)
    given = given or ReadOptions()
    said = tuple(
        k for k in ("encoding", "sep", "decimal", "dayfirst") if getattr(given, k) is not None
    )
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return Detected(str(p), "parquet", columns=_parquet_columns(p), given=said)
    if suffix == ".json":
        return Detected(str(p), "json", given=said)
    encoding = given.encoding or detect_encoding(p)
    head = _head_text(p, encoding)
    if not head.strip():
        raise InvalidInput(located("the file is empty; expected a header row", file=p))
    sep, header_line, columns = _layout(head, given.sep)
    return Detected(
        str(p), "csv", encoding=encoding, sep=sep, decimal=given.decimal or ".",
        header_line=header_line, dayfirst=given.dayfirst, columns=tuple(columns), given=said,
    )  # fmt: skip


def _head_text(p: Path, encoding: str) -> str:
    with p.open("rb") as handle:
        raw = handle.read(_SNIFF_BYTES)
    text = raw.decode(encoding, errors="replace")
    if len(raw) == _SNIFF_BYTES and "\n" in text:
        text = text[: text.rfind("\n")]  # no half line at the end
    return text.lstrip("\ufeff")


def _layout(head: str, sep: str | None) -> tuple[str, int, list[str]]:
    """Separator, header line and column names from the first lines of a file."""
    best: tuple[int, int, str, int, list[str]] | None = None  # (fields, -line, sep, line, names)
    for candidate in (sep,) if sep else _SEPARATORS:
        found = _header(head, candidate)
        if found is None:
            continue
        line, names = found
        key = (len(names), -line, candidate, line, names)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:  # one column, or no consistent layout: read it as plain comma CSV
        line, names = _first_record(head, sep or ",")
        return sep or ",", line, names
    return best[2], best[3], best[4]


def _header(head: str, sep: str) -> tuple[int, list[str]] | None:
    """The header (line number, names): the first record whose field count the rest share."""
    records = _records(head, sep, limit=40)
    for i, (line, fields) in enumerate(records[:10]):
        rest = [len(f) for _, f in records[i + 1 : i + 21]]
        if len(fields) < 2 or not rest:
            continue
        if sum(n == len(fields) for n in rest) >= 0.8 * len(rest):
            return line, [c.strip() for c in fields]
    return None


def _records(text: str, sep: str, limit: int) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    out: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for fields in reader:
            start, end = end + 1, reader.line_num
            if any(f.strip() for f in fields):
                out.append((start, fields))
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _first_record(head: str, sep: str) -> tuple[int, list[str]]:
    records = _records(head, sep, limit=1)
    return records[0] if records else (1, [])


def _parquet_columns(p: Path) -> tuple[str, ...]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return tuple(str(c) for c in pq.read_schema(p).names)
    except (pa.ArrowException, OSError) as exc:
        raise InvalidInput(located(f"cannot read as Parquet: {exc}", file=p)) from None


def read_table(path: PathLike, given: ReadOptions | None = None) -> pd.DataFrame:
    """Read a CSV file as text columns (blank cells are missing), or a Parquet file as it is.

    The frame's :func:`reading_of` says how it was read and :func:`rows_of` gives
    each record's line in the file.

    Raises
    ------
    InvalidInput
        No such file, an empty file, a header without data rows, a malformed row,
        or bytes the given encoding cannot read (naming the line).
    """
    how = sniff(path, given)
    p = Path(how.file)
    if how.kind == "parquet":
        frame = read_parquet(p)
        frame.attrs["reading"] = how.to_dict()
        return frame
    if how.kind == "json":
        raise InvalidInput(located("expected a CSV or Parquet table, not JSON", file=p))
    frame = _read_csv(p, how)
    if given is None or given.decimal is None:
        how = replace(how, decimal=detect_decimal(frame, how.sep))
    frame.attrs["reading"] = how.to_dict()
    frame.attrs["lines"] = _line_plan(p, how, len(frame))
    return frame


def _read_csv(p: Path, how: Detected) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            p,
            sep=how.sep,
            encoding=how.encoding,
            skiprows=how.header_line - 1,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=False,
        )
    except pd.errors.ParserError as exc:
        raise InvalidInput(
            located(f"the file is not a well-formed CSV table: {exc}", file=p)
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(_undecodable(p, how.encoding)) from None
    except pd.errors.EmptyDataError:
        raise InvalidInput(located("the file is empty; expected a header row", file=p)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InvalidInput(located("the file has a header but no data rows", file=p))
    return frame


def _undecodable(p: Path, encoding: str) -> str:
    """Name the line of the first byte ``encoding`` cannot read, and what would read it."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines_before, line, bad = 0, None, b""
    with p.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = lines_before + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                bad = chunk[exc.start : exc.start + 1]
                break
            lines_before += chunk.count(b"\n")
    other = detect_encoding(p)
    hint = (
        f"it reads as {_ENCODING_NAMES.get(other, other)}: give {words.option('encoding', other)}"
        " or leave the encoding out to have it detected"
    )
    shown = f" (byte 0x{bad.hex()})" if bad else ""
    return located(f"cannot read the file as {encoding}{shown}; {hint}", file=p, row=line)


def detect_decimal(frame: pd.DataFrame, sep: str) -> str:
    """``","`` when a ``;``/tab file writes numbers like ``1.234,5``; else ``"."``."""
    if sep == ",":
        return "."
    for column in frame.columns:
        values = frame[column].dropna().astype("str").str.strip().iloc[:500]
        values = values[values != ""]
        if values.empty:
            continue
        if values.str.match(_DECIMAL_COMMA).any() and values.str.match(_NUMBER_COMMA).all():
            return ","
    return "."


def _line_plan(p: Path, how: Detected, records: int) -> dict[str, Any]:
    """How to find a record's line: ``first_line + position`` unless blank or multi-line rows."""
    newlines = 0
    last = b"\n"
    with p.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    lines = newlines + (0 if last == b"\n" else 1)
    regular = lines - how.header_line == records
    return {"file": how.file, "first": how.header_line + 1, "regular": regular}


def with_date_style(reading: dict[str, Any], style: str) -> dict[str, Any]:
    """A :meth:`Detected.to_dict` record with the date style found when the dates were read."""
    return Detected.from_dict({**reading, "date_style": style}).to_dict()


def reading_of(frame: pd.DataFrame) -> Detected | None:
    """How ``frame`` was read by :func:`read_table` (None for a frame made otherwise)."""
    data = frame.attrs.get("reading")
    return Detected.from_dict(data) if isinstance(data, dict) else None


def rows_of(frame: pd.DataFrame, default: int = 2) -> Rows:
    """The file line of each of ``frame``'s records, for messages (see :data:`Rows`).

    A plain file gives ``first_line`` (record ``i`` is on line ``first_line + i``); a
    file with blank lines or values spanning lines gives a function that counts
    the lines (only called for a message). A frame not read from a file: ``default``.
    """
    plan = frame.attrs.get("lines")
    if not isinstance(plan, dict):
        return default
    if plan.get("regular", True):
        return int(plan["first"])
    how = reading_of(frame)
    if how is None:
        return int(plan["first"])
    return _LineCounter(how)


class _LineCounter:
    """Record position -> the line it starts on, counted with the csv module once."""

    def __init__(self, how: Detected) -> None:
        self.how = how
        self.starts: list[int] | None = None

    def __call__(self, position: int) -> int:
        if self.starts is None:
            self.starts = _record_lines(self.how)
        if 0 <= position < len(self.starts):
            return self.starts[position]
        return self.how.header_line + 1 + position

    def __deepcopy__(self, memo: dict[int, Any]) -> _LineCounter:
        return self


def _record_lines(how: Detected) -> list[int]:
    starts: list[int] = []
    with open(how.file, encoding=how.encoding, newline="", errors="replace") as handle:
        reader = csv.reader(handle, delimiter=how.sep)
        end = 0
        for fields in reader:
            start, end = end + 1, reader.line_num
            if start > how.header_line and any(f != "" for f in fields):
                starts.append(start)
    return starts


def read_csv_text(
    path: PathLike,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """Read a CSV file as text columns: :func:`read_table` with these options."""
    return read_table(path, ReadOptions(encoding=encoding, sep=sep, decimal=decimal))


def read_parquet(p: Path) -> pd.DataFrame:
    """A Parquet file as a frame (``attrs["synthetic"]`` when govlab generated it)."""
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
    frame.attrs["lines"] = {"file": str(p), "first": 1, "regular": True}
    return frame


def read_json(path: PathLike, *, encoding: str | None = None) -> Any:
    """Parse a JSON file, with the line and column of a syntax error."""
    p = existing_file(path)
    text = p.read_text(encoding=encoding or detect_encoding(p))
    if not text.strip():
        raise InvalidInput(located("the file is empty; expected JSON", file=p))
    try:
        return json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            located(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=p)
        ) from None


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, file: object, what: str = ""
) -> None:
    """Raise naming the first missing column and listing the columns found."""
    found = list(frame.columns)
    for column in columns:
        if column not in frame.columns:
            purpose = f" ({what})" if what else ""
            raise InvalidInput(
                located(
                    f"column {column!r}{purpose} not found; columns found: {listing(found)}",
                    file=file,
                )
            )


def listing(columns: Sequence[object], limit: int = 60) -> str:
    """``'a', 'b' and 3 more``: column names for a message."""
    shown = ", ".join(repr(str(c)) for c in columns[:limit])
    more = len(columns) - limit
    return shown + (f" and {more} more" if more > 0 else "") if columns else "(none)"
