"""What every part of the search shares: the checked request, the query text, the answer.

This module imports none of its siblings: the engines (:mod:`.sql`, :mod:`.index`)
and the facet index (:mod:`.facets`, :mod:`.halves`) import it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from govlab.models import FACETS, Reader

ORDERS = ("relevance", "newest", "title", "score")
"""How an engine orders matches; ``score`` is by a number per practice the caller gives."""
MAX_LIMIT = 500
MAX_PAGE = 1_000_000  # past it an OFFSET overflows SQLite's and PostgreSQL's integers
MAX_QUERY_CHARS = 300  # a practice's title is at most 200
MAX_WORDS = 16  # different words in one search (each walks its list of practices)
TITLE_WEIGHT = 10.0
WORD_RE = re.compile(r"\w+", re.UNICODE)
WATERMARK_SQL = "SELECT coalesce(max(rowid), 0) FROM revisions"
"""The highest revision a snapshot holds: every change to a practice adds one."""


@cache
def stop_words() -> frozenset[str]:
    """The words no search looks for: PostgreSQL's English stop words, on both engines."""
    text = resources.files("govlab.library.search").joinpath("english.stop").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line and line[0] != "#")


Found = tuple[int, list[tuple[Any, float]], dict[str, dict[str, int]]]
"""What an engine hands back: the total, the page as (record, rank), the facet counts."""


@dataclass(frozen=True)
class Query:
    """A checked search request, as the engines receive it.

    ``scores`` (practice id -> number, higher first; missing ids last) orders the
    matches when ``order`` is ``score``.
    """

    words: list[str]
    wanted: dict[str, list[str]]
    reader: Reader | None
    order: str  # one of ORDERS; relevance only with words
    limit: int
    offset: int
    prefix: bool = False  # the last word may also be the start of a longer word
    scores: Mapping[str, float] = field(default_factory=dict)

    def shown_statuses(self) -> tuple[str, ...]:
        """Statuses the reader may see whoever wrote the practice."""
        assert self.reader is not None
        return self.reader.statuses()


def word_forms(word: str) -> list[str]:
    """The forms of ``word`` a search matches, each by its stem: usually the word alone.

    Both engines' English stemmers split one family of plurals from its singular
    ("bus" stems to "bu" and "buses" to "buse"; so census, status, campus, bonus), so
    a word in ``-us`` also matches its plural in ``-uses``, and a plural in ``-uses``
    its singular (from five letters: "uses" is not the plural of "us").
    """
    forms = [word]
    if len(word) >= 3 and word.endswith("us"):
        forms.append(word + "es")
    elif len(word) >= 5 and word.endswith("uses"):
        forms.append(word[:-2])
    return forms


def fts5_query(request: Query) -> str:
    """The FTS5 MATCH text: every form quoted (never syntax), words joined by AND."""
    return _boolean(request, '"{}"', " OR ", " AND ", '"{}"*')


def tsquery(request: Query) -> str:
    """The same for PostgreSQL's ``to_tsquery`` (words hold only letters, digits and _)."""
    return _boolean(request, "{}", " | ", " & ", "{}:*")


def _boolean(request: Query, term: str, either: str, every: str, start: str) -> str:
    """Each word's forms joined by ``either``, the words by ``every`` (templates for each)."""
    clauses = []
    for word in request.words:
        forms = [term.format(form) for form in word_forms(word)]
        clauses.append(forms[0] if len(forms) == 1 else f"({either.join(forms)})")
    if request.prefix:
        clauses[-1] = f"({clauses[-1]}{either}{start.format(request.words[-1])})"
    return every.join(clauses)


def sorted_counts(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Every facet, its values by count (highest first), then by value."""
    return {
        name: dict(sorted(counts.get(name, {}).items(), key=lambda item: (-item[1], item[0])))
        for name in dict.fromkeys([*FACETS, *counts])
    }
