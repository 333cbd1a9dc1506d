"""Ridership as agencies publish it: wide or long, daily to monthly, duplicates by one rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import load_ridership, speaking
from govlab.datasets.ridership import NETWORK, frequency
from govlab.errors import InvalidInput

CITIES = Path(__file__).parent / "fixtures" / "cities"


def test_a_wide_daily_file_becomes_one_row_per_day_and_route() -> None:
    # Date, NV1, NV2, Total: 37 days from Monday 1 January 2024
    frame = load_ridership(CITIES / "ridership_wide_daily.csv")
    assert frame.attrs["layout"] == "wide" and frame.attrs["level"] == "route"
    assert frame.attrs["frequency"] == "day"
    assert len(frame) == 2 * 37  # Total is left out: it would count every boarding twice
    assert sorted(frame["route"].unique()) == ["NV1", "NV2"]
    assert frame.attrs["notes"][0].startswith("Column 'Total' is the total of the others")
    nv1 = frame[frame["route"] == "NV1"].set_index("date")["boardings"]
    assert nv1[pd.Timestamp("2024-01-21")] == 100 and nv1[pd.Timestamp("2024-01-22")] == 120
    # day-first: 13/01/2024 can only be 13 January
    assert frame.attrs["reading"]["sentence"] == "read as UTF-8, ','-separated, day-first dates"
    # each value keeps its file line: 01/01/2024 is line 2, 06/02/2024 line 38
    assert frame[frame["route"] == "NV2"]["line"].tolist() == list(range(2, 39))


def test_a_duplicate_date_names_both_lines() -> None:
    with speaking("cli"), pytest.raises(InvalidInput) as error:
        load_ridership(CITIES / "ridership_duplicate_dates.csv")
    assert str(error.value) == (
        f"{CITIES / 'ridership_duplicate_dates.csv'}, row 4: route NV1, date 2024-01-08 appears "
        "twice (rows 3 and 4); expected one row per date and route. To combine duplicates "
        "give --duplicates sum (or mean, or last to keep the later row)"
    )


@pytest.mark.parametrize(
    ("rule", "second_week"),
    [("sum", 750.0), ("mean", 375.0), ("last", 30.0)],  # 720 and 30 on 2024-01-08
)
def test_duplicates_combined_by_the_rule(rule: str, second_week: float) -> None:
    frame = load_ridership(CITIES / "ridership_duplicate_dates.csv", duplicates=rule)
    assert frame["boardings"].tolist() == [700.0, second_week, 710.0]


def test_an_unknown_rule_is_refused_in_the_interfaces_words() -> None:
    with speaking("cli"), pytest.raises(InvalidInput, match="--duplicates: expected one of"):
        load_ridership(CITIES / "ridership_duplicate_dates.csv", duplicates="first")


def test_one_series_for_the_whole_network(tmp_path: Path) -> None:
    path = tmp_path / "system.csv"
    path.write_text("Month,Unlinked Passenger Trips\n2024-01-01,1000\n2024-02-01,1100\n")
    frame = load_ridership(path)
    assert frame.attrs["level"] == "network" and frame.attrs["frequency"] == "month"
    assert frame["route"].tolist() == [NETWORK, NETWORK]
    assert frame["boardings"].tolist() == [1000.0, 1100.0]


def test_a_wide_file_of_modes(tmp_path: Path) -> None:
    path = tmp_path / "modes.csv"
    path.write_text("week,Bus,Light Rail\n2024-01-01,500,300\n2024-01-08,520,310\n")
    frame = load_ridership(path)
    assert frame.attrs["level"] == "mode" and frame.attrs["frequency"] == "week"
    assert frame.groupby("route")["boardings"].sum().to_dict() == {
        "Bus": 1020.0,
        "Light Rail": 610.0,
    }


def test_a_long_file_with_a_route_but_no_boardings_says_how_to_map_it(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Week,Line,Validations\n2024-01-01,1,500\n2024-01-08,1,520\n")
    with speaking("cli"), pytest.raises(InvalidInput, match="name it with --map boardings=COLUMN"):
        load_ridership(path)
    frame = load_ridership(path, {"boardings": "Validations"})
    assert frame["boardings"].tolist() == [500.0, 520.0]


def test_the_frequency_is_read_from_the_dates() -> None:
    days = pd.Series(pd.date_range("2024-01-01", periods=5, freq="D"))
    weeks = pd.Series(pd.date_range("2024-01-01", periods=5, freq="7D"))
    months = pd.Series(pd.date_range("2024-01-01", periods=5, freq="MS"))
    assert [frequency(s) for s in (days, weeks, months)] == ["day", "week", "month"]
    with pytest.raises(InvalidInput, match="the dates are 3 days apart"):
        frequency(pd.Series(pd.date_range("2024-01-01", periods=5, freq="3D")))
