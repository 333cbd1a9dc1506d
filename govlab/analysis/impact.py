"""Did it work? Before/after, interrupted time series and difference-in-differences.

Each function returns a frozen result object with the ``estimate``, its
confidence interval (``ci_low``, ``ci_high``), the ``p_value``, a ``sentence``
a manager can read, and ``chart()`` for a Plotly figure.

Which design to use:

* :func:`before_after` compares the mean before and after a change.  Simple, but
  anything else that changed at the same time is counted as the effect.
* :func:`interrupted_time_series` fits the trend before the change and asks how
  the level and the slope moved at the change: it separates the effect from a
  trend that was already under way.
* :func:`difference_in_differences` compares the change where the practice was
  adopted with the change over the same time in places that did not adopt it: it
  removes what happened everywhere (a season, a national campaign).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from govlab.analysis import _report
from govlab.analysis._frames import require_columns
from govlab.analysis._impact_data import (
    bootstrap_differences,
    check_lags,
    check_level,
    did_frame,
    ordered_series,
    split_before_after,
)
from govlab.analysis._regression import (
    OlsEffect,
    cluster_codes,
    newey_west_lags,
    ols_effect,
)
from govlab.analysis.results import BeforeAfter, DifferenceInDifferences, InterruptedTimeSeries
from govlab.errors import InvalidInput, located

__all__ = [
    "BeforeAfter",
    "DifferenceInDifferences",
    "InterruptedTimeSeries",
    "before_after",
    "difference_in_differences",
    "interrupted_time_series",
    "newey_west_lags",
]


# --- before / after --------------------------------------------------------------------


def before_after(
    data: pd.Series | pd.DataFrame | Sequence[float] | np.ndarray,
    after: Sequence[float] | np.ndarray | None = None,
    *,
    outcome: str | None = None,
    time: str | None = None,
    intervention: Any = None,
    post: str | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
    name: str = "the outcome",
    unit: str = "",
    event: str = "the change",
    duplicates: str = "error",
) -> BeforeAfter:
    """Mean after minus mean before, with a percentile-bootstrap confidence interval.

    ``estimate = mean(after) - mean(before)``.  The interval resamples each period
    independently with replacement ``n_boot`` times (seeded) and takes the
    ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of the resampled
    differences (linear interpolation).  The two-sided p-value inverts that interval:
    ``p = min(1, 2 (1 + min(#{d* <= 0}, #{d* >= 0})) / (n_boot + 1))``, so it is at
    least ``2 / (n_boot + 1)``.  Missing values are left out.

    Parameters
    ----------
    data
        Either the values before (with ``after`` the values after); a Series indexed
        by time (split at ``intervention``); or a DataFrame with an ``outcome``
        column, split by ``time >= intervention`` or by a True/False ``post`` column.
    after
        The values after, when ``data`` holds the values before.
    outcome, time, intervention, post
        How to read and split a DataFrame (or a Series' index against ``intervention``).
    n_boot, seed
        Bootstrap resamples and the random seed (the same seed gives the same interval).
    confidence
        Level of the interval, 0.95 for 95 %.
    name, unit, event
        Words for the sentence: "After {event}, {name} rose by 12.3 {unit} ...".
    duplicates
        For a frame with a ``time`` column: two rows for the same time are refused
        (``"error"``, naming both rows) or combined (``"sum"``, ``"mean"``,
        ``"last"``), as in :mod:`govlab.datasets.series`. Times written as text
        are read as dates.
    """
    check_level(confidence)
    if not isinstance(n_boot, int) or n_boot < 100:
        raise InvalidInput(f"n_boot must be a whole number of at least 100, got {n_boot!r}")
    pre, post_values = split_before_after(
        data, after, outcome, time, intervention, post, duplicates
    )
    for label, values in (("before", pre), ("after", post_values)):
        if len(values) < 2:
            hint = ""
            if len(values) == 0 and intervention is not None:
                hint = f" (no value is {label} {intervention!r}: is the date of the change right?)"
            raise InvalidInput(
                f"need at least two values {label} the change, got {len(values)}{hint}"
            )
    diffs = bootstrap_differences(pre, post_values, n_boot, seed)
    estimate = float(post_values.mean() - pre.mean())
    alpha = 1 - confidence
    low, high = (float(v) for v in np.quantile(diffs, [alpha / 2, 1 - alpha / 2]))
    tail = int(min((diffs <= 0).sum(), (diffs >= 0).sum()))
    p = min(1.0, 2 * (1 + tail) / (n_boot + 1))
    sentence = _report.change(
        f"After {event}", name, estimate, low, high, p, confidence=confidence, unit=unit
    )
    return BeforeAfter(
        estimate, low, high, p, sentence, float(pre.mean()), float(post_values.mean()),
        len(pre), len(post_values), confidence, n_boot, name, pre, post_values,
    )  # fmt: skip


# --- interrupted time series -----------------------------------------------------------


def interrupted_time_series(
    frame: pd.DataFrame,
    time: str,
    outcome: str,
    intervention: Any,
    *,
    maxlags: int | None = None,
    confidence: float = 0.95,
    name: str = "the outcome",
    unit: str = "",
    event: str = "the change",
    per: str = "period",
) -> InterruptedTimeSeries:
    """Segmented regression: the level and slope change at an intervention.

    With the rows sorted by ``time``, ``t = 0, 1, ..., n-1`` their order, ``t0`` the
    first ``t`` at or after ``intervention`` and ``post = (t >= t0)``, fit by OLS::

        y = b0 + b1 t + b2 post + b3 (t - t0) post + e

    ``b2`` (the ``estimate``) is the jump in level at the intervention, ``b3``
    (``slope_change``) the change in slope per period, ``b1`` the slope before.
    Standard errors are Newey-West (HAC, Bartlett kernel, statsmodels' small-sample
    correction) with ``maxlags`` lags, by default ``floor(4 (n / 100) ** (2/9))``
    (Newey and West, 1994); intervals and p-values use the normal distribution.
    The series must be regular (one row per period) with at least three periods
    on each side of the intervention.

    Parameters
    ----------
    frame
        One row per period.
    time, outcome
        Column names of the period (dates or numbers) and of the measure.
    intervention
        The first period of the new regime (compared with ``time`` values).
    maxlags
        Newey-West lags (see above for the default).
    confidence, name, unit, event
        Interval level and the words of the sentence; ``per`` names one period
        ("month") in the slope sentence.
    """
    check_level(confidence)
    require_columns(frame, [time, outcome], name="frame")
    data = ordered_series(frame, time, outcome)
    is_post = np.asarray(data[time] >= intervention)
    n_post = int(is_post.sum())
    if n_post < 3 or len(data) - n_post < 3:
        raise InvalidInput(
            located(
                f"need at least three periods before and after {intervention!r}; "
                f"got {len(data) - n_post} before and {n_post} after",
                file="frame",
                field=time,
            )
        )
    t = np.arange(len(data), dtype="float64")
    t0 = float(np.argmax(is_post))
    design = pd.DataFrame(
        {"const": 1.0, "time": t, "level_change": is_post * 1.0, "slope_change": (t - t0) * is_post}
    )
    lags = newey_west_lags(len(data)) if maxlags is None else check_lags(maxlags)
    fit = ols_effect(data[outcome].to_numpy(), design, "HAC", confidence, maxlags=lags)
    level, slope = fit.row("level_change"), fit.row("slope_change")
    series = data[[time, outcome]].assign(
        fitted=fit.fitted,
        counterfactual=fit.params["const"] + fit.params["time"] * t,
        post=is_post,
    )
    sentence = _its_sentence(level, slope, confidence, name, unit, event, per)
    return InterruptedTimeSeries(
        level.coef, level.ci_low, level.ci_high, level.p, sentence,
        slope.coef, slope.ci_low, slope.ci_high, slope.p, float(fit.params["time"]),
        lags, confidence, name, fit.table, series,
    )  # fmt: skip


def _its_sentence(
    level: OlsEffect.Row,
    slope: OlsEffect.Row,
    confidence: float,
    name: str,
    unit: str,
    event: str,
    per: str,
) -> str:
    first = _report.change(
        f"Right after {event}",
        name,
        level.coef,
        level.ci_low,
        level.ci_high,
        level.p,
        confidence=confidence,
        unit=unit,
        up="jumped",
        down="dropped",
    )
    amount = _report.with_unit(_report.signed(slope.coef), unit)
    trend = (
        f"Its trend then changed by {amount} per {per} "
        f"({_report.interval(slope.ci_low, slope.ci_high, confidence)}; {_report.p_text(slope.p)})."
    )
    return f"{first} {trend}"


# --- difference in differences ---------------------------------------------------------


def difference_in_differences(
    frame: pd.DataFrame,
    outcome: str,
    group: str,
    post: str,
    *,
    treated: Any = None,
    intervention: Any = None,
    cluster: str | None = None,
    time: str | None = None,
    maxlags: int | None = None,
    confidence: float = 0.95,
    name: str = "the outcome",
    unit: str = "",
    event: str = "the change",
    comparison: str = "the comparison group",
) -> DifferenceInDifferences:
    """Difference-in-differences: the treated group's change beyond the comparison's.

    OLS of ``y = a + b treated + c post + d treated*post + e``; ``d`` (the
    ``estimate``) equals ``(mean_T,after - mean_T,before) - (mean_C,after - mean_C,before)``.
    Errors are cluster-robust by ``cluster`` (e.g. the municipality) when given,
    else Newey-West (HAC) over the rows ordered by ``time`` (or as given) with
    ``maxlags`` lags, by default ``floor(4 (n / 100) ** (2/9))``.  Intervals and
    p-values use the normal distribution.

    Parameters
    ----------
    frame
        One row per unit and period (or per observation).
    outcome
        The measure.
    group
        True/False (1/0) for the treated group, or a label column with ``treated``
        naming the treated label (or a list of them).
    post
        True/False (1/0) for after the change, or a time column with ``intervention``
        (rows with ``post >= intervention`` are after).
    cluster, time, maxlags
        How the standard errors are computed (see above).
    confidence, name, unit, event, comparison
        Interval level and the words of the sentence.
    """
    check_level(confidence)
    columns = [outcome, group, post, *[c for c in (cluster, time) if c]]
    require_columns(frame, columns, name="frame")
    data = did_frame(frame, outcome, group, post, treated, intervention)
    rows = frame.iloc[data["row"].to_numpy()]
    if time is not None:
        order = np.argsort(rows[time].to_numpy(), kind="stable")
        data, rows = data.iloc[order].reset_index(drop=True), rows.iloc[order]
    design = data[["treated", "post"]].assign(
        const=1.0, interaction=data["treated"] * data["post"]
    )[["const", "treated", "post", "interaction"]]
    if cluster is not None:
        groups = cluster_codes(rows, cluster)
        fit = ols_effect(data["y"].to_numpy(), design, "cluster", confidence, groups=groups)
        errors = f"cluster-robust by {cluster}"
    else:
        lags = newey_west_lags(len(data)) if maxlags is None else check_lags(maxlags)
        fit = ols_effect(data["y"].to_numpy(), design, "HAC", confidence, maxlags=lags)
        errors = f"Newey-West (HAC), {lags} lags"
    effect = fit.row("interaction")
    means = data.groupby(["treated", "post"])["y"].mean().unstack("post")
    means = means.rename(
        index={0.0: "comparison", 1.0: "treated"}, columns={0.0: "before", 1.0: "after"}
    )
    sentence = _report.change(
        f"After {event}", name, effect.coef, effect.ci_low, effect.ci_high, effect.p,
        confidence=confidence, unit=unit, tail=f" relative to {comparison}",
    )  # fmt: skip
    series: pd.DataFrame | None = None
    if time is not None:
        by_time = data.assign(time=rows[time].to_numpy()).groupby(["treated", "time"])["y"]
        series = by_time.mean().reset_index()
    return DifferenceInDifferences(
        effect.coef, effect.ci_low, effect.ci_high, effect.p, sentence, errors,
        confidence, name, means, fit.table, series,
    )  # fmt: skip
