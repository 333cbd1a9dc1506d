"""Transit network analytics from a GTFS feed (gtfs-kit ``Feed``) and ridership.

Times in GTFS are ``HH:MM:SS`` after the service day's noon-minus-12h and may
pass 24:00:00 (a trip at 25:10:00 runs at 01:10 the next morning, on the same
service day); they are read as seconds since the service day's start.

Definitions used throughout:

* a trip's *start* is its first departure, its *end* its last arrival;
* *service hours* of a route on a date: ``sum over its trips of (end - start)``,
  i.e. revenue hours, without layovers or deadheading;
* *headway*: minutes between consecutive trip starts of one route in one direction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from govlab.analysis._frames import as_keys, numbers, require_columns
from govlab.analysis._geo import cover_points, covered_area
from govlab.errors import InvalidInput

if TYPE_CHECKING:
    import gtfs_kit

    from govlab.analysis.results import BeforeAfter, DifferenceInDifferences

__all__ = [
    "StopCoverage",
    "productivity",
    "redesign_before_after",
    "route_frequency",
    "service_date",
    "service_hours",
    "stop_coverage",
]


@dataclass(frozen=True)
class StopCoverage:
    """Stops, the routes serving them, and how much of the area / population is near one."""

    stop_count: int
    served_stops: int
    route_count: int
    radius_m: float
    area_km2: float
    population_share: float | None
    stops: pd.DataFrame = field(repr=False, compare=False)
    points: pd.DataFrame | None = field(default=None, repr=False, compare=False)


def route_frequency(
    feed: gtfs_kit.Feed,
    date: str | dt.date | None = None,
    start: str = "07:00",
    end: str = "19:00",
) -> pd.DataFrame:
    """Trips per hour and headways per route and direction in a time window.

    Counts the trips active on ``date`` whose start lies in ``[start, end)``:
    ``trips_per_hour = trips / window hours``; ``mean_headway_min`` is the mean and
    ``max_headway_min`` the largest gap between consecutive starts (NaN with one trip).

    Parameters
    ----------
    feed
        A GTFS feed read by gtfs-kit (``govlab.datasets.load_gtfs``).
    date
        ``"YYYYMMDD"``, a date, or None for the busiest of the feed's first seven
        service dates (the day with the most trips in a typical week).
    start, end
        The window, ``"HH:MM"`` (``end`` may pass 24:00).

    Returns
    -------
    pandas.DataFrame
        ``route_id``, ``route_short_name``, ``direction_id``, ``trips``,
        ``trips_per_hour``, ``mean_headway_min``, ``max_headway_min``.
    """
    day = service_date(feed, date)
    t0, t1 = _clock(start, "start"), _clock(end, "end")
    if t1 <= t0:
        raise InvalidInput(f"the window must end after it starts, got {start}-{end}")
    trips = _trip_spans(feed, day)
    trips = trips[(trips["start_s"] >= t0) & (trips["start_s"] < t1)]
    trips = trips.sort_values(["route_id", "direction_id", "start_s"], kind="stable")
    gaps = trips.groupby(["route_id", "direction_id"], dropna=False)["start_s"].diff() / 60
    trips = trips.assign(gap=gaps)
    out = trips.groupby(["route_id", "direction_id"], dropna=False).agg(
        trips=("trip_id", "size"), mean_headway_min=("gap", "mean"), max_headway_min=("gap", "max")
    )
    out = out.reset_index()
    out["trips_per_hour"] = out["trips"] / ((t1 - t0) / 3600)
    out = _with_names(feed, out)
    columns = ["route_id", "route_short_name", "direction_id", "trips", "trips_per_hour"]
    return out[[*columns, "mean_headway_min", "max_headway_min"]]


def service_hours(feed: gtfs_kit.Feed, date: str | dt.date | None = None) -> pd.DataFrame:
    """Service (revenue) hours per route on one date.

    ``service_hours = sum over the route's trips active on date of (end - start) / 3600``.

    Returns
    -------
    pandas.DataFrame
        ``route_id``, ``route_short_name``, ``trips``, ``service_hours``,
        ``first_departure`` and ``last_arrival`` (``HH:MM:SS``), sorted by route.
    """
    trips = _trip_spans(feed, service_date(feed, date))
    trips = trips.assign(hours=(trips["end_s"] - trips["start_s"]) / 3600)
    out = trips.groupby("route_id").agg(
        trips=("trip_id", "size"),
        service_hours=("hours", "sum"),
        first_s=("start_s", "min"),
        last_s=("end_s", "max"),
    )
    out = out.reset_index()
    out["first_departure"] = [_hhmmss(s) for s in out.pop("first_s")]
    out["last_arrival"] = [_hhmmss(s) for s in out.pop("last_s")]
    out = _with_names(feed, out)
    columns = ["route_id", "route_short_name", "trips", "service_hours"]
    return out[[*columns, "first_departure", "last_arrival"]]


def service_date(feed: gtfs_kit.Feed, date: str | dt.date | None = None) -> str:
    """The service date as ``YYYYMMDD``, checked against the feed's calendar.

    With ``date=None``, the busiest of the feed's first seven service dates (the
    day with the most trips in a typical week).

    Raises
    ------
    InvalidInput
        When the feed runs no service on ``date``, naming the feed's first and last date.
    """
    dates = feed.get_dates()
    if not dates:
        raise InvalidInput("the feed has no service dates (calendar.txt / calendar_dates.txt)")
    if date is None:
        # the busiest of the first seven service dates (a typical week), fewest trips last
        week = dates[:7]
        counts = [len(feed.get_trips(day)) for day in week]
        return str(week[int(np.argmax(counts))])
    if isinstance(date, (dt.date, pd.Timestamp)):
        day = date.strftime("%Y%m%d")
    else:
        day = str(date).replace("-", "")
    if day not in set(dates):
        raise InvalidInput(
            f"no service on {date}; the feed runs from {dates[0]} to {dates[-1]} (YYYYMMDD)"
        )
    return day


def stop_coverage(
    feed: gtfs_kit.Feed,
    population_points: pd.DataFrame | None = None,
    radius_m: float = 400.0,
    *,
    date: str | dt.date | None = None,
) -> StopCoverage:
    """Routes and trips serving each stop, and what lies within ``radius_m`` of a stop.

    Distances are great-circle (haversine, mean Earth radius).  ``area_km2`` is the
    area of the union of ``radius_m`` circles around the served stops (computed
    with shapely in a local equirectangular projection).  With
    ``population_points`` (``lat``, ``lon`` and optionally ``population``, else 1
    per point): ``population_share = sum(population within radius_m of a served stop)
    / sum(population)``.

    Parameters
    ----------
    feed
        A GTFS feed read by gtfs-kit.
    population_points
        Where people live (census block centroids, address points...).
    radius_m
        Walking distance to a stop (400 m is the usual planning rule for buses).
    date
        Count trips active on this date; None counts every trip in the feed.
    """
    if not isinstance(radius_m, (int, float)) or not radius_m > 0:
        raise InvalidInput(f"radius_m must be a distance in metres > 0, got {radius_m!r}")
    stops = _served_stops(feed, date)
    served = stops[stops["routes"] > 0]
    points = None
    share = None
    if population_points is not None:
        points = cover_points(population_points, served, float(radius_m))
        total = points["population"].sum()
        share = float(points.loc[points["covered"], "population"].sum() / total) if total else None
    return StopCoverage(
        stop_count=len(stops),
        served_stops=len(served),
        route_count=int(feed.routes["route_id"].nunique()),
        radius_m=float(radius_m),
        area_km2=covered_area(served, float(radius_m)),
        population_share=share,
        stops=stops,
        points=points,
    )


def productivity(
    ridership: pd.DataFrame,
    service: pd.DataFrame | None = None,
    *,
    route: str = "route",
    boardings: str = "boardings",
    hours: str = "revenue_hours",
    service_route: str = "route_short_name",
    service_hours_column: str = "service_hours",
    by: str | Sequence[str] = (),
    weakest: int = 3,
) -> pd.DataFrame:
    """Boardings per revenue hour per route, and the weakest routes.

    ``boardings_per_hour = sum(boardings) / sum(revenue hours)`` per route (and ``by``).
    Revenue hours come from the ridership frame's ``hours`` column, or from
    ``service`` (e.g. :func:`service_hours`), which must then cover the same
    period as the ridership.  ``rank`` 1 is the most productive; ``weakest`` flags
    the ``weakest`` lowest routes (within each ``by`` group).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``route``, ``boardings``, ``revenue_hours``,
        ``boardings_per_hour``, ``rank`` and ``weakest``, best first.
    """
    keys = as_keys(by)
    require_columns(ridership, [route, boardings, *keys], name="ridership")
    data = ridership[[*keys, route]].copy()
    data["boardings"] = numbers(ridership, boardings, name="ridership")
    if service is None:
        require_columns(ridership, [hours], name="ridership")
        data["revenue_hours"] = numbers(ridership, hours, name="ridership")
        out = data.groupby([*keys, route], dropna=False)[["boardings", "revenue_hours"]].sum()
    else:
        out = _join_service(data, service, keys, route, service_route, service_hours_column)
    out = out.reset_index().rename(columns={route: "route"})
    if (out["revenue_hours"] <= 0).any():
        bad = out.loc[out["revenue_hours"] <= 0, "route"].iloc[0]
        raise InvalidInput(f"route {bad!r} has no revenue hours; productivity needs hours > 0")
    out["boardings_per_hour"] = out["boardings"] / out["revenue_hours"]
    grouped = out.groupby(keys)["boardings_per_hour"] if keys else out["boardings_per_hour"]
    out["rank"] = grouped.rank(ascending=False, method="first").astype("int64")
    worst = grouped.rank(ascending=True, method="first")
    out["weakest"] = worst <= weakest
    return out.sort_values([*keys, "rank"], kind="stable").reset_index(drop=True)


def redesign_before_after(
    ridership: pd.DataFrame,
    redesign: Any = None,
    *,
    time: str = "week",
    route: str = "route",
    boardings: str = "boardings",
    changed_routes: Sequence[str] | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    per: str | None = None,
) -> BeforeAfter | DifferenceInDifferences:
    """Test whether ridership changed with a network redesign.

    Without ``changed_routes``: network boardings per ``time`` period (summed over
    routes), before vs after the redesign, with :func:`~govlab.analysis.impact.before_after`.
    With ``changed_routes``: difference-in-differences of boardings per route and
    period, changed routes against the others, errors clustered by route
    (:func:`~govlab.analysis.impact.difference_in_differences`).

    ``redesign`` is the first period of the new network; when None, a ``period``
    column with ``before`` / ``after`` decides (as the ridership generator writes).
    ``per`` names one period in the sentence ("week"; default: the ``time`` column's name).
    """
    from govlab.analysis.impact import before_after, difference_in_differences

    require_columns(ridership, [time, route, boardings], name="ridership")
    data = ridership[[time, route]].copy()
    data["boardings"] = numbers(ridership, boardings, name="ridership")
    data["post"] = _after_redesign(ridership, time, redesign)
    if changed_routes is None:
        totals = data.groupby(time).agg(boardings=("boardings", "sum"), post=("post", "first"))
        return before_after(
            totals,
            outcome="boardings",
            post="post",
            n_boot=n_boot,
            seed=seed,
            name=f"boardings per {per or time} (all routes)",
            event="the redesign",
        )
    unknown = sorted(set(changed_routes) - set(data[route]))
    if unknown:
        raise InvalidInput(f"changed route {unknown[0]!r} is not in the ridership data")
    data["changed"] = data[route].isin(list(changed_routes))
    return difference_in_differences(
        data,
        "boardings",
        "changed",
        "post",
        cluster=route,
        time=time,
        name=f"boardings per route and {per or time}",
        event="the redesign",
        comparison="the routes left unchanged",
    )


# --- helpers ---------------------------------------------------------------------------


def _clock(text: str, what: str) -> int:
    try:
        parts = [int(p) for p in str(text).split(":")]
        hours, minutes = parts[0], parts[1]
        seconds = parts[2] if len(parts) > 2 else 0
    except (ValueError, IndexError):
        raise InvalidInput(f"the window {what} {text!r} is not a time like 07:00") from None
    return hours * 3600 + minutes * 60 + seconds


def _seconds(times: pd.Series) -> np.ndarray:
    """``HH:MM:SS`` (hours may pass 24) to seconds; blanks to NaN."""
    parts = times.astype("str").str.strip().str.split(":", expand=True)
    if parts.shape[1] < 3:
        return np.full(len(times), np.nan)
    values = parts.iloc[:, :3].apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")
    seconds: np.ndarray = values[:, 0] * 3600 + values[:, 1] * 60 + values[:, 2]
    return seconds


def _trip_spans(feed: gtfs_kit.Feed, day: str) -> pd.DataFrame:
    """Trips active on ``day`` with their route, direction, start and end (seconds)."""
    trips = feed.get_trips(day)
    if "direction_id" not in trips.columns:  # optional in GTFS: one direction then
        trips = trips.assign(direction_id=0)
    trips = trips[["trip_id", "route_id", "direction_id"]]
    times = feed.stop_times[feed.stop_times["trip_id"].isin(trips["trip_id"])]
    times = pd.DataFrame(
        {
            "trip_id": times["trip_id"].to_numpy(),
            "dep": _seconds(times["departure_time"]),
            "arr": _seconds(times["arrival_time"]),
        }
    )
    spans = times.groupby("trip_id").agg(start_s=("dep", "min"), end_s=("arr", "max"))
    spanned: pd.DataFrame = trips.merge(spans.reset_index(), on="trip_id", how="inner")
    return spanned


def _with_names(feed: gtfs_kit.Feed, frame: pd.DataFrame) -> pd.DataFrame:
    names = feed.routes[["route_id", "route_short_name"]]
    out = frame.merge(names, on="route_id", how="left")
    return out.sort_values(["route_short_name", "route_id"], kind="stable").reset_index(drop=True)


def _hhmmss(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _served_stops(feed: gtfs_kit.Feed, date: str | dt.date | None) -> pd.DataFrame:
    stops = feed.stops
    if "location_type" in stops:
        stops = stops[stops["location_type"].fillna(0).astype(int) == 0]
    trips = feed.trips if date is None else feed.get_trips(service_date(feed, date))
    visits = feed.stop_times[["trip_id", "stop_id"]].merge(
        trips[["trip_id", "route_id"]], on="trip_id"
    )
    per_stop = visits.groupby("stop_id").agg(
        routes=("route_id", "nunique"), trips=("trip_id", "nunique")
    )
    out: pd.DataFrame = stops[["stop_id", "stop_name", "stop_lat", "stop_lon"]].merge(
        per_stop.reset_index(), on="stop_id", how="left"
    )
    out[["routes", "trips"]] = out[["routes", "trips"]].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def _join_service(
    data: pd.DataFrame,
    service: pd.DataFrame,
    keys: list[str],
    route: str,
    service_route: str,
    hours_column: str,
) -> pd.DataFrame:
    if keys:
        raise InvalidInput("by= needs revenue hours in the ridership frame, not a service table")
    require_columns(service, [service_route, hours_column], name="service")
    riders = data.groupby(route)["boardings"].sum()
    hours = numbers(service, hours_column, name="service").groupby(service[service_route]).sum()
    missing = sorted(set(riders.index) - set(hours.index))
    if missing:
        raise InvalidInput(f"route {missing[0]!r} has ridership but no row in the service table")
    joined = pd.DataFrame({"boardings": riders, "revenue_hours": hours.reindex(riders.index)})
    joined.index.name = route
    return joined


def _after_redesign(ridership: pd.DataFrame, time: str, redesign: Any) -> np.ndarray:
    """True for the rows on or after the redesign."""
    if redesign is not None:
        values = ridership[time]
        if pd.api.types.is_datetime64_any_dtype(values):
            redesign = pd.Timestamp(redesign)
        return np.asarray(values >= redesign)
    if "period" in ridership:
        labels = ridership["period"].astype("str").str.lower()
        if labels.isin(["before", "after"]).all():
            return (labels == "after").to_numpy()
    raise InvalidInput("give the redesign date, or a 'period' column of before / after")
