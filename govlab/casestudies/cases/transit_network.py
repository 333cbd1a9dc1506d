"""``transit-network``: frequency, coverage, productivity and a redesign, from a GTFS feed.

The network side (frequency, service hours, stop coverage, who runs it and with
which modes) is read from a GTFS feed by :mod:`govlab.analysis.transit`; the
ridership side (boardings per revenue hour, the redesign's effect) from
ridership as the agency publishes it (:func:`govlab.datasets.load_ridership`:
daily, weekly or monthly, per route, per mode or the whole network), put on the
case's period by :func:`govlab.analysis.resample`.

Either side may be missing: a ridership file with no feed gives the ridership
figures only (nothing is paired with the sample feed unless asked, with
``gtfs=sample``); a feed with no ridership gives the network figures, and the
ridership part is generated for its routes and shown apart as an illustration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import govlab.datasets.words as words
from govlab.errors import InvalidInput, located

if TYPE_CHECKING:
    import gtfs_kit

    from govlab.analysis import BeforeAfter, StopCoverage

_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")

#: A route is "frequent" when a vehicle comes at least this often (minutes) in the window.
FREQUENT_MIN = 15.0

#: Whether the case's own data is synthetic: the ridership is generated (the timetable is real).
DEFAULT_SYNTHETIC = True

#: Where the case's own data comes from.
DEFAULT_PLACE = "Cairns, Queensland"

#: Figures computed from the ridership (generated when the run has no ridership of its own).
RIDERSHIP_FIGURES = frozenset(
    {
        "boardings_per_hour",
        "weakest_route",
        "weakest_boardings_per_hour",
        "ridership_change",
        "ridership_change_low",
        "ridership_change_high",
        "ridership_p_value",
    }
)
_NETWORK_FIGURES = ("routes", "stops", "median_headway_min", "frequent_routes", "coverage_km2",
                    "service_hours")  # fmt: skip


@dataclass(frozen=True)
class Network:
    """The feed's side: one service day's frequency, hours and coverage, and who runs it."""

    day: str
    frequency: pd.DataFrame
    service: pd.DataFrame
    coverage: StopCoverage
    summary: dict[str, Any]

    @property
    def agency(self) -> str:
        """The agency (or agencies) named in ``agency.txt``."""
        names = list(self.summary.get("agencies") or [])
        return " and ".join(names) if names else "the agency"

    @property
    def modes(self) -> str:
        """The modes the routes run, most routes first: ``bus``, ``rail and bus``."""
        modes = list((self.summary.get("modes") or {}).keys())
        return " and ".join(modes) if modes else "transit"


@dataclass(frozen=True)
class Ridership:
    """The ridership side, on the case's period."""

    series: pd.DataFrame  # route, date (period start), boardings, revenue_hours, period
    unit: str
    sentence: str
    synthetic: bool
    level: str
    productivity: pd.DataFrame | None
    by_period: pd.DataFrame | None
    redesign: BeforeAfter | None
    totals: pd.DataFrame
    unknown_routes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TransitNetwork:
    """What the notebook shows: either side may be None (see the module notes)."""

    network: Network | None
    ridership: Ridership | None
    notes: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    synthetic: frozenset[str] = frozenset()


def feed_path(gtfs: str, own_ridership: bool) -> str | None:
    """Which feed a run uses: yours, the Cairns sample, or none.

    ``gtfs=""`` means the sample when the run has no ridership of its own, and no
    feed when it has (a participant's ridership is never paired with Cairns
    unless they ask for it with ``gtfs=sample``).
    """
    if gtfs == "sample" or (not gtfs and not own_ridership):
        return ""
    return gtfs or None


def load_feed(gtfs: str = "") -> gtfs_kit.Feed:
    """The feed at ``gtfs``, or the Cairns feed shipped with govlab."""
    from govlab.datasets import load_gtfs, sample_path

    return load_gtfs(gtfs if gtfs and gtfs != "sample" else sample_path("gtfs_cairns"))


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


def read_ridership(path: str, info: dict[str, Any]) -> pd.DataFrame:
    """A participant's ridership as ``govlab run`` wrote it, with what it knew about it."""
    frame = pd.read_parquet(path)
    frame.attrs.update(info.get("attrs", {}))
    return frame


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
    path = feed_path(params["gtfs"], data is not None)
    if path is not None and (params["gtfs"] or params["date"]):
        service_day(load_feed(path), params["date"])
    if data is not None:
        _check_hours(_as_series(data), params["redesign_date"])


def _check_hours(series: pd.DataFrame, redesign_date: str | None) -> None:
    """Refuse a route that has revenue hours but none before or after the redesign."""
    after = _after(series, redesign_date)
    if after is None or series["revenue_hours"].isna().all():
        return
    hours = series.groupby([after.rename("after"), series["route"]])["revenue_hours"].sum()
    if (hours <= 0).any():
        (is_after, route) = hours[hours <= 0].index[0]
        raise InvalidInput(
            located(
                f"route {route!r} has no revenue hours {'after' if is_after else 'before'} the "
                "redesign; boardings per revenue hour need hours > 0",
                file=series.attrs.get("file"),
                field=series.attrs.get("columns", {}).get("revenue_hours", "revenue_hours"),
            )
        )


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _as_series(data: pd.DataFrame) -> pd.DataFrame:
    """The canonical series: ``date`` (the generator writes ``week``) and a ``line``."""
    out = data.rename(columns={"week": "date"}) if "week" in data.columns else data.copy()
    if "line" not in out.columns:
        out["line"] = np.arange(len(out)) + 2
    if "revenue_hours" not in out.columns:
        out["revenue_hours"] = np.nan
    out.attrs = {**data.attrs, **out.attrs}
    out.attrs.setdefault("frequency", "week")
    out.attrs.setdefault("level", "route")
    return out


def _after(data: pd.DataFrame, redesign_date: str | None) -> pd.Series | None:
    """True for the rows after the redesign (from the date, else the ``period`` column)."""
    if redesign_date:
        return data["date"] >= pd.Timestamp(redesign_date)
    if "period" not in data.columns or data["period"].isna().all():
        return None
    period = data["period"].astype("str").str.strip().str.lower()
    unknown = ~period.isin(["before", "after"]) & data["period"].notna()
    if unknown.any():
        pos = int(np.argmax(unknown.to_numpy()))
        raise InvalidInput(
            located(
                f"period {data['period'].iloc[pos]!r}: expected before or after",
                file=data.attrs.get("file"),
                row=int(data["line"].iloc[pos]),
                field=data.attrs.get("columns", {}).get("period", "period"),
            )
        )
    return period == "after"


def analyse(
    ridership: pd.DataFrame | None,
    feed: gtfs_kit.Feed | None = None,
    *,
    date: str | None = None,
    start: str = "07:00",
    end: str = "19:00",
    radius_m: float = 400.0,
    weakest: int = 5,
    redesign_date: str | None = None,
    per: str = "week",
    seed: int = 0,
    synthetic: bool | None = None,
    **_: Any,
) -> TransitNetwork:
    """Compute every table and key figure of the case.

    Network (on the service day): trips per hour and headways per route in the
    window, service hours per route, stops within ``radius_m``. Ridership, on
    ``per`` periods: boardings per revenue hour per route after the redesign (the
    current network) and before, and the change in network boardings per period
    with a bootstrap interval (:func:`govlab.analysis.redesign_before_after`).
    ``synthetic`` says the ridership was generated (default: its ``attrs``).
    """
    notes: list[str] = []
    network = _network(feed, date, start, end, radius_m) if feed is not None else None
    rides = None
    if ridership is not None:
        made_up = bool(ridership.attrs.get("synthetic")) if synthetic is None else synthetic
        rides = _ridership(ridership, network, feed, redesign_date, per, weakest, seed, made_up,
                           notes)  # fmt: skip
    if network is None:
        notes.insert(0, _no_feed_note())
    elif network.summary.get("left_aside"):
        notes.insert(0, _left_aside_note(network.summary["left_aside"]))
    result = TransitNetwork(network, rides, notes)
    result.figures.update(_figures(result))
    generated = RIDERSHIP_FIGURES if rides is not None and rides.synthetic else frozenset()
    return TransitNetwork(network, rides, notes, result.figures, generated & set(result.figures))


def _left_aside_note(files: Any) -> str:
    return (
        f"The feed also holds files that are not part of GTFS ({', '.join(map(str, files))}): "
        "they are left aside; the figures come from its GTFS files only."
    )


def _no_feed_note() -> str:
    return (
        "No GTFS feed was given, so the network figures (frequency, coverage, revenue hours on "
        f"a day) are left out; give your feed with {words.parameter('gtfs', 'FEED.zip')}, or "
        f"{words.parameter('gtfs', 'sample')} to set your ridership beside the Cairns timetable."
    )


def _network(
    feed: gtfs_kit.Feed, date: str | None, start: str, end: str, radius_m: float
) -> Network:
    from govlab.analysis import route_frequency, service_hours, stop_coverage
    from govlab.datasets import feed_summary

    day = service_day(feed, date)
    frequency = _per_route(route_frequency(feed, day, start, end))
    service = service_hours(feed, day)
    coverage = stop_coverage(feed, radius_m=radius_m, date=day)
    return Network(day, frequency, service, coverage, feed_summary(feed))


def _ridership(
    data: pd.DataFrame,
    network: Network | None,
    feed: gtfs_kit.Feed | None,
    redesign_date: str | None,
    per: str,
    weakest: int,
    seed: int,
    synthetic: bool,
    notes: list[str],
) -> Ridership:
    from govlab.analysis import resample

    series = _as_series(data)
    level = str(series.attrs.get("level", "route"))
    source = str(series.attrs.get("frequency", "week"))
    values = ["boardings", "revenue_hours"]
    done = resample(series, "date", values, source=source, unit=per, by="route")
    rides = done.frame
    after = _after(_periods(series, rides), redesign_date)
    if after is not None:
        rides["period"] = np.where(after.to_numpy(), "after", "before")
    unknown = _unknown_routes(rides, feed, level)
    if unknown:
        notes.append(_unknown_note(unknown))
    return Ridership(
        series=rides,
        unit=done.unit,
        sentence=done.sentence,
        synthetic=synthetic,
        level=level,
        productivity=_productivity(rides, weakest, level, notes),
        by_period=_by_period(rides, weakest, level),
        redesign=_redesign(rides, seed, done.unit, notes),
        totals=_totals(rides),
        unknown_routes=tuple(unknown),
    )


def _periods(series: pd.DataFrame, rides: pd.DataFrame) -> pd.DataFrame:
    """The resampled rows with the before/after label of the rows they sum (by start date)."""
    if "period" not in series.columns or series["period"].isna().all():
        return rides.assign(line=0)
    first_after = series.loc[series["period"].astype("str").str.lower() == "after", "date"].min()
    label = np.where(rides["date"] >= first_after, "after", "before")
    return rides.assign(period=label, line=0)


def _unknown_note(unknown: list[str]) -> str:
    return (
        f"Routes in your ridership that the feed does not have: {', '.join(unknown)}. Their "
        "boardings count in the network totals, but they are matched to no timetable."
    )


def assumptions(data: pd.DataFrame | None, params: dict[str, Any]) -> list[str]:
    """What a run will assume or leave out, said before it runs (``--check``).

    The feed used (or its absence), how the ridership is resampled to the case's
    period, and the ridership routes the feed lacks: the report's own sentences.
    """
    from govlab.analysis import resample
    from govlab.datasets.gtfs import other_files

    path = feed_path(str(params.get("gtfs", "")), data is not None)
    feed = load_feed(path) if path is not None else None
    notes = [] if feed is not None else [_no_feed_note()]
    left_aside = other_files(path) if path is not None else []
    if left_aside:
        notes.append(_left_aside_note(left_aside))
    if data is None:
        return notes
    series = _as_series(data)
    level = str(series.attrs.get("level", "route"))
    done = resample(
        series, "date", ["boardings", "revenue_hours"],
        source=str(series.attrs.get("frequency", "week")), unit=str(params.get("per", "week")),
        by="route",
    )  # fmt: skip
    notes.append(done.sentence)
    unknown = _unknown_routes(done.frame, feed, level)
    if unknown:
        notes.append(_unknown_note(unknown))
    return notes


def _unknown_routes(rides: pd.DataFrame, feed: gtfs_kit.Feed | None, level: str) -> list[str]:
    if feed is None or level != "route":
        return []
    known = set(feed.routes["route_short_name"].astype("str")) | set(
        feed.routes["route_id"].astype("str")
    )
    return sorted(set(rides["route"].astype("str")) - known)


def _productivity(
    rides: pd.DataFrame, weakest: int, level: str, notes: list[str]
) -> pd.DataFrame | None:
    from govlab.analysis import productivity

    hours = rides.groupby("route")["revenue_hours"].sum(min_count=1)
    if hours.isna().any() or (hours <= 0).any():
        notes.append(
            "Your ridership gives no revenue hours"
            + (" for every route" if hours.notna().any() else "")
            + ", so boardings per revenue hour and the weakest routes are left out; add them "
            f"with {words.mapping('revenue_hours')}."
        )
        return None
    current = rides[rides["period"] == "after"] if "period" in rides else rides
    if current.empty:
        current = rides
    return productivity(current, route="route", boardings="boardings", weakest=weakest)


def _by_period(rides: pd.DataFrame, weakest: int, level: str) -> pd.DataFrame | None:
    from govlab.analysis import productivity

    if (
        "period" not in rides
        or rides["revenue_hours"].isna().any()
        or rides["period"].nunique() < 2
    ):
        return None
    return productivity(rides, by="period", weakest=weakest)


def _redesign(rides: pd.DataFrame, seed: int, unit: str, notes: list[str]) -> BeforeAfter | None:
    from govlab.analysis import BeforeAfter, redesign_before_after

    if "period" not in rides:
        notes.append(
            "No redesign date was given, so the before/after comparison is left out; give it "
            f"with {words.parameter('redesign_date', 'YYYY-MM-DD')} or a before/after column."
        )
        return None
    counts = rides.groupby("period")["date"].nunique()
    if counts.get("before", 0) < 2 or counts.get("after", 0) < 2:
        notes.append(
            f"The before/after comparison needs at least two {unit}s on each side of the "
            f"redesign; the data has {counts.get('before', 0)} before and "
            f"{counts.get('after', 0)} after, so it is left out."
        )
        return None
    change = redesign_before_after(rides, None, time="date", seed=seed, per=unit)
    if not isinstance(change, BeforeAfter):  # pragma: no cover - no changed_routes given
        raise TypeError("expected a before/after comparison of the whole network")
    return change


def _totals(rides: pd.DataFrame) -> pd.DataFrame:
    keys = ["date", "period"] if "period" in rides else ["date"]
    return rides.groupby(keys, as_index=False)[["boardings", "revenue_hours"]].sum(min_count=1)


def _per_route(frequency: pd.DataFrame) -> pd.DataFrame:
    """One row per route: trips in both directions, and the mean headway of one direction.

    ``headway_min`` is the mean over directions of their mean headways (a rider
    waits for a vehicle in one direction); NaN when no direction has two trips.
    """
    out = frequency.groupby("route_short_name", as_index=False).agg(
        trips=("trips", "sum"),
        trips_per_hour=("trips_per_hour", "sum"),
        headway_min=("mean_headway_min", "mean"),
    )
    out["frequent"] = out["headway_min"] <= FREQUENT_MIN
    return out.sort_values("headway_min", na_position="last", ignore_index=True)


def _figures(result: TransitNetwork) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    net = result.network
    if net is not None:
        figures.update(
            routes=int(net.service["route_short_name"].nunique()),
            stops=int(net.coverage.served_stops),
            median_headway_min=float(net.frequency["headway_min"].median()),
            frequent_routes=int(net.frequency["frequent"].sum()),
            coverage_km2=float(net.coverage.area_km2),
            service_hours=float(net.service["service_hours"].sum()),
        )
    rides = result.ridership
    if rides is None:
        return figures
    current = (
        rides.series[rides.series["period"] == "after"]
        if "period" in rides.series
        else rides.series
    )
    if rides.productivity is not None and len(current):
        figures["boardings_per_hour"] = float(
            current["boardings"].sum() / current["revenue_hours"].sum()
        )
        weakest = rides.productivity[rides.productivity["weakest"]]
        if not weakest.empty and rides.level != "network":
            last = weakest.sort_values("boardings_per_hour").iloc[0]
            figures["weakest_route"] = str(last["route"])
            figures["weakest_boardings_per_hour"] = float(last["boardings_per_hour"])
    change = rides.redesign
    if change is not None:
        base = change.mean_before
        figures.update(
            ridership_change=change.estimate / base * 100,
            ridership_change_low=change.ci_low / base * 100,
            ridership_change_high=change.ci_high / base * 100,
            ridership_p_value=change.p_value,
        )
    return figures


def network_words(network: Network | None, gtfs: str) -> str:
    """How the report names the feed: ``the Cairns GTFS feed (2014)`` or yours, by agency."""
    if network is None:
        return "no GTFS feed"
    if not gtfs or gtfs == "sample":
        return "the Cairns GTFS feed (2014)"
    return f"{network.agency}'s GTFS feed ({Path(gtfs).name})"
