"""Distances and areas on the Earth's surface for transit coverage (private)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from govlab.analysis._frames import numbers, require_columns

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


def haversine_min(
    lat: np.ndarray, lon: np.ndarray, s_lat: np.ndarray, s_lon: np.ndarray
) -> np.ndarray:
    """Distance (m) from each point to its nearest stop, in blocks of points."""
    out = np.full(len(lat), np.inf)
    if len(s_lat) == 0:
        return out
    p1, l1 = np.radians(s_lat)[None, :], np.radians(s_lon)[None, :]
    block = max(1, 2_000_000 // len(s_lat))
    for i in range(0, len(lat), block):
        p0 = np.radians(lat[i : i + block])[:, None]
        l0 = np.radians(lon[i : i + block])[:, None]
        h = np.sin((p1 - p0) / 2) ** 2 + np.cos(p0) * np.cos(p1) * np.sin((l1 - l0) / 2) ** 2
        out[i : i + block] = (2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))).min(axis=1)
    return out


def cover_points(points: pd.DataFrame, served: pd.DataFrame, radius: float) -> pd.DataFrame:
    require_columns(points, ["lat", "lon"], name="population_points")
    lat = numbers(points, "lat", name="population_points").to_numpy()
    lon = numbers(points, "lon", name="population_points").to_numpy()
    if "population" in points:
        population = numbers(points, "population", name="population_points").fillna(0).to_numpy()
    else:
        population = np.ones(len(points))
    distance = haversine_min(
        lat, lon, served["stop_lat"].to_numpy(float), served["stop_lon"].to_numpy(float)
    )
    out = points.copy()
    out["population"] = population
    out["nearest_stop_m"] = distance
    out["covered"] = distance <= radius
    return out


def covered_area(served: pd.DataFrame, radius: float) -> float:
    """Area (km2) of the union of ``radius`` circles around the stops."""
    if served.empty:
        return 0.0
    from shapely import union_all
    from shapely.geometry import Point

    lat0 = np.radians(served["stop_lat"].mean())
    x = np.radians(served["stop_lon"].to_numpy(float)) * np.cos(lat0) * EARTH_RADIUS_M
    y = np.radians(served["stop_lat"].to_numpy(float)) * EARTH_RADIUS_M
    shape = union_all([Point(a, b).buffer(radius, quad_segs=16) for a, b in zip(x, y, strict=True)])
    return float(shape.area / 1e6)
