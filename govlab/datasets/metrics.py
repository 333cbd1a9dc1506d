"""Performance-metric series such as Boston's CityScore."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from govlab.datasets.reading import (
    PathLike,
    existing_file,
    options,
    read_csv_text,
    read_table,
    require_columns,
    rows_of,
)
from govlab.datasets.series import check_unique
from govlab.datasets.values import column_dates, column_numbers, numeric_column, text_column
from govlab.errors import InvalidInput

#: Columns of :func:`load_metric_series`, in order (source extras follow).
METRIC_COLUMNS: list[str] = ["date", "metric", "value", "target"]

_TARGETS_FILE = "cityscore_metrics_DERIVED.csv"
_RENAME = {"metric_name": "metric"}


def load_metric_series(
    path: PathLike,
    *,
    duplicates: Literal["keep", "error", "sum", "mean", "last"] = "keep",
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """Load daily values of performance metrics.

    Parameters
    ----------
    path
        A CSV with ``date``, ``metric`` (or Boston's ``metric_name``) and
        ``value``, and optionally ``target``; e.g.
        ``sample_path("boston_cityscore_2016")``. When the Boston metrics table
        (``cityscore_metrics_DERIVED.csv``, with ``target_in_db``) lies beside it,
        each metric's target is joined by ``metric_id``.
    duplicates
        Boston's export holds 2-5 unlabelled values for ~40% of (date, metric)
        pairs. ``"keep"`` returns them all; ``"last"`` keeps the last one in file
        order; ``"mean"`` averages them and ``"sum"`` adds them up (both return only
        the four main columns); ``"error"`` refuses the file, naming both lines of
        the first duplicate.
    encoding, sep, decimal, dayfirst
        How the file is written; detected when None (see :mod:`govlab.datasets.reading`).

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64[ns]), ``metric`` (str), ``value`` (float), ``target``
        (float, NaN when unknown), then the other source columns (e.g.
        ``metric_id``, ``value_id``), sorted by metric and date. Scales differ by
        metric (on-time shares as 0-1 fractions, minutes, counts).

    Raises
    ------
    InvalidInput
        A column is missing, a date or value cannot be read (the header is row 1,
        the first value row 2), or ``duplicates`` is not one of the choices.
    """
    if duplicates not in ("keep", "error", "sum", "mean", "last"):
        raise InvalidInput(
            f"duplicates must be 'keep', 'error', 'sum', 'mean' or 'last', not {duplicates!r}"
        )
    p = existing_file(path)
    given = options(encoding=encoding, sep=sep, decimal=decimal, dayfirst=dayfirst)
    raw = read_table(p, given).rename(columns=_RENAME)
    require_columns(raw, ("date", "metric", "value"), file=p)
    out = pd.DataFrame(
        {
            "date": column_dates(raw, "date", file=p, dayfirst=dayfirst),
            "metric": text_column(raw["metric"]),
            "value": column_numbers(raw, "value", file=p),
        }
    )
    if "target" in raw:
        out["target"] = column_numbers(raw, "target", file=p)
    else:
        out["target"] = float("nan")
    extras = [c for c in raw.columns if c not in ("date", "metric", "value", "target")]
    out = pd.concat([out, raw[extras]], axis=1)
    beside = p.parent / _TARGETS_FILE
    if beside.exists() and "metric_id" in out.columns and out["target"].isna().all():
        out["target"] = out["metric_id"].map(_targets(beside)).astype("float64")
    if duplicates == "error":
        check_unique(out, ["date", "metric"], file=p, rows=rows_of(raw))
    out = _deduplicate(out, duplicates)
    return out.sort_values(["metric", "date"], kind="stable").reset_index(drop=True)


def _targets(path: PathLike) -> pd.Series:
    table = read_csv_text(path)
    require_columns(table, ("metric_id", "target_in_db"), file=path)
    values = numeric_column(table["target_in_db"], file=path, field="target_in_db")
    return pd.Series(values.to_numpy(), index=text_column(table["metric_id"]).to_numpy())


def _deduplicate(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    if how in ("keep", "error"):
        return frame
    if how == "last":
        return frame.drop_duplicates(["date", "metric"], keep="last")
    grouped = frame.groupby(["date", "metric"], sort=False, as_index=False)
    return grouped.agg(value=("value", how), target=("target", "first"))
