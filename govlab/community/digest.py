"""The digest: one summary for a member of what is new since a date.

New practices in the topics they follow (and the challenges in their profile),
reviews, comments and adoptions of their practices, replies to their comments,
and events coming up in the next two weeks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from govlab.community import tables as ct
from govlab.community._base import SessionBase, When, to_moment
from govlab.community.events import EventsMixin
from govlab.community.members import member_row
from govlab.community.records import Event
from govlab.library import tables as lt
from govlab.library.records import aware
from govlab.library.store import Tx
from govlab.models import Status

EVENTS_AHEAD = timedelta(days=14)
EXCERPT = 120


class Digest(BaseModel):
    """What is new for one member since a moment: practices, comments, events."""

    member: str
    since: datetime
    topics: list[str]
    new_practices: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    replies: list[dict[str, Any]]
    adoptions: list[dict[str, Any]]
    events: list[Event]

    def summary(self) -> str:
        """A few plain lines: counts first, then what they are."""
        head = f"What is new for {self.member} since {self.since:%Y-%m-%d}:"
        lines = [head]
        if self.new_practices:
            lines.append(f"- {len(self.new_practices)} new practice(s) in topics you follow:")
            lines += [f"    {p['title']} [{p['id']}]" for p in self.new_practices]
        if self.reviews:
            lines.append(f"- {len(self.reviews)} review(s) of your practices:")
            lines += [
                f"    {r['practice_id']}: {r['decision']} by {r['reviewer']}" for r in self.reviews
            ]
        for name, items in (
            ("comment(s) on your practices", self.comments),
            ("reply(ies) to your comments", self.replies),
        ):
            if items:
                lines.append(f"- {len(items)} {name}:")
                lines += [f"    {c['author']} on {c['practice_id']}: {c['excerpt']}" for c in items]
        if self.adoptions:
            lines.append(f"- {len(self.adoptions)} adoption(s) of your practices:")
            lines += [
                f"    {a['practice_id']} in {a['jurisdiction']} by {a['member']}"
                for a in self.adoptions
            ]
        if self.events:
            lines.append(f"- {len(self.events)} event(s) in the next two weeks:")
            lines += [f"    {e.starts:%a %d %b %H:%M} {e.timezone}: {e.title}" for e in self.events]
        if len(lines) == 1:
            lines.append("- nothing new.")
        return "\n".join(lines)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


class DigestMixin(EventsMixin, SessionBase):
    """A member's digest of what is new."""

    def digest(self, since: When) -> Digest:
        """What is new for this member since ``since`` (a date means its midnight UTC)."""
        start = to_moment(since, "since")

        def work(tx: Tx) -> Digest:
            self._role_in(tx)
            row = member_row(tx, self.member)
            followed = set(
                tx.conn.execute(
                    select(ct.follows.c.topic).where(ct.follows.c.member == self.member)
                ).scalars()
            )
            topics = sorted(followed | set(row["topics"] or []))
            mine = set(
                tx.conn.execute(
                    select(lt.practices.c.id).where(lt.practices.c.author == self.member)
                ).scalars()
            )
            return Digest(
                member=self.member,
                since=start,
                topics=topics,
                new_practices=_new_practices(tx, start, topics, self.member),
                reviews=_reviews(tx, start, mine),
                comments=_comments(tx, start, ct.comments.c.practice_id.in_(mine), self.member),
                replies=_replies(tx, start, self.member),
                adoptions=_adoptions(tx, start, mine, self.member),
                events=[],
            )

        digest = self._read(work)
        now = self._now()
        return digest.model_copy(update={"events": self.events(now, now + EVENTS_AHEAD)})


def _new_practices(tx: Tx, start: datetime, topics: list[str], member: str) -> list[dict[str, Any]]:
    if not topics:
        return []
    a = lt.audit
    query = select(a.c.target).where(
        a.c.action.in_(["practice.publish", "practice.publish_override"]), a.c.at >= start
    )
    ids = sorted(set(tx.conn.execute(query).scalars()))
    wanted = {t.lower() for t in topics}
    found = []
    for practice in tx.practices(ids):
        matched = [t for t in practice.topics if t.lower() in wanted]
        if practice.status == Status.published and matched and practice.author != member:
            found.append({"id": practice.id, "title": practice.title, "topics": matched})
    return found


def _reviews(tx: Tx, start: datetime, mine: set[str]) -> list[dict[str, Any]]:
    r = ct.reviews
    query = (
        select(r.c.practice_id, r.c.reviewer, r.c.decision, r.c.at)
        .where(r.c.practice_id.in_(mine), r.c.at >= start)
        .order_by(r.c.id)
    )
    return [dict(row._mapping) | {"at": aware(row.at)} for row in tx.conn.execute(query)]


def _comments(tx: Tx, start: datetime, where: Any, member: str) -> list[dict[str, Any]]:
    c = ct.comments
    query = (
        select(c.c.id, c.c.practice_id, c.c.author, c.c.body, c.c.created)
        .where(where, c.c.created >= start, c.c.author != member, c.c.hidden.is_(False))
        .order_by(c.c.id)
    )
    return [
        {
            "id": row.id,
            "practice_id": row.practice_id,
            "author": row.author,
            "at": aware(row.created),
            "excerpt": _excerpt(row.body),
        }
        for row in tx.conn.execute(query)
    ]


def _replies(tx: Tx, start: datetime, member: str) -> list[dict[str, Any]]:
    c = ct.comments
    parents = c.alias("parents")  # a second name, so the subquery does not correlate
    my_comments = select(parents.c.id).where(parents.c.author == member)
    mine = set(
        tx.conn.execute(select(lt.practices.c.id).where(lt.practices.c.author == member)).scalars()
    )
    replies = _comments(tx, start, c.c.parent_id.in_(my_comments), member)
    return [r for r in replies if r["practice_id"] not in mine]  # those are in "comments"


def _adoptions(tx: Tx, start: datetime, mine: set[str], member: str) -> list[dict[str, Any]]:
    a = ct.adoptions
    query = (
        select(a.c.practice_id, a.c.member, a.c.jurisdiction, a.c.created)
        .where(a.c.practice_id.in_(mine), a.c.created >= start, a.c.member != member)
        .order_by(a.c.id)
    )
    return [dict(row._mapping) | {"created": aware(row.created)} for row in tx.conn.execute(query)]
