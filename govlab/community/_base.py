"""What every part of the session shares: the store, the member, the clock, permission checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple, TypeVar

from pydantic_core import to_jsonable_python
from sqlalchemy import select

from govlab.community import policy
from govlab.community import tables as ct
from govlab.community.policy import VISITOR_REFUSAL, Role
from govlab.errors import InvalidInput, NotFound, PermissionDenied
from govlab.library import tables as lt
from govlab.library.store import Store, Tx
from govlab.models import READ_BY, Audience, Practice, Reader, Status

T = TypeVar("T")


class Head(NamedTuple):
    """What the rules need to know of a practice: its status and its author."""

    status: Status
    author: str


When = date | datetime | str


def to_moment(value: When, what: str = "date") -> datetime:
    """An aware UTC-based datetime from a datetime, a date (its midnight UTC) or ISO text."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f"{what}: {value!r} is not a date like 2026-03-31.") from None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(), tzinfo=UTC)


class SessionBase:
    """A session bound to one member; the feature mixins build on it.

    The store underneath is private: every read and write goes through a method that
    checks the member's permission first. The member is fixed when the session opens.
    """

    def __init__(
        self, store: Store, member: str, *, visitor: bool = False, owns_store: bool = True
    ) -> None:
        self._store = store
        self._member = member
        self._visitor = visitor
        self._owns_store = owns_store  # False: a shared library's, closed by its owner

    def __repr__(self) -> str:
        return f"<govlab Library {self._store.url} as {self._member}>"

    @property
    def member(self) -> str:
        """The member this session acts as (fixed when it was opened)."""
        return self._member

    @property
    def location(self) -> str:
        """Where the library is: its database URL, with any password hidden."""
        return self._store.url

    @property
    def role(self) -> Role:
        """The member's role now (read afresh: an admin may have changed it)."""
        return self._read(self._role_or_visitor)

    @property
    def is_visitor(self) -> bool:
        """Whether this is an anonymous visitor's session (read-only, and feedback)."""
        return self._visitor

    def now(self) -> datetime:
        """What time it is for this session (a test's fixed clock, else UTC now).

        Every timestamp a write makes comes from it; a view that counts "the last 30
        days" should count from it too.
        """
        return self._store.clock()

    def _now(self) -> datetime:
        return self._store.clock()

    def _write(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one write transaction, retried if the database was busy."""
        return self._store.retrying(work)

    def _read(self, work: Callable[[Tx], T]) -> T:
        with self._store.reading() as tx:
            return work(tx)

    def _role_in(self, tx: Tx) -> Role:
        """The member's role; PermissionDenied for a visitor or someone not a member."""
        if self._visitor:
            raise PermissionDenied(VISITOR_REFUSAL.format(words="do this"))
        query = select(ct.members.c.role).where(ct.members.c.name == self.member)
        role = tx.conn.execute(query).scalar_one_or_none()
        if role is None:
            raise PermissionDenied(f"{self.member} is not a member of this library.")
        return Role(role)

    def _role_or_visitor(self, tx: Tx) -> Role:
        """The member's role, or ``visitor`` for an anonymous visitor's session."""
        return Role.visitor if self._visitor else self._role_in(tx)

    def _require(self, action: str, tx: Tx | None = None) -> Role:
        """The member's role, or PermissionDenied if it may not do ``action``."""
        role = self._role_or_visitor(tx) if tx is not None else self.role
        policy.check(action, self.member, role)
        return role

    def _require_on(self, verb: str, owner: str, tx: Tx | None = None) -> Role:
        """Check an ownership-dependent rule (see ``policy.OWNERSHIP``)."""
        return self._require(policy.owned(verb, owner=owner, member=self.member), tx)

    def _may(self, action: str, tx: Tx) -> bool:
        return policy.allowed(self._role_or_visitor(tx), action)

    def _audit(
        self, tx: Tx, action: str, target: object = "", *, before: Any = None, after: Any = None
    ) -> None:
        """Append an audit row; ``before``/``after`` may hold models, dates and enums."""
        tx.audit(
            self.member,
            action,
            str(target),
            before=to_jsonable_python(before),
            after=to_jsonable_python(after),
            at=self._now(),
        )

    def _readable(self, tx: Tx, practice_id: str) -> Practice:
        """The practice, if this member may read it (PermissionDenied otherwise)."""
        self._head(tx, practice_id)
        return tx.practice(practice_id)

    def _head(self, tx: Tx, practice_id: str) -> Head:
        """A practice's status and author, if this member may read it.

        Read from the practice's columns, without loading the whole record.
        """
        p = lt.practices
        query = select(p.c.status, p.c.author).where(p.c.id == practice_id)
        row = tx.conn.execute(query).first()
        if row is None:
            raise NotFound(f"No practice with id {practice_id!r} in the library.")
        head = Head(Status(row.status), row.author)
        reason = self._read_refusal(tx, head)
        if reason is not None:
            raise PermissionDenied(f"Practice {practice_id!r} is not published yet. {reason}")
        return head

    def _reader(self, tx: Tx) -> Reader | None:
        """What this member may read, for the search (None: everything, as for admins)."""
        return reader_for(self._role_or_visitor(tx), self.member)

    def _read_refusal(self, tx: Tx, head: Head) -> str | None:
        """Why this member may not read a practice with this status and author (None: may)."""
        role = self._role_or_visitor(tx)
        reader = reader_for(role, self.member)
        if reader is None or reader.may_read(head.status, head.author):
            return None
        verb = READ_VERBS[READ_BY[head.status]]
        return policy.refusal(
            policy.owned(verb, owner=head.author, member=self.member), self.member, role
        )


# the policy action that lets a member read another member's practice, by audience
READ_VERBS = {Audience.reviewers: "read_submitted", Audience.author: "read_draft"}


def reader_for(role: Role, member: str) -> Reader | None:
    """The :class:`Reader` a member with ``role`` is, from the policy (None: reads all)."""
    if policy.allowed(role, "read_others_draft"):
        return None
    if role == Role.visitor:
        return Reader(None)
    audiences = {Audience.everyone}
    if policy.allowed(role, "read_submitted"):
        audiences.add(Audience.reviewers)
    return Reader(member, frozenset(audiences))
