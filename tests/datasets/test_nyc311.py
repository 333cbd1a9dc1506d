"""load_nyc311 on both real export schemas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import REQUEST_COLUMNS, load_nyc311, sample_path
from govlab.datasets.nyc311 import nyc311_schema
from govlab.errors import InvalidInput

NYC_2013 = "nyc311_2013-10-31_sample_199.csv"


@pytest.fixture(scope="module")
def nyc2011() -> pd.DataFrame:
    return load_nyc311(sample_path("nyc311"))


def test_2011_export(nyc2011: pd.DataFrame) -> None:
    frame = nyc2011
    # 2000 data lines under the header; all 8 canonical fields come from the 41 columns
    assert len(frame) == 2000
    assert frame.attrs["source_format"] == "nyc311-41"
    assert frame.shape[1] == len(REQUEST_COLUMNS) + 41 - 8
    first = frame.iloc[0]  # CSV row 2
    assert first["id"] == "19937896"
    assert first["opened"] == pd.Timestamp("2011-03-01 14:27:57")  # 02:27:57 PM
    assert first["closed"] == pd.Timestamp("2011-03-14 15:59:20")
    assert (first["agency"], first["category"]) == ("DOF", "DOF Property - Payment Issue")
    assert (first["status"], first["channel"], first["district"]) == (
        "Closed",
        "PHONE",
        "09 MANHATTAN",
    )
    # counted with grep on the 'Open Data Channel Type' column
    assert frame["channel"].value_counts().to_dict() == {
        "PHONE": 1733,
        "OTHER": 165,
        "ONLINE": 60,
        "UNKNOWN": 42,
    }
    # 76 rows have Community Board '0 Unspecified'
    assert frame["district"].isna().sum() == 76
    assert frame["opened"].min() == pd.Timestamp("2011-02-06 14:02:42")


def test_placeholder_closing_date_is_missing(nyc2011: pd.DataFrame) -> None:
    # CSV row 1604: Closed Date 01/01/1900 12:00:00 AM, NYC's "unknown"; 42 empty + this one
    row = nyc2011.set_index("id").loc["19944912"]
    assert pd.isna(row["closed"])
    assert nyc2011["closed"].isna().sum() == 43


def test_2013_export_without_channel() -> None:
    frame = load_nyc311(sample_path("nyc311", NYC_2013))
    assert len(frame) == 199
    assert frame.attrs["source_format"] == "nyc311-52"
    assert frame["channel"].isna().all()
    first = frame.iloc[0]
    assert first["id"] == "26589651"
    assert first["opened"] == pd.Timestamp("2013-10-31 02:08:41")
    assert pd.isna(first["closed"])
    assert first["district"] == "12 QUEENS"
    assert frame["status"].value_counts()["Open"] == 91
    assert frame["closed"].isna().sum() == 114
    assert "School Name" in frame.columns
    assert frame.shape[1] == len(REQUEST_COLUMNS) + 52 - 7  # no channel column to map


def test_schema_names() -> None:
    assert nyc311_schema(["Unique Key", "Open Data Channel Type"]) == "nyc311-41"
    assert nyc311_schema(["Unique Key", "School Name"]) == "nyc311-52"


def test_missing_column(fixtures: Path) -> None:
    with pytest.raises(
        InvalidInput,
        match=r"nyc311_missing_column\.csv: column 'Complaint Type' \(NYC 311 export\) not found; "
        r"columns found: 'Unique Key', 'Created Date', 'Closed Date', 'Agency', 'Status'",
    ):
        load_nyc311(fixtures / "nyc311_missing_column.csv")
