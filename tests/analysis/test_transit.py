"""Transit analytics on the real Cairns GTFS feed (2014), checked against the raw text.

The figures were worked out from the files inside cairns_gtfs.zip with awk, e.g.
route 110's Monday trips:
    awk -F, '$1=="110-423" && $2=="CNS2014-CNS_MUL-Weekday-00"' trips.txt | wc -l   -> 59
and their first departures (stop_sequence 1) from stop_times.txt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govlab.analysis import transit
from govlab.analysis._geo import haversine_min
from govlab.analysis.impact import BeforeAfter, DifferenceInDifferences
from govlab.errors import InvalidInput

MONDAY = "20140602"


@pytest.fixture(scope="module")
def feed(samples: Callable[[str, str], Path]):  # noqa: ANN201 - a gtfs_kit.Feed
    path = samples("gtfs_cairns", "cairns_gtfs.zip")
    try:
        from govlab.datasets import load_gtfs
    except ImportError:
        import gtfs_kit

        return gtfs_kit.read_feed(path, dist_units="km")
    return load_gtfs(path)


def test_route_frequency_route_110_on_a_monday(feed) -> None:  # noqa: ANN001
    out = transit.route_frequency(feed, MONDAY, start="07:00", end="19:00")
    r110 = out[out["route_short_name"] == "110"].set_index("direction_id")
    # direction 0 starts in [07:00, 19:00): 07:15, 07:45, ..., 17:50, 18:13 -> 23 trips;
    # 22 gaps spanning 07:15..18:13 = 658 min -> mean 29.9 min; the longest 08:15->08:50 = 35
    assert r110.loc[0, "trips"] == 23
    assert r110.loc[0, "trips_per_hour"] == pytest.approx(23 / 12)
    assert r110.loc[0, "mean_headway_min"] == pytest.approx(658 / 22)
    assert r110.loc[0, "max_headway_min"] == 35
    assert r110.loc[1, "trips"] == 24
    # a date object reads the same as "YYYYMMDD"
    same = transit.route_frequency(feed, dt.date(2014, 6, 2))
    pd.testing.assert_frame_equal(same, out)


def test_service_hours_route_110(feed) -> None:  # noqa: ANN001
    out = transit.service_hours(feed, MONDAY).set_index("route_short_name")
    # 59 Monday trips, each (last arrival - first departure) summed = 57.35 h;
    # blank (untimed) stop times are ignored
    assert out.loc["110", "trips"] == 59
    assert out.loc["110", "service_hours"] == pytest.approx(57.35)
    assert out.loc["110", ["first_departure", "last_arrival"]].tolist() == ["05:50:00", "24:02:00"]
    # 622 trips run on weekdays (service Weekday-00), all of them on this Monday
    assert out["trips"].sum() == 622


def test_default_date_is_the_busiest_of_the_first_week(feed) -> None:  # noqa: ANN001
    # Friday 30 May 2014 adds the 14 trips of the Friday-only service to the 622
    out = transit.service_hours(feed)
    assert out["trips"].sum() == 622 + 14


def test_dates_outside_the_feed(feed) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput, match="no service on 20150101; the feed runs from 20140526"):
        transit.route_frequency(feed, "20150101")
    with pytest.raises(InvalidInput, match="not a time like 07:00"):
        transit.route_frequency(feed, MONDAY, start="seven")
    with pytest.raises(InvalidInput, match="must end after it starts"):
        transit.route_frequency(feed, MONDAY, start="19:00", end="07:00")


def test_stop_coverage(feed) -> None:  # noqa: ANN001
    cover = transit.stop_coverage(feed)
    assert (cover.stop_count, cover.served_stops, cover.route_count) == (416, 416, 22)
    stop = cover.stops.set_index("stop_id").loc["750000"]
    # stop 750000 (Cedar Rd, Palm Cove) is on routes 110 and 110N, 71 trips in the feed
    assert (stop["routes"], stop["trips"]) == (2, 71)
    # the union of 400 m circles is smaller than 416 separate circles (0.503 km2 each)
    assert 10 < cover.area_km2 < 416 * np.pi * 0.4**2
    assert cover.population_share is None


def test_stop_coverage_population_share(feed) -> None:  # noqa: ANN001
    palm_cove = feed.stops.set_index("stop_id").loc["750000"]
    points = pd.DataFrame(
        {
            "lat": [palm_cove["stop_lat"], -17.5],  # at a stop / out in the Coral Sea
            "lon": [palm_cove["stop_lon"], 146.5],
            "population": [300, 100],
        }
    )
    cover = transit.stop_coverage(feed, points, radius_m=400)
    assert cover.population_share == 0.75  # 300 of 400
    assert cover.points["covered"].tolist() == [True, False]
    assert cover.points["nearest_stop_m"].iloc[0] == 0
    with pytest.raises(InvalidInput, match="radius_m"):
        transit.stop_coverage(feed, radius_m=0)


def test_haversine_by_hand() -> None:
    # one degree of longitude on the equator: 6,371,008.8 m * pi / 180 = 111,195.08 m
    d = haversine_min(np.array([0.0]), np.array([0.0]), np.array([0.0, 10.0]), np.array([1.0, 1.0]))
    assert d[0] == pytest.approx(111_195.08, abs=0.01)


def test_productivity_hand_values() -> None:
    ridership = pd.DataFrame(
        {
            "route": ["A", "A", "B", "C"],
            "boardings": [60, 40, 300, 50],
            "revenue_hours": [5, 5, 20, 10],
        }
    )
    out = transit.productivity(ridership, weakest=1)
    # A: 100 / 10 = 10; B: 300 / 20 = 15; C: 50 / 10 = 5
    assert out["route"].tolist() == ["B", "A", "C"]
    assert out["boardings_per_hour"].tolist() == [15.0, 10.0, 5.0]
    assert out["rank"].tolist() == [1, 2, 3]
    assert out["weakest"].tolist() == [False, False, True]
    service = pd.DataFrame({"route_short_name": ["A", "B", "C"], "service_hours": [20, 20, 5]})
    joined = transit.productivity(ridership.drop(columns="revenue_hours"), service)
    assert joined.set_index("route")["boardings_per_hour"].to_dict() == {
        "A": 5.0,
        "B": 15.0,
        "C": 10.0,
    }
    with pytest.raises(InvalidInput, match="route 'C' has ridership but no row"):
        transit.productivity(ridership, service.iloc[:2])
    with pytest.raises(InvalidInput, match="route 'C' has no revenue hours"):
        transit.productivity(ridership.assign(revenue_hours=[5, 5, 20, 0]))


def test_productivity_on_generated_cairns_ridership(feed) -> None:  # noqa: ANN001
    datasets = pytest.importorskip("govlab.datasets")
    if not hasattr(datasets, "generate_ridership"):
        pytest.skip("govlab.datasets.generate_ridership is not there yet")
    routes = feed.routes["route_short_name"].tolist()
    ridership = datasets.generate_ridership(routes, seed=2)
    out = transit.productivity(ridership, by="period", weakest=3)
    assert set(out["period"]) == {"before", "after"}
    assert out.groupby("period")["weakest"].sum().tolist() == [3, 3]
    # a route's productivity is its boardings over its hours, summed over the weeks
    first = ridership[(ridership["route"] == routes[0]) & (ridership["period"] == "before")]
    row = out[(out["route"] == routes[0]) & (out["period"] == "before")].iloc[0]
    assert row["boardings_per_hour"] == pytest.approx(
        first["boardings"].sum() / first["revenue_hours"].sum()
    )


def weekly(values: dict[str, list[float]]) -> pd.DataFrame:
    weeks = pd.date_range("2014-01-06", periods=4, freq="7D")
    return pd.DataFrame(
        [
            {"route": r, "week": w, "boardings": b}
            for r, bs in values.items()
            for w, b in zip(weeks, bs, strict=True)
        ]
    )


def test_redesign_before_after_network_totals() -> None:
    frame = weekly({"A": [60, 70, 100, 110], "B": [40, 40, 50, 50]})
    result = transit.redesign_before_after(frame, "2014-01-20")
    # network totals 100, 110 before and 150, 160 after -> +50
    assert isinstance(result, BeforeAfter)
    assert result.estimate == 50.0
    assert result.sentence.startswith(
        "After the redesign, boardings per week (all routes) rose by 50"
    )


def test_redesign_difference_in_differences() -> None:
    frame = weekly(
        {"A": [10, 10, 20, 20], "B": [12, 12, 22, 22], "C": [10, 10, 12, 12], "D": [8, 8, 10, 10]}
    )
    result = transit.redesign_before_after(
        frame, pd.Timestamp("2014-01-20"), changed_routes=["A", "B"]
    )
    # changed routes +10, unchanged +2 -> 8 more boardings per route and week
    assert isinstance(result, DifferenceInDifferences)
    assert result.estimate == pytest.approx(8.0)
    assert result.errors == "cluster-robust by route"
    with pytest.raises(InvalidInput, match="changed route 'Z' is not in the ridership"):
        transit.redesign_before_after(frame, "2014-01-20", changed_routes=["Z"])
    with pytest.raises(InvalidInput, match="give the redesign date"):
        transit.redesign_before_after(frame)


def test_service_date(feed) -> None:  # noqa: ANN001
    assert transit.service_date(feed, "2014-06-02") == MONDAY
    assert transit.service_date(feed) == "20140530"  # Friday: 622 + 14 trips
