"""Late requests and what a request log covers, on a DataFrame or straight over a file.

Like :mod:`govlab.analysis.kpis`, each function runs on pandas or on DuckDB
(``engine="auto"``: DuckDB for a path or a frame over a million rows), with the
same results, so a city's whole log (tens of millions of requests in a Parquet
file) is never loaded into pandas.

Definitions (``hours = (closed - opened) / 1 h``, missing while open):

* a request is **late** when it was closed after the target (``hours > sla_hours``)
  or is still open and older than the target at ``as_of``
  (``closed is null and as_of - opened > sla_hours``);
* it is **open at** ``as_of`` when ``opened <= as_of and (closed is null or closed > as_of)``;
* a log is **date-only** when every opening and closing time is midnight: the
  system wrote days, not times, so every duration is a whole number of days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from govlab.analysis._frames import Engine, as_keys
from govlab.analysis._sources import (
    CHECKS,
    Source,
    choose_engine,
    describe,
    duckdb_requests,
    file_columns,
    load_frame,
    prepare,
    quote,
    run_sql,
)

__all__ = ["LogProfile", "late_requests", "log_profile"]

_NS_PER_HOUR = 3_600_000_000_000


@dataclass(frozen=True)
class LogProfile:
    """What a request log covers: its rows, its dates, and whether it holds times at all."""

    requests: int
    closed: int
    first_opened: pd.Timestamp
    last_opened: pd.Timestamp
    last_closed: pd.Timestamp | None
    date_only: bool
    filled: dict[str, int]

    @property
    def last_moment(self) -> pd.Timestamp:
        """The last opening or closing in the log."""
        if self.last_closed is None or pd.isna(self.last_closed):
            return self.last_opened
        return max(self.last_opened, self.last_closed)


def log_profile(
    requests: Source, columns: Sequence[str] = (), *, engine: Engine = "auto"
) -> LogProfile:
    """Rows, closed rows, first and last opening, last closing, and whether dates only.

    ``date_only`` is True when every ``opened`` and every non-missing ``closed`` is
    at midnight (see the module notes); ``filled`` counts the values of each of
    ``columns`` that the log has (a column it lacks counts 0).
    """
    where = describe(requests)
    present = _present(requests, where, columns)
    if choose_engine(requests, engine) == "duckdb":
        filled_sql = "".join(f", count({quote(c)}) AS {quote('n_' + c)}" for c in present)
        sql = f"""
            SELECT count(*) AS requests, count(closed) AS closed{filled_sql},
                   min(opened) AS first_opened, max(opened) AS last_opened,
                   max(closed) AS last_closed,
                   count_if(opened <> date_trunc('day', opened)) +
                   count_if(closed <> date_trunc('day', closed)) AS timed, {CHECKS}
            FROM r
        """
        con = duckdb_requests(requests, where, present)
        row = run_sql(con, sql, requests, where, present).iloc[0]
        filled = {c: int(row["n_" + c]) for c in present}
        timed = int(row["timed"])
        values: dict[str, Any] = {k: row[k] for k in ("first_opened", "last_opened", "last_closed")}
        counts = (int(row["requests"]), int(row["closed"]))
    else:
        frame = prepare(load_frame(requests, where, [*present, "opened", "closed"]), where, present)
        filled = {c: int(frame[c].notna().sum()) for c in present}
        opened, closed = frame["opened"], frame["closed"].dropna()
        timed = int(
            (opened != opened.dt.normalize()).sum() + (closed != closed.dt.normalize()).sum()
        )
        values = {
            "first_opened": opened.min(),
            "last_opened": opened.max(),
            "last_closed": closed.max() if len(closed) else None,
        }
        counts = (len(frame), len(closed))
    last_closed = values["last_closed"]
    missing = last_closed is None or pd.isna(last_closed)
    return LogProfile(
        requests=counts[0],
        closed=counts[1],
        first_opened=pd.Timestamp(values["first_opened"]),
        last_opened=pd.Timestamp(values["last_opened"]),
        last_closed=None if missing else pd.Timestamp(last_closed),
        date_only=timed == 0,
        filled={c: filled.get(c, 0) for c in columns},
    )


def _present(requests: Source, where: Any, columns: Sequence[str]) -> list[str]:
    """The ``columns`` the log has."""
    if isinstance(requests, pd.DataFrame):
        return [c for c in columns if c in requests.columns]
    return [c for c in columns if c in file_columns(where)]


def late_requests(
    requests: Source,
    sla_hours: float,
    as_of: Any,
    by: str | Sequence[str] = ("agency", "category"),
    *,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Late requests per group, with those still open and the median response time.

    Per group of ``by``: ``requests = count(*)``, ``late`` (see the module notes),
    ``open_late`` (late because still open), ``open_at`` (open at ``as_of``) and
    ``median_hours`` (the 0.5 percentile of the closed requests' hours, linear
    interpolation). Missing group values form their own group (NaN).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``requests``, ``late``, ``open_late``, ``open_at``,
        ``median_hours``, sorted by ``by``.
    """
    keys = as_keys(by)
    moment = pd.Timestamp(as_of)
    where = describe(requests)
    if choose_engine(requests, engine) == "duckdb":
        out = _late_sql(requests, where, keys, float(sla_hours), moment)
    else:
        frame = prepare(load_frame(requests, where, [*keys, "opened", "closed"]), where, keys)
        out = _late_pandas(frame, keys, float(sla_hours), moment)
    for column in ("requests", "late", "open_late", "open_at"):
        out[column] = out[column].fillna(0).astype("int64")
    out["median_hours"] = out["median_hours"].astype("float64")
    for key in keys:
        if out[key].dtype == object or pd.api.types.is_string_dtype(out[key]):
            out[key] = out[key].astype("str")
    if keys and len(out):
        out = out.sort_values(keys, na_position="last", kind="stable")
    return out.reset_index(drop=True)[[*keys, "requests", "late", "open_late", "open_at",
                                       "median_hours"]]  # fmt: skip


def _late_pandas(
    frame: pd.DataFrame, keys: list[str], sla: float, moment: pd.Timestamp
) -> pd.DataFrame:
    age = ((moment - frame["opened"]).dt.total_seconds() / 3600).to_numpy()
    still_open = frame["closed"].isna().to_numpy()
    data = frame[keys].copy() if keys else pd.DataFrame(index=frame.index)
    data["open_late"] = still_open & (age > sla)
    data["late"] = (frame["hours"].to_numpy() > sla) | data["open_late"].to_numpy()
    closed_after = (frame["closed"] > moment).to_numpy()
    opened_before = (frame["opened"] <= moment).to_numpy()
    data["open_at"] = opened_before & (still_open | closed_after)
    data["hours"] = frame["hours"].to_numpy()
    group = (
        data.groupby(keys, dropna=False, sort=False)
        if keys
        else data.groupby(np.zeros(len(data), dtype=np.int8), sort=False)
    )
    out = group.agg(
        requests=("hours", "size"),
        late=("late", "sum"),
        open_late=("open_late", "sum"),
        open_at=("open_at", "sum"),
        median_hours=("hours", "median"),
    )
    return out.reset_index(drop=not keys)


def _late_sql(
    source: Source, where: Any, keys: list[str], sla: float, moment: pd.Timestamp
) -> pd.DataFrame:
    age = f"(epoch_ns($as_of::TIMESTAMP) - epoch_ns(opened))::DOUBLE / {_NS_PER_HOUR}::DOUBLE"
    open_late = f"closed IS NULL AND {age} > $sla"
    measures = [
        "count(*) AS requests",
        f"count_if(hours > $sla OR ({open_late})) AS late",
        f"count_if({open_late}) AS open_late",
        "count_if(opened <= $as_of::TIMESTAMP AND (closed IS NULL OR closed > $as_of::TIMESTAMP))"
        " AS open_at",
        "quantile_cont(hours, 0.5) AS median_hours",
    ]
    selected = ", ".join([*(quote(k) for k in keys), *measures, CHECKS])
    sql = f"SELECT {selected} FROM r" + (" GROUP BY ALL" if keys else "")
    params = {"sla": sla, "as_of": moment.to_pydatetime()}
    con = duckdb_requests(source, where, keys)
    return run_sql(con, sql, source, where, keys, params=params)
