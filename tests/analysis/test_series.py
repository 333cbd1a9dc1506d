"""Series on an analysis period, late requests on both engines, one duplicates rule, by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.analysis import before_after, late_requests, log_profile, resample
from govlab.errors import InvalidInput

T0 = pd.Timestamp("2024-01-01")  # a Monday


def daily(days: int, value: float = 10.0) -> pd.DataFrame:
    return pd.DataFrame(
        {"date": pd.date_range(T0, periods=days, freq="D"), "route": "A", "boardings": value}
    )


def test_daily_values_summed_into_weeks_with_incomplete_weeks_left_out() -> None:
    # 1 Jan (Mon) to 17 Jan (Wed): two whole weeks and three days of a third
    done = resample(daily(17), "date", ["boardings"], source="day", unit="week", by="route")
    assert done.frame["date"].tolist() == [T0, T0 + pd.Timedelta(days=7)]
    assert done.frame["boardings"].tolist() == [70.0, 70.0]
    assert done.dropped == ("2024-01-15",)
    assert done.sentence == (
        "Your data is daily: it was summed into weeks (Monday to Sunday). The week of "
        "2024-01-15 is incomplete in the data and left out."
    )


def test_daily_values_into_months_and_coarser_data_kept_as_it_is() -> None:
    # 1 Jan to 29 Feb 2024 (a leap year): both months complete
    done = resample(daily(60, 1.0), "date", ["boardings"], source="day", unit="month")
    assert done.frame["boardings"].tolist() == [31.0, 29.0] and done.dropped == ()
    monthly = pd.DataFrame({"date": pd.date_range(T0, periods=3, freq="MS"), "boardings": 5.0})
    kept = resample(monthly, "date", ["boardings"], source="month", unit="week")
    assert kept.unit == "month" and len(kept.frame) == 3
    assert kept.sentence == (
        "Your data is monthly, coarser than the weeks the case works on: the analysis runs on "
        "months."
    )


def log() -> pd.DataFrame:
    """r1 A 0->10 h; r2 A 0->30 h; r3 A open; r4 B opened 40 h, open; r5 B 0->50 h."""

    def at(h: float | None) -> pd.Timestamp:
        return pd.NaT if h is None else T0 + pd.Timedelta(hours=h)

    rows = [("r1", 0, 10, "A"), ("r2", 0, 30, "A"), ("r3", 0, None, "A"), ("r4", 40, None, "B"),
            ("r5", 0, 50, "B")]  # fmt: skip
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "opened": [at(r[1]) for r in rows],
            "closed": pd.Series([at(r[2]) for r in rows], dtype="datetime64[ns]"),
            "agency": [r[3] for r in rows],
        }
    )


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_late_requests_by_hand(engine: str, tmp_path: Path) -> None:
    source = log()
    if engine == "duckdb":
        source.to_parquet(tmp_path / "log.parquet")
    where = tmp_path / "log.parquet" if engine == "duckdb" else source
    # target 24 h, as of 48 h: late r2 (30 h), r3 (open, 48 h old), r5 (50 h); r4 is 8 h old
    table = late_requests(where, 24, T0 + pd.Timedelta(hours=48), by="agency", engine=engine)  # type: ignore[arg-type]
    assert table["agency"].tolist() == ["A", "B"]
    assert table["late"].tolist() == [2, 1] and table["open_late"].tolist() == [1, 0]
    # open at 48 h: r3; r4 and r5 (closed at 50 h)
    assert table["open_at"].tolist() == [1, 2]
    assert table["median_hours"].tolist() == [20.0, 50.0]
    profile = log_profile(where, ["agency", "category"], engine=engine)  # type: ignore[arg-type]
    assert (profile.requests, profile.closed, profile.date_only) == (5, 3, False)
    assert profile.filled == {"agency": 5, "category": 0}
    assert profile.last_moment == T0 + pd.Timedelta(hours=50)


def test_a_date_only_log_is_told_apart() -> None:
    frame = log()
    frame["opened"] = frame["opened"].dt.normalize()
    frame["closed"] = frame["closed"].dt.normalize() + pd.Timedelta(days=1)
    assert log_profile(frame).date_only is True


def test_before_after_refuses_duplicate_periods_naming_both_rows() -> None:
    frame = pd.DataFrame(
        {"month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-01", "2024-03-01",
                                  "2024-04-01"]), "calls": [10.0, 11.0, 1.0, 20.0, 21.0]}
    )  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        before_after(frame, outcome="calls", time="month", intervention="2024-03-01")
    assert str(error.value).startswith(
        "data, row 2: 2024-02-01 appears twice (rows 1 and 2); expected one row per period"
    )
    summed = before_after(
        frame, outcome="calls", time="month", intervention="2024-03-01", duplicates="sum"
    )
    # before: 10 and 11 + 1 = 12 -> mean 11; after: 20, 21 -> 20.5
    assert (summed.mean_before, summed.mean_after) == (11.0, 20.5)


def test_before_after_reads_dates_left_as_text() -> None:
    frame = pd.DataFrame(
        {"day": ["13/01/2024", "14/01/2024", "15/01/2024", "16/01/2024"], "n": [1, 2, 5, 6]}
    )
    result = before_after(frame, outcome="n", time="day", intervention="2024-01-15")
    assert (result.n_before, result.n_after, result.estimate) == (2, 2, 4.0)
    with pytest.raises(InvalidInput, match=r"no value is after '2030-01-01'"):
        before_after(frame, outcome="n", time="day", intervention="2030-01-01")
