"""The synthetic practice generator: reproducible, valid, and shaped like real text."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import yaml

from govlab.library.generate import (
    GENERAL,
    STOP_WORDS,
    SUBJECTS,
    TAIL_SIZE,
    TEXT_WORDS,
    generate_practices,
    pseudo_word,
)
from govlab.models import SUMMARY_MAX

WORD = re.compile(r"\w+")
SEED = Path(__file__).parents[2] / "govlab" / "library" / "seed" / "practices.yaml"


def test_same_seed_same_practices() -> None:
    first = [p.model_dump() for p in generate_practices(5, seed=4, start=10)]
    again = [p.model_dump() for p in generate_practices(5, seed=4, start=10)]
    assert first == again
    assert [p["id"] for p in first] == [f"synthetic-{i}" for i in range(10, 15)]
    other = [p.model_dump() for p in generate_practices(5, seed=5, start=10)]
    assert other != first


def test_pseudo_words_are_distinct_and_never_real_words() -> None:
    tail = {pseudo_word(i) for i in range(TAIL_SIZE)}
    assert len(tail) == TAIL_SIZE
    real = set(STOP_WORDS) | set(GENERAL) | {w for ws in SUBJECTS.values() for w in ws}
    assert not tail & real
    assert all(re.fullmatch(r"[a-z]+[kxq]", word) for word in list(tail)[:50])


def test_field_lengths_follow_the_seed_library() -> None:
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    practices = list(generate_practices(300, seed=1))
    assert all(len(p.summary) <= SUMMARY_MAX for p in practices)
    assert all(4 <= len(p.title.split()) <= 9 for p in practices)
    # words as the seed's lengths were measured: separated by spaces
    for name, (fewest, most) in TEXT_WORDS.items():
        real = [len(p[name].split()) for p in seed]
        made = [len(getattr(p, name).split()) for p in practices]
        assert (fewest, most) == (min(real), max(real)), name
        assert fewest <= min(made) and max(made) <= most, name
        # the seed is skewed to the short side, so the synthetic median is longer (lessons:
        # 59 words against 31.5, most of the seed's being short and one 96)
        assert statistics.median(real) <= statistics.median(made) <= 2 * statistics.median(real)
    texts = [*TEXT_WORDS, "summary"]
    real_total = statistics.mean(sum(len(p[t].split()) for t in texts) for p in seed)
    made_total = statistics.mean(sum(len(getattr(p, t).split()) for t in texts) for p in practices)
    assert real_total <= made_total <= 1.35 * real_total  # about 215 words against 175


def test_word_frequencies_are_skewed_like_prose() -> None:
    practices = list(generate_practices(200, seed=2))
    tokens = Counter(w for p in practices for w in WORD.findall(p.body_text().lower()))
    total = sum(tokens.values())
    stop = sum(tokens[w] for w in STOP_WORDS)
    assert 0.40 <= stop / total <= 0.50  # 45% of the words drawn are stop words
    assert tokens.most_common(1)[0][0] == "the"  # rank 1 of the most frequent pool
    documents = Counter(w for p in practices for w in set(WORD.findall(p.body_text().lower())))
    subject_words = [w for ws in SUBJECTS.values() for w in ws if w.isalpha()]
    median_df = statistics.median(documents[w] / len(practices) for w in subject_words)
    # middle frequency: neither in most practices nor in almost none (docstring: ~2.5%)
    assert 0.01 <= median_df <= 0.06
    assert documents["the"] == len(practices)


def test_statuses_are_mostly_published_with_some_awaiting_review() -> None:
    statuses = Counter(p.status.value for p in generate_practices(200, seed=3))
    assert set(statuses) <= {"published", "archived", "submitted"}
    assert 0.8 <= statuses["published"] / 200 <= 0.97
    assert statuses["submitted"] > 0
