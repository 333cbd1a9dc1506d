"""The result records of :mod:`govlab.analysis.impact`: estimates, intervals, sentences, charts.

Each record is frozen and carries what a report needs: the ``estimate``, its
confidence interval (``ci_low``, ``ci_high``), the ``p_value``, a ``sentence``
a manager can read, and ``chart()`` for a Plotly figure. This module imports
no other analysis module at import time, so any of them can import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["BeforeAfter", "DifferenceInDifferences", "InterruptedTimeSeries"]


@dataclass(frozen=True)
class BeforeAfter:
    """Difference in means after minus before, with a bootstrap interval."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    sentence: str
    mean_before: float
    mean_after: float
    n_before: int
    n_after: int
    confidence: float
    n_boot: int
    name: str
    before: np.ndarray = field(repr=False, compare=False)
    after: np.ndarray = field(repr=False, compare=False)

    def chart(self) -> go.Figure:
        """Box plots of the values before and after, with both means marked."""
        from govlab.analysis._charts import before_after_chart

        return before_after_chart(self.before, self.after, self.name, self.sentence)


@dataclass(frozen=True)
class InterruptedTimeSeries:
    """Segmented regression around an intervention, with Newey-West errors."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    sentence: str
    slope_change: float
    slope_ci_low: float
    slope_ci_high: float
    slope_p_value: float
    baseline_slope: float
    maxlags: int
    confidence: float
    name: str
    coefficients: pd.DataFrame = field(repr=False, compare=False)
    series: pd.DataFrame = field(repr=False, compare=False)

    @property
    def level_change(self) -> float:
        """The jump at the intervention (the same as ``estimate``)."""
        return self.estimate

    def chart(self) -> go.Figure:
        """The series, the two fitted segments and the trend had nothing changed."""
        from govlab.analysis._charts import its_chart

        return its_chart(self.series, self.name, self.sentence)


@dataclass(frozen=True)
class DifferenceInDifferences:
    """The treated group's change minus the comparison group's change."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    sentence: str
    errors: str
    confidence: float
    name: str
    means: pd.DataFrame = field(repr=False, compare=False)
    coefficients: pd.DataFrame = field(repr=False, compare=False)
    series: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def chart(self) -> go.Figure:
        """Mean outcome of both groups before and after, and the treated group's counterfactual."""
        from govlab.analysis._charts import did_chart

        return did_chart(self.means, self.series, self.name, self.sentence)
