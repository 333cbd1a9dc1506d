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
        return gk.read_feed(p, dist_units=dist_units)
    except (ValueError, KeyError) as exc:
        raise InvalidInput(located(f"gtfs-kit cannot read the feed: {exc}", file=p)) from None


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
