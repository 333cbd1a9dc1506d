"""``service-performance-311``: KPIs, service levels, backlog and where to act first.

Everything is computed by :mod:`govlab.analysis.kpis` and
:mod:`govlab.analysis.lateness`; this module only chooses the groupings, ranks
the groups and says what it assumed. The log may be a DataFrame or the path of
a canonical Parquet file: a whole city's log (tens of millions of requests) is
then aggregated by DuckDB and never loaded into pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from govlab.errors import InvalidInput

#: Whether the case's own data is synthetic: the NYC 311 sample is real.
DEFAULT_SYNTHETIC = False

#: Where the case's own data comes from.
DEFAULT_PLACE = "New York City"

#: NYC agency codes in the sample, as NYC Open Data names the agencies.
NYC_AGENCIES: dict[str, str] = {
    "DCA": "Department of Consumer Affairs",
    "DFTA": "Department for the Aging",
    "DHS": "Department of Homeless Services",
    "DOE": "Department of Education",
    "DOF": "Department of Finance",
    "DOHMH": "Department of Health and Mental Hygiene",
    "DOT": "Department of Transportation",
    "DPR": "Department of Parks and Recreation",
    "DSNY": "Department of Sanitation",
    "HPD": "Department of Housing Preservation and Development",
    "NYCEM": "NYC Emergency Management",
    "NYPD": "New York City Police Department",
    "TLC": "Taxi and Limousine Commission",
}

#: Codes in NYC's complaint types.
NYC_TERMS: dict[str, str] = {
    "SCRIE": "Senior Citizen Rent Increase Exemption",
    "DRIE": "Disability Rent Increase Exemption",
}

# Columns that may name a code's agency in a city's own export.
_NAME_COLUMNS = ("Agency Name", "agency_name", "Department Name", "department_name")
_GROUPS = ("agency", "category")


@dataclass(frozen=True)
class Service311:
    """What the notebook shows.

    Attributes
    ----------
    as_of
        The moment open requests are measured at.
    profile
        Rows, dates covered, and whether the log holds times or dates only.
    by_agency, by_category
        Per group: requests, closed, median and 90th-percentile hours, compliance
        (None when the log has no agency / no category).
    monthly
        Requests, median hours and compliance per agency (if any) and month.
    backlog
        Requests open at the end of each period, from the first to the last
        opening (closings after it are counted in ``closed_after``).
    priorities
        The ``top`` groups with late requests, most late first (see :func:`priorities`).
    codes
        Code -> what it stands for, for the codes the tables show.
    notes
        Sentences on what was assumed or skipped.
    figures
        The key figures (percentages as 0-100).
    """

    as_of: pd.Timestamp
    profile: Any
    by_agency: pd.DataFrame | None
    by_category: pd.DataFrame | None
    monthly: pd.DataFrame
    backlog: pd.DataFrame
    priorities: pd.DataFrame
    codes: dict[str, str]
    closed_after: int
    notes: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    synthetic: frozenset[str] = frozenset()


def default_data() -> pd.DataFrame:
    """The 2,000 NYC 311 requests of 2011 shipped with govlab (real)."""
    from govlab.datasets import load_nyc311, sample_path

    return load_nyc311(sample_path("nyc311"))


def check(data: pd.DataFrame | None, params: dict[str, Any]) -> None:
    """Nothing to check beyond the loader's checks and the parameters' types."""


def assumptions(requests: pd.DataFrame | str | Path, params: dict[str, Any]) -> list[str]:
    """What a run on ``requests`` will assume or skip, in the report's sentences (``--check``)."""
    from govlab.analysis import log_profile

    profile = log_profile(requests, columns=_GROUPS)
    groups = [g for g in _GROUPS if profile.filled.get(g, 0) > 0]
    return _notes(profile, groups, float(params.get("sla_hours", 72.0)))


def analyse(
    requests: pd.DataFrame | str | Path,
    *,
    sla_hours: float = 72.0,
    min_requests: int = 20,
    top: int = 10,
    backlog_freq: str = "W",
    as_of: str | None = None,
    **_: Any,
) -> Service311:
    """Compute every table and key figure of the case.

    Parameters
    ----------
    requests
        A canonical request log (see :data:`govlab.datasets.REQUEST_COLUMNS`), or
        the path of one in Parquet.
    sla_hours
        Service-level target: a request is on time when ``closed - opened <= sla_hours``.
    min_requests
        Groups with fewer requests are not ranked.
    top
        Rows of the priority table.
    backlog_freq
        ``D``, ``W`` or ``MS``.
    as_of
        ISO date; the default is the last opening or closing time in the log.
    """
    from govlab.analysis import backlog, log_profile, monthly_summary

    profile = log_profile(requests, columns=_GROUPS)
    if profile.requests == 0:
        raise InvalidInput("the request log has no rows")
    moment = pd.Timestamp(as_of) if as_of else profile.last_moment
    groups = [g for g in _GROUPS if profile.filled.get(g, 0) > 0]
    notes = _notes(profile, groups, sla_hours)
    frames = {key: _by(requests, key, sla_hours) for key in groups}
    monthly = monthly_summary(
        requests, by=[g for g in groups if g == "agency"], sla_hours=sla_hours
    )
    periods = backlog(requests, freq=backlog_freq)
    last_period = periods["period"][periods["new"] > 0].max()
    shown = periods[periods["period"] <= last_period].reset_index(drop=True)
    ranked = priorities(
        requests, sla_hours=sla_hours, as_of=moment, min_requests=min_requests, groups=groups
    )
    result = Service311(
        as_of=moment,
        profile=profile,
        by_agency=frames.get("agency"),
        by_category=frames.get("category"),
        monthly=monthly,
        backlog=shown,
        priorities=ranked[ranked["late"] > 0].head(top),
        codes=_codes(requests, ranked[ranked["late"] > 0].head(top), frames.get("agency")),
        closed_after=int(periods.loc[periods["period"] > last_period, "closed"].sum()),
        notes=notes,
    )
    result.figures.update(_figures(requests, result, ranked, sla_hours, min_requests, moment))
    return result


def _by(requests: Any, key: str, sla_hours: float) -> pd.DataFrame:
    from govlab.analysis import response_time_percentiles, sla_compliance

    times = response_time_percentiles(requests, by=key)
    sla = sla_compliance(requests, sla_hours, by=key)
    return times.merge(sla[[key, "within_sla", "compliance"]], on=key)


def _notes(profile: Any, groups: list[str], sla_hours: float) -> list[str]:
    notes = []
    if profile.date_only:
        days = int(sla_hours // 24)
        notes.append(
            "The file gives dates without times (every opening and closing is at midnight), "
            f"so every duration is a whole number of days: the {sla_hours:g}-hour target counts "
            f"{days} day{'s' if days != 1 else ''}, and a request closed the next day took "
            "24 hours."
        )
    if "agency" not in groups:
        notes.append(
            "The file has no agency (or department) column: the figures by agency (the agency "
            "with the lowest compliance) are skipped, and the groups to act on first are "
            + ("complaint types." if "category" in groups else "not ranked.")
        )
    if "category" not in groups:
        notes.append(
            "The file has no complaint type (or category) column: the table by complaint type is "
            "skipped" + (", and the groups to act on first are agencies." if groups else ".")
        )
    return notes


def priorities(
    requests: Any,
    *,
    sla_hours: float,
    as_of: pd.Timestamp,
    min_requests: int,
    groups: list[str] | None = None,
) -> pd.DataFrame:
    """Agency x complaint-type groups ranked by their late requests.

    A request is late when it was closed after the target
    (``closed - opened > sla_hours``) or is still open at ``as_of`` and older
    than the target (``as_of - opened > sla_hours``). Groups with fewer than
    ``min_requests`` requests are left out; ``late_share`` is the group's late
    requests over all late requests of the log, so the first rows are where
    acting removes the most lateness. ``groups`` are the columns the log has
    (both by default).
    """
    from govlab.analysis import late_requests

    keys = list(_GROUPS if groups is None else groups)
    if not keys:
        return pd.DataFrame(
            columns=["requests", "late", "open_late", "median_hours", "late_share", "late_rate"]
        )
    table = late_requests(requests, sla_hours, as_of, by=keys)
    for key in keys:
        table[key] = table[key].fillna(f"(no {key})")
    total_late = int(table["late"].sum())
    table["late_share"] = table["late"] / total_late * 100 if total_late else 0.0
    table["late_rate"] = table["late"] / table["requests"] * 100
    table = table[table["requests"] >= min_requests].drop(columns="open_at")
    table = table.sort_values(keys, kind="stable")
    return table.sort_values(["late", "late_rate"], ascending=False, ignore_index=True)


def _codes(requests: Any, ranked: pd.DataFrame, agencies: pd.DataFrame | None) -> dict[str, str]:
    """What the agency codes and complaint-type codes in the tables stand for."""
    shown: set[str] = set()
    if agencies is not None:
        shown |= set(agencies["agency"].astype("str"))
    if "agency" in ranked.columns:
        shown |= set(ranked["agency"].astype("str"))
    names = _names_in_data(requests, shown)
    if _is_default(requests):
        names = {**names, **{k: v for k, v in NYC_AGENCIES.items() if k in shown}}
        words = " ".join(ranked.get("category", pd.Series(dtype="str")).astype("str"))
        names.update({k: v for k, v in NYC_TERMS.items() if k in words})
    return dict(sorted(names.items()))


def _is_default(requests: Any) -> bool:
    return isinstance(requests, pd.DataFrame) and requests.attrs.get("source_format") in (
        "nyc311-41",
        "nyc311-52",
    )


def _names_in_data(requests: Any, codes: set[str]) -> dict[str, str]:
    """Code -> name where the file has a name column and one name covers 90 % of a code."""
    if not isinstance(requests, pd.DataFrame) or not codes:
        return {}
    column = next((c for c in _NAME_COLUMNS if c in requests.columns), None)
    if column is None:
        return {}
    pairs = requests[["agency", column]].dropna()
    out = {}
    for code, names in pairs.groupby("agency")[column]:
        counts = names.value_counts()
        if str(code) in codes and counts.iloc[0] >= 0.9 * counts.sum():
            out[str(code)] = str(counts.index[0])
    return out


def _figures(
    requests: Any,
    result: Service311,
    ranked: pd.DataFrame,
    sla_hours: float,
    min_requests: int,
    moment: pd.Timestamp,
) -> dict[str, Any]:
    from govlab.analysis import late_requests, response_time_percentiles, sla_compliance

    overall = response_time_percentiles(requests).iloc[0]
    compliance = sla_compliance(requests, sla_hours).iloc[0]
    open_at = late_requests(requests, sla_hours, moment, by=())["open_at"].iloc[0]
    figures: dict[str, Any] = {
        "requests": int(overall["requests"]),
        "closed_share": float(overall["closed"]) / float(overall["requests"]) * 100,
        "median_hours": float(overall["p50_hours"]),
        "p90_hours": float(overall["p90_hours"]),
        "sla_compliance": float(compliance["compliance"]) * 100,
        "backlog_end": int(open_at),
    }
    if result.by_agency is not None:
        ranked_agencies = result.by_agency[result.by_agency["closed"] >= min_requests]
        if not ranked_agencies.empty:
            worst = ranked_agencies.sort_values(["compliance", "agency"]).iloc[0]
            figures["worst_agency"] = str(worst["agency"])
            figures["worst_agency_compliance"] = float(worst["compliance"]) * 100
    if not ranked.empty and ranked["late"].iloc[0] > 0:
        first = ranked.iloc[0]
        keys = [k for k in _GROUPS if k in ranked.columns]
        figures["act_first"] = ": ".join(str(first[k]) for k in keys)
        figures["act_first_late_share"] = float(first["late_share"])
    return figures
