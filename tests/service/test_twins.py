"""The same scenarios on a local library and through the service give the same results.

Each scenario runs in both worlds (a local session on one PostgreSQL database, the
client of a govlab service on another, the same cohort in each) and records every
outcome: a value (clock fields left out) or an error class and message. The two
records must be equal, and the service's record is also checked against values
worked out by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic_core import to_jsonable_python

from govlab.errors import GovlabError

pytestmark = pytest.mark.postgres
VOLATILE = {"created", "updated", "at", "joined", "edited", "guidelines_accepted", "earned"}
Outcome = tuple[str, Any]


def outcome(call: Callable[[], Any]) -> Outcome:
    """``("ok", value without clock fields)``, or the error's class and message."""
    try:
        return ("ok", _steady(to_jsonable_python(call())))
    except GovlabError as error:
        return (type(error).__name__, str(error))


def _steady(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _steady(v) for k, v in data.items() if k not in VOLATILE}
    if isinstance(data, list):
        return [_steady(v) for v in data]
    return data


def both(pair: Any, scenario: Callable[[Any], list[Outcome]]) -> list[Outcome]:
    """Run ``scenario`` locally and through the service; they must agree. Returns the service's."""
    local, remote = (scenario(world) for world in pair)
    assert [o[0] for o in remote] == [o[0] for o in local]
    assert remote == local
    return remote


RUBRIC = {"evidence": 4, "transferability": 3, "clarity": 4, "impact": 3}


def test_drafts_reviews_and_publishing(pair: Any, tag: str) -> None:
    def scenario(w: Any) -> list[Outcome]:
        ana, bo, fay = w.as_("ana"), w.as_("bo"), w.as_("fay")
        pid = f"{tag}-bus"
        return [
            outcome(lambda: ana.create({"id": pid, "title": "Night buses"}, why="first go")),
            outcome(lambda: bo.get(pid)),
            outcome(lambda: bo.edit(pid, {"title": "Mine"})),
            outcome(lambda: bo.submit(pid)),
            outcome(lambda: ana.edit(pid, summary="Buses on demand after midnight.", why="more")),
            outcome(lambda: ana.submit(pid, "ready")),
            outcome(lambda: ana.edit(pid, {"title": "Too late"})),
            outcome(
                lambda: w.as_("rev-a").review(pid, **RUBRIC, evidence_level=4, decision="approve")
            ),
            outcome(lambda: fay.publish(pid)),
            outcome(
                lambda: w.as_("rev-b").review(pid, **RUBRIC, evidence_level=2, decision="approve")
            ),
            outcome(lambda: bo.publish(pid)),
            outcome(lambda: fay.publish(pid, "two approvals")),
            outcome(lambda: fay.publish(pid)),
            outcome(lambda: [r.message for r in bo.history(pid)]),
            outcome(lambda: [(t["from_status"], t["to_status"]) for t in bo.workflow(pid)]),
        ]

    seen = both(pair, scenario)
    assert seen[1] == (
        "PermissionDenied",
        f"Practice '{tag}-bus' is not published yet. Only admins can read another "
        "member's draft before it is submitted; bo is a member.",
    )
    assert seen[3] == ("PermissionDenied", "No one can submit another member's practice.")
    assert seen[6][0] == "Conflict"
    assert (
        seen[8][0] == "Conflict" and "has 1 approving review(s); publishing needs 2" in seen[8][1]
    )
    assert seen[11][1]["status"] == "published" and seen[11][1]["evidence_level"] == 2  # median_low
    assert seen[13][1] == [
        "first go", "more", "ready", "review started", "two approvals",
    ]  # fmt: skip


def test_ratings_comments_and_refusals(pair: Any, tag: str) -> None:
    def scenario(w: Any) -> list[Outcome]:
        pid = w.published(f"{tag}-desk", author="cy")
        ana, bo, cy = w.as_("ana"), w.as_("bo"), w.as_("cy")
        first = ana.comment(pid, "Did *queues* get shorter?")
        return [
            outcome(lambda: ana.rate(pid, 4)),
            outcome(lambda: bo.rate(pid, 5)),
            outcome(lambda: cy.rate(pid, 5)),
            outcome(lambda: bo.rate(pid, 9)),
            outcome(lambda: cy.comment(pid, "Yes, by a third.", parent=first.id)),
            outcome(lambda: bo.edit_comment(first.id, "Not yours")),
            outcome(lambda: ana.edit_comment(first.id, "Did queues get shorter?")),
            outcome(lambda: cy.comments(pid)),
            outcome(lambda: bo.mark_helpful(first.id)),
            outcome(lambda: ana.mark_helpful(first.id)),
            outcome(lambda: bo.hide_comment(first.id, "off topic")),
            outcome(lambda: bo.get("no-such-practice")),
            outcome(lambda: ana.ratings(pid)),
        ]

    seen = both(pair, scenario)
    assert seen[1][1]["count"] == 2 and seen[1][1]["mean"] == 4.5
    assert seen[2] == ("PermissionDenied", "No one can rate their own practice.")
    assert seen[3][0] == "InvalidInput" and "9" in seen[3][1]
    assert seen[5] == ("PermissionDenied", "No one can edit another member's comment.")
    thread = seen[7][1]
    assert thread[0]["body"] == "Did queues get shorter?" and thread[0]["helpful"] == 0
    assert thread[0]["replies"][0]["body"] == "Yes, by a third."
    assert seen[9][0] == "PermissionDenied"
    assert seen[11] == ("NotFound", "No practice with id 'no-such-practice' in the library.")


def test_adoptions_check_ins_and_files(pair: Any, tag: str, tmp_path: Path) -> None:
    good = tmp_path / "checkins.csv"
    bad = tmp_path / "bad checkins.csv"

    def scenario(w: Any) -> list[Outcome]:
        pid = w.published(f"{tag}-311", author="cy")
        ana, bo = w.as_("ana"), w.as_("bo")
        adoption = ana.adopt(pid, "Leeds", country="GB", started="2026-01-05")
        header = "practice,jurisdiction,date,status,progress,indicator,value,unit\n"
        good.write_text(
            header
            + f"{pid},Leeds,2026-02-01,in_progress,40,calls answered in 1 min,61,%\n"
            + f"{pid},Leeds,2026-03-01,live,80%,calls answered in 1 min,74,%\n"
        )
        bad.write_text(header + f"{pid},York,2026-02-01,live,50,,,\n")
        return [
            outcome(
                lambda: ana.check_in(adoption.id, day="2026-01-20", status="planned", progress=10)
            ),
            outcome(lambda: bo.check_in(adoption.id, day="2026-01-21", status="live", progress=90)),
            outcome(lambda: ana.import_checkins(good)),
            outcome(lambda: ana.import_checkins(bad)),
            outcome(lambda: ana.import_checkins(tmp_path / "missing.csv")),
            outcome(lambda: [(c.day, c.progress) for c in ana.checkins(adoption.id)]),
            outcome(lambda: bo.adoption_summary(pid)),
        ]

    seen = both(pair, scenario)
    assert seen[1] == ("PermissionDenied", "No one can check in on another member's adoption.")
    assert seen[2] == ("ok", 2)
    assert seen[3][0] == "InvalidInput" and seen[3][1].startswith("bad checkins.csv, row 2")
    assert seen[4] == ("InvalidInput", f"{tmp_path / 'missing.csv'}: no such file.")
    assert seen[5][1] == [["2026-01-20", 10], ["2026-02-01", 40], ["2026-03-01", 80]]
    kpi = seen[6][1]["kpis"][0]
    assert (kpi["indicator"], kpi["median_change"]) == ("calls answered in 1 min", 13.0)


def test_search_reads_the_same_library(pair: Any) -> None:
    def scenario(w: Any) -> list[Outcome]:
        bo = w.as_("bo")
        return [
            outcome(lambda: bo.search("311")),
            outcome(lambda: bo.search("", country="US", sort="title", limit=5)),
            outcome(lambda: bo.search("open data", page=2, limit=3)),
            outcome(lambda: bo.search("x", sort="nonsense")),
            outcome(lambda: bo.stats()["by_status"]["published"] > 0),
        ]

    seen = both(pair, scenario)
    assert seen[0][1]["total"] >= 1
    assert all(r["country"] == "US" for r in seen[1][1]["results"])


def test_events_export_to_the_callers_file(pair: Any, tmp_path: Path) -> None:
    written: list[bytes] = []

    def scenario(w: Any) -> list[Outcome]:
        fay = w.as_("fay")
        target = tmp_path / f"{w.kind}.ics"
        steps = [
            outcome(
                lambda: fay.schedule_event(
                    "Open data clinic",
                    "2026-04-01T10:00",
                    "2026-04-01T11:00",
                    timezone="Europe/London",
                    link="https://example.org/clinic",
                )  # fmt: skip
            ),
            outcome(lambda: w.as_("bo").export_ics(target)),
        ]
        written.append(target.read_bytes())
        return steps

    seen = both(pair, scenario)
    assert seen[1][0] == "ok" and seen[1][1] >= 1
    local_ics, remote_ics = (b.decode() for b in written)
    assert "SUMMARY:Open data clinic" in remote_ics
    keep = [line for line in local_ics.splitlines() if not line.startswith(("DTSTAMP", "UID"))]
    assert keep == [
        line for line in remote_ics.splitlines() if not line.startswith(("DTSTAMP", "UID"))
    ]
