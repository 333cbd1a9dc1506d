"""Is it worth it? NPV, ROI, payback, sensitivity, unit costs and shared-cost splits.

Cash flows are yearly and start at year 0 (today, undiscounted): ``[-120_000,
40_000, 40_000, ...]`` is an up-front cost followed by yearly net savings.
Rates are fractions (0.035 for 3.5 %).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from govlab.analysis._frames import as_keys, numbers, require_columns, row_label
from govlab.errors import InvalidInput, located

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = [
    "cost_per_transaction",
    "npv",
    "payback_period",
    "roi",
    "sensitivity",
    "split_shared_cost",
    "tornado_chart",
]

Flows = Sequence[float] | np.ndarray | pd.Series


def npv(cashflows: Flows, rate: float) -> float:
    """Net present value of yearly cash flows.

    ``NPV = sum_t CF_t / (1 + r) ** t`` with ``t = 0`` for the first flow.

    Parameters
    ----------
    cashflows
        Net cash flow of each year, year 0 first (costs negative).
    rate
        Discount rate per year as a fraction (e.g. 0.035 for the UK Green Book's 3.5 %).
    """
    flows = _flows(cashflows)
    return float(np.sum(flows * _discount(len(flows), rate)))


def roi(benefits: float | Flows, costs: float | Flows, rate: float = 0.0) -> float:
    """Return on investment: net benefit per unit of cost.

    ``ROI = (PV(benefits) - PV(costs)) / PV(costs)`` with ``PV(x) = sum_t x_t / (1 + r) ** t``;
    with the default ``rate = 0`` it is ``(sum benefits - sum costs) / sum costs``.
    Benefits and costs are given as positive amounts (totals or yearly flows).
    """
    pv_benefits = npv(np.atleast_1d(np.asarray(benefits, dtype="float64")), rate)
    pv_costs = npv(np.atleast_1d(np.asarray(costs, dtype="float64")), rate)
    if pv_costs <= 0:
        raise InvalidInput(f"the costs must add up to more than 0, got {pv_costs!r}")
    return (pv_benefits - pv_costs) / pv_costs


def payback_period(cashflows: Flows, rate: float = 0.0) -> float | None:
    """Years until the cumulative (discounted) cash flow turns non-negative, or None.

    With ``C_k = sum_{t<=k} CF_t / (1 + r) ** t``: if ``C_0 >= 0`` the payback is 0;
    else, for the first year ``k`` with ``C_k >= 0``, ``payback = (k - 1) + (-C_{k-1}) /
    (C_k - C_{k-1})``, i.e. year ``k``'s flow is taken to arrive evenly through the
    year.  None when the cumulative flow never turns non-negative.  A cumulative
    flow within ``1e-9 * max|CF|`` of 0 counts as 0 (floating-point rounding).
    """
    flows = _flows(cashflows)
    cumulative = np.cumsum(flows * _discount(len(flows), rate))
    # a cumulative sum that is 0 up to rounding (e.g. -1e-14) counts as paid back
    cumulative[np.abs(cumulative) <= 1e-9 * np.abs(flows).max()] = 0.0
    if cumulative[0] >= 0:
        return 0.0
    reached = np.flatnonzero(cumulative >= 0)
    if reached.size == 0:
        return None
    k = int(reached[0])
    before, after = cumulative[k - 1], cumulative[k]
    return float((k - 1) + (-before) / (after - before))


def sensitivity(
    model_fn: Callable[..., float],
    base: Mapping[str, float],
    ranges: Mapping[str, tuple[float, float]],
) -> pd.DataFrame:
    """One-at-a-time sensitivity: the tornado table.

    For each input ``x`` in ``ranges``, the outcome ``model_fn(**base)`` is recomputed
    with ``x`` at its low and at its high value (every other input at its base).
    ``swing = |outcome_high - outcome_low|``; rows are sorted by swing, largest first.

    Parameters
    ----------
    model_fn
        Takes the inputs as keyword arguments and returns one number (e.g. an NPV).
    base
        The central value of every input.
    ranges
        ``{input: (low, high)}`` for the uncertain inputs.

    Returns
    -------
    pandas.DataFrame
        ``input``, ``low``, ``high``, ``base``, ``outcome_low``, ``outcome_high``,
        ``base_outcome`` and ``swing``.
    """
    unknown = [name for name in ranges if name not in base]
    if unknown:
        raise InvalidInput(f"{unknown[0]!r} has a range but no base value; give it in base")
    base_outcome = _outcome(model_fn, dict(base), "the base values")
    rows = []
    for name, bounds in ranges.items():
        try:
            low, high = (float(v) for v in bounds)
        except (TypeError, ValueError):
            raise InvalidInput(f"the range of {name!r} must be two numbers (low, high)") from None
        out_low = _outcome(model_fn, {**base, name: low}, f"{name} = {low:g}")
        out_high = _outcome(model_fn, {**base, name: high}, f"{name} = {high:g}")
        rows.append(
            {
                "input": name,
                "low": low,
                "high": high,
                "base": float(base[name]),
                "outcome_low": out_low,
                "outcome_high": out_high,
                "base_outcome": base_outcome,
                "swing": abs(out_high - out_low),
            }
        )
    table = pd.DataFrame(rows, columns=_TORNADO_COLUMNS)
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


_TORNADO_COLUMNS = [
    "input",
    "low",
    "high",
    "base",
    "outcome_low",
    "outcome_high",
    "base_outcome",
    "swing",
]


def tornado_chart(table: pd.DataFrame, *, outcome: str = "outcome") -> go.Figure:
    """Horizontal bars from the base outcome to the outcome at each input's low and high."""
    import plotly.graph_objects as go

    require_columns(table, _TORNADO_COLUMNS, name="table")
    rows = table.iloc[::-1]  # largest swing on top
    base = float(rows["base_outcome"].iloc[0]) if len(rows) else 0.0
    fig = go.Figure()
    for end, label, colour in (
        ("outcome_low", "input low", "#ff7f0e"),
        ("outcome_high", "input high", "#1f77b4"),
    ):
        fig.add_trace(
            go.Bar(
                y=rows["input"],
                x=rows[end] - base,
                base=base,
                orientation="h",
                name=label,
                marker_color=colour,
                customdata=rows[["low" if end == "outcome_low" else "high"]].to_numpy(),
                hovertemplate="%{y} = %{customdata[0]}: " + outcome + " %{x:+,.0f}<extra></extra>",
            )
        )
    fig.add_vline(x=base, line_dash="dot")
    fig.update_layout(
        barmode="overlay",
        template="plotly_white",
        xaxis_title=outcome,
        title=f"What moves the {outcome} most",
    )
    return fig


def cost_per_transaction(
    frame: pd.DataFrame,
    *,
    channel: str = "channel",
    cost: str = "cost",
    transactions: str = "transactions",
    by: str | Sequence[str] = (),
) -> pd.DataFrame:
    """Cost per transaction by channel: ``sum(cost) / sum(transactions)``.

    Also the channel's share of all transactions (within each group of ``by``).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``channel``, ``cost``, ``transactions``, ``cost_per_transaction``
        and ``share_of_transactions``, sorted by cost per transaction, cheapest first.
    """
    keys = as_keys(by)
    require_columns(frame, [*keys, channel, cost, transactions], name="frame")
    data = frame[[*keys, channel]].copy()
    data["cost"] = numbers(frame, cost, name="frame")
    data["transactions"] = numbers(frame, transactions, name="frame")
    _no_negatives(frame, data, {"cost": cost, "transactions": transactions})
    out = data.groupby([*keys, channel], dropna=False, sort=True)[["cost", "transactions"]].sum()
    out = out.reset_index()
    if out["transactions"].eq(0).any():
        bad = out.loc[out["transactions"].eq(0), channel].iloc[0]
        raise InvalidInput(
            located(f"channel {bad!r} has no transactions", file="frame", field=transactions)
        )
    out["cost_per_transaction"] = out["cost"] / out["transactions"]
    totals = (
        out.groupby(keys)["transactions"].transform("sum") if keys else out["transactions"].sum()
    )
    out["share_of_transactions"] = out["transactions"] / totals
    out = out.rename(columns={channel: "channel"}) if channel != "channel" else out
    return out.sort_values([*keys, "cost_per_transaction"], kind="stable").reset_index(drop=True)


def split_shared_cost(
    total: float,
    municipalities: pd.DataFrame,
    method: Literal["equal", "population", "usage"] = "equal",
    *,
    name: str = "municipality",
    population: str = "population",
    usage: str = "usage",
    decimals: int = 2,
) -> pd.DataFrame:
    """Split a shared platform's cost across municipalities.

    ``share_i = total / N`` (``"equal"``), ``total * population_i / sum(population)``
    (``"population"``) or ``total * usage_i / sum(usage)`` (``"usage"``, e.g.
    transactions).  Amounts are rounded to ``decimals`` places by the largest
    remainder method, so they add up to ``total`` exactly (in those units).

    Returns
    -------
    pandas.DataFrame
        The name column, the weight used (if any), ``fraction`` and ``amount``.
    """
    if method not in ("equal", "population", "usage"):
        raise InvalidInput(f"unknown method {method!r}; expected 'equal', 'population' or 'usage'")
    if not isinstance(total, (int, float)) or isinstance(total, bool) or not total >= 0:
        raise InvalidInput(f"the total cost must be a number >= 0, got {total!r}")
    weight_column = {"equal": None, "population": population, "usage": usage}[method]
    require_columns(
        municipalities, [name, *([weight_column] if weight_column else [])], name="municipalities"
    )
    if municipalities.empty:
        raise InvalidInput("municipalities: no rows; expected one row per municipality")
    out = municipalities[[name]].copy()
    if weight_column is None:
        weights = np.ones(len(out))
    else:
        values = numbers(municipalities, weight_column, name="municipalities")
        as_frame = values.to_frame(weight_column)
        _no_negatives(municipalities, as_frame, {weight_column: weight_column}, "municipalities")
        if values.isna().any() or values.sum() <= 0:
            raise InvalidInput(
                located(
                    "every row needs a weight and they must add up to more than 0",
                    file="municipalities",
                    field=weight_column,
                )
            )
        weights = values.to_numpy()
        out[weight_column] = weights
    out["fraction"] = weights / weights.sum()
    out["amount"] = _round_to_total(total * out["fraction"].to_numpy(), total, decimals)
    return out.reset_index(drop=True)


# --- helpers -----------------------------------------------------------------------------


def _flows(cashflows: Flows) -> np.ndarray:
    try:
        flows = np.asarray(cashflows, dtype="float64").ravel()
    except (TypeError, ValueError):
        raise InvalidInput("cash flows must be numbers, year 0 first") from None
    if flows.size == 0 or not np.isfinite(flows).all():
        raise InvalidInput("cash flows must be a non-empty list of finite numbers, year 0 first")
    return flows


def _discount(n: int, rate: float) -> np.ndarray:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not rate > -1:
        raise InvalidInput(
            f"the discount rate must be a fraction above -1 (0.035 = 3.5 %), got {rate!r}"
        )
    return (1.0 + float(rate)) ** -np.arange(n, dtype="float64")


def _outcome(model_fn: Callable[..., float], inputs: dict[str, float], where: str) -> float:
    value = model_fn(**inputs)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"the model returned {value!r} at {where}; expected a number") from None
    if not np.isfinite(number):
        raise InvalidInput(f"the model returned {number} at {where}; expected a finite number")
    return number


def _no_negatives(
    source: pd.DataFrame, data: pd.DataFrame, columns: dict[str, str], name: str = "frame"
) -> None:
    for inner, outer in columns.items():
        negative = (data[inner] < 0).to_numpy()
        if negative.any():
            pos = int(np.argmax(negative))
            raise InvalidInput(
                located(
                    f"{data[inner].iloc[pos]:g} is negative; expected 0 or more",
                    file=name,
                    row=row_label(source, pos),
                    field=outer,
                )
            )


def _round_to_total(amounts: np.ndarray, total: float, decimals: int) -> np.ndarray:
    """Round down, then give the leftover units to the largest remainders (sum = total)."""
    scale = 10**decimals
    units = amounts * scale
    floors = np.floor(units + 1e-9)
    leftover = int(round(total * scale - floors.sum()))
    order = np.argsort(-(units - floors), kind="stable")
    floors[order[: max(leftover, 0)]] += 1
    out: np.ndarray = floors / scale
    return out
