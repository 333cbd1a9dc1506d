"""Pure analysis functions on DataFrames: KPIs, impact, cost-benefit, transit, feedback, matching.

Every function takes and returns DataFrames (or a small frozen result object),
never touches the library database or a widget, and carries its formula in its
docstring, so a course notebook can call it directly::

    from govlab.analysis import monthly_summary, interrupted_time_series

The names below are imported on first use: ``import govlab.analysis`` loads
neither DuckDB, statsmodels, scikit-learn nor Plotly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govlab.lazy import exports

_EXPORTS: dict[str, str] = {
    # kpis
    "response_time_percentiles": "kpis",
    "sla_compliance": "kpis",
    "backlog": "kpis",
    "reopen_rate": "kpis",
    "monthly_summary": "kpis",
    # lateness
    "late_requests": "lateness",
    "log_profile": "lateness",
    "LogProfile": "lateness",
    # periods
    "resample": "periods",
    "Resampled": "periods",
    # impact
    "before_after": "impact",
    "interrupted_time_series": "impact",
    "difference_in_differences": "impact",
    "BeforeAfter": "results",
    "InterruptedTimeSeries": "results",
    "DifferenceInDifferences": "results",
    # costbenefit
    "npv": "costbenefit",
    "roi": "costbenefit",
    "payback_period": "costbenefit",
    "sensitivity": "costbenefit",
    "tornado_chart": "costbenefit",
    "cost_per_transaction": "costbenefit",
    "split_shared_cost": "costbenefit",
    # transit
    "route_frequency": "transit",
    "service_date": "transit",
    "service_hours": "transit",
    "stop_coverage": "transit",
    "productivity": "transit",
    "redesign_before_after": "transit",
    "StopCoverage": "transit",
    # feedback
    "sentiment": "feedback",
    "topics": "feedback",
    "trends": "feedback",
    "Topics": "feedback",
    # matching
    "jurisdiction_similarity": "matching",
    "what_worked_for": "matching",
}

__all__ = [
    "BeforeAfter",
    "LogProfile",
    "Resampled",
    "DifferenceInDifferences",
    "InterruptedTimeSeries",
    "StopCoverage",
    "Topics",
    "backlog",
    "before_after",
    "cost_per_transaction",
    "difference_in_differences",
    "interrupted_time_series",
    "jurisdiction_similarity",
    "late_requests",
    "log_profile",
    "monthly_summary",
    "npv",
    "payback_period",
    "productivity",
    "redesign_before_after",
    "reopen_rate",
    "resample",
    "response_time_percentiles",
    "roi",
    "route_frequency",
    "sensitivity",
    "sentiment",
    "service_date",
    "service_hours",
    "sla_compliance",
    "split_shared_cost",
    "stop_coverage",
    "topics",
    "tornado_chart",
    "trends",
    "what_worked_for",
]

if TYPE_CHECKING:
    from govlab.analysis.costbenefit import (
        cost_per_transaction,
        npv,
        payback_period,
        roi,
        sensitivity,
        split_shared_cost,
        tornado_chart,
    )
    from govlab.analysis.feedback import Topics, sentiment, topics, trends
    from govlab.analysis.impact import (
        before_after,
        difference_in_differences,
        interrupted_time_series,
    )
    from govlab.analysis.kpis import (
        backlog,
        monthly_summary,
        reopen_rate,
        response_time_percentiles,
        sla_compliance,
    )
    from govlab.analysis.lateness import LogProfile, late_requests, log_profile
    from govlab.analysis.matching import jurisdiction_similarity, what_worked_for
    from govlab.analysis.periods import Resampled, resample
    from govlab.analysis.results import BeforeAfter, DifferenceInDifferences, InterruptedTimeSeries
    from govlab.analysis.transit import (
        StopCoverage,
        productivity,
        redesign_before_after,
        route_frequency,
        service_date,
        service_hours,
        stop_coverage,
    )

__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())
