"""Parsing a column's values: dates written the ways city systems write them, numbers, text.

Times become naive local wall-clock times: a UTC offset such as ``-05:00`` is
dropped, not converted, so ``2014-05-09T19:02:21-05:00`` reads as 19:02:21 on
9 May 2014, the local time the request was made.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

import govlab.datasets.words as words
from govlab.datasets.reading import Rows, reading_of, rows_of
from govlab.errors import InvalidInput, located

#: The first data row of a CSV file is row 2 (the header is row 1).
FIRST_DATA_ROW = 2

_TIMES: tuple[str, ...] = (" %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M", "")


def _pairs() -> list[tuple[str, str]]:
    """(month-first, day-first) formats that read the same text two ways."""
    out = []
    for year in ("%Y", "%y"):
        for sep in ("/", "-"):
            for time in _TIMES:
                out.append((f"%m{sep}%d{sep}{year}{time}", f"%d{sep}%m{sep}{year}{time}"))
    return out


#: (month-first, day-first) pairs: 03/04/2024 is 4 March or 3 April.
ORDERED_FORMATS: tuple[tuple[str, str], ...] = tuple(_pairs())

#: Formats whose order is never in doubt, tried after ISO 8601.
OTHER_FORMATS: tuple[str, ...] = (
    *(f"%d.%m.%Y{t}" for t in _TIMES),  # dotted dates are day-first wherever they are written
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)

#: Every format tried when none is given, ISO 8601 first.
DATE_FORMATS: tuple[str, ...] = (
    "ISO8601",
    *(f for pair in ORDERED_FORMATS for f in pair),
    *OTHER_FORMATS,
)

_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_PROBE = 2000
_LEADING = r"^\s*(\d{1,2})[/-](\d{1,2})[/-]"


def line_at(rows: Rows, position: int) -> int:
    """The file line of the value at ``position`` (see :data:`Rows`)."""
    return rows + position if isinstance(rows, int) else rows(position)


def parse_dates(
    values: pd.Series,
    *,
    file: object,
    field: str,
    date_format: str | None = None,
    row_offset: Rows = FIRST_DATA_ROW,
    dayfirst: bool | None = None,
) -> pd.Series:
    """Parse a column of dates to ``datetime64[ns]`` (naive local time; blanks become NaT).

    The result's ``attrs["date_style"]`` says how they were written (``ISO``,
    ``day-first``, ``month-first``, ...).

    Parameters
    ----------
    values
        The column as read from the file (text or already datetimes).
    file, field
        Where the column came from, for the error message.
    date_format
        A :func:`~datetime.datetime.strptime` format; when None the format is
        worked out (ISO 8601 first, then the formats of :data:`DATE_FORMATS`).
    row_offset
        The file line of the first value, or a function of the position (:data:`Rows`).
    dayfirst
        For dates such as 03/04/2024: True reads 3 April, False 4 March; None
        decides from the dates (a day above 12), and refuses when none is.

    Raises
    ------
    InvalidInput
        Naming the row, the column and the first value that is not a date; or,
        when every date reads both ways and ``dayfirst`` is None, asking for it.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        naive: pd.Series = values.dt.tz_localize(None).astype("datetime64[ns]")
        return naive
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    text = values.astype("str").str.strip()
    text = text.mask(text == "").str.replace(_OFFSET, "", regex=True)
    present = text.dropna()
    if present.empty:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    fmt = date_format or guess_format(present, dayfirst, file=file, field=field)
    parsed = _try(text, fmt)
    bad = parsed.isna() & text.notna()
    if bad.any():
        position = int(bad.to_numpy().argmax())
        hint = f"format {fmt!r}" if date_format else "a date like 2023-01-31 14:05"
        raise InvalidInput(
            located(
                f"cannot read {values.iloc[position]!r} as a date; expected {hint} "
                f"(pass {words.option('date_format')}=... if your dates are written another way)",
                file=file,
                row=line_at(row_offset, position),
                field=field,
            )
        )
    out = parsed.astype("datetime64[ns]")
    out.attrs["date_style"] = date_style(fmt)
    return out


def date_style(fmt: str) -> str:
    """How a format writes dates, for a sentence: ``ISO``, ``day-first``, ``month-first``."""
    if fmt == "ISO8601":
        return "ISO"
    if "%b" in fmt or "%B" in fmt:
        return "written-out"
    if fmt.startswith("%d"):
        return "day-first"
    if fmt.startswith("%m"):
        return "month-first"
    if fmt.startswith("%Y"):
        return "year-first"
    return "written-out"


def _try(text: pd.Series, fmt: str) -> pd.Series:
    try:
        return pd.to_datetime(text, format=fmt, errors="coerce")
    except (ValueError, OverflowError):
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")


def guess_format(
    present: pd.Series, dayfirst: bool | None = None, *, file: object = None, field: str = ""
) -> str:
    """The format that reads every probed value (else the one reading most).

    For dates that read both ways (03/04/2024) the order comes from ``dayfirst``,
    else from the values: a first number above 12 means day-first, a second
    above 12 month-first.

    Raises
    ------
    InvalidInput
        Every value reads both ways and ``dayfirst`` is None.
    """
    probe = present.iloc[:_PROBE]
    best, best_count = "ISO8601", int(_try(probe, "ISO8601").notna().sum())
    if best_count == len(probe):
        return best
    for month_first, day_first in ORDERED_FORMATS:
        counts = [int(_try(probe, f).notna().sum()) for f in (month_first, day_first)]
        if max(counts) < len(probe):
            for fmt, count in zip((month_first, day_first), counts, strict=True):
                if count > best_count:
                    best, best_count = fmt, count
            continue
        order = dayfirst if dayfirst is not None else order_of([present], file=file, field=field)
        if order is None:  # no date with two numbers first: cannot be in doubt
            order = counts[1] > counts[0]
        return day_first if order else month_first
    for fmt in OTHER_FORMATS:
        count = int(_try(probe, fmt).notna().sum())
        if count == len(probe):
            return fmt
        if count > best_count:
            best, best_count = fmt, count
    return best


def order_of(columns: Sequence[pd.Series], *, file: object = None, field: str = "") -> bool | None:
    """Whether dates written ``NN/NN/...`` are day-first (True) or month-first (False).

    Looks at every value of every column: a first number above 12 can only be a
    day, a second above 12 only a day too. None when no value starts with two
    different numbers (both orders then read the same).

    Raises
    ------
    InvalidInput
        Every such date reads both ways (no number above 12): the message asks for
        the order in the words of the interface in use.
    """
    firsts, seconds, example = [], [], None
    for column in columns:
        if pd.api.types.is_datetime64_any_dtype(column):
            continue
        text = column.dropna().astype("str")
        parts = text.str.extract(_LEADING).dropna().astype(int)
        parts = parts[parts[0] != parts[1]]  # 01/01 reads the same both ways
        if parts.empty:
            continue
        example = example or str(text.loc[parts.index[0]])
        firsts.append(int(parts[0].max()))
        seconds.append(int(parts[1].max()))
    if not firsts:
        return None
    if max(firsts) > 12 and max(seconds) <= 12:
        return True
    if max(seconds) > 12 and max(firsts) <= 12:
        return False
    if max(firsts) > 12:  # both: the formats will name the value that does not fit
        return True
    raise InvalidInput(
        located(
            f"cannot tell the date order: every date reads both ways, as no day is above 12 "
            f"({example!r} could be day-first or month-first); say which with {words.date_order()}",
            file=file,
            field=field or None,
        )
    )


def text_column(values: pd.Series, *, missing: Sequence[str] = ()) -> pd.Series:
    """Return ``values`` as the ``str`` dtype with blanks (and ``missing`` markers) as NA."""
    out = values.astype("str")
    out = out.str.strip()
    blank = out.isna() | (out == "") | out.isin(list(missing))
    return out.mask(blank)


def numeric_column(
    values: pd.Series,
    *,
    file: object,
    field: str,
    row_offset: Rows = FIRST_DATA_ROW,
    decimal: str = ".",
) -> pd.Series:
    """Parse numbers written like ``1,234.5``, ``$12``, ``40 %`` or ``-3``; name the first bad one.

    With ``decimal=","`` numbers are written ``1.234,5`` (the dots group thousands).
    """
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype("str").str.strip()
    if decimal == ",":
        text = text.str.replace(r"[.$£€%\s]", "", regex=True).str.replace(",", ".", regex=False)
    else:
        text = text.str.replace(r"[,$£€%\s]", "", regex=True)
    text = text.mask(text == "")
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & text.notna()
    if bad.any():
        position = int(bad.to_numpy().argmax())
        raise InvalidInput(
            located(
                f"cannot read {values.iloc[position]!r} as a number; expected e.g. 1234.5",
                file=file,
                row=line_at(row_offset, position),
                field=field,
            )
        )
    return numbers.astype("float64")


def na_text(index: pd.Index) -> pd.Series:
    """An all-missing text column on ``index``."""
    return pd.Series(pd.NA, index=index, dtype="str")


def column_numbers(raw: pd.DataFrame, column: str, *, file: object) -> pd.Series:
    """``raw[column]`` as numbers, with the decimal mark and line numbers of how it was read."""
    how = reading_of(raw)
    decimal = how.decimal if how is not None else "."
    return numeric_column(
        raw[column], file=file, field=column, row_offset=rows_of(raw), decimal=decimal
    )


def column_dates(
    raw: pd.DataFrame,
    column: str,
    *,
    file: object,
    dayfirst: bool | None = None,
    date_format: str | None = None,
) -> pd.Series:
    """``raw[column]`` as dates (see :func:`parse_dates`), naming the file's own lines."""
    return parse_dates(
        raw[column],
        file=file,
        field=column,
        date_format=date_format,
        row_offset=rows_of(raw),
        dayfirst=dayfirst,
    )
