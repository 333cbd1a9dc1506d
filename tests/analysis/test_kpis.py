from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govlab.analysis import _sources, kpis
from govlab.analysis._frames import quantile_name
from govlab.errors import InvalidInput

ENGINES = ["pandas", "duckdb"]


def by_agency(frame: pd.DataFrame) -> dict[object, dict[str, object]]:
    """Rows keyed by agency (NaN -> None) for readable assertions."""
    out = {}
    for row in frame.to_dict("records"):
        key = row.pop("agency")
        out[None if isinstance(key, float) and math.isnan(key) else key] = row
    return out


# --- hand-worked values on the five-request fixture ------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_percentiles_by_agency(tiny_requests: pd.DataFrame, engine: str) -> None:
    out = kpis.response_time_percentiles(tiny_requests, by="agency", engine=engine)
    assert list(out.columns) == ["agency", "requests", "closed", "p50_hours", "p90_hours"]
    rows = by_agency(out)
    # A: hours [10, 48]; h = q(n-1): p50 at h=0.5 -> 10 + 0.5*38 = 29; p90 at h=0.9 -> 44.2
    assert rows["A"] == pytest.approx(
        {"requests": 2, "closed": 2, "p50_hours": 29.0, "p90_hours": 44.2}
    )
    # B: c is open, so only d = 5 h; both percentiles are 5
    assert rows["B"] == pytest.approx(
        {"requests": 2, "closed": 1, "p50_hours": 5.0, "p90_hours": 5.0}
    )
    # missing agency is its own group, sorted last: e = 48 h
    assert rows[None]["p50_hours"] == 48.0
    assert list(out["agency"].iloc[:2]) == ["A", "B"] and pd.isna(out["agency"].iloc[2])


@pytest.mark.parametrize("engine", ENGINES)
def test_percentiles_overall_and_by_month(tiny_requests: pd.DataFrame, engine: str) -> None:
    overall = kpis.response_time_percentiles(tiny_requests, q=(0.5, 0.9, 1.0), engine=engine)
    # closed hours sorted [5, 10, 48, 48]: p50 h=1.5 -> 10 + 0.5*38 = 29; p90 h=2.7 -> 48; max 48
    assert overall.to_dict("records") == [
        {"requests": 5, "closed": 4, "p50_hours": 29.0, "p90_hours": 48.0, "p100_hours": 48.0}
    ]
    monthly = kpis.response_time_percentiles(tiny_requests, period="MS", engine=engine)
    assert list(monthly["period"]) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
    # January: [10, 48] -> 29, 44.2; February: [5, 48] -> 26.5, 5 + 0.9*43 = 43.7
    assert monthly["p50_hours"].tolist() == pytest.approx([29.0, 26.5])
    assert monthly["p90_hours"].tolist() == pytest.approx([44.2, 43.7])
    assert monthly["requests"].tolist() == [3, 2]


@pytest.mark.parametrize("engine", ENGINES)
def test_sla_compliance(tiny_requests: pd.DataFrame, engine: str) -> None:
    out = by_agency(kpis.sla_compliance(tiny_requests, 24, by="agency", engine=engine))
    # A: 10 h within, 48 h not -> 1/2; B: d (5 h) within, c open and not counted -> 1/1;
    # missing agency: 48 h -> 0/1
    assert out["A"] == {"requests": 2, "closed": 2, "within_sla": 1, "compliance": 0.5}
    assert out["B"] == {"requests": 2, "closed": 1, "within_sla": 1, "compliance": 1.0}
    assert out[None]["compliance"] == 0.0
    # the boundary counts as within: 48 h against a 48 h target -> every closed request
    overall = kpis.sla_compliance(tiny_requests, 48, engine=engine)
    assert overall["compliance"].tolist() == [1.0]


@pytest.mark.parametrize("engine", ENGINES)
def test_sla_group_without_closed_requests_is_nan(tiny_requests: pd.DataFrame, engine: str) -> None:
    out = kpis.sla_compliance(tiny_requests, 24, by="agency", period="MS", engine=engine)
    b_january = out[(out["agency"] == "B") & (out["period"] == "2024-01-01")]
    assert b_january[["requests", "closed", "within_sla"]].to_numpy().tolist() == [[1, 0, 0]]
    assert np.isnan(b_january["compliance"].iloc[0])


@pytest.mark.parametrize("engine", ENGINES)
def test_reopen_rate(tiny_requests: pd.DataFrame, engine: str) -> None:
    overall = kpis.reopen_rate(tiny_requests, engine=engine)
    # closed at least once: a, b, c (reopened, open again), d, e = 5; reopened: b, c -> 2/5
    assert overall.to_dict("records") == [
        {"requests": 5, "closed_once": 5, "reopened": 2, "reopen_rate": 0.4}
    ]
    rows = by_agency(kpis.reopen_rate(tiny_requests, by="agency", engine=engine))
    assert rows["A"]["reopen_rate"] == 0.5  # b of a, b
    assert rows["B"]["reopen_rate"] == 0.5  # c of c, d
    assert rows[None]["reopen_rate"] == 0.0


@pytest.mark.parametrize("engine", ENGINES)
def test_reopen_rate_reads_yes_no_text(tiny_requests: pd.DataFrame, engine: str) -> None:
    text = tiny_requests.assign(reopened=["no", "Yes", "yes", "", None])
    assert kpis.reopen_rate(text, engine=engine)["reopened"].tolist() == [2]


@pytest.mark.parametrize("engine", ENGINES)
def test_backlog_daily(tiny_requests: pd.DataFrame, engine: str) -> None:
    out = kpis.backlog(tiny_requests, freq="D", engine=engine).set_index("period")
    # 1 Jan to 5 Feb inclusive, no gaps: 31 + 5 days
    assert len(out) == 36
    # 1 Jan: a, b opened, a closed -> b open; 2 Jan: c opened -> 2; 3 Jan: b closed -> 1
    assert out.loc["2024-01-01"].tolist() == [2, 1, 1]
    assert out.loc["2024-01-02"].tolist() == [1, 0, 2]
    assert out.loc["2024-01-03"].tolist() == [0, 1, 1]
    assert out.loc["2024-01-20", "backlog"] == 1  # only c, still open
    # 1 Feb: d opened and closed the same day; 3 Feb: e opened; 5 Feb: e closed
    assert out.loc["2024-02-01"].tolist() == [1, 1, 1]
    assert out.loc["2024-02-04", "backlog"] == 2
    assert out.loc["2024-02-05"].tolist() == [0, 1, 1]


@pytest.mark.parametrize("engine", ENGINES)
def test_backlog_monthly_by_agency(tiny_requests: pd.DataFrame, engine: str) -> None:
    out = kpis.backlog(tiny_requests, freq="MS", by="agency", engine=engine)
    got = {
        (k if isinstance(k, str) else None, str(p.date())): (n, c, b)
        for k, p, n, c, b in out.itertuples(index=False)
    }
    # every group gets both months
    assert got == {
        ("A", "2024-01-01"): (2, 2, 0),
        ("A", "2024-02-01"): (0, 0, 0),
        ("B", "2024-01-01"): (1, 0, 1),  # c
        ("B", "2024-02-01"): (1, 1, 1),  # d in and out, c still open
        (None, "2024-01-01"): (0, 0, 0),
        (None, "2024-02-01"): (1, 1, 0),
    }


def test_backlog_week_starts_on_monday(tiny_requests: pd.DataFrame) -> None:
    out = kpis.backlog(tiny_requests, freq="W", engine="pandas")
    # 1 Jan 2024 was a Monday; weeks run to the week of 5 Feb (Monday 5 Feb)
    assert out["period"].iloc[0] == pd.Timestamp("2024-01-01")
    assert (out["period"].dt.day_of_week == 0).all()
    assert out["period"].iloc[-1] == pd.Timestamp("2024-02-05")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("period", "starts"),
    [
        ("MS", ["1969-12-01", "1970-01-01", "1999-12-01", "2000-01-01", "2024-02-01"]),
        ("QS", ["1969-10-01", "1970-01-01", "1999-10-01", "2000-01-01", "2024-01-01"]),
        ("YS", ["1969-01-01", "1970-01-01", "1999-01-01", "2000-01-01", "2024-01-01"]),
    ],
)
def test_calendar_periods_across_1970_and_year_ends(
    engine: str, period: str, starts: list[str]
) -> None:
    # one request per moment; the boundary instants belong to the period they open
    opened = ["1969-12-31 23:59:59", "1970-01-01 00:00:00", "1999-12-31 23:59:59.999999",
              "2000-01-01 00:00:00", "2024-02-29 12:00:00"]  # fmt: skip
    log = pd.DataFrame({"opened": pd.to_datetime(opened, format="ISO8601"), "closed": pd.NaT})
    out = kpis.sla_compliance(log, hours=1, period=period, engine=engine)
    assert list(out["period"]) == [pd.Timestamp(s) for s in starts]
    assert list(out["requests"]) == [1, 1, 1, 1, 1]


@pytest.mark.parametrize("engine", ENGINES)
def test_monthly_summary(tiny_requests: pd.DataFrame, engine: str) -> None:
    out = kpis.monthly_summary(tiny_requests, sla_hours=24, engine=engine)
    assert list(out.columns) == [
        "agency",
        "month",
        "requests",
        "closed",
        "median_hours",
        "within_sla",
        "sla_compliance",
    ]
    records = out.astype({"agency": object}).replace({np.nan: None}).to_dict("records")
    jan, feb = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")
    assert records == [
        # A, January: 10 h and 48 h -> median 29, one within 24 h
        {
            "agency": "A",
            "month": jan,
            "requests": 2,
            "closed": 2,
            "median_hours": 29.0,
            "within_sla": 1,
            "sla_compliance": 0.5,
        },
        {
            "agency": "B",
            "month": jan,
            "requests": 1,
            "closed": 0,
            "median_hours": None,
            "within_sla": 0,
            "sla_compliance": None,
        },
        {
            "agency": "B",
            "month": feb,
            "requests": 1,
            "closed": 1,
            "median_hours": 5.0,
            "within_sla": 1,
            "sla_compliance": 1.0,
        },
        {
            "agency": None,
            "month": feb,
            "requests": 1,
            "closed": 1,
            "median_hours": 48.0,
            "within_sla": 0,
            "sla_compliance": 0.0,
        },
    ]


def test_quantile_column_names() -> None:
    assert quantile_name(0.5) == "p50_hours"
    assert quantile_name(0.999) == "p99.9_hours"
    assert quantile_name(0.025) == "p2.5_hours"


# --- both engines agree, on frames and on files ----------------------------------------

CALLS = [
    (
        "response_time_percentiles",
        {"by": ("agency", "category"), "period": "W", "q": (0.1, 0.5, 0.95)},
    ),
    ("response_time_percentiles", {}),
    ("sla_compliance", {"hours": 48, "by": "agency", "period": "QS"}),
    ("reopen_rate", {"by": "category", "period": "MS"}),
    ("backlog", {"freq": "D", "by": "agency"}),
    ("backlog", {"freq": "YS"}),
    ("monthly_summary", {"by": ("agency", "category"), "sla_hours": 72}),
]


def assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Counts, keys and periods exactly; floats to 1e-12 relative.

    Both engines use the same percentile definition, but DuckDB's quantile_cont and
    pandas' groupby quantile round the interpolation differently in the last binary
    digit (about 1e-16 relative), so floats are compared with a tolerance.
    """
    floats = [c for c in left.columns if left[c].dtype == "float64"]
    pd.testing.assert_frame_equal(
        left.drop(columns=floats), right.drop(columns=floats), check_exact=True
    )
    pd.testing.assert_frame_equal(left[floats], right[floats], check_exact=False, rtol=1e-12)


@pytest.mark.parametrize(("name", "kwargs"), CALLS)
def test_engines_agree_on_a_frame(random_requests: pd.DataFrame, name: str, kwargs: dict) -> None:
    fn = getattr(kpis, name)
    assert_same(
        fn(random_requests, engine="pandas", **kwargs),
        fn(random_requests, engine="duckdb", **kwargs),
    )


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_engines_agree_on_files(random_requests: pd.DataFrame, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"requests.{suffix}"
    requests = random_requests.iloc[:3000]
    if suffix == "parquet":
        requests.to_parquet(path)
    else:
        requests.to_csv(path, index=False)
    for name, kwargs in CALLS:
        fn = getattr(kpis, name)
        from_file = fn(path, **kwargs)  # auto: a path runs through DuckDB
        assert_same(fn(str(path), engine="pandas", **kwargs), from_file)
        assert_same(fn(requests, engine="pandas", **kwargs), from_file)


def test_auto_engine_choice(random_requests: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _sources.choose_engine(random_requests, "auto") == "pandas"
    assert _sources.choose_engine("requests.parquet", "auto") == "duckdb"
    monkeypatch.setattr(_sources, "DUCKDB_MIN_ROWS", 1000)
    assert _sources.choose_engine(random_requests, "auto") == "duckdb"
    assert _sources.choose_engine(random_requests, "pandas") == "pandas"


def test_time_zones_keep_wall_clock_time(tiny_requests: pd.DataFrame) -> None:
    aware = tiny_requests.assign(
        opened=tiny_requests["opened"].dt.tz_localize("America/New_York"),
        closed=tiny_requests["closed"].dt.tz_localize("America/New_York"),
    )
    for engine in ENGINES:
        out = kpis.monthly_summary(aware, sla_hours=24, engine=engine)
        assert out["month"].tolist()[0] == pd.Timestamp("2024-01-01")
        assert out["median_hours"].tolist()[0] == 29.0


def test_files_with_time_zones_are_read_in_utc_whatever_the_machine_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 02:00 UTC on 1 February is still 31 January in New York
    opened = pd.Series(pd.to_datetime(["2024-02-01 02:00"])).dt.tz_localize("UTC")
    path = tmp_path / "aware.parquet"
    pd.DataFrame({"opened": opened, "closed": opened + pd.Timedelta(hours=3)}).to_parquet(path)
    monkeypatch.setenv("TZ", "America/New_York")
    monkeypatch.setattr(_sources, "_DATABASES", {})  # DuckDB reads TZ when it opens
    for engine in ENGINES:
        out = kpis.monthly_summary(path, by=(), sla_hours=24, engine=engine)
        assert out["month"].tolist() == [pd.Timestamp("2024-02-01")], engine
        assert out["median_hours"].tolist() == [3.0], engine


def test_generated_log_runs_on_both_engines(tmp_path: Path) -> None:
    datasets = pytest.importorskip("govlab.datasets")
    if not hasattr(datasets, "generate_requests"):
        pytest.skip("govlab.datasets.generate_requests is not there yet")
    path = tmp_path / "log.parquet"
    datasets.generate_requests(5000, seed=3, path=path)
    from_file = kpis.monthly_summary(path)
    frame = pd.read_parquet(path)
    assert from_file["requests"].sum() == 5000
    assert_same(kpis.monthly_summary(frame, engine="pandas"), from_file)


# --- bad input gives one clear error ---------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_column_is_named(tiny_requests: pd.DataFrame, engine: str) -> None:
    with pytest.raises(InvalidInput, match=r"requests, column 'agency': missing column"):
        kpis.monthly_summary(tiny_requests.drop(columns="agency"), engine=engine)
    with pytest.raises(InvalidInput, match="column 'reopened'"):
        kpis.reopen_rate(tiny_requests.drop(columns="reopened"), engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_closed_before_opened_names_the_row(tiny_requests: pd.DataFrame, engine: str) -> None:
    bad = tiny_requests.copy()
    bad.loc[3, "closed"] = pd.Timestamp("2024-01-31")
    with pytest.raises(InvalidInput, match=r"row 3, column 'closed': closed \(2024-01-31"):
        kpis.sla_compliance(bad, 24, engine=engine)
    with pytest.raises(InvalidInput, match="row 3"):
        kpis.backlog(bad, engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_opened_names_the_row(tiny_requests: pd.DataFrame, engine: str) -> None:
    bad = tiny_requests.copy()
    bad.loc[1, "opened"] = pd.NaT
    with pytest.raises(InvalidInput, match=r"row 1, column 'opened': no opening time"):
        kpis.response_time_percentiles(bad, engine=engine)


def test_bad_rows_in_files_are_named_by_line(tiny_requests: pd.DataFrame, tmp_path: Path) -> None:
    bad = tiny_requests.copy()
    bad.loc[2, "closed"] = pd.Timestamp("2023-12-01")
    csv = tmp_path / "log.csv"
    bad.to_csv(csv, index=False)
    # data row 2 (0-based) is line 4 of the CSV: the header is line 1
    with pytest.raises(InvalidInput, match=r"log.csv, row 4, column 'closed'"):
        kpis.monthly_summary(csv)
    text = tiny_requests.astype({"opened": str})
    text.loc[4, "opened"] = "yesterday"
    text.to_csv(csv, index=False)
    for engine in ENGINES:
        with pytest.raises(InvalidInput, match=r"row 6, column 'opened': cannot read 'yesterday'"):
            kpis.monthly_summary(csv, engine=engine)


def test_bad_arguments(tiny_requests: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown engine 'spark'"):
        kpis.backlog(tiny_requests, engine="spark")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="unknown period 'fortnight'"):
        kpis.backlog(tiny_requests, freq="fortnight")
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        kpis.response_time_percentiles(tiny_requests, q=(50,))
    with pytest.raises(InvalidInput, match="number of hours"):
        kpis.sla_compliance(tiny_requests, -1)
    with pytest.raises(InvalidInput, match="no such file"):
        kpis.monthly_summary(tmp_path / "nope.parquet")
    (tmp_path / "log.xlsx").write_text("x")
    with pytest.raises(InvalidInput, match=r"expected a \.parquet or \.csv file"):
        kpis.monthly_summary(tmp_path / "log.xlsx")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InvalidInput, match="empty.csv"):
        kpis.monthly_summary(tmp_path / "empty.csv")
    with pytest.raises(InvalidInput, match="expected a DataFrame or a file path"):
        kpis.monthly_summary([1, 2, 3])  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_log(tiny_requests: pd.DataFrame, engine: str) -> None:
    empty = tiny_requests.iloc[:0]
    assert kpis.monthly_summary(empty, engine=engine).empty
    assert kpis.backlog(empty, engine=engine).empty
    overall = kpis.response_time_percentiles(empty, engine=engine)
    assert overall[["requests", "closed"]].to_numpy().tolist() == [[0, 0]]
