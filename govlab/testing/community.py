"""A small community on a real database, and a clock tests move by hand.

Shared by govlab's own tests (community, widgets, service) and usable in a notebook
that wants a throwaway library with a few members::

    from govlab.testing import Clock, Community
    world = Community("sqlite:///demo.db", Clock())
    draft = world.draft("ann")
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from govlab.community.session import Library, open_library
from govlab.models import Practice

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


class Clock:
    """What "now" is for every session of a test; moves only when told."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        """The clock's current time."""
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward (``advance(days=1)``) and return the new time."""
        self.now += timedelta(**delta)
        return self.now


class Community:
    """One library, sessions per member (all on the same clock), and ready-made things."""

    def __init__(self, db: str, clock: Clock) -> None:
        self.db, self.clock = db, clock
        self._sessions: dict[str, Library] = {}
        self._n = 0
        self.admin = self.as_("ada")  # the first member: admin

    def as_(self, name: str) -> Library:
        """The session of ``name`` (joining the library if new)."""
        if name not in self._sessions:
            self._sessions[name] = open_library(
                self.db, name, seed=False, show_guidelines=False, clock=self.clock
            )
        return self._sessions[name]

    def member(self, name: str, role: str = "member") -> Library:
        """A session for ``name``, added with ``role`` by the admin if new."""
        known = {m.name: m.role for m in self.admin.members()}
        if name not in known:
            self.admin.add_member(name, role)
        elif known[name] != role:
            self.admin.grant(name, role)
        return self.as_(name)

    def next_id(self, stem: str = "p") -> str:
        """A new practice id, ``stem-0001`` and on."""
        self._n += 1
        return f"{stem}-{self._n:04d}"

    def published(self, author: str, **fields: Any) -> str:
        """A published practice by ``author`` (imported by the admin, as a catalogue move)."""
        pid = fields.pop("id", None) or self.next_id("pub")
        data = {"id": pid, "title": f"Practice {pid}", "status": "published", "author": author}
        self.admin.import_practices([Practice.model_validate(data | fields)], why="test setup")
        return str(pid)

    def draft(self, author: str, **fields: Any) -> str:
        """A draft by ``author``; returns its id."""
        pid = fields.pop("id", None) or self.next_id("draft")
        return self.as_(author).create({"id": pid, "title": f"Draft {pid}"} | fields).id

    def submitted(self, author: str) -> str:
        """A draft by ``author`` submitted for review; returns its id."""
        pid = self.draft(author)
        self.as_(author).submit(pid, "ready for review")
        return pid

    def approved(self, author: str) -> str:
        """Submitted and approved by two reviewers (rev-a, rev-b)."""
        pid = self.submitted(author)
        for name in ("rev-a", "rev-b"):
            self.member(name, "reviewer").review(pid, **approval())
        return pid

    def comment(self, author: str) -> int:
        """A comment by ``author`` on a new published practice; returns its id."""
        pid = self.published("poster")
        return self.as_(author).comment(pid, "A first thought.").id

    def adoption(self, member: str) -> int:
        """An adoption by ``member`` of a new published practice; returns its id."""
        pid = self.published("poster")
        return self.as_(member).adopt(pid, "Leeds").id

    def close(self) -> None:
        """Close every session."""
        for session in self._sessions.values():
            session.close()


def approval(level: int = 3, **changes: Any) -> dict[str, Any]:
    """The keyword arguments of an approving review (rubric scores, evidence level)."""
    review = {
        "evidence": 4,
        "transferability": 3,
        "clarity": 4,
        "impact": 3,
        "evidence_level": level,
        "decision": "approve",
        "comment": "",
    }
    return review | changes
