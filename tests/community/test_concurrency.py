"""Eight processes join a new library and rate and comment the same practices at once.

Each process is a new member: exactly one of them, the library's creator, becomes
admin. Each adds 100 ratings and 100 comments over the same ten practices (so every
member re-rates each practice ten times, and rating again replaces). Totals must be exact and the
averages those worked out from the last rating each member gave.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback

import pytest
from sqlalchemy import func, select

from govlab.community import tables as ct
from govlab.community.ratings import bayesian_average
from govlab.community.session import open_library
from govlab.library import Store
from govlab.library import tables as lt
from govlab.models import Practice

WORKERS = 8
EACH = 100
PRACTICES = 10


def stars(worker: int, k: int) -> int:
    return 1 + (worker + k) % 5


def _member(url: str, worker: int, start: object, errors: mp.Queue) -> None:  # type: ignore[type-arg]
    try:
        library = open_library(url, f"w{worker}", seed=False, show_guidelines=False)
        start.wait(timeout=120)  # type: ignore[attr-defined]
        for k in range(EACH):
            practice = f"shared-{k % PRACTICES}"
            library.rate(practice, stars(worker, k))
            library.comment(practice, f"Comment {k} from w{worker}.")
        library.close()
    except Exception:  # anything, "database is locked" included, fails the test
        errors.put(traceback.format_exc())


def _run_workers(url: str) -> None:
    context = mp.get_context("spawn")
    errors, start = context.Queue(), context.Event()
    processes = [
        context.Process(target=_member, args=(url, w, start, errors)) for w in range(WORKERS)
    ]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=300)
    problems = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    assert problems == []
    assert [process.exitcode for process in processes] == [0] * WORKERS


@pytest.mark.slow
def test_eight_members_at_once(db_url: str) -> None:
    # created by a tool for w5: w5 is its admin however the eight joins interleave
    store = Store.open(db_url, seed=False, creator="w5")
    shared = [
        Practice(id=f"shared-{j}", title=f"Shared practice {j}", status="published")
        for j in range(PRACTICES)
    ]
    store.save_all(shared, by="author")
    store.close()

    _run_workers(db_url)

    library = open_library(db_url, "observer", seed=False, show_guidelines=False)
    roles = {m.name: m.role for m in library.members() if m.name != "observer"}
    assert roles == {f"w{w}": "admin" if w == 5 else "member" for w in range(WORKERS)}
    with library._store.reading() as tx:

        def count(table: object, *where: object) -> int:
            query = select(func.count()).select_from(table).where(*where)  # type: ignore[arg-type]
            return int(tx.conn.execute(query).scalar_one())

        assert count(ct.comments) == WORKERS * EACH
        assert count(ct.ratings) == WORKERS * PRACTICES  # one per member per practice
        assert count(lt.audit, lt.audit.c.action == "rating.set") == WORKERS * EACH
        assert count(lt.audit, lt.audit.c.action == "comment.add") == WORKERS * EACH
    for j in range(PRACTICES):
        summary = library.ratings(f"shared-{j}")
        # each member's last rating of shared-j came at k = 90 + j: 1 + (w + 90 + j) % 5
        last = [stars(w, 90 + j) for w in range(WORKERS)]
        assert summary.count == WORKERS
        assert sum(n * c for n, c in summary.counts.items()) == sum(last)
        assert summary.bayesian == pytest.approx(bayesian_average(sum(last), WORKERS))
        assert len(library.comments(f"shared-{j}")) == WORKERS * EACH // PRACTICES
    # by hand for shared-0: w0..w7 give 1, 2, 3, 4, 5, 1, 2, 3: sum 21, mean 2.625,
    # Bayesian (5 * 3 + 21) / (5 + 8) = 36 / 13
    first = library.ratings("shared-0")
    assert first.mean == pytest.approx(2.625)
    assert first.bayesian == pytest.approx(36 / 13)
    # one point per comment, none for ratings: all eight tied on 100
    board = library.leaderboard(limit=20)
    assert {(s.rank, s.points) for s in board} == {(1, EACH)} and len(board) == WORKERS
    library.close()
