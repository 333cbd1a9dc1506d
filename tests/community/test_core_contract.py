"""The typed core's promises a widget relies on: one clock, a queue in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from govlab.testing import Clock, Community


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every SQL statement any engine runs inside the block."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def queue_statements(community: Community, more: int) -> tuple[int, int]:
    """Submit ``more`` drafts, then count the queue and the statements reading it."""
    reviewer = community.member("rev-q", "reviewer")
    for _ in range(more):
        community.submitted("ann")
    with counted_statements() as seen:
        items = reviewer.review_queue()
    return len(items), len(seen)


def test_the_review_queue_costs_the_same_for_three_or_thirty(community: Community) -> None:
    three = queue_statements(community, 3)
    thirty = queue_statements(community, 27)
    assert (three[0], thirty[0]) == (3, 30)
    assert three[1] == thirty[1]


def test_a_transition_its_revision_and_its_audit_row_share_the_sessions_clock(
    community: Community, clock: Clock
) -> None:
    pid = community.draft("ann")
    clock.advance(days=3, hours=2)
    moment = clock.now
    community.as_("ann").submit(pid, "ready")
    latest = community.as_("ann").history(pid)[-1]
    assert latest.at == moment
    (step,) = [s for s in community.as_("ann").workflow(pid) if s["to_status"] == "submitted"]
    assert step["at"] == moment
    audit = community.admin.audit_log(target=pid, action="practice.")
    assert [row.at for row in audit][-1] == moment
    assert community.as_("ann").get(pid).updated == moment
