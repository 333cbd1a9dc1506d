"""Reading files safely: encoding, separator, empty files, and the errors a user can act on.

Row numbers follow the spreadsheet convention: the header is row 1, so the first
data row of a CSV file is row 2.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from govlab.errors import InvalidInput, located

PathLike = str | Path

_CHUNK = 1 << 20


def existing_file(path: PathLike) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, or raise if there is no such file."""
    p = Path(path).expanduser()
    if not p.exists():
        raise InvalidInput(located("no such file", file=p))
    if p.is_dir():
        raise InvalidInput(located("is a folder; expected a file", file=p))
    return p


def check_utf8(path: Path) -> None:
    """Raise :class:`InvalidInput` naming the row of the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = lines_before + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                bad = chunk[exc.start : exc.start + 1]
                raise InvalidInput(
                    located(
                        f"the file is not UTF-8 (byte 0x{bad.hex()} cannot be read); "
                        "pass encoding='latin-1' (or the file's own encoding)",
                        file=path,
                        row=line,
                    )
                ) from None
            lines_before += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InvalidInput(
                located(
                    "the file is not UTF-8 (it ends inside a character); pass encoding='latin-1'",
                    file=path,
                )
            ) from None


def first_line(path: Path, encoding: str) -> str:
    """Return the first non-blank line of a text file ('' when there is none)."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        for line in handle:
            stripped = line.strip().lstrip("\ufeff")
            if stripped:
                return stripped
    return ""


def check_separator(path: Path, header: str, sep: str | None) -> str:
    """Return the separator to use, or say which one the file seems to use."""
    if sep is not None:
        return sep
    if "," in header:
        return ","
    for other, shown in ((";", "';'"), ("\t", "'\\t' (tab)")):
        if other in header:
            escaped = "\\t" if other == "\t" else other
            raise InvalidInput(
                located(
                    f"the columns are separated by {shown}, not ','; pass sep='{escaped}'",
                    file=path,
                    row=1,
                )
            )
    return ","


def read_csv_text(
    path: PathLike,
    *,
    sep: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a CSV file as text columns (only empty cells are missing).

    Raises :class:`InvalidInput` for a missing or empty file, bytes that are not
    UTF-8 when no ``encoding`` is given, a ``;`` or tab separator when ``sep`` is
    not given, a header without data rows and a malformed row.
    """
    p = existing_file(path)
    if encoding is None:
        check_utf8(p)
    enc = encoding or "utf-8-sig"
    header = first_line(p, enc)
    if not header:
        raise InvalidInput(located("the file is empty; expected a header row", file=p))
    delimiter = check_separator(p, header, sep)
    try:
        frame = pd.read_csv(
            p,
            sep=delimiter,
            encoding=enc,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=False,
        )
    except pd.errors.ParserError as exc:
        raise InvalidInput(
            located(f"the file is not a well-formed CSV table: {exc}", file=p)
        ) from None
    except (UnicodeDecodeError, LookupError) as exc:
        raise InvalidInput(located(f"cannot decode with encoding={enc!r}: {exc}", file=p)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InvalidInput(located("the file has a header but no data rows", file=p))
    return frame


def read_json(path: PathLike, *, encoding: str | None = None) -> Any:
    """Parse a JSON file, with the line and column of a syntax error."""
    p = existing_file(path)
    if encoding is None:
        check_utf8(p)
    text = p.read_text(encoding=encoding or "utf-8-sig")
    if not text.strip():
        raise InvalidInput(located("the file is empty; expected JSON", file=p))
    try:
        return json.loads(text)
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
                    f"column {column!r}{purpose} not found; columns found: {_listing(found)}",
                    file=file,
                )
            )


def _listing(columns: Sequence[object], limit: int = 60) -> str:
    shown = ", ".join(repr(str(c)) for c in columns[:limit])
    more = len(columns) - limit
    return shown + (f" and {more} more" if more > 0 else "") if columns else "(none)"
