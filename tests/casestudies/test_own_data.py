"""Each case re-run on a city's own files (tests/datasets/fixtures/cities), by the CLI and from
Python, with the figures worked out by hand from the files and the report speaking of them."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import CITIES, Run

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("casestudies-runs")]

CityRun = Callable[[str], Run]


def test_a_foreign_rail_feed_names_its_agency_and_keeps_generated_figures_apart(
    city_run: CityRun,
) -> None:
    run = city_run("transit-rail")
    result = run.result
    # network figures from the feed, by hand: NV1 3 trips x 40 min, NV2 2 trips x 60 min
    assert result["figures"] == {
        "routes": 2,
        "stops": 4,
        "median_headway_min": 45.0,  # NV1 every 30 min, NV2 every 60 min
        "frequent_routes": 0,
        "coverage_km2": pytest.approx(4 * math.pi * 0.4**2, rel=0.005),  # 4 stations, 400 m
        "service_hours": 4.0,
    }
    # the ridership is generated for the feed's routes: an illustration, never a key figure
    assert {"boardings_per_hour", "ridership_change", "ridership_p_value"} <= set(
        result["illustration"]
    )
    assert not [
        f for f in result["key_figures"] if f["synthetic"] and f["key"] in result["figures"]
    ]
    assert all(f["synthetic"] for f in result["key_figures"] if f["key"] in result["illustration"])
    html = run.html
    assert "Northern Valley Rail" in html and "routes of rail" in html
    assert "the Cairns GTFS feed" not in html and "bus service" not in html
    assert "Illustration, not your data" in html
    assert not any("boardings per revenue hour" in text for text in result["findings"])


def test_ridership_routes_the_feed_lacks_are_listed(city_run: CityRun) -> None:
    result = city_run("transit-unknown-route").result
    assert any(
        note.startswith("Routes in your ridership that the feed does not have: NV9.")
        for note in result["findings"]
    )
    figures = result["figures"]
    # after (15 and 22 Jan): 840 + 280 + 50 a week over 10 + 10 + 5 hours
    assert figures["boardings_per_hour"] == round(2 * 1170 / 50, 2)
    assert (figures["weakest_route"], figures["weakest_boardings_per_hour"]) == ("NV9", 10.0)
    # the network went from 1,030 to 1,170 boardings a week
    assert figures["ridership_change"] == round(140 / 1030 * 100, 2)
    assert result["illustration"] == {}  # nothing generated: the feed and ridership are the user's


def test_date_only_times_are_said_and_the_sla_checked_on_days(city_run: CityRun) -> None:
    run = city_run("311-date-only")
    result = run.result
    assert result["reading"]["sentence"] == "read as UTF-8, ','-separated, ISO dates"
    # 24, 96, 48 and 72 hours: within 3 days are 24, 48, 72
    assert result["figures"]["sla_compliance"] == 75.0
    assert result["figures"]["median_hours"] == 60.0
    assert any("the 72-hour target counts 3 days" in text for text in result["findings"])
    assert "(checked on whole days: 3 days)" in run.html
    assert "read as UTF-8, &#39;,&#39;-separated, ISO dates" in run.html or (
        "read as UTF-8, ','-separated, ISO dates" in run.html
    )
    assert "requests_date_only.csv: read as UTF-8" in run.stderr  # said before the run
    # --place names the jurisdiction in the report and the JSON
    assert result["place"] == "Springfield"
    assert "requests_date_only.csv</strong> (Springfield)" in run.html


PythonRun = Callable[[str], Any]


def test_311_from_python_without_an_agency_column(python_run: PythonRun) -> None:
    result, heard = python_run("service-performance-311")
    figures = {f.key: f.value for f in result.figures}
    # N1 10 h, N2 96 h, N3 2 h, N4 open, N5 84 h, N6 1 h
    assert figures["requests"] == 6 and figures["closed_share"] == round(5 / 6 * 100, 2)
    assert figures["median_hours"] == 10.0 and figures["sla_compliance"] == 60.0
    assert "worst_agency" not in figures  # skipped, and said
    assert any("no agency (or department) column" in note for note in result.findings)
    # late: N2, N5 (potholes) and N4 (graffiti, open 105 h at the last time in the log)
    assert figures["act_first"] == "Potholes"
    assert figures["act_first_late_share"] == round(2 / 3 * 100, 2)
    assert all(not f.synthetic for f in result.figures)
    assert [round(f, 2) for f, _ in heard][0] == 0.0 and heard[-1] == (1.0, "done")
    assert result.reading["file"].endswith("requests_no_agency.csv")


def test_transit_from_python_on_wide_daily_ridership_and_a_rail_feed(python_run: PythonRun) -> None:
    result, _ = python_run("transit-network")
    figures = {f.key: f for f in result.figures}
    # weeks from 1 Jan; 22 Jan on: NV1 120 a day instead of 100, NV2 40 a day throughout
    # network: 980 a week for three weeks, then 1,120 for two; 5-6 Feb (2 days) left out
    assert figures["ridership_change"].value == round(140 / 980 * 100, 2)
    assert figures["routes"].value == 2 and not figures["routes"].synthetic
    assert "boardings_per_hour" not in figures  # no revenue hours in the file: said
    assert any("no revenue hours" in text for text in result.findings)
    assert result.notes[0].startswith("Column 'Total' is the total of the others")
    said = " ".join(_texts(result))
    assert "Your data is daily: it was summed into weeks (Monday to Sunday)." in said
    assert "The week of 2024-02-05 is incomplete in the data and left out." in said
    assert result.charts and all(hasattr(chart, "to_json") for chart in result.charts)


def _texts(result: Any) -> list[str]:
    import nbformat

    nb = nbformat.read(result.notebook, as_version=4)
    return [
        str(o.get("data", {}).get("text/markdown", ""))
        for c in nb.cells
        for o in c.get("outputs", [])
    ]


def test_digital_by_default_from_python_on_a_councils_channels(python_run: PythonRun) -> None:
    result, _ = python_run("digital-by-default")
    figures = {f.key: f for f in result.figures}
    assert figures["annual_cost"].value == 76_220
    assert figures["annual_cost"].text == "£76,220"
    # beside the original: the GDS services' own cost, written the same way
    assert figures["annual_cost"].original_text.startswith("£")
    assert len(result.charts) == 1


def test_shared_portal_from_python(python_run: PythonRun) -> None:
    result, _ = python_run("shared-portal")
    figures = {f.key: f.value for f in result.figures}
    assert figures["municipalities"] == 8
    assert result.synthetic is False and result.report.exists()


def test_check_reads_everything_and_runs_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    from govlab.cli import main

    code = main(["run", "service-performance-311", "--data",
                 str(CITIES / "requests_dayfirst.csv"), "--check"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1  # no mapping yet: the suggestion says which column holds what
    assert "--map id=Reference --map opened=Logged --map closed=Resolved" in out
    assert "--map category='Service Area' --map agency=Department" in out
    code = main([
        "run", "service-performance-311", "--data", str(CITIES / "requests_dayfirst.csv"),
        "--check", "--map", "id=Reference", "--map", "opened=Logged", "--map", "closed=Resolved",
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "requests_dayfirst.csv: read as UTF-8, ','-separated, day-first dates" in out
    assert "rows: 4" in out and "dates: 2024-01-13 to 2024-02-02" in out
    assert "ready: govlab run service-performance-311 --data " in out


def test_an_ambiguous_file_is_refused_in_the_clis_words(capsys: pytest.CaptureFixture[str]) -> None:
    from govlab.cli import main

    args = ["run", "service-performance-311", "--data", str(CITIES / "requests_ambiguous.csv"),
            "--map", "id=Ticket", "--map", "opened=Opened", "--map", "closed=Closed"]  # fmt: skip
    code = main([*args, "--out", "/nonexistent/never/report.html"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1
    assert err.endswith("say which with --dayfirst or --monthfirst")
    assert main([*args, "--dayfirst", "--check"]) == 0


def test_case_help_lists_fields_and_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    from govlab.cli import main

    assert main(["run", "service-performance-311", "--help"]) == 0
    out = capsys.readouterr().out
    assert "  opened                 datetime, required, e.g. 2024-03-01 08:15" in out
    assert "  agency                 text, optional, e.g. Highways" in out
    assert "  sla_hours              float, default 72.0; at least 0.01" in out
    assert "  backlog_freq           str, default 'W'; one of D, W, MS" in out
    assert main(["run", "--help"]) == 0
    assert "--dayfirst" in capsys.readouterr().out


@pytest.mark.parametrize(
    "case", ["service-performance-311", "transit-network", "shared-portal", "digital-by-default"]
)
def test_each_case_on_its_own_data_from_python_agrees_with_the_cli(
    case: str, case_run: Callable[[str, bool], Run], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from govlab.casestudies import explorer

    out = tmp_path_factory.mktemp(f"python-own-{case}") / "report.html"
    result = explorer.run(case, out=out)
    cli = case_run(case, False).result
    assert result.result["figures"] == cli["figures"]
    assert result.synthetic is cli["synthetic"] and result.report.exists()
    # generated figures (the transit ridership, the portal panel) are flagged one by one
    assert [f.key for f in result.figures if f.synthetic] == [
        f["key"] for f in cli["key_figures"] if f["synthetic"]
    ]
