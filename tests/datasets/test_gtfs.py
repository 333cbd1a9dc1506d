"""load_gtfs on the Cairns feed (zip and folder) and on broken feeds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from govlab.datasets import load_gtfs, sample_path
from govlab.errors import InvalidInput


def test_cairns_zip() -> None:
    feed = load_gtfs(sample_path("gtfs_cairns"))
    # counts from PROVENANCE.txt, checked with `unzip -p cairns_gtfs.zip routes.txt | wc -l`
    assert len(feed.routes) == 22
    assert len(feed.stops) == 416
    assert len(feed.trips) == 1339
    assert len(feed.stop_times) == 37790
    assert "110" in set(feed.routes["route_short_name"])
    assert feed.agency["agency_timezone"].iloc[0] == "Australia/Brisbane"


def test_cairns_folder(tmp_path: Path) -> None:
    with zipfile.ZipFile(sample_path("gtfs_cairns")) as archive:
        archive.extractall(tmp_path / "cairns")
    feed = load_gtfs(tmp_path / "cairns")
    assert len(feed.routes) == 22


def test_tiny_folder(fixtures: Path) -> None:
    feed = load_gtfs(fixtures / "gtfs_tiny")
    assert feed.routes["route_id"].tolist() == ["R1"]
    assert len(feed.stop_times) == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gtfs_no_stop_times", r"gtfs_no_stop_times: the feed has no stop_times\.txt \(required\)"),
        (
            "gtfs_no_route_type",
            r"gtfs_no_route_type -> routes\.txt, row 1: column 'route_type' not found; "
            r"columns found: route_id, route_short_name",
        ),
        ("gtfs_no_calendar", r"neither calendar\.txt nor calendar_dates\.txt"),
        ("not_a_zip.zip", r"not_a_zip\.zip: not a zip file"),
        ("no_such_feed.zip", r"no_such_feed\.zip: no such GTFS zip or folder"),
    ],
)
def test_broken_feeds(fixtures: Path, name: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        load_gtfs(fixtures / name)
