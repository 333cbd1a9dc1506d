"""generate_channel_shift and generate_ridership: shape, seeding, label, the built-in effect."""

from __future__ import annotations

import pandas as pd
import pytest

from govlab.datasets import generate_channel_shift, generate_ridership
from govlab.errors import InvalidInput


def test_channel_shift_panel() -> None:
    panel = generate_channel_shift(8, months=24, launch_month=12, seed=4)
    assert list(panel.columns) == [
        "municipality",
        "population",
        "month",
        "channel",
        "transactions",
        "cost_per_transaction",
        "treated",
        "post",
    ]
    assert len(panel) == 8 * 24 * 3
    assert panel.attrs["synthetic"] is True
    assert panel.attrs["launch_date"] == "2022-01-01"  # month 12 after 2021-01
    assert panel["month"].dtype == "datetime64[ns]"
    assert panel.groupby("municipality")["treated"].nunique().eq(1).all()
    assert panel.drop_duplicates("municipality")["treated"].sum() == 4  # half of 8
    assert set(panel["channel"]) == {"online", "phone", "in_person"}
    assert panel["post"].eq(panel["month"] >= pd.Timestamp("2022-01-01")).all()


def test_online_share_rises_only_for_treated() -> None:
    panel = generate_channel_shift(20, seed=1)
    totals = panel.pivot_table(
        index=["treated", "post"], columns="channel", values="transactions", aggfunc="sum"
    )
    online = totals["online"] / totals.sum(axis=1)
    treated_gain = online[(True, True)] - online[(True, False)]
    control_gain = online[(False, True)] - online[(False, False)]
    # built in: +8 points at launch and +0.6 a month after (mean 5.1 over 18 months),
    # against a common drift of 0.15 a month (2.7 points between the period means)
    assert treated_gain - control_gain == pytest.approx(0.08 + 0.006 * 8.5, abs=0.04)
    unit = panel.groupby("channel")["cost_per_transaction"].mean()
    assert unit["online"] < unit["phone"] < unit["in_person"]


def test_channel_shift_seeded() -> None:
    pd.testing.assert_frame_equal(
        generate_channel_shift(3, seed=9), generate_channel_shift(3, seed=9)
    )
    assert not generate_channel_shift(3, seed=9).equals(generate_channel_shift(3, seed=10))


def test_ridership_around_redesign() -> None:
    frame = generate_ridership(["110", "111", "112", "113"], weeks_before=10, weeks_after=6, seed=2)
    assert list(frame.columns) == ["route", "week", "boardings", "revenue_hours", "period"]
    assert len(frame) == 4 * 16
    assert frame.attrs["synthetic"] is True
    # week 10 after the Monday 2014-01-06 is 2014-03-17
    assert frame.attrs["redesign_date"] == "2014-03-17"
    counts = frame.groupby("period").size()
    assert counts.to_dict() == {"after": 4 * 6, "before": 4 * 10}
    assert frame.loc[frame["period"] == "after", "week"].min() == pd.Timestamp("2014-03-17")
    productivity = frame["boardings"] / frame["revenue_hours"]
    assert productivity.between(2, 150).all()


def test_ridership_invented_routes_and_seed() -> None:
    frame = generate_ridership(3, seed=1)
    assert sorted(frame["route"].unique()) == ["R01", "R02", "R03"]
    pd.testing.assert_frame_equal(frame, generate_ridership(3, seed=1))


def test_bad_arguments() -> None:
    with pytest.raises(InvalidInput):
        generate_channel_shift(5, months=12, launch_month=12)
    with pytest.raises(InvalidInput):
        generate_ridership([], seed=1)
