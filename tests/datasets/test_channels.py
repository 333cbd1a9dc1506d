"""load_channel_volumes and load_channel_costs on the UK GDS 2012 figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import CHANNEL_VOLUME_COLUMNS, load_channel_costs, load_channel_volumes
from govlab.errors import InvalidInput


def test_seventeen_case_studies() -> None:
    frame = load_channel_volumes()
    assert list(frame.columns) == CHANNEL_VOLUME_COLUMNS
    assert len(frame) == 17  # Annex 1 lists 17 services
    ved = frame.set_index("service").loc["Vehicle excise duty"]
    # 43,630,000 transactions a year, 47 % digital -> 20,506,100 digital
    assert ved["department"] == "DfT - DVLA"
    assert ved["annual_volume"] == 43_630_000
    assert ved["digital_volume"] == pytest.approx(20_506_100)
    assert frame.set_index("service").loc["PAYE (end of year returns)", "pct_digital"] == 100


def test_costs_only_where_the_report_gives_them() -> None:
    frame = load_channel_volumes().set_index("service")
    dsa = frame.loc["Practical Driving Test booking"]
    # footnote 1: GBP 6.62 post, 4.11 telephone, 0.22 digital
    assert (dsa["cost_post"], dsa["cost_phone"], dsa["cost_digital"]) == (6.62, 4.11, 0.22)
    assert pd.isna(dsa["cost_face_to_face"])
    others = frame.drop(index="Practical Driving Test booking")
    assert others[["cost_digital", "cost_phone", "cost_post"]].isna().all().all()


def test_channel_costs_table() -> None:
    costs = load_channel_costs()
    socitm = costs[costs["department"] == "UK councils (average)"].set_index("channel")
    assert socitm["cost_gbp_per_transaction"].to_dict() == {
        "face_to_face": 8.62,
        "phone": 2.83,
        "digital": 0.15,
    }
    assert len(costs) == 7


def test_own_file_with_canonical_names(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "service,department,annual_volume,pct_digital,cost_phone\n"
        'Parking permits,Transport,"12,000",25,3.10\n',
        encoding="utf-8",
    )
    frame = load_channel_volumes(path)
    # 12,000 x 25 % = 3,000 digital
    assert frame["digital_volume"].iloc[0] == 3000
    assert frame["cost_phone"].iloc[0] == 3.10
    assert frame["customer_type"].isna().all()


def test_percentage_out_of_range(fixtures: Path) -> None:
    with pytest.raises(
        InvalidInput,
        match=r"channels_bad_pct\.csv, row 3, column 'pct_digital': 140\.0 is not a percentage",
    ):
        load_channel_volumes(fixtures / "channels_bad_pct.csv")


def test_missing_column(fixtures: Path) -> None:
    with pytest.raises(InvalidInput, match=r"column 'service' not found; columns found: 'id'"):
        load_channel_volumes(fixtures / "requests_bad_date.csv")
