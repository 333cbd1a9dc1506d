"""The samples shipped as package data, each with its provenance."""

from __future__ import annotations

import hashlib
import re

import pytest

from govlab.datasets import SAMPLES, provenance, sample_dir, sample_path
from govlab.errors import NotFound

EXPECTED = {
    "nyc311",
    "chicago_open311",
    "gtfs_cairns",
    "uk_gds_digital_efficiency_2012",
    "austin_community_survey_comments",
    "boston_cityscore_2016",
    "oakland_city_budget",
    "us_omb_budget",
}


def test_every_sample_ships_with_provenance() -> None:
    assert set(SAMPLES) == EXPECTED
    for name, info in SAMPLES.items():
        folder = sample_dir(name)
        assert (folder / "PROVENANCE.txt").is_file(), name
        assert info["default"] in info["files"]
        for file in info["files"]:
            assert sample_path(name, file).is_file(), (name, file)
        shipped = {p.name for p in folder.iterdir()} - {"PROVENANCE.txt"}
        assert shipped == set(info["files"]), name
        text = provenance(name)
        assert "License:" in text and "Repository:" in text
        assert info["description"] and info["licence"]


def test_shipped_files_are_small() -> None:
    total = 0
    for name, info in SAMPLES.items():
        for file in info["files"]:
            size = sample_path(name, file).stat().st_size
            assert size < 1_600_000, (name, file)
            total += size
    assert total < 5_000_000


def test_verbatim_files_match_their_provenance_checksums() -> None:
    # the checksums are the ones PROVENANCE.txt lists for files copied unchanged
    for name, file in [
        ("nyc311", "nyc311_2011_sample_2000.csv"),
        ("gtfs_cairns", "cairns_gtfs.zip"),
        ("oakland_city_budget", "oakland_budget_FY21-22__adopted.csv"),
        ("chicago_open311", "chicago_open311_requests_3.json"),
    ]:
        digest = hashlib.sha256(sample_path(name, file).read_bytes()).hexdigest()
        assert digest in provenance(name), (name, file)


def test_personal_data_stays_redacted() -> None:
    text = sample_path("austin_community_survey_comments").read_text(encoding="utf-8")
    assert "[name and contact details removed]" in text
    assert "[address removed]" in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)  # no e-mail address left


def test_default_and_named_files() -> None:
    assert sample_path("nyc311").name == "nyc311_2011_sample_2000.csv"
    second = "nyc311_2013-10-31_sample_199.csv"
    assert sample_path("nyc311", second) == sample_path(f"nyc311/{second}")


def test_unknown_names() -> None:
    with pytest.raises(NotFound, match="no sample named 'nyc'; samples: nyc311, "):
        sample_path("nyc")
    with pytest.raises(NotFound, match="sample 'nyc311' has no file 'x.csv'; files: "):
        sample_path("nyc311", "x.csv")
