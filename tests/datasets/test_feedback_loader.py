"""load_feedback on the Austin community-survey comments and through a mapping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import FEEDBACK_COLUMNS, load_feedback, sample_path
from govlab.errors import InvalidInput


def test_austin_comments() -> None:
    frame = load_feedback(sample_path("austin_community_survey_comments"))
    assert list(frame.columns[:7]) == FEEDBACK_COLUMNS
    # PROVENANCE: 3,187 comments, 1,605 from 2016 and 1,582 from 2017
    assert len(frame) == 3187
    assert frame["date"].dt.year.value_counts().to_dict() == {2016: 1605, 2017: 1582}
    first = frame.iloc[0]
    assert first["id"] == "2"  # its row in the CSV
    assert first["district"] == "7"
    assert first["channel"] == "survey"
    assert first["text"].startswith("Dissatisfied traffic and with traffic")
    assert pd.isna(first["rating"]) and pd.isna(first["service"])
    assert frame["district"].value_counts()["10"] == 426
    assert frame.attrs["blank_rows"] == 0


def test_mapping_with_rating_and_blank_text(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "Ref,Submitted,Comment,Stars,Area\n"
        "r1,2024-03-01,Bins collected on time,5,North\n"
        "r2,2024-03-02,,1,South\n"
        "r3,2024-03-04,App crashed,2,North\n",
        encoding="utf-8",
    )
    frame = load_feedback(
        path,
        {
            "id": "Ref",
            "date": "Submitted",
            "text": "Comment",
            "rating": "Stars",
            "district": "Area",
        },
    )
    assert frame["id"].tolist() == ["r1", "r3"]  # r2 has no text
    assert frame.attrs["blank_rows"] == 1
    assert frame["rating"].tolist() == [5.0, 2.0]
    assert frame["date"].iloc[1] == pd.Timestamp("2024-03-04")


def test_bad_rating(fixtures: Path) -> None:
    with pytest.raises(
        InvalidInput,
        match=r"feedback_bad_rating\.csv, row 3, column 'rating': cannot read 'two' as a number",
    ):
        load_feedback(fixtures / "feedback_bad_rating.csv")


def test_unrecognised_layout(fixtures: Path) -> None:
    with pytest.raises(InvalidInput, match=r"expected a 'text' column.*'Ticket', 'When', 'What'"):
        load_feedback(fixtures / "unknown_format.csv")
    with pytest.raises(InvalidInput, match="the field 'text' is required"):
        load_feedback(fixtures / "unknown_format.csv", {"id": "Ticket"})
