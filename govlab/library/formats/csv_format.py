r"""The CSV format: one row per practice, one column per field, in the model's order.

A spreadsheet user can read and edit it:

- list fields (topics, technologies, tools, stakeholders, related) are joined with
  ``"; "``; a ``;`` inside an item is written ``\;`` and a backslash ``\\``;
- costs, outcomes and sources hold JSON text (a list of objects); a sources cell may
  also be plain URLs joined with ``"; "``;
- datetimes are ISO 8601; an empty cell means "not given" (None or the default);
- a cell that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
  ``@``, tab or carriage return), or that starts with ``'`` itself, is written with a
  leading ``'``, as spreadsheets do; the reader removes that ``'`` only where the
  writer added it (before one of those characters), so a hand-made cell such as
  ``'Tis the season`` keeps its apostrophe and every cell survives a round trip;
- headers are matched case-insensitively, with spaces read as underscores;
- the file is UTF-8 with a byte-order mark, so that Excel shows accents correctly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govlab.errors import InvalidInput
from govlab.library.formats.reading import FIELD_MAX, Problems, duplicates, place, read_bytes
from govlab.models import Practice, practice_from

COLUMNS: tuple[str, ...] = tuple(Practice.model_fields)
LIST_COLUMNS = ("topics", "technologies", "tools", "stakeholders", "related")
JSON_COLUMNS = ("costs", "outcomes", "sources")
REQUIRED = ("id", "title")
# optional text: a cell of only whitespace goes to the model, whose stripping decides
TEXT_COLUMNS = frozenset(
    name
    for name, info in Practice.model_fields.items()
    if info.annotation is str and info.default == ""
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def join_list(items: Iterable[str]) -> str:
    r"""Join list items with ``"; "``, escaping ``\`` and ``;`` inside items."""
    return "; ".join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


def split_list(cell: str) -> list[str]:
    """Split a cell written by :func:`join_list` (or typed by hand) into its items."""
    items, current, chars = [], [], iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _cell(value: Any) -> str:
    """One JSON-mode field value as CSV cell text."""
    if value is None:
        text = ""
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list):
        text = join_list(value)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def unescape(cell: str) -> str:
    """A cell as it was before :func:`_cell` protected it from spreadsheets."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def to_row(practice: Practice) -> list[str]:
    """The CSV cells of one practice, in :data:`COLUMNS` order."""
    data = practice.model_dump(mode="json")
    return [_cell(data[column]) for column in COLUMNS]


def write_csv(practices: Iterable[Practice], path: Path) -> int:
    """Write practices to a CSV file; returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for practice in practices:
            writer.writerow(to_row(practice))
            count += 1
    return count


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """Raise the csv module's (process-wide) field size limit while reading one file."""
    old = csv.field_size_limit(max(limit, csv.field_size_limit()))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def records(text: str, path: Path) -> list[list[str]]:
    """Every CSV record (header first); a malformed file is an :class:`InvalidInput`.

    Record ``i`` (0-based) is spreadsheet row ``i + 1``. The csv module's field limit
    is raised to the file's size, so that an over-long cell can be reported by its
    row and column (see :func:`long_cells`) instead of as a bare ``csv.Error``.
    """
    rows: list[list[str]] = []
    with _field_limit(len(text) + 1):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text), strict=True)
        try:
            for row in reader:
                rows.append(row)
        except csv.Error as error:
            hint = ""
            if "end of data" in str(error):
                hint = ': a quote (") opened in this row is never closed'
            raise InvalidInput(
                f"{path}, row {len(rows) + 1}: not valid CSV ({error}){hint}"
            ) from None
    return rows


def delimiter(text: str) -> str:
    """``,`` unless the header line has none and has ``;`` or a tab instead.

    Spreadsheets in many European locales save "CSV" with ``;`` between columns.
    """
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    return next((char for char in (";", "\t") if char in header), ",")


def read_text(path: Path) -> str:
    """The text of a CSV file; if it is not UTF-8, say in which row and column."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
        if not text.strip():
            raise InvalidInput(f"{path}: the file is empty")
        return text
    except UnicodeDecodeError as error:
        row, column = _locate(data[: error.start].decode("utf-8-sig"))
        message = (
            f"not UTF-8: byte {error.start} (0x{data[error.start]:02x}) cannot be decoded. "
            "Save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8') and try again."
        )
        raise InvalidInput(
            place(message, file=str(path), where=f"row {row}", field=column)
        ) from None


def _locate(prefix: str) -> tuple[int, str | None]:
    """The spreadsheet row and column name at the end of ``prefix`` (a file cut short)."""
    try:
        with _field_limit(len(prefix) + 1):
            reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter(prefix))
            rows = list(reader)
    except csv.Error:  # cut inside a quoted cell: count lines instead
        return prefix.count("\n") + 1, None
    if not rows or prefix.endswith(("\n", "\r")):
        return len(rows) + 1, None
    header = [name.strip().lower().replace(" ", "_") for name in rows[0]]
    index = len(rows[-1]) - 1
    name = header[index] if len(rows) > 1 and index < len(header) else None
    return len(rows), name


def long_cells(problems: Problems, number: int, header: list[str], cells: list[str]) -> bool:
    """Report each cell longer than :data:`FIELD_MAX`; True if there was one."""
    found = False
    for name, cell in zip(header, cells, strict=False):
        if len(cell) > FIELD_MAX:
            problems.add(
                f"field longer than {FIELD_MAX:,} characters (it has {len(cell):,})",
                where=f"row {number}",
                field=name or None,
            )
            found = True
    return found


def header_names(raw: list[str], path: Path) -> list[str]:
    """Normalise and check the header row; wrong columns reject the file at once."""
    header = [name.strip().lower().replace(" ", "_") for name in raw]
    problems = Problems(path)
    unknown = [raw[i] for i, name in enumerate(header) if name and name not in COLUMNS]
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        problems.add(
            f"unknown column(s) {names}; the columns are: {', '.join(COLUMNS)}", where="row 1"
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        problems.add(f"missing required column(s) {names}", where="row 1")
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        names = ", ".join(repr(name) for name in repeated)
        problems.add(f"column(s) {names} appear more than once", where="row 1")
    problems.check()
    return header


def _value(column: str, cell: str) -> Any:
    """A cell's text as the value the model validates (raises ValueError on bad JSON)."""
    if column in LIST_COLUMNS:
        return split_list(cell)
    if column in JSON_COLUMNS:
        if column == "sources" and not cell.lstrip().startswith("["):
            return [{"url": url} for url in split_list(cell)]
        try:
            return json.loads(cell)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"not valid JSON ({error.msg} at character {error.pos}); "
                'write a JSON list such as [{"indicator": "...", "value": 1}]'
            ) from None
    return cell


def row_data(
    problems: Problems, number: int, header: list[str], cells: list[str]
) -> dict[str, Any] | None:
    """The field values of one row, or None if a cell could not be read."""
    where = f"row {number}"
    if len(cells) != len(header):
        problems.add(
            f"has {len(cells)} cells but the header has {len(header)} columns", where=where
        )
        return None
    data: dict[str, Any] = {}
    ok = True
    for column, cell in zip(header, cells, strict=True):
        cell = unescape(cell)
        if not cell or (column not in TEXT_COLUMNS and not cell.strip()):
            continue  # empty: the field's default (text goes to the model, which strips it)
        if not column:
            problems.add(f"a value in a column with no name: {cell[:40]!r}", where=where)
            ok = False
            continue
        try:
            data[column] = _value(column, cell)
        except ValueError as error:
            problems.add(str(error), where=where, field=column)
            ok = False
    return data if ok else None


def read_csv(path: Path) -> list[Practice]:
    """Read every practice in a CSV file, or reject the file with all its problems."""
    rows = records(read_text(path), path)
    header = header_names(rows[0], path)
    problems = Problems(path)
    practices: list[tuple[int, Practice]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not cells or long_cells(problems, number, header, cells):
            continue  # a blank line, or a cell already reported
        data = row_data(problems, number, header, cells)
        if data is None:
            continue
        try:
            practices.append((number, practice_from(data)))
        except ValidationError as error:
            problems.add_validation(error, where=f"row {number}")
    seen = ((practice.id, str(number)) for number, practice in practices)
    for practice_id, first, later in duplicates(seen):
        problems.add(f"both have id {practice_id!r}", where=f"rows {first} and {later}", field="id")
    problems.check()
    return [practice for _, practice in practices]
