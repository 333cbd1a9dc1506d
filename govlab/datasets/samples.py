"""Real sample data shipped inside the package, each folder with its PROVENANCE.txt."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import TypedDict

from govlab.errors import NotFound


class SampleInfo(TypedDict):
    """What a shipped sample is, where it came from and how to load it."""

    description: str
    licence: str
    source: str
    files: list[str]
    default: str
    loader: str


SAMPLES: dict[str, SampleInfo] = {
    "nyc311": {
        "description": "NYC 311 service requests: 2,000 from 2011 (41-column export with the "
        "channel) and 199 from 30-31 Oct 2013 (52-column export, many still open).",
        "licence": "NYC Open Data Terms of Use (public; attribution requested)",
        "source": "https://data.cityofnewyork.us/d/erm2-nwe9 via github.com/tuplex/tuplex",
        "files": ["nyc311_2011_sample_2000.csv", "nyc311_2013-10-31_sample_199.csv"],
        "default": "nyc311_2011_sample_2000.csv",
        "loader": "load_nyc311",
    },
    "chicago_open311": {
        "description": "Three Chicago Open311 GeoReport v2 requests (2014) with Chicago's "
        "extended attributes and notes timeline: a parsing fixture, not statistics.",
        "licence": "unknown (City of Chicago open data terms)",
        "source": "City of Chicago Open311 API via github.com/michaelkunc/broken_windows_chicago",
        "files": ["chicago_open311_requests_3.json"],
        "default": "chicago_open311_requests_3.json",
        "loader": "load_open311",
    },
    "gtfs_cairns": {
        "description": "GTFS feed of the Cairns (Queensland) bus network, 2014: 22 routes, "
        "416 stops, 1,339 trips.",
        "licence": "MIT (gtfs_kit repository); Queensland open data usually CC-BY 4.0",
        "source": "github.com/mrcagney/gtfs_kit data/cairns_gtfs.zip",
        "files": ["cairns_gtfs.zip"],
        "default": "cairns_gtfs.zip",
        "loader": "load_gtfs",
    },
    "uk_gds_digital_efficiency_2012": {
        "description": "UK GDS Digital Efficiency Report (2012): 17 case-study services with "
        "annual volume and % digital, savings figures, and cost per transaction by channel.",
        "licence": "Crown copyright (MIT-style notice; OGL v3 on GOV.UK)",
        "source": "github.com/alphagov/government-digital-strategy",
        "files": [
            "case_studies_17_services.csv",
            "channel_costs_DERIVED.csv",
            "fig1-4_savings_per_1pct_digital_shift_gbp_millions.csv",
            "fig7_transactional_services_count_by_department.csv",
            "fig8_completed_transactions_by_department_millions.csv",
            "fig9_projected_annual_savings_by_department_gbp_millions.csv",
        ],
        "default": "case_studies_17_services.csv",
        "loader": "load_channel_volumes",
    },
    "austin_community_survey_comments": {
        "description": "3,187 open-ended comments from Austin's community survey 2016-2017, "
        "by council district (personal data redacted).",
        "licence": "GPL (>= 2) (repository); City of Austin open data",
        "source": "City of Austin dataset mf9f-kvkk via github.com/clawilso15/Text.Replace",
        "files": ["community-survey-open-ended-comments-2016-2017.csv"],
        "default": "community-survey-open-ended-comments-2016-2017.csv",
        "loader": "load_feedback",
    },
    "boston_cityscore_2016": {
        "description": "Boston CityScore: 3,891 daily values of 21 performance metrics, "
        "29 Feb - 19 Jul 2016, with each metric's target.",
        "licence": "unknown (no licence in the repository)",
        "source": "github.com/CityOfBoston/CityScoreToolkit",
        "files": ["cityscore_daily_values_2016_DERIVED.csv", "cityscore_metrics_DERIVED.csv"],
        "default": "cityscore_daily_values_2016_DERIVED.csv",
        "loader": "load_metric_series",
    },
    "oakland_city_budget": {
        "description": "City of Oakland adopted budget FY2021-22: 22,236 line items by "
        "department, fund, expense/revenue and account category.",
        "licence": "MIT (OpenOakland repository); public records",
        "source": "github.com/openoakland/openbudgetoakland",
        "files": ["oakland_budget_FY21-22__adopted.csv"],
        "default": "oakland_budget_FY21-22__adopted.csv",
        "loader": "load_budget",
    },
    "us_omb_budget": {
        "description": "US federal receipts by source, agency and account, FY1962-2020 "
        "(OMB, Budget of the U.S. Government FY2016).",
        "licence": "public domain (U.S. Government work)",
        "source": "github.com/vega/vega-datasets data/budget.json",
        "files": ["budget.json"],
        "default": "budget.json",
        "loader": "load_omb_budget",
    },
}

_extracted: dict[str, Path] = {}


def _sample_folder(name: str) -> Path:
    """A sample's folder as a real path, copied out once if the package is not on disk.

    Loaders read files beside the one asked for (targets, costs), so the whole
    folder is extracted, not one file.
    """
    folder = resources.files("govlab.datasets").joinpath("samples", name)
    if isinstance(folder, Path):
        return folder
    if name not in _extracted:
        root = Path(tempfile.mkdtemp(prefix="govlab-samples-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        target = root / name
        target.mkdir()
        for child in folder.iterdir():
            if child.is_file():
                (target / child.name).write_bytes(child.read_bytes())
        _extracted[name] = target
    return _extracted[name]


def sample_path(name: str, file: str | None = None) -> Path:
    """Path of a shipped sample file.

    Parameters
    ----------
    name
        A key of :data:`SAMPLES` (e.g. ``"nyc311"``), or ``"name/file"``.
    file
        One of the sample's files; the sample's default file when None
        (e.g. the 2011 file for ``"nyc311"``).

    Returns
    -------
    pathlib.Path
        An existing file; its folder also holds ``PROVENANCE.txt``.

    Raises
    ------
    NotFound
        No such sample or file; the message lists the ones there are.
    """
    if file is None and "/" in name:
        name, file = name.split("/", 1)
    if name not in SAMPLES:
        raise NotFound(f"no sample named {name!r}; samples: {', '.join(SAMPLES)}")
    info = SAMPLES[name]
    chosen = file or info["default"]
    if chosen not in info["files"] and chosen != "PROVENANCE.txt":
        raise NotFound(f"sample {name!r} has no file {chosen!r}; files: {', '.join(info['files'])}")
    return _sample_folder(name) / chosen


def sample_dir(name: str) -> Path:
    """Folder of a shipped sample (its files and ``PROVENANCE.txt``)."""
    return sample_path(name, "PROVENANCE.txt").parent


def provenance(name: str) -> str:
    """The text of a sample's ``PROVENANCE.txt``: source, commit, licence, notes."""
    return sample_path(name, "PROVENANCE.txt").read_text(encoding="utf-8")
