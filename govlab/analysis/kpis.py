"""Service-performance KPIs on a request log (311, permits, case work).

The input is a canonical request log: one row per request with ``opened`` and
``closed`` timestamps (``closed`` empty while open) and grouping columns such as
``agency``, ``category``, ``channel`` or ``district``.  It may be a DataFrame or
a Parquet / CSV file path (CSV timestamps in ISO 8601).

Every function runs on two engines with the same results:

* ``engine="pandas"``: pandas group-bys, for frames that fit comfortably in memory;
* ``engine="duckdb"``: one SQL query over the frame or straight over the file,
  so a 10-million-row log never has to be loaded into pandas;
* ``engine="auto"`` (the default): DuckDB for a path or a frame of more than
  one million rows, pandas otherwise.

Definitions shared by every function:

* response time, in hours: ``hours = (closed - opened) / 1 h``, computed from
  whole microseconds; it is missing (and ignored) while a request is open;
* ``period=`` groups requests by the calendar period in which they were *opened*
  (``"D"``, ``"W"`` weeks from Monday, ``"MS"`` months, ``"QS"``, ``"YS"``), labelled
  by the period's first instant;
* percentiles (and so the median) interpolate linearly between the two nearest
  ordered values: with ``n`` closed requests sorted ``x_0 <= ... <= x_{n-1}``,
  ``h = q (n - 1)``, ``P_q = x_floor(h) + (h - floor(h)) (x_ceil(h) - x_floor(h))``.
  This is pandas' default ``quantile`` and DuckDB's ``quantile_cont``;
* missing values in a grouping column form their own group (shown as NaN);
* rows come back sorted by the grouping columns and the period.

A request without an opening time, or closed before it was opened, raises
:class:`~govlab.errors.InvalidInput` naming the row, on both engines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.typing import DataFrameGroupBy

from govlab.analysis import _kpis_sql as sql
from govlab.analysis._frames import (
    Engine,
    as_keys,
    floor_period,
    period_range,
    period_unit,
    quantile_name,
)
from govlab.analysis._sources import (
    Located,
    Source,
    choose_engine,
    describe,
    load_frame,
    prepare,
)
from govlab.errors import InvalidInput

__all__ = [
    "backlog",
    "monthly_summary",
    "reopen_rate",
    "response_time_percentiles",
    "sla_compliance",
]


def response_time_percentiles(
    requests: Source,
    by: str | Sequence[str] = (),
    period: str | None = None,
    q: Sequence[float] = (0.5, 0.9),
    *,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Percentiles of response time in hours, per group and period.

    ``P_q = x_floor(h) + (h - floor(h)) (x_ceil(h) - x_floor(h))`` with ``h = q (n - 1)``
    over the ``n`` closed requests of the group sorted by response time (linear
    interpolation; the 0.5 percentile is the median).  Open requests are counted
    in ``requests`` but not in the percentiles.

    Parameters
    ----------
    requests
        The request log: a DataFrame, or a Parquet / CSV path.
    by
        Grouping column(s), e.g. ``"agency"`` or ``("agency", "category")``.
    period
        Also group by the period of opening: ``"D"``, ``"W"``, ``"MS"``, ``"QS"``, ``"YS"``.
    q
        Percentiles as fractions in [0, 1]; 0.9 gives the column ``p90_hours``.
    engine
        ``"auto"``, ``"pandas"`` or ``"duckdb"`` (see the module notes).

    Returns
    -------
    pandas.DataFrame
        The grouping columns, ``period`` if asked, ``requests`` (all rows),
        ``closed`` (rows with a closing time) and one ``p<100 q>_hours`` column per
        percentile (NaN when a group has no closed request).
    """
    keys, unit = _keys_and_unit(by, period)
    quantiles = _check_quantiles(q)
    where = describe(requests)
    if choose_engine(requests, engine) == "duckdb":
        raw = sql.percentiles(requests, where, keys, unit, quantiles)
    else:
        frame = _grouped_frame(requests, where, keys, unit)
        group_keys = [*keys, "period"] if unit else keys
        raw = _pandas_percentiles(frame, group_keys, quantiles)
    return _finish(raw, keys, unit)


def sla_compliance(
    requests: Source,
    hours: float,
    by: str | Sequence[str] = (),
    period: str | None = None,
    *,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Share of closed requests that were closed within ``hours`` of opening.

    ``compliance = count(closed - opened <= hours) / count(closed is not null)``
    per group (NaN for a group with no closed request).

    Parameters
    ----------
    requests
        The request log: a DataFrame, or a Parquet / CSV path.
    hours
        The service-level target in hours (e.g. 72 for "three days").
    by, period, engine
        As in :func:`response_time_percentiles`.

    Returns
    -------
    pandas.DataFrame
        The grouping columns, ``period`` if asked, ``requests``, ``closed``,
        ``within_sla`` and ``compliance`` (a fraction between 0 and 1).
    """
    target = _check_hours(hours)
    keys, unit = _keys_and_unit(by, period)
    where = describe(requests)
    if choose_engine(requests, engine) == "duckdb":
        raw = sql.sla(requests, where, keys, unit, target)
    else:
        frame = _grouped_frame(requests, where, keys, unit)
        frame["within_sla"] = frame["hours"] <= target
        group_keys = [*keys, "period"] if unit else keys
        raw = _pandas_counts(frame, group_keys, {"closed": ("hours", "count")})
        raw["within_sla"] = _group(frame, group_keys)["within_sla"].sum().to_numpy()
    out = _finish(raw, keys, unit)
    out["compliance"] = _share(out["within_sla"], out["closed"])
    return out


def reopen_rate(
    requests: Source,
    by: str | Sequence[str] = (),
    period: str | None = None,
    *,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Share of requests closed at least once that were reopened.

    ``reopen_rate = count(reopened) / count(closed is not null or reopened)``:
    a reopened request has been closed once even if it is open again now.  The
    log needs a ``reopened`` column (True/False, 1/0 or yes/no; empty = False).

    Returns
    -------
    pandas.DataFrame
        The grouping columns, ``period`` if asked, ``requests``, ``closed_once``,
        ``reopened`` and ``reopen_rate``.
    """
    keys, unit = _keys_and_unit(by, period)
    where = describe(requests)
    if choose_engine(requests, engine) == "duckdb":
        raw = sql.reopens(requests, where, keys, unit)
    else:
        columns = [*keys, "opened", "closed", "reopened"]
        frame = prepare(load_frame(requests, where, columns), where, keys, reopened=True)
        if unit:
            frame["period"] = floor_period(frame["opened"], unit)
        frame["closed_once"] = frame["closed"].notna() | frame["reopened"]
        group_keys = [*keys, "period"] if unit else keys
        raw = _pandas_counts(frame, group_keys, {})
        grouped = _group(frame, group_keys)
        raw["closed_once"] = grouped["closed_once"].sum().to_numpy()
        raw["reopened"] = grouped["reopened"].sum().to_numpy()
    out = _finish(raw, keys, unit)
    out["reopen_rate"] = _share(out["reopened"], out["closed_once"])
    return out


def backlog(
    requests: Source,
    freq: str = "D",
    by: str | Sequence[str] = (),
    *,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Requests still open at the end of each period.

    With ``t`` the start of the next period, a request is in the backlog when
    ``opened < t and (closed is null or closed >= t)``, so
    ``backlog(P) = sum over periods <= P of (new - closed)``.  Periods run from the
    first opening to the last opening or closing, with no gaps, for every group.

    Parameters
    ----------
    requests
        The request log: a DataFrame, or a Parquet / CSV path.
    freq
        Period length: ``"h"``, ``"D"``, ``"W"``, ``"MS"``, ``"QS"`` or ``"YS"``.
    by, engine
        As in :func:`response_time_percentiles`.

    Returns
    -------
    pandas.DataFrame
        The grouping columns, ``period`` (its first instant), ``new`` (opened in the
        period), ``closed`` (closed in the period) and ``backlog`` (open at its end).
    """
    keys = as_keys(by)
    unit = period_unit(freq)
    where = describe(requests)
    if choose_engine(requests, engine) == "duckdb":
        events = sql.backlog_events(requests, where, keys, unit)
    else:
        frame = prepare(load_frame(requests, where, [*keys, "opened", "closed"]), where, keys)
        events = _pandas_events(frame, keys, unit)
    return _cumulate(events, keys, unit)


def monthly_summary(
    source: Source,
    by: str | Sequence[str] = ("agency",),
    sla_hours: float = 72.0,
    *,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Monthly request count, median response time and SLA compliance, per group.

    Per group and calendar month of opening: ``requests = count(*)``,
    ``closed = count(closed is not null)``, ``median_hours`` = the 0.5 percentile of
    ``closed - opened`` in hours (linear interpolation, as in
    :func:`response_time_percentiles`), ``within_sla = count(hours <= sla_hours)`` and
    ``sla_compliance = within_sla / closed``.  On DuckDB this is one pass over the file.

    Parameters
    ----------
    source
        The request log: a DataFrame, or a Parquet / CSV path.
    by
        Grouping column(s), the agency by default.
    sla_hours
        The service-level target in hours (72 = three days).
    engine
        As in :func:`response_time_percentiles`.
    """
    target = _check_hours(sla_hours)
    keys = as_keys(by)
    where = describe(source)
    if choose_engine(source, engine) == "duckdb":
        raw = sql.monthly(source, where, keys, target)
    else:
        frame = _grouped_frame(source, where, keys, "month")
        frame["within_sla"] = frame["hours"] <= target
        group_keys = [*keys, "period"]
        raw = _pandas_percentiles(frame, group_keys, [0.5])
        raw["within_sla"] = _group(frame, group_keys)["within_sla"].sum().to_numpy()
    out = _finish(raw, keys, "month").rename(
        columns={"period": "month", "p50_hours": "median_hours"}
    )
    out["sla_compliance"] = _share(out["within_sla"], out["closed"])
    return out[
        [*keys, "month", "requests", "closed", "median_hours", "within_sla", "sla_compliance"]
    ]


# --- pandas engine -----------------------------------------------------------------


def _grouped_frame(
    source: Source, where: Located, keys: list[str], unit: str | None
) -> pd.DataFrame:
    frame = prepare(load_frame(source, where, [*keys, "opened", "closed"]), where, keys)
    if unit:
        frame["period"] = floor_period(frame["opened"], unit)
    return frame


def _group(frame: pd.DataFrame, keys: list[str]) -> DataFrameGroupBy[Any, Any]:
    """Group by ``keys`` keeping missing keys; no keys means one group of everything."""
    if keys:
        return frame.groupby(keys, dropna=False, sort=False)
    return frame.groupby(np.zeros(len(frame), dtype=np.int8), sort=False)


def _pandas_counts(
    frame: pd.DataFrame, keys: list[str], extra: dict[str, tuple[str, str]]
) -> pd.DataFrame:
    out = _group(frame, keys).agg(requests=("hours", "size"), **extra)
    out = out.reset_index(drop=not keys)
    if not keys and out.empty:
        out = pd.DataFrame({"requests": [0], **{k: [0] for k in extra}})
    return out


def _pandas_percentiles(frame: pd.DataFrame, keys: list[str], q: Sequence[float]) -> pd.DataFrame:
    out = _pandas_counts(frame, keys, {"closed": ("hours", "count")})
    grouped = _group(frame, keys)["hours"]
    for value in q:
        values = grouped.quantile(value).to_numpy() if len(frame) else np.nan
        out[quantile_name(value)] = values
    return out


def _pandas_events(frame: pd.DataFrame, keys: list[str], unit: str) -> pd.DataFrame:
    opened = frame[keys].assign(period=floor_period(frame["opened"], unit), new=1, closed=0)
    done = frame.loc[frame["closed"].notna(), keys]
    done = done.assign(period=floor_period(frame.loc[done.index, "closed"], unit), new=0, closed=1)
    both = pd.concat([opened, done], ignore_index=True)
    return (
        both.groupby([*keys, "period"], dropna=False, sort=False)[["new", "closed"]]
        .sum()
        .reset_index()
    )


# --- shared finishing ----------------------------------------------------------------


def _cumulate(events: pd.DataFrame, keys: list[str], unit: str) -> pd.DataFrame:
    """Dense periods x groups grid of new/closed counts and their running backlog."""
    columns = [*keys, "period", "new", "closed", "backlog"]
    if events.empty:
        return _finish(pd.DataFrame(columns=columns), keys, unit)
    events = events.assign(period=events["period"].to_numpy(dtype="datetime64[ns]"))
    periods = period_range(
        events["period"].min().to_datetime64(), events["period"].max().to_datetime64(), unit
    )
    if keys:
        group = events.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
        firsts = events.groupby(keys, dropna=False, sort=False).head(1)[keys].reset_index(drop=True)
    else:
        group = np.zeros(len(events), dtype=np.int64)
        firsts = pd.DataFrame(index=range(1))
    position = np.searchsorted(periods, events["period"].to_numpy(dtype="datetime64[ns]"))
    grid = np.zeros((2, len(firsts), len(periods)), dtype=np.int64)
    np.add.at(grid[0], (group, position), events["new"].to_numpy(dtype=np.int64))
    np.add.at(grid[1], (group, position), events["closed"].to_numpy(dtype=np.int64))
    out = firsts.loc[firsts.index.repeat(len(periods))].reset_index(drop=True)
    out["period"] = np.tile(periods, len(firsts))
    out["new"] = grid[0].ravel()
    out["closed"] = grid[1].ravel()
    out["backlog"] = np.cumsum(grid[0] - grid[1], axis=1).ravel()
    return _finish(out[columns], keys, unit)


def _finish(raw: pd.DataFrame, keys: list[str], unit: str | None) -> pd.DataFrame:
    """Same dtypes, column order and row order whichever engine produced ``raw``."""
    out = raw.copy()
    for key in keys:
        if out[key].dtype == object or pd.api.types.is_string_dtype(out[key]):
            out[key] = out[key].astype("str")
    if unit:
        out["period"] = out["period"].astype("datetime64[ns]")
    for column in ("requests", "closed", "within_sla", "closed_once", "reopened", "new", "backlog"):
        if column in out:
            out[column] = out[column].fillna(0).astype("int64")
    for column in out.columns:
        if column.endswith("_hours"):
            out[column] = out[column].astype("float64")
    order = [*keys, "period"] if unit else keys
    if order and len(out):
        out = out.sort_values(order, na_position="last", kind="stable")
    return out.reset_index(drop=True)


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part / whole`` as float, NaN where ``whole`` is 0."""
    whole_f = whole.astype("float64")
    return (part.astype("float64") / whole_f.where(whole_f > 0)).astype("float64")


def _keys_and_unit(by: str | Sequence[str], period: str | None) -> tuple[list[str], str | None]:
    keys = as_keys(by)
    unit = period_unit(period) if period is not None else None
    if unit and "period" in keys:
        raise InvalidInput("'period' cannot be both a grouping column and the period")
    return keys, unit


def _check_quantiles(q: Sequence[float]) -> list[float]:
    values = [q] if isinstance(q, (int, float)) else list(q)
    if not values or any(not isinstance(v, (int, float)) or not 0 <= v <= 1 for v in values):
        raise InvalidInput(f"percentiles must be fractions between 0 and 1, got {q!r}")
    return [float(v) for v in values]


def _check_hours(hours: float) -> float:
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not hours >= 0:
        raise InvalidInput(f"the SLA target must be a number of hours >= 0, got {hours!r}")
    return float(hours)
