"""Checks every import format shares: reading the file, collecting problems, naming places.

An import is all-or-nothing, so a reader collects every problem it finds (up to
:data:`MAX_PROBLEMS`) and raises them together in one :class:`~govlab.errors.InvalidInput`,
each line naming the file, the row (or item) and the column (or field).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govlab.errors import InvalidInput
from govlab.models import Practice

MAX_PROBLEMS = 10
FIELD_MAX = (
    1_000_000  # characters in one CSV cell or JSON string; prose is capped lower by the model
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class ImportBatch:
    """The practices read from one file, ready to be saved in one transaction.

    Attributes
    ----------
    practices
        The valid practices, in file order.
    skipped
        ``(row, reason)`` for each row left out. Only ``jrc-ips`` skips rows; the
        project's own formats reject the whole file instead.
    source
        The file read, as given.
    warnings
        ``(row, note)`` for data dropped from a row that was kept (e.g. a source
        that is not an http(s) URL, a country name not recognised).
    """

    practices: list[Practice]
    skipped: list[tuple[int, str]]
    source: str
    warnings: list[tuple[int, str]] = field(default_factory=list)


class Problems:
    """Problems found in one file, raised together once reading is done."""

    def __init__(self, file: object) -> None:
        self.file = str(file)
        self.lines: list[str] = []
        self.count = 0

    def add(self, message: str, *, where: str = "", field: str | None = None) -> None:
        """Record one problem at ``where`` (e.g. ``row 3`` or ``item 2``) in ``field``."""
        self.count += 1
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(place(message, file=self.file, where=where, field=field))

    def add_validation(
        self, error: ValidationError, *, where: str, rename: Callable[[str], str] = str
    ) -> None:
        """Record each pydantic error, naming its top-level field (through ``rename``)."""
        for problem in error.errors():
            loc = [str(part) for part in problem["loc"]]
            message = problem["msg"].removeprefix("Value error, ")
            value = problem.get("input")
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "...'"
                if problem["type"] != "string_too_long" and shown not in message:
                    message += f" (got {shown})"
            inner = _inner(loc[1:])
            self.add(f"{inner}{message}", where=where, field=rename(loc[0]) if loc else None)

    def check(self) -> None:
        """Raise :class:`InvalidInput` with every problem found so far, if any."""
        if not self.count:
            return
        if self.count == 1:
            raise InvalidInput(self.lines[0])
        lines = [f"{self.file} was rejected ({self.count} problems; nothing was imported):"]
        lines += [f"  {line}" for line in self.lines]
        if self.count > len(self.lines):
            lines.append(f"  ... and {self.count - len(self.lines)} more")
        raise InvalidInput("\n".join(lines))


def _inner(loc: list[str]) -> str:
    """Say where inside a list field a problem is: ``item 2, 'value': ``."""
    if not loc:
        return ""
    parts = [f"item {int(part) + 1}" if part.isdigit() else repr(part) for part in loc]
    return "in " + ", ".join(parts) + ": "


def place(message: str, *, file: str, where: str = "", field: str | None = None) -> str:
    """Prefix ``message`` with the file, row or item, and column or field it concerns."""
    parts = [file]
    if where:
        parts.append(where)
    if field:
        kind = "field" if where.startswith(("item", "package")) else "column"
        parts.append(f"{kind} {field!r}")
    return f"{', '.join(parts)}: {message}"


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable or empty file is an :class:`InvalidInput`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror})") from None
    if not data.strip():
        raise InvalidInput(f"{path}: the file is empty")
    return data


def decode(data: bytes, path: Path) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), or say where the first bad byte is."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidInput(
            f"{path}: the file is not UTF-8: byte {error.start} (0x{data[error.start]:02x}, "
            f"line {line}) cannot be decoded. Save it as UTF-8 and try again."
        ) from None
    if not text.strip():
        raise InvalidInput(f"{path}: the file is empty")
    return text


def duplicates(ids: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """``(id, first place, later place)`` for each id seen more than once."""
    first: dict[str, str] = {}
    found = []
    for practice_id, where in ids:
        if practice_id in first:
            found.append((practice_id, first[practice_id], where))
        else:
            first[practice_id] = where
    return found


def shorten(text: str, limit: int) -> str:
    """The first sentence(s) of ``text`` within ``limit`` characters.

    Whole sentences are kept while they fit (stopping once the result is at least
    half the limit); a first sentence longer than the limit is cut on a word
    boundary and ends with an ellipsis.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    out = ""
    for sentence in _SENTENCE_END.split(text):
        joined = f"{out} {sentence}".strip()
        if len(joined) > limit:
            break
        out = joined
        if len(out) >= limit // 2:
            return out
    if out:
        return out
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


def long_string(value: Any, path: str = "") -> str | None:
    """Where the first string longer than :data:`FIELD_MAX` is (``[2].approach``), if any."""
    if isinstance(value, str):
        return path or "the value" if len(value) > FIELD_MAX else None
    items: Iterable[tuple[str, Any]] = ()
    if isinstance(value, list):
        items = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    elif isinstance(value, dict):
        items = ((f"{path}.{key}" if path else str(key), item) for key, item in value.items())
    for where, item in items:
        found = long_string(item, where)
        if found:
            return found
    return None


class _Constant(ValueError):
    """NaN or Infinity in a JSON file (not JSON, though Python's parser allows it)."""


def _no_constants(name: str) -> Any:
    raise _Constant(name)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Constant(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def load_json(path: Path) -> Any:
    """Parse a JSON file strictly: UTF-8, no NaN, no repeated keys, no giant strings."""
    text = decode(read_bytes(path), path)
    try:
        value = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{path}, line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    except _Constant as error:
        what = str(error)
        if what in ("NaN", "Infinity", "-Infinity"):
            what = f"{what} is not allowed in JSON; use null or a number"
        raise InvalidInput(f"{path}: not valid JSON: {what}") from None
    except RecursionError:
        raise InvalidInput(f"{path}: the JSON is nested too deeply") from None
    where = long_string(value)
    if where:
        raise InvalidInput(f"{path}, at {where}: text longer than {FIELD_MAX:,} characters")
    return value
