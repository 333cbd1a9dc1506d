"""The seed practice library: complete, valid, linked, and faithful to the fact sheet.

Expected values below were copied by hand from the project's fact sheet of public
sources (research/initiatives.md), row by row, not from the YAML.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govlab.errors import InvalidInput
from govlab.library import Store
from govlab.library.seed import seed_practices, validate_entries
from govlab.models import EvidenceType, Level, Practice, Stage, Status

SECTORS = {
    "Citizen services",
    "Transport",
    "Performance management",
    "Participation",
    "Digital government",
    "Public health",
    "Housing",
    "Procurement",
    "Welfare",
    "Revenue",
    "Regulation",
    "Transparency",
    "Workforce",
    "Health finance",
    "Data infrastructure",
    "Payments",
    "Identity",
}

# Start years as the fact sheet gives them (row number in the comment). Rows whose
# start is "?" or only an evaluation year are in NO_START_YEAR instead.
SHEET_START_YEARS = {
    "x-road": 2001,  # 1
    "nyc-311": 2003,  # 2
    "citizens-connect": 2009,  # 3
    "commonwealth-connect": 2012,  # 4
    "citistat": 2000,  # 5
    "kcstat": 2011,  # 6
    "chicago-food-inspection-forecasting": 2015,  # 7
    "houston-metro-system-reimagining": 2015,  # 8
    "seoul-owl-bus": 2013,  # 9
    "stockholm-congestion-tax": 2006,  # 11: 2006 trial
    "tfl-open-data": 2007,  # 12: ~2007
    "barcelona-decidim-pam": 2016,  # 13
    "decide-madrid": 2015,  # 14
    "paris-budget-participatif": 2014,  # 15
    "porto-alegre-participatory-budgeting": 1989,  # 16
    "vtaiwan-uber": 2015,  # 17
    "ba-obras": 2017,  # 18
    "seoul-digital-mayors-office": 2017,  # 19
    "helsinki-open-ahjo": 2013,  # 20
    "algorithm-registers": 2020,  # 21
    "singapore-moments-of-life": 2018,  # 22
    "gov-uk-notify": 2016,  # 23
    "gov-uk-verify": 2016,  # 24
    "tell-us-once": 2011,  # 25
    "bit-tax-letter-trial": 2011,  # 26
    "gov-uk-performance-platform": 2012,  # 27: ~2012-2021
    "denmark-digital-post": 2014,  # 29
    "india-aadhaar-dbt": 2009,  # 30: 2009 / 2013
    "india-upi": 2016,  # 31
    "rwanda-irembo": 2015,  # 32
    "ukraine-diia": 2020,  # 33
    "ukraine-prozorro": 2016,  # 34
    "getcalfresh": 2014,  # 35
    "us-18f": 2014,  # 36
    "us-digital-service": 2014,  # 37
    "ozg-einer-fuer-alle": 2017,  # 38
    "arkansas-payment-improvement": 2011,  # 44
    "estonia-e-residency": 2014,  # 45
    "better-reykjavik": 2010,  # 45: ~2010
}
NO_START_YEAR = {
    "gov-uk-step-by-step",  # 28: "?"
    "boulder-eviction-prevention",  # 39: "evaluated 2024"
    "louisville-metro-badges",  # 40
    "latvia-e-index",  # 41
    "peru-indecopi-barrier-dashboards",  # 42
    "adur-worthing-low-code",  # 43
}
# Row 10 (ATSAC) gives only "completed 2013"; the start predates it.

# Rows whose figures carry [claim], [official projection], [DWP estimate] or
# [govt claim, contested]: every outcome recorded for them must be self-reported.
CLAIM_ROWS = {
    "x-road",  # 1
    "citistat",  # 5
    "la-atsac",  # 10
    "gov-uk-notify",  # 23
    "tell-us-once",  # 25
    "india-aadhaar-dbt",  # 30
    "ukraine-prozorro",  # 34
}


@pytest.fixture(scope="module")
def practices() -> dict[str, Practice]:
    return {practice.id: practice for practice in seed_practices()}


def outcome(practice: Practice, words: str) -> float | None:
    """The value of the one outcome whose indicator contains `words`."""
    found = [o for o in practice.outcomes if words.lower() in o.indicator.lower()]
    assert len(found) == 1, f"{practice.id}: {len(found)} outcomes match {words!r}"
    return found[0].value


def test_every_row_of_the_sheet_is_a_practice(practices: dict[str, Practice]) -> None:
    # 45 rows; row 45 holds two initiatives -> 46 practices, ids unique.
    loaded = seed_practices()
    assert len(loaded) >= 46
    assert len({practice.id for practice in loaded}) == len(loaded)
    expected = set(SHEET_START_YEARS) | NO_START_YEAR | {"la-atsac"}
    assert len(expected) == 46
    assert expected <= set(practices)


def test_related_ids_exist_and_are_not_self(practices: dict[str, Practice]) -> None:
    for practice in practices.values():
        assert practice.related, f"{practice.id} has no related practice"
        for other in practice.related:
            assert other in practices, f"{practice.id} -> unknown {other}"
            assert other != practice.id


def test_every_practice_is_complete(practices: dict[str, Practice]) -> None:
    for practice in practices.values():
        where = practice.id
        assert practice.sources, where
        assert all(source.url.startswith("https://") for source in practice.sources), where
        assert all(source.title for source in practice.sources), where
        assert practice.country and practice.level and practice.stage, where
        assert practice.sector in SECTORS, where
        assert 2 <= len(practice.topics) <= 5, where
        assert all(topic == topic.lower() for topic in practice.topics), where
        assert practice.technologies, where
        assert len(practice.summary) <= 300, where
        for text in (practice.problem, practice.approach, practice.results, practice.lessons):
            assert len(text) > 80, where
        assert practice.status is Status.published, where
        assert practice.author == "govlab-seed" and practice.language == "en", where
        assert practice.evidence_level is not None, where


def test_start_years_follow_the_sheet(practices: dict[str, Practice]) -> None:
    for practice_id, year in SHEET_START_YEARS.items():
        assert practices[practice_id].year_started == year, practice_id
    for practice_id in NO_START_YEAR:
        assert practices[practice_id].year_started is None, practice_id
    atsac = practices["la-atsac"].year_started
    assert atsac is not None and atsac <= 2013


def test_claims_are_recorded_as_self_reported(practices: dict[str, Practice]) -> None:
    for practice_id in CLAIM_ROWS:
        practice = practices[practice_id]
        assert practice.outcomes, practice_id
        for item in practice.outcomes:
            assert item.evidence_type is EvidenceType.self_reported, practice_id
        assert practice.evidence_level is not None and practice.evidence_level <= 2


def test_evidence_level_matches_the_strongest_evidence(practices: dict[str, Practice]) -> None:
    # 1-2 self-reported (or nothing), 3-4 audited / evaluated, 5 randomised.
    bands = {
        EvidenceType.self_reported: {1, 2},
        EvidenceType.audited: {3, 4},
        EvidenceType.evaluated: {3, 4},
        EvidenceType.randomised: {5},
    }
    order = list(bands)
    for practice in practices.values():
        types = [item.evidence_type for item in practice.outcomes] or [EvidenceType.self_reported]
        strongest = max(types, key=order.index)
        assert practice.evidence_level in bands[strongest], practice.id
    if not practices["kcstat"].outcomes:  # "Qualitative only": nothing to count
        assert practices["kcstat"].evidence_level == 1


def test_flagship_cases_point_to_their_case_studies(practices: dict[str, Practice]) -> None:
    assert practices["commonwealth-connect"].case_study == "shared-portal"
    assert practices["houston-metro-system-reimagining"].case_study == "transit-network"
    assert practices["seoul-owl-bus"].case_study == "transit-network"
    assert practices["nyc-311"].case_study == "service-performance-311"
    # the shared-portal family is linked both ways
    connect = practices["commonwealth-connect"]
    assert {"citizens-connect", "ozg-einer-fuer-alle"} <= set(connect.related)
    assert "commonwealth-connect" in practices["citizens-connect"].related
    assert "commonwealth-connect" in practices["ozg-einer-fuer-alle"].related
    assert "seoul-owl-bus" in practices["houston-metro-system-reimagining"].related
    assert "houston-metro-system-reimagining" in practices["seoul-owl-bus"].related


def test_flagship_facts(practices: dict[str, Practice]) -> None:
    connect = practices["commonwealth-connect"]
    assert connect.level is Level.regional and connect.country == "US"
    assert connect.stage is Stage.diffusing
    # row 4: "$400k grant" and "54 municipalities by June 2013"
    assert [(c.amount, c.currency, c.kind.value) for c in connect.costs] == [
        (400_000, "USD", "one-off")
    ]
    assert outcome(connect, "municipalities") == 54
    # row 8: "Local bus ridership +4.3%, Sundays +30%"
    houston = practices["houston-metro-system-reimagining"]
    assert outcome(houston, "local bus ridership") == pytest.approx(4.3)
    assert outcome(houston, "sunday") == 30
    # row 9: ">2M fewer car trips per year"
    assert outcome(practices["seoul-owl-bus"], "car trips") == 2_000_000


def test_spot_checked_figures(practices: dict[str, Practice]) -> None:
    # row 29: "91% of people; 141M letters in 2018"; "~DKK 2bn/yr"
    post = practices["denmark-digital-post"]
    assert outcome(post, "share of people") == 91
    assert outcome(post, "letters") == 141_000_000
    assert outcome(post, "savings") == 2_000_000_000
    # row 33: "19.4M users, Aug 2023"
    assert outcome(practices["ukraine-diia"], "users") == 19_400_000
    # row 39: "96% vs 58% eviction prevention": value 96 against baseline 58
    boulder = practices["boulder-eviction-prevention"].outcomes[0]
    assert (boulder.value, boulder.baseline) == (96, 58)
    assert boulder.evidence_type is EvidenceType.evaluated
    # row 26: "GBP 160M advanced in 6 weeks", a randomised trial
    bit = practices["bit-tax-letter-trial"]
    assert outcome(bit, "brought forward") == 160_000_000
    assert bit.outcomes[0].evidence_type is EvidenceType.randomised
    assert bit.evidence_level == 5
    # row 24: "3.6M users vs 25M target; 48% success rate (NAO 2019)"
    verify = practices["gov-uk-verify"]
    assert outcome(verify, "signed up") == 3_600_000
    assert outcome(verify, "succeeded") == 48
    assert all(item.evidence_type is EvidenceType.audited for item in verify.outcomes)
    # row 30: "~INR 27,000 crore" = 27,000 x 10^7 = 2.7 x 10^11 rupees
    assert outcome(practices["india-aadhaar-dbt"], "savings") == 270_000_000_000
    # row 32: "5 services at launch, 103 in 2023"
    irembo = practices["rwanda-irembo"].outcomes[0]
    assert (irembo.baseline, irembo.value) == (5, 103)
    # row 10: "$410M", "Travel time -12% [official projection]"
    atsac = practices["la-atsac"]
    assert atsac.costs[0].amount == 410_000_000
    assert outcome(atsac, "travel time") == -12
    # row 2: "15.3M calls in 2007"
    assert outcome(practices["nyc-311"], "calls") == 15_300_000


def test_stages_from_the_sheet(practices: dict[str, Practice]) -> None:
    for retired in ("gov-uk-performance-platform", "gov-uk-verify"):
        assert practices[retired].stage is Stage.retired
    assert practices["gov-uk-performance-platform"].year_ended == 2021  # "closed March 2021"
    for spreading in ("commonwealth-connect", "ba-obras", "ozg-einer-fuer-alle"):
        assert practices[spreading].stage is Stage.diffusing


def test_countries_and_levels(practices: dict[str, Practice]) -> None:
    expected = {
        "x-road": ("EE", Level.national),
        "estonia-e-residency": ("EE", Level.national),
        "better-reykjavik": ("IS", Level.local),
        "vtaiwan-uber": ("TW", Level.national),
        "seoul-owl-bus": ("KR", Level.local),
        "tfl-open-data": ("GB", Level.regional),
        "houston-metro-system-reimagining": ("US", Level.regional),
        "getcalfresh": ("US", Level.regional),  # "S" maps to regional
        "ozg-einer-fuer-alle": ("DE", Level.national),
    }
    for practice_id, (country, level) in expected.items():
        practice = practices[practice_id]
        assert (practice.country, practice.level) == (country, level), practice_id


def test_unverified_rows_say_so(practices: dict[str, Practice]) -> None:
    for practice_id in ("us-digital-service", "estonia-e-residency", "better-reykjavik"):
        practice = practices[practice_id]
        assert practice.outcomes == []
        assert "not verified" in practice.results.lower()
    for practice_id in ("helsinki-open-ahjo", "singapore-moments-of-life", "latvia-e-index"):
        assert "no outcome figure found" in practices[practice_id].results.lower()


def test_transit_cases_are_findable_by_word(practices: dict[str, Practice]) -> None:
    for practice_id in ("houston-metro-system-reimagining", "seoul-owl-bus"):
        practice = practices[practice_id]
        assert "transit" in practice.topics
        assert "transit" in practice.body_text().lower()
        assert "transit" in practice.facets()["topic"]


def test_a_bad_entry_is_named_with_its_index_id_and_field() -> None:
    good = {"id": "good-one", "title": "A good practice"}
    bad = {"id": "bad-one", "title": "A bad practice", "country": "XX", "level": "city"}
    with pytest.raises(InvalidInput) as caught:
        validate_entries([good, bad])
    message = str(caught.value)
    assert "practices.yaml, entry 1 (id 'bad-one')" in message
    assert "country:" in message and "level:" in message


def test_a_document_that_is_not_a_list_of_mappings_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="expected a list"):
        validate_entries({"id": "x-road"}, file="mine.yaml")
    with pytest.raises(InvalidInput, match="mine.yaml, entry 0: expected a mapping"):
        validate_entries(["x-road"], file="mine.yaml")


def test_a_new_library_is_seeded_and_finds_the_transit_cases(govlab_home: Path) -> None:
    govlab_home.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{govlab_home / 'library.db'}")
    try:
        assert store.count() == len(seed_practices())
        found = [row.id for row in store.search("transit").results]
        assert {"houston-metro-system-reimagining", "seoul-owl-bus"} <= set(found)
        assert store.get("commonwealth-connect").case_study == "shared-portal"
        # regional, counted by hand: Commonwealth Connect, Houston, TfL, GetCalFresh, Arkansas
        assert store.search("", level="regional", limit=0).total == 5
    finally:
        store.close()
