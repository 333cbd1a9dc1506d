"""``govlab run`` refuses bad parameters and data before anything runs: exit 1, a clear message,
no notebook and no report written. Usage mistakes exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govlab.cli import main

from .conftest import NYC_MAP


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run with ``--out tmp/out/report.html``; check that nothing was written."""
    out = tmp_path / "out" / "report.html"
    code, _, err = run(capsys, "run", *args, "--out", str(out))
    assert not out.with_suffix(".ipynb").exists(), "papermill started"
    assert not out.exists()
    assert not out.parent.exists()
    return code, " ".join(err.split())


def test_unknown_parameter(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = refused(capsys, tmp_path, "service-performance-311", "-p", "sla=48")
    assert code == 1
    assert err == (
        "Error: case 'service-performance-311' has no parameter 'sla'; parameters: "
        "sla_hours, min_requests, top, backlog_freq, as_of"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["service-performance-311", "-p", "sla_hours=soon"],
            "Error: parameter 'sla_hours': expected a number (float), e.g. 72 or 0.035, got 'soon'",
        ),
        (
            ["service-performance-311", "-p", "top=2.5"],
            "Error: parameter 'top': expected a whole number (int), e.g. 12, got '2.5'",
        ),
        (
            ["shared-portal", "-p", "split=by-size"],
            "Error: parameter 'split': 'by-size' is not one of equal, population, usage",
        ),
        (
            ["shared-portal", "-p", "launch_month=40"],
            "Error: parameter 'launch_month': need at least three months before and after "
            "the launch; got 40 of 36 months",
        ),
        (
            ["transit-network", "-p", "date=30/05/2014"],
            "Error: parameter 'date': expected a date written YYYY-MM-DD (date), got '30/05/2014'",
        ),
    ],
)
def test_wrong_types_and_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    code, err = refused(capsys, tmp_path, *args)
    assert (code, err) == (1, message)


def test_missing_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, foreign: dict[str, Path]
) -> None:
    data = foreign["service-performance-311"]
    mapping = [a.replace("opened=Opened", "opened=Created Date") for a in NYC_MAP]
    code, err = refused(capsys, tmp_path, "service-performance-311", "--data", str(data), *mapping)
    assert code == 1
    assert err.startswith(
        f"Error: {data}: column 'Created Date' (mapped to 'opened') not found; columns found: "
        "'Ticket No', 'Opened', 'Resolved',"
    )


def test_unmapped_required_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, foreign: dict[str, Path]
) -> None:
    data = foreign["service-performance-311"]
    # agency is optional since issue 10; the closing time is still required
    mapping = [a for a in NYC_MAP if not a.startswith("closed=")]
    mapping = [a for i, a in enumerate(mapping) if not (a == "--map" and mapping[i + 1] == "--map")]
    code, err = refused(capsys, tmp_path, "service-performance-311", "--data", str(data), *mapping)
    assert code == 1
    assert err.startswith(
        f"Error: {data}: no column for the required field 'closed'; "
        "name it with --map closed=COLUMN (columns found: 'Ticket No', "
    )


def test_foreign_file_without_a_mapping(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, foreign: dict[str, Path]
) -> None:
    data = foreign["service-performance-311"]
    code, err = refused(capsys, tmp_path, "service-performance-311", "--data", str(data))
    assert code == 1
    assert "cannot recognise the request-log format" in err
    # the CLI's own words (was "Pass mapping={...}" before issue 10)
    assert err.endswith("--map id=COLUMN --map opened=COLUMN --map closed=COLUMN")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-case"], "Error: no case study named 'no-such-case'; cases: shared-portal"),
        (["service-performance-311", "--map", "id=Ticket"], "Error: --map needs --data"),
        (["service-performance-311", "--data", "/no/such/file.csv"], "/no/such/file.csv"),
        (
            ["service-performance-311", "--data", "x.csv", "--map", "ticket=Ticket"],
            "Error: --map: case 'service-performance-311' has no field 'ticket'; fields: id, ",
        ),
    ],
)
def test_other_refusals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    code, err = refused(capsys, tmp_path, *args)
    assert code == 1
    assert err.startswith(message) or message in err


def test_a_report_must_be_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "run", "service-performance-311", "--out", str(tmp_path / "r.pdf"))
    assert code == 1
    assert "the report must be an .html file (or a folder)" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["run"],
        ["run", "service-performance-311"],
        ["run", "--list", "shared-portal"],
        ["run", "service-performance-311", "--out"],
    ],
)
def test_usage_mistakes_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err


def test_list_shows_cases_and_typed_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", "--list")
    assert code == 0
    assert "service-performance-311: 311 service performance" in out
    assert "    sla_hours (float, default 72.0): Service-level target in hours" in out
    assert "    split (str, default 'population'): one of equal|population|usage;" in out
    assert (
        "fields (--map FIELD=COLUMN, ? = optional): date, route?, boardings, revenue_hours?, "
        in out
    )

    code, out, _ = run(capsys, "run", "--list", "--json")
    cases = json.loads(out)
    assert [c["name"] for c in cases] == [
        "shared-portal",
        "transit-network",
        "service-performance-311",
        "digital-by-default",
    ]
    portal = cases[0]
    assert portal["practices"] == ["commonwealth-connect"]
    platform = next(p for p in portal["parameters"] if p["name"] == "platform_cost")
    assert platform["type"] == "float" and platform["default"] == 400000.0


@pytest.mark.slow
def test_a_failure_inside_the_notebook_names_its_cell(tmp_path: Path) -> None:
    from govlab.casestudies import get_case
    from govlab.casestudies._kernel import execute_notebook
    from govlab.errors import GovlabError

    case = get_case("service-performance-311")
    parameters = {**case.defaults(), "figures_path": "", "data_label": "gone.parquet"}
    parameters["data_path"] = str(tmp_path / "gone.parquet")
    output = tmp_path / "report.ipynb"
    with pytest.raises(GovlabError) as error:
        execute_notebook(case, output, parameters, tmp_path, progress=False, timeout=120)
    message = str(error.value)
    assert message.startswith("case 'service-performance-311' stopped at cell ")
    # the 311 notebook hands the path to DuckDB since issue 10: its message names the file
    assert "InvalidInput" in message and "gone.parquet: no such file" in message
    assert message.endswith(f"(the notebook so far is in {output})")
    assert output.exists()
