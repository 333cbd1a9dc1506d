"""Shared checks and small transforms for the analysis functions (private).

Every public analysis function checks its input here, so a user's mistake
(a missing column, a date that is not a date) becomes one
:class:`~govlab.errors.InvalidInput` naming the frame or file, the row and the
column, never a raw pandas traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from govlab.errors import InvalidInput, located

#: Period names accepted by ``period=`` / ``freq=``, mapped onto one calendar unit.
#: Every period is labelled by its first instant (weeks start on Monday, as in ISO 8601).
PERIOD_UNITS: dict[str, str] = {
    "h": "hour",
    "H": "hour",
    "hour": "hour",
    "D": "day",
    "day": "day",
    "W": "week",
    "W-MON": "week",
    "week": "week",
    "MS": "month",
    "M": "month",
    "ME": "month",
    "month": "month",
    "QS": "quarter",
    "Q": "quarter",
    "QE": "quarter",
    "quarter": "quarter",
    "YS": "year",
    "Y": "year",
    "YE": "year",
    "A": "year",
    "AS": "year",
    "year": "year",
}

_STEP = {
    "hour": np.timedelta64(1, "h"),
    "day": np.timedelta64(1, "D"),
    "week": np.timedelta64(7, "D"),
}
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_unit(freq: str) -> str:
    """Return the calendar unit (``"day"``, ``"month"``...) a frequency string stands for."""
    try:
        return PERIOD_UNITS[freq]
    except (KeyError, TypeError):
        choices = ", ".join(sorted({k for k in PERIOD_UNITS if len(k) <= 2}))
        raise InvalidInput(f"unknown period {freq!r}; expected one of {choices}") from None


def floor_period(values: pd.Series | np.ndarray, unit: str) -> np.ndarray:
    """Floor timestamps to the start of their calendar ``unit`` (NaT stays NaT).

    Weeks start on Monday, quarters in January, April, July and October: the same
    boundaries as DuckDB's ``date_trunc``.
    """
    arr = np.asarray(values, dtype="datetime64[ns]")
    if unit == "hour":
        out = arr.astype("datetime64[h]")
    elif unit == "day":
        out = arr.astype("datetime64[D]")
    elif unit == "week":
        days = arr.astype("datetime64[D]")
        # 1970-01-01 was a Thursday: (days since epoch + 3) mod 7 is days since Monday.
        since_monday = (days.astype(np.int64) + 3) % 7
        out = days - since_monday.astype("timedelta64[D]")
    elif unit == "month":
        out = arr.astype("datetime64[M]")
    elif unit == "quarter":
        months = arr.astype("datetime64[M]")
        out = months - (months.astype(np.int64) % 3).astype("timedelta64[M]")
    elif unit == "year":
        out = arr.astype("datetime64[Y]")
    else:  # pragma: no cover - guarded by period_unit
        raise InvalidInput(f"unknown period unit {unit!r}")
    return out.astype("datetime64[ns]")


def period_range(first: np.datetime64, last: np.datetime64, unit: str) -> np.ndarray:
    """Every period start from ``first`` to ``last`` (both already floored), inclusive."""
    if unit in _STEP:
        step = _STEP[unit]
        count = int((last - first) // step) + 1
        return (first + np.arange(count) * step).astype("datetime64[ns]")
    months = _MONTHS[unit]
    m0 = int(np.asarray(first, dtype="datetime64[M]").astype(np.int64))
    m1 = int(np.asarray(last, dtype="datetime64[M]").astype(np.int64))
    return np.arange(m0, m1 + 1, months).astype("datetime64[M]").astype("datetime64[ns]")


def next_period(starts: np.ndarray, unit: str) -> np.ndarray:
    """The start of the period after each of ``starts``."""
    if unit in _STEP:
        return (starts + _STEP[unit]).astype("datetime64[ns]")
    months = np.asarray(starts, dtype="datetime64[M]") + np.timedelta64(_MONTHS[unit], "M")
    return months.astype("datetime64[ns]")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, name: object) -> None:
    """Raise :class:`InvalidInput` naming the first column ``frame`` lacks."""
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInput(located(f"expected a DataFrame, got {type(frame).__name__}", file=name))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns)) or "none"
        raise InvalidInput(
            located(f"missing column; the columns are: {have}", file=name, field=missing[0])
        )


def as_keys(by: str | Sequence[str] | None) -> list[str]:
    """Normalise a ``by=`` argument (one name, several, or none) to a list."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return [str(b) for b in by]


def row_label(frame: pd.DataFrame, position: int, first_row: int | None = None) -> int:
    """The row to name in a message.

    In a file, ``first_row + position`` (``first_row`` is 2 for a CSV file with a header).
    In a frame a govlab loader read, the file's own line: its ``line`` column, or
    the line of the record its index label names. In any other frame, the index
    label when it is an integer, else the 1-based position.
    """
    if first_row is not None:
        return first_row + position
    if "line" in frame.columns and pd.api.types.is_integer_dtype(frame["line"]):
        return int(frame["line"].iloc[position])
    label = frame.index[position]
    if isinstance(label, (int, np.integer)):
        plan = frame.attrs.get("lines")
        if isinstance(plan, dict) and plan.get("regular") and "first" in plan:
            return int(plan["first"]) + int(label)
        return int(label)
    return position + 1


def frame_name(frame: pd.DataFrame, default: str = "frame") -> str:
    """What to call a frame in a message: the file a govlab loader read, else ``default``."""
    plan = frame.attrs.get("lines")
    if isinstance(plan, dict) and plan.get("file"):
        return str(plan["file"])
    return str(frame.attrs.get("file") or default)


def datetimes(
    frame: pd.DataFrame, column: str, *, name: object, first_row: int | None = None
) -> pd.Series:
    """Return ``frame[column]`` as naive ``datetime64`` (tz-aware: local wall-clock time kept).

    Text is read as ISO 8601; anything else raises :class:`InvalidInput` naming the row:
    ``first_row + position`` when ``first_row`` is given (a file), else the index label.
    """
    values = frame[column]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        naive: pd.Series = values.dt.tz_localize(None)
        return naive
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if values.isna().all():
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
    bad = parsed.isna() & values.notna()
    if bad.any():
        pos = int(np.argmax(bad.to_numpy()))
        raise InvalidInput(
            located(
                f"cannot read {values.iloc[pos]!r} as a date; expected a datetime column "
                "or ISO 8601 text such as 2024-01-31 14:05",
                file=name,
                row=row_label(frame, pos, first_row),
                field=column,
            )
        )
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    return parsed


def numbers(
    frame: pd.DataFrame, column: str, *, name: object, first_row: int | None = None
) -> pd.Series:
    """Return ``frame[column]`` as float64; a value that is not a number raises InvalidInput."""
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    parsed = pd.to_numeric(values, errors="coerce")
    bad = parsed.isna() & values.notna()
    if bad.any():
        pos = int(np.argmax(bad.to_numpy()))
        raise InvalidInput(
            located(
                f"{values.iloc[pos]!r} is not a number",
                file=name,
                row=row_label(frame, pos, first_row),
                field=column,
            )
        )
    return parsed.astype("float64")


def booleans(
    frame: pd.DataFrame, column: str, *, name: object, first_row: int | None = None
) -> pd.Series:
    """Return ``frame[column]`` as bool: True/False, 1/0, yes/no, true/false (missing = False)."""
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    if pd.api.types.is_numeric_dtype(values):
        ok = values.isna() | values.isin([0, 1])
        mapped = values.fillna(0).astype(bool)
    else:
        text = values.astype("str").str.strip().str.lower()
        table = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
        table |= {"t": True, "f": False, "y": True, "n": False, "": False}
        ok = values.isna() | text.isin(list(table))
        mapped = text.isin([word for word, value in table.items() if value]) & values.notna()
    if not ok.all():
        pos = int(np.argmax((~ok).to_numpy()))
        raise InvalidInput(
            located(
                f"{values.iloc[pos]!r} is not true/false (expected True/False, 1/0 or yes/no)",
                file=name,
                row=row_label(frame, pos, first_row),
                field=column,
            )
        )
    return mapped


def quantile_name(q: float) -> str:
    """The column of a percentile: ``0.9`` -> ``p90_hours``, ``0.999`` -> ``p99.9_hours``."""
    return f"p{round(q * 100, 6):g}_hours"


Engine = Literal["auto", "pandas", "duckdb"]
