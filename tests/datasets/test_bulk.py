"""A whole city's log through DuckDB: the same columns, values and messages as the pandas loader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import REQUEST_COLUMNS, ReadOptions, load_requests, sample_path
from govlab.datasets.bulk import requests_to_parquet
from govlab.errors import InvalidInput

CITIES = Path(__file__).parent / "fixtures" / "cities"
FIXTURES = Path(__file__).parent / "fixtures"


def same(bulk: Path, frame: pd.DataFrame) -> None:
    got = pd.read_parquet(bulk)
    for column in ("id", "opened", "closed", "category", "agency"):
        left = (
            got[column].astype("datetime64[ns]") if column in ("opened", "closed") else got[column]
        )
        right = frame[column]
        assert left.isna().tolist() == right.isna().tolist(), column
        assert left.dropna().astype("str").tolist() == right.dropna().astype("str").tolist(), column


@pytest.mark.parametrize(
    ("source", "mapping", "sentence"),
    [
        (sample_path("nyc311"), None, "read as UTF-8, ','-separated, month-first dates"),
        (CITIES / "requests_cp1252.csv", None, "read as Windows-1252, ','-separated, ISO dates"),
        (
            CITIES / "requests_dayfirst.csv",
            {
                "id": "Reference",
                "opened": "Logged",
                "closed": "Resolved",
                "category": "Service Area",
                "agency": "Department",
            },
            "read as UTF-8, ','-separated, day-first dates",
        ),  # fmt: skip
        (CITIES / "requests_date_only.csv", None, "read as UTF-8, ','-separated, ISO dates"),
    ],
)
def test_duckdb_writes_what_the_pandas_loader_reads(
    tmp_path: Path, source: Path, mapping: dict[str, str] | None, sentence: str
) -> None:
    out = tmp_path / "log.parquet"
    how = requests_to_parquet(source, out, mapping)
    assert how.sentence() == sentence
    same(out, load_requests(source, mapping))
    assert pd.read_parquet(out)["_check"].eq(0).all()


def test_a_parquet_log_goes_through_too(tmp_path: Path) -> None:
    frame = load_requests(sample_path("nyc311"))
    frame[REQUEST_COLUMNS].to_parquet(tmp_path / "in.parquet")
    out = tmp_path / "log.parquet"
    assert requests_to_parquet(tmp_path / "in.parquet", out).sentence() == "read as Parquet"
    same(out, frame)


@pytest.mark.parametrize(
    "name",
    [
        "requests_bad_date.csv",
        "requests_closed_before_opened.csv",
        "requests_empty_id.csv",
        "requests_no_opened.csv",
    ],
)
def test_a_bad_row_gets_the_pandas_loaders_message(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput) as expected:
        load_requests(FIXTURES / name)
    with pytest.raises(InvalidInput) as got:
        requests_to_parquet(FIXTURES / name, tmp_path / "log.parquet")
    assert str(got.value) == str(expected.value)


def test_the_date_order_is_decided_over_the_whole_file(tmp_path: Path) -> None:
    # the first 20,000 rows read both ways; only the last one has a day above 12
    rows = "".join(f"R{i},03/04/2024 09:00,05/04/2024 10:00\n" for i in range(25_000))
    path = tmp_path / "late_day.csv"
    path.write_text("id,opened,closed\n" + rows + "R,13/04/2024 09:00,\n", encoding="utf-8")
    out = tmp_path / "log.parquet"
    assert requests_to_parquet(path, out).date_style == "day-first"
    assert pd.read_parquet(out)["opened"].iloc[0] == pd.Timestamp("2024-04-03 09:00")
    ambiguous = tmp_path / "both_ways.csv"
    ambiguous.write_text("id,opened,closed\n" + rows, encoding="utf-8")
    with pytest.raises(InvalidInput, match="cannot tell the date order"):
        requests_to_parquet(ambiguous, out)
    given = requests_to_parquet(ambiguous, out, given=ReadOptions(dayfirst=False))
    assert given.date_style == "month-first"
