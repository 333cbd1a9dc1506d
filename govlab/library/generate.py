"""Synthetic practices at any size, for benchmarks and exercises (labelled as synthetic).

The text imitates how real case studies use words, so that a full-text index
faces the work it would face on a real library:

* **Zipf-skewed pools.** Every word is drawn, with frequency falling as 1/rank inside
  its pool, from one of four pools: English stop words (about 45% of all words, as in
  real prose), general public-administration words (25%), the words of the practice's
  own subjects (12%), and a long tail of 5,000 pseudo-words standing in for the names,
  places and rarer words of real text (18%): ``pseudo_word(i)`` builds them from
  syllables, so they are plainly synthetic and never collide with the real words.
* **Subjects.** Each practice is about one or two of :data:`SUBJECTS` (transit, housing,
  permits ...), chosen to agree with its sector and topics. Its subject words (12%) come
  from a few (:data:`FOCUS`) of each subject's real words, as a real case dwells on a
  few ("eviction", "tenants", and perhaps never "landlord"), ranked first, then from a
  tail of the subject's own pseudo-words (its systems, programmes and jargon); now and
  then (10%) from any subject. So a practice's key word is 1-2% of its words
  (a bus case says "bus" a few times), and "eviction" is in a few thousand practices
  and rarely elsewhere. Calibration: the median subject word is in about 1.8% of
  practices; in the EU JRC catalogue of 853 real cases (descriptions of ~100 words,
  half of ours) the same words' median is 0.35%, so the synthetic library still errs
  on the side of more matches. Topic, sector and technology names are in the text of
  every practice tagged with them, as in the seed library, so "transit" is in about
  10%, "housing" in 17% and "dashboard" in a fifth.
* **Lengths** follow the seed library: a 4-9 word title, a summary of 30-45 words cut
  to at most 300 characters, and each of problem, approach, results and lessons between
  the fewest and the most words that text has in the seed (:data:`TEXT_WORDS`; until
  November 2026 they were 60-150 words each, 2.7 times the seed's length).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence

from govlab.models import SUMMARY_MAX, Practice


def _words(text: str) -> list[str]:
    return text.split()


STOP_WORDS = _words(
    "the of and to a in for is on that by with as was it are be from at this an which or "
    "were has have not its their they but had more also been than all can one who new after "
    "would other into these some when there about over most two them only each such we so our "
    "between through many first while where those both any per under then same no because "
    "within well how could should must may will did out up three before what does very much "
    "without across against during since around every further being"
)

GENERAL = _words(
    "service public city government local data people team staff national project programme "
    "system process support time year information council work use change approach results "
    "department agency needs access quality management plan design cost delivery users "
    "residents number policy case online digital level value staff community partners "
    "improvement evidence officials officers review funding model standard practice processes "
    "costs months weeks years increase reduced faster simpler cheaper fewer better clear shared "
    "decision decisions meeting meetings report reports guidance rules law legal tool tools "
    "capacity resources leaders managers teams frontline training skills culture trust risk "
    "risks target targets outcome outcomes impact measure measures measured trial pilot phase "
    "launch launched rollout scale scaled contract suppliers budget spending savings efficiency "
    "productivity performance problem problems challenge solution solutions options idea ideas "
    "research interviews survey surveys feedback journey journeys channel channels form forms "
    "letter letters phone email website portal platform app account records registry database "
    "network system systems infrastructure cloud software legacy integration interoperability "
    "standards security privacy consent ethics governance oversight accountability openness "
    "region regions municipality municipalities ministry ministries state federal province "
    "county district neighbourhood neighbourhoods town towns village rural urban population "
    "households families children elderly youth women migrants businesses employers workers "
    "volunteers citizens users customers applicants claimants visitors patients students"
)

SUBJECTS: dict[str, tuple[str, ...]] = {
    name: tuple(_words(words))
    for name, words in {
        "311": "requests request complaints hotline reports pothole streetlight graffiti "
        "sidewalk potholes abandoned noise rodent trash tickets triage closure closed",
        "open data": "datasets dataset open portal publish published licence csv api metadata "
        "catalogue reuse download machine-readable releases apis developers hackathon",
        "shared services": "shared consolidation back-office payroll common centralised "
        "municipalities reuse platform economies merger procurement joint hosting",
        "transit": "transit bus buses route routes ridership fare fares stops frequency "
        "schedule riders timetable gtfs rail commuters depot night redesign",
        "performance management": "performance kpi kpis targets metrics scorecard stat "
        "citystat cityscore indicators monitoring accountability benchmark baselines",
        "participatory budgeting": "participatory budgeting ballot vote votes voting "
        "proposals assembly deliberation residents allocation neighbourhood projects",
        "behavioural insights": "behavioural nudge nudges randomised trial letters reminder "
        "reminders default defaults uptake wording experiment treatment control",
        "machine learning": "machine learning model models prediction predictive algorithm "
        "algorithms classifier training bias accuracy ai automated chatbot inspections",
        "digital identity": "identity identification login authentication eid credentials "
        "verification signature wallet single sign-on passport certificate",
        "e-services": "e-services online forms transactions paperless self-service portal "
        "appointments booking applications submit digital-by-default queue",
        "transparency": "transparency spending contracts disclosure accountability "
        "freedom foi lobbying register openness scrutiny audit published",
        "life events": "life events birth marriage death moving retirement bundle "
        "once-only proactive registration journey notification entitlement",
        "procurement": "procurement tender tenders suppliers vendor vendors bids bid "
        "contracts award framework challenge-based startups purchasing",
        "benefits": "benefits welfare claims claimants eligibility payments allowance "
        "unemployment pension entitlement means-tested caseworkers fraud",
        "dashboards": "dashboard dashboards visualisation charts maps map real-time "
        "indicators published weekly interactive public-facing trends",
        "citizen feedback": "feedback comments ratings satisfaction survey sentiment "
        "complaints compliments reviews listening responses replies",
        "customer service": "customer contact centre calls waiting wait queue agents "
        "enquiries first-contact resolution callback courtesy escalation",
        "channel shift": "channel shift online phone counter visits self-service digital "
        "uptake migration cost-per-contact assisted offline",
        "housing": "housing eviction evictions tenant tenants landlord landlords rent "
        "rental affordable homelessness shelter inspection code repairs",
        "permits": "permits permit licence licences licensing inspection inspections "
        "zoning planning approval approvals applicants building construction",
        "public health": "health clinic clinics patients vaccination hospital nurses "
        "screening outbreak care appointments waiting prevention",
        "tax": "tax taxes revenue collection returns filing prefilled arrears "
        "compliance debt taxpayers refunds assessment",
        "energy and climate": "energy climate emissions carbon heat flood resilience "
        "retrofit solar efficiency buildings adaptation",
    }.items()
}

SECTORS: dict[str, tuple[str, ...]] = {
    "Citizen services": ("311", "customer service", "e-services", "channel shift", "life events"),
    "Transport": ("transit", "open data", "dashboards"),
    "Housing": ("housing", "permits", "311"),
    "Public health": ("public health", "machine learning", "behavioural insights"),
    "Participation": ("participatory budgeting", "citizen feedback", "transparency"),
    "Digital government": ("digital identity", "e-services", "shared services", "open data"),
    "Performance management": ("performance management", "dashboards", "open data"),
    "Procurement": ("procurement", "transparency", "shared services"),
    "Welfare": ("benefits", "life events", "behavioural insights"),
    "Revenue": ("tax", "behavioural insights", "e-services"),
    "Environment": ("energy and climate", "open data", "dashboards"),
}
TOPICS = list(SUBJECTS)
COUNTRIES = _words("US GB DE FR ES IT NL SE FI DK EE LT LV PL PT IE BE AT CA AU NZ KR JP SG IN BR")
LEVELS = ["local", "local", "local", "regional", "national", "supranational"]
TECHNOLOGIES = ["mobile app", "web portal", "open data API", "dashboard", "SMS", "GTFS", "chatbot"]
STAGES = ["idea", "pilot", "implemented", "scaled", "diffusing", "retired"]
STATUSES = ["published"] * 18 + ["archived", "submitted"]  # 90% published

POOL_SHARES = {"stop": 0.45, "general": 0.25, "subject": 0.12, "tail": 0.18}
TAIL_SIZE = 5000
FOCUS = 3  # subject words a practice dwells on: an eviction case rarely says "landlords"
SUBJECT_TAIL = 150  # pseudo-words of each subject: its systems, programmes, jargon
# words in each text, drawn evenly between the fewest and the most that text has in the
# seed library (govlab/library/seed/practices.yaml; a test keeps them in step). The
# seed's lengths are skewed to the short side, so the synthetic texts are a little
# longer on average (about 180 words in the four, against 140 in the seed).
TEXT_WORDS = {"problem": (30, 50), "approach": (27, 73), "results": (15, 53), "lessons": (22, 96)}
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def pseudo_word(index: int) -> str:
    """The ``index``-th pseudo-word: three syllables and a closing letter, e.g. ``bafomik``."""
    n = len(SYLLABLES)
    scrambled = (index * 7919 + 12345) % n**3  # 7919 is prime to 98**3: a permutation
    first, second, third = scrambled % n, (scrambled // n) % n, scrambled // n // n
    return SYLLABLES[first] + SYLLABLES[second] + SYLLABLES[third] + "kxq"[index % 3]


class _Pool:
    """Words drawn with Zipf weights (1/rank): rank 1 is the most frequent."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(dict.fromkeys(words))  # without repeats, first place kept
        weights = (1.0 / rank for rank in range(1, len(self.words) + 1))
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


STOP = _Pool(STOP_WORDS)
GENERAL_POOL = _Pool(GENERAL)
TAIL = _Pool([pseudo_word(i) for i in range(TAIL_SIZE)])
SUBJECT_POOLS = {name: _Pool(words) for name, words in SUBJECTS.items()}
SUBJECT_TAILS = {
    name: [pseudo_word(10_000 + 1000 * i + j) for j in range(SUBJECT_TAIL)]
    for i, name in enumerate(SUBJECTS)
}


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def focus(self, subject: str) -> _Pool:
        """The words of ``subject`` one practice uses: a few of its real words, then its tail."""
        words = SUBJECTS[subject]
        chosen = sorted(self.rng.sample(range(len(words)), min(FOCUS, len(words))))
        return _Pool([words[i] for i in chosen] + SUBJECT_TAILS[subject])

    def text(self, count: int, focus: Sequence[_Pool]) -> list[str]:
        """``count`` words mixed from the four pools, the subject words from ``focus``."""
        rng = self.rng
        kinds = rng.choices(list(POOL_SHARES), weights=list(POOL_SHARES.values()), k=count)
        subject_words = []
        for _ in range(kinds.count("subject")):
            stray = rng.random() < 0.1  # now and then a word from any subject
            pool = SUBJECT_POOLS[rng.choice(TOPICS)] if stray else rng.choice(focus)
            subject_words.append(pool.draw(rng, 1)[0])
        drawn = {
            "stop": iter(STOP.draw(rng, kinds.count("stop"))),
            "general": iter(GENERAL_POOL.draw(rng, kinds.count("general"))),
            "subject": iter(subject_words),
            "tail": iter(TAIL.draw(rng, kinds.count("tail"))),
        }
        return [next(drawn[kind]) for kind in kinds]

    def sentence(self, low: int, high: int, focus: Sequence[_Pool]) -> str:
        words = self.text(self.rng.randint(low, high), focus)
        return " ".join(words).capitalize() + "."

    def title(self, focus: Sequence[_Pool]) -> str:
        rng = self.rng
        main = focus[0].draw(rng, rng.randint(2, 4))
        rest = GENERAL_POOL.draw(rng, rng.randint(1, 3)) + STOP.draw(rng, rng.randint(1, 2))
        words = main + rest
        rng.shuffle(words)
        return " ".join(words).capitalize()

    def summary(self, focus: Sequence[_Pool]) -> str:
        text = self.sentence(30, 45, focus)
        if len(text) > SUMMARY_MAX:
            text = text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "."
        return text

    def practice(self, index: int) -> Practice:
        rng = self.rng
        sector = rng.choice(list(SECTORS))
        topics = [rng.choice(SECTORS[sector])]
        for extra in rng.sample(TOPICS, rng.randint(0, 2)):
            if extra not in topics:
                topics.append(extra)
        focus = [self.focus(subject) for subject in topics[:2]]
        status = rng.choice(STATUSES)
        return Practice.model_validate(
            {
                "id": f"synthetic-{index}",
                "title": self.title(focus),
                "summary": self.summary(focus),
                **{name: self.sentence(*words, focus) for name, words in TEXT_WORDS.items()},
                "jurisdiction": f"Synthetic town {rng.randint(1, 5000)}",
                "country": rng.choice(COUNTRIES),
                "level": rng.choice(LEVELS),
                "sector": sector,
                "topics": topics,
                "technologies": rng.sample(TECHNOLOGIES, rng.randint(0, 2)),
                "stage": rng.choice(STAGES),
                "year_started": rng.randint(1995, 2025),
                "evidence_level": rng.choice([None, None, 1, 2, 3, 4, 5]),
                "status": status,
                "author": "synthetic" if status == "published" else f"member-{rng.randint(1, 200)}",
            }
        )


def generate_practices(n: int, *, seed: int = 0, start: int = 0) -> Iterator[Practice]:
    """Yield ``n`` synthetic practices (ids ``synthetic-<start>`` on), reproducible for a seed.

    Parameters
    ----------
    n
        How many practices.
    seed
        Seed of the random generator: the same seed and ``start`` give the same practices.
    start
        Number of the first id, so that batches can be generated one after another.
    """
    writer = _Writer(seed)
    for index in range(start, start + n):
        yield writer.practice(index)
