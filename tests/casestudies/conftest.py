"""Fixtures for the case-study tests: foreign-schema files, and case runs shared by the tests.

A case run takes 10-30 s (a kernel, pandas, Plotly, statsmodels), so each run the
tests need is made once per session through the real ``govlab`` console script,
and its report, notebook and JSON are shared by the CLI and browser tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

GOVLAB = str(Path(sys.executable).with_name("govlab"))

# NYC 311 export columns -> the names a foreign city might use.
NYC_RENAMED = {
    "Unique Key": "Ticket No",
    "Created Date": "Opened",
    "Closed Date": "Resolved",
    "Complaint Type": "Issue Type",
    "Agency": "Department",
    "Status": "State",
    "Borough": "Ward",
}
NYC_MAP = [
    "--map", "id=Ticket No", "--map", "opened=Opened", "--map", "closed=Resolved",
    "--map", "category=Issue Type", "--map", "agency=Department", "--map", "district=Ward",
]  # fmt: skip

RIDERSHIP_MAP = [
    "--map", "route=Line", "--map", "week=Week starting", "--map", "boardings=Riders",
    "--map", "revenue_hours=Service hours",
]  # fmt: skip
RIDERSHIP_REDESIGN = "2014-05-26"  # 2014-01-06 + 20 weeks

PORTAL_MAP = [
    "--map", "municipality=Town", "--map", "month=Month", "--map", "channel=Channel",
    "--map", "transactions=Requests", "--map", "population=Residents", "--map", "treated=Joined",
]  # fmt: skip
PORTAL_LAUNCH = "2021-01-01"  # month 12 of a panel starting 2020-01-01

DIGITAL_MAP = [
    "--map",
    "service=Service",
    "--map",
    "channel=Channel",
    "--map",
    "transactions=Contacts",
]
# A council's contacts by service and channel, in the spellings councils use.
COUNCIL_CHANNELS = """Service,Channel,Contacts
Council tax,Web,12000
Council tax,Phone,8000
Council tax,Face to face,2000
Bin collection,Online,9000
Bin collection,Telephone,6000
Bin collection,Post,500
Parking permit,Web,3000
Parking permit,Phone,1000
Parking permit,Counter,1000
"""

CITIES = Path(__file__).resolve().parents[1] / "datasets" / "fixtures" / "cities"


@dataclass(frozen=True)
class Run:
    """One ``govlab run`` of a case, as the console script did it."""

    code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def result(self) -> dict[str, Any]:
        assert self.code == 0, self.stderr
        data: dict[str, Any] = json.loads(self.stdout)
        return data

    @property
    def html(self) -> str:
        return self.out.read_text(encoding="utf-8")


def govlab(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``govlab`` console script."""
    env = {**os.environ, "GOVLAB_USER": "tester"}
    return subprocess.run(
        [GOVLAB, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="session")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Foreign-schema files for the three cases: other column names, other spellings."""
    from govlab.casestudies.cases import shared_portal, transit_network
    from govlab.datasets import sample_path

    folder = tmp_path_factory.mktemp("foreign")
    nyc = pd.read_csv(sample_path("nyc311"), dtype=str, keep_default_na=False)
    nyc.iloc[:900].rename(columns=NYC_RENAMED).to_csv(folder / "city_requests.csv", index=False)

    rides = transit_network.default_data(weeks_before=20, weeks_after=20, seed=11)
    rides = rides.drop(columns="period").rename(
        columns={
            "route": "Line",
            "week": "Week starting",
            "boardings": "Riders",
            "revenue_hours": "Service hours",
        }
    )
    rides.to_csv(folder / "ridership.csv", index=False, date_format="%d/%m/%Y")

    panel = shared_portal.default_data(municipalities=8, months=24, launch_month=12, seed=5)
    panel = panel.assign(
        month=panel["month"] + pd.DateOffset(years=-1),
        channel=panel["channel"].map(
            {"online": "Web", "phone": "Telephone", "in_person": "Counter"}
        ),
        treated=panel["treated"].map({True: "yes", False: "no"}),
    )
    panel = panel.drop(columns=["cost_per_transaction", "post"]).rename(
        columns={
            "municipality": "Town",
            "month": "Month",
            "channel": "Channel",
            "transactions": "Requests",
            "population": "Residents",
            "treated": "Joined",
        }
    )
    panel.to_csv(folder / "towns.csv", index=False, date_format="%Y-%m-%d")
    (folder / "council_channels.csv").write_text(COUNCIL_CHANNELS, encoding="utf-8")
    return {
        "service-performance-311": folder / "city_requests.csv",
        "transit-network": folder / "ridership.csv",
        "shared-portal": folder / "towns.csv",
        "digital-by-default": folder / "council_channels.csv",
    }


@pytest.fixture(scope="session")
def case_run(
    tmp_path_factory: pytest.TempPathFactory, foreign: dict[str, Path]
) -> Iterator[Callable[[str, bool], Run]]:
    """``case_run(case, mapped)``: the case run on its own data, or on the foreign file."""
    cache: dict[tuple[str, bool], Run] = {}
    extra = {
        "service-performance-311": NYC_MAP,
        "transit-network": [*RIDERSHIP_MAP, "-p", f"redesign_date={RIDERSHIP_REDESIGN}"],
        "shared-portal": [*PORTAL_MAP, "-p", f"launch_date={PORTAL_LAUNCH}"],
        "digital-by-default": DIGITAL_MAP,
    }

    def run(case: str, mapped: bool) -> Run:
        if (case, mapped) not in cache:
            folder = tmp_path_factory.mktemp(f"{case}-{'mapped' if mapped else 'default'}")
            out = folder / "reports" / "report.html"
            args = ["run", case, "--out", str(out), "--json"]
            if mapped:
                args += ["--data", str(foreign[case]), *extra[case]]
            done = govlab(*args, cwd=folder)
            cache[case, mapped] = Run(done.returncode, done.stdout, done.stderr, out)
        return cache[case, mapped]

    yield run


# Runs on the city fixtures (tests/datasets/fixtures/cities), by the CLI: name -> arguments.
CITY_RUNS: dict[str, list[str]] = {
    "transit-rail": ["transit-network", "-p", f"gtfs={CITIES / 'gtfs_rail'}"],
    "transit-unknown-route": [
        "transit-network", "--data", str(CITIES / "ridership_unknown_route.csv"),
        "-p", f"gtfs={CITIES / 'gtfs_rail'}",
    ],
    "311-date-only": [
        "service-performance-311", "--data", str(CITIES / "requests_date_only.csv"),
        "--place", "Springfield",
    ],
}  # fmt: skip


@pytest.fixture(scope="session")
def city_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Run]]:
    """``city_run(name)``: one of :data:`CITY_RUNS` through the console script, made once."""
    cache: dict[str, Run] = {}

    def run(name: str) -> Run:
        if name not in cache:
            folder = tmp_path_factory.mktemp(name)
            out = folder / "report.html"
            done = govlab("run", *CITY_RUNS[name], "--out", str(out), "--json", cwd=folder)
            cache[name] = Run(done.returncode, done.stdout, done.stderr, out)
        return cache[name]

    yield run


@pytest.fixture(scope="session")
def python_run(
    tmp_path_factory: pytest.TempPathFactory, foreign: dict[str, Path]
) -> Iterator[Callable[[str], Any]]:
    """``python_run(case)``: the case on a foreign file through the explorer's Python API."""
    from govlab.casestudies import explorer

    calls: dict[str, dict[str, Any]] = {
        "service-performance-311": {
            "data": (CITIES / "requests_no_agency.csv").read_bytes(),
            "filename": "requests_no_agency.csv",
            "parameters": {"min_requests": 1},
        },
        "transit-network": {
            "data": CITIES / "ridership_wide_daily.csv",
            "parameters": {"gtfs": str(CITIES / "gtfs_rail"), "redesign_date": "2024-01-22"},
        },
        "digital-by-default": {
            "data": foreign["digital-by-default"],
            "mapping": {"service": "Service", "channel": "Channel", "transactions": "Contacts"},
        },
        "shared-portal": {
            "data": foreign["shared-portal"],
            "mapping": dict(item.split("=", 1) for item in PORTAL_MAP[1::2]),
            "parameters": {"launch_date": PORTAL_LAUNCH},
        },
    }
    cache: dict[str, Any] = {}

    def run(case: str) -> Any:
        if case not in cache:
            heard: list[tuple[float, str]] = []
            out = tmp_path_factory.mktemp(f"python-{case}") / "report.html"
            result = explorer.run(case, **calls[case], out=out,
                                  progress=lambda f, what: heard.append((f, what)))  # fmt: skip
            cache[case] = (result, heard)
        return cache[case]

    yield run
