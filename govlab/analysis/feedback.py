"""What are residents saying? Sentiment, topics and trends in feedback text.

Works on a feedback frame (``text``, ``date``, ``district``, ``service`` ...), such
as :func:`govlab.datasets.load_feedback` returns.  Sentiment uses VADER (its
lexicon ships inside the ``vaderSentiment`` package: no download); topics use
TF-IDF and non-negative matrix factorisation (scikit-learn).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govlab.analysis._frames import as_keys, datetimes, floor_period, period_unit, require_columns
from govlab.errors import InvalidInput

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = ["Topics", "sentiment", "topics", "trends"]

#: VADER's standard thresholds on the compound score.
POSITIVE, NEGATIVE = 0.05, -0.05


@dataclass(frozen=True)
class Topics:
    """Topics found in the text and the topic of each row."""

    table: pd.DataFrame = field(repr=False)
    rows: pd.DataFrame = field(repr=False)
    n_topics: int
    seed: int

    def __repr__(self) -> str:
        labels = "; ".join(self.table["label"])
        return f"Topics({self.n_topics} topics: {labels})"


@functools.lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(frame: pd.DataFrame, text: str = "text") -> pd.DataFrame:
    """VADER sentiment of each row's text.

    ``sentiment`` is VADER's compound score in [-1, 1]: the sum ``x`` of the word
    valences (after VADER's rules for negation, boosters, "but", capitals and
    punctuation) normalised as ``x / sqrt(x**2 + 15)``.  ``label`` is
    ``positive`` when ``sentiment >= 0.05``, ``negative`` when ``<= -0.05``,
    ``neutral`` otherwise; rows without text get neither.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with ``sentiment`` and ``label`` added.
    """
    require_columns(frame, [text], name="frame")
    analyzer = _analyzer()
    values = frame[text]
    scores = np.full(len(frame), np.nan)
    for i, item in enumerate(values.tolist()):
        if isinstance(item, str) and item.strip():
            scores[i] = analyzer.polarity_scores(item)["compound"]
    out = frame.copy()
    out["sentiment"] = scores
    labels = np.where(
        scores >= POSITIVE, "positive", np.where(scores <= NEGATIVE, "negative", "neutral")
    )
    out["label"] = pd.Series(labels, index=frame.index, dtype="str").where(~np.isnan(scores))
    return out


def topics(
    frame: pd.DataFrame,
    n_topics: int = 5,
    top_terms: int = 8,
    seed: int = 0,
    *,
    text: str = "text",
) -> Topics:
    """Topics by TF-IDF and non-negative matrix factorisation (NMF).

    The texts become a TF-IDF matrix ``X`` (English stop words removed, words of
    two or more letters, words in at least 2 texts and at most 95 % of them when
    there are 20 texts or more).  NMF factorises ``X ~ W H`` with ``n_topics``
    components (``init="nndsvda"``, seeded).  A topic's terms are the largest
    entries of its row of ``H``; a text's topic is the largest entry of its row of
    ``W`` (none when the row is all zeros: no known word).

    Returns
    -------
    Topics
        ``table``: ``topic``, ``label`` (its three top terms), ``terms`` (the top
        ``top_terms``, comma-separated), ``rows`` and ``share`` (rows assigned to it);
        ``rows``: a copy of ``frame`` with ``topic`` (nullable integer) and
        ``topic_weight`` (that topic's share of the row's total weight).
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    require_columns(frame, [text], name="frame")
    for value in (n_topics, top_terms):
        if not isinstance(value, int) or value < 1:
            raise InvalidInput("n_topics and top_terms must be whole numbers of at least 1")
    texts = frame[text].fillna("").astype("str").tolist()
    present = sum(1 for t in texts if t.strip())
    needed = max(2, n_topics)
    if present < needed:
        raise InvalidInput(f"need at least {needed} texts for {n_topics} topics, got {present}")
    many = present >= 20
    vectorizer = TfidfVectorizer(
        stop_words="english",
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
        min_df=2 if many else 1,
        max_df=0.95 if many else 1.0,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:
        raise InvalidInput("no words left to find topics in (only stop words, numbers?)") from None
    if matrix.shape[1] < n_topics:
        raise InvalidInput(f"only {matrix.shape[1]} distinct words: too few for {n_topics} topics")
    model = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=1000)
    weights = model.fit_transform(matrix)
    terms = np.asarray(vectorizer.get_feature_names_out())
    return _topic_tables(frame, weights, model.components_, terms, top_terms, seed)


def _topic_tables(
    frame: pd.DataFrame,
    weights: np.ndarray,
    components: np.ndarray,
    terms: np.ndarray,
    top_terms: int,
    seed: int,
) -> Topics:
    total = weights.sum(axis=1)
    assigned = total > 0
    best = weights.argmax(axis=1)
    rows = frame.copy()
    rows["topic"] = pd.array(np.where(assigned, best, 0), dtype="Int64")
    rows.loc[~assigned, "topic"] = pd.NA
    share = np.divide(weights.max(axis=1), total, out=np.full(len(total), np.nan), where=assigned)
    rows["topic_weight"] = share
    table_rows = []
    counts = np.bincount(best[assigned], minlength=components.shape[0])
    for k, component in enumerate(components):
        top = terms[np.argsort(-component, kind="stable")[:top_terms]]
        table_rows.append(
            {
                "topic": k,
                "label": " / ".join(top[:3]),
                "terms": ", ".join(top),
                "rows": int(counts[k]),
                "share": float(counts[k] / max(assigned.sum(), 1)),
            }
        )
    return Topics(pd.DataFrame(table_rows), rows, components.shape[0], seed)


def trends(
    frame: pd.DataFrame,
    by: str | Sequence[str] = "district",
    freq: str = "MS",
    *,
    date: str = "date",
    text: str = "text",
) -> pd.DataFrame:
    """Sentiment per group and period.

    Per group of ``by`` and period of ``date`` (``"MS"`` months, ``"QS"``, ``"YS"``...):
    ``comments = count(rows with a score)``, ``mean_sentiment = mean(sentiment)``,
    ``share_positive = count(label == positive) / comments`` and likewise
    ``share_negative``.  Rows are scored with :func:`sentiment` unless ``frame``
    already has a ``sentiment`` column.
    """
    keys = as_keys(by)
    unit = period_unit(freq)
    require_columns(frame, [*keys, date], name="frame")
    scored = frame if "sentiment" in frame else sentiment(frame, text)
    scores = pd.to_numeric(scored["sentiment"], errors="coerce")
    data = scored[keys].copy()
    data["period"] = floor_period(datetimes(scored, date, name="frame"), unit)
    data["sentiment"] = scores
    data["positive"] = (scores >= POSITIVE).astype("float64").where(scores.notna())
    data["negative"] = (scores <= NEGATIVE).astype("float64").where(scores.notna())
    grouped = data.groupby([*keys, "period"], dropna=False, sort=True)
    out = grouped.agg(
        comments=("sentiment", "count"),
        mean_sentiment=("sentiment", "mean"),
        share_positive=("positive", "mean"),
        share_negative=("negative", "mean"),
    )
    return out.reset_index()
