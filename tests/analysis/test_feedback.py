from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from govlab.analysis import feedback
from govlab.errors import InvalidInput


@pytest.fixture(scope="module")
def austin(samples: Callable[[str, str], Path]) -> pd.DataFrame:
    """The 3,187 real Austin community-survey comments (2016-2017), scored once."""
    raw = pd.read_csv(
        samples(
            "austin_community_survey_comments", "community-survey-open-ended-comments-2016-2017.csv"
        )
    )
    frame = pd.DataFrame(
        {
            "text": raw["Comment"],
            "district": raw["Council District"],
            "date": pd.to_datetime(raw["Date as of Date"], format="%m/%d/%Y %I:%M:%S %p"),
        }
    )
    return feedback.sentiment(frame)


def test_sentiment_hand_values() -> None:
    frame = pd.DataFrame(
        {
            "text": [
                "good",
                "The staff were wonderful and very helpful!",
                "This is terrible, the worst service ever.",
                "The office opens at 9.",
                None,
                "   ",
            ]
        }
    )
    out = feedback.sentiment(frame)
    # a lone "good" (valence 1.9): 1.9 / sqrt(1.9**2 + 15) = 0.4404
    assert out["sentiment"].iloc[0] == pytest.approx(1.9 / math.sqrt(1.9**2 + 15), abs=5e-5)
    assert out["sentiment"].iloc[1] > 0.05
    assert out["sentiment"].iloc[2] < -0.05
    assert out["sentiment"].iloc[3] == 0.0
    assert out["label"].tolist()[:4] == ["positive", "positive", "negative", "neutral"]
    # no text: no score and no label
    assert out["sentiment"].iloc[4:].isna().all() and out["label"].iloc[4:].isna().all()
    assert "sentiment" not in frame  # the input is not changed


def test_sentiment_thresholds_are_inclusive() -> None:
    # VADER's standard cut-offs: >= 0.05 positive, <= -0.05 negative
    scores = feedback.sentiment(pd.DataFrame({"text": ["ok", "not ok"]}))
    for score, label in zip(scores["sentiment"], scores["label"], strict=True):
        expected = "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"
        assert label == expected


def test_sentiment_on_real_austin_comments(austin: pd.DataFrame) -> None:
    assert len(austin) == 3187
    assert austin["sentiment"].between(-1, 1).all()
    counts = austin["label"].value_counts()
    assert set(counts.index) == {"positive", "negative", "neutral"}
    # a survey of complaints about services: both signs are common
    assert counts["positive"] > 500 and counts["negative"] > 500
    # a record picked from the file: the third comment is a short demand for accountability
    assert austin["text"].iloc[2] == "NEED TO IMPROVE POLICE ACCOUNTABILITY AND CURB ENTRIFICATION"
    assert austin["label"].iloc[2] == "positive"  # VADER reads "IMPROVE" (capitals boost it)


def test_topics_separate_two_clear_themes() -> None:
    texts = [
        "the bus was late and the bus route changed",
        "bus stop moved, bus late again",
        "late bus on my route every morning",
        "pothole on our street needs road repair",
        "road repair crews ignored the pothole",
        "another pothole, the street and road are broken",
    ]
    result = feedback.topics(pd.DataFrame({"text": texts}), n_topics=2, top_terms=3)
    assigned = result.rows["topic"].tolist()
    # the first three texts share one topic, the last three the other
    assert len(set(assigned[:3])) == 1 and len(set(assigned[3:])) == 1
    assert assigned[0] != assigned[3]
    bus_topic = result.table.set_index("topic").loc[assigned[0]]
    assert "bus" in bus_topic["terms"].split(", ")
    assert result.table["rows"].tolist() == [3, 3]
    assert result.table["share"].sum() == pytest.approx(1.0)
    assert ((result.rows["topic_weight"] > 0.5) & (result.rows["topic_weight"] <= 1)).all()


def test_topics_on_real_austin_comments(austin: pd.DataFrame) -> None:
    result = feedback.topics(austin, n_topics=5, top_terms=8, seed=0)
    assert len(result.table) == 5
    assert result.table["rows"].sum() == result.rows["topic"].notna().sum()
    terms = ", ".join(result.table["terms"])
    # Austin residents write about traffic and its transport above all
    assert "traffic" in terms
    again = feedback.topics(austin, n_topics=5, top_terms=8, seed=0)
    pd.testing.assert_frame_equal(again.table, result.table)


def test_topics_bad_input() -> None:
    with pytest.raises(InvalidInput, match="need at least 3 texts for 3 topics"):
        feedback.topics(pd.DataFrame({"text": ["a bus", "a road"]}), n_topics=3)
    with pytest.raises(InvalidInput, match="no words left"):
        feedback.topics(pd.DataFrame({"text": ["the and", "of the", "123 45"]}), n_topics=1)
    with pytest.raises(InvalidInput, match="column 'comment'"):
        feedback.topics(pd.DataFrame({"text": ["x"]}), text="comment")


def test_trends_hand_values() -> None:
    frame = pd.DataFrame(
        {
            "district": ["1", "1", "1", "2"],
            "date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-01", "2024-01-05"]),
            "sentiment": [0.5, -0.5, 0.0, 0.9],
        }
    )
    out = feedback.trends(frame, by="district", freq="MS")
    # district 1, January: scores 0.5 and -0.5 -> mean 0, one positive, one negative
    assert out.to_dict("records")[0] == {
        "district": "1", "period": pd.Timestamp("2024-01-01"), "comments": 2,
        "mean_sentiment": 0.0, "share_positive": 0.5, "share_negative": 0.5,
    }  # fmt: skip
    assert out[["comments", "share_positive"]].to_numpy().tolist() == [[2, 0.5], [1, 0.0], [1, 1.0]]


def test_trends_on_real_austin_comments(austin: pd.DataFrame) -> None:
    out = feedback.trends(austin, by="district", freq="YS")
    assert out["period"].dt.year.unique().tolist() == [2016, 2017]
    assert out["comments"].sum() == austin["sentiment"].notna().sum()
    one = austin[(austin["district"] == 1) & (austin["date"].dt.year == 2016)]
    row = out[(out["district"] == 1) & (out["period"].dt.year == 2016)].iloc[0]
    assert row["mean_sentiment"] == pytest.approx(one["sentiment"].mean())
    assert row["share_negative"] == pytest.approx((one["sentiment"] <= -0.05).mean())
    assert (out["share_positive"] + out["share_negative"] <= 1).all()
