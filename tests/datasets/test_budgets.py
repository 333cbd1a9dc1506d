"""load_budget (Oakland) and load_omb_budget (US federal receipts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlab.datasets import BUDGET_COLUMNS, load_budget, load_omb_budget, sample_path
from govlab.errors import InvalidInput


def test_oakland_fy21_22() -> None:
    frame = load_budget(sample_path("oakland_city_budget"))
    assert list(frame.columns) == BUDGET_COLUMNS
    # PROVENANCE: 22,236 rows, 27 departments, expense USD 2,033.5m
    assert len(frame) == 22_236
    assert frame["department"].nunique() == 27
    expense = frame.loc[frame["account_type"] == "Expense", "amount"].sum()
    assert expense / 1e6 == pytest.approx(2033.46, abs=0.01)
    first = frame.iloc[0]  # CSV row 2
    assert first["department"] == "Capital Improvement Projects"
    assert (first["fund_code"], first["account_category"], first["amount"]) == (
        "1010",
        "Contract Services",
        252000.0,
    )


def test_column_order_does_not_matter(tmp_path: Path) -> None:
    # the FY13-14 layout: fund_code before account_type, citywide revenue without department
    path = tmp_path / "fy13.csv"
    path.write_text(
        "budget_year,department,fund_code,account_type,account_category,amount\n"
        "FY13-14,,1010,Revenue,Licenses & Permits,225000\n",
        encoding="utf-8",
    )
    frame = load_budget(path)
    assert frame["department"].isna().all()
    assert frame["amount"].iloc[0] == 225000


def test_bad_amount(fixtures: Path) -> None:
    with pytest.raises(
        InvalidInput,
        match=r"budget_bad_amount\.csv, row 3, column 'amount': "
        r"cannot read 'about 500' as a number",
    ):
        load_budget(fixtures / "budget_bad_amount.csv")


def test_omb_receipts() -> None:
    frame = load_omb_budget(sample_path("us_omb_budget"))
    # 237 accounts x (59 years 1962-2020 + the transition quarter)
    assert len(frame) == 237 * 60
    assert frame["year"].isna().sum() == 237
    assert set(frame.loc[frame["year"].isna(), "period"]) == {"TQ"}
    # first account, 1990: "-566,000" thousand dollars
    first = frame[(frame["account"] == "Supplemental Catastrophic Premium, Refunds, FSMI")]
    assert first.loc[first["period"] == "1990", "amount"].item() == -566_000_000
    # FY2015 receipts, thousands summed over the 237 accounts: 3,176,072,000 -> USD 3.18 trillion
    assert frame.loc[frame["year"] == 2015, "amount"].sum() == pytest.approx(3_176_072_000_000)


def test_omb_bad_value(fixtures: Path) -> None:
    with pytest.raises(
        InvalidInput, match=r"omb_bad_value\.json, row 1, column '2016': cannot read 'lots'"
    ):
        load_omb_budget(fixtures / "omb_bad_value.json")


def test_omb_not_a_list(fixtures: Path) -> None:
    with pytest.raises(InvalidInput, match="expected a non-empty JSON list of budget accounts"):
        load_omb_budget(fixtures / "open311_not_a_list.json")
