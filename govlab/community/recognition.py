"""Recognition: points, badges and a leaderboard, derived from the audit log when asked.

Nothing is counted in a column that could drift: every call replays the audit rows.

Points (one table, :data:`POINTS`)

==========================  ======  ============================================
event                       points  to whom
==========================  ======  ============================================
a practice is published     10      its author
a review                    5       the reviewer
someone adopts a practice   5       the practice's author (not for adopting one's own)
a check-in                  2       the adopter who checks in
a comment marked helpful    3       the comment's author, per member who marks it
a comment                   1       its author
==========================  ======  ============================================

A hidden comment earns nothing (its own point and its helpful marks) while it is
hidden, and a helpful mark taken back stops counting. A period's leaderboard
counts the points earned in it, as they stand now.

Badges (:data:`BADGES`) are read off the same standing awards: a badge shows while
its rule holds on them, dated by the moment the rule came to hold.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from govlab.community import tables as ct
from govlab.community._base import Head, SessionBase, When, to_moment
from govlab.community.records import Badge, Standing
from govlab.library import tables as lt
from govlab.library.records import aware
from govlab.library.store import Tx
from govlab.models import Status


@dataclass(frozen=True)
class Rule:
    """How many points one kind of audited action earns, and for whom."""

    points: int
    to: str  # "actor", or the key in the audit row's ``after`` naming who earns them
    why: str


POINTS: dict[str, Rule] = {
    "practice.publish": Rule(10, "author", "a practice of yours was published"),
    "practice.publish_override": Rule(10, "author", "a practice of yours was published"),
    "review.add": Rule(5, "actor", "you reviewed a submission"),
    "adoption.add": Rule(5, "practice_author", "someone adopted a practice of yours"),
    "checkin.add": Rule(2, "actor", "you checked in on an adoption"),
    "comment.helpful": Rule(3, "author", "a member marked your comment helpful"),
    "comment.add": Rule(1, "actor", "you commented"),
}
WITHDRAWALS = ("comment.hide", "comment.unhide", "comment.unhelpful")
ALSO_READ = ("practice.submit",)  # for badges


@dataclass
class Award:
    """Points earned by one member for one audited action."""

    seq: int
    at: datetime
    member: str
    points: int
    action: str
    target: str
    after: dict[str, Any]
    comment: str | None = None  # the comment an award depends on
    live: bool = True


@dataclass(frozen=True)
class BadgeRule:
    """A badge and the condition under which a member earns it."""

    name: str
    title: str
    how: str
    earned: Callable[[str, list[Award], list[dict[str, Any]]], datetime | None]


def _nth(events: list[Any], n: int) -> datetime | None:
    return events[n - 1].at if len(events) >= n else None


def _count(
    action: str, n: int
) -> Callable[[str, list[Award], list[dict[str, Any]]], datetime | None]:
    return lambda member, awards, _rows: _nth(
        [a for a in awards if a.action == action and a.member == member], n
    )


def _first_submission(
    member: str, _awards: list[Award], rows: list[dict[str, Any]]
) -> datetime | None:
    submitted = [r for r in rows if r["action"] == "practice.submit" and r["actor"] == member]
    return submitted[0]["at"] if submitted else None


def _adopted_in_three(
    member: str, awards: list[Award], _rows: list[dict[str, Any]]
) -> datetime | None:
    places: dict[str, set[str]] = defaultdict(set)
    for award in awards:
        if award.action == "adoption.add" and award.member == member:
            places[award.after.get("practice_id", "")].add(award.after.get("jurisdiction", ""))
            if len(places[award.after.get("practice_id", "")]) == 3:
                return award.at
    return None


def _published(member: str, awards: list[Award], _rows: list[dict[str, Any]]) -> datetime | None:
    return _nth(
        [a for a in awards if a.action.startswith("practice.publish") and a.member == member], 1
    )


BADGES: tuple[BadgeRule, ...] = (
    BadgeRule(
        "first-contribution",
        "First contribution",
        "submitted a practice for review",
        _first_submission,
    ),
    BadgeRule("published", "Published", "had a practice published", _published),
    BadgeRule("five-reviews", "Five reviews", "reviewed five submissions", _count("review.add", 5)),
    BadgeRule(
        "helpful",
        "Helpful",
        "comments marked helpful three times",
        _count("comment.helpful", 3),
    ),
    BadgeRule(
        "adopted-in-three",
        "Adopted in three places",
        "a practice of yours adopted in three jurisdictions",
        _adopted_in_three,
    ),
    BadgeRule(
        "steady-reporter", "Steady reporter", "checked in five times", _count("checkin.add", 5)
    ),
)


def audit_rows(tx: Tx) -> list[dict[str, Any]]:
    """The audit rows recognition reads, oldest first."""
    a = lt.audit
    wanted = list(POINTS) + list(WITHDRAWALS) + list(ALSO_READ)
    query = select(a).where(a.c.action.in_(wanted)).order_by(a.c.seq)
    rows = []
    for row in tx.conn.execute(query):
        data = dict(row._mapping)
        data["at"] = aware(data["at"])
        data["after"] = data["after"] or {}
        rows.append(data)
    return rows


def replay(rows: list[dict[str, Any]], members: set[str]) -> list[Award]:
    """Every award still standing, oldest first (see the module's table)."""
    awards: list[Award] = []
    helpful: dict[tuple[str, str], Award] = {}
    hidden: set[str] = set()
    for row in rows:
        action, target, after = row["action"], row["target"], row["after"]
        if action == "comment.hide":
            hidden.add(target)
        elif action == "comment.unhide":
            hidden.discard(target)
        elif action == "comment.unhelpful":
            taken = helpful.pop((target, row["actor"]), None)
            if taken is not None:
                taken.live = False
        elif action in POINTS:
            rule = POINTS[action]
            member = row["actor"] if rule.to == "actor" else str(after.get(rule.to, ""))
            if action == "adoption.add" and member == row["actor"]:
                continue  # adopting one's own practice earns nothing
            comment = target if action.startswith("comment.") else None
            award = Award(
                row["seq"], row["at"], member, rule.points, action, target, after, comment
            )
            awards.append(award)
            if action == "comment.helpful":
                helpful[(target, row["actor"])] = award
    return [a for a in awards if a.live and a.comment not in hidden and a.member in members]


def standings(
    awards: list[Award], since: When | None = None, until: When | None = None
) -> list[Standing]:
    """Points per member in [since, until), ranked; equal points share a rank (1, 2, 2, 4)."""
    start = None if since is None else to_moment(since, "since")
    end = None if until is None else to_moment(until, "until")
    totals: Counter[str] = Counter()
    for award in awards:
        if (start is None or award.at >= start) and (end is None or award.at < end):
            totals[award.member] += award.points
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    table: list[Standing] = []
    rank = 0
    for position, (member, points) in enumerate(ordered, start=1):
        if not table or points != table[-1].points:
            rank = position
        table.append(Standing(rank=rank, member=member, points=points))
    return table


class RecognitionMixin(SessionBase):
    """Points, the leaderboard and badges, derived from the audit log."""

    def _awards(self, tx: Tx) -> tuple[list[Award], list[dict[str, Any]]]:
        members = set(tx.conn.execute(select(ct.members.c.name)).scalars())
        rows = audit_rows(tx)
        return replay(rows, members), rows

    def leaderboard(
        self,
        since: When | None = None,
        until: When | None = None,
        *,
        limit: int = 10,
    ) -> list[Standing]:
        """The members with most points earned in [since, until) (a date means its midnight UTC)."""
        return self._read(lambda tx: standings(self._awards(tx)[0], since, until)[:limit])

    def points(
        self,
        member: str | None = None,
        since: When | None = None,
        until: When | None = None,
    ) -> int:
        """A member's points (default: this member's) earned in [since, until)."""
        name = member or self.member
        table = self._read(lambda tx: standings(self._awards(tx)[0], since, until))
        return next((s.points for s in table if s.member == name), 0)

    def awards(self, member: str | None = None) -> list[dict[str, Any]]:
        """Why a member has their points: each award with when, how many and what for.

        An award's target is left blank where it is a practice this reader may not
        open (a review of someone's submission, seen by another member).
        """
        name = member or self.member

        def work(tx: Tx) -> list[dict[str, Any]]:
            mine = [a for a in self._awards(tx)[0] if a.member == name]
            hidden = self._unreadable(tx, {a.target for a in mine})
            return [
                {
                    "at": a.at,
                    "points": a.points,
                    "why": POINTS[a.action].why,
                    "action": a.action,
                    "target": "" if a.target in hidden else a.target,
                }
                for a in mine
            ]

        return self._read(work)

    def _unreadable(self, tx: Tx, targets: set[str]) -> set[str]:
        """Which of ``targets`` are ids of practices this reader may not open."""
        p = lt.practices
        query = select(p.c.id, p.c.status, p.c.author).where(p.c.id.in_(sorted(targets)))
        return {
            row.id
            for row in tx.conn.execute(query)
            if self._read_refusal(tx, Head(Status(row.status), row.author)) is not None
        }

    def badges(self, member: str | None = None) -> list[Badge]:
        """The badges a member has earned, in the order they were earned."""
        name = member or self.member

        def work(tx: Tx) -> list[Badge]:
            awards, rows = self._awards(tx)
            earned = []
            for rule in BADGES:
                when = rule.earned(name, awards, rows)
                if when is not None:
                    earned.append(Badge(name=rule.name, title=rule.title, earned=when))
            return sorted(earned, key=lambda b: b.earned)

        return self._read(work)
