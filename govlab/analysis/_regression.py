"""OLS with robust standard errors through statsmodels (private, imported lazily).

A thin layer so :mod:`~govlab.analysis.impact` reads as formulas: fit, then take
one coefficient's estimate, interval and p-value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from govlab.analysis._frames import row_label
from govlab.errors import InvalidInput, located


def newey_west_lags(n: int) -> int:
    """Newey and West's (1994) rule of thumb: ``floor(4 (n / 100) ** (2 / 9))``."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def cluster_codes(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Integer codes of a cluster column; a missing cluster raises InvalidInput."""
    codes, _ = pd.factorize(frame[column])
    if (codes < 0).any():
        pos = int(np.argmax(codes < 0))
        raise InvalidInput(
            located(
                "missing cluster; every row needs one",
                file="frame",
                row=row_label(frame, pos),
                field=column,
            )
        )
    return codes


@dataclass(frozen=True)
class OlsEffect:
    """A fitted OLS: the coefficient table, the parameters and the fitted values."""

    @dataclass(frozen=True)
    class Row:
        coef: float
        se: float
        ci_low: float
        ci_high: float
        p: float

    table: pd.DataFrame
    params: pd.Series
    fitted: np.ndarray

    def row(self, term: str) -> OlsEffect.Row:
        r = self.table.loc[term].to_numpy(dtype="float64")
        return OlsEffect.Row(*(float(v) for v in r))


def ols_effect(
    y: np.ndarray,
    design: pd.DataFrame,
    cov: Literal["HAC", "cluster"],
    confidence: float,
    *,
    maxlags: int | None = None,
    groups: np.ndarray | None = None,
) -> OlsEffect:
    """Fit ``y ~ design`` by OLS with HAC or cluster-robust errors (normal intervals).

    HAC: Bartlett kernel, ``maxlags`` lags, statsmodels' small-sample correction.
    Cluster: statsmodels' default finite-sample correction ``G/(G-1) (N-1)/(N-K)``.
    """
    import statsmodels.api as sm

    if len(y) <= design.shape[1]:
        raise InvalidInput(f"need more than {design.shape[1]} observations, got {len(y)}")
    model = sm.OLS(np.asarray(y, dtype="float64"), design.astype("float64"))
    if cov == "HAC":
        fit = model.fit(cov_type="HAC", cov_kwds={"maxlags": maxlags}, use_t=False)
    else:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=False)
    ci = fit.conf_int(alpha=1 - confidence)
    table = pd.DataFrame(
        {
            "coef": fit.params,
            "se": fit.bse,
            "ci_low": ci.iloc[:, 0],
            "ci_high": ci.iloc[:, 1],
            "p": fit.pvalues,
        }
    )
    table.index.name = "term"
    return OlsEffect(table, fit.params, np.asarray(fit.fittedvalues))
