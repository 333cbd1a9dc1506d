"""Four processes writing to one library at once lose nothing and never see "database is locked"."""

from __future__ import annotations

import multiprocessing as mp
import traceback

import pytest
from sqlalchemy import func, select

from govlab.library import Store
from govlab.library import tables as t

WORKERS = 4
EACH = 200


def _writer(url: str, worker: int, errors: mp.Queue) -> None:  # type: ignore[type-arg]
    from govlab.models import Practice

    try:
        store = Store.open(url, seed=False)
        for i in range(EACH):
            pid = f"w{worker}-practice-{i}"
            saved = store.save(
                Practice(id=pid, title=f"Practice {i} of worker {worker}", topics=["load"]),
                by=f"worker{worker}",
                why="create",
            )
            store.save(saved.model_copy(update={"summary": f"edited {i}"}), by="editor", why="edit")
        store.close()
    except Exception:  # report anything, including "database is locked", to the test
        errors.put(traceback.format_exc())


@pytest.mark.slow
def test_four_writers_lose_nothing(db_url: str) -> None:
    Store.open(db_url, seed=False).close()  # create the schema once, as `govlab init` would
    context = mp.get_context("spawn")
    errors = context.Queue()
    processes = [context.Process(target=_writer, args=(db_url, w, errors)) for w in range(WORKERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=240)
    problems = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    assert problems == []
    assert all(process.exitcode == 0 for process in processes)

    store = Store.open(db_url, seed=False)
    assert store.count() == WORKERS * EACH
    with store.reading() as tx:
        revisions = tx.conn.execute(select(func.count()).select_from(t.revisions)).scalar_one()
        per_practice = tx.conn.execute(
            select(t.revisions.c.practice_id, func.count())
            .group_by(t.revisions.c.practice_id)
            .having(func.count() != 2)
        ).all()
    assert revisions == WORKERS * EACH * 2
    assert per_practice == []
    assert store.get("w3-practice-199").summary == "edited 199"
    assert store.search("worker", topic="load", limit=0).total == WORKERS * EACH
    store.close()
