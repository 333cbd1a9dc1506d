"""The facet index behind SQLite search: every practice's facet values in numpy arrays.

``matrix[pk]`` holds the codes of one practice's facet values, each facet in its own
span of columns (one column for country, as many as the most topics any practice has
for topic), -1 where there is none. A code stands for one (facet, value) pair, so one
``bincount`` over ``matrix[matches]`` counts every facet at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from govlab.library.search.query import WATERMARK_SQL, Query
from govlab.models import FACETS, PUBLIC_STATUSES, Status

if TYPE_CHECKING:
    import numpy as np

REFRESH_AT_MOST = 2000  # more changed practices than this: rebuild rather than patch
NOT_PUBLIC = tuple(s.value for s in Status if s not in PUBLIC_STATUSES)


class FacetIndex:
    """Each practice's facet values, ``updated`` time and (if not public) author, by pk."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        import numpy as np

        self.watermark = -1  # the highest revisions.rowid reflected here
        self.matrix = np.full((0, 0), -1, dtype=np.int32)
        self.spans: dict[str, tuple[int, int]] = {}  # facet -> its columns [start, stop)
        self.labels: list[tuple[str, str]] = []  # code -> (facet, value)
        self.codes: dict[tuple[str, str], int] = {}
        self.updated = np.zeros(0, dtype=np.int64)  # microseconds since 1970, by pk
        self.authors: dict[int, str] = {}  # pk -> author, for practices not yet public
        self._title_rank: np.ndarray | None = None
        self._masks: dict[int, np.ndarray] = {}  # code -> which pks have it, made on demand
        self._exists: np.ndarray | None = None

    # keeping up with the database -----------------------------------------------------
    def catch_up(self, raw: Any) -> None:
        """Reflect every revision committed in the snapshot ``raw`` is reading."""
        (mark,) = raw.execute(WATERMARK_SQL).fetchone()
        if mark == self.watermark:
            return
        changed: list[int] = []
        if mark > self.watermark >= 0:
            sql = (
                "SELECT pk FROM practices WHERE id IN "
                "(SELECT practice_id FROM revisions WHERE rowid > ?)"
            )
            changed = [pk for (pk,) in raw.execute(sql, (self.watermark,))]
        if mark < self.watermark or self.watermark < 0 or len(changed) > REFRESH_AT_MOST:
            self._rebuild(raw)
        else:
            self._patch(raw, changed)
        self.watermark = mark

    def _rebuild(self, raw: Any) -> None:

        self._reset()
        (top,) = raw.execute("SELECT coalesce(max(pk), 0) FROM practices").fetchone()
        self._grow(top + 1)
        for name in FACETS:
            # one row per value with all its pks: the lookup index's own order, no sorting
            sql = (
                "SELECT value, group_concat(pk) FROM practice_facets WHERE facet = ? GROUP BY value"
            )
            groups = [(value, _ints(pks)) for value, pks in raw.execute(sql, (name,))]
            self._place(name, [(value, pks) for value, pks in groups])
        sql = "SELECT group_concat(pk), group_concat(updated) FROM practices"
        pks, times = raw.execute(sql).fetchone()
        if pks:
            self.updated[_ints(pks)] = _micros(times.split(","))
        self._load_authors(raw, None)

    def _patch(self, raw: Any, pks: list[int]) -> None:
        import numpy as np

        if not pks:
            return
        self._grow(max(pks) + 1)
        self.matrix[pks] = -1
        marks = ", ".join("?" * len(pks))
        sql = f"SELECT pk, facet, value FROM practice_facets WHERE pk IN ({marks})"
        rows = raw.execute(sql, pks).fetchall()
        for name in FACETS:
            mine = [(value, np.array([pk])) for pk, facet, value in rows if facet == name]
            self._place(name, mine)
        sql = f"SELECT pk, updated FROM practices WHERE pk IN ({marks})"
        for pk, updated in raw.execute(sql, pks):
            self.updated[pk] = _micros([updated])[0]
        for pk in pks:
            self.authors.pop(pk, None)
        self._load_authors(raw, pks)
        self._title_rank, self._exists = None, None
        for code, mask in self._masks.items():
            start, stop = self.spans[self.labels[code][0]]
            mask[pks] = (self.matrix[pks, start:stop] == code).any(axis=1)

    def _load_authors(self, raw: Any, pks: list[int] | None) -> None:
        sql = (
            f"SELECT pk, author FROM practices WHERE status IN ({', '.join('?' * len(NOT_PUBLIC))})"
        )
        params: list[Any] = list(NOT_PUBLIC)
        if pks is not None:
            sql += f" AND pk IN ({', '.join('?' * len(pks))})"
            params += pks
        self.authors.update(dict(raw.execute(sql, params)))

    def _grow(self, capacity: int) -> None:
        import numpy as np

        have = len(self.updated)
        if capacity <= have:
            return
        capacity = max(capacity, have + have // 4, 64)
        self.updated = np.concatenate([self.updated, np.zeros(capacity - have, dtype=np.int64)])
        more = np.full((capacity - have, self.matrix.shape[1]), -1, dtype=np.int32)
        self.matrix = np.concatenate([self.matrix, more])
        self._title_rank, self._exists, self._masks = None, None, {}

    def _widen(self, name: str, width: int) -> tuple[int, int]:
        """The columns of facet ``name``, at least ``width`` of them."""
        import numpy as np

        start, stop = self.spans.get(name, (self.matrix.shape[1],) * 2)
        if stop - start >= width:
            return start, stop
        extra = width - (stop - start)
        blank = np.full((len(self.matrix), extra), -1, dtype=np.int32)
        self.matrix = np.concatenate([self.matrix[:, :stop], blank, self.matrix[:, stop:]], axis=1)
        for other, (a, b) in self.spans.items():
            if a >= stop:
                self.spans[other] = (a + extra, b + extra)
        self.spans[name] = (start, stop + extra)
        return self.spans[name]

    def _place(self, name: str, groups: Iterable[tuple[str, np.ndarray]]) -> None:
        """Write one facet's values, each with the pks that have it, into its columns."""
        import numpy as np

        parts = list(groups)
        if not parts:
            return
        for value, _ in parts:
            if (name, value) not in self.codes:
                self.codes[(name, value)] = len(self.labels)
                self.labels.append((name, value))
        pks = np.concatenate([have for _, have in parts]).astype(np.int64)
        sizes = [len(have) for _, have in parts]
        code = np.repeat([self.codes[(name, value)] for value, _ in parts], sizes)
        order = np.argsort(pks, kind="stable")
        pks, code = pks[order], code[order].astype(np.int32)
        starts = np.flatnonzero(np.r_[True, pks[1:] != pks[:-1]])
        slot = np.arange(len(pks)) - np.repeat(starts, np.diff(np.r_[starts, len(pks)]))
        start, _ = self._widen(name, int(slot.max()) + 1)
        self.matrix[pks, start + slot] = code

    def load_titles(self, raw: Any) -> None:
        """Rank every practice by (title, id), as SQLite's binary collation orders them."""
        import numpy as np

        if self._title_rank is not None:
            return
        titles = dict(raw.execute("SELECT pk, title FROM practices INDEXED BY ix_practices_title"))
        ids = dict(raw.execute("SELECT pk, id FROM practices"))
        # UTF-8 bytes compare in code-point order, as Python compares str
        ordered = sorted(titles, key=lambda pk: (titles[pk], ids[pk]))
        rank = np.full(len(self.updated), len(ordered), dtype=np.int64)
        rank[ordered] = np.arange(len(ordered))
        self._title_rank = rank

    def scores(self, raw: Any, by_id: dict[str, float]) -> np.ndarray:
        """``by_id`` (practice id -> number) as an array by pk, ``-inf`` where none is given."""
        import json

        import numpy as np

        out = np.full(len(self.updated), -np.inf)
        if by_id:
            sql = "SELECT pk, id FROM practices WHERE id IN (SELECT value FROM json_each(?))"
            for pk, pid in raw.execute(sql, (json.dumps(list(by_id)),)):
                if pk < len(out):
                    out[pk] = by_id[pid]
        return out

    # answering ---------------------------------------------------------------------------
    def exists(self) -> np.ndarray:
        """Which pks are practices (every practice has exactly one status)."""
        import numpy as np

        if self._exists is None:
            if "status" in self.spans:
                self._exists = np.asarray(self.matrix[:, self.spans["status"][0]] >= 0)
            else:
                self._exists = np.zeros(len(self.updated), dtype=bool)
        return self._exists.copy()

    def mask(self, request: Query) -> np.ndarray | None:
        """Which pks pass the filters and the reader rule; None if nothing restricts."""
        if not request.wanted and request.reader is None:
            return None
        keep: np.ndarray = self.exists()
        for name, values in request.wanted.items():
            keep &= self._having(name, values)
        if request.reader is not None:
            member = request.reader.member
            visible = self._having("status", list(request.shown_statuses()))
            if member is not None:
                visible[[pk for pk, author in self.authors.items() if author == member]] = True
            keep &= visible
        return keep

    def _having(self, name: str, values: list[str]) -> np.ndarray:
        import numpy as np

        found = np.zeros(len(self.updated), dtype=bool)
        for value in values:
            code = self.codes.get((name, value))
            if code is None:
                continue
            if code not in self._masks:
                start, stop = self.spans[name]
                self._masks[code] = (self.matrix[:, start:stop] == code).any(axis=1)
            found |= self._masks[code]
        return found

    def count(self, pks: np.ndarray) -> dict[str, dict[str, int]]:
        """Facet counts over the practices ``pks``."""
        import numpy as np

        codes = self.matrix[pks].ravel()
        tally = np.bincount(codes[codes >= 0], minlength=len(self.labels))
        counts: dict[str, dict[str, int]] = {}
        for code in np.flatnonzero(tally).tolist():
            name, value = self.labels[code]
            counts.setdefault(name, {})[value] = int(tally[code])
        return counts

    def top(
        self,
        pks: np.ndarray,
        ranks: np.ndarray,
        order: str,
        k: int,
        scores: np.ndarray | None = None,
    ) -> np.ndarray:
        """Positions in ``pks`` of the first ``k`` in ``order``, in that order.

        relevance: rank, then newest, then highest pk; newest: updated, then highest pk;
        title: title, then id (see :meth:`load_titles`); score: ``scores[pk]`` highest
        first (``-inf`` for none), then newest, then highest pk.
        """
        import numpy as np

        if order == "title":
            assert self._title_rank is not None, "load_titles first"
            keys = [self._title_rank[pks]]
        else:
            keys = [-pks, -self.updated[pks]]
            if order == "relevance":
                keys.append(ranks)
            elif order == "score":
                assert scores is not None, "scores are needed to order by score"
                keys.append(-scores[pks])
        primary = keys[-1]
        candidates = np.arange(len(pks))
        if len(pks) > 4 * k:  # only rows that can make the first k need a full sort
            cut = np.partition(primary, k - 1)[k - 1]
            candidates = np.flatnonzero(primary <= cut)
        ordered = candidates[np.lexsort([key[candidates] for key in keys])]
        return ordered[:k]


def _ints(joined: str) -> np.ndarray:
    """A ``group_concat`` of integers as an array."""
    import numpy as np

    return np.fromstring(joined, dtype=np.int64, sep=",")


def _micros(times: Iterable[str]) -> np.ndarray:
    """SQLite's stored datetimes ('2026-11-28 18:49:37.000000', UTC) as microseconds."""
    import numpy as np

    return np.asarray(np.array(list(times), dtype="datetime64[us]").astype(np.int64))
