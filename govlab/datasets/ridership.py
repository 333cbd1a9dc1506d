"""Ridership as transit agencies publish it: daily, weekly or monthly, wide or long, any level.

Agencies publish boardings in many shapes, and every shape becomes one long frame
(:data:`RIDERSHIP_COLUMNS`, one row per date and route):

* **long**: a date column, a boardings column, and optionally a route (or mode),
  revenue hours and a before/after period column;
* **wide**: a date column and one column of boardings per route or per mode
  (``Bus``, ``Light rail`` ...); a ``Total`` column beside them is left out (it
  would count every boarding twice);
* **one series** for the whole network: a date and one number per date.

The frequency (daily, weekly, monthly) is read from the dates. Two rows for the
same date and route follow the duplicates rule (:mod:`govlab.datasets.series`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

import govlab.datasets.words as words
from govlab.datasets.reading import (
    PathLike,
    existing_file,
    options,
    read_table,
    rows_of,
    with_date_style,
)
from govlab.datasets.series import check_duplicates_rule, combine_duplicates
from govlab.datasets.values import column_dates, column_numbers, line_at, text_column
from govlab.errors import InvalidInput, located

#: Columns of :func:`load_ridership`, in order; ``line`` is the row of the file.
RIDERSHIP_COLUMNS: list[str] = ["date", "route", "boardings", "revenue_hours", "period", "line"]

#: The name of the one series of a file that gives the whole network.
NETWORK = "whole network"

# Field -> column names a file may use for it (compared case- and space-insensitively).
NAMES: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "week", "week starting", "week_start", "month", "period start",
             "service date", "service_date", "fecha", "datum"),
    "route": ("route", "route_short_name", "route id", "route_id", "line", "mode", "ligne",
              "linie", "service"),
    "boardings": ("boardings", "riders", "ridership", "passengers", "trips", "journeys",
                  "unlinked passenger trips", "upt", "boardings total", "count", "total riders"),
    "revenue_hours": ("revenue_hours", "revenue hours", "service hours", "vehicle hours",
                      "vehicle revenue hours", "vrh", "hours"),
    "period": ("period", "phase", "before_after", "redesign"),
}  # fmt: skip

#: Column names that say the column is a mode of transport, not a route.
MODE_WORDS: tuple[str, ...] = (
    "bus", "buses", "rail", "light rail", "commuter rail", "heavy rail", "metro", "subway",
    "tram", "streetcar", "ferry", "trolleybus", "brt", "monorail", "cable car", "funicular",
    "paratransit", "demand response", "train", "trains", "underground", "tube", "coach",
)  # fmt: skip

_TOTALS = ("total", "all", "system", "systemwide", "network", "all modes", "all routes")
_ALIASES = {"week": "date", "day": "date", "month": "date", "mode": "route", "line": "route"}


def canonical_field(name: str) -> str:
    """The ridership field a mapping key names (``week`` and ``day`` are ``date``)."""
    return _ALIASES.get(name, name)


def load_ridership(
    path: PathLike,
    mapping: Mapping[str, str] | None = None,
    *,
    duplicates: str = "error",
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Load boardings in any of the shapes of the module notes onto one long frame.

    Parameters
    ----------
    path
        A CSV or Parquet file.
    mapping
        Field -> your column: ``date`` (or ``week``), ``route`` (or ``mode``),
        ``boardings``, ``revenue_hours``, ``period``. Fields not given are looked
        for by their usual names; with no boardings column the file is read as
        wide (a column per route or mode).
    duplicates
        ``error`` (default), ``sum``, ``mean`` or ``last``: two rows for the same
        date and route (see :mod:`govlab.datasets.series`).
    encoding, sep, decimal, dayfirst, date_format
        How the file is written; worked out when None.

    Returns
    -------
    pandas.DataFrame
        :data:`RIDERSHIP_COLUMNS` sorted by route and date. ``attrs`` hold
        ``layout`` (``long`` / ``wide``), ``level`` (``network``, ``route`` or
        ``mode``), ``frequency`` (``day``, ``week``, ``month``), ``notes``
        (sentences on what was assumed) and ``reading``.

    Raises
    ------
    InvalidInput
        No date column, no numbers, dates that are neither daily, weekly nor
        monthly, a value that cannot be read, or a duplicate (with ``error``);
        rows are the file's own lines.
    """
    rule = check_duplicates_rule(duplicates)
    p = existing_file(path)
    raw = read_table(p, options(encoding=encoding, sep=sep, decimal=decimal, dayfirst=dayfirst))
    fields = _fields(raw, mapping or {}, p)
    notes: list[str] = []
    if "boardings" in fields:
        long, level = _long(raw, fields, p, dayfirst, date_format), "route"
        layout = "long"
        if "route" not in fields:
            long["route"], level = NETWORK, "network"
    else:
        long, level = _wide(raw, fields, p, dayfirst, date_format, notes)
        layout = "wide" if level != "network" else "long"
    style = str(long.attrs.get("date_style", ""))
    long = combine_duplicates(
        long, ["route", "date"], ["boardings", "revenue_hours"], rule,
        file=p, line_column="line", what="date and route" if level != "network" else "date",
    )  # fmt: skip
    long = long.sort_values(["route", "date"], kind="stable").reset_index(drop=True)
    out = long[RIDERSHIP_COLUMNS]
    out.attrs.update(
        layout=layout, level=level, frequency=frequency(out["date"], file=p),
        notes=notes, file=str(p), columns=dict(fields),
        reading=with_date_style(raw.attrs["reading"], style) if "reading" in raw.attrs else None,
    )  # fmt: skip
    return out


def _key(name: object) -> str:
    return re.sub(r"[\s_]+", " ", str(name).strip().lower())


def _fields(raw: pd.DataFrame, mapping: Mapping[str, str], p: object) -> dict[str, str]:
    """Field -> column: the mapping first, then the usual names."""
    columns = [str(c) for c in raw.columns]
    fields: dict[str, str] = {}
    for key, column in mapping.items():
        field = canonical_field(key)
        if field not in NAMES:
            raise InvalidInput(
                f"ridership has no field {key!r}; fields: date, route, boardings, "
                "revenue_hours, period"
            )
        if column not in columns:
            found = ", ".join(repr(c) for c in columns[:40])
            raise InvalidInput(
                located(
                    f"column {column!r} (mapped to {key!r}) not found; columns found: {found}",
                    file=p,
                )
            )
        fields[field] = column
    taken = set(fields.values())
    for field, names in NAMES.items():
        if field in fields:
            continue
        match = next((c for c in columns if _key(c) in names and c not in taken), None)
        if match is not None:
            fields[field] = match
            taken.add(match)
    if "date" not in fields:
        found = ", ".join(repr(c) for c in columns[:40])
        raise InvalidInput(
            located(
                f"no date column (one named date, week or month, or {words.mapping('date')}); "
                f"columns found: {found}",
                file=p,
            )
        )
    return fields


def _long(
    raw: pd.DataFrame,
    fields: Mapping[str, str],
    p: object,
    dayfirst: bool | None,
    date_format: str | None,
) -> pd.DataFrame:
    rows = rows_of(raw)
    dates = column_dates(raw, fields["date"], file=p, dayfirst=dayfirst, date_format=date_format)
    boardings = column_numbers(raw, fields["boardings"], file=p)
    out = pd.DataFrame({"date": dates, "boardings": boardings})
    out.attrs["date_style"] = dates.attrs.get("date_style", "")
    out["route"] = text_column(raw[fields["route"]]) if "route" in fields else NETWORK
    if "revenue_hours" in fields:
        out["revenue_hours"] = column_numbers(raw, fields["revenue_hours"], file=p)
    else:
        out["revenue_hours"] = np.nan
    out["period"] = text_column(raw[fields["period"]]) if "period" in fields else pd.NA
    out["period"] = out["period"].astype("str").str.lower().where(out["period"].notna())
    out["line"] = [line_at(rows, i) for i in range(len(raw))]
    _no_missing_dates(out, p, fields["date"])
    return out


def _wide(
    raw: pd.DataFrame,
    fields: Mapping[str, str],
    p: object,
    dayfirst: bool | None,
    date_format: str | None,
    notes: list[str],
) -> tuple[pd.DataFrame, str]:
    """One column per route or mode (or one series): melted to one row per date and column."""
    if "route" in fields:
        raise InvalidInput(
            located(
                f"found the route column {fields['route']!r} but no boardings column; name it "
                f"with {words.mapping('boardings')}",
                file=p,
            )
        )
    rows = rows_of(raw)
    dates = column_dates(raw, fields["date"], file=p, dayfirst=dayfirst, date_format=date_format)
    used = {fields[f] for f in ("date", "revenue_hours", "period") if f in fields}
    values = [c for c in raw.columns if c not in used]
    if not values:
        raise InvalidInput(located("no column of boardings beside the dates", file=p))
    totals = [c for c in values if _key(c) in _TOTALS]
    if totals and len(values) > len(totals):
        values = [c for c in values if c not in totals]
        notes.append(
            f"Column {totals[0]!r} is the total of the others, so it is left out "
            "(it would count every boarding twice)."
        )
    numbers = {c: column_numbers(raw, c, file=p) for c in values}
    level = "network" if len(values) == 1 else _level(values)
    frames = []
    lines = [line_at(rows, i) for i in range(len(raw))]
    for column in values:
        route = NETWORK if level == "network" else str(column).strip()
        frames.append(
            pd.DataFrame(
                {
                    "date": dates,
                    "route": route,
                    "boardings": numbers[column],
                    "revenue_hours": np.nan,
                    "period": pd.NA,
                    "line": lines,
                }
            )  # fmt: skip
        )
    long = pd.concat(frames, ignore_index=True)
    long.attrs["date_style"] = dates.attrs.get("date_style", "")
    long["route"] = long["route"].astype("str")
    long["period"] = long["period"].astype("str").where(long["period"].notna())
    long = long[long["boardings"].notna() | long["date"].isna()]
    _no_missing_dates(long, p, fields["date"])
    if level != "network":
        kind = "mode" if level == "mode" else "route"
        notes.append(f"The file has one column per {kind} ({len(values)}): read as {kind}s.")
    return long.reset_index(drop=True), level


def _level(columns: list[str]) -> str:
    return "mode" if all(_key(c) in MODE_WORDS for c in columns) else "route"


def _no_missing_dates(frame: pd.DataFrame, p: object, column: str) -> None:
    missing = frame["date"].isna().to_numpy()
    if missing.any():
        line = int(frame["line"].to_numpy()[int(np.argmax(missing))])
        raise InvalidInput(located("the date is empty", file=p, row=line, field=column))


def frequency(dates: pd.Series, *, file: object = None) -> str:
    """``day``, ``week`` or ``month``: how far apart the series' dates are (the median gap).

    Raises
    ------
    InvalidInput
        Fewer than two dates, or a median gap that is none of the three.
    """
    unique = np.unique(dates.dropna().to_numpy(dtype="datetime64[D]"))
    if len(unique) < 2:
        raise InvalidInput(located("need at least two dates to make a series", file=file))
    gap = float(np.median(np.diff(unique).astype("int64")))
    if gap <= 1.5:
        return "day"
    if 6 <= gap <= 8:
        return "week"
    if 27 <= gap <= 32:
        return "month"
    raise InvalidInput(
        located(
            f"the dates are {gap:g} days apart (the median gap); expected daily, weekly or "
            "monthly values",
            file=file,
        )
    )
