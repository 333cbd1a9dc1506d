"""``import govlab.analysis`` (and each analysis module) stays light."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["duckdb", "statsmodels", "sklearn", "plotly", "gtfs_kit", "vaderSentiment", "shapely"]


def test_analysis_modules_import_no_heavy_library() -> None:
    code = (
        "import sys, json\n"
        "import govlab.analysis as a\n"
        "from govlab.analysis import kpis, impact, costbenefit, transit, feedback, matching\n"
        "assert callable(a.monthly_summary) and callable(a.what_worked_for)\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_lazy_names_resolve() -> None:
    import govlab.analysis as analysis

    for name in analysis.__all__:
        assert getattr(analysis, name) is not None
    assert "monthly_summary" in dir(analysis)
