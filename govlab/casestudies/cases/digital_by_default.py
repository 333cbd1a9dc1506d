"""``digital-by-default``: what moving transactions to digital channels saves (UK GDS, 2012).

The data is a table of services with their yearly transactions, either as the
GDS report gives them (``transactions`` and ``pct_digital``) or as a council
counts them (one row per service and ``channel``). The unit costs are the ones
the GDS *Digital Efficiency Report* cites: the SOCITM council averages (2012)
or the Driving Standards Agency's (2011/12).

Formulas, per service ``s`` and channel ``c`` with ``v(s, c)`` transactions and
``k(c)`` GBP per transaction:

* ``cost(s) = sum_c v(s, c) k(c)``;
* ``offline unit cost(s) = sum over offline c of v(s, c) k(c) / offline(s)``;
* ``saving per point(s) = transactions(s) x 1 % x (offline unit cost(s) - k(digital))``:
  one percentage point of the service's transactions moved from offline to digital;
* ``saving at the target(s) = max(0, target - digital %(s)) / 100 x transactions(s) x
  (offline unit cost(s) - k(digital))``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import govlab.datasets.words as words
from govlab.casestudies.data import error_at, spelled
from govlab.errors import InvalidInput, located

#: Whether the case's own data is synthetic: the GDS figures are real.
DEFAULT_SYNTHETIC = False

#: Where the case's own data comes from.
DEFAULT_PLACE = "UK central government"

CHANNELS = ("digital", "phone", "face_to_face", "post")

# Spellings a council's file may use for the four channels.
SYNONYMS: dict[str, str] = {
    **{w: "digital" for w in ("digital", "online", "web", "website", "internet", "app",
                              "mobile", "email", "e-mail", "portal", "self-service", "chat")},
    **{w: "phone" for w in ("phone", "telephone", "call", "calls", "call centre",
                            "call center", "tel", "contact centre")},
    **{w: "face_to_face" for w in ("face_to_face", "face to face", "face-to-face", "in person",
                                   "in_person", "counter", "walk-in", "walk in", "office",
                                   "desk", "visit", "reception")},
    **{w: "post" for w in ("post", "mail", "letter", "paper", "postal")},
}  # fmt: skip

# The unit-cost sources of the GDS report, by the channel names of its footnotes.
_SOURCES = {
    "socitm": ("SOCITM", "UK council averages 2012 (SOCITM, footnote 9 of the GDS report)"),
    "dsa": ("Driving Standards Agency", "Driving Standards Agency 2011/12 (footnote 1)"),
}


@dataclass(frozen=True)
class DigitalByDefault:
    """What the notebook shows (money in GBP a year, shares in percent)."""

    unit_costs: pd.DataFrame
    services: pd.DataFrame
    opportunities: pd.DataFrame
    by_volume: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


def default_data() -> pd.DataFrame:
    """The 17 case-study services of the GDS Digital Efficiency Report (real)."""
    from govlab.datasets import load_channel_volumes

    table = load_channel_volumes()
    return pd.DataFrame(
        {
            "service": table["service"],
            "department": table["department"],
            "transactions": table["annual_volume"],
            "pct_digital": table["pct_digital"],
        }
    )


def check(data: pd.DataFrame | None, params: dict[str, Any]) -> None:
    """Refuse, before any run, a table that gives neither channels nor a digital share."""
    if data is None:
        return
    columns = set(data.columns)
    if "transactions" not in columns:
        raise InvalidInput(
            located(
                f"no column of transactions; name it with {words.mapping('transactions')}",
                file=data.attrs.get("file"),
            )
        )
    if "channel" not in columns and "pct_digital" not in columns:
        raise InvalidInput(
            located(
                "the file says neither the channel of each row nor the share done digitally: "
                f"name one with {words.mapping('channel')} or {words.mapping('pct_digital')}",
                file=data.attrs.get("file"),
            )
        )
    volumes(data, float(params["phone_share"]))


def unit_costs(source: str) -> pd.DataFrame:
    """Cost per transaction by channel (GBP) from the report's footnotes.

    A channel the source does not price is priced as the other offline channel it
    does (SOCITM gives no post cost: post is priced as face to face; the DSA gives
    no face-to-face cost: it is priced as post), and ``note`` says so.
    """
    from govlab.datasets import load_channel_costs

    if source not in _SOURCES:
        raise InvalidInput(f"unit_costs must be one of {', '.join(_SOURCES)}, not {source!r}")
    prefix, label = _SOURCES[source]
    costs = load_channel_costs()
    chosen = costs[costs["source"].str.startswith(prefix)]
    priced = dict(zip(chosen["channel"], chosen["cost_gbp_per_transaction"], strict=True))
    rows = []
    for channel in CHANNELS:
        note = ""
        if channel not in priced:
            stand_in = "face_to_face" if channel == "post" else "post"
            priced[channel] = priced[stand_in]
            note = f"not given: priced as {stand_in.replace('_', ' ')}"
        rows.append({"channel": channel, "gbp": float(priced[channel]), "source": label,
                     "note": note})  # fmt: skip
    return pd.DataFrame(rows)


def volumes(data: pd.DataFrame, phone_share: float) -> pd.DataFrame:
    """Transactions per service and channel, one row per service.

    With a ``channel`` column the file's own split is used; with ``pct_digital``
    the offline part is split ``phone_share`` by phone and the rest face to face
    (``split`` says which).
    """
    if "channel" in data.columns:
        return _from_channels(data)
    out = data.groupby("service", sort=False, as_index=False).agg(
        transactions=("transactions", "sum"), pct_digital=("pct_digital", "first"),
        **({"department": ("department", "first")} if "department" in data else {}),
    )  # fmt: skip
    _check_share(data)
    offline = out["transactions"] * (1 - out["pct_digital"] / 100)
    out["digital"] = out["transactions"] - offline
    out["phone"] = offline * phone_share
    out["face_to_face"] = offline * (1 - phone_share)
    out["post"] = 0.0
    out["split"] = "assumed"
    return out


def _check_share(data: pd.DataFrame) -> None:
    bad = ~data["pct_digital"].between(0, 100) & data["pct_digital"].notna()
    if bad.any():
        pos = int(np.argmax(bad.to_numpy()))
        given = data["pct_digital"].iloc[pos]
        message = f"{given:g} is not a percentage; expected 0 to 100"
        raise error_at(data, pos, "pct_digital", message)


def _from_channels(data: pd.DataFrame) -> pd.DataFrame:
    channel = spelled(
        data, "channel", SYNONYMS,
        "digital, phone, face to face or post (or web, online, telephone, counter, letter ...)",
    )  # fmt: skip
    wide = data.assign(channel=channel).pivot_table(
        index="service", columns="channel", values="transactions", aggfunc="sum", fill_value=0,
        sort=False,
    ).reindex(columns=list(CHANNELS), fill_value=0)  # fmt: skip
    out = wide.reset_index()
    out.columns.name = None
    out["transactions"] = out[list(CHANNELS)].sum(axis=1)
    out["pct_digital"] = out["digital"] / out["transactions"].where(out["transactions"] > 0) * 100
    if "department" in data.columns:
        out["department"] = out["service"].map(data.groupby("service")["department"].first())
    out["split"] = "from the file"
    return out


def analyse(
    data: pd.DataFrame,
    *,
    unit_costs: str = "socitm",
    phone_share: float = 0.5,
    target_pct: float = 80.0,
    top: int = 5,
    **_: Any,
) -> DigitalByDefault:
    """Compute every table and key figure of the case (see the module notes)."""
    costs = _unit_costs(unit_costs)
    price = dict(zip(costs["channel"], costs["gbp"], strict=True))
    table = volumes(data, phone_share)
    offline = table[["phone", "face_to_face", "post"]].sum(axis=1)
    offline_cost = (table["phone"] * price["phone"] + table["face_to_face"] * price["face_to_face"]
                    + table["post"] * price["post"])  # fmt: skip
    blend = phone_share * price["phone"] + (1 - phone_share) * price["face_to_face"]
    table["offline_unit_cost"] = (offline_cost / offline.where(offline > 0)).fillna(blend)
    table["cost"] = offline_cost + table["digital"] * price["digital"]
    gain = table["offline_unit_cost"] - price["digital"]
    table["saving_per_point"] = table["transactions"] * 0.01 * gain
    room = (target_pct - table["pct_digital"]).clip(lower=0)
    table["target_saving"] = room / 100 * table["transactions"] * gain
    ranked = table.sort_values("target_saving", ascending=False, ignore_index=True)
    result = DigitalByDefault(
        unit_costs=costs,
        services=table,
        opportunities=ranked[ranked["target_saving"] > 0].head(top),
        by_volume=_by_volume(table),
        notes=_notes(table, costs, phone_share),
    )
    result.figures.update(_figures(table, ranked))
    return result


def _unit_costs(source: str) -> pd.DataFrame:
    return unit_costs(source)


def _notes(table: pd.DataFrame, costs: pd.DataFrame, phone_share: float) -> list[str]:
    notes = []
    if (table["split"] == "assumed").any():
        notes.append(
            f"The file gives the share done digitally but not how the rest arrives: "
            f"{phone_share:.0%} of the offline transactions are taken to be phone calls and "
            f"the rest face to face (set it with {words.parameter('phone_share', 0.7)})."
        )
    for channel, note in zip(costs["channel"], costs["note"], strict=True):
        if note and float(table[channel].sum()) > 0:
            stand_in = str(note).split(": ")[-1]
            notes.append(
                f"The unit costs give no {str(channel).replace('_', ' ')} cost: {stand_in}."
            )
    return notes


# The GDS report's volume bands (figures 1-4): savings per 1 % shift, GBP millions a year.
_BANDS = ((0, 1e6, "Under 1 million"), (1e6, 8e6, "1-8 million"), (8e6, np.inf, "Over 8 million"))


def _by_volume(table: pd.DataFrame) -> pd.DataFrame:
    """Mean saving per point of shift per service, by the report's volume bands."""
    from govlab.datasets import sample_path

    name = "fig1-4_savings_per_1pct_digital_shift_gbp_millions.csv"
    published = pd.read_csv(sample_path("uk_gds_digital_efficiency_2012", name))
    bands = published[published["dimension"] == "volume"]
    millions = bands["annual_savings_gbp_millions_per_1pct_shift"].astype("float64")
    gds = dict(zip(bands["category"].astype("str"), millions * 1e6, strict=True))
    rows = []
    for low, high, label in _BANDS:
        part = table[(table["transactions"] >= low) & (table["transactions"] < high)]
        mean = float(part["saving_per_point"].mean()) if len(part) else None
        rows.append(
            {"band": label, "services": len(part), "mean_saving_per_point": mean,
             "gds_saving_per_point": gds.get(label)}
        )  # fmt: skip
    return pd.DataFrame(rows)


def _figures(table: pd.DataFrame, ranked: pd.DataFrame) -> dict[str, Any]:
    total = float(table["transactions"].sum())
    figures: dict[str, Any] = {
        "services": int(len(table)),
        "transactions": total,
        "digital_share": float(table["digital"].sum()) / total * 100 if total else None,
        "annual_cost": float(table["cost"].sum()),
        "cost_per_transaction": float(table["cost"].sum()) / total if total else None,
        "saving_per_point": float(table["saving_per_point"].sum()),
        "target_savings": float(table["target_saving"].sum()),
    }
    if len(ranked) and ranked["target_saving"].iloc[0] > 0:
        figures["biggest_service"] = str(ranked["service"].iloc[0])
        figures["biggest_service_savings"] = float(ranked["target_saving"].iloc[0])
    return figures
