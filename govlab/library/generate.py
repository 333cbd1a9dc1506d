"""Synthetic practices at any size, for benchmarks and exercises (labelled as synthetic).

Words are drawn with a Zipf-like skew from a public-sector vocabulary, so that
common words match many practices and rare ones few, as in a real library.
Field lengths follow the seed library's: a 30-50 word summary and 60-150 words
for each of problem, approach, results and lessons.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from govlab.models import Practice

VOCABULARY = (
    "service citizens city council residents data portal digital online platform requests "
    "transit bus route network frequency ridership housing eviction permits licence inspection "
    "budget savings cost efficiency performance dashboard kpi backlog response time satisfaction "
    "open transparency procurement contract supplier audit evaluation pilot trial evidence "
    "participation budgeting proposals vote assembly neighbourhood district community feedback "
    "complaint pothole streetlight graffiti waste recycling parks water sanitation health clinic "
    "benefits welfare payments identity verification records registry exchange interoperability "
    "api standard cloud legacy migration lowcode automation machine learning prediction model "
    "analytics sensor traffic signal congestion pricing parking cycling walking safety police "
    "fire emergency dispatch call centre phone app mobile sms email letter notification reminder "
    "tax revenue collection fraud error compliance regulation barrier business startup "
    "workforce training skills badge recognition culture leadership team agile design research "
    "user journey content accessibility language inclusion equity elderly youth schools "
    "libraries energy climate emissions resilience flood heat planning zoning land map "
    "geospatial census population survey interview outcome impact scale adoption municipality "
    "region ministry agency department partnership vendor opensource shared reuse template"
).split()
COUNTRIES = "US GB DE FR ES IT NL SE FI DK EE LT LV PL PT IE BE AT CA AU NZ KR JP SG IN BR".split()
LEVELS = ["local", "local", "local", "regional", "national", "supranational"]
SECTORS = [
    "Citizen services",
    "Transport",
    "Housing",
    "Public health",
    "Participation",
    "Digital government",
    "Performance management",
    "Procurement",
    "Welfare",
    "Revenue",
]
TOPICS = [
    "311",
    "open data",
    "shared services",
    "transit",
    "performance management",
    "participatory budgeting",
    "behavioural insights",
    "machine learning",
    "digital identity",
    "e-services",
    "transparency",
    "life events",
    "procurement",
    "benefits",
    "dashboards",
    "citizen feedback",
    "customer service",
    "channel shift",
]
TECHNOLOGIES = ["mobile app", "web portal", "open data API", "dashboard", "SMS", "GTFS", "chatbot"]
STAGES = ["idea", "pilot", "implemented", "scaled", "diffusing", "retired"]


def _zipf_weights(n: int, skew: float = 1.0) -> list[float]:
    return [1.0 / (rank + 1) ** skew for rank in range(n)]


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.weights = _zipf_weights(len(VOCABULARY))

    def words(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        return " ".join(self.rng.choices(VOCABULARY, weights=self.weights, k=count)).capitalize()

    def practice(self, index: int) -> Practice:
        rng = self.rng
        title = self.words(3, 8)
        return Practice(
            id=f"synthetic-{index}",
            title=title,
            summary=self.words(20, 35)[:290] + ".",
            problem=self.words(60, 150) + ".",
            approach=self.words(60, 150) + ".",
            results=self.words(60, 150) + ".",
            lessons=self.words(60, 150) + ".",
            jurisdiction=f"Synthetic town {rng.randint(1, 5000)}",
            country=rng.choice(COUNTRIES),
            level=rng.choice(LEVELS),
            sector=rng.choice(SECTORS),
            topics=rng.sample(TOPICS, rng.randint(1, 4)),
            technologies=rng.sample(TECHNOLOGIES, rng.randint(0, 2)),
            stage=rng.choice(STAGES),
            year_started=rng.randint(1995, 2025),
            status="published",
            author="synthetic",
        )


def generate_practices(n: int, *, seed: int = 0, start: int = 0) -> Iterator[Practice]:
    """Yield ``n`` synthetic practices (ids ``synthetic-<i>``), reproducible for a seed."""
    writer = _Writer(seed)
    for index in range(start, start + n):
        yield writer.practice(index)
