"""``transit-network``: frequency, coverage, productivity and a redesign, from a GTFS feed.

The network side (frequency, service hours, stop coverage) is read from a GTFS
feed by :mod:`govlab.analysis.transit`; the ridership side (boardings per
revenue hour, the redesign's effect) from a weekly ridership table: generated
for the Cairns feed, which carries no ridership, or the participant's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from govlab.errors import InvalidInput, located

if TYPE_CHECKING:
    import gtfs_kit

    from govlab.analysis import BeforeAfter, StopCoverage

_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")

#: A route is "frequent" when a bus comes at least this often (minutes) in the window.
FREQUENT_MIN = 15.0


#: Whether the case's own data is synthetic: the ridership is generated (the timetable is real).
DEFAULT_SYNTHETIC = True


@dataclass(frozen=True)
class TransitNetwork:
    """What the notebook shows."""

    day: str
    frequency: pd.DataFrame
    service: pd.DataFrame
    coverage: StopCoverage
    productivity: pd.DataFrame
    by_period: pd.DataFrame
    redesign: BeforeAfter
    weekly: pd.DataFrame
    figures: dict[str, Any] = field(default_factory=dict)


def load_feed(gtfs: str = "") -> gtfs_kit.Feed:
    """The feed at ``gtfs``, or the Cairns feed shipped with govlab."""
    from govlab.datasets import load_gtfs, sample_path

    return load_gtfs(gtfs or sample_path("gtfs_cairns"))


def service_day(feed: gtfs_kit.Feed, date: str | None) -> str:
    """``YYYYMMDD`` of ``date``, or of the busiest day of the feed's first week."""
    from govlab.analysis import service_date

    return service_date(feed, date)


def default_data(
    feed: gtfs_kit.Feed | None = None,
    *,
    date: str | None = None,
    weeks_before: int = 26,
    weeks_after: int = 26,
    seed: int = 0,
    **_: Any,
) -> pd.DataFrame:
    """SYNTHETIC weekly ridership for the routes running on the day, matched to the feed.

    :func:`govlab.datasets.generate_ridership` invents each route's hours; they
    are rescaled, with its boardings, so that a route's weekly revenue hours
    before the redesign equal 7 x its service hours on the day in the feed
    (``factor = 7 h_feed / mean(h_before)``), which keeps its productivity.
    """
    from govlab.analysis import service_hours
    from govlab.datasets import generate_ridership

    feed = feed if feed is not None else load_feed()
    hours = service_hours(feed, service_day(feed, date)).groupby("route_short_name")[
        "service_hours"
    ]
    daily = hours.sum()
    rides = generate_ridership(
        sorted(daily.index), weeks_before=weeks_before, weeks_after=weeks_after, seed=seed
    )
    before = rides[rides["period"] == "before"].groupby("route")["revenue_hours"].mean()
    factor = rides["route"].map(7 * daily / before)
    out = rides.assign(
        boardings=(rides["boardings"] * factor).round().astype("int64"),
        revenue_hours=(rides["revenue_hours"] * factor).round(1),
    )
    out.attrs.update(rides.attrs)
    return out


def check(data: pd.DataFrame | None, params: dict[str, Any]) -> None:
    """Refuse, before any run, a bad window, feed, date or ridership table."""
    for name in ("start", "end"):
        if not _CLOCK.match(str(params[name])):
            raise InvalidInput(
                f"parameter {name!r}: expected a time written HH:MM, e.g. 07:00, "
                f"got {params[name]!r}"
            )
    if _minutes(params["end"]) <= _minutes(params["start"]):
        raise InvalidInput(
            f"the window must end after it starts, got {params['start']}-{params['end']}"
        )
    if params["gtfs"] or params["date"]:
        service_day(load_feed(params["gtfs"]), params["date"])
    if data is None:
        return
    if "period" not in data.columns and not params["redesign_date"]:
        raise InvalidInput(
            located(
                "say when the redesign happened: a 'period' column (before/after, --map "
                "period=COLUMN) or -p redesign_date=YYYY-MM-DD",
                file=data.attrs.get("file"),
            )
        )
    after = _after(data, params["redesign_date"])
    hours = data.groupby([after.rename("after"), data["route"]])["revenue_hours"].sum()
    if (hours <= 0).any():
        (is_after, route) = hours[hours <= 0].index[0]
        raise InvalidInput(
            located(
                f"route {route!r} has no revenue hours {'after' if is_after else 'before'} the "
                "redesign; boardings per revenue hour need hours > 0",
                file=data.attrs.get("file"),
                field=data.attrs.get("columns", {}).get("revenue_hours", "revenue_hours"),
            )
        )
    for label, count in (("before", int((~after).sum())), ("after", int(after.sum()))):
        weeks = data.loc[after if label == "after" else ~after, "week"].nunique()
        if count == 0 or weeks < 2:
            raise InvalidInput(
                located(
                    f"need at least two weeks {label} the redesign; the data has {weeks}",
                    file=data.attrs.get("file"),
                    field=data.attrs.get("columns", {}).get("week", "week"),
                )
            )


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _after(data: pd.DataFrame, redesign_date: str | None) -> pd.Series:
    """True for the weeks after the redesign (from the date, else the ``period`` column)."""
    if redesign_date:
        return data["week"] >= pd.Timestamp(redesign_date)
    period = data["period"].astype("str").str.strip().str.lower()
    unknown = ~period.isin(["before", "after"])
    if unknown.any():
        pos = int(np.argmax(unknown.to_numpy()))
        raise InvalidInput(
            located(
                f"period {data['period'].iloc[pos]!r}: expected before or after",
                file=data.attrs.get("file"),
                row=pos + int(data.attrs.get("row_offset", 2)),
                field=data.attrs.get("columns", {}).get("period", "period"),
            )
        )
    return period == "after"


def analyse(
    ridership: pd.DataFrame,
    feed: gtfs_kit.Feed | None = None,
    *,
    gtfs: str = "",
    date: str | None = None,
    start: str = "07:00",
    end: str = "19:00",
    radius_m: float = 400.0,
    weakest: int = 5,
    redesign_date: str | None = None,
    seed: int = 0,
    **_: Any,
) -> TransitNetwork:
    """Compute every table and key figure of the case.

    Network (on the service day): trips per hour and headways per route in the
    window, service hours per route, stops within ``radius_m``. Ridership:
    boardings per revenue hour per route after the redesign (the current
    network) and before, and the change in weekly network boardings with a
    bootstrap interval (:func:`govlab.analysis.redesign_before_after`).
    """
    from govlab.analysis import (
        BeforeAfter,
        productivity,
        redesign_before_after,
        route_frequency,
        service_hours,
        stop_coverage,
    )

    feed = feed if feed is not None else load_feed(gtfs)
    day = service_day(feed, date)
    frequency = _per_route(route_frequency(feed, day, start, end))
    service = service_hours(feed, day)
    coverage = stop_coverage(feed, radius_m=radius_m, date=day)
    rides = ridership.assign(period=np.where(_after(ridership, redesign_date), "after", "before"))
    current = productivity(rides[rides["period"] == "after"], weakest=weakest)
    by_period = productivity(rides, by="period", weakest=weakest)
    change = redesign_before_after(rides, None, seed=seed)
    if not isinstance(change, BeforeAfter):  # pragma: no cover - no changed_routes given
        raise TypeError("expected a before/after comparison of the whole network")
    weekly = rides.groupby(["week", "period"], as_index=False)[["boardings", "revenue_hours"]].sum()
    result = TransitNetwork(
        day=day,
        frequency=frequency,
        service=service,
        coverage=coverage,
        productivity=current,
        by_period=by_period,
        redesign=change,
        weekly=weekly,
    )
    result.figures.update(_figures(result, rides))
    return result


def _per_route(frequency: pd.DataFrame) -> pd.DataFrame:
    """One row per route: trips in both directions, and the mean headway of one direction.

    ``headway_min`` is the mean over directions of their mean headways (a rider
    waits for a bus in one direction); NaN when no direction has two trips.
    """
    out = frequency.groupby("route_short_name", as_index=False).agg(
        trips=("trips", "sum"),
        trips_per_hour=("trips_per_hour", "sum"),
        headway_min=("mean_headway_min", "mean"),
    )
    out["frequent"] = out["headway_min"] <= FREQUENT_MIN
    return out.sort_values("headway_min", na_position="last", ignore_index=True)


def _figures(result: TransitNetwork, rides: pd.DataFrame) -> dict[str, Any]:
    after = rides[rides["period"] == "after"]
    change = result.redesign
    base = change.mean_before
    figures: dict[str, Any] = {
        "routes": int(result.service["route_short_name"].nunique()),
        "stops": int(result.coverage.served_stops),
        "median_headway_min": float(result.frequency["headway_min"].median()),
        "frequent_routes": int(result.frequency["frequent"].sum()),
        "coverage_km2": float(result.coverage.area_km2),
        "service_hours": float(result.service["service_hours"].sum()),
        "boardings_per_hour": float(after["boardings"].sum() / after["revenue_hours"].sum()),
        "ridership_change": change.estimate / base * 100,
        "ridership_change_low": change.ci_low / base * 100,
        "ridership_change_high": change.ci_high / base * 100,
        "ridership_p_value": change.p_value,
    }
    weakest = result.productivity[result.productivity["weakest"]]
    if not weakest.empty:
        last = weakest.sort_values("boardings_per_hour").iloc[0]
        figures["weakest_route"] = str(last["route"])
        figures["weakest_boardings_per_hour"] = float(last["boardings_per_hour"])
    return figures
