"""Every city fixture (tests/datasets/fixtures/cities) through both faces: ``govlab run CASE
--data FILE --check`` and :func:`govlab.casestudies.checking.check_data` from Python.

One row per way a city's file differs. Each face must say how the file was read, count
its rows and dates (worked out by hand from the file), state what a run would assume,
or refuse with the exact message, in that face's own words (``--duplicates sum`` on the
command line, ``duplicates='sum'`` in Python). The figures the loaders and the cases
compute from these files are checked in tests/datasets/test_reading.py,
test_ridership.py and tests/casestudies/test_own_data.py.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from govlab.casestudies.checking import check_data
from govlab.datasets.reading import ReadOptions

from .conftest import CITIES

RAIL = str(CITIES / "gtfs_rail")
EXTRA = str(CITIES / "gtfs_extra_files")
AMBIGUOUS_MAP = {"id": "Ticket", "opened": "Opened", "closed": "Closed"}
DAYFIRST_MAP = {
    "id": "Reference",
    "opened": "Logged",
    "closed": "Resolved",
    "category": "Service Area",
    "agency": "Department",
}
DATE_ONLY = (
    "The file gives dates without times (every opening and closing is at midnight), so every "
    "duration is a whole number of days: the 72-hour target counts 3 days, and a request "
    "closed the next day took 24 hours."
)
NO_AGENCY = (
    "The file has no agency (or department) column: the figures by agency (the agency with "
    "the lowest compliance) are skipped, and the groups to act on first are complaint types."
)
WIDE_DAILY = [
    "Column 'Total' is the total of the others, so it is left out (it would count every "
    "boarding twice).",
    "The file has one column per route (2): read as routes.",
    "Your data is daily: it was summed into weeks (Monday to Sunday). The week of 2024-02-05 "
    "is incomplete in the data and left out.",
]
UNKNOWN_ROUTE = (
    "Routes in your ridership that the feed does not have: NV9. Their boardings count in the "
    "network totals, but they are matched to no timetable."
)
LEFT_ASIDE = (
    "The feed also holds files that are not part of GTFS (README.md, license.txt, notes.csv, "
    "vehicles.txt): they are left aside; the figures come from its GTFS files only."
)


@dataclass(frozen=True)
class Fixture:
    """A fixture, how to check it, and what both faces must find."""

    case: str
    file: str
    mapping: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    reading: ReadOptions = ReadOptions()
    duplicates: str = "error"
    sentence: str = ""
    rows: int | None = None
    dates: tuple[str, str] | None = None
    notes: tuple[str, ...] = ()
    problem: str = ""  # the message with {words} for the face's words; "" when ready
    words: tuple[str, str] = ("", "")  # (CLI, Python)

    def cli_args(self) -> list[str]:
        args = ["run", self.case, "--data", str(CITIES / self.file), "--check"]
        for name, column in self.mapping.items():
            args += ["--map", f"{name}={column}"]
        for name, value in self.parameters.items():
            args += ["-p", f"{name}={value}"]
        if self.reading.dayfirst is not None:
            args.append("--dayfirst" if self.reading.dayfirst else "--monthfirst")
        if self.duplicates != "error":
            args += ["--duplicates", self.duplicates]
        return args


FIXTURES: dict[str, Fixture] = {
    "latin-1": Fixture(
        "service-performance-311", "requests_latin1.csv",
        sentence="read as Latin-1, ','-separated, ISO dates", rows=3,
        dates=("2024-03-01", "2024-03-03"),
    ),
    "cp1252": Fixture(
        "service-performance-311", "requests_cp1252.csv",
        sentence="read as Windows-1252, ','-separated, ISO dates", rows=2,
        dates=("2024-03-01", "2024-03-01"),
    ),
    "utf-8 BOM": Fixture(
        "service-performance-311", "requests_bom.csv",
        sentence="read as UTF-8 with a byte-order mark, ','-separated, ISO dates", rows=2,
        dates=("2024-03-01", "2024-03-01"),
    ),
    "';' and decimal commas": Fixture(
        "digital-by-default", "channels_semicolon_decimal.csv",
        sentence="read as UTF-8, ';'-separated, decimal comma", rows=2,
    ),
    "day-first": Fixture(
        "service-performance-311", "requests_dayfirst.csv", DAYFIRST_MAP,
        sentence="read as UTF-8, ','-separated, day-first dates", rows=4,
        dates=("2024-01-13", "2024-02-02"),  # 13/01/2024 can only be 13 January
    ),
    "ambiguous dates": Fixture(
        "service-performance-311", "requests_ambiguous.csv", AMBIGUOUS_MAP,
        sentence="read as UTF-8, ','-separated",
        problem="{file}, column 'Opened': cannot tell the date order: every date reads both "
        "ways, as no day is above 12 ('03/04/2024 09:00' could be day-first or month-first); "
        "say which with {words}",
        words=("--dayfirst or --monthfirst", "dayfirst=True or dayfirst=False"),
    ),
    "ambiguous dates, --dayfirst": Fixture(
        "service-performance-311", "requests_ambiguous.csv", AMBIGUOUS_MAP,
        reading=ReadOptions(dayfirst=True),
        sentence="read as UTF-8, ','-separated, day-first dates", rows=3,
        dates=("2024-02-01", "2024-05-04"),  # 01/02 is 1 February, 04/05 is 4 May
    ),
    "date-only times": Fixture(
        "service-performance-311", "requests_date_only.csv",
        sentence="read as UTF-8, ','-separated, ISO dates", rows=4,
        dates=("2024-03-01", "2024-03-03"), notes=(DATE_ONLY,),
    ),
    "no agency column": Fixture(
        "service-performance-311", "requests_no_agency.csv",
        sentence="read as UTF-8, ','-separated, ISO dates", rows=6,
        dates=("2024-03-01", "2024-03-04"), notes=(NO_AGENCY,),
    ),
    "wide daily ridership": Fixture(
        "transit-network", "ridership_wide_daily.csv", parameters={"gtfs": RAIL},
        sentence="read as UTF-8, ','-separated, day-first dates",
        rows=2 * 37,  # NV1 and NV2 on 37 days; Total left out
        dates=("2024-01-01", "2024-02-06"), notes=tuple(WIDE_DAILY),
    ),
    "duplicate dates": Fixture(
        "transit-network", "ridership_duplicate_dates.csv", parameters={"gtfs": RAIL},
        sentence="read as UTF-8, ','-separated",
        problem="{file}, row 4: route NV1, date 2024-01-08 appears twice (rows 3 and 4); "
        "expected one row per date and route. To combine duplicates give {words} (or mean, or "
        "last to keep the later row)",
        words=("--duplicates sum", "duplicates='sum'"),
    ),
    "duplicate dates, --duplicates sum": Fixture(
        "transit-network", "ridership_duplicate_dates.csv", parameters={"gtfs": RAIL},
        duplicates="sum", sentence="read as UTF-8, ','-separated, ISO dates",
        rows=3,  # 720 + 30 on 2024-01-08
        dates=("2024-01-01", "2024-01-15"),
        notes=("Your data is weekly: the analysis runs on weeks.",),
    ),
    "ridership route not in the feed": Fixture(
        "transit-network", "ridership_unknown_route.csv", parameters={"gtfs": RAIL},
        sentence="read as UTF-8, ','-separated, ISO dates", rows=12,
        dates=("2024-01-01", "2024-01-22"),
        notes=("Your data is weekly: the analysis runs on weeks.", UNKNOWN_ROUTE),
    ),
    "GTFS with extra non-standard files": Fixture(
        "transit-network", "ridership_unknown_route.csv", parameters={"gtfs": EXTRA},
        sentence="read as UTF-8, ','-separated, ISO dates", rows=12,
        dates=("2024-01-01", "2024-01-22"),
        # the demo feed's one route is R1 / '1': every ridership route is unknown to it
        notes=(
            LEFT_ASIDE,
            "Your data is weekly: the analysis runs on weeks.",
            UNKNOWN_ROUTE.replace("NV9", "NV1, NV2, NV9"),
        ),
    ),
    "no feed given": Fixture(
        "transit-network", "ridership_unknown_route.csv",
        sentence="read as UTF-8, ','-separated, ISO dates", rows=12,
        dates=("2024-01-01", "2024-01-22"),
        notes=(
            "No GTFS feed was given, so the network figures (frequency, coverage, revenue hours "
            "on a day) are left out; give your feed with {gtfs}, or {sample} to set your "
            "ridership beside the Cairns timetable.",
            "Your data is weekly: the analysis runs on weeks.",
        ),
    ),
    "title lines above the header": Fixture(
        "service-performance-311", "requests_title_lines.csv",
        sentence="read as UTF-8, ','-separated, header on line 4",
        problem="{file}, row 7, column 'opened': cannot read 'yesterday' as a date; expected a "
        "date like 2023-01-31 14:05 (pass {words}=... if your dates are written another way)",
        words=("--date-format", "date_format"),
    ),
}  # fmt: skip

# How the no-feed note names the parameter, in each face's words.
_GTFS_WORDS = {
    "cli": {"gtfs": "-p gtfs=FEED.zip", "sample": "-p gtfs=sample"},
    "python": {
        "gtfs": "parameters={'gtfs': 'FEED.zip'}",
        "sample": "parameters={'gtfs': 'sample'}",
    },
}


def _notes(fixture: Fixture, face: str) -> list[str]:
    return [note.format(**_GTFS_WORDS[face]) for note in fixture.notes]


def _problem(fixture: Fixture, face: str) -> str:
    words = fixture.words[0 if face == "cli" else 1]
    return fixture.problem.format(file=CITIES / fixture.file, words=words)


@pytest.mark.parametrize("name", list(FIXTURES))
def test_the_cli_check_says_what_it_found(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    from govlab.cli import main

    fixture = FIXTURES[name]
    code = main(fixture.cli_args())
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"{fixture.file}: {fixture.sentence}"
    notes = [line.removeprefix("note: ") for line in lines if line.startswith("note: ")]
    reader_notes = [n for n in notes if n not in _notes(fixture, "cli")]
    assert [n for n in notes if n not in reader_notes] == _notes(fixture, "cli")
    if fixture.problem:
        assert code == 1
        assert lines[-1] == f"problem: {_problem(fixture, 'cli')}"
        return
    assert code == 0
    assert f"rows: {fixture.rows:,}" in lines
    if fixture.dates:
        assert f"dates: {fixture.dates[0]} to {fixture.dates[1]}" in lines
    # the ready line repeats what was said (in its own order), so it runs as printed
    ready = shlex.split(lines[-1].removeprefix("ready: "))
    said = [a for a in fixture.cli_args() if a != "--check"]
    assert sorted(ready) == sorted(["govlab", *said, "--out", "report.html"])


@pytest.mark.parametrize("name", list(FIXTURES))
def test_python_check_finds_the_same(name: str) -> None:
    fixture = FIXTURES[name]
    found = check_data(
        fixture.case, CITIES / fixture.file, fixture.mapping or None,
        reading=fixture.reading, duplicates=fixture.duplicates, parameters=fixture.parameters,
    )  # fmt: skip
    assert found.reading.sentence() == fixture.sentence
    assert [n for n in found.notes if n in _notes(fixture, "python")] == _notes(fixture, "python")
    if fixture.problem:
        assert not found.ok and found.problem == _problem(fixture, "python")
        return
    assert found.ok, found.problem
    assert found.rows == fixture.rows
    if fixture.dates:
        assert (found.first_date, found.last_date) == fixture.dates


def test_a_feed_with_extra_files_reads_by_hand() -> None:
    """README.md, license.txt, notes.csv and vehicles.txt beside the GTFS files, a BOM in
    stops.txt, no agency_id: one bus route, one trip 08:00-08:10 over two stops."""
    from govlab.casestudies.cases import transit_network as transit
    from govlab.datasets import feed_summary, load_gtfs

    feed = load_gtfs(EXTRA)
    summary = feed_summary(feed)
    assert summary["agencies"] == ["Demo Transit"] and summary["modes"] == {"bus": 1}
    assert summary["left_aside"] == ["README.md", "license.txt", "notes.csv", "vehicles.txt"]
    result = transit.analyse(None, feed)
    figures = result.figures
    assert (figures["routes"], figures["stops"], figures["frequent_routes"]) == (1, 2, 0)
    assert figures["service_hours"] == pytest.approx(10 / 60)
    assert math.isnan(figures["median_headway_min"])  # one trip: no headway
    # two stops 1.3 km apart: two whole 400 m circles (polygons of the circles: within 0.5 %)
    assert figures["coverage_km2"] == pytest.approx(2 * math.pi * 0.4**2, rel=0.005)
    assert result.notes[0] == LEFT_ASIDE


def test_a_gtfs_zip_with_extra_files_names_them(tmp_path: Path) -> None:
    import zipfile

    from govlab.datasets.gtfs import other_files

    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for child in sorted(Path(EXTRA).iterdir()):
            out.write(child, f"feed/{child.name}")  # a folder inside the zip, as exports do
    assert other_files(archive) == ["README.md", "license.txt", "notes.csv", "vehicles.txt"]
