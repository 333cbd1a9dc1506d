"""Adoptions, check-ins (one by one and from CSV, all or nothing) and the per-practice summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from govlab.community import tables as ct
from govlab.errors import Conflict, InvalidInput, PermissionDenied
from govlab.library import tables as lt
from govlab.testing.community import Community

HEADER = "practice,jurisdiction,date,status,progress,lessons,indicator,value,unit,period\n"
GOOD = HEADER + (
    "bins,Leeds,2026-01-31,in_progress,20,Crews liked the app,"
    "missed collections,12,per 1000 homes,Jan\n"
    "bins,Leeds,2026-01-31,in_progress,20,,cost per collection,3.2,GBP,Jan\n"
    "bins,Leeds,2026-03-31,live,70,,missed collections,9,per 1000 homes,Mar\n"
    "bins,Leeds,2026-05-31,live,100%,Routes rebalanced,missed collections,7.5,per 1000 homes,May\n"
    "bins,Leeds,2026-05-31,live,100,,cost per collection,2.9,GBP,May\n"
)  # three check-ins: Jan (two KPIs), Mar (one), May (two)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts(w: Community) -> tuple[int, int, int]:
    def count(table: object) -> int:
        with w.admin._store.reading() as tx:
            return int(tx.conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]

    return count(ct.checkins), count(ct.kpi_observations), count(lt.audit)


def with_bins(w: Community) -> Community:
    w.published("author", id="bins", title="Smart bin collection routes")
    for name, place in (("carol", "Leeds"), ("dan", "York"), ("eve", "Bristol"),
                        ("fay", "Hull"), ("gil", "Bath")):  # fmt: skip
        w.as_(name).adopt("bins", place, country="GB", started="2026-01-01")
    return w


@pytest.fixture
def bins(community: Community) -> Community:
    """On SQLite and PostgreSQL."""
    return with_bins(community)


@pytest.fixture
def sqlite_bins(sqlite_community: Community) -> Community:
    return with_bins(sqlite_community)


def test_summary_with_median_kpi_changes(bins: Community, tmp_path: Path) -> None:
    w = bins
    assert w.as_("carol").import_checkins(write(tmp_path, "leeds.csv", GOOD)) == 3
    york = w.admin.adoptions("bins", member="dan")[0].id
    dan = w.as_("dan")
    per_k = "per 1000 homes"
    for day, progress, missed, cost in (("2026-02-01", 10, 20, 4.0), ("2026-04-01", 60, 14, 3.4)):
        kpis = [
            {"indicator": "missed collections", "value": missed, "unit": per_k},
            {"indicator": "cost per collection", "value": cost, "unit": "GBP"},
        ]
        dan.check_in(york, day=day, status="in_progress", progress=progress, kpis=kpis)
    bristol = w.admin.adoptions("bins", member="eve")[0].id
    for day, value in (("2026-02-15", 8.0), ("2026-04-15", 8.5)):
        w.as_("eve").check_in(bristol, day=day, status="live", progress=100,
                              kpis=[{"indicator": "missed collections", "value": value,
                                     "unit": "per 1000 homes"}])  # fmt: skip
    hull = w.admin.adoptions("bins", member="fay")[0].id
    w.as_("fay").check_in(hull, day="2026-03-01", status="paused", progress=5,
                          kpis=[{"indicator": "missed collections", "value": 10,
                                 "unit": "per 1000 homes"}])  # fmt: skip
    summary = w.as_("someone").adoption_summary("bins")
    assert summary.adoptions == 5
    assert summary.jurisdictions == ["Bath", "Bristol", "Hull", "Leeds", "York"]
    assert summary.statuses == {"live": 2, "in_progress": 1, "paused": 1, "not reported": 1}
    cost, missed = summary.kpis  # sorted by indicator
    # missed collections: Leeds 7.5 - 12 = -4.5; York 14 - 20 = -6; Bristol 8.5 - 8 = +0.5;
    # Hull has one observation only. median(-6, -4.5, 0.5) = -4.5
    assert missed.indicator == "missed collections" and missed.unit == "per 1000 homes"
    assert missed.changes == {"Leeds": -4.5, "York": -6.0, "Bristol": 0.5}
    assert (missed.adopters, missed.median_change) == (3, -4.5)
    # cost per collection: Leeds 2.9 - 3.2 = -0.3; York 3.4 - 4.0 = -0.6; median = -0.45
    assert cost.adopters == 2
    assert cost.median_change == pytest.approx(-0.45)
    leeds = w.as_("carol").checkins(w.admin.adoptions("bins", member="carol")[0].id)
    assert [(c.progress, c.status.value, len(c.kpis)) for c in leeds] == [
        (20, "in_progress", 2), (70, "live", 1), (100, "live", 2),
    ]  # fmt: skip
    assert leeds[0].lessons == "Crews liked the app"


BAD_FILES = {
    # name: (text, the start of the message)
    "bad-progress.csv": (
        GOOD + "bins,Leeds,2026-06-30,live,lots,,,,,\n",
        "bad-progress.csv, row 7, column 'progress': expected a whole number from 0 to 100, "
        "got 'lots'",
    ),
    "bad-date.csv": (
        GOOD.replace("2026-03-31", "31/03/2026"),
        "bad-date.csv, row 4, column 'date': expected a date like 2026-03-31, got '31/03/2026'",
    ),
    "bad-status.csv": (
        GOOD.replace("live,70", "done,70"),
        "bad-status.csv, row 4, column 'status': expected planned or in_progress",
    ),
    "bad-value.csv": (
        GOOD.replace(",9,", ",nine,"),
        "bad-value.csv, row 4, column 'value': expected a number such as 12.5, got 'nine'",
    ),
    "value-without-indicator.csv": (
        GOOD + "bins,Leeds,2026-06-30,live,100,,,4,,\n",
        "value-without-indicator.csv, row 7, column 'indicator'",
    ),
    "disagreeing-rows.csv": (
        GOOD.replace("2026-05-31,live,100,,", "2026-05-31,live,90,,"),
        "disagreeing-rows.csv, row 6, column 'progress': expected the same progress as row 5",
    ),
    "not-adopted.csv": (
        GOOD + "bins,Wakefield,2026-06-30,live,100,,,,,\n",
        "not-adopted.csv, row 7, column 'jurisdiction': carol has no adoption of 'bins' in "
        "'Wakefield'",
    ),
    "missing-column.csv": (
        "practice,jurisdiction,date,progress\nbins,Leeds,2026-01-31,20\n",
        "missing-column.csv, row 1: missing column(s) status",
    ),
    "empty.csv": (HEADER, "empty.csv: no check-ins in the file"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_row_rejects_the_whole_file(
    name: str, sqlite_bins: Community, tmp_path: Path
) -> None:
    w = sqlite_bins
    text, message = BAD_FILES[name]
    before = counts(w)
    with pytest.raises(InvalidInput) as caught:
        w.as_("carol").import_checkins(write(tmp_path, name, text))
    assert str(caught.value).startswith(message)
    assert counts(w) == before  # nothing landed, not even the good rows before the bad one


def test_checking_in_on_someone_elses_adoption(sqlite_bins: Community, tmp_path: Path) -> None:
    w = sqlite_bins
    leeds = w.admin.adoptions("bins", member="carol")[0].id
    with pytest.raises(PermissionDenied, match="No one can check in on another member's"):
        w.admin.check_in(leeds, day="2026-02-01", status="live", progress=50)
    with pytest.raises(InvalidInput, match="dan has no adoption of 'bins' in 'Leeds'"):
        w.as_("dan").import_checkins(write(tmp_path, "leeds.csv", GOOD))
    with pytest.raises(InvalidInput, match="check-in: progress"):
        w.as_("carol").check_in(leeds, day="2026-02-01", status="live", progress=150)


def test_adopting(sqlite_community: Community) -> None:
    w = sqlite_community
    pid = w.published("author")
    carol = w.as_("carol")
    carol.adopt(pid, "Leeds")
    with pytest.raises(Conflict, match="already adopted"):
        carol.adopt(pid, "Leeds")
    with pytest.raises(Conflict, match="Only published practices can be adopted"):
        carol.adopt(w.draft("carol"), "Leeds")
    with pytest.raises(InvalidInput, match="adoption: jurisdiction"):
        carol.adopt(pid, "")
    entry = w.admin.audit_log(action="adoption.add")[0]
    assert entry.after["practice_author"] == "author" and entry.after["jurisdiction"] == "Leeds"


def test_rollback_after_good_rows_were_written(bins: Community, tmp_path: Path) -> None:
    """The Wakefield row fails inside the transaction, after three check-ins were inserted."""
    text, message = BAD_FILES["not-adopted.csv"]
    before = counts(bins)
    with pytest.raises(InvalidInput, match="row 7, column 'jurisdiction'"):
        bins.as_("carol").import_checkins(write(tmp_path, "not-adopted.csv", text))
    assert counts(bins) == before
