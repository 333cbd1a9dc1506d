"""A long import does not freeze the readers: opening and searching take no write lock.

One process holds SQLite's write lock for 60 s (an import: one write transaction
saving practice after practice); another opens the library afresh and searches every
100 ms. Before the fix, opening ran the migration check and seeding in a write
transaction: the reader waited up to the busy timeout and then failed with a
"database is locked" traceback.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

IMPORT_SECONDS = 60.0
EVERY = 0.1


def _slow_import(url: str, started: object, seconds: float) -> None:
    from govlab.library import Store
    from govlab.models import Practice

    store = Store.open(url, seed=False)
    with store.transaction() as tx:  # BEGIN IMMEDIATE: the write lock, until commit
        started.set()  # type: ignore[attr-defined]
        deadline, n = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            tx.save(Practice(id=f"imported-{n:05d}", title=f"Imported {n}"), by="importer")
            n += 1
            time.sleep(0.02)
    store.close()


def _search_times(url: str, seconds: float) -> tuple[list[float], list[int]]:
    """Open the library afresh and search, every 100 ms for ``seconds``: (times, totals)."""
    import govlab

    times, totals = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        began = time.perf_counter()
        with govlab.open_library(url, "reader", show_guidelines=False) as library:
            totals.append(library.search("transit").total)
        times.append(time.perf_counter() - began)
        time.sleep(EVERY)
    return times, totals


@pytest.mark.slow
def test_searches_answer_while_an_import_holds_the_write_lock(govlab_home: Path) -> None:
    govlab_home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{govlab_home / 'library.db'}"
    import govlab

    govlab.open_library(url, "reader", show_guidelines=False).close()  # created and seeded
    usual, before = _search_times(url, 3)

    context = mp.get_context("spawn")
    started = context.Event()
    writer = context.Process(target=_slow_import, args=(url, started, IMPORT_SECONDS))
    writer.start()
    assert started.wait(60)
    during, totals = _search_times(url, IMPORT_SECONDS - 5)
    writer.join(IMPORT_SECONDS + 60)
    assert writer.exitcode == 0

    assert len(during) >= 0.8 * (IMPORT_SECONDS - 5) / (EVERY + statistics.median(usual))
    assert max(during) < 2.0, f"a search waited {max(during):.1f} s"
    assert statistics.median(during) < 5 * statistics.median(usual) + 0.05
    assert set(totals) == set(before)  # the import's rows are invisible until it commits


def test_opening_a_ready_library_imports_no_alembic(govlab_home: Path) -> None:
    govlab_home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{govlab_home / 'library.db'}"
    code = (
        "import sys, govlab\n"
        f"govlab.open_library({url!r}, 'reader', show_guidelines=False).search('bus')\n"
        "print('alembic' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True", "False"), first.stderr
