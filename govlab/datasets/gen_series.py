"""Synthetic panels: channel shift around a shared-portal launch, ridership around a redesign.

Everything here is SYNTHETIC: made from a seed to exercise the analyses, not
observed. Frames carry ``attrs["synthetic"] = True``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govlab.errors import InvalidInput

CHANNELS: tuple[str, ...] = ("online", "phone", "in_person")

# Cost per transaction (GBP) in the range the UK GDS report cites (SOCITM 2012:
# 0.15 digital, 2.83 phone, 8.62 face to face; GDS assumed 0.30 for digital).
_UNIT_COST = {"online": 0.30, "phone": 2.85, "in_person": 8.60}


def generate_channel_shift(
    municipalities: int,
    *,
    months: int = 36,
    launch_month: int = 18,
    seed: int = 0,
    start: str = "2021-01-01",
    treated_share: float = 0.5,
) -> pd.DataFrame:
    """Make a SYNTHETIC monthly panel of transactions by channel for N municipalities.

    Each municipality has a population (lognormal, ~5,000-500,000) and makes about
    0.25 transactions per resident a month. The online share starts at 20-35 % and
    drifts up 0.15 points a month everywhere; municipalities that joined the shared
    portal (``treated``) gain 8 points at ``launch_month`` and 0.6 points a month
    after it (capped at 90 %), taken from phone and in-person in proportion. Unit
    costs vary +-10 % around GBP 0.30 online, 2.85 phone and 8.60 in person.

    Parameters
    ----------
    municipalities
        How many (named ``Municipality 01`` ...).
    months
        Length of the panel; month 0 is ``start``.
    launch_month
        Month index at which the portal launches (0 < launch_month < months).
    seed
        Same seed, same panel.
    start
        First month.
    treated_share
        Share of municipalities that join the portal.

    Returns
    -------
    pandas.DataFrame
        ``municipality``, ``population``, ``month`` (first day, datetime64[ns]),
        ``channel`` (online / phone / in_person), ``transactions`` (int),
        ``cost_per_transaction`` (GBP), ``treated`` (bool) and ``post`` (bool:
        month >= launch). ``attrs`` hold ``synthetic``, ``launch_date`` and the
        true effect (``effect_level``, ``effect_slope``, share points).
    """
    if municipalities < 1 or not 0 < launch_month < months:
        raise InvalidInput("need municipalities >= 1 and 0 < launch_month < months")
    rng = np.random.default_rng([seed, 0xC5])
    names = [f"Municipality {i:02d}" for i in range(1, municipalities + 1)]
    population = np.round(np.exp(rng.uniform(np.log(5_000), np.log(500_000), municipalities)))
    treated = np.zeros(municipalities, dtype=bool)
    treated[rng.permutation(municipalities)[: round(treated_share * municipalities)]] = True
    shares, volume = _channel_volumes(rng, population, treated, months, launch_month)
    post = np.arange(months) >= launch_month
    months_index = pd.date_range(start, periods=months, freq="MS")
    frames = []
    for channel in CHANNELS:
        cost = _UNIT_COST[channel] * rng.uniform(0.9, 1.1, (municipalities, months))
        frames.append(
            pd.DataFrame(
                {
                    "municipality": np.repeat(names, months),
                    "population": np.repeat(population.astype(np.int64), months),
                    "month": np.tile(months_index.to_numpy(), municipalities),
                    "channel": channel,
                    "transactions": np.round(volume * shares[channel]).astype(np.int64).ravel(),
                    "cost_per_transaction": np.round(cost, 2).ravel(),
                    "treated": np.repeat(treated, months),
                    "post": np.tile(post, municipalities),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["municipality", "month", "channel"], ignore_index=True)
    out["municipality"] = out["municipality"].astype("str")
    out["channel"] = out["channel"].astype("str")
    out["month"] = out["month"].astype("datetime64[ns]")
    out.attrs.update(
        synthetic=True,
        launch_date=months_index[launch_month].date().isoformat(),
        effect_level=0.08,
        effect_slope=0.006,
    )
    return out


def _channel_volumes(
    rng: np.random.Generator,
    population: np.ndarray,
    treated: np.ndarray,
    months: int,
    launch_month: int,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Share of each channel and total transactions, municipality x month."""
    size = population.size
    base_online = rng.uniform(0.20, 0.35, size)
    phone_part = rng.uniform(0.55, 0.70, size)  # of the offline share
    month = np.arange(months)
    after = np.clip(month - launch_month, 0, None)
    online = base_online[:, None] + 0.0015 * month[None, :]
    online = online + treated[:, None] * (0.08 * (month >= launch_month) + 0.006 * after)[None, :]
    online = np.clip(online + rng.normal(0, 0.01, online.shape), 0.02, 0.90)
    season = 1 + 0.08 * np.sin(2 * np.pi * month / 12)
    volume = population[:, None] * 0.25 * season[None, :] * rng.lognormal(0, 0.03, online.shape)
    shares = {
        "online": online,
        "phone": (1 - online) * phone_part[:, None],
        "in_person": (1 - online) * (1 - phone_part[:, None]),
    }
    return shares, volume


def generate_ridership(
    routes: list[str] | int,
    *,
    weeks_before: int = 26,
    weeks_after: int = 26,
    redesign_week: int | None = None,
    seed: int = 0,
    start: str = "2014-01-06",
) -> pd.DataFrame:
    """Make SYNTHETIC weekly boardings and revenue hours per route around a network redesign.

    Each route has a baseline productivity (boardings per revenue hour, lognormal
    around 18) and 60-400 revenue hours a week. At the redesign a route's service
    changes by -30 % to +40 %; boardings follow with an elasticity of 0.5, plus a
    network-wide gain of 5 %. Weekly noise is +-5 % and there is a mild seasonal wave.

    Parameters
    ----------
    routes
        Route names (e.g. Cairns' ``route_short_name``), or how many to invent
        (``R01`` ...).
    weeks_before, weeks_after
        Weeks in each period.
    redesign_week
        Index of the first week after the redesign; ``weeks_before`` when None.
    seed
        Same seed, same series.
    start
        Monday of the first week.

    Returns
    -------
    pandas.DataFrame
        ``route``, ``week`` (Monday, datetime64[ns]), ``boardings`` (int),
        ``revenue_hours`` (float) and ``period`` (``before`` / ``after``);
        ``attrs["synthetic"]`` is True and ``attrs["redesign_date"]`` the first
        week after.
    """
    names = [f"R{i:02d}" for i in range(1, routes + 1)] if isinstance(routes, int) else list(routes)
    weeks = weeks_before + weeks_after
    cut = weeks_before if redesign_week is None else redesign_week
    if not names or weeks < 2 or not 0 < cut < weeks:
        raise InvalidInput(
            "need at least one route, and 0 < redesign_week < weeks_before + weeks_after"
        )
    rng = np.random.default_rng([seed, 0x8B5])
    n = len(names)
    productivity = rng.lognormal(np.log(18), 0.45, n)
    hours = rng.uniform(60, 400, n)
    change = rng.uniform(-0.30, 0.40, n)
    week = np.arange(weeks)
    after = week >= cut
    service = hours[:, None] * np.where(after[None, :], 1 + change[:, None], 1.0)
    demand = productivity[:, None] * hours[:, None]
    demand = demand * np.where(after[None, :], (1 + change[:, None]) ** 0.5 * 1.05, 1.0)
    season = 1 + 0.06 * np.sin(2 * np.pi * (week + 10) / 52)
    boardings = demand * season[None, :] * rng.lognormal(0, 0.05, (n, weeks))
    week_dates = pd.date_range(start, periods=weeks, freq="7D")
    out = pd.DataFrame(
        {
            "route": pd.Series(np.repeat(names, weeks), dtype="str"),
            "week": np.tile(week_dates.to_numpy(), n).astype("datetime64[ns]"),
            "boardings": np.round(boardings).astype(np.int64).ravel(),
            "revenue_hours": np.round(service * rng.lognormal(0, 0.01, (n, weeks)), 1).ravel(),
            "period": pd.Series(np.tile(np.where(after, "after", "before"), n), dtype="str"),
        }
    )
    out.attrs.update(synthetic=True, redesign_date=week_dates[cut].date().isoformat())
    return out
