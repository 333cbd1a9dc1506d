"""Synthetic service-request logs at any size, streamed to Parquet when asked.

Everything here is SYNTHETIC: made from a seed, not observed. Generated frames
carry ``attrs["synthetic"] = True``, ids start with ``SYN-``, and Parquet files
carry the key ``govlab.synthetic = true`` in their metadata.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, overload

import numpy as np
import pandas as pd

from govlab.errors import InvalidInput

if TYPE_CHECKING:
    import pyarrow as pa

_BLOCK = 1 << 16  # rows drawn from one random stream: output does not depend on chunk_rows
_HOUR_WEIGHTS = np.array(
    [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 9, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 2, 1], dtype=float
)
_OPEN_BACKLOG = 0.05  # share of requests never closed (lost, waiting on a contractor ...)
_REOPEN_RATE = 0.03
_CHANNELS = ["PHONE", "ONLINE", "MOBILE", "OTHER"]


@dataclass(frozen=True)
class AgencyProfile:
    """How one agency's requests look: volume share, median hours to close, spread, categories."""

    name: str
    weight: float
    median_hours: float
    sigma: float
    categories: tuple[str, ...]


DEFAULT_AGENCIES: tuple[AgencyProfile, ...] = (
    AgencyProfile("Police", 0.28, 3.0, 1.0, ("Noise", "Illegal Parking", "Blocked Driveway")),
    AgencyProfile(
        "Transportation", 0.22, 70.0, 1.1, ("Pothole", "Street Light Out", "Sign Damaged")
    ),
    AgencyProfile("Sanitation", 0.18, 28.0, 0.8, ("Missed Collection", "Bulky Item", "Dumping")),
    AgencyProfile("Water", 0.12, 45.0, 1.2, ("Water Leak", "Sewer Backup", "Hydrant")),
    AgencyProfile("Parks", 0.08, 120.0, 1.0, ("Tree Damage", "Park Maintenance", "Overgrown Tree")),
    AgencyProfile("Buildings", 0.07, 240.0, 0.9, ("Building Complaint", "Permit Inquiry")),
    AgencyProfile("Health", 0.05, 170.0, 1.0, ("Rodents", "Food Establishment")),
)


@dataclass(frozen=True)
class _Plan:
    n: int
    seed: int
    start_ns: int  # nanoseconds since 1970-01-01, naive local time
    span_s: float
    agencies: tuple[AgencyProfile, ...]
    districts: tuple[str, ...]
    district_weights: np.ndarray
    id_width: int


@overload
def generate_requests(
    n: int,
    *,
    seed: int = 0,
    start: str = "2023-01-01",
    days: int = 365,
    agencies: Sequence[str] | None = None,
    districts: int = 10,
    path: None = None,
    chunk_rows: int = 1_000_000,
) -> pd.DataFrame: ...
@overload
def generate_requests(
    n: int,
    *,
    seed: int = 0,
    start: str = "2023-01-01",
    days: int = 365,
    agencies: Sequence[str] | None = None,
    districts: int = 10,
    path: str | Path,
    chunk_rows: int = 1_000_000,
) -> Path: ...
def generate_requests(
    n: int,
    *,
    seed: int = 0,
    start: str = "2023-01-01",
    days: int = 365,
    agencies: Sequence[str] | None = None,
    districts: int = 10,
    path: str | Path | None = None,
    chunk_rows: int = 1_000_000,
) -> pd.DataFrame | Path:
    """Make a SYNTHETIC request log in the canonical columns, plus ``reopened``.

    Requests arrive over ``days`` days from ``start``, in sorted order, mostly in
    working hours and less at weekends. Hours to close are lognormal with a
    median per agency (Police ~3 h ... Buildings ~240 h) and per category. About
    5 % are never closed, plus those opened too recently to be closed by the end
    of the period (so 5-10 % stay open); 3 % of the closed ones were reopened
    (``reopened``) and took longer. The channel mix shifts from phone towards
    online and mobile over the period.

    Parameters
    ----------
    n
        Number of requests.
    seed
        The same seed gives the same rows, whatever ``chunk_rows``.
    start, days
        First day (a time of day is ignored) and length of the period.
    agencies
        Names to use (defaults' profiles for known names, seeded ones for others);
        None uses :data:`DEFAULT_AGENCIES`.
    districts
        Number of districts (``District 01`` ...).
    path
        When given, rows are streamed to this Parquet file ``chunk_rows`` at a
        time (one row group each), so 10 million rows never sit in memory at
        once, and the path is returned.
    chunk_rows
        Rows per chunk written.

    Returns
    -------
    pandas.DataFrame or pathlib.Path
        The frame (``attrs["synthetic"] = True``), or the Parquet file's path.
    """
    if n < 1 or chunk_rows < 1 or days < 1 or districts < 1:
        raise InvalidInput("n, days, districts and chunk_rows must be at least 1")
    plan = _plan(n, seed, start, days, agencies, districts)
    if path is None:
        import pyarrow as pa

        frame: pd.DataFrame = pa.concat_tables(list(_blocks(plan))).to_pandas()
        frame.attrs["synthetic"] = True
        return frame
    return _write(plan, Path(path), chunk_rows)


def _plan(
    n: int, seed: int, start: str, days: int, names: Sequence[str] | None, districts: int
) -> _Plan:
    rng = np.random.default_rng([seed, 0x5EED])
    profiles = DEFAULT_AGENCIES if names is None else _profiles(names, rng)
    weights = rng.gamma(6.0, size=districts)
    try:
        origin = int(pd.Timestamp(start).normalize().as_unit("ns").value)
    except ValueError:
        raise InvalidInput(
            f"start: cannot read {start!r} as a date; expected e.g. 2023-01-01"
        ) from None
    return _Plan(
        n=n,
        seed=seed,
        start_ns=origin,
        span_s=days * 86400.0,
        agencies=profiles,
        districts=tuple(f"District {i:02d}" for i in range(1, districts + 1)),
        district_weights=weights / weights.sum(),
        id_width=max(8, len(str(n))),
    )


def _profiles(names: Sequence[str], rng: np.random.Generator) -> tuple[AgencyProfile, ...]:
    if not names:
        raise InvalidInput("agencies: give at least one agency name")
    known = {a.name: a for a in DEFAULT_AGENCIES}
    out = []
    for name in names:
        if name in known:
            out.append(known[name])
        else:
            median = float(np.exp(rng.uniform(np.log(4), np.log(200))))
            cats = tuple(f"{name}: {kind}" for kind in ("Complaint", "Request", "Inquiry"))
            out.append(AgencyProfile(name, 1.0, median, 1.0, cats))
    return tuple(out)


def _blocks(plan: _Plan) -> Iterator[pa.Table]:
    for first in range(0, plan.n, _BLOCK):
        yield _block(plan, first, min(plan.n, first + _BLOCK))


def _opened(plan: _Plan, rng: np.random.Generator, first: int, last: int) -> np.ndarray:
    """Sorted opening times (ns since epoch) inside this block's share of the period."""
    lo, hi = plan.span_s * first / plan.n, plan.span_s * last / plan.n
    seconds = np.sort(rng.uniform(lo, hi, size=last - first))
    day = np.floor(seconds / 86400.0)
    hour = rng.choice(24, size=seconds.size, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    seconds = day * 86400.0 + hour * 3600.0 + rng.uniform(0, 3600, size=seconds.size)
    epoch_day = plan.start_ns // (86400 * 10**9) + day.astype(np.int64)
    dow = (epoch_day + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    moved = (dow >= 5) & (rng.random(seconds.size) < 0.5)
    later = (7 - dow) + rng.integers(0, 5, size=seconds.size)  # a weekday of the next week
    seconds = seconds + np.where(moved, later * 86400.0, 0.0)
    seconds = np.sort(np.minimum(seconds, plan.span_s - 1))
    return plan.start_ns + seconds.astype(np.int64) * 10**9  # whole seconds


def _block(plan: _Plan, first: int, last: int) -> pa.Table:
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng([plan.seed, first // _BLOCK])
    size = last - first
    opened = _opened(plan, rng, first, last)
    shares = np.array([a.weight for a in plan.agencies])
    agency = rng.choice(len(plan.agencies), size=size, p=shares / shares.sum())
    category, names, median, sigma = _categories(plan.agencies, agency, rng)
    hours = np.exp(np.log(median) + sigma * rng.standard_normal(size))
    reopened = rng.random(size) < _REOPEN_RATE
    hours = np.where(reopened, hours * 1.8 + 24.0, hours)
    closed = opened + (hours * 3600.0).astype(np.int64) * 10**9
    end = plan.start_ns + int(plan.span_s * 1e9)
    still_open = (rng.random(size) < _OPEN_BACKLOG) | (closed > end)
    reopened &= ~still_open
    fraction = (opened - plan.start_ns) / (plan.span_s * 1e9)
    numbers = pa.array(np.arange(first + 1, last + 1)).cast(pa.string())
    return pa.table(
        {
            "id": pc.binary_join_element_wise(
                "SYN-", pc.utf8_lpad(numbers, plan.id_width, "0"), ""
            ),
            "opened": pa.array(opened.astype("datetime64[ns]")),
            "closed": pa.array(closed.astype("datetime64[ns]"), mask=still_open),
            "category": _labels(category, names),
            "agency": _labels(agency, [a.name for a in plan.agencies]),
            "status": _labels(
                _status(still_open, end - opened, rng), ["Closed", "Open", "In Progress"]
            ),
            "channel": _labels(_channel(fraction, rng), _CHANNELS),
            "district": _labels(
                rng.choice(len(plan.districts), size=size, p=plan.district_weights),
                list(plan.districts),
            ),
            "reopened": pa.array(reopened),
        }
    )


def _categories(
    agencies: tuple[AgencyProfile, ...], agency: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Category index (into the returned names) and the lognormal median/sigma per row."""
    names: list[str] = []
    offsets = []
    for profile in agencies:
        offsets.append(len(names))
        names.extend(profile.categories)
    counts = np.array([len(a.categories) for a in agencies])
    within = np.floor(rng.random(agency.size) * counts[agency]).astype(np.int64)
    category = np.array(offsets)[agency] + within
    base = np.array([a.median_hours for a in agencies])[agency]
    median = base * (0.7 + 0.3 * within)  # later categories of an agency take longer
    sigma = np.array([a.sigma for a in agencies])[agency]
    return category, names, median, sigma


def _status(still_open: np.ndarray, age_ns: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """0 Closed; 1 Open (under a day old, or 40 % of older ones: untouched); 2 In Progress."""
    untouched = (age_ns < 86400 * 10**9) | (rng.random(age_ns.size) < 0.4)
    return np.where(still_open, np.where(untouched, 1, 2), 0)


def _channel(fraction: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """PHONE falls from 55 % to 35 % over the period; ONLINE and MOBILE grow."""
    cut_phone = 0.55 - 0.20 * fraction
    cut_online = cut_phone + 0.25 + 0.10 * fraction
    cut_mobile = cut_online + 0.15 + 0.10 * fraction
    u = rng.random(fraction.size)
    return np.select([u < cut_phone, u < cut_online, u < cut_mobile], [0, 1, 2], default=3)


def _labels(index: np.ndarray, names: Sequence[str]) -> pa.Array:
    import pyarrow as pa

    codes = pa.array(index.astype(np.int32))
    return pa.DictionaryArray.from_arrays(codes, pa.array(list(names))).cast(pa.string())


def _write(plan: _Plan, path: Path, chunk_rows: int) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {
        b"govlab.synthetic": b"true",
        b"govlab.generator": f"generate_requests(n={plan.n}, seed={plan.seed})".encode(),
    }
    schema = _block(plan, 0, 1).schema.with_metadata(metadata)
    labels = ["category", "agency", "status", "channel", "district"]
    with pq.ParquetWriter(path, schema, compression="snappy", use_dictionary=labels) as writer:
        pending: list[pa.Table] = []
        held = 0
        for block in _blocks(plan):
            pending.append(block)
            held += block.num_rows
            while held >= chunk_rows:
                table = pa.concat_tables(pending)
                writer.write_table(
                    table.slice(0, chunk_rows).cast(schema), row_group_size=chunk_rows
                )
                rest = table.slice(chunk_rows)
                pending, held = ([rest] if rest.num_rows else []), rest.num_rows
        if held:
            writer.write_table(pa.concat_tables(pending).cast(schema), row_group_size=chunk_rows)
    return path
