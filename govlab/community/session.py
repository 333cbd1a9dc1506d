"""The session: one member's way into the library. Every feature is a method here.

    >>> import govlab
    >>> library = govlab.open_library()          # as $JUPYTERHUB_USER, $GOVLAB_USER or you
    >>> library.search("311").total

Widgets, the CLI and notebooks call these methods and nothing else: the checks
(permission, validation, workflow) live in the mixins this class is made of.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import select

from govlab.community import members as _members
from govlab.community._base import When, to_moment
from govlab.community.adoptions import AdoptionsMixin
from govlab.community.digest import DigestMixin
from govlab.community.discussion import DiscussionMixin
from govlab.community.events import EventsMixin
from govlab.community.feedback import FeedbackMixin
from govlab.community.finding import FindingMixin
from govlab.community.groups import GroupsMixin
from govlab.community.members import MembersMixin
from govlab.community.ratings import RatingsMixin
from govlab.community.recognition import RecognitionMixin
from govlab.community.records import AuditEntry
from govlab.community.reviews import ReviewsMixin
from govlab.errors import InvalidInput, PermissionDenied
from govlab.library import tables as lt
from govlab.library.records import aware
from govlab.library.store import Store, Tx
from govlab.models import Practice

AUDIT_LIMIT = 10_000


class Library(
    FindingMixin,
    ReviewsMixin,
    RatingsMixin,
    DiscussionMixin,
    MembersMixin,
    GroupsMixin,
    DigestMixin,
    EventsMixin,
    AdoptionsMixin,
    FeedbackMixin,
    RecognitionMixin,
):
    """The practice library as seen and changed by one member.

    Attributes
    ----------
    member
        The member's name; every write is recorded under it.
    joined_now
        True when opening this session made them a member (show the guidelines).
    """

    joined_now: bool = False

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the session's database connections (a shared library's stay open)."""
        if self._owns_store:
            self._store.close()

    def render(self, text: str | None) -> str:
        """User Markdown (a practice's text, a note) as safe HTML: what a widget shows.

        Images load only from this library's ``image_hosts`` (see :mod:`govlab.render`).
        """
        from govlab.community.discussion import image_hosts
        from govlab.render import render_markdown

        return render_markdown(text, image_hosts=self._read(image_hosts))

    def leave_unseeded(self) -> bool:
        """Keep a new, empty library empty: opening it later does not load the seed (admins).

        Returns False if the library was seeded (or left empty) before.
        """

        def work(tx: Tx) -> bool:
            self._require("change_settings", tx)
            if tx.setting("seeded") is not None:
                return False
            skipped = {"at": self._now().isoformat(), "count": 0, "skipped": True}
            tx.set_setting("seeded", skipped)
            self._audit(tx, "settings.seeded", "", after=skipped)
            return True

        return self._write(work)

    def all_practices(self) -> list[Practice]:
        """Every practice this member may read (for export), by id."""

        def work(tx: Tx) -> list[Practice]:
            readable = []
            for practice in tx.practices():
                try:
                    self._head(tx, practice.id)
                except PermissionDenied:
                    continue
                readable.append(practice)
            return readable

        return self._read(work)

    def stats(self) -> dict[str, Any]:
        """How many practices this member can see, by status, with the facet counts."""
        result = self.search("", limit=0)
        by_status = dict(result.facets.get("status", {}))
        return {"total": result.total, "by_status": by_status, "facets": result.facets}

    def audit_log(
        self,
        since: When | None = None,
        until: When | None = None,
        *,
        actor: str | None = None,
        action: str | None = None,
        target: str | None = None,
        limit: int = AUDIT_LIMIT,
    ) -> list[AuditEntry]:
        """Audit rows in [since, until), oldest first (facilitators and admins).

        ``action`` may end in ``.`` or ``*`` to match a family, e.g. ``"comment."``.
        """

        def work(tx: Tx) -> list[AuditEntry]:
            self._require("view_audit", tx)
            a = lt.audit
            query = select(a).order_by(a.c.seq)
            if since is not None:
                query = query.where(a.c.at >= to_moment(since, "since"))
            if until is not None:
                query = query.where(a.c.at < to_moment(until, "until"))
            if actor is not None:
                query = query.where(a.c.actor == actor)
            if target is not None:
                query = query.where(a.c.target == str(target))
            if action:
                prefix = action.rstrip("*")
                family = prefix.endswith(".")
                query = query.where(
                    a.c.action.startswith(prefix) if family else a.c.action == action
                )
            rows = tx.conn.execute(query.limit(limit))
            return [AuditEntry.model_validate(dict(r._mapping) | {"at": aware(r.at)}) for r in rows]

        return self._read(work)


def name_admin(db: str | None, name: str) -> bool:
    """Name the admin of a library that has none (``govlab init --admin NAME``).

    False, changing nothing, when the library already has an admin.
    """
    store = Store.open(db, seed=False)
    try:
        return _members.name_admin(store, name)
    finally:
        store.close()


def current_user(user: str | None = None) -> str:
    """``user``, else $JUPYTERHUB_USER, else $GOVLAB_USER, else the login name."""
    for candidate in (user, os.environ.get("JUPYTERHUB_USER"), os.environ.get("GOVLAB_USER")):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        raise InvalidInput("Who are you? Set GOVLAB_USER to your name.") from None


def open_library(
    db: str | None = None,
    user: str | None = None,
    *,
    seed: bool = True,
    show_guidelines: bool = True,
    clock: Callable[[], datetime] | None = None,
    visitor: bool = False,
) -> Library:
    """Open the library (creating, migrating and seeding it on first use) as one member.

    Parameters
    ----------
    db
        A SQLAlchemy URL or a SQLite file path; default ``$GOVLAB_DB_URL``, else the
        embedded library in ``$GOVLAB_HOME``.
    user
        The member; default ``$JUPYTERHUB_USER``, else ``$GOVLAB_USER``, else the login
        name. Someone new joins as a member (the very first one as admin) and, when
        ``show_guidelines``, is shown the community guidelines.
    seed
        Load the seed practices into a new library.
    clock
        Where "now" comes from (tests pass a fixed clock); default the system's UTC time.
    visitor
        Open as an anonymous visitor (a public dashboard): ``user`` is not used, nobody
        joins, and the session may only read what is published and leave feedback.
    """
    if visitor:
        return Library(Store.open(db, seed=seed, clock=clock), "visitor", visitor=True)
    name = _members.check_name(current_user(user))
    store = Store.open(db, seed=seed, clock=clock, creator=name)
    library = Library(store, name)
    try:
        library.joined_now = _members.join(store, name)
    except BaseException:
        store.close()  # refused (a look-alike name, a closed library): leave nothing open
        raise
    if library.joined_now and show_guidelines:
        welcome = f"Welcome, {name}. Accept them with library.accept_guidelines()."
        show_text(library.guidelines() + "\n" + welcome)
    return library


class SharedLibrary:
    """One opened library that many members' sessions share: what a service holds.

    Opening (migrating, seeding) happens once; :meth:`session` is then cheap: a name
    check, a read to see whether they are a member (a write only when they join), and
    a session on the same connection pool. Closing a session leaves the pool open;
    :meth:`close` closes it.

        >>> shared = SharedLibrary("postgresql://govlab@db/govlab")
        >>> with shared.session("ann") as library:
        ...     library.search("bus").total
    """

    def __init__(
        self,
        db: str | None = None,
        *,
        seed: bool = True,
        clock: Callable[[], datetime] | None = None,
        creator: str | None = None,
    ) -> None:
        self._store = Store.open(db, seed=seed, clock=clock, creator=creator)

    @property
    def location(self) -> str:
        """Where the library is: its database URL, with any password hidden."""
        return self._store.url

    def session(self, user: str, *, visitor: bool = False) -> Library:
        """A session as ``user`` (who joins if new), or as an anonymous visitor."""
        if visitor:
            return Library(self._store, "visitor", visitor=True, owns_store=False)
        name = _members.check_name(user)
        library = Library(self._store, name, owns_store=False)
        library.joined_now = _members.join(self._store, name)
        return library

    def close(self) -> None:
        """Close the library's connections (every session on it stops working)."""
        self._store.close()

    def __enter__(self) -> SharedLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def show_text(text: str) -> None:
    """Show our own Markdown: rendered in a notebook, else on stderr (stdout may be JSON)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        from IPython.display import Markdown, display

        display(Markdown(text))  # type: ignore[no-untyped-call]  # IPython ships no types
    else:
        print(text, file=sys.stderr)
