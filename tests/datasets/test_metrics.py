"""load_metric_series on Boston's CityScore values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import METRIC_COLUMNS, load_metric_series, sample_path
from govlab.errors import InvalidInput


def test_cityscore_values_and_targets() -> None:
    frame = load_metric_series(sample_path("boston_cityscore_2016"))
    assert list(frame.columns[:4]) == METRIC_COLUMNS
    # PROVENANCE: 3,891 values x 21 metrics over 142 dates
    assert len(frame) == 3891
    assert frame["metric"].nunique() == 21
    assert frame["date"].nunique() == 142
    call_centre = frame[frame["metric"] == "311 Call Center Performance"]
    # cityscore_metrics_DERIVED.csv: metric 4, target_in_db 0.8491681460556918
    assert call_centre["target"].unique().tolist() == [0.8491681460556918]
    # value_id 1 is 2016-02-29, Constituent Satisfaction Survey Responses, 3.75
    first = frame[frame["value_id"] == "1"].iloc[0]
    assert (first["date"], first["metric"], first["value"]) == (
        pd.Timestamp("2016-02-29"),
        "Constituent Satisfaction Survey Responses",
        3.75,
    )


def test_duplicate_values_per_day() -> None:
    path = sample_path("boston_cityscore_2016")
    every = load_metric_series(path)
    pairs = every.groupby(["date", "metric"]).size()
    last = load_metric_series(path, duplicates="last")
    mean = load_metric_series(path, duplicates="mean")
    assert len(last) == len(mean) == len(pairs)
    one = pairs[pairs > 1].index[0]
    values = every.set_index(["date", "metric"]).loc[one, "value"]
    assert mean.set_index(["date", "metric"]).loc[one, "value"] == pytest.approx(values.mean())
    assert last.set_index(["date", "metric"]).loc[one, "value"] == values.iloc[-1]


def test_plain_layout_with_target(tmp_path: Path) -> None:
    path = tmp_path / "kpi.csv"
    path.write_text(
        "date,metric,value,target\n2024-01-01,Calls answered,0.91,0.9\n", encoding="utf-8"
    )
    frame = load_metric_series(path)
    assert frame[["value", "target"]].iloc[0].tolist() == [0.91, 0.9]


def test_bad_value(fixtures: Path) -> None:
    with pytest.raises(
        InvalidInput, match=r"metrics_bad_value\.csv, row 3, column 'value': cannot read 'n/a'"
    ):
        load_metric_series(fixtures / "metrics_bad_value.csv")


def test_bad_choice() -> None:
    with pytest.raises(InvalidInput, match="duplicates must be"):
        load_metric_series(sample_path("boston_cityscore_2016"), duplicates="max")  # type: ignore[arg-type]
