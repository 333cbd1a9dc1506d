"""One rule for duplicate periods in a time series, wherever a series is read.

A series has one value per period (and per route, metric ...). Two rows for the
same period are a duplicate: an export that appended a correction, a day counted
twice. What to do is the person's call, set once for every loader and analysis
(``duplicates=`` in Python, ``--duplicates`` in the CLI):

* ``"error"`` (the default): refuse, naming both lines of the file;
* ``"sum"``: add them up (two half-day counts of the same day);
* ``"mean"``: average them (two readings of the same thing);
* ``"last"``: keep the later line (a correction appended to the file).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

import govlab.datasets.words as words
from govlab.datasets.reading import Rows
from govlab.errors import InvalidInput, located

Duplicates = Literal["error", "sum", "mean", "last"]

#: The choices of ``duplicates=`` / ``--duplicates``.
DUPLICATES: tuple[str, ...] = ("error", "sum", "mean", "last")


def check_duplicates_rule(how: str) -> Duplicates:
    """Return ``how`` when it is one of :data:`DUPLICATES`, else raise naming the choices."""
    if how not in DUPLICATES:
        raise InvalidInput(
            f"{words.option('duplicates')}: expected one of {', '.join(DUPLICATES)}, not {how!r}"
        )
    return how  # type: ignore[return-value]  # checked just above


def lines_of(frame: pd.DataFrame, rows: Rows | None, line_column: str | None) -> np.ndarray:
    """The file line of every row of ``frame`` (its index labels are the file positions)."""
    if line_column is not None and line_column in frame.columns:
        return frame[line_column].to_numpy(dtype="int64")
    labels = np.arange(len(frame)) if rows is None else frame.index.to_numpy()
    if rows is None:
        return labels.astype("int64") + 1
    if isinstance(rows, int):
        return labels.astype("int64") + rows
    return np.array([rows(int(label)) for label in labels], dtype="int64")


def check_unique(
    frame: pd.DataFrame,
    keys: Sequence[str],
    *,
    file: object,
    rows: Rows | None = None,
    line_column: str | None = None,
    what: str = "period",
) -> None:
    """Refuse the first duplicate of ``keys``, naming both lines.

    Raises
    ------
    InvalidInput
        ``file, row 9: 2024-03-04 appears twice (rows 5 and 9) ...`` with how to
        combine duplicates instead.
    """
    duplicated = frame.duplicated(list(keys), keep=False).to_numpy()
    if not duplicated.any():
        return
    lines = lines_of(frame, rows, line_column)
    key_values = frame[list(keys)].astype("str").agg(" / ".join, axis=1).to_numpy()
    first = int(np.argmax(duplicated))
    same = np.flatnonzero(duplicated & (key_values == key_values[first]))
    a, b = sorted(int(x) for x in lines[same[:2]])
    shown = _describe(frame.iloc[first], keys)
    raise InvalidInput(
        located(
            f"{shown} appears twice (rows {a} and {b}); expected one row per {what}. "
            f"To combine duplicates give {words.option('duplicates', 'sum')} "
            "(or mean, or last to keep the later row)",
            file=file,
            row=b,
        )
    )


def _describe(row: pd.Series, keys: Sequence[str]) -> str:
    parts = []
    for key in keys:
        value = row[key]
        if isinstance(value, pd.Timestamp):
            text = value.strftime("%Y-%m-%d") if value == value.normalize() else str(value)
        else:
            text = str(value)
        parts.append(text if len(keys) == 1 else f"{key} {text}")
    return ", ".join(parts)


def combine_duplicates(
    frame: pd.DataFrame,
    keys: Sequence[str],
    values: Sequence[str],
    how: str,
    *,
    file: object,
    rows: Rows | None = None,
    line_column: str | None = None,
    what: str = "period",
) -> pd.DataFrame:
    """Apply the duplicates rule ``how`` to ``frame`` (one row per ``keys`` comes back).

    ``values`` are the columns combined by ``sum`` or ``mean``; the other columns
    keep their first value (``last``: every column keeps the later row's value).
    The ``line_column`` of a combined row is the first line. Row order: by ``keys``.
    """
    rule = check_duplicates_rule(how)
    if rule == "error":
        check_unique(frame, keys, file=file, rows=rows, line_column=line_column, what=what)
        return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)
    if not frame.duplicated(list(keys)).any():
        return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)
    if rule == "last":
        kept = frame.drop_duplicates(list(keys), keep="last")
        return kept.sort_values(list(keys), kind="stable").reset_index(drop=True)
    others = [c for c in frame.columns if c not in keys and c not in values]
    aggregations = {c: rule for c in values} | {c: "first" for c in others}
    grouped = frame.groupby(list(keys), sort=True, dropna=False, as_index=False)
    out = grouped.agg(aggregations)
    return out[list(frame.columns)].reset_index(drop=True)
