"""30 participants on the govlab service for 60 s: latency, errors, and no write lost.

The library is PostgreSQL (a throwaway server from the machine's binaries) holding
10,000 generated practices (``govlab.library.generate``: synthetic, labelled so),
loaded with the store's bulk insert. ``govlab serve`` runs in its own processes
(one worker, as deploy/ runs it); 30 participants, each an async HTTP client with its own token,
do what a workshop does at a participant's pace (a request every 0.5-1.5 s):
search, open a practice, read its discussion, look at the leaderboard, rate,
comment, check in on their adoption. Afterwards every write is looked for in the
library: comments and check-ins counted, each participant's last rating compared.

    flock /tmp/govlab-heavy.lock .venv/bin/python benchmarks/bench_service.py

The last line is JSON: read_p95_ms, write_p95_ms, errors, requests, writes_lost
(and p50s, the mix, and search through the service alone).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PARTICIPANTS = 30
ADMIN = "lead"
# what a participant does next, and how often (reads first)
MIX = {
    "search": 30,
    "get": 20,
    "comments": 10,
    "leaderboard": 12,
    "rate": 10,
    "comment": 10,
    "check_in": 8,
}
WRITES = {"rate", "comment", "check_in"}


@dataclass
class Participant:
    name: str
    token: str
    adoption: int
    rng: random.Random
    comments: int = 0
    checkins: int = 0
    ratings: dict[str, int] = field(default_factory=dict)


@dataclass
class Tally:
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)


def build(url: str, n: int) -> list[str]:
    """Fill the library with ``n`` generated practices; the ids of the published ones."""
    from govlab.community.session import open_library
    from govlab.library import Store
    from govlab.library.generate import generate_practices

    store = Store.open(url, seed=False, creator=ADMIN)
    started = time.perf_counter()
    for start in range(0, n, 5000):
        with store.transaction() as tx:
            tx.bulk_insert(
                generate_practices(min(5000, n - start), seed=start, start=start), by="bench"
            )
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    store.close()
    print(f"loaded {n} practices in {time.perf_counter() - started:.0f} s", flush=True)
    with open_library(url, user=ADMIN, seed=False, show_guidelines=False) as lead:
        assert str(lead.role) == "admin"
    return [p.id for p in generate_practices(n) if p.status.value == "published"]


def cohort(url: str, published: list[str], token_path: Path) -> list[Participant]:
    """30 members, each adopting one practice, each with a service token."""
    from govlab.community.session import open_library
    from govlab.service.tokens import TokenFile

    tokens = TokenFile(token_path)
    people = []
    with open_library(url, user=ADMIN, seed=False, show_guidelines=False) as lead:
        for number in range(1, PARTICIPANTS + 1):
            name = f"p{number:02d}"
            lead.add_member(name)
            with open_library(url, user=name, seed=False, show_guidelines=False) as me:
                adoption = me.adopt(published[number], f"Town {number}").id
            token = tokens.issue(lead, name, days=1)
            people.append(Participant(name, token, adoption, random.Random(number)))
    return people


async def participant(
    who: Participant, base: str, published: list[str], words: list[str], until: float, tally: Tally
) -> None:
    headers = {"Authorization": f"token {who.token}"}
    kinds, weights = list(MIX), list(MIX.values())
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        await asyncio.sleep(who.rng.uniform(0, 1.0))  # people do not start in step
        while time.monotonic() < until:
            kind = who.rng.choices(kinds, weights)[0]
            method, body = request(kind, who, published, words)
            started = time.perf_counter()
            try:
                reply = await client.post(f"/api/v1/{method}", json=body)
                ok = reply.status_code == 200
            except httpx.HTTPError as error:
                ok, reply = False, None
                tally.samples.append(f"{kind}: {error!r}")
            tally.latency[kind].append((time.perf_counter() - started) * 1000)
            if not ok:
                tally.errors[kind] += 1
                if reply is not None and len(tally.samples) < 10:
                    tally.samples.append(f"{kind}: {reply.status_code} {reply.text[:200]}")
            elif kind in WRITES:
                remember(kind, who, body)
            await asyncio.sleep(who.rng.uniform(0.5, 1.5))


def request(kind: str, who: Participant, published: list[str], words: list[str]) -> tuple[str, Any]:
    rng = who.rng
    practice = rng.choice(published[:500])  # a workshop talks about a few hundred practices
    if kind == "search":
        query = " ".join(rng.sample(words, rng.choice((1, 1, 2))))
        return "search", {"query": query, "limit": 20, **rng.choice(({}, {"sort": "rating"}))}
    if kind == "get":
        return "get", {"practice_id": practice}
    if kind == "comments":
        return "comments", {"practice_id": practice}
    if kind == "leaderboard":
        return "leaderboard", {"limit": 10}
    if kind == "rate":
        return "rate", {"practice_id": practice, "stars": rng.randint(1, 5)}
    if kind == "comment":
        return "comment", {
            "practice_id": practice,
            "text": f"bench note {who.comments + 1} by {who.name}",
        }
    day = f"2026-{1 + who.checkins // 28 % 12:02d}-{1 + who.checkins % 28:02d}"
    return "check_in", {
        "adoption_id": who.adoption,
        "day": day,
        "status": "in_progress",
        "progress": min(100, who.checkins),
    }


def remember(kind: str, who: Participant, body: dict[str, Any]) -> None:
    if kind == "rate":
        who.ratings[body["practice_id"]] = body["stars"]
    elif kind == "comment":
        who.comments += 1
    else:
        who.checkins += 1


def lost_writes(url: str, people: list[Participant]) -> dict[str, int]:
    """Every acknowledged write looked for in the library (as each participant)."""
    from govlab.community.session import open_library

    lost: Counter[str] = Counter()
    with open_library(url, user=ADMIN, seed=False, show_guidelines=False) as lead:
        for who in people:
            mine = lead.audit_log(actor=who.name, action="comment.add")
            lost["comment"] += abs(who.comments - len(mine))
            lost["check_in"] += abs(who.checkins - (len(lead.checkins(who.adoption))))
            with open_library(url, user=who.name, seed=False, show_guidelines=False) as me:
                for practice, stars in who.ratings.items():
                    lost["rate"] += int(me.ratings(practice).mine != stars)
    return dict(lost)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def search_alone(base: str, token: str, words: list[str], count: int = 200) -> float:
    """p95 of search through the service with one caller (the engine's seam, issue 6)."""
    rng, spent = random.Random(7), []
    with httpx.Client(base_url=base, headers={"Authorization": f"token {token}"}) as client:
        for _ in range(count):
            started = time.perf_counter()
            client.post(
                "/api/v1/search", json={"query": rng.choice(words), "limit": 20}
            ).raise_for_status()
            spent.append((time.perf_counter() - started) * 1000)
    return percentile(spent, 95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    from govlab.library.generate import generate_practices
    from govlab.testing.postgres import throwaway_postgres
    from govlab.testing.service import running_service

    with (
        tempfile.TemporaryDirectory(prefix="govlab-bench-service-") as folder,
        throwaway_postgres() as url,
    ):
        published = build(url, args.practices)
        words = sorted(
            {w.lower() for p in generate_practices(300) for w in p.title.split() if len(w) > 4}
        )
        people = cohort(url, published, Path(folder) / "tokens.json")
        extra = ["--tokens", str(Path(folder) / "tokens.json")]
        with running_service(
            url, ADMIN, Path(folder), workers=args.workers, extra=extra
        ) as service:
            base = service.url.rstrip("/")
            for who in people:  # everyone signs in before the clock starts
                headers = {"Authorization": f"token {who.token}"}
                httpx.get(f"{base}/api/v1/whoami", headers=headers).raise_for_status()
            tally = Tally()
            until = time.monotonic() + args.seconds

            async def everyone() -> None:
                await asyncio.gather(
                    *(participant(p, base, published, words, until, tally) for p in people)
                )

            asyncio.run(everyone())
            try:
                alone = search_alone(base, people[0].token, words)
            except httpx.HTTPError:
                print(service.log.read_text()[-3000:])
                raise
        lost = lost_writes(url, people)

    reads = [ms for kind, values in tally.latency.items() if kind not in WRITES for ms in values]
    writes = [ms for kind, values in tally.latency.items() if kind in WRITES for ms in values]
    for kind, values in sorted(tally.latency.items()):
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"{kind:12} {len(values):5} requests  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    for line in tally.samples:
        print("  error:", line)
    print(f"writes acknowledged and not found: {lost}")
    result = {
        "read_p95_ms": round(percentile(reads, 95), 1),
        "write_p95_ms": round(percentile(writes, 95), 1),
        "errors": sum(tally.errors.values()),
        "requests": len(reads) + len(writes),
        "writes_lost": sum(lost.values()),
        "read_p50_ms": round(percentile(reads, 50), 1),
        "write_p50_ms": round(percentile(writes, 50), 1),
        "writes": len(writes),
        "participants": PARTICIPANTS,
        "practices": args.practices,
        "seconds": args.seconds,
        "service_search_p95_ms": round(alone, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
