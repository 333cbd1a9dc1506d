"""GTFS transit feeds (zip or folder), read through gtfs-kit after checking the basics."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from govlab.datasets.reading import PathLike
from govlab.errors import InvalidInput, located

if TYPE_CHECKING:
    import gtfs_kit

#: Files a feed needs (plus calendar.txt or calendar_dates.txt) and the columns each needs.
GTFS_REQUIRED: dict[str, tuple[str, ...]] = {
    "agency.txt": ("agency_name",),
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
}
#: Every file the GTFS Schedule reference defines (others are left aside, and said so).
GTFS_FILES = frozenset(
    f"{name}.txt"
    for name in [
        "agency",
        "stops",
        "routes",
        "trips",
        "stop_times",
        "calendar",
        "calendar_dates",
        "fare_attributes",
        "fare_rules",
        "timeframes",
        "fare_media",
        "fare_products",
        "fare_leg_rules",
        "fare_leg_join_rules",
        "fare_transfer_rules",
        "areas",
        "stop_areas",
        "networks",
        "route_networks",
        "shapes",
        "frequencies",
        "transfers",
        "pathways",
        "levels",
        "location_groups",
        "location_group_stops",
        "booking_rules",
        "translations",
        "feed_info",
        "attributions",
        "rider_categories",
    ]
) | {"locations.geojson"}
_CALENDARS: dict[str, tuple[str, ...]] = {
    "calendar.txt": ("service_id", "monday", "start_date", "end_date"),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
}


def load_gtfs(path: PathLike, *, dist_units: str = "km") -> gtfs_kit.Feed:
    """Load a GTFS feed from a ``.zip`` file or a folder of ``.txt`` files.

    Parameters
    ----------
    path
        The zip (e.g. ``sample_path("gtfs_cairns")``) or the folder.
    dist_units
        Distance units of ``shape_dist_traveled`` for gtfs-kit (``"km"``, ``"m"``, ``"mi"``...).

    Returns
    -------
    gtfs_kit.Feed
        ``feed.routes``, ``feed.trips``, ``feed.stop_times``... as DataFrames.

    Raises
    ------
    InvalidInput
        The path does not exist, is not a zip, or a required file
        (``agency``, ``stops``, ``routes``, ``trips``, ``stop_times`` and
        ``calendar`` or ``calendar_dates``) or one of its required columns is
        missing; the message names the file and lists the columns found.
    """
    import gtfs_kit as gk

    p = Path(path).expanduser()
    if not p.exists():  # gtfs-kit would try the path as a URL
        raise InvalidInput(located("no such GTFS zip or folder", file=p))
    headers = _headers(p)
    for name, columns in GTFS_REQUIRED.items():
        _check_file(p, name, columns, headers)
    calendars = [n for n in _CALENDARS if n in headers]
    if not calendars:
        raise InvalidInput(
            located(
                "the feed has neither calendar.txt nor calendar_dates.txt; one is required",
                file=p,
            )
        )
    for name in calendars:
        _check_file(p, name, _CALENDARS[name], headers)
    try:
        feed = gk.read_feed(p, dist_units=dist_units)
    except (ValueError, KeyError) as exc:
        raise InvalidInput(located(f"gtfs-kit cannot read the feed: {exc}", file=p)) from None
    feed.govlab_left_aside = other_files(p)  # read by feed_summary
    return feed


def other_files(path: PathLike) -> list[str]:
    """The files of a feed (zip or folder) that are not GTFS files, which nothing reads."""
    p = Path(path)
    if p.is_dir():
        names = [c.name for c in p.iterdir() if c.is_file()]
    else:
        with zipfile.ZipFile(p) as archive:
            names = [Path(i.filename).name for i in archive.infolist() if not i.is_dir()]
    return sorted(n for n in names if n not in GTFS_FILES and not n.startswith("."))


def _check_file(
    p: Path, name: str, columns: tuple[str, ...], headers: dict[str, list[str]]
) -> None:
    if name not in headers:
        raise InvalidInput(
            located(
                f"the feed has no {name} (required); files found: {', '.join(sorted(headers))}",
                file=p,
            )
        )
    found = headers[name]
    for column in columns:
        if column not in found:
            raise InvalidInput(
                located(
                    f"column {column!r} not found; columns found: {', '.join(found)}",
                    file=f"{p} -> {name}",
                    row=1,
                )
            )


def _headers(p: Path) -> dict[str, list[str]]:
    """Header row of every non-empty ``.txt`` file in the feed, by file name."""
    out: dict[str, list[str]] = {}
    if p.is_dir():
        for child in p.iterdir():
            if child.suffix == ".txt" and child.is_file() and child.stat().st_size:
                out[child.name] = _header(child.read_bytes()[:65536])
        return out
    try:
        with zipfile.ZipFile(p) as archive:
            for info in archive.infolist():
                if info.filename.endswith(".txt") and not info.is_dir() and info.file_size:
                    with archive.open(info) as handle:
                        out[Path(info.filename).name] = _header(handle.read(65536))
    except zipfile.BadZipFile:
        raise InvalidInput(
            located("not a zip file; expected a GTFS .zip or folder", file=p)
        ) from None
    return out


def _header(start: bytes) -> list[str]:
    text = start.decode("utf-8-sig", errors="replace")
    first = next(csv.reader(io.StringIO(text)), [])
    return [c.strip() for c in first]


#: The basic GTFS ``route_type`` values and the word for each mode.
ROUTE_TYPES: dict[int, str] = {
    0: "tram",
    1: "metro",
    2: "rail",
    3: "bus",
    4: "ferry",
    5: "cable tram",
    6: "aerial lift",
    7: "funicular",
    11: "trolleybus",
    12: "monorail",
}

# The extended route types (Google's, e.g. 109 suburban railway, 700 bus) by hundreds.
_EXTENDED: dict[int, str] = {
    1: "rail",
    2: "coach",
    4: "urban rail",
    5: "metro",
    6: "metro",
    7: "bus",
    8: "trolleybus",
    9: "tram",
    10: "ferry",
    11: "air",
    12: "ferry",
    13: "aerial lift",
    14: "funicular",
    15: "taxi",
    17: "other",
}


def mode_of(route_type: object) -> str:
    """The mode a GTFS ``route_type`` stands for: ``3`` -> ``bus``, ``109`` -> ``rail``."""
    try:
        code = int(float(str(route_type)))
    except ValueError:
        return "other"
    if code in ROUTE_TYPES:
        return ROUTE_TYPES[code]
    return _EXTENDED.get(code // 100, "other")


def feed_summary(feed: gtfs_kit.Feed) -> dict[str, object]:
    """Who runs the feed and what: its agencies, modes and first and last service dates.

    Returns
    -------
    dict
        ``agencies`` (names from ``agency.txt``), ``modes`` (mode -> number of
        routes, most routes first), ``timezone``, ``routes``, ``first_date`` and
        ``last_date`` (``YYYYMMDD``), ``publisher`` (``feed_info.txt``, or None),
        ``left_aside`` (the feed's files that are not GTFS, when read by :func:`load_gtfs`).
    """
    agency = feed.agency if feed.agency is not None else None
    names: list[str] = []
    timezone = None
    if agency is not None and "agency_name" in agency.columns:
        names = [str(n).strip() for n in agency["agency_name"].dropna().unique()]
        if "agency_timezone" in agency.columns and len(agency):
            timezone = str(agency["agency_timezone"].iloc[0])
    modes = feed.routes["route_type"].map(mode_of).value_counts()
    dates = feed.get_dates()
    info = getattr(feed, "feed_info", None)
    publisher = None
    if info is not None and "feed_publisher_name" in info.columns and len(info):
        publisher = str(info["feed_publisher_name"].iloc[0])
    return {
        "agencies": names,
        "modes": {str(k): int(v) for k, v in modes.items()},
        "timezone": timezone,
        "routes": int(feed.routes["route_id"].nunique()),
        "first_date": str(dates[0]) if dates else None,
        "last_date": str(dates[-1]) if dates else None,
        "publisher": publisher,
        "left_aside": list(getattr(feed, "govlab_left_aside", [])),
    }
