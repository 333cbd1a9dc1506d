"""Parsing a column's values: dates written the ways city systems write them, numbers, text.

Times become naive local wall-clock times: a UTC offset such as ``-05:00`` is
dropped, not converted, so ``2014-05-09T19:02:21-05:00`` reads as 19:02:21 on
9 May 2014, the local time the request was made.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from govlab.errors import InvalidInput, located

#: The first data row of a CSV file is row 2 (the header is row 1).
FIRST_DATA_ROW = 2

#: Formats tried in order when none is given; month-first (US) before day-first.
DATE_FORMATS: tuple[str, ...] = (
    "ISO8601",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
)

_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_PROBE = 2000


def parse_dates(
    values: pd.Series,
    *,
    file: object,
    field: str,
    date_format: str | None = None,
    row_offset: int = FIRST_DATA_ROW,
) -> pd.Series:
    """Parse a column of dates to ``datetime64[ns]`` (naive local time; blanks become NaT).

    Parameters
    ----------
    values
        The column as read from the file (text or already datetimes).
    file, field
        Where the column came from, for the error message.
    date_format
        A :func:`~datetime.datetime.strptime` format; when None the first of
        :data:`DATE_FORMATS` that reads every value is used.
    row_offset
        Row number of the first value (2 for a CSV file whose header is row 1).

    Raises
    ------
    InvalidInput
        Naming the row, the column and the first value that is not a date.
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
    fmt = date_format or _guess_format(present)
    parsed = _try(text, fmt)
    bad = parsed.isna() & text.notna()
    if bad.any():
        position = int(bad.to_numpy().argmax())
        hint = f"format {fmt!r}" if date_format else "a date like 2023-01-31 14:05"
        raise InvalidInput(
            located(
                f"cannot read {values.iloc[position]!r} as a date; expected {hint} "
                "(pass date_format=... if your dates are written another way)",
                file=file,
                row=position + row_offset,
                field=field,
            )
        )
    return parsed.astype("datetime64[ns]")


def _try(text: pd.Series, fmt: str) -> pd.Series:
    try:
        return pd.to_datetime(text, format=fmt, errors="coerce")
    except (ValueError, OverflowError):
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")


def _guess_format(present: pd.Series) -> str:
    """Return the first format reading every probed value, else the one reading most."""
    probe = present.iloc[:_PROBE]
    best, best_count = DATE_FORMATS[0], -1
    for fmt in DATE_FORMATS:
        count = int(_try(probe, fmt).notna().sum())
        if count == len(probe):
            return fmt
        if count > best_count:
            best, best_count = fmt, count
    return best


def text_column(values: pd.Series, *, missing: Sequence[str] = ()) -> pd.Series:
    """Return ``values`` as the ``str`` dtype with blanks (and ``missing`` markers) as NA."""
    out = values.astype("str")
    out = out.str.strip()
    blank = out.isna() | (out == "") | out.isin(list(missing))
    return out.mask(blank)


def numeric_column(
    values: pd.Series, *, file: object, field: str, row_offset: int = FIRST_DATA_ROW
) -> pd.Series:
    """Parse numbers written like ``1,234.5``, ``$12`` or ``-3``; name the first bad one."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype("str").str.strip().str.replace(r"[,$£€\s]", "", regex=True)
    text = text.mask(text == "")
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & text.notna()
    if bad.any():
        position = int(bad.to_numpy().argmax())
        raise InvalidInput(
            located(
                f"cannot read {values.iloc[position]!r} as a number; expected e.g. 1234.5",
                file=file,
                row=position + row_offset,
                field=field,
            )
        )
    return numbers.astype("float64")


def na_text(index: pd.Index) -> pd.Series:
    """An all-missing text column on ``index``."""
    return pd.Series(pd.NA, index=index, dtype="str")
