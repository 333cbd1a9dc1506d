from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from govlab.analysis import impact
from govlab.analysis._regression import newey_west_lags
from govlab.errors import InvalidInput

# --- before / after ------------------------------------------------------------------


def test_before_after_hand_values() -> None:
    result = impact.before_after(
        [1, 2, 3], [10, 11, 12], name="online transactions", unit="percentage points",
        event="the launch",
    )  # fmt: skip
    # means 2 and 11 -> 9; a resampled mean lies in [1, 3] before and [10, 12] after,
    # so every resampled difference lies in [7, 11] and none is <= 0:
    # p = 2 (1 + 0) / (2000 + 1)
    assert result.estimate == 9.0
    assert (result.mean_before, result.mean_after, result.n_before, result.n_after) == (2, 11, 3, 3)
    assert 7 <= result.ci_low < 9 < result.ci_high <= 11
    assert result.p_value == pytest.approx(2 / 2001)
    assert result.sentence.startswith(
        "After the launch, online transactions rose by 9 percentage points (95 % CI "
    )
    assert result.sentence.endswith(
        "a change this large is very unlikely to be chance (p < 0.001)."
    )


def test_before_after_matches_scipy_bootstrap() -> None:
    rng = np.random.default_rng(11)
    before, after = rng.normal(50, 10, 60), rng.normal(55, 10, 80)
    ours = impact.before_after(before, after, n_boot=20_000, seed=1)
    theirs = stats.bootstrap(
        (before, after),
        lambda x, y, axis: np.mean(y, axis=axis) - np.mean(x, axis=axis),
        n_resamples=20_000, paired=False, vectorized=True, method="percentile",
        rng=np.random.default_rng(2),
    ).confidence_interval  # fmt: skip
    # same method, different random draws: the end points agree to Monte Carlo error
    # (standard error of the difference ~ 10 * sqrt(1/60 + 1/80) = 1.7)
    assert ours.ci_low == pytest.approx(theirs.low, abs=0.1)
    assert ours.ci_high == pytest.approx(theirs.high, abs=0.1)
    assert ours.estimate == pytest.approx(after.mean() - before.mean())


def test_before_after_is_reproducible_and_honest_about_noise() -> None:
    rng = np.random.default_rng(3)
    before, after = rng.normal(10, 2, 40), rng.normal(10, 2, 40)
    a = impact.before_after(before, after, seed=5)
    b = impact.before_after(before, after, seed=5)
    assert (a.ci_low, a.ci_high, a.p_value) == (b.ci_low, b.ci_high, b.p_value)
    # no real change: the interval covers 0 and the sentence says it could be chance
    assert a.ci_low < 0 < a.ci_high
    assert a.p_value > 0.1
    assert "could well be chance" in a.sentence


def test_before_after_fall_is_written_as_a_fall() -> None:
    result = impact.before_after([10, 11, 12, 13], [5, 6, 5, 6], name="waiting days")
    # means 11.5 and 5.5: a fall of 6; the interval is written as sizes of the fall
    assert result.estimate == -6.0
    assert "waiting days fell by 6 (95 % CI" in result.sentence
    low, high = result.sentence.split("CI ")[1].split(")")[0].split(" to ")
    assert 0 < float(low) <= 6 <= float(high)


def test_before_after_from_series_and_frame() -> None:
    index = pd.date_range("2024-01-01", periods=6, freq="MS")
    series = pd.Series([1.0, 2.0, np.nan, 8.0, 9.0, 10.0], index=index)
    result = impact.before_after(series, intervention=pd.Timestamp("2024-04-01"))
    # before: 1, 2 (the missing month is left out); after: 8, 9, 10 -> 9 - 1.5 = 7.5
    assert (result.n_before, result.n_after, result.estimate) == (2, 3, 7.5)
    frame = pd.DataFrame({"month": index, "share": series.to_numpy(), "live": [0, 0, 0, 1, 1, 1]})
    by_time = impact.before_after(frame, outcome="share", time="month", intervention=index[3])
    by_flag = impact.before_after(frame, outcome="share", post="live")
    assert by_time.estimate == by_flag.estimate == 7.5


def test_before_after_chart() -> None:
    result = impact.before_after([1, 2, 3], [10, 11, 12], name="calls")
    fig = result.chart()
    assert [t.name for t in fig.data] == ["before", "after"]
    assert list(fig.data[1].y) == [10, 11, 12]
    assert "rose by 9" in fig.layout.title.text


def test_before_after_bad_input() -> None:
    with pytest.raises(InvalidInput, match="at least two values before"):
        impact.before_after([1], [2, 3])
    with pytest.raises(InvalidInput, match="must all be numbers"):
        impact.before_after(["a", "b"], [2, 3])
    frame = pd.DataFrame({"share": ["1", "x"], "live": [0, 1]})
    with pytest.raises(InvalidInput, match=r"data, row 1, column 'share': 'x' is not a number"):
        impact.before_after(frame, outcome="share", post="live")
    with pytest.raises(InvalidInput, match="column 'live'"):
        impact.before_after(frame.drop(columns="live"), outcome="share", post="live")
    with pytest.raises(InvalidInput, match="n_boot"):
        impact.before_after([1, 2], [3, 4], n_boot=10)


# --- interrupted time series -----------------------------------------------------------


def monthly(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"month": pd.date_range("2023-01-01", periods=len(values), freq="MS"), "calls": values}
    )


def test_its_hand_values() -> None:
    # Full interaction = one line per segment.  Before (t = 0..3, y = 1 2 2 3):
    # slope = Sxy/Sxx = 3/5 = 0.6, intercept = 2 - 0.6*1.5 = 1.1, so at t0 = 4 the old
    # line gives 1.1 + 2.4 = 3.5.  After (t = 4..7, y = 6 7 7 8): slope 0.6 and value
    # 7 - 0.6*1.5 = 6.1 at t = 4.  Level change 6.1 - 3.5 = 2.6; slope change 0.
    frame = monthly([1, 2, 2, 3, 6, 7, 7, 8])
    result = impact.interrupted_time_series(
        frame, "month", "calls", pd.Timestamp("2023-05-01"), name="calls", per="month"
    )
    assert result.estimate == pytest.approx(2.6)
    assert result.level_change == result.estimate
    assert result.slope_change == pytest.approx(0, abs=1e-12)
    assert result.baseline_slope == pytest.approx(0.6)
    assert result.maxlags == newey_west_lags(8) == 2  # floor(4 * 0.08 ** (2/9)) = floor(2.28)
    assert result.sentence.startswith("Right after the change, calls jumped by 2.6 (95 % CI")
    assert "Its trend then changed by 0 per month" in result.sentence
    # counterfactual: the old line carried on, 1.1 + 0.6 t
    assert result.series["counterfactual"].tolist() == pytest.approx(
        [1.1 + 0.6 * t for t in range(8)]
    )


def test_its_matches_statsmodels() -> None:
    rng = np.random.default_rng(4)
    n, t0 = 36, 20
    t = np.arange(n)
    noise = np.zeros(n)
    for i in range(1, n):  # AR(1) errors, where Newey-West matters
        noise[i] = 0.5 * noise[i - 1] + rng.normal(0, 1)
    y = 50 + 0.3 * t - 4 * (t >= t0) - 0.2 * (t - t0) * (t >= t0) + noise
    frame = monthly(list(y)).sample(frac=1, random_state=1)  # order must not matter
    result = impact.interrupted_time_series(
        frame, "month", "calls", frame["month"].sort_values().iloc[t0], maxlags=3
    )
    data = pd.DataFrame({"y": y, "t": t, "post": (t >= t0) * 1.0, "since": (t - t0) * (t >= t0)})
    ref = smf.ols("y ~ t + post + since", data).fit(
        cov_type="HAC", cov_kwds={"maxlags": 3}, use_t=False
    )
    assert result.estimate == pytest.approx(ref.params["post"], rel=1e-10)
    assert result.slope_change == pytest.approx(ref.params["since"], rel=1e-10)
    assert result.p_value == pytest.approx(ref.pvalues["post"], rel=1e-8)
    low, high = ref.conf_int().loc["post"]
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-10)
    slope_ci = ref.conf_int().loc["since"]
    assert (result.slope_ci_low, result.slope_ci_high) == pytest.approx(tuple(slope_ci), rel=1e-10)
    assert result.coefficients.loc["level_change", "se"] == pytest.approx(
        ref.bse["post"], rel=1e-10
    )


def test_its_chart() -> None:
    result = impact.interrupted_time_series(
        monthly([1, 2, 2, 3, 6, 7, 7, 8]), "month", "calls", pd.Timestamp("2023-05-01")
    )
    fig = result.chart()
    assert [t.name for t in fig.data] == [
        "observed",
        "trend before",
        "trend after",
        "had nothing changed",
    ]
    # the dashed line is the old trend over the four months after: 3.5, 4.1, 4.7, 5.3
    assert list(fig.data[3].y) == pytest.approx([3.5, 4.1, 4.7, 5.3])


def test_its_bad_input() -> None:
    frame = monthly([1, 2, 2, 3, 6, 7, 7, 8])
    with pytest.raises(InvalidInput, match="three periods before and after"):
        impact.interrupted_time_series(frame, "month", "calls", pd.Timestamp("2023-08-01"))
    twice = pd.concat([frame, frame.iloc[[2]]], ignore_index=True)
    with pytest.raises(InvalidInput, match=r"row 8, column 'month': .* appears twice"):
        impact.interrupted_time_series(twice, "month", "calls", pd.Timestamp("2023-05-01"))
    gap = frame.assign(calls=[1, 2, None, 3, 6, 7, 7, 8])
    with pytest.raises(InvalidInput, match=r"row 2, column 'calls': missing value"):
        impact.interrupted_time_series(gap, "month", "calls", pd.Timestamp("2023-05-01"))
    with pytest.raises(InvalidInput, match="maxlags"):
        impact.interrupted_time_series(
            frame, "month", "calls", pd.Timestamp("2023-05-01"), maxlags=-1
        )


# --- difference in differences ---------------------------------------------------------


def tiny_panel() -> pd.DataFrame:
    """Two treated and two comparison towns, one row before and one after each.

    treated before 10, 12 (mean 11), after 20, 22 (mean 21): +10
    comparison before 5, 7 (mean 6), after 8, 10 (mean 9): +3     -> DiD = 10 - 3 = 7
    """
    return pd.DataFrame(
        {
            "town": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "portal": [True, True, True, True, False, False, False, False],
            "year": [2019, 2021] * 4,
            "online": [10, 20, 12, 22, 5, 8, 7, 10],
        }
    )


def test_did_hand_values() -> None:
    panel = tiny_panel()
    result = impact.difference_in_differences(
        panel, "online", "portal", "year", intervention=2020, cluster="town",
        name="online share", unit="points", comparison="towns without the portal",
    )  # fmt: skip
    assert result.estimate == pytest.approx(7.0)
    assert result.means.loc["treated"].tolist() == [11.0, 21.0]
    assert result.means.loc["comparison"].tolist() == [6.0, 9.0]
    assert result.errors == "cluster-robust by town"
    assert result.sentence.startswith(
        "After the change, online share rose by 7 points relative to towns without the portal "
        "(95 % CI"
    )
    by_label = impact.difference_in_differences(
        panel, "online", "town", "year", treated=["a", "b"], intervention=2020
    )
    assert by_label.estimate == pytest.approx(7.0)


def channel_panel() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    rows = []
    for town in range(12):
        effect = rng.normal(0, 0.5)
        for month in range(24):
            treated, post = town < 6, month >= 12
            y = 30 + 3 * treated + 2 * post + 5 * treated * post + effect + rng.normal(0, 1)
            rows.append(
                {"town": f"t{town}", "month": month, "treated": treated, "post": post, "y": y}
            )
    return pd.DataFrame(rows)


def test_did_matches_statsmodels_cluster_and_hac() -> None:
    panel = channel_panel()
    data = panel.assign(treated=panel["treated"] * 1.0, post=panel["post"] * 1.0)
    result = impact.difference_in_differences(panel, "y", "treated", "post", cluster="town")
    groups = pd.factorize(panel["town"])[0]
    ref = smf.ols("y ~ treated * post", data).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=False
    )
    assert result.estimate == pytest.approx(ref.params["treated:post"], rel=1e-10)
    assert result.p_value == pytest.approx(ref.pvalues["treated:post"], rel=1e-8)
    low, high = ref.conf_int().loc["treated:post"]
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-10)

    hac = impact.difference_in_differences(panel, "y", "treated", "post", time="month", maxlags=2)
    ordered = data.iloc[np.argsort(panel["month"].to_numpy(), kind="stable")]
    ref = smf.ols("y ~ treated * post", ordered).fit(
        cov_type="HAC", cov_kwds={"maxlags": 2}, use_t=False
    )
    assert hac.estimate == pytest.approx(ref.params["treated:post"], rel=1e-10)
    assert hac.coefficients.loc["interaction", "se"] == pytest.approx(
        ref.bse["treated:post"], rel=1e-10
    )
    assert hac.errors == "Newey-West (HAC), 2 lags"


def test_did_chart() -> None:
    fig = impact.difference_in_differences(
        tiny_panel(), "online", "portal", "year", intervention=2020
    ).chart()
    assert [t.name for t in fig.data] == ["treated", "comparison", "treated had nothing changed"]
    # counterfactual: treated before (11) plus the comparison's change (+3) -> 14
    assert list(fig.data[2].y) == [11.0, 14.0]
    over_time = impact.difference_in_differences(
        channel_panel(), "y", "treated", "post", time="month"
    )
    assert len(over_time.chart().data[0].x) == 24


def test_did_bad_input() -> None:
    panel = tiny_panel()
    with pytest.raises(InvalidInput, match="no treated rows after the change"):
        impact.difference_in_differences(
            panel[panel["year"] == 2019].assign(year=[2019, 2019, 2021, 2021]),
            "online",
            "portal",
            "year",
            intervention=2020,
        )
    with pytest.raises(InvalidInput, match=r"row 2, column 'town': missing cluster"):
        impact.difference_in_differences(
            panel.assign(town=["a", "a", None, "b", "c", "c", "d", "d"]),
            "online",
            "portal",
            "year",
            intervention=2020,
            cluster="town",
        )
    with pytest.raises(InvalidInput, match="'maybe' is not true/false"):
        impact.difference_in_differences(
            panel.assign(portal=["maybe"] * 8), "online", "portal", "year", intervention=2020
        )
    with pytest.raises(InvalidInput, match="confidence"):
        impact.difference_in_differences(
            panel, "online", "portal", "year", intervention=2020, confidence=95
        )  # type: ignore[arg-type]


def test_newey_west_rule_of_thumb() -> None:
    # floor(4 (n/100)^(2/9)): n=100 -> 4; n=24 -> floor(2.91) = 2; n=500 -> floor(5.69) = 5
    assert [newey_west_lags(n) for n in (100, 24, 500)] == [4, 2, 5]
