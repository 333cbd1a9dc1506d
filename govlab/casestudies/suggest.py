"""Which of a file's columns holds which field of a case: a suggested ``--map``.

Each column is scored against each field by its **name** (how close it is to the
field's name and the names cities use for it, :attr:`DataField.names`) and by
its **values** (dates for a date field, numbers for a number field, yes/no for a
true/false field, one value per row for an id, a few repeated values for a
category). A column whose values do not fit the field's type is never
suggested. The best pairs are taken first, each column once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from govlab.casestudies.spec import DataField, DataSpec
from govlab.errors import GovlabError

_SAMPLE = 500
_MIN_SCORE = 0.5
_BOOLEAN = {"true", "false", "yes", "no", "y", "n", "1", "0", "t", "f"}


@dataclass(frozen=True)
class Suggestion:
    """A column suggested for a field, with how sure and why."""

    field: str
    column: str
    score: float
    why: str


def suggest_mapping(spec: DataSpec, frame: pd.DataFrame) -> list[Suggestion]:
    """The suggested column of each field, best first (fields with no good column are left out).

    ``score`` is ``0.6 x name similarity + 0.4 x value fit``, both from 0 to 1.
    """
    scored = []
    for item in spec.fields:
        for column in frame.columns:
            fit, why = _value_fit(item, frame[column])
            if fit == 0:
                continue
            similarity = _name_score(item, str(column))
            score = 0.6 * similarity + 0.4 * fit
            if score >= _MIN_SCORE:
                scored.append((score, item.name, str(column), why))
    taken_fields: set[str] = set()
    taken_columns: set[str] = set()
    out = []
    for score, name, column, why in sorted(scored, key=lambda t: -t[0]):
        if name in taken_fields or column in taken_columns:
            continue
        taken_fields.add(name)
        taken_columns.add(column)
        out.append(Suggestion(name, column, round(score, 2), why))
    order = {f.name: i for i, f in enumerate(spec.fields)}
    return sorted(out, key=lambda s: order[s.field])


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _name_score(item: DataField, column: str) -> float:
    target = _normal(column)
    best = 0.0
    for name in (item.name, *item.names):
        candidate = _normal(name)
        if candidate == target:
            return 1.0
        ratio = difflib.SequenceMatcher(None, candidate, target).ratio()
        if candidate and (candidate in target.split() or target in candidate.split()):
            ratio = max(ratio, 0.8)
        best = max(best, ratio)
    return best


def _value_fit(item: DataField, values: pd.Series) -> tuple[float, str]:
    """How well the column's values fit the field (0 = never), and why, in a few words."""
    sample = values.dropna().astype("str").str.strip()
    sample = sample[sample != ""].iloc[:_SAMPLE]
    if sample.empty:
        return (0.3, "empty") if not item.required else (0.0, "")
    if item.type == "datetime":
        share = _dates(sample)
        return (share, "dates") if share >= 0.9 else (0.0, "")
    if item.type == "number":
        share = float(pd.to_numeric(_plain_number(sample), errors="coerce").notna().mean())
        return (share, "numbers") if share >= 0.9 else (0.0, "")
    if item.type == "bool":
        share = float(sample.str.lower().isin(_BOOLEAN).mean())
        return (share, "yes/no values") if share >= 0.95 else (0.0, "")
    if _dates(sample) >= 0.9:
        return 0.0, ""
    numeric = float(pd.to_numeric(_plain_number(sample), errors="coerce").notna().mean())
    if numeric >= 0.9 and item.name != "id" and item.name not in ("route", "district"):
        return 0.0, ""  # a column of numbers is not a category, an agency or a status
    distinct = sample.nunique() / len(sample)
    if item.name == "id":
        return (distinct, "one value per row") if distinct >= 0.95 else (0.0, "")
    return (1.0 - 0.5 * distinct, f"{sample.nunique()} different values")


def _plain_number(sample: pd.Series) -> pd.Series:
    return sample.str.replace(r"[\s$£€%]", "", regex=True).str.replace(
        r"^([+-]?\d{1,3}(?:[.,]\d{3})*)(?:[.,](\d+))?$", _join_number, regex=True
    )


def _join_number(match: re.Match[str]) -> str:
    whole = re.sub(r"[.,]", "", match.group(1))
    return f"{whole}.{match.group(2)}" if match.group(2) else whole


def _dates(sample: pd.Series) -> float:
    from govlab.datasets.values import guess_format

    try:
        fmt = guess_format(sample, dayfirst=True)
    except GovlabError:
        return 0.0
    parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
    return float(parsed.notna().mean())
