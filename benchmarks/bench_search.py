"""Search latency at 100,000 practices: SQLite FTS5, PostgreSQL tsvector, and a pandas scan.

The library is made by ``govlab.library.generate`` (synthetic, labelled so): Zipf-skewed
English stop words, public-administration words, subject words and a 5,000-word
pseudo-word tail, with the seed library's field lengths (a summary of at most 300
characters, about 1,500 characters of text per practice; the seed's average is 1,200).
It is loaded with ``Tx.bulk_insert`` and the SQLite file is cached under
``benchmarks/out/`` (gitignored);
PostgreSQL is a throwaway server, loaded and then ``VACUUM ANALYZE``d as autovacuum
would do.

The 200 queries (seeded) are what a person types into a practice library: one or two
domain words of one subject (two of the same subject, like "eviction tenants"), drawn
evenly from the ~270 words of ``SUBJECTS`` that are not, once stemmed, a general
public-administration word or a stop word. That is a choice, stated here because it
matters: domain words are of middle frequency, each in roughly 1% to 30% of practices
(topic and technology names like "transit" or "dashboard" are at the top, since every
practice tagged with them says them), so a query matches hundreds to tens of thousands
of practices before its filters, and a few to a few thousand after. General words are
in most practices ("digital" in half, "data" in all), and stop words in all; a search
box sees them too, so 40 queries of one general subject word ("online", "portal",
"performance"...) are timed apart and reported as ``sqlite_common_words_*``, outside
the target. Each query has one or two facet filters (country, level, sector, topic or
stage, values uniform), asks for the facet counts and the first page of 20 by
relevance. The SQLite file is read through once (so that the OS cache holds it, as on
a machine where the library is in use: a cold disk adds waits that depend on whatever
else the machine did), and ten other queries warm each engine, as a running service
would be warm; the first search, which also builds SQLite's in-memory facet index, is
timed apart.

The service engine is ``govlab serve`` on the PostgreSQL library, asked over HTTP by
one caller with a member's token: it searches through its SQLite copy of the practices
(``govlab.library.search.mirror``), so its totals must equal SQLite's. The service
makes that copy in the background when it starts (PostgreSQL answers meanwhile); the
time from its first answer until its health says the copy is ready is ``service_copy_s``, and the
first search after that is timed apart (``service_first_ms``).

The pandas scan answers the same queries over a DataFrame of the same library
(lower-cased title and body, facet columns): ``str.contains`` per word, the filters,
``value_counts`` per facet and the first 20 rows.

    python benchmarks/bench_search.py [--n 100000] [--queries 200] [--passes 3] [--no-postgres]

The engines' percentiles are over every pass (600 timings by default), since this
machine's speed drifts by a third within minutes; each pass's own p95 is printed too.
The scan runs once (it takes minutes).

Prints p50/p95 per engine (latency, and for SQLite also CPU time, since the machine
may be shared), the ratios to the scan, and the load average; JSON on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
FILTERS = ("country", "level", "sector", "topic", "stage")
Queries = list[tuple[str, dict[str, str]]]


def library_file(n: int) -> Path:
    """The cached SQLite library: its name changes when the generator's code changes."""
    import hashlib

    from govlab.library import generate

    source = Path(generate.__file__).read_bytes()
    return OUT / f"search_{n}_{hashlib.sha1(source).hexdigest()[:8]}.db"


def build(url: str, n: int, batch: int = 5000) -> float:
    """Fill the library at ``url`` up to ``n`` generated practices; seconds spent."""
    from govlab.library import Store
    from govlab.library.generate import generate_practices

    store = Store.open(url, seed=False)
    have = store.count()
    started = time.perf_counter()
    for start in range(have, n, batch):
        size = min(batch, n - start)
        with store.transaction() as tx:
            tx.bulk_insert(generate_practices(size, seed=start, start=start), by="bench")
    if have < n and store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    spent = time.perf_counter() - started
    if have < n:
        print(f"built {n - have} practices in {spent:.0f} s: {store.url}", flush=True)
    store.close()
    return spent


def subject_words() -> tuple[dict[str, list[str]], list[str]]:
    """Each subject's domain words, and the subject words that are general words too.

    A subject word is general when it shares its stem with a general public-administration
    word or a stop word ("projects" and "project", "digital" and "digital"): such words
    are in a third to all of the practices, not of middle frequency.
    """
    import sqlite3

    from govlab.library.generate import GENERAL, STOP_WORDS, SUBJECTS

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE w USING fts5(word, tokenize='porter unicode61')")
    db.executemany("INSERT INTO w VALUES (?)", [(word,) for word in [*GENERAL, *STOP_WORDS]])

    def general(word: str) -> bool:
        sql = "SELECT count(*) FROM w WHERE w MATCH ?"
        return bool(db.execute(sql, (f'"{word}"',)).fetchone()[0])

    domain = {
        name: [w for w in words if w.isalpha() and not general(w)]
        for name, words in SUBJECTS.items()
    }
    common = sorted({w for words in SUBJECTS.values() for w in words if w.isalpha() and general(w)})
    return domain, common


def queries(count: int, seed: int = 7, *, common: bool = False) -> Queries:
    """``count`` mixed queries: one or two words, one or two facet filters.

    The words are domain words of one subject, or with ``common`` one subject word that
    is also a general word.
    """
    from govlab.library.generate import COUNTRIES, LEVELS, SECTORS, STAGES, TOPICS

    rng = random.Random(seed)
    values = {
        "country": COUNTRIES,
        "level": sorted(set(LEVELS)),
        "sector": list(SECTORS),
        "topic": TOPICS,
        "stage": STAGES,
    }
    domain, general = subject_words()
    out = []
    for _ in range(count):
        if common:
            words = rng.choice(general)
        else:
            words = " ".join(rng.sample(domain[rng.choice(TOPICS)], rng.choice([1, 1, 2])))
        facets = rng.sample(FILTERS, rng.choice([1, 2]))
        out.append((words, {facet: rng.choice(values[facet]) for facet in facets}))
    return out


def time_engine(
    url: str, qs: Queries, common: Queries | None = None, passes: int = 1
) -> dict[str, Any]:
    """Per query: latency and CPU time (ms) and total; the first (index-building) search.

    CPU time is reported beside latency because the machine may be shared: latency
    then includes waiting for a core, CPU time does not (and on SQLite it includes the
    second thread of a search ranked in two halves). With several ``passes`` the
    queries run again, in the same order, and every pass's timings count.
    """
    from govlab.library import Store

    store = Store.open(url, seed=False)
    if store.dialect == "sqlite":
        _read_through(Path(store.engine.url.database or ""))
    started = time.perf_counter()
    store.search("", limit=20)
    first = (time.perf_counter() - started) * 1000
    for words, filters in queries(10, seed=99):  # other queries: warm, not cached answers
        store.search(words, filters=filters)
    out: dict[str, Any] = {"first_ms": round(first, 1)}
    for name, batch in (("", qs), ("common_", common or [])):
        times, cpu, totals, per_pass = [], [], [], []
        for _ in range(passes):
            took = []
            for words, filters in batch:
                started, used = time.perf_counter(), time.process_time()
                result = store.search(words, filters=filters, limit=20)
                took.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
                totals.append(result.total)
            times += took
            per_pass.append(pct(took, 95) if took else 0.0)
        out |= {f"{name}times": times, f"{name}cpu": cpu, f"{name}totals": totals[: len(batch)]}
        out[f"{name}p95_per_pass"] = per_pass
    store.close()
    return out


def _read_through(path: Path) -> None:
    """Read a file once, so that the OS cache holds it as it would a library in use."""
    with path.open("rb") as file:
        while file.read(1 << 20):
            pass


def pandas_frame(url: str) -> Any:
    """The library as a DataFrame: lower-cased title and body, one column per facet."""
    import pandas as pd
    from sqlalchemy import text

    from govlab.library import Store

    store = Store.open(url, seed=False)
    with store.reading() as tx:
        frame = pd.DataFrame(
            tx.conn.execute(text("SELECT pk, title, body FROM practices ORDER BY pk")).all(),
            columns=["pk", "title", "body"],
        )
        facets = pd.DataFrame(
            tx.conn.execute(text("SELECT pk, facet, value FROM practice_facets")).all(),
            columns=["pk", "facet", "value"],
        )
    store.close()
    frame["title"] = frame["title"].str.lower()
    frame["body"] = frame["body"].str.lower()
    for facet in ("country", "level", "sector", "stage"):
        one = facets[facets["facet"] == facet].set_index("pk")["value"]
        frame[facet] = frame["pk"].map(one)
    topics = facets[facets["facet"] == "topic"].groupby("pk")["value"].agg(list)
    frame["topic"] = frame["pk"].map(topics).apply(lambda v: v if isinstance(v, list) else [])
    return frame


def time_pandas(frame: Any, qs: Queries) -> list[float]:
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


def run_sqlite(
    n: int, qs: Queries, common: Queries, passes: int
) -> tuple[dict[str, object], list[float]]:
    url = f"sqlite:///{library_file(n)}"
    built = build(url, n)
    lite = time_engine(url, qs, common, passes)
    times, totals = lite["times"], lite["totals"]
    figures: dict[str, object] = {
        "sqlite_build_s": round(built),
        "sqlite_first_ms": lite["first_ms"],
        "sqlite_p50_ms": pct(times, 50),
        "sqlite_p95_ms": pct(times, 95),
        "sqlite_p95_ms_per_pass": lite["p95_per_pass"],
        "sqlite_cpu_p50_ms": pct(lite["cpu"], 50),
        "sqlite_cpu_p95_ms": pct(lite["cpu"], 95),
        "median_matches": statistics.median(totals),
        "p95_matches": pct([float(t) for t in totals], 95),
        "max_matches": max(totals),
        "sqlite_common_words_p50_ms": pct(lite["common_times"], 50),
        "sqlite_common_words_p95_ms": pct(lite["common_times"], 95),
        "common_words_median_matches": statistics.median(lite["common_totals"]),
        "sqlite_totals": totals,
    }
    return figures, times


def run_postgres(n: int, qs: Queries, totals: list[int], passes: int) -> dict[str, object]:
    """PostgreSQL figures, and every query whose total differs from SQLite's.

    The two engines stem differently: FTS5's ``porter`` is Porter's 1980 stemmer, the
    PostgreSQL ``english`` configuration its Snowball successor ("kpis" is "kpi" for
    one and stays "kpis" for the other), so a few totals can differ; they are listed.
    """
    from govlab.testing.postgres import throwaway_postgres

    with throwaway_postgres() as pg_url:
        built = build(pg_url, n)
        pg = time_engine(pg_url, qs, passes=passes)
        served = time_service(pg_url, qs, passes=passes)
    differ = [
        {"query": words, "filters": filters, "sqlite": a, "postgres": b}
        for (words, filters), a, b in zip(qs, totals, pg["totals"], strict=True)
        if a != b
    ]
    return {
        "postgres_build_s": round(built),
        "postgres_first_ms": pg["first_ms"],
        "postgres_p50_ms": pct(pg["times"], 50),
        "postgres_p95_ms": pct(pg["times"], 95),
        "postgres_p95_ms_per_pass": pg["p95_per_pass"],
        "postgres_same_totals": not differ,
        "postgres_same_totals_count": f"{len(qs) - len(differ)} of {len(qs)}",
        "postgres_total_differences": differ,
        "service_copy_s": served["copy_s"],
        "service_first_ms": served["first_ms"],
        "service_p50_ms": pct(served["times"], 50),
        "service_p95_ms": pct(served["times"], 95),
        "service_p95_ms_per_pass": served["p95_per_pass"],
        "service_same_totals_as_sqlite": served["totals"] == totals,
        "service_total_differences": [
            {"query": words, "filters": filters, "sqlite": a, "service": b}
            for (words, filters), a, b in zip(qs, totals, served["totals"], strict=True)
            if a != b
        ][:5],
    }


def time_service(pg_url: str, qs: Queries, passes: int) -> dict[str, Any]:
    """The same queries through ``govlab serve`` on the PostgreSQL library (HTTP, one caller).

    The service searches the library through its SQLite copy
    (:mod:`govlab.library.search.mirror`); the first search makes that copy, and is
    timed apart.
    """
    import subprocess
    import tempfile

    import httpx

    from govlab.testing.service import govlab_command, running_service

    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {"GOVLAB_HOME": folder, "GOVLAB_USER": "bench-admin"}
        os.environ.update(GOVLAB_HOME=folder, GOVLAB_USER="bench-admin")
        with running_service(pg_url, "bench-admin", Path(folder)) as service:
            issued = subprocess.run(
                [*govlab_command(), "members", "token", "bench-admin", "--db", pg_url, "--json"],
                capture_output=True, text=True, check=True, env=env,
            )  # fmt: skip
            token = json.loads(issued.stdout)["token"]
            headers = {"Authorization": f"token {token}"}
            with httpx.Client(base_url=service.url, headers=headers, timeout=600) as client:
                copy_s = _wait_for_copy(client, started=time.perf_counter())
                return _time_http(client, qs, passes) | {"copy_s": copy_s}


def _wait_for_copy(client: Any, started: float) -> float:
    """Seconds until the service says its search copy is complete."""
    while not client.get("/api/v1/health").json().get("search_copy_ready"):
        time.sleep(0.5)
    return round(time.perf_counter() - started, 1)


def _time_http(client: Any, qs: Queries, passes: int) -> dict[str, Any]:
    def ask(words: str, filters: dict[str, str]) -> int:
        reply = client.post("/api/v1/search", json={"query": words, **filters, "limit": 20})
        reply.raise_for_status()
        return int(reply.json()["total"])

    started = time.perf_counter()
    ask("", {})
    out: dict[str, Any] = {"first_ms": round((time.perf_counter() - started) * 1000, 1)}
    for words, filters in queries(10, seed=99):
        ask(words, filters)
    times, totals, per_pass = [], [], []
    for _ in range(passes):
        took = []
        for words, filters in qs:
            started = time.perf_counter()
            totals.append(ask(words, filters))
            took.append((time.perf_counter() - started) * 1000)
        times += took
        per_pass.append(pct(took, 95))
    return out | {"times": times, "totals": totals[: len(qs)], "p95_per_pass": per_pass}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--passes", type=int, default=3, help="runs of the queries per engine")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    qs, common = queries(args.queries), queries(args.queries // 5, seed=11, common=True)
    figures: dict[str, object] = {"practices": args.n, "queries": len(qs), "passes": args.passes}
    figures["load_average_at_start"] = round(os.getloadavg()[0], 2)
    lite, times = run_sqlite(args.n, qs, common, args.passes)
    totals = lite.pop("sqlite_totals")
    figures |= lite
    if not args.no_postgres:
        figures |= run_postgres(args.n, qs, totals, args.passes)  # type: ignore[arg-type]
    scan = time_pandas(pandas_frame(f"sqlite:///{library_file(args.n)}"), qs)
    figures["pandas_p50_ms"], figures["pandas_p95_ms"] = pct(scan, 50), pct(scan, 95)
    figures["sqlite_speedup_p50"] = round(statistics.median(scan) / statistics.median(times), 1)
    figures["sqlite_speedup_p95"] = round(pct(scan, 95) / pct(times, 95), 1)
    figures["target_met"] = pct(times, 95) <= 10 and pct(scan, 95) / pct(times, 95) >= 50
    figures["load_average_at_end"] = round(os.getloadavg()[0], 2)
    for key, value in figures.items():
        print(f"{key:>30}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
