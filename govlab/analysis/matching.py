"""Places like mine, and what worked for them.

:func:`jurisdiction_similarity` compares jurisdictions by size, spending and the
topics of their challenges; :func:`what_worked_for` ranks practices from the
library for one jurisdiction, and says why each one is on the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from govlab.analysis._frames import numbers, require_columns, row_label
from govlab.errors import InvalidInput, located

__all__ = ["SIMILARITY_WEIGHTS", "SCORE_WEIGHTS", "jurisdiction_similarity", "what_worked_for"]

#: Weight of each block of the jurisdiction vector in :func:`jurisdiction_similarity`.
SIMILARITY_WEIGHTS: dict[str, float] = {"population": 1.0, "budget": 1.0, "topics": 1.0}

#: Weight of each part of the score in :func:`what_worked_for` (they add up to 1).
SCORE_WEIGHTS: dict[str, float] = {"topics": 0.45, "level": 0.2, "evidence": 0.25, "peers": 0.1}

LEVELS = ("local", "regional", "national", "supranational")


def jurisdiction_similarity(
    profiles: pd.DataFrame,
    *,
    id: str = "id",  # noqa: A002 - the column is called id
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Cosine similarity of jurisdictions by population, budget per capita and topics.

    Each jurisdiction becomes the vector ``[w_p z(log10 population), w_b z(log10 budget
    per capita), w_t t / |t|]`` where ``z`` standardises across the profiles
    (``(x - mean) / std``, population std; 0 when all are equal or the value is
    missing) and ``t`` is the multi-hot vector of its topics (scaled to length 1).
    ``similarity(a, b) = a . b / (|a| |b|)``, in [-1, 1] (0 for an all-zero vector).
    Weights default to :data:`SIMILARITY_WEIGHTS` (1 each).

    Parameters
    ----------
    profiles
        One row per jurisdiction: ``id``, ``population``, and optionally
        ``budget_per_capita`` or ``budget`` (total, divided by the population) and
        ``topics`` (a list, or text separated by ``;`` or ``,``).

    Returns
    -------
    pandas.DataFrame
        A square table of similarities, indexed and labelled by ``id``.
    """
    w = {**SIMILARITY_WEIGHTS, **(weights or {})}
    vectors = _vectors(profiles, id, w)
    norms = np.linalg.norm(vectors, axis=1)
    safe = np.where(norms > 0, norms, 1.0)
    unit = vectors / safe[:, None]
    similarity = unit @ unit.T
    labels = profiles[id].astype("str").to_numpy()
    return pd.DataFrame(np.clip(similarity, -1.0, 1.0), index=labels, columns=labels)


def what_worked_for(
    profile: Mapping[str, Any],
    practices: pd.DataFrame,
    profiles: pd.DataFrame | None = None,
    top: int = 10,
    *,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Rank practices for a jurisdiction, with a ``why`` for each.

    ``score = 0.45 topics + 0.2 level + 0.25 evidence + 0.1 peers`` (weights in
    :data:`SCORE_WEIGHTS`), each part in [0, 1]:

    * ``topics``: Jaccard overlap ``|mine & theirs| / |mine | theirs|`` of topics;
    * ``level``: 1 for the same level of government, 0.5 for the next level up or
      down (local, regional, national, supranational), else 0;
    * ``evidence``: ``(evidence_level - 1) / 4`` for the library's 1-5 evidence
      level, 0 when not reviewed;
    * ``peers``: the largest similarity (:func:`jurisdiction_similarity`, below 0
      counted as 0) between the profile and a jurisdiction in ``adopted_by``; 0
      without ``profiles`` or adopters.

    Parameters
    ----------
    profile
        The jurisdiction asking: ``topics``, and optionally ``level``, ``country``,
        ``population``, ``budget`` / ``budget_per_capita``.
    practices
        ``id`` and ``topics``; optionally ``title``, ``country``, ``level``,
        ``evidence_level``, ``outcomes`` and ``adopted_by`` (ids of jurisdictions).
    profiles
        Jurisdiction profiles for the peer part (see :func:`jurisdiction_similarity`).
    top
        How many practices to return.
    """
    require_columns(practices, ["id", "topics"], name="practices")
    w = {**SCORE_WEIGHTS, **(weights or {})}
    mine = _topic_set(profile.get("topics"))
    if not mine:
        raise InvalidInput("the profile needs topics, e.g. {'topics': ['transport', 'permits']}")
    level = str(profile.get("level") or "").lower()
    overlap = [_jaccard(mine, _topic_set(t)) for t in practices["topics"]]
    levels = [_level_match(level, other) for other in _column(practices, "level")]
    evidence = _evidence(practices)
    peers, peer_names = _peers(profile, practices, profiles)
    out = practices.copy()
    out["topic_overlap"] = overlap
    out["level_match"] = levels
    out["evidence"] = evidence
    out["peer_adoption"] = peers
    out["score"] = (
        w["topics"] * out["topic_overlap"]
        + w["level"] * out["level_match"]
        + w["evidence"] * out["evidence"]
        + w["peers"] * out["peer_adoption"]
    )
    out["why"] = [
        _why(mine, _topic_set(row.topics), row, level, peer_names[i])
        for i, row in enumerate(out.itertuples(index=False))
    ]
    out = out.sort_values(["score", "id"], ascending=[False, True], kind="stable")
    return out.head(top).reset_index(drop=True)


# --- helpers ---------------------------------------------------------------------------


def _topic_set(value: Any) -> frozenset[str]:
    """Topics as a set of lower-case words: a list, or text separated by ``;`` or ``,``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return frozenset()
    if isinstance(value, str):
        parts: Iterable[Any] = value.replace(";", ",").split(",")
    elif isinstance(value, Iterable):
        parts = value
    else:
        parts = [value]
    return frozenset(str(p).strip().lower() for p in parts if str(p).strip())


def _vectors(profiles: pd.DataFrame, id_column: str, w: Mapping[str, float]) -> np.ndarray:
    require_columns(profiles, [id_column, "population"], name="profiles")
    population = numbers(profiles, "population", name="profiles")
    bad = ~(population > 0).to_numpy()
    if bad.any():
        pos = int(np.argmax(bad))
        raise InvalidInput(
            located(
                "population must be a number above 0",
                file="profiles",
                row=row_label(profiles, pos),
                field="population",
            )
        )
    blocks = [w["population"] * _z(np.log10(population.to_numpy()))]
    per_capita = _per_capita(profiles, population)
    if per_capita is not None:
        blocks.append(w["budget"] * _z(np.log10(per_capita.where(per_capita > 0)).to_numpy()))
    numeric = np.column_stack(blocks)
    if "topics" not in profiles:
        return numeric
    sets = [_topic_set(t) for t in profiles["topics"]]
    vocabulary = sorted(set().union(*sets))
    hot = np.array([[1.0 if v in s else 0.0 for v in vocabulary] for s in sets]).reshape(
        len(sets), len(vocabulary)
    )
    lengths = np.linalg.norm(hot, axis=1)
    hot = hot / np.where(lengths > 0, lengths, 1.0)[:, None]
    return np.hstack([numeric, w["topics"] * hot])


def _per_capita(profiles: pd.DataFrame, population: pd.Series) -> pd.Series | None:
    if "budget_per_capita" in profiles:
        return numbers(profiles, "budget_per_capita", name="profiles")
    if "budget" in profiles:
        return numbers(profiles, "budget", name="profiles") / population
    return None


def _z(values: np.ndarray) -> np.ndarray:
    """Standardise; missing values and a constant column become 0."""
    values = np.asarray(values, dtype="float64")
    present = ~np.isnan(values)
    if present.sum() == 0:
        return np.zeros_like(values)
    mean, std = values[present].mean(), values[present].std()
    z = (values - mean) / std if std > 0 else np.zeros_like(values)
    return np.where(present, z, 0.0)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    return frame[name].tolist() if name in frame else [None] * len(frame)


def _level_match(mine: str, theirs: Any) -> float:
    other = str(theirs or "").lower()
    if not mine or other not in LEVELS or mine not in LEVELS:
        return 0.0
    gap = abs(LEVELS.index(mine) - LEVELS.index(other))
    return 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0


def _evidence(practices: pd.DataFrame) -> np.ndarray:
    if "evidence_level" not in practices:
        return np.zeros(len(practices))
    level = numbers(practices, "evidence_level", name="practices").to_numpy()
    score = (np.clip(level, 1, 5) - 1) / 4
    return np.where(np.isnan(score), 0.0, score)


def _peers(
    profile: Mapping[str, Any], practices: pd.DataFrame, profiles: pd.DataFrame | None
) -> tuple[np.ndarray, list[str]]:
    """Largest similarity to an adopter, and that adopter's id, per practice."""
    none = np.zeros(len(practices)), [""] * len(practices)
    if profiles is None or "adopted_by" not in practices:
        return none
    if "population" not in profile:
        raise InvalidInput("the profile needs a population to be compared with other places")
    me = "\x00me"
    row = {"id": me, **{k: profile[k] for k in profile if k in profiles.columns and k != "id"}}
    row["population"] = profile["population"]
    table = pd.concat([profiles, pd.DataFrame([row])], ignore_index=True)
    similarity = jurisdiction_similarity(table).loc[me].drop(me)
    lookup = {label.lower(): label for label in similarity.index}
    scores, names = [], []
    for adopters in practices["adopted_by"]:
        values = {
            lookup[a]: float(similarity[lookup[a]]) for a in _topic_set(adopters) if a in lookup
        }
        best = max(sorted(values), key=lambda k: values[k]) if values else ""
        scores.append(max(values[best], 0.0) if best else 0.0)
        names.append(best)
    return np.asarray(scores), names


def _why(mine: frozenset[str], theirs: frozenset[str], row: Any, level: str, peer: str) -> str:
    parts = []
    shared = sorted(mine & theirs)
    parts.append(f"addresses {', '.join(shared)}" if shared else "no topic in common")
    other = str(getattr(row, "level", "") or "").lower()
    if level and other == level:
        parts.append(f"same level ({level})")
    elif other in LEVELS:
        parts.append(f"{other} level")
    evidence = _as_float(getattr(row, "evidence_level", None))
    if evidence is not None:
        parts.append(f"evidence level {int(evidence)} of 5")
    else:
        parts.append("evidence not yet reviewed")
    if peer:
        parts.append(f"adopted by {peer} (similarity {row.peer_adoption:.2f})")
    return "; ".join(parts)


def _as_float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number
