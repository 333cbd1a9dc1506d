"""Budgets: city line items (Oakland's adopted budget) and US federal receipts (OMB)."""

from __future__ import annotations

import re

import pandas as pd

from govlab.datasets.reading import (
    PathLike,
    existing_file,
    options,
    read_json,
    read_table,
    require_columns,
)
from govlab.datasets.values import column_numbers, text_column
from govlab.errors import InvalidInput, located

#: Columns of :func:`load_budget`, in order.
BUDGET_COLUMNS: list[str] = [
    "budget_year",
    "department",
    "fund_code",
    "account_type",
    "account_category",
    "amount",
]

_OMB_LABELS = {
    "Source category name": "source_category",
    "Source subcategory name": "source_subcategory",
    "Agency name": "agency",
    "Bureau name": "bureau",
    "Account name": "account",
    "On- or off-budget": "on_off_budget",
    "Source Category Code": "source_category_code",
    "Agency code": "agency_code",
    "Bureau code": "bureau_code",
    "Account code": "account_code",
}
_PERIOD = re.compile(r"^(\d{4}|TQ)$")


def load_budget(
    path: PathLike,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """Load budget line items in the OpenOakland layout (one row per amount).

    Parameters
    ----------
    path
        A CSV with ``budget_year`` (e.g. ``FY21-22``), ``department``,
        ``fund_code``, ``account_type`` (Expense/Revenue), ``account_category`` and
        ``amount`` (USD), in any column order, e.g.
        ``sample_path("oakland_city_budget")``.
    encoding, sep, decimal
        How the file is written; detected when None (see :mod:`govlab.datasets.reading`).

    Returns
    -------
    pandas.DataFrame
        :data:`BUDGET_COLUMNS`; ``amount`` is float, text columns are ``str``
        with blanks as NA (Oakland's older files leave the department of
        citywide revenue empty).

    Raises
    ------
    InvalidInput
        A column is missing (the columns found are listed) or an amount is not
        a number (the header is row 1, the first line item row 2).
    """
    p = existing_file(path)
    raw = read_table(p, options(encoding=encoding, sep=sep, decimal=decimal))
    require_columns(raw, BUDGET_COLUMNS, file=p)
    out = pd.DataFrame({c: text_column(raw[c]) for c in BUDGET_COLUMNS[:-1]})
    out["amount"] = column_numbers(raw, "amount", file=p)
    out.attrs["reading"] = raw.attrs.get("reading")
    return out


def load_omb_budget(path: PathLike) -> pd.DataFrame:
    """Load the US OMB receipts table (``budget.json``) in long form, one row per account-year.

    Parameters
    ----------
    path
        A JSON list of accounts with name and code fields and one field per
        fiscal year (``"1962"`` ... ``"2020"``, plus ``"TQ"``, the 1976
        transition quarter) holding thousands of dollars written as text
        (``"-566,000"``), e.g. ``sample_path("us_omb_budget")``.

    Returns
    -------
    pandas.DataFrame
        ``source_category``, ``source_subcategory``, ``agency``, ``bureau``,
        ``account``, ``on_off_budget``, ``period`` (``"1976"``, ``"TQ"``...),
        ``year`` (Int64; NA for the transition quarter), ``amount`` (US dollars,
        i.e. the table's thousands x 1,000), then the code columns.

    Raises
    ------
    InvalidInput
        Not a list of accounts, a missing name field, or a value that is not a
        number (``row N`` is the N-th account of the list).
    """
    p = existing_file(path)
    data = read_json(p)
    if not isinstance(data, list) or not data or not all(isinstance(r, dict) for r in data):
        raise InvalidInput(located("expected a non-empty JSON list of budget accounts", file=p))
    wide = pd.DataFrame(data)
    for column in _OMB_LABELS:
        if column not in wide.columns:
            found = ", ".join(repr(c) for c in wide.columns if not _PERIOD.match(str(c)))
            raise InvalidInput(
                located(f"field {column!r} not found; fields found: {found}", file=p)
            )
    periods = [c for c in wide.columns if _PERIOD.match(str(c))]
    if not periods:
        raise InvalidInput(located('no year fields ("1962", "2016" ...) found', file=p))
    labels = wide[list(_OMB_LABELS)].rename(columns=_OMB_LABELS)
    for column in labels.columns:
        labels[column] = text_column(labels[column].astype("str"))
    values = wide[periods].astype("str")
    values.insert(0, "_row", range(1, len(wide) + 1))
    long = labels.join(values).melt(
        id_vars=[*labels.columns, "_row"], var_name="period", value_name="amount"
    )
    long["amount"] = _thousands(long, file=p)
    long["period"] = long["period"].astype("str")
    long["year"] = pd.to_numeric(
        long["period"].mask(long["period"] == "TQ"), errors="coerce"
    ).astype("Int64")
    names = list(_OMB_LABELS.values())
    order = names[:6] + ["period", "year", "amount"] + names[6:]
    return long[order]


def _thousands(long: pd.DataFrame, *, file: object) -> pd.Series:
    """OMB text amounts ("-566,000", thousands of dollars) as US dollars; name the first bad one."""
    text = long["amount"].str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & text.notna() & (text != "")
    if bad.any():
        where = long[bad].sort_values(["_row", "period"]).iloc[0]
        raise InvalidInput(
            located(
                f"cannot read {where['amount']!r} as a number; expected e.g. -566,000",
                file=file,
                row=int(where["_row"]),
                field=str(where["period"]),
            )
        )
    return numbers.astype("float64") * 1000
