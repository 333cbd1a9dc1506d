"""Import of the EU JRC catalogue of 853 AI and blockchain public-service cases."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from govlab.library.formats import guess_format, read_practices
from govlab.library.formats.jrc_ips import CATALOGUE, urls, year
from govlab.library.formats.reading import ImportBatch
from govlab.models import Level, Stage

CATALOGUE_CSV = Path(__file__).parents[1] / "fixtures" / "jrc_ips" / "ips_cases_2022.csv"
SMALL = Path(__file__).parent / "fixtures" / "jrc_small.csv"


@pytest.fixture(scope="module")
def batch() -> ImportBatch:
    return read_practices(CATALOGUE_CSV, "jrc-ips")


def test_every_row_is_imported(batch: ImportBatch) -> None:
    # By hand (pandas value_counts of the file): 853 rows, 853 distinct ids and names,
    # every name >= 7 characters, every description 37..4,365 characters, every
    # start_date a year and no end_date before it. So nothing needs skipping.
    assert len(batch.practices) == 853
    assert batch.skipped == []
    assert len(batch.practices) + len(batch.skipped) == 853
    assert len({practice.id for practice in batch.practices}) == 853
    assert guess_format(CATALOGUE_CSV) == "jrc-ips"


def test_what_was_dropped_is_reported(batch: ImportBatch) -> None:
    # Ten url cells hold no http(s) URL at all (e.g. row 192 "www.kela.fi/lapsiperheet",
    # row 190 "internal web address"); row 341 lists ten partner bodies in 434 characters,
    # over the 300 allowed for an organisation.
    dropped = [row for row, note in batch.warnings if "not an http(s) URL" in note]
    assert len(dropped) == 10 and 190 in dropped and 192 in dropped
    shortened = [row for row, note in batch.warnings if "shortened" in note]
    assert shortened == [341]
    assert len(batch.warnings) == 11
    row_341 = next(p for p in batch.practices if p.id == "jrc-ips-10339")
    assert row_341.organisation.startswith("Public Prosecutor's Office, the National Police")
    assert len(row_341.organisation) <= 300 and row_341.organisation.endswith("…")


def test_facets_match_the_catalogue_counts(batch: ImportBatch) -> None:
    # value_counts of the file: status Pilot 312 + In development 206 = 518 pilots;
    # Implemented 263 + In production 23 = 286; Not in use anymore 25; Planned 24.
    stages = Counter(practice.stage for practice in batch.practices)
    assert stages == {Stage.pilot: 518, Stage.implemented: 286, Stage.retired: 25, Stage.idea: 24}
    # geoextent National 462, Local 228, Regional 83, Across Countries 80
    levels = Counter(practice.level for practice in batch.practices)
    assert levels == {
        Level.national: 462,
        Level.local: 228,
        Level.regional: 83,
        Level.supranational: 80,
    }
    # technology: Artificial intelligence 686, Blockchain 167
    technologies = Counter(tuple(practice.technologies) for practice in batch.practices)
    assert technologies == {("artificial intelligence",): 686, ("blockchain",): 167}
    # geocoverage: 35 values, every one mapped; Netherlands 153, European Union 12,
    # and the five without a geocoverage_code: Russia 7, Czech Republic 2, San Marino 2,
    # Andorra 1 (and European Union)
    countries = Counter(practice.country for practice in batch.practices)
    assert None not in countries and len(countries) == 35
    assert countries["NL"] == 153 and countries["EU"] == 12
    assert (countries["RU"], countries["CZ"], countries["SM"], countries["AD"]) == (7, 2, 2, 1)
    # primary_sector: 10 COFOG divisions; General public services 284, Defence 6
    sectors = Counter(practice.sector for practice in batch.practices)
    assert len(sectors) == 10
    assert sectors["General public services"] == 284 and sectors["Defence"] == 6
    assert all(p.status.value == "published" and p.author == "jrc-ips" for p in batch.practices)
    assert all(
        p.evidence_level is None and p.sources[-1].url == CATALOGUE["url"] for p in batch.practices
    )


def test_spot_check_row_2(batch: ImportBatch) -> None:
    # Row 2: id 10000 "AMS - public empolyment service", National, Austria,
    # Social protection / Unemployment., "Not in use anymore", 2020, no end date.
    ams = batch.practices[0]
    assert ams.id == "jrc-ips-10000"
    assert ams.title == "AMS - public empolyment service"  # their spelling, kept
    assert (ams.country, ams.level, ams.stage) == ("AT", Level.national, Stage.retired)
    assert ams.sector == "Social protection" and ams.jurisdiction == "Austria"
    assert ams.topics == ["Service personalisation (various)", "Unemployment", "cofog:10"]
    assert (ams.year_started, ams.year_ended) == (2020, None)
    assert ams.organisation == "Public Employment Service Austria"
    # summary = the first sentence; the second ("Based on a statistical model ...") is
    # itself over 200 characters, so both would pass the 300-character limit
    assert ams.summary == (
        "As of 2020, the Public Employment Service Austria (AMS) makes use of algorithmic "
        "profiling of job seekers to increase the efficiency of its counseling process and "
        "the effectiveness of active labor market programs."
    )
    assert ams.approach.endswith("declared illegal by the Austrian data protection agency.")
    assert [s.url for s in ams.sources][0] == (
        "https://www.frontiersin.org/articles/10.3389/fdata.2020.00005/full"
    )


def test_spot_check_row_502(batch: ImportBatch) -> None:
    # Row 502: id 10500 CliKode, National, Portugal, Health, "In development",
    # start 2020, end_date "2021.0".
    clikode = next(p for p in batch.practices if p.id == "jrc-ips-10500")
    assert (clikode.country, clikode.level, clikode.stage) == ("PT", Level.national, Stage.pilot)
    assert clikode.sector == "Health" and "cofog:07" in clikode.topics
    assert (clikode.year_started, clikode.year_ended) == (2020, 2021)


def test_spot_check_row_842(batch: ImportBatch) -> None:
    # Row 842: id 10840 "The red button: debt pause button", Local, Netherlands,
    # Economic affairs, Pilot, Blockchain; local, so no jurisdiction beyond the country.
    red = next(p for p in batch.practices if p.id == "jrc-ips-10840")
    assert (red.country, red.level, red.stage) == ("NL", Level.local, Stage.pilot)
    assert red.sector == "Economic affairs" and red.jurisdiction == ""
    assert red.technologies == ["blockchain"]
    assert red.organisation == "The municipalities of Amsterdam, The Hague and Eindhoven"


def test_spot_check_row_754_space_in_url(batch: ImportBatch) -> None:
    # Row 754: id 10752, EU-wide, url "https://www.de4a.eu/doingbusinessabroadProof of Concept"
    de4a = next(p for p in batch.practices if p.id == "jrc-ips-10752")
    assert (de4a.country, de4a.level) == ("EU", Level.supranational)
    assert de4a.sources[0].url == "https://www.de4a.eu/doingbusinessabroadProof%20of%20Concept"


def test_ids_are_stable_across_imports(batch: ImportBatch) -> None:
    again = read_practices(CATALOGUE_CSV, "jrc-ips")
    assert [p.model_dump() for p in again.practices] == [p.model_dump() for p in batch.practices]


def test_small_file_skips_what_it_cannot_use(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    with SMALL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    too_long = dict(zip(rows[0], rows[1], strict=True)) | {"id": "5", "description": "w " * 10_001}
    rows.append([too_long[name] for name in rows[0]])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    batch = read_practices(path, "jrc-ips")
    # rows: 2 fine, 3 no name, 4 repeats id 1, 5 unknown values, 6 dates reversed,
    # 7 a 20,002-character description (over the model's 20,000)
    assert [p.id for p in batch.practices] == ["jrc-ips-1", "jrc-ips-3", "jrc-ips-4"]
    assert [row for row, _ in batch.skipped] == [3, 4, 7]
    reasons = dict(batch.skipped)
    assert "no title" in reasons[3]
    assert "same id as row 2" in reasons[4]
    assert "approach" in reasons[7] and "20000" in reasons[7]
    assert len(batch.practices) + len(batch.skipped) == 6
    first, unknown, reversed_dates = batch.practices
    assert [s.url for s in first.sources] == [
        "https://city.example/potholes",
        "https://news.example/a%20b.html",
        CATALOGUE["url"],
    ]
    assert (first.year_started, first.year_ended, first.country) == (2020, 2022, "DE")
    assert (unknown.country, unknown.stage, unknown.sector) == (None, None, "Space travel")
    assert not any(topic.startswith("cofog:") for topic in unknown.topics)
    notes = [note for row, note in batch.warnings if row == 5]
    assert any("'Atlantis' not recognised" in note for note in notes)
    assert any("'Dreaming' not recognised" in note for note in notes)
    assert any("'www.example.org' is not an http(s) URL" in note for note in notes)
    assert (reversed_dates.year_started, reversed_dates.year_ended) == (2021, None)
    assert (reversed_dates.country, reversed_dates.stage) == ("EU", Stage.retired)


@pytest.mark.parametrize(
    ("cell", "found", "dropped"),
    [
        ("\xa0", [], []),
        ("\xa0https://a.example/x", ["https://a.example/x"], []),
        (
            "https://a.example/1,\nhttps://b.example/2",
            ["https://a.example/1", "https://b.example/2"],
            [],
        ),
        ("https://a.example/#:~:text=a,b", ["https://a.example/#:~:text=a,b"], []),
        ("www.kela.fi/lapsiperheet", [], ["www.kela.fi/lapsiperheet"]),
    ],
)
def test_url_cells(cell: str, found: list[str], dropped: list[str]) -> None:
    assert urls(cell) == (found, dropped)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("2019", 2019), ("2021.0", 2021), ("2019-03-04", 2019), ("", None), ("soon", None)],
)
def test_year_cells(cell: str, expected: int | None) -> None:
    assert year(cell) == expected


@pytest.mark.slow  # 853 saves with revisions: about 4 s alone, 9 s on a busy machine
def test_catalogue_saves_into_a_library(batch: ImportBatch, govlab_home: Path) -> None:
    from govlab.library import Store

    govlab_home.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{govlab_home / 'jrc.db'}", seed=False)
    try:
        assert store.save_all(batch.practices, by="tester", why="jrc-ips import") == 853
        assert store.count() == 853
        found = store.search("blockchain", country="EU")
        assert found.total > 0
        stored = store.get("jrc-ips-10000").model_dump(exclude={"created", "updated", "revision"})
        assert stored == batch.practices[0].model_dump(exclude={"created", "updated", "revision"})
    finally:
        store.close()
