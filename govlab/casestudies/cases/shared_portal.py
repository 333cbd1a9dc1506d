"""``shared-portal``: channel shift, unit costs, savings and the cost split of a shared portal.

The data is a monthly panel: ``municipality``, ``month``, ``channel``
(online / phone / in_person), ``transactions`` and optionally ``population``,
``treated`` (joined the portal) and ``cost_per_transaction``. The estimates come
from :mod:`govlab.analysis.impact` and :mod:`govlab.analysis.costbenefit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from govlab.casestudies.data import spelled
from govlab.errors import InvalidInput, located

if TYPE_CHECKING:
    from govlab.analysis import DifferenceInDifferences, InterruptedTimeSeries

CHANNELS = ("online", "phone", "in_person")

# Spellings a participant's file may use for the three channels.
SYNONYMS: dict[str, str] = {
    **{w: "online" for w in ("online", "web", "website", "internet", "digital", "app", "mobile",
                             "mobile app", "email", "e-mail", "portal", "self-service", "chat")},
    **{w: "phone" for w in ("phone", "telephone", "call", "call centre", "call center", "tel")},
    **{w: "in_person" for w in ("in_person", "in person", "in-person", "face_to_face",
                                "face to face", "face-to-face", "counter", "walk-in", "walk in",
                                "office", "desk", "post", "mail", "letter", "paper")},
}  # fmt: skip

# The SOCITM (2012) council averages quoted by the GDS report, by channel of this case.
_SOCITM_CHANNELS = {"digital": "online", "phone": "phone", "face_to_face": "in_person"}


#: Whether the case's own data is synthetic: the channel volumes are generated.
DEFAULT_SYNTHETIC = True

#: Where the case's own data comes from.
DEFAULT_PLACE = "towns like Massachusetts's (generated)"


@dataclass(frozen=True)
class SharedPortal:
    """What the notebook shows (money in USD, shares in percent)."""

    launch: pd.Timestamp
    unit_costs: pd.DataFrame
    shares: pd.DataFrame
    its: InterruptedTimeSeries
    did: DifferenceInDifferences | None
    costs: pd.DataFrame
    savings: pd.DataFrame
    cashflows: pd.DataFrame
    tornado: pd.DataFrame
    split: pd.DataFrame
    figures: dict[str, Any] = field(default_factory=dict)


# generate_channel_shift makes about 0.25 transactions per resident a month (all council
# contacts); the default data is rescaled to ``requests_per_resident``.
_GENERATED_RATE = 0.25


def default_data(
    municipalities: int = 54,
    months: int = 36,
    launch_month: int = 18,
    requests_per_resident: float = 0.03,
    seed: int = 0,
    **_: Any,
) -> pd.DataFrame:
    """SYNTHETIC panel: ``municipalities`` towns that join the portal, as many that do not.

    Transactions are rescaled from the generator's 0.25 a resident a month to
    ``requests_per_resident`` (``round(n * rate / 0.25)``).
    """
    from govlab.datasets import generate_channel_shift

    panel = generate_channel_shift(
        municipalities * 2, months=months, launch_month=launch_month, seed=seed, treated_share=0.5
    )
    scaled = (panel["transactions"] * (requests_per_resident / _GENERATED_RATE)).round()
    out = panel.assign(transactions=scaled.astype("int64"))
    out.attrs.update(panel.attrs)
    return out


def check(data: pd.DataFrame | None, params: dict[str, Any]) -> None:
    """Refuse, before any run, what the analysis cannot use."""
    if data is None:
        if not params["launch_month"] < params["months"] - 2 or params["launch_month"] < 3:
            raise InvalidInput(
                "parameter 'launch_month': need at least three months before and after the "
                f"launch; got {params['launch_month']} of {params['months']} months"
            )
        return
    if not params.get("launch_date"):
        raise InvalidInput(
            "parameter 'launch_date' is needed with --data: the month your portal went live, "
            "e.g. -p launch_date=2012-06-01"
        )
    normalise(data)
    if params["split"] == "population" and "population" not in data.columns:
        raise InvalidInput(
            located(
                "split=population needs a 'population' column (--map population=COLUMN), "
                "or choose -p split=equal or -p split=usage",
                file=data.attrs.get("file"),
            )
        )
    if params["unit_costs"] == "data" and "cost_per_transaction" not in data.columns:
        raise InvalidInput(
            located(
                "unit_costs=data needs a 'cost_per_transaction' column "
                "(--map cost_per_transaction=COLUMN)",
                file=data.attrs.get("file"),
            )
        )
    launch = pd.Timestamp(params["launch_date"])
    months = data["month"].dt.to_period("M").drop_duplicates()
    before, after = (
        int((months < launch.to_period("M")).sum()),
        int((months >= launch.to_period("M")).sum()),
    )
    if before < 3 or after < 3:
        raise InvalidInput(
            located(
                f"need at least three months before and after the launch ({launch:%Y-%m}); "
                f"the data has {before} before and {after} after",
                file=data.attrs.get("file"),
                field="month",
            )
        )


def normalise(data: pd.DataFrame) -> pd.DataFrame:
    """The panel with channels spelled online / phone / in_person and ``treated`` filled.

    Raises
    ------
    InvalidInput
        A channel that is not recognised (naming the row of the file when known).
    """
    out = data.copy()
    channel = spelled(
        data, "channel", SYNONYMS,
        "online, phone or in_person (or web, app, telephone, counter, post ...)",
    )  # fmt: skip
    out["channel"] = channel.astype("str")
    if "treated" not in out.columns:
        out["treated"] = True
    out["month"] = out["month"].dt.to_period("M").dt.to_timestamp()
    return out


def channel_unit_costs(
    source: str, usd_per_gbp: float, data: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Cost per transaction by channel, in USD.

    ``socitm``: the UK council averages of the GDS Digital Efficiency Report (2012,
    footnote 9) converted at ``usd_per_gbp``; ``data``: ``sum(cost_per_transaction *
    transactions) / sum(transactions)`` per channel of your panel.
    """
    if source == "data" and data is not None:
        from govlab.analysis import cost_per_transaction

        frame = data.assign(cost=data["cost_per_transaction"] * data["transactions"])
        table = cost_per_transaction(frame)[["channel", "cost_per_transaction"]]
        return table.assign(source="your data").rename(columns={"cost_per_transaction": "usd"})
    from govlab.datasets import load_channel_costs

    costs = load_channel_costs()
    socitm = costs[costs["source"].str.startswith("SOCITM")]
    table = pd.DataFrame(
        {
            "channel": socitm["channel"].map(_SOCITM_CHANNELS),
            "gbp": socitm["cost_gbp_per_transaction"],
        }
    ).dropna()
    table["usd"] = table["gbp"] * usd_per_gbp
    table["source"] = "SOCITM 2012, via the GDS Digital Efficiency Report"
    return table.reset_index(drop=True)


def analyse(
    panel: pd.DataFrame,
    *,
    launch_date: str | None = None,
    platform_cost: float = 400_000.0,
    running_cost: float = 0.0,
    split: str = "population",
    unit_costs: str = "socitm",
    usd_per_gbp: float = 1.58,
    years: int = 5,
    discount_rate: float = 0.035,
    **_: Any,
) -> SharedPortal:
    """Compute every table and key figure of the case.

    Steps: the online share per month of the towns that joined (and of those
    that did not); an interrupted time series of the joiners' online share at
    the launch and, with a comparison group, a difference-in-differences; the
    cost of each month's transactions at the unit costs; the savings against
    the series' counterfactual; NPV, ROI and payback of the platform; and the
    split of its cost among the towns that joined.
    """
    from govlab.analysis import difference_in_differences, interrupted_time_series

    data = normalise(panel)
    launch = pd.Timestamp(str(launch_date or panel.attrs.get("launch_date")))
    costs_table = channel_unit_costs(unit_costs, usd_per_gbp, data)
    shares = _shares(data)
    joined = shares[shares["group"] == "joined"]
    its = interrupted_time_series(
        joined, "month", "online_share", launch, name="the online share", unit="points",
        event="the launch", per="month",
    )  # fmt: skip
    did = None
    if data["treated"].nunique() == 2:
        town = _town_shares(data)
        did = difference_in_differences(
            town, "online_share", "treated", "month", intervention=launch,
            cluster="municipality", name="the online share", unit="points",
            event="the launch", comparison="the towns that did not join",
        )  # fmt: skip
    costs = _costs(data, costs_table, launch)
    savings = _savings(data, costs_table, its.series, launch)
    result = SharedPortal(
        launch=launch,
        unit_costs=costs_table,
        shares=shares,
        its=its,
        did=did,
        costs=costs,
        savings=savings,
        cashflows=pd.DataFrame(),
        tornado=pd.DataFrame(),
        split=town_split(data, launch, platform_cost + running_cost * years, split),
    )
    annual = float(savings["savings"].mean() * 12) if len(savings) else 0.0
    flows, tornado = _cost_benefit(annual, platform_cost, running_cost, years, discount_rate)
    result = _with(result, cashflows=flows, tornado=tornado)
    result.figures.update(
        _figures(data, result, annual, platform_cost, running_cost, discount_rate)
    )
    return result


def _with(result: SharedPortal, **changes: Any) -> SharedPortal:
    from dataclasses import replace

    return replace(result, **changes)


def _shares(data: pd.DataFrame) -> pd.DataFrame:
    """Online share (percent) per month of the towns that joined and of the others."""
    by = data.groupby(["treated", "month", "channel"])["transactions"].sum().unstack("channel")
    by = by.reindex(columns=list(CHANNELS), fill_value=0).fillna(0)
    total = by.sum(axis=1)
    out = pd.DataFrame(
        {"online_share": by["online"] / total * 100, "transactions": total}
    ).reset_index()
    out["group"] = np.where(out["treated"], "joined", "did not join")
    return out[["group", "month", "online_share", "transactions"]]


def _town_shares(data: pd.DataFrame) -> pd.DataFrame:
    wide = data.pivot_table(
        index=["municipality", "treated", "month"],
        columns="channel",
        values="transactions",
        aggfunc="sum",
        fill_value=0,
    ).reindex(columns=list(CHANNELS), fill_value=0)
    share = wide["online"] / wide.sum(axis=1).replace(0, np.nan) * 100
    return share.rename("online_share").reset_index().dropna(subset=["online_share"])


def _costs(data: pd.DataFrame, costs: pd.DataFrame, launch: pd.Timestamp) -> pd.DataFrame:
    """Blended cost per transaction of the joiners before and after: sum(cost) / sum(n)."""
    from govlab.analysis import cost_per_transaction

    joined = data[data["treated"]].copy()
    joined["cost"] = joined["transactions"] * joined["channel"].map(
        costs.set_index("channel")["usd"]
    )
    joined["period"] = np.where(joined["month"] >= launch, "after", "before")
    return cost_per_transaction(joined, by="period")


def _savings(
    data: pd.DataFrame, costs: pd.DataFrame, series: pd.DataFrame, launch: pd.Timestamp
) -> pd.DataFrame:
    """Monthly savings of the joiners against the trend had nothing changed.

    ``saving_m = volume_m * (share_m - counterfactual_m) / 100 * (offline_cost_m -
    online_cost)``, where ``offline_cost_m`` is the phone / in-person unit cost
    weighted by their volumes that month.
    """
    unit = costs.set_index("channel")["usd"]
    joined = data[data["treated"] & (data["month"] >= launch)]
    wide = joined.pivot_table(
        index="month", columns="channel", values="transactions", aggfunc="sum", fill_value=0
    ).reindex(columns=list(CHANNELS), fill_value=0)
    offline = wide["phone"] + wide["in_person"]
    offline_cost = (
        wide["phone"] * unit.get("phone", np.nan)
        + wide["in_person"] * unit.get("in_person", np.nan)
    ) / offline.replace(0, np.nan)
    post = series[series["post"]].set_index("month")
    shift = (post["online_share"] - post["counterfactual"]).reindex(wide.index)
    out = pd.DataFrame(
        {
            "transactions": wide.sum(axis=1),
            "shift_points": shift,
            "offline_cost": offline_cost,
            "online_cost": unit.get("online", np.nan),
        }
    )
    out["shifted"] = out["transactions"] * out["shift_points"] / 100
    out["savings"] = out["shifted"] * (out["offline_cost"] - out["online_cost"])
    return out.reset_index()


def _cost_benefit(
    annual: float, platform_cost: float, running_cost: float, years: int, rate: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Yearly cash flows (year 0 = the platform) and the NPV tornado."""
    from govlab.analysis import npv, sensitivity

    def model(savings: float, platform: float, running: float, discount: float) -> float:
        return npv([-platform] + [savings - running] * years, discount)

    flows = pd.DataFrame(
        {
            "year": range(years + 1),
            "cost": [platform_cost] + [running_cost] * years,
            "savings": [0.0] + [annual] * years,
        }
    )
    flows["net"] = flows["savings"] - flows["cost"]
    flows["discounted"] = flows["net"] / (1 + rate) ** flows["year"]
    base = {"savings": annual, "platform": platform_cost, "running": running_cost, "discount": rate}
    ranges = {
        "savings": (annual * 0.5, annual * 1.5),
        "platform": (platform_cost * 0.75, platform_cost * 1.5),
        "running": (0.0, max(running_cost * 2, 0.1 * platform_cost)),
        "discount": (0.0, max(2 * rate, 0.07)),
    }
    return flows, sensitivity(model, base, ranges)


def town_split(data: pd.DataFrame, launch: pd.Timestamp, total: float, method: str) -> pd.DataFrame:
    """Each joining town's share of ``total``: equal, by population or by use after the launch."""
    from govlab.analysis import split_shared_cost

    joined = data[data["treated"]]
    towns = joined.groupby("municipality", sort=True).agg(
        usage=("transactions", lambda s: float(s[joined.loc[s.index, "month"] >= launch].sum()))
    )
    if "population" in joined.columns:
        towns["population"] = joined.groupby("municipality")["population"].max()
    return split_shared_cost(total, towns.reset_index(), method)  # type: ignore[arg-type]


def _figures(
    data: pd.DataFrame,
    result: SharedPortal,
    annual: float,
    platform_cost: float,
    running_cost: float,
    rate: float,
) -> dict[str, Any]:
    from govlab.analysis import payback_period, roi

    joined = result.shares[result.shares["group"] == "joined"]
    post = joined["month"] >= result.launch
    weighted = joined["online_share"] * joined["transactions"]
    flows = result.cashflows
    sums = result.costs.groupby("period")[["cost", "transactions"]].sum()
    blended = {str(k): float(v) for k, v in (sums["cost"] / sums["transactions"]).items()}
    figures: dict[str, Any] = {
        "municipalities": int(data.loc[data["treated"], "municipality"].nunique()),
        "online_share_before": float(weighted[~post].sum() / joined["transactions"][~post].sum()),
        "online_share_after": float(weighted[post].sum() / joined["transactions"][post].sum()),
        "its_level_change": result.its.estimate,
        "its_slope_change": result.its.slope_change,
        "its_p_value": result.its.p_value,
        "cost_per_transaction_before": blended.get("before"),
        "cost_per_transaction_after": blended.get("after"),
        "annual_savings": annual,
        "npv": float(flows["discounted"].sum()),
        "roi": roi(flows["savings"].to_numpy(), flows["cost"].to_numpy(), rate) * 100
        if flows["cost"].sum() > 0
        else None,
        "payback_years": payback_period(flows["net"].to_numpy(), rate),
        "cost_per_municipality": float(result.split["amount"].median()),
    }
    if result.did is not None:
        figures["did_effect"] = result.did.estimate
    return figures
