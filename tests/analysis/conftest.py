"""Fixtures for the analysis tests: a hand-checkable request log and the real samples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "govlab" / "datasets" / "samples"
FIXTURES = REPO / "tests" / "fixtures"

# Real data the tests use but the package does not ship: its copy in tests/fixtures/
# (each folder with its PROVENANCE.txt). Nothing is read from outside the repository.
TEST_ONLY = {"eu_innovative_public_services": FIXTURES / "jrc_ips"}


def sample(folder: str, name: str) -> Path:
    """A real sample file: the copy shipped in the package, or the tests' own copy."""
    path = TEST_ONLY.get(folder, SAMPLES / folder) / name
    if not path.is_file():
        pytest.fail(f"sample {folder}/{name} is missing: expected {path}")
    return path


@pytest.fixture(scope="session")
def samples() -> Callable[[str, str], Path]:
    """``samples(folder, file)``: the path of a real sample file."""
    return sample


@pytest.fixture
def tiny_requests() -> pd.DataFrame:
    """Five requests whose KPIs are worked out by hand in the tests.

    id  opened            closed            hours  agency  reopened
    a   2024-01-01 00:00  2024-01-01 10:00   10     A       no
    b   2024-01-01 12:00  2024-01-03 12:00   48     A       yes
    c   2024-01-02 00:00  (open)             -      B       yes (open again)
    d   2024-02-01 00:00  2024-02-01 05:00    5     B       no
    e   2024-02-03 00:00  2024-02-05 00:00   48     (none)  no
    """
    return pd.DataFrame(
        {
            "id": list("abcde"),
            "opened": pd.to_datetime(
                [
                    "2024-01-01 00:00",
                    "2024-01-01 12:00",
                    "2024-01-02 00:00",
                    "2024-02-01 00:00",
                    "2024-02-03 00:00",
                ]
            ).astype("datetime64[ns]"),
            "closed": pd.to_datetime(
                [
                    "2024-01-01 10:00",
                    "2024-01-03 12:00",
                    None,
                    "2024-02-01 05:00",
                    "2024-02-05 00:00",
                ]
            ).astype("datetime64[ns]"),
            "category": ["pothole", "noise", "pothole", "noise", "pothole"],
            "agency": ["A", "A", "B", "B", None],
            "status": ["Closed", "Closed", "Open", "Closed", "Closed"],
            "channel": ["phone", "online", "online", "app", "phone"],
            "district": ["1", "2", "1", "2", "1"],
            "reopened": [False, True, True, False, False],
        }
    )


@pytest.fixture(scope="module")
def random_requests() -> pd.DataFrame:
    """10,000 seeded synthetic requests over 2023 (about 10 % still open)."""
    rng = np.random.default_rng(7)
    n = 10_000
    start = np.datetime64("2023-01-01T00:00:00", "s")
    opened = start + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    closed = opened + (rng.lognormal(3.3, 1.2, n) * 3600).astype("timedelta64[s]")
    closed = np.where(rng.random(n) < 0.1, np.datetime64("NaT"), closed)
    agency = rng.choice(np.array(["DOT", "DSNY", "HPD", "DEP"], dtype=object), n)
    agency[rng.random(n) < 0.01] = None
    return pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(n)],
            "opened": opened.astype("datetime64[ns]"),
            "closed": closed.astype("datetime64[ns]"),
            "agency": pd.Series(agency, dtype="str"),
            "category": rng.choice(["pothole", "noise", "graffiti", "heat", "trees"], n),
            "reopened": rng.random(n) < 0.05,
        }
    )
