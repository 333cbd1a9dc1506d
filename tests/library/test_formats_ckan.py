"""CKAN package JSON: what we write, and real CKAN packages that were not written by us."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from govlab.errors import InvalidInput
from govlab.library.formats import guess_format, read_practices, write_practices
from govlab.library.formats.ckan import EXTRA_FIELDS, to_package
from govlab.models import Practice

SEARCH = Path(__file__).parent / "fixtures" / "ckan_package_search.json"


def test_a_real_package_search_response_is_read() -> None:
    assert guess_format(SEARCH) == "ckan"
    [practice] = read_practices(SEARCH).practices
    # name "fix_my_street": CKAN allows underscores, our ids do not
    assert practice.id == "fix-my-street"
    assert practice.title == "FixMyStreet: reporting street problems to the council"
    # notes: 389 characters in sentences of 174, 119 and 94, over a summary's 300. The
    # summary keeps whole sentences and stops once it is at least half the limit: the
    # first sentence (174 >= 150) alone. The whole text becomes the approach.
    assert practice.summary == (
        "FixMyStreet lets residents report local problems such as potholes, broken street "
        "lights and fly-tipping on a map; the report is sent to the council responsible for "
        "that spot."
    )
    assert (
        practice.approach.startswith("FixMyStreet lets residents") and len(practice.approach) > 300
    )
    assert practice.topics == ["potholes", "civic tech", "open source"]
    assert practice.organisation == "mySociety" and practice.author == "mySociety"
    assert practice.country == "GB"  # a plain-text extra, not JSON-encoded
    # url first, then resources with http(s) URLs; the ftp resource is left out
    assert [(s.url, s.title) for s in practice.sources] == [
        ("https://www.fixmystreet.com/", ""),
        ("https://github.com/mysociety/fixmystreet", "FixMyStreet code on GitHub"),
    ]
    assert practice.created == datetime(2019, 6, 12, 8, 30, tzinfo=UTC)
    assert practice.updated == datetime(2023, 1, 20, 14, 45, 10, 500000, tzinfo=UTC)
    # what the package does not say falls back to the model's defaults
    assert practice.status.value == "draft" and practice.level is None and practice.outcomes == []


def test_package_layout() -> None:
    practice = Practice(
        id="layout-check",
        title="Layout check",
        summary="Short.",
        topics=["open data", "a;b <odd>"],
        organisation="Ville de Québec",
        sources=[{"url": "https://a.example/", "title": "A"}],
        created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        updated=datetime(2024, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2))),
        year_started=2020,
    )
    package = to_package(practice)
    assert package["type"] == "practice" and package["name"] == "layout-check"
    assert package["notes"] == "Short." and package["url"] == "https://a.example/"
    # only valid CKAN tags become tags; every topic is kept in the extras
    assert package["tags"] == [{"name": "open data"}]
    assert package["organization"] == {"title": "Ville de Québec", "name": "ville-de-quebec"}
    assert package["metadata_created"] == "2024-01-02T03:04:05"  # naive UTC, as CKAN writes
    # the model keeps every time in UTC, so a +02:00 time is written as naive UTC too
    assert package["metadata_modified"] == "2024-01-02T03:04:05"
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert list(extras) == list(EXTRA_FIELDS)
    assert "id" not in extras and "summary" not in extras and "created" not in extras
    assert json.loads(extras["topics"]) == ["open data", "a;b <odd>"]
    assert extras["year_started"] == "2020" and extras["country"] == "null"
    assert all(isinstance(value, str) for value in extras.values())


def test_single_package_and_package_show_are_read(tmp_path: Path) -> None:
    package = to_package(Practice(id="one-package", title="One package"))
    for name, document in (
        ("single.json", package),
        ("show.json", {"success": True, "result": package}),
    ):
        path = tmp_path / name
        path.write_text(json.dumps(document), encoding="utf-8")
        assert [p.id for p in read_practices(path, "ckan").practices] == ["one-package"]


def test_api_error_response_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "error.json"
    path.write_text(json.dumps({"success": False, "error": {"message": "Not found"}}))
    with pytest.raises(InvalidInput, match="the CKAN API reported an error"):
        read_practices(path, "ckan")


def test_duplicate_names_are_rejected(tmp_path: Path) -> None:
    package = to_package(Practice(id="twice-here", title="Twice"))
    path = tmp_path / "twice.json"
    path.write_text(json.dumps([package, package]))
    with pytest.raises(InvalidInput, match=r"package 1 \('twice-here'\) and package 2"):
        read_practices(path, "ckan")


def test_the_export_has_no_half_written_file_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("previous export", encoding="utf-8")

    def practices() -> Iterator[Practice]:
        yield Practice(id="first-one", title="First one")
        raise InvalidInput("the library went away")

    with pytest.raises(InvalidInput, match="went away"):
        write_practices(practices(), path, "ckan")
    assert path.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
