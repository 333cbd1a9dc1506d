"""Series at the period an analysis works on: daily values summed into weeks or months.

:func:`resample` puts a long series (one row per date and group) on a coarser
calendar period and says, in a sentence, what it did: which frequency the data
had, what it was summed into, and which incomplete periods at either end were
left out (a week with three days of data would look like a slump).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govlab.analysis._frames import as_keys, floor_period, require_columns
from govlab.errors import InvalidInput

#: Frequencies from finest to coarsest.
FREQUENCIES: tuple[str, ...] = ("day", "week", "month")
_NOUN = {"day": "daily", "week": "weekly", "month": "monthly"}


@dataclass(frozen=True)
class Resampled:
    """A series on its analysis period, and what was done to get there."""

    frame: pd.DataFrame
    unit: str  # "week" or "month": the period each row now covers
    source: str  # the data's own frequency: "day", "week" or "month"
    dropped: tuple[str, ...]  # labels (YYYY-MM-DD) of the incomplete periods left out
    sentence: str


def resample(
    frame: pd.DataFrame,
    time: str,
    values: Sequence[str],
    *,
    source: str,
    unit: str,
    by: str | Sequence[str] = (),
) -> Resampled:
    """Sum ``values`` per group of ``by`` and calendar ``unit`` of ``time``.

    ``period = floor(time, unit)`` (weeks start on Monday, months on the 1st) and
    ``value(group, period) = sum of value over the rows of the group in the period``
    (missing values count as 0 only when a group has some value in the period).
    From daily data a period is complete when the series has every day of it; the
    incomplete first and last periods are left out. Data already at ``unit`` is
    kept as it is; data coarser than ``unit`` (monthly data for a weekly analysis)
    stays at its own frequency.

    Parameters
    ----------
    frame
        One row per date (and group).
    time, values, by
        The date column, the columns to sum and the grouping columns.
    source
        The data's frequency: ``day``, ``week`` or ``month``.
    unit
        The analysis period: ``week`` or ``month``.

    Returns
    -------
    Resampled
        The frame (``by``, ``time`` = the period start, ``values``), the unit used
        and the sentence that says so.
    """
    keys = as_keys(by)
    require_columns(frame, [time, *values, *keys], name="frame")
    for name, value in (("source", source), ("unit", unit)):
        if value not in FREQUENCIES:
            raise InvalidInput(f"{name} must be one of {', '.join(FREQUENCIES)}, got {value!r}")
    if FREQUENCIES.index(source) >= FREQUENCIES.index(unit):
        kept = frame[[*keys, time, *values]].sort_values([*keys, time], kind="stable")
        used = source
        sentence = f"Your data is {_NOUN[source]}: the analysis runs on {used}s."
        if source != unit:
            sentence = (
                f"Your data is {_NOUN[source]}, coarser than the {unit}s the case works on: "
                f"the analysis runs on {source}s."
            )
        return Resampled(kept.reset_index(drop=True), used, source, (), sentence)
    starts = floor_period(frame[time], unit)
    data = frame[[*keys, *values]].assign(**{time: starts})
    summed = data.groupby([*keys, time], dropna=False, sort=True)[list(values)].sum(min_count=1)
    summed = summed.reset_index()
    dropped = _incomplete(frame[time], starts, unit) if source == "day" else ()
    if dropped:
        summed = summed[~summed[time].isin(pd.to_datetime(list(dropped)))]
    sentence = _sentence(source, unit, dropped)
    return Resampled(summed.reset_index(drop=True), unit, source, dropped, sentence)


def _incomplete(dates: pd.Series, starts: np.ndarray, unit: str) -> tuple[str, ...]:
    """The first and last periods that lack some of their days."""
    days = pd.DataFrame({"day": dates.dt.normalize(), "start": starts}).drop_duplicates()
    have = days.groupby("start")["day"].nunique()
    first, last = have.index.min(), have.index.max()
    out = []
    for start in sorted({first, last}):
        whole = 7 if unit == "week" else (start + pd.offsets.MonthBegin(1) - start).days
        if have[start] < whole:
            out.append(pd.Timestamp(start).strftime("%Y-%m-%d"))
    return tuple(out)


def _sentence(source: str, unit: str, dropped: tuple[str, ...]) -> str:
    span = "Monday to Sunday" if unit == "week" else "calendar months"
    text = f"Your data is {_NOUN[source]}: it was summed into {unit}s ({span})."
    if dropped:
        which = " and ".join(f"the {unit} of {d}" for d in dropped)
        text += f" {which.capitalize()} {'is' if len(dropped) == 1 else 'are'} incomplete in "
        text += "the data and left out."
    return text
