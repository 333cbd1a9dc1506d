"""The case modules' own arithmetic, on small data worked out by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from govlab.casestudies.cases import service_performance_311 as s311
from govlab.casestudies.cases import shared_portal as portal
from govlab.casestudies.cases import transit_network as transit

T0 = pd.Timestamp("2024-01-01")


def h(hours: float | None) -> Any:
    return pd.NaT if hours is None else T0 + pd.Timedelta(hours=hours)


@pytest.fixture
def log() -> pd.DataFrame:
    """Six requests; target 24 h.

    r1 A/x 0->10 h on time; r2 A/x 0->30 h late; r3 A/x 0->open (late once 24 h old);
    r4 B/y 40->open; r5 B/y 0->50 h late; r6 B/z 0->1 h on time.
    """
    rows = [
        ("r1", 0, 10, "x", "A"),
        ("r2", 0, 30, "x", "A"),
        ("r3", 0, None, "x", "A"),
        ("r4", 40, None, "y", "B"),
        ("r5", 0, 50, "y", "B"),
        ("r6", 0, 1, "z", "B"),
    ]
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "opened": [h(r[1]) for r in rows],
            "closed": pd.Series([h(r[2]) for r in rows], dtype="datetime64[ns]"),
            "category": [r[3] for r in rows],
            "agency": [r[4] for r in rows],
        }
    )


def test_priorities_by_hand(log: pd.DataFrame) -> None:
    # as of 48 h: r3 is 48 h old and open -> late; r4 is 8 h old -> not late
    table = s311.priorities(log, sla_hours=24, as_of=h(48), min_requests=1)
    assert table[["agency", "category"]].values.tolist() == [["A", "x"], ["B", "y"], ["B", "z"]]
    assert table["requests"].tolist() == [3, 2, 1]
    assert table["late"].tolist() == [2, 1, 0]  # A/x: r2, r3; B/y: r5
    assert table["open_late"].tolist() == [1, 0, 0]
    assert table["median_hours"].tolist() == [20.0, 50.0, 1.0]  # median(10, 30) = 20
    assert table["late_share"].round(2).tolist() == [66.67, 33.33, 0.0]  # of 3 late
    assert table["late_rate"].round(2).tolist() == [66.67, 50.0, 0.0]
    assert len(s311.priorities(log, sla_hours=24, as_of=h(48), min_requests=2)) == 2


def test_311_figures_by_hand(log: pd.DataFrame) -> None:
    figures = s311.analyse(log, sla_hours=24, min_requests=1, backlog_freq="D").figures
    # closed hours sorted: 1, 10, 30, 50
    assert figures["requests"] == 6
    assert figures["closed_share"] == pytest.approx(4 / 6 * 100)
    assert figures["median_hours"] == pytest.approx(20.0)  # (10 + 30) / 2
    assert figures["p90_hours"] == pytest.approx(44.0)  # h = 0.9 * 3 = 2.7: 30 + 0.7 * 20
    assert figures["sla_compliance"] == pytest.approx(50.0)  # 1 h and 10 h of 4 closed
    # as of the last time in the log (50 h): r3 and r4 are open; r5 closed at 50 h
    assert figures["backlog_end"] == 2
    # A and B both at 1 of 2 closed on time: the tie goes to the first name
    assert figures["worst_agency"] == "A"
    assert figures["worst_agency_compliance"] == pytest.approx(50.0)
    assert figures["act_first"] == "A: x"
    assert figures["act_first_late_share"] == pytest.approx(200 / 3)


def test_311_sample_backlog_spans_its_own_period_and_codes_are_explained() -> None:
    result = s311.analyse(s311.default_data())
    first, last = result.profile.first_opened, result.profile.last_opened
    assert (f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}") == ("2011-02-06", "2011-11-03")
    # weeks from Monday 31 January to the week of the last opening; closings up to 2015
    # after it are counted apart (closed_after), not drawn
    periods = result.backlog["period"]
    assert (f"{periods.min():%Y-%m-%d}", f"{periods.max():%Y-%m-%d}") == (
        "2011-01-31",
        "2011-10-31",
    )
    assert f"{result.profile.last_closed:%Y}" == "2015" and result.closed_after == 15
    # every agency of the tables, and the SCRIE complaint type, say what they stand for
    assert set(result.by_agency["agency"]) <= set(result.codes)
    assert result.codes["SCRIE"] == "Senior Citizen Rent Increase Exemption"


def test_portal_savings_by_hand() -> None:
    months = pd.date_range("2020-01-01", periods=6, freq="MS")
    volumes = {  # after the launch (April): online, phone, in person; 1,000 a month
        months[3]: (400, 300, 300),
        months[4]: (450, 275, 275),
        months[5]: (500, 250, 250),
    }
    rows = [
        {"municipality": "A", "month": m, "channel": c, "transactions": n, "treated": True}
        for m in months
        for c, n in zip(portal.CHANNELS, volumes.get(m, (300, 350, 350)), strict=True)
    ]
    costs = pd.DataFrame({"channel": ["online", "phone", "in_person"], "usd": [0.2, 3.0, 9.0]})
    series = pd.DataFrame(
        {
            "month": months,
            "online_share": [30, 30, 30, 40, 45, 50],
            "counterfactual": [30, 30, 30, 30, 31, 32],
            "post": [False, False, False, True, True, True],
        }
    )
    savings = portal._savings(pd.DataFrame(rows), costs, series, months[3])
    # offline cost = (300 * 3 + 300 * 9) / 600 = 6.0 in April, and 6.0 every month (equal split)
    assert savings["offline_cost"].tolist() == [6.0, 6.0, 6.0]
    # 1000 * (40 - 30) / 100 * (6.0 - 0.2) = 580; then 140 * 5.8 = 812; 180 * 5.8 = 1044
    assert savings["savings"].round(6).tolist() == [580.0, 812.0, 1044.0]


def test_portal_cost_benefit_by_hand() -> None:
    flows, tornado = portal._cost_benefit(100.0, 150.0, 0.0, 2, 0.0)
    assert flows["net"].tolist() == [-150.0, 100.0, 100.0]
    assert flows["discounted"].sum() == pytest.approx(50.0)
    # swings: savings 50..150 -> NPV -50..150 (200); platform 112.5..225 -> 87.5..-25 (112.5);
    # running 0..15 -> 50..20 (30); discount 0..7 % -> 50..-150 + 100/1.07 + 100/1.07^2 (19.2)
    assert tornado["input"].tolist() == ["savings", "platform", "running", "discount"]
    assert tornado["swing"].round(3).tolist() == [200.0, 112.5, 30.0, 19.198]


def test_portal_unit_costs_are_the_uk_figures_converted() -> None:
    table = portal.channel_unit_costs("socitm", 2.0).set_index("channel")
    # SOCITM 2012 (GDS report, footnote 9): 0.15 digital, 2.83 phone, 8.62 face to face
    assert table["gbp"].to_dict() == {"in_person": 8.62, "phone": 2.83, "online": 0.15}
    assert table["usd"].round(2).to_dict() == {"in_person": 17.24, "phone": 5.66, "online": 0.3}


def test_portal_channel_spellings() -> None:
    panel = pd.DataFrame(
        {
            "municipality": ["A"] * 4,
            "month": pd.to_datetime(["2020-01-15"] * 4),
            "channel": ["Web", " Telephone", "COUNTER", "post"],
            "transactions": [1, 2, 3, 4],
        }
    )
    out = portal.normalise(panel)
    assert out["channel"].tolist() == ["online", "phone", "in_person", "in_person"]
    assert out["treated"].tolist() == [True] * 4  # no comparison group given
    assert out["month"].tolist() == [pd.Timestamp("2020-01-01")] * 4


def test_portal_default_panel_is_rescaled_and_synthetic() -> None:
    full = portal.default_data(municipalities=3, requests_per_resident=0.25, seed=1)
    small = portal.default_data(municipalities=3, requests_per_resident=0.025, seed=1)
    assert full.attrs["synthetic"] is True and small.attrs["launch_date"] == "2022-07-01"
    assert full["municipality"].nunique() == 6 and int(full["treated"].sum()) == 3 * 36 * 3
    # a tenth of the rate: each count is round(n / 10)
    assert (small["transactions"] == (full["transactions"] / 10).round()).all()


def test_transit_one_row_per_route() -> None:
    frequency = pd.DataFrame(
        {
            "route_short_name": ["1", "1", "2"],
            "trips": [7, 4, 1],
            "trips_per_hour": [3.5, 2.0, 0.5],
            "mean_headway_min": [10.0, 20.0, np.nan],
        }
    )
    out = transit._per_route(frequency).set_index("route_short_name")
    assert out.loc["1", "trips"] == 11 and out.loc["1", "trips_per_hour"] == 5.5
    assert out.loc["1", "headway_min"] == 15.0  # (10 + 20) / 2
    assert bool(out.loc["1", "frequent"]) is True  # 15 <= 15
    assert out["headway_min"].isna().tolist() == [False, True] and not bool(
        out.loc["2", "frequent"]
    )


def test_transit_generated_ridership_matches_the_timetable() -> None:
    from govlab.analysis import service_hours

    feed = transit.load_feed()
    rides = transit.default_data(feed, weeks_before=4, weeks_after=4, seed=3)
    day = transit.service_day(feed, None)
    daily = service_hours(feed, day).groupby("route_short_name")["service_hours"].sum()
    before = rides[rides["period"] == "before"].groupby("route")["revenue_hours"].mean()
    # each route's weekly hours before the redesign = 7 x its hours on the day (+- rounding)
    assert (before - 7 * daily).abs().max() < 0.1
    assert day == "20140530"  # the busiest day of the feed's first week: a Friday
    assert rides.attrs["synthetic"] is True
