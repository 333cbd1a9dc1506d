"""``service-performance-311``: KPIs, service levels, backlog and where to act first.

Everything is computed by :mod:`govlab.analysis.kpis`; this module only chooses
the groupings and ranks the groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from govlab.errors import InvalidInput

#: Whether the case's own data is synthetic: the NYC 311 sample is real.
DEFAULT_SYNTHETIC = False


@dataclass(frozen=True)
class Service311:
    """What the notebook shows.

    Attributes
    ----------
    as_of
        The moment open requests are measured at.
    by_agency, by_category
        Per group: requests, closed, median and 90th-percentile hours, compliance.
    monthly
        Requests, median hours and compliance per agency and month.
    backlog
        Requests open at the end of each period, whole log.
    priorities
        The ``top`` agency x complaint-type groups with late requests, most late first
        (see :func:`priorities`).
    figures
        The key figures (percentages as 0-100).
    """

    as_of: pd.Timestamp
    by_agency: pd.DataFrame
    by_category: pd.DataFrame
    monthly: pd.DataFrame
    backlog: pd.DataFrame
    priorities: pd.DataFrame
    figures: dict[str, Any] = field(default_factory=dict)


def default_data() -> pd.DataFrame:
    """The 2,000 NYC 311 requests of 2011 shipped with govlab (real)."""
    from govlab.datasets import load_nyc311, sample_path

    return load_nyc311(sample_path("nyc311"))


def check(data: pd.DataFrame | None, params: dict[str, Any]) -> None:
    """Nothing to check beyond the loader's checks and the parameters' types."""


def analyse(
    requests: pd.DataFrame,
    *,
    sla_hours: float = 72.0,
    min_requests: int = 20,
    top: int = 10,
    backlog_freq: str = "W",
    as_of: str | None = None,
    **_: Any,
) -> Service311:
    """Compute every table and key figure of the case.

    Parameters
    ----------
    requests
        A canonical request log (see :data:`govlab.datasets.REQUEST_COLUMNS`).
    sla_hours
        Service-level target: a request is on time when ``closed - opened <= sla_hours``.
    min_requests
        Groups with fewer requests are not ranked.
    top
        Rows of the priority table.
    backlog_freq
        ``D``, ``W`` or ``MS``.
    as_of
        ISO date; the default is the last opening or closing time in the log.
    """
    from govlab.analysis import backlog, monthly_summary, response_time_percentiles, sla_compliance

    if requests.empty:
        raise InvalidInput("the request log has no rows")
    moment = _as_of(requests, as_of)
    frames = {}
    for key in ("agency", "category"):
        times = response_time_percentiles(requests, by=key, engine="pandas")
        sla = sla_compliance(requests, sla_hours, by=key, engine="pandas")
        frames[key] = times.merge(sla[[key, "within_sla", "compliance"]], on=key)
    monthly = monthly_summary(requests, by="agency", sla_hours=sla_hours, engine="pandas")
    open_backlog = backlog(requests, freq=backlog_freq, engine="pandas")
    ranked = priorities(requests, sla_hours=sla_hours, as_of=moment, min_requests=min_requests)
    result = Service311(
        as_of=moment,
        by_agency=frames["agency"],
        by_category=frames["category"],
        monthly=monthly,
        backlog=open_backlog,
        priorities=ranked[ranked["late"] > 0].head(top),
    )
    result.figures.update(_figures(requests, result, ranked, sla_hours, min_requests))
    return result


def _as_of(requests: pd.DataFrame, as_of: str | None) -> pd.Timestamp:
    if as_of:
        return pd.Timestamp(as_of)
    last = max(requests["opened"].max(), requests["closed"].max(skipna=True))
    return pd.Timestamp(last)


def priorities(
    requests: pd.DataFrame, *, sla_hours: float, as_of: pd.Timestamp, min_requests: int
) -> pd.DataFrame:
    """Agency x complaint-type groups ranked by their late requests.

    A request is late when it was closed after the target
    (``closed - opened > sla_hours``) or is still open at ``as_of`` and older
    than the target (``as_of - opened > sla_hours``). Groups with fewer than
    ``min_requests`` requests are left out; ``late_share`` is the group's late
    requests over all late requests of the log, so the first rows are where
    acting removes the most lateness.
    """
    frame = requests[["agency", "category", "opened", "closed"]].copy()
    frame["agency"] = frame["agency"].fillna("(no agency)")
    frame["category"] = frame["category"].fillna("(no category)")
    hours = (frame["closed"] - frame["opened"]).dt.total_seconds() / 3600
    age = (as_of - frame["opened"]).dt.total_seconds() / 3600
    frame["late_closed"] = hours > sla_hours
    frame["open_late"] = frame["closed"].isna() & (age > sla_hours)
    frame["late"] = frame["late_closed"] | frame["open_late"]
    frame["hours"] = hours
    grouped = frame.groupby(["agency", "category"], sort=True)
    table = grouped.agg(
        requests=("opened", "size"),
        late=("late", "sum"),
        open_late=("open_late", "sum"),
        median_hours=("hours", "median"),
    ).reset_index()
    total_late = int(frame["late"].sum())
    table["late_share"] = table["late"] / total_late * 100 if total_late else 0.0
    table["late_rate"] = table["late"] / table["requests"] * 100
    table = table[table["requests"] >= min_requests]
    return table.sort_values(["late", "late_rate"], ascending=False, ignore_index=True)


def _figures(
    requests: pd.DataFrame,
    result: Service311,
    ranked: pd.DataFrame,
    sla_hours: float,
    min_requests: int,
) -> dict[str, Any]:
    from govlab.analysis import response_time_percentiles, sla_compliance

    overall = response_time_percentiles(requests, engine="pandas").iloc[0]
    compliance = sla_compliance(requests, sla_hours, engine="pandas").iloc[0]
    figures: dict[str, Any] = {
        "requests": int(overall["requests"]),
        "closed_share": float(overall["closed"]) / float(overall["requests"]) * 100,
        "median_hours": float(overall["p50_hours"]),
        "p90_hours": float(overall["p90_hours"]),
        "sla_compliance": float(compliance["compliance"]) * 100,
        "backlog_end": int(_open_at(requests, result.as_of)),
    }
    ranked_agencies = result.by_agency[result.by_agency["closed"] >= min_requests]
    if not ranked_agencies.empty:
        worst = ranked_agencies.sort_values(["compliance", "agency"]).iloc[0]
        figures["worst_agency"] = str(worst["agency"])
        figures["worst_agency_compliance"] = float(worst["compliance"]) * 100
    if not ranked.empty and ranked["late"].iloc[0] > 0:
        first = ranked.iloc[0]
        figures["act_first"] = f"{first['agency']}: {first['category']}"
        figures["act_first_late_share"] = float(first["late_share"])
    return figures


def _open_at(requests: pd.DataFrame, moment: pd.Timestamp) -> int:
    """Requests open at ``moment``: ``opened <= moment and (closed is null or closed > moment)``."""
    opened = requests["opened"] <= moment
    still_open = requests["closed"].isna() | (requests["closed"] > moment)
    return int((opened & still_open).sum())
