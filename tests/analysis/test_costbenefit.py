from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from govlab.analysis import costbenefit as cb
from govlab.errors import InvalidInput


def test_npv_hand_values() -> None:
    # -100 + 60/1.1 + 60/1.21 = -100 + 54.5455 + 49.5868 = 4.1322
    assert cb.npv([-100, 60, 60], 0.1) == pytest.approx(4.132231, abs=1e-6)
    assert cb.npv([-100, 60, 60], 0.0) == 20.0
    assert cb.npv(pd.Series([250.0]), 0.2) == 250.0  # year 0 is not discounted


def test_roi_hand_values() -> None:
    assert cb.roi(150, 100) == 0.5
    # benefits 0, 110, 121 at 10 % are worth 0 + 100 + 100 = 200 today; cost 100 -> ROI 1.0
    assert cb.roi([0, 110, 121], [100], rate=0.1) == pytest.approx(1.0)
    with pytest.raises(InvalidInput, match="costs must add up to more than 0"):
        cb.roi(10, 0)


def test_payback_period_hand_values() -> None:
    # cumulative -100, -70, -40, -10, +20: within year 4, 10 of its 30 are needed -> 3 + 1/3
    assert cb.payback_period([-100, 30, 30, 30, 30, 30]) == pytest.approx(3 + 1 / 3)
    assert cb.payback_period([-100, 10, 10]) is None
    assert cb.payback_period([50, -10]) == 0.0
    # at 10 %: -100, 55/1.1 = 50, 60.5/1.21 = 50 -> cumulative -100, -50, 0 -> exactly 2 years
    assert cb.payback_period([-100, 55, 60.5], rate=0.1) == pytest.approx(2.0)


def test_bad_cashflows_and_rates() -> None:
    with pytest.raises(InvalidInput, match="non-empty list"):
        cb.npv([], 0.1)
    with pytest.raises(InvalidInput, match="must be numbers"):
        cb.npv(["a"], 0.1)
    with pytest.raises(InvalidInput, match="discount rate"):
        cb.npv([1, 2], -1.5)


def savings_npv(savings: float, years: float, cost: float) -> float:
    return savings * years - cost


def test_sensitivity_tornado_table() -> None:
    table = cb.sensitivity(
        savings_npv,
        base={"savings": 10, "years": 5, "cost": 30},
        ranges={"savings": (8, 12), "cost": (20, 50), "years": (4, 6)},
    )
    # base 10*5 - 30 = 20. savings 8..12 -> 10..30 (swing 20); cost 20..50 -> 30..0
    # (swing 30); years 4..6 -> 10..30 (swing 20): cost first, then the ties in given order
    assert table["input"].tolist() == ["cost", "savings", "years"]
    assert table.iloc[0][["outcome_low", "outcome_high", "swing"]].tolist() == [30, 0, 30]
    assert (table["base_outcome"] == 20).all()
    fig = cb.tornado_chart(table, outcome="NPV")
    assert [t.name for t in fig.data] == ["input low", "input high"]
    # bars start at the base outcome and the largest swing is drawn on top (last)
    assert list(fig.data[0].y)[-1] == "cost"
    assert list(fig.data[0].x)[-1] == 10  # 30 - 20


def test_sensitivity_bad_input() -> None:
    with pytest.raises(InvalidInput, match="'rate' has a range but no base value"):
        cb.sensitivity(savings_npv, {"savings": 1, "years": 1, "cost": 1}, {"rate": (0, 1)})
    with pytest.raises(InvalidInput, match="must be two numbers"):
        cb.sensitivity(savings_npv, {"savings": 1, "years": 1, "cost": 1}, {"cost": (1,)})
    with pytest.raises(InvalidInput, match="expected a number"):
        cb.sensitivity(lambda **kw: "lots", {"a": 1}, {"a": (0, 2)})


def test_cost_per_transaction_recovers_real_unit_costs(samples: Callable[[str, str], Path]) -> None:
    # SOCITM 2012 council averages (shipped sample): 8.62 face to face, 2.83 phone, 0.15 digital
    costs = pd.read_csv(samples("uk_gds_digital_efficiency_2012", "channel_costs_DERIVED.csv"))
    socitm = costs[costs["department_agency"] == "UK councils (average)"]
    volumes = {"face_to_face": 1000, "phone": 4000, "digital": 5000}
    frame = pd.DataFrame(
        [
            # two months per channel, so the sums are exercised
            {"channel": r.channel, "transactions": volumes[r.channel] / 2,
             "cost": r.cost_gbp_per_transaction * volumes[r.channel] / 2}
            for r in socitm.itertuples() for _ in range(2)
        ]
    )  # fmt: skip
    out = cb.cost_per_transaction(frame)
    assert out["channel"].tolist() == ["digital", "phone", "face_to_face"]  # cheapest first
    assert out["cost_per_transaction"].tolist() == pytest.approx([0.15, 2.83, 8.62])
    assert out["share_of_transactions"].tolist() == pytest.approx([0.5, 0.4, 0.1])
    assert out["transactions"].sum() == 10_000


def test_cost_per_transaction_by_group_and_errors() -> None:
    frame = pd.DataFrame(
        {
            "town": ["x", "x", "y", "y"],
            "route": ["web", "desk", "web", "desk"],
            "spend": [10.0, 90.0, 30.0, 0.0],
            "n": [100, 30, 100, 0],
        }
    )
    with pytest.raises(InvalidInput, match="channel 'desk' has no transactions"):
        cb.cost_per_transaction(frame, channel="route", cost="spend", transactions="n", by="town")
    out = cb.cost_per_transaction(
        frame.iloc[:3], channel="route", cost="spend", transactions="n", by="town"
    )
    # x: web 10/100 = 0.1, desk 90/30 = 3; shares 100/130 and 30/130; y: web 0.3, share 1
    assert out[["town", "channel"]].to_numpy().tolist() == [
        ["x", "web"],
        ["x", "desk"],
        ["y", "web"],
    ]
    assert out["cost_per_transaction"].tolist() == pytest.approx([0.1, 3.0, 0.3])
    assert out["share_of_transactions"].tolist() == pytest.approx([100 / 130, 30 / 130, 1.0])
    with pytest.raises(InvalidInput, match=r"frame, row 1, column 'spend': -5 is negative"):
        cb.cost_per_transaction(
            frame.assign(spend=[1, -5, 1, 1]), channel="route", cost="spend", transactions="n"
        )


def test_split_shared_cost() -> None:
    towns = pd.DataFrame(
        {"municipality": ["A", "B", "C"], "population": [1000, 2000, 7000], "usage": [1, 1, 2]}
    )
    equal = cb.split_shared_cost(100, towns)
    # 33.333... each; one cent left over goes to the first of the equal remainders
    assert equal["amount"].tolist() == [33.34, 33.33, 33.33]
    assert equal["amount"].sum() == pytest.approx(100)
    by_population = cb.split_shared_cost(250_000, towns, "population")
    assert by_population["amount"].tolist() == [25_000, 50_000, 175_000]
    assert by_population["fraction"].tolist() == pytest.approx([0.1, 0.2, 0.7])
    by_usage = cb.split_shared_cost(1000, towns, "usage", decimals=0)
    assert by_usage["amount"].tolist() == [250, 250, 500]


def test_split_shared_cost_bad_input() -> None:
    towns = pd.DataFrame({"municipality": ["A", "B"], "population": [10, -1]})
    with pytest.raises(InvalidInput, match=r"municipalities, row 1, column 'population'"):
        cb.split_shared_cost(100, towns, "population")
    with pytest.raises(InvalidInput, match="column 'usage'"):
        cb.split_shared_cost(100, towns, "usage")
    with pytest.raises(InvalidInput, match="unknown method 'size'"):
        cb.split_shared_cost(100, towns, "size")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="no rows"):
        cb.split_shared_cost(100, towns.iloc[:0])
