"""The community commands as a facilitator runs them: exit codes, messages, JSON, real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from govlab.cli import main
from govlab.community.session import open_library
from govlab.models import Practice
from govlab.testing.community import approval


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def _library(url: str) -> str:
    """A library whose first member (and admin) is "tester", the tests' $GOVLAB_USER.

    It is marked as seeded without the 46 seed practices, so that each command opens fast.
    """
    with open_library(url, "tester", seed=False, show_guidelines=False) as tester:
        tester._store.retrying(lambda tx: tx.set_setting("seeded", {"count": 0}))
        tester.import_practices(
            [Practice(id="nyc-311", title="NYC 311", status="published", author="seed")], "t"
        )
    return url


@pytest.fixture
def db(govlab_home: Path) -> str:
    """On SQLite: the CLI's shape does not depend on the database."""
    govlab_home.mkdir(parents=True, exist_ok=True)
    return _library(f"sqlite:///{govlab_home / 'library.db'}")


@pytest.fixture
def any_db(db_url: str) -> str:
    """On SQLite and on PostgreSQL."""
    return _library(db_url)


def test_members_add_grant_list(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    added = run_json(capsys, "members", "add", "bob", "--db", db)
    assert added == {**added, "name": "bob", "role": "member"}  # type: ignore[dict-item]
    run_json(capsys, "members", "add", "rita", "--role", "reviewer", "--db", db)
    assert run_json(capsys, "members", "grant", "bob", "facilitator", "--db", db)["role"] == (  # type: ignore[index]
        "facilitator"
    )
    listed = run_json(capsys, "members", "list", "--db", db)
    assert [(m["name"], m["role"]) for m in listed] == [  # type: ignore[union-attr, index]
        ("bob", "facilitator"),
        ("rita", "reviewer"),
        ("tester", "admin"),
    ]
    code, out, _ = run(capsys, "members", "list", "--db", db)
    assert code == 0 and out.startswith("3 members.") and "rita" in out

    monkeypatch.setenv("GOVLAB_USER", "rita")
    code, out, err = run(capsys, "members", "add", "mallory", "--db", db)
    assert code == 1 and out == ""
    assert err.strip() == (
        "Error: Only facilitators and admins can add a member; rita is a reviewer."
    )
    code, _, err = run(capsys, "members", "grant", "bob", "--db", db)  # ROLE missing
    assert code == 2 and "Missing argument" in err
    code, _, err = run(capsys, "members", "grant", "bob", "wizard", "--db", db)
    assert code == 1 and "Unknown role 'wizard'" in err and "Traceback" not in err


def test_review_queue(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    bob = open_library(db, "bob", show_guidelines=False)
    bob.create({"id": "night-bus", "title": "Night buses from call data"})
    bob.submit("night-bus")
    queue = run_json(capsys, "review", "queue", "--db", db)
    assert [(q["id"], q["author"], q["approvals"], q["needed"]) for q in queue] == [  # type: ignore[union-attr, index]
        ("night-bus", "bob", 0, 2)
    ]
    code, out, _ = run(capsys, "review", "queue", "--db", db)
    assert "night-bus" in out and "0/2 approvals" in out
    bob.close()


def test_events_export(db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tester = open_library(db, show_guidelines=False)
    tester.schedule_event("Old", "2020-01-01T10:00", "2020-01-01T11:00")
    tester.schedule_event("KPI clinic", "2026-05-05T14:00", "2026-05-05T15:00",
                          timezone="America/Chicago", kind="workshop")  # fmt: skip
    path = tmp_path / "govlab.ics"
    done = run_json(capsys, "events", "export", str(path), "--since", "2026-01-01", "--db", db)
    assert done == {"file": str(path), "events": 1}
    event = Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "KPI clinic"
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    tester.close()


def test_checkins_import(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bob = open_library(db, "bob", show_guidelines=False)
    bob.adopt("nyc-311", "Leeds")
    good = tmp_path / "checkins.csv"
    good.write_text(
        "practice,jurisdiction,date,status,progress,indicator,value\n"
        "nyc-311,Leeds,2026-01-31,in_progress,30,calls per day,900\n"
        "nyc-311,Leeds,2026-04-30,live,80,calls per day,700\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "nyc-311,Leeds,2026-05-31,live,eighty,,\n")
    monkeypatch.setenv("GOVLAB_USER", "bob")
    code, _, err = run(capsys, "checkins", "import", str(bad), "--db", db)
    assert code == 1
    assert "bad.csv, row 4, column 'progress': expected a whole number" in err
    assert bob.adoption_summary("nyc-311").kpis == []  # nothing landed
    assert run_json(capsys, "checkins", "import", str(good), "--db", db)["imported"] == 2  # type: ignore[index]
    assert bob.adoption_summary("nyc-311").kpis[0].median_change == -200.0  # 700 - 900
    code, _, err = run(capsys, "checkins", "import", str(tmp_path / "none.csv"), "--db", db)
    assert code == 1 and "no such file" in err
    bob.close()


def test_leaderboard_and_audit(
    any_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = any_db
    tester = open_library(db, show_guidelines=False)
    tester.add_member("rita", "reviewer")
    tester.add_member("rex", "reviewer")
    bob = open_library(db, "bob", show_guidelines=False)
    bob.create({"id": "night-bus", "title": "Night buses from call data"})
    bob.submit("night-bus")
    for name in ("rita", "rex"):
        with open_library(db, name) as reviewer:
            reviewer.review("night-bus", **approval())
    tester.publish("night-bus")
    # bob 10 for the publication; rex and rita 5 each for a review
    board = run_json(capsys, "leaderboard", "--since", "2020-01-01", "--db", db)
    assert [(r["rank"], r["member"], r["points"]) for r in board] == [  # type: ignore[union-attr, index]
        (1, "bob", 10),
        (2, "rex", 5),
        (2, "rita", 5),
    ]
    assert run_json(capsys, "leaderboard", "--until", "2020-01-01", "--db", db) == []
    code, out, _ = run(capsys, "leaderboard", "--db", db)
    assert code == 0 and out.splitlines()[1].split() == ["1.", "bob", "10", "points"]
    entries = run_json(
        capsys, "audit", "--since", "2020-01-01", "--action", "practice.", "--db", db
    )
    assert [(e["actor"], e["action"]) for e in entries] == [  # type: ignore[union-attr, index]
        ("tester", "practice.import"),
        ("bob", "practice.create"),
        ("bob", "practice.submit"),
        ("rita", "practice.start_review"),
        ("tester", "practice.publish"),
    ]
    code, _, err = run(capsys, "audit", "--since", "last week", "--db", db)
    assert code == 1 and "since: 'last week' is not a date" in err
    monkeypatch.setenv("GOVLAB_USER", "bob")
    code, _, err = run(capsys, "audit", "--db", db)
    assert code == 1 and "Only facilitators and admins can read the audit log; bob is" in err
    tester.close()
    bob.close()
