"""Input preparation for :mod:`govlab.analysis.impact` (private).

Each helper turns what a user passes (sequences, a Series, a frame) into clean
arrays, or raises :class:`~govlab.errors.InvalidInput` naming the row and column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import govlab.datasets.words as words
from govlab.analysis._frames import booleans, frame_name, numbers, require_columns, row_label
from govlab.errors import InvalidInput, located


def split_before_after(
    data: Any,
    after: Any,
    outcome: str | None,
    time: str | None,
    intervention: Any,
    post: str | None,
    duplicates: str = "error",
) -> tuple[np.ndarray, np.ndarray]:
    """The values before and after, as float arrays without missing values.

    A frame with a ``time`` column has one row per period: duplicate times follow
    the ``duplicates`` rule (:mod:`govlab.datasets.series`).
    """
    if after is not None:
        return _clean(data, "before"), _clean(after, "after")
    if isinstance(data, pd.Series):
        if intervention is None:
            raise InvalidInput("give the values after, or an intervention time to split the series")
        is_post = np.asarray(data.index >= intervention)
        values = _clean(data, "the series", keep_nan=True)
        return _drop_nan(values[~is_post]), _drop_nan(values[is_post])
    if isinstance(data, pd.DataFrame):
        if outcome is None:
            raise InvalidInput("name the outcome column, e.g. outcome='online_share'")
        name = frame_name(data, "data")
        require_columns(data, [outcome, *[c for c in (time, post) if c]], name=name)
        if time is not None:
            data = one_row_per_period(data, time, outcome, duplicates)
        values = numbers(data, outcome, name=name).to_numpy()
        if post is not None:
            is_post = booleans(data, post, name=name).to_numpy()
        elif time is not None and intervention is not None:
            is_post = np.asarray(as_times(data, time) >= _moment(intervention, data[time]))
        else:
            raise InvalidInput("give a True/False post column, or a time column and intervention")
        return _drop_nan(values[~is_post]), _drop_nan(values[is_post])
    raise InvalidInput(
        "give the values before and after, a Series with an intervention, or a frame"
    )


def one_row_per_period(data: pd.DataFrame, time: str, outcome: str, how: str) -> pd.DataFrame:
    """``data`` with one row per ``time``: duplicates refused or combined by the rule ``how``."""
    from govlab.datasets.series import combine_duplicates

    if not data[time].duplicated().any():
        return data
    lines = data.assign(line=[row_label(data, i) for i in range(len(data))])
    return combine_duplicates(
        lines, [time], [outcome], how, file=frame_name(data, "data"), line_column="line"
    )


def as_times(data: pd.DataFrame, time: str) -> pd.Series:
    """The ``time`` column, with dates written as text read as dates (naming a bad one)."""
    from govlab.datasets.values import parse_dates

    values = data[time]
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        first = row_label(data, 0) if len(data) else 1
        rows = [row_label(data, i) for i in range(len(data))]
        return parse_dates(
            values, file=frame_name(data, "data"), field=time,
            row_offset=lambda i: rows[i] if i < len(rows) else first + i,
        )  # fmt: skip
    return values


def _moment(intervention: Any, values: pd.Series) -> Any:
    """The intervention as a timestamp when the times are dates (``"2024-04-01"`` works)."""
    if isinstance(intervention, str) and (
        values.dtype == object
        or pd.api.types.is_string_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
    ):
        try:
            return pd.Timestamp(intervention)
        except ValueError:
            raise InvalidInput(f"cannot read the intervention {intervention!r} as a date") from None
    return intervention


def _clean(values: Any, label: str, *, keep_nan: bool = False) -> np.ndarray:
    try:
        array = np.asarray(values, dtype="float64").ravel()
    except (TypeError, ValueError):
        raise InvalidInput(f"the values {label} must all be numbers") from None
    return array if keep_nan else _drop_nan(array)


def _drop_nan(values: np.ndarray) -> np.ndarray:
    kept: np.ndarray = values[~np.isnan(values)]
    return kept


def bootstrap_differences(pre: np.ndarray, post: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """``mean(post*) - mean(pre*)`` for ``n_boot`` independent resamples, in blocks."""
    rng = np.random.default_rng(seed)
    out = np.empty(n_boot)
    block = max(1, 2_000_000 // max(len(pre), len(post)))
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        a = post[rng.integers(0, len(post), (size, len(post)))].mean(axis=1)
        b = pre[rng.integers(0, len(pre), (size, len(pre)))].mean(axis=1)
        out[start : start + size] = a - b
    return out


def ordered_series(frame: pd.DataFrame, time: str, outcome: str) -> pd.DataFrame:
    data = frame[[time, outcome]].copy()
    data[outcome] = numbers(frame, outcome, name="frame")
    missing = data[outcome].isna().to_numpy()
    if missing.any():
        pos = int(np.argmax(missing))
        raise InvalidInput(
            located(
                "missing value; a time series needs a value in every period",
                file="frame",
                row=row_label(frame, pos),
                field=outcome,
            )
        )
    duplicated = data[time].duplicated().to_numpy()
    if duplicated.any():
        pos = int(np.argmax(duplicated))
        first = int(np.argmax((data[time] == data[time].iloc[pos]).to_numpy()))
        rows = f"rows {row_label(frame, first)} and {row_label(frame, pos)}"
        raise InvalidInput(
            located(
                f"{data[time].iloc[pos]!r} appears twice ({rows}); expected one row per "
                f"period (combine them first, e.g. with {words.option('duplicates', 'sum')} "
                "when loading)",
                file=frame_name(frame),
                row=row_label(frame, pos),
                field=time,
            )
        )
    return data.sort_values(time, kind="stable").reset_index(drop=True)


def did_frame(
    frame: pd.DataFrame, outcome: str, group: str, post: str, treated: Any, intervention: Any
) -> pd.DataFrame:
    """``y``, ``treated`` (0/1), ``post`` (0/1) and the frame ``row``; every 2x2 cell filled."""
    y = numbers(frame, outcome, name="frame")
    if treated is None:
        is_treated = booleans(frame, group, name="frame")
    else:
        labels = treated if isinstance(treated, (list, tuple, set)) else [treated]
        is_treated = frame[group].isin(list(labels))
    if intervention is not None:
        is_post = pd.Series(np.asarray(frame[post] >= intervention), index=frame.index)
    else:
        is_post = booleans(frame, post, name="frame")
    data: pd.DataFrame = pd.DataFrame(
        {
            "y": y.to_numpy(),
            "treated": is_treated.to_numpy() * 1.0,
            "post": is_post.to_numpy() * 1.0,
            "row": np.arange(len(frame)),
        }
    )
    data = data[~np.isnan(data["y"].to_numpy())].reset_index(drop=True)
    cells = data.groupby(["treated", "post"]).size()
    for t_value, t_label in ((1.0, "treated"), (0.0, "comparison")):
        for p_value, p_label in ((0.0, "before"), (1.0, "after")):
            if cells.get((t_value, p_value), 0) == 0:
                raise InvalidInput(
                    located(f"no {t_label} rows {p_label} the change", file="frame", field=group)
                )
    return data


def check_level(confidence: float) -> None:
    if not isinstance(confidence, float) or not 0.5 <= confidence < 1:
        raise InvalidInput(f"confidence must be a fraction such as 0.95, got {confidence!r}")


def check_lags(maxlags: int) -> int:
    if isinstance(maxlags, bool) or not isinstance(maxlags, int) or maxlags < 0:
        raise InvalidInput(f"maxlags must be a whole number >= 0, got {maxlags!r}")
    return maxlags
