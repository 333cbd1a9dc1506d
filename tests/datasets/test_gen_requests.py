"""generate_requests: shape, realism, seeding, the synthetic label and Parquet streaming."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from govlab.datasets import REQUEST_COLUMNS, REQUEST_DTYPES, generate_requests, load_requests
from govlab.errors import InvalidInput


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return generate_requests(100_000, seed=3)


def test_canonical_columns_and_label(log: pd.DataFrame) -> None:
    assert list(log.columns) == [*REQUEST_COLUMNS, "reopened"]
    for column, dtype in REQUEST_DTYPES.items():
        assert log[column].dtype == dtype, column
    assert log.attrs["synthetic"] is True
    assert log["id"].str.startswith("SYN-").all()
    assert log["id"].is_unique
    assert log["id"].iloc[0] == "SYN-00000001"


def test_realistic_shape(log: pd.DataFrame) -> None:
    open_share = log["closed"].isna().mean()
    assert 0.05 <= open_share <= 0.10
    assert (log.loc[log["closed"].isna(), "status"] != "Closed").all()
    assert (log.loc[log["closed"].notna(), "status"] == "Closed").all()
    assert not (log["closed"] < log["opened"]).any()
    assert 0.02 <= log["reopened"].mean() <= 0.04
    assert not log.loc[log["closed"].isna(), "reopened"].any()
    hours = (log["closed"] - log["opened"]).dt.total_seconds() / 3600
    medians = hours.groupby(log["agency"]).median()
    # Police's profile has a 3 h median, Buildings' 240 h: the order must hold
    assert medians["Police"] < medians["Sanitation"] < medians["Transportation"]
    assert medians["Transportation"] < medians["Buildings"]
    assert set(log["channel"]) == {"PHONE", "ONLINE", "MOBILE", "OTHER"}
    assert log["district"].nunique() == 10
    assert log["opened"].min() >= pd.Timestamp("2023-01-01")
    assert log["opened"].max() < pd.Timestamp("2024-01-01")
    weekend = log["opened"].dt.day_of_week >= 5
    assert weekend.mean() < 2 / 7  # fewer requests at weekends


def test_channel_shift_over_the_year(log: pd.DataFrame) -> None:
    phone = log["channel"].eq("PHONE").groupby(log["opened"].dt.quarter).mean()
    assert phone[1] > phone[4] + 0.1  # 55 % -> 35 % over the year


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    a = generate_requests(5_000, seed=11)
    pd.testing.assert_frame_equal(a, generate_requests(5_000, seed=11))
    assert not a["opened"].equals(generate_requests(5_000, seed=12)["opened"])


def test_named_agencies() -> None:
    log = generate_requests(2_000, seed=1, agencies=["Police", "Libraries"], districts=3)
    assert set(log["agency"]) == {"Police", "Libraries"}
    assert set(log["district"]) == {"District 01", "District 02", "District 03"}
    assert log.loc[log["agency"] == "Libraries", "category"].str.startswith("Libraries: ").all()


def test_streams_to_parquet_in_chunks(tmp_path: Path) -> None:
    path = generate_requests(250_000, seed=5, path=tmp_path / "log.parquet", chunk_rows=50_000)
    assert path == tmp_path / "log.parquet"
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 250_000
    assert meta.num_row_groups == 5  # 250,000 / 50,000
    assert meta.metadata[b"govlab.synthetic"] == b"true"
    back = load_requests(path)
    assert list(back.columns) == [*REQUEST_COLUMNS, "reopened"]
    for column, dtype in REQUEST_DTYPES.items():
        assert back[column].dtype == dtype, column
    assert back.attrs["synthetic"] is True
    # the rows do not depend on how they were chunked
    fresh = generate_requests(250_000, seed=5)
    assert back.columns.equals(fresh.columns)
    assert all(back[c].equals(fresh[c]) for c in fresh.columns)


def test_uneven_last_chunk(tmp_path: Path) -> None:
    path = generate_requests(70_001, seed=2, path=tmp_path / "odd.parquet", chunk_rows=30_000)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 70_001
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [
        30_000,
        30_000,
        10_001,
    ]


def test_bad_arguments() -> None:
    with pytest.raises(InvalidInput, match="at least 1"):
        generate_requests(0)
    with pytest.raises(InvalidInput, match="cannot read 'soon' as a date"):
        generate_requests(10, start="soon")
