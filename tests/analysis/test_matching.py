from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govlab.analysis import matching
from govlab.errors import InvalidInput


def three_places() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["A", "B", "C"],
            "population": [10_000, 100_000, 1_000_000],
            "budget": [10_000_000, 100_000_000, 1_000_000_000],  # 1,000 per head each
            "topics": [["transport"], "Transport", "waste"],
        }
    )


def test_similarity_hand_values() -> None:
    sim = matching.jurisdiction_similarity(three_places())
    # log10 population 4, 5, 6 -> z = -1.2247, 0, 1.2247 (population std sqrt(2/3));
    # budget per head all 1,000 -> z = 0; topics: A, B transport, C waste.
    # A = [-1.2247, 0, 1, 0], B = [0, 0, 1, 0], C = [1.2247, 0, 0, 1]
    # cos(A, B) = 1 / sqrt(2.5) = 0.6325; cos(A, C) = -1.5 / 2.5 = -0.6; cos(B, C) = 0
    assert sim.loc["A", "B"] == pytest.approx(1 / math.sqrt(2.5))
    assert sim.loc["A", "C"] == pytest.approx(-0.6)
    assert sim.loc["B", "C"] == pytest.approx(0.0)
    assert np.allclose(np.diag(sim), 1.0)
    assert np.allclose(sim, sim.T)


def test_similarity_weights_and_bad_input() -> None:
    only_topics = matching.jurisdiction_similarity(
        three_places(), weights={"population": 0, "budget": 0}
    )
    assert only_topics.loc["A", "B"] == pytest.approx(1.0)  # same topics, size ignored
    bad = three_places().assign(population=[10, 0, 5])
    with pytest.raises(InvalidInput, match=r"profiles, row 1, column 'population'"):
        matching.jurisdiction_similarity(bad)


def practices() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["p1", "p2", "p3"],
            "title": ["One-stop transport app", "Regional bus data", "Waste pickup"],
            "topics": ["transport; digital", ["transport"], "waste"],
            "level": ["local", "regional", "local"],
            "evidence_level": [5, 3, None],
            "adopted_by": ["A; C", "B", ""],
        }
    )


def test_what_worked_for_hand_scores() -> None:
    mine = {"topics": ["transport", "digital"], "level": "local"}
    out = matching.what_worked_for(mine, practices())
    # p1: overlap 2/2 = 1, same level 1, evidence (5-1)/4 = 1 -> .45 + .2 + .25 = 0.9
    # p2: overlap 1/2, next level up 0.5, evidence (3-1)/4 = 0.5 -> .225 + .1 + .125 = 0.45
    # p3: overlap 0, same level 1, not reviewed 0 -> 0.2
    assert out["id"].tolist() == ["p1", "p2", "p3"]
    assert out["score"].tolist() == pytest.approx([0.9, 0.45, 0.2])
    assert (
        out["why"].iloc[0]
        == "addresses digital, transport; same level (local); evidence level 5 of 5"
    )
    assert out["why"].iloc[2] == "no topic in common; same level (local); evidence not yet reviewed"
    assert len(matching.what_worked_for(mine, practices(), top=2)) == 2


def test_what_worked_for_peers() -> None:
    mine = {"topics": ["transport"], "population": 100_000, "budget_per_capita": 1000}
    places = three_places().drop(columns="budget").assign(budget_per_capita=1000)
    out = matching.what_worked_for(mine, practices(), places).set_index("id")
    # with me added: log10 population 4, 5, 6, 5 -> z = -1.414, 0, 1.414, 0 (std sqrt(.5));
    # me = [0, 0, 1, 0] equals B -> 1; A = [-1.414, 0, 1, 0] -> 1/sqrt(3) = 0.577; C -> 0
    assert out.loc["p2", "peer_adoption"] == pytest.approx(1.0)
    assert out.loc["p1", "peer_adoption"] == pytest.approx(1 / math.sqrt(3))
    assert "adopted by A (similarity 0.58)" in out.loc["p1", "why"]
    assert out.loc["p3", "peer_adoption"] == 0.0
    with pytest.raises(InvalidInput, match="needs a population"):
        matching.what_worked_for({"topics": ["transport"]}, practices(), places)
    with pytest.raises(InvalidInput, match="the profile needs topics"):
        matching.what_worked_for({"level": "local"}, practices())


def test_what_worked_for_on_the_eu_catalogue(samples: Callable[[str, str], Path]) -> None:
    cases = pd.read_csv(samples("eu_innovative_public_services", "ips_cases_2022.csv"))
    library = pd.DataFrame(
        {
            "id": cases["cid"].astype(str),
            "title": cases["name"],
            "country": cases["geocoverage_codes"],
            "level": cases["geoextent"].str.lower(),
            "topics": cases["primary_sector"].fillna(""),
        }
    )
    out = matching.what_worked_for({"topics": ["Health"], "level": "local"}, library, top=10)
    # 119 health cases in the catalogue, some of them local: those come first
    local_health = library[(library["topics"] == "Health") & (library["level"] == "local")]
    assert len(local_health) >= 10
    assert set(out["id"]) <= set(local_health["id"])
    assert (out["why"] == "addresses health; same level (local); evidence not yet reviewed").all()
    assert out["score"].tolist() == pytest.approx([0.65] * 10)  # 0.45 * 1 + 0.2 * 1
