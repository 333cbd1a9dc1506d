"""generate_feedback: canonical columns, labels, seeding, and text VADER can read."""

from __future__ import annotations

import pandas as pd
import pytest

from govlab.datasets import FEEDBACK_COLUMNS, generate_feedback
from govlab.datasets.gen_feedback import TOPICS
from govlab.errors import InvalidInput


@pytest.fixture(scope="module")
def comments() -> pd.DataFrame:
    return generate_feedback(3_000, seed=7)


def test_columns_and_label(comments: pd.DataFrame) -> None:
    assert list(comments.columns) == [*FEEDBACK_COLUMNS, "sentiment", "topic"]
    assert comments.attrs["synthetic"] is True
    assert comments["id"].iloc[0] == "SYN-F000001"
    assert comments["date"].dtype == "datetime64[ns]"
    assert comments["date"].is_monotonic_increasing
    assert set(comments["topic"]) == set(TOPICS)
    assert comments["text"].str.len().gt(10).all()


def test_ratings_follow_sentiment(comments: pd.DataFrame) -> None:
    by = comments.groupby("sentiment")["rating"]
    assert by.min().to_dict() == {"negative": 1.0, "neutral": 3.0, "positive": 4.0}
    assert by.max().to_dict() == {"negative": 2.0, "neutral": 3.0, "positive": 5.0}
    shares = comments["sentiment"].value_counts(normalize=True)
    assert shares["negative"] > shares["positive"] > 0.2


def test_app_improves_over_the_period(comments: pd.DataFrame) -> None:
    app = comments[comments["topic"] == "311 app"]
    half = app["date"] < app["date"].median()
    negative = app["sentiment"].eq("negative")
    assert negative[half].mean() > negative[~half].mean() + 0.15


def test_vader_agrees_with_the_labels(comments: pd.DataFrame) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    sample = comments.iloc[:600]
    score = sample["text"].map(lambda t: analyser.polarity_scores(t)["compound"])
    polar = sample["sentiment"] != "neutral"
    agree = (score[polar] > 0) == (sample.loc[polar, "sentiment"] == "positive")
    assert agree.mean() > 0.85


def test_seeded() -> None:
    pd.testing.assert_frame_equal(generate_feedback(50, seed=1), generate_feedback(50, seed=1))
    assert not generate_feedback(50, seed=1)["text"].equals(generate_feedback(50, seed=2)["text"])
    with pytest.raises(InvalidInput):
        generate_feedback(0)
