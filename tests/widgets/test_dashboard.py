"""The transparency dashboard: tiles worked out by hand, charts, adoption progress and filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlab.testing.community import Community
from govlab.widgets import TransparencyDashboard, charts

from .conftest import values

METRICS = """date,metric,value,target
2026-05-04,Pothole On-Time %,0.6,0.8
2026-05-11,Pothole On-Time %,0.8,0.8
2026-06-01,Pothole On-Time %,0.9,0.8
2026-06-08,Pothole On-Time %,0.9,0.8
2026-05-04,EMS Response Time,6.5,5.5
2026-05-11,EMS Response Time,5.5,5.5
2026-06-01,EMS Response Time,5.0,5.5
"""


@pytest.fixture
def metrics(tmp_path: Path) -> Path:
    path = tmp_path / "our-metrics.csv"
    path.write_text(METRICS, encoding="utf-8")
    return path


def test_tiles_show_the_latest_month_its_target_and_the_trend(
    world: Community, metrics: Path
) -> None:
    board = TransparencyDashboard(world.admin, metrics=metrics, city="Leeds")
    board.pick.selected = {"metric": ["Pothole On-Time %", "EMS Response Time"]}
    tiles = board.city_tiles.value
    # potholes: June's mean 0.9 against May's 0.7; a share, shown as per cent
    assert "90%" in tiles and "Target at least 80%: met, June 2026" in tiles
    assert "20.0 points since May (better)" in tiles
    # response times: lower is better; June 5.0 against May's 6.0
    assert "Target at most 5.5: met" in tiles and "1.0 since May (better)" in tiles
    figure = charts.figure_of(board.score_chart)
    assert figure is not None and [t["name"] for t in figure["data"]] == [
        "Pothole On-Time %",
        "EMS Response Time",
    ]
    potholes, ems = values(figure["data"][0]["y"]), values(figure["data"][1]["y"])
    assert potholes == pytest.approx([0.7 / 0.8, 0.9 / 0.8])  # value over target
    assert ems == pytest.approx([5.5 / 6.0, 5.5 / 5.0])  # lower is better: target over value


def test_a_bad_metrics_file_is_a_message_not_a_traceback(world: Community, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,metric,value\n2026-05-01,Potholes,lots\n", encoding="utf-8")
    board = TransparencyDashboard(world.admin, metrics=bad)
    assert board.notice.kind == "error" and "bad.csv" in board.notice.text
    assert "value" in board.notice.text


def test_the_boston_sample_is_the_default(world: Community) -> None:
    board = TransparencyDashboard(world.admin)
    assert "Graffiti On-Time %" in board.city_tiles.value
    assert charts.figure_of(board.metric_chart) is not None


def test_adoption_progress_comes_from_check_ins_and_filters(
    world: Community, metrics: Path
) -> None:
    transit = world.published("ann", id="bus-network", title="Bus network", topics=["transit"])
    portal = world.published("ann", id="portal", title="Open data portal", topics=["open data"])
    li, bo = world.member("li"), world.member("bo")
    leeds = li.adopt(transit, "Leeds")
    li.check_in(leeds.id, day="2026-03-01", status="in_progress", progress=40)
    li.check_in(leeds.id, day="2026-04-01", status="live", progress=90)
    bo.adopt(portal, "Porto")
    board = TransparencyDashboard(world.admin, metrics=metrics)
    rows = {(r["practice"], r["jurisdiction"]): r for r in board.shown_adoptions()}
    assert rows[("Bus network", "Leeds")]["progress"] == 90
    assert rows[("Bus network", "Leeds")]["status"] == "live"
    assert rows[("Open data portal", "Porto")]["status"] == "not reported"
    assert "Average progress" in board.library_tiles.value and "45%" in board.library_tiles.value
    board.topic.value = "transit"
    assert [r["jurisdiction"] for r in board.shown_adoptions()] == ["Leeds"]
    assert "Porto" not in board.progress_table.value
    board.topic.value = "__all__"
    board.jurisdiction.value = "Porto"
    assert [r["practice"] for r in board.shown_adoptions()] == ["Open data portal"]
    figure = charts.figure_of(board.progress_chart)
    assert figure is not None and values(figure["data"][0]["x"]) == [0]
