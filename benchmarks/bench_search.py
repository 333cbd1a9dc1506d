"""Search latency at 100,000 practices: SQLite FTS5, PostgreSQL tsvector, and a pandas scan.

Builds a library of generated practices (cached under benchmarks/out/ for SQLite),
runs the same 200 mixed queries on each engine (one or two words, one or two facet
filters, facet counts and the first page of 20), and prints p50/p95 per engine and
the ratio to the scan. JSON on the last line.

    python benchmarks/bench_search.py [--n 100000] [--queries 200] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
FILTERS = ("country", "level", "sector", "topic", "stage")


def build(url: str, n: int, batch: int = 2000) -> None:
    from govlab.library import Store
    from govlab.library.generate import generate_practices

    store = Store.open(url, seed=False)
    have = store.count()
    started = time.perf_counter()
    for start in range(have, n, batch):
        size = min(batch, n - start)
        store.save_all(generate_practices(size, seed=start, start=start), by="bench")
    if have < n:
        print(f"built {n - have} practices in {time.perf_counter() - started:.0f} s: {url}")
    store.close()


def queries(count: int, seed: int = 7) -> list[tuple[str, dict[str, str]]]:
    from govlab.library.generate import COUNTRIES, LEVELS, SECTORS, STAGES, TOPICS, VOCABULARY

    rng = random.Random(seed)
    values = {
        "country": COUNTRIES,
        "level": sorted(set(LEVELS)),
        "sector": SECTORS,
        "topic": TOPICS,
        "stage": STAGES,
    }
    # query words skew to the common half of the vocabulary, as people type common words
    common = VOCABULARY[: len(VOCABULARY) // 2]
    out = []
    for _ in range(count):
        words = " ".join(rng.sample(common, rng.choice([1, 1, 2])))
        facets = rng.sample(FILTERS, rng.choice([1, 2]))
        out.append((words, {facet: rng.choice(values[facet]) for facet in facets}))
    return out


def time_engine(url: str, qs: list[tuple[str, dict[str, str]]]) -> tuple[list[float], list[int]]:
    from govlab.library import Store

    store = Store.open(url, seed=False)
    for words, filters in qs[:10]:  # warm the caches, as a running service would be
        store.search(words, filters=filters)
    times, totals = [], []
    for words, filters in qs:
        started = time.perf_counter()
        result = store.search(words, filters=filters, limit=20)
        times.append((time.perf_counter() - started) * 1000)
        totals.append(result.total)
    store.close()
    return times, totals


def pandas_frame(url: str):  # type: ignore[no-untyped-def]
    import pandas as pd

    from govlab.library import Store

    store = Store.open(url, seed=False)
    with store.reading() as tx:
        practices = tx.practices()
    store.close()
    rows = [
        {
            "id": p.id,
            "title": p.title.lower(),
            "body": p.body_text().lower(),
            "country": p.country,
            "level": p.level.value if p.level else None,
            "sector": p.sector,
            "stage": p.stage.value if p.stage else None,
            "topic": list(p.topics),
        }
        for p in practices
    ]
    return pd.DataFrame(rows)


def time_pandas(frame, qs: list[tuple[str, dict[str, str]]]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for words, filters in qs:
        started = time.perf_counter()
        mask = None
        for word in words.split():
            hit = frame["title"].str.contains(word, regex=False) | frame["body"].str.contains(
                word, regex=False
            )
            mask = hit if mask is None else mask & hit
        for facet, value in filters.items():
            if facet == "topic":
                mask &= frame["topic"].map(lambda topics, v=value: v in topics)
            else:
                mask &= frame[facet] == value
        found = frame[mask]
        for facet in ("country", "level", "sector", "stage"):
            found[facet].value_counts()
        found["topic"].explode().value_counts()
        found.head(20)
        times.append((time.perf_counter() - started) * 1000)
    return times


def pct(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    sqlite_url = f"sqlite:///{OUT / f'search_{args.n}.db'}"
    build(sqlite_url, args.n)
    qs = queries(args.queries)
    figures: dict[str, object] = {"practices": args.n, "queries": len(qs)}
    times, totals = time_engine(sqlite_url, qs)
    figures["sqlite_p50_ms"], figures["sqlite_p95_ms"] = pct(times, 50), pct(times, 95)
    figures["median_matches"] = statistics.median(totals)
    if not args.no_postgres:
        from govlab.testing.postgres import throwaway_postgres

        with throwaway_postgres() as pg_url:
            build(pg_url, args.n)
            pg_times, pg_totals = time_engine(pg_url, qs)
        figures["postgres_p50_ms"], figures["postgres_p95_ms"] = (
            pct(pg_times, 50),
            pct(pg_times, 95),
        )
        figures["postgres_same_totals"] = pg_totals == totals
    frame = pandas_frame(sqlite_url)
    scan = time_pandas(frame, qs)
    figures["pandas_p50_ms"], figures["pandas_p95_ms"] = pct(scan, 50), pct(scan, 95)
    figures["sqlite_speedup_p50"] = round(statistics.median(scan) / statistics.median(times), 1)
    figures["sqlite_speedup_p95"] = round(pct(scan, 95) / pct(times, 95), 1)
    figures["target_met"] = figures["sqlite_p95_ms"] <= 10 and figures["sqlite_speedup_p95"] >= 50  # type: ignore[operator]
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
