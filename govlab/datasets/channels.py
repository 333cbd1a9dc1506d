"""Transactions by channel: the UK GDS Digital Efficiency Report (2012) case studies."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from govlab.datasets.reading import (
    PathLike,
    options,
    read_csv_text,
    read_table,
    require_columns,
    rows_of,
)
from govlab.datasets.samples import sample_path
from govlab.datasets.values import (
    FIRST_DATA_ROW,
    column_numbers,
    line_at,
    na_text,
    numeric_column,
    text_column,
)
from govlab.errors import InvalidInput, located

#: Columns of :func:`load_channel_volumes`.
CHANNEL_VOLUME_COLUMNS: list[str] = [
    "service",
    "department",
    "annual_volume",
    "pct_digital",
    "digital_volume",
    "customer_type",
    "function",
    "cost_digital",
    "cost_phone",
    "cost_post",
    "cost_face_to_face",
]
COST_CHANNELS: tuple[str, ...] = ("digital", "phone", "post", "face_to_face")
_COSTS_FILE = "channel_costs_DERIVED.csv"
_RENAME = {"department_agency": "department"}


def load_channel_volumes(
    path: PathLike | None = None,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """Services with their annual transactions, digital share and cost per transaction.

    With no ``path``, the 17 case-study services of the UK Government Digital
    Service's *Digital Efficiency Report* (Nov 2012, Annex 1). The report gives
    costs per transaction by channel only for the Driving Standards Agency
    (footnote 1: GBP 6.62 post, 4.11 phone, 0.22 digital, 2011/12); they are
    attached to its one case-study service, Practical Driving Test booking.

    Parameters
    ----------
    path
        A CSV with ``service``, ``department`` (or ``department_agency``),
        ``annual_volume`` and ``pct_digital`` (0-100); ``customer_type``,
        ``function`` and ``cost_<channel>`` columns are optional. When a
        ``channel_costs_DERIVED.csv`` lies beside it, its costs are joined by
        department.
    encoding, sep, decimal
        How the file is written; detected when None (see :mod:`govlab.datasets.reading`).

    Returns
    -------
    pandas.DataFrame
        :data:`CHANNEL_VOLUME_COLUMNS`: ``digital_volume = annual_volume *
        pct_digital / 100``; costs in GBP per transaction, NaN where not given.

    Raises
    ------
    InvalidInput
        A required column is missing, a number cannot be read, or ``pct_digital``
        is outside 0-100 (the header is row 1, the first service row 2).
    """
    p = Path(path) if path is not None else sample_path("uk_gds_digital_efficiency_2012")
    raw = read_table(p, options(encoding=encoding, sep=sep, decimal=decimal))
    raw = raw.rename(columns=_RENAME)
    require_columns(raw, ("service", "department", "annual_volume", "pct_digital"), file=p)
    out = pd.DataFrame(
        {
            "service": text_column(raw["service"]),
            "department": text_column(raw["department"]),
            "annual_volume": column_numbers(raw, "annual_volume", file=p),
            "pct_digital": column_numbers(raw, "pct_digital", file=p),
        }
    )
    outside = ~out["pct_digital"].between(0, 100) & out["pct_digital"].notna()
    if outside.any():
        position = int(outside.to_numpy().argmax())
        raise InvalidInput(
            located(
                f"{out['pct_digital'].iloc[position]} is not a percentage; expected 0 to 100",
                file=p,
                row=line_at(rows_of(raw), position),
                field="pct_digital",
            )
        )
    out["digital_volume"] = out["annual_volume"] * out["pct_digital"] / 100
    for column in ("customer_type", "function"):
        out[column] = text_column(raw[column]) if column in raw else na_text(out.index)
    for channel in COST_CHANNELS:
        column = f"cost_{channel}"
        out[column] = column_numbers(raw, column, file=p) if column in raw else float("nan")
    beside = p.parent / _COSTS_FILE
    if beside.exists():
        out = _join_costs(out, load_channel_costs(beside))
    out = out[CHANNEL_VOLUME_COLUMNS]
    out.attrs["reading"] = raw.attrs.get("reading")
    return out


def load_channel_costs(path: PathLike | None = None) -> pd.DataFrame:
    """Cost per transaction by channel, as cited in the Digital Efficiency Report's footnotes.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``department``, ``channel`` (digital, phone, post,
        face_to_face), ``cost_gbp_per_transaction`` and ``footnote``: the Driving
        Standards Agency (2011/12), the SOCITM average for English councils
        (2012) and GDS's own 30p digital assumption.
    """
    p = (
        Path(path)
        if path is not None
        else sample_path("uk_gds_digital_efficiency_2012", _COSTS_FILE)
    )
    raw = read_csv_text(p).rename(columns=_RENAME)
    columns = ("source", "department", "channel", "cost_gbp_per_transaction")
    require_columns(raw, columns, file=p)
    out = pd.DataFrame({c: text_column(raw[c]) for c in columns[:3]})
    out["cost_gbp_per_transaction"] = numeric_column(
        raw["cost_gbp_per_transaction"], file=p, field="cost_gbp_per_transaction"
    )
    out["footnote"] = text_column(raw["footnote"]) if "footnote" in raw else na_text(out.index)
    unknown = ~out["channel"].isin(COST_CHANNELS)
    if unknown.any():
        position = int(unknown.to_numpy().argmax())
        raise InvalidInput(
            located(
                f"unknown channel {out['channel'].iloc[position]!r}; "
                f"expected one of {', '.join(COST_CHANNELS)}",
                file=p,
                row=position + FIRST_DATA_ROW,
                field="channel",
            )
        )
    return out


def _join_costs(volumes: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    wide = costs.pivot_table(
        index="department", columns="channel", values="cost_gbp_per_transaction", aggfunc="first"
    )
    out = volumes.copy()
    for channel in wide.columns:
        looked_up = out["department"].map(wide[channel])
        column = f"cost_{channel}"
        out[column] = out[column].fillna(looked_up).astype("float64")
    return out
