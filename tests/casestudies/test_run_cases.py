"""Each case run end to end through the ``govlab`` console script: on its own data, and on a
foreign-schema file through ``--map``, with the key figures checked against the files."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from statistics import median

import nbformat
import pandas as pd
import pytest

from .conftest import COUNCIL_CHANNELS, PORTAL_LAUNCH, RIDERSHIP_REDESIGN, Run

# one xdist worker makes the six runs once, for these tests and the browser's
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("casestudies-runs")]

CaseRun = Callable[[str, bool], Run]
CASES = ["service-performance-311", "transit-network", "shared-portal", "digital-by-default"]


def nyc_hours(path: Path, created: str, closed: str, fmt: str) -> tuple[int, list[float]]:
    """Rows, and the response hours of the closed ones, read with the csv module.

    NYC writes ``01/01/1900 12:00:00 AM`` for "no closing date" (one row of the sample).
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    hours = [
        (datetime.strptime(r[closed], fmt) - datetime.strptime(r[created], fmt)).total_seconds()
        / 3600
        for r in rows
        if r[closed] and not r[closed].startswith("01/01/1900")
    ]
    return len(rows), hours


@pytest.mark.parametrize("case", CASES)
def test_default_run_writes_notebook_report_and_figures(case_run: CaseRun, case: str) -> None:
    run = case_run(case, False)
    result = run.result
    assert result["case"] == case and result["data"] == "default"
    assert result["synthetic"] is (case in ("transit-network", "shared-portal"))
    assert result["original"] is None
    assert Path(result["report"]) == run.out and run.out.exists()
    executed = nbformat.read(result["notebook"], as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    assert result["seconds"] < 120
    html = run.html
    assert "Key figures" in html and "Your data beside the original case" in html
    assert "import pandas" not in html  # no code cells in the report


def test_311_default_figures(case_run: CaseRun) -> None:
    from govlab.datasets import sample_path

    figures = case_run("service-performance-311", False).result["figures"]
    rows, hours = nyc_hours(
        sample_path("nyc311"), "Created Date", "Closed Date", "%m/%d/%Y %I:%M:%S %p"
    )
    assert figures["requests"] == rows == 2000
    assert figures["closed_share"] == round(len(hours) / rows * 100, 2) == 97.85  # 1957 closed
    assert figures["median_hours"] == round(median(hours), 2) == 23.52
    assert figures["sla_compliance"] == round(sum(h <= 72 for h in hours) / len(hours) * 100, 2)
    assert figures["worst_agency"] == "DOHMH"
    assert figures["act_first"] == "DOT: Street Condition"


def test_311_report_on_its_own_data_reads_as_one(case_run: CaseRun) -> None:
    """The three slips of the first 311 report: the backlog chart ran to 2015 for a log of
    2011, the agency codes were never explained, a figure was rounded two ways."""
    html = case_run("service-performance-311", False).html
    # opened 6 February to 3 November 2011 (the last closing, in 2015, is only counted)
    assert "Requests open at the end of each period, February 2011 to November 2011" in html
    assert "2015" not in html.split("Requests open at the end of each period")[1][:200]
    for code, name in [("DOHMH", "Department of Health and Mental Hygiene"),
                       ("DOT", "Department of Transportation"),
                       ("SCRIE", "Senior Citizen Rent Increase Exemption")]:  # fmt: skip
        assert code in html and name in html
    # 1,957 of 2,000 closed; 60.96 % within 72 h: said the same way everywhere
    assert "97.85 %" in html and "60.96 %" in html
    for other in ("97.9 %", "97.8 %", "98 %", "61.0 %", "61 %", "60.9 %"):
        assert other not in html, other


def test_transit_default_figures(case_run: CaseRun) -> None:
    figures = case_run("transit-network", False).result["figures"]
    # Cairns on Friday 30 May 2014: 22 routes, 416 stops
    assert (figures["routes"], figures["stops"]) == (22, 416)
    assert figures["frequent_routes"] == 0  # no route every 15 minutes
    low, high = figures["ridership_change_low"], figures["ridership_change_high"]
    assert low < figures["ridership_change"] < high
    assert figures["ridership_p_value"] < 0.05
    assert figures["weakest_boardings_per_hour"] < figures["boardings_per_hour"]


def test_portal_default_figures(case_run: CaseRun) -> None:
    figures = case_run("shared-portal", False).result["figures"]
    assert figures["municipalities"] == 54
    # the generator's true jump is 8 points and its slope change 0.6 points a month
    assert 7.0 < figures["its_level_change"] < 9.0
    assert 0.5 < figures["its_slope_change"] < 0.7
    assert figures["online_share_after"] > figures["online_share_before"]
    assert figures["cost_per_transaction_after"] < figures["cost_per_transaction_before"]
    # NPV = -400,000 + savings * sum_{t=1..5} 1.035^-t
    annuity = sum(1.035**-t for t in range(1, 6))
    assert figures["npv"] == pytest.approx(-400_000 + figures["annual_savings"] * annuity, abs=0.05)
    # payback inside the first year: 400,000 / (savings / 1.035)
    assert figures["payback_years"] == pytest.approx(
        400_000 / (figures["annual_savings"] / 1.035), abs=1e-3
    )


@pytest.mark.parametrize("case", CASES)
def test_mapped_run_compares_with_the_original(case_run: CaseRun, case: str) -> None:
    mine, default = case_run(case, True).result, case_run(case, False).result
    assert mine["data"] != "default" and mine["synthetic"] is False
    # the original's figures, computed in the notebook, are the default run's
    assert mine["original"] == default["figures"]
    assert mine["figures"] != default["figures"]
    html = case_run(case, True).html
    assert "Original case" in html and "Your data" in html and "On your data, " in html


def test_311_mapped_figures(case_run: CaseRun, foreign: dict[str, Path]) -> None:
    figures = case_run("service-performance-311", True).result["figures"]
    rows, hours = nyc_hours(
        foreign["service-performance-311"], "Opened", "Resolved", "%m/%d/%Y %I:%M:%S %p"
    )
    assert figures["requests"] == rows == 900
    assert figures["closed_share"] == round(len(hours) / rows * 100, 2)
    assert figures["median_hours"] == round(median(hours), 2)


def test_transit_mapped_figures(case_run: CaseRun, foreign: dict[str, Path]) -> None:
    figures = case_run("transit-network", True).result["figures"]
    rides = pd.read_csv(foreign["transit-network"])
    week = pd.to_datetime(rides["Week starting"], format="%d/%m/%Y")
    after = rides[week >= pd.Timestamp(RIDERSHIP_REDESIGN)]
    expected = after["Riders"].sum() / after["Service hours"].sum()
    assert figures["boardings_per_hour"] == round(expected, 2)
    weekly = rides.groupby(week)["Riders"].sum()
    before_mean = weekly[weekly.index < RIDERSHIP_REDESIGN].mean()
    after_mean = weekly[weekly.index >= RIDERSHIP_REDESIGN].mean()
    expected_change = (after_mean / before_mean - 1) * 100
    assert figures["ridership_change"] == pytest.approx(expected_change, abs=0.005)


def test_portal_mapped_figures(case_run: CaseRun, foreign: dict[str, Path]) -> None:
    figures = case_run("shared-portal", True).result["figures"]
    towns = pd.read_csv(foreign["shared-portal"], parse_dates=["Month"])
    joined = towns[towns["Joined"] == "yes"]
    before = joined[joined["Month"] < PORTAL_LAUNCH]
    share = before.loc[before["Channel"] == "Web", "Requests"].sum() / before["Requests"].sum()
    assert figures["municipalities"] == joined["Town"].nunique() == 8
    assert figures["online_share_before"] == round(share * 100, 2)


def test_digital_default_figures(case_run: CaseRun) -> None:
    from govlab.datasets import sample_path

    figures = case_run("digital-by-default", False).result["figures"]
    services = pd.read_csv(sample_path("uk_gds_digital_efficiency_2012"))
    total = services["annual_volume"].sum()
    assert figures["services"] == 17 and figures["transactions"] == total == 97_035_000
    digital = (services["annual_volume"] * services["pct_digital"] / 100).sum()
    assert figures["digital_share"] == round(digital / total * 100, 2)
    # SOCITM: offline = half phone (2.83) and half face to face (8.62); digital 0.15
    gain = 0.5 * 2.83 + 0.5 * 8.62 - 0.15
    assert figures["saving_per_point"] == round(total * 0.01 * gain, 2)
    # Vehicle excise duty: 43,630,000 a year at 47 % digital, 33 points short of 80 %
    assert figures["biggest_service"] == "Vehicle excise duty"
    assert figures["biggest_service_savings"] == round(0.33 * 43_630_000 * gain, 2)


def test_digital_mapped_figures(case_run: CaseRun) -> None:
    figures = case_run("digital-by-default", True).result["figures"]
    assert COUNCIL_CHANNELS.count("\n") == 10  # the header and nine rows, by hand below
    # 42,500 contacts, 24,000 of them web or online
    assert (figures["services"], figures["transactions"]) == (3, 42_500)
    assert figures["digital_share"] == round(24_000 / 42_500 * 100, 2)
    # cost: 0.15 digital, 2.83 phone, 8.62 face to face (post priced as face to face)
    # council tax 1,800 + 22,640 + 17,240; bins 1,350 + 16,980 + 4,310; parking 450 + 2,830 + 8,620
    assert figures["annual_cost"] == 76_220
    # saving per point: 22,000 x 1 % x (39,880 / 10,000 - 0.15) + 15,500 x 1 % x
    # (21,290 / 6,500 - 0.15) + 5,000 x 1 % x (11,450 / 2,000 - 0.15)
    per_point = 220 * (3.988 - 0.15) + 155 * (21_290 / 6_500 - 0.15) + 50 * (5.725 - 0.15)
    assert figures["saving_per_point"] == round(per_point, 2)
    # council tax is 5,600 contacts short of 80 % digital: 5,600 x 3.838
    assert figures["biggest_service"] == "Council tax"
    assert figures["biggest_service_savings"] == round(5_600 * 3.838, 2)
