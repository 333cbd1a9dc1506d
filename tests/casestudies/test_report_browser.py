"""The HTML reports in headless Chromium with the network off: the charts draw, nothing is
fetched, no script fails, and no code cell is shown."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run

# the same xdist worker as test_run_cases, which shares the runs
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("casestudies-runs")]

# Charts each report draws (every nb.show in the notebook), on its own data and on a foreign
# file; the transit run on ridership alone has no feed, so no network charts.
CHARTS = {
    "service-performance-311": (3, 3),
    "transit-network": (7, 4),
    "shared-portal": (8, 8),
    "digital-by-default": (1, 1),
}


def open_offline(browser: Any, report: Path) -> tuple[Any, Any, list[str], list[str]]:
    """Open ``report`` with every non-file request aborted; collect requests and errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file:"):
            request_route.continue_()
        else:
            requested.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    return context, page, requested, errors


@pytest.mark.parametrize("mapped", [False, True], ids=["default", "mapped"])
@pytest.mark.parametrize("case", list(CHARTS))
def test_report_draws_its_charts_offline(
    browser: Any, case_run: Callable[[str, bool], Run], case: str, mapped: bool
) -> None:
    run = case_run(case, mapped)
    assert run.code == 0, run.stderr
    html = run.html
    # plotly.js travels inside the page, once; no script or stylesheet from a URL
    assert not re.search(r"<script[^>]*src=[\"']?(https?:)?//", html)
    assert len(re.findall(r"\* plotly\.js v\d", html)) == 1
    charts = CHARTS[case][mapped]
    context, page, requested, errors = open_offline(browser, run.out)
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
            timeout=30_000,
        )
        plots = page.locator(".js-plotly-plot")
        assert plots.count() == charts
        for i in range(plots.count()):
            chart = plots.nth(i)
            assert chart.locator("svg.main-svg").count() >= 1
            assert chart.bounding_box()["height"] > 200
            # bars, lines, boxes or markers were drawn
            assert chart.locator("g.trace").count() > 0
        assert requested == []
        assert errors == []
        # a report for a manager: text, tables and charts, no code
        assert page.locator(".jp-CodeCell").count() > 0
        assert page.locator(".jp-CodeCell .jp-InputArea, .highlight").count() == 0
        assert page.locator("h1").first.inner_text().strip() != ""
        # the comparison table's header is there only when run on other data
        header = page.get_by_text("Original case", exact=True)
        assert header.count() == (1 if mapped else 0)
    finally:
        context.close()
