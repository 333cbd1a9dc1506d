"""Runnable case studies: parameterised notebooks that run on the original data and on yours.

``govlab run --list`` shows them; ``govlab run CASE --out report.html`` runs one.
From Python::

    from govlab.casestudies import CASES, run_case
    result = run_case("service-performance-311", out="report.html", parameters={"sla_hours": 48})

Importing this package is light: papermill, nbconvert and the analysis libraries
are loaded only when a case runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govlab.casestudies.registry import CASES, get_case
from govlab.casestudies.spec import CaseStudy, DataField, DataSpec, Figure, Parameter

if TYPE_CHECKING:
    from govlab.casestudies.runner import RunResult, list_cases, prepare, run_case

_RUNNER = {"RunResult", "list_cases", "prepare", "run_case"}

__all__ = [
    "CASES",
    "CaseStudy",
    "DataField",
    "DataSpec",
    "Figure",
    "Parameter",
    "RunResult",
    "get_case",
    "list_cases",
    "prepare",
    "run_case",
]


def __getattr__(name: str) -> Any:
    if name in _RUNNER:
        from govlab.casestudies import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'govlab.casestudies' has no attribute {name!r}")
