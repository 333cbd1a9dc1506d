"""The comparison table and sentence, the key-figure record, the offline charts."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from govlab.casestudies import notebook as nb

CASE = "service-performance-311"
MINE = {"requests": 900, "median_hours": 30.0, "sla_compliance": 50.0, "worst_agency": "DOT"}
ORIGINAL = {"requests": 2000, "median_hours": 20.0, "sla_compliance": 60.0, "worst_agency": "DCA"}


def test_comparison_table_by_hand() -> None:
    table = nb.comparison(CASE, MINE, ORIGINAL)
    assert list(table.loc["Median response time"]) == [
        "20 hours",
        "30 hours",
        # 30 - 20 = +10 hours; 10 / 20 = +50 %
        "+10 hours (+50%)",
    ]
    # percentages differ in points, with no relative change
    assert list(table.loc["Closed within the service level"]) == [
        "60 %",
        "50 %",
        "-10 points",
    ]
    assert list(table.loc["Requests"]) == ["2,000", "900", "-1,100"]
    assert list(table.loc["Agency with the lowest compliance"]) == ["DCA", "DOT", ""]
    # a figure neither run has is left out
    assert "Open at the end" not in table.index


def test_comparison_sentence_says_better_or_worse() -> None:
    sentence = nb.comparison_sentence(CASE, MINE, ORIGINAL)
    assert sentence == (
        "On your data, median response time is 30 hours against 20 hours (higher, worse); "
        "closed within the service level is 50 % against 60 % (lower, worse)."
    )
    better = nb.comparison_sentence(CASE, {"median_hours": 10.0}, ORIGINAL)
    assert (
        better == "On your data, median response time is 10 hours against 20 hours (lower, better)."
    )
    assert (
        nb.comparison_sentence(CASE, ORIGINAL, ORIGINAL)
        == "Your figures match the original case's."
    )


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        (np.float64(23.516666), 23.52),
        (np.int64(43), 43),
        (0.000999500, 0.0009995),
        (float("nan"), None),
        (math.inf, None),
        ("DOT", "DOT"),
        (None, None),
        (np.bool_(True), True),
    ],
)
def test_clean_makes_plain_json(value: object, clean: object) -> None:
    assert nb.clean(value) == clean
    json.dumps(nb.clean(value))


def test_record_writes_the_known_figures_only(tmp_path: Path) -> None:
    path = tmp_path / "figures.json"
    record = nb.record(path, CASE, {**MINE, "scratch": 1.0}, ORIGINAL, "city.csv")
    assert json.loads(path.read_text(encoding="utf-8")) == record
    assert record["data"] == "city.csv"
    assert record["figures"] == {
        "requests": 900,
        "median_hours": 30.0,
        "sla_compliance": 50.0,
        "worst_agency": "DOT",
    }
    assert record["original"]["requests"] == 2000
    assert nb.record("", CASE, MINE)["original"] is None


def test_p_values_read_as_such() -> None:
    table = nb.figure_table("shared-portal", {"its_p_value": 0.0, "npv": 6923859.53})
    assert table.loc["p-value of the jump", "Value"] == "< 0.001"
    assert table.loc["Net present value", "Value"] == "$6,923,860"


def test_a_chart_div_loads_nothing_from_the_network() -> None:
    import plotly.graph_objects as go

    from govlab.casestudies.report import remote_resources

    html = nb._div(go.Figure(go.Bar(x=["a"], y=[1])))
    assert "<script" in html  # the call that draws the chart
    assert remote_resources(html) == []
    assert "mathjax" not in html.lower()
    assert 'src="https://cdn.plot.ly' not in nb._plotlyjs()


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.plot.ly/plotly-2.js"></script>',
        "<script type='text/javascript' src='//cdnjs.cloudflare.com/require.js'></script>",
        '<link rel="stylesheet" href="http://example.org/x.css">',
        '<script type="module">import "https://cdn.plot.ly/plotly-3.0.1.min"</script>',
    ],
)
def test_remote_resources_are_found(snippet: str) -> None:
    from govlab.casestudies.report import remote_resources

    assert remote_resources(f"<html><head>{snippet}</head></html>") != []
