"""One library, many callers: the service opens a session per caller and keeps it.

The service opens the library once (a :class:`SharedLibrary`: one connection pool),
first as the facilitator named with ``--admin`` (on a new library they are its
creator, hence its admin), then a session per caller the first time they call (that
is how someone new joins), kept for their next calls. Every rule is the session's:
this module only says *who*.

A JupyterHub group (``--facilitator-group``) can stand for the facilitator role: a
caller in that group who is only a member or reviewer in the library is granted the
facilitator role, by the library's admin session, with the usual audit row.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from govlab.community.session import Library, SharedLibrary
from govlab.errors import PermissionDenied

log = logging.getLogger("govlab.service")
GROUP_CHECK_SECONDS = 60.0
PROMOTABLE = ("member", "reviewer")
FACILITATOR = "facilitator"
KEPT_SESSIONS = 200  # callers whose sessions are kept (all share the library's pool)


@dataclass(frozen=True)
class Caller:
    """Who is calling, as the Hub (or a service token) says."""

    name: str
    groups: frozenset[str] = frozenset()
    via: str = "token"


@dataclass
class Sessions:
    """Open sessions as callers on one library."""

    db: str | None
    admin: str
    facilitator_group: str | None = None
    _shared: SharedLibrary | None = field(default=None, init=False, repr=False)
    _admin_session: Library | None = field(default=None, init=False, repr=False)
    _kept: OrderedDict[str, Library] = field(default_factory=OrderedDict, init=False, repr=False)
    _promoted: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def open(self) -> Library:
        """Open the library as the admin (creating, migrating and seeding it if new)."""
        if self._admin_session is None:
            # the session module's own opener: govlab.open_library could mean this service
            self._shared = SharedLibrary(self.db, creator=self.admin)
            self._admin_session = self._shared.session(self.admin)
        return self._admin_session

    def close(self) -> None:
        """Close every session the service opened."""
        with self._lock:
            for library in self._kept.values():
                library.close()
            self._kept.clear()
        if self._shared is not None:
            self._shared.close()
            self._shared, self._admin_session = None, None

    @property
    def admin_session(self) -> Library:
        """The session of the library's admin (``--admin``)."""
        return self.open()

    def session(self, caller: Caller) -> tuple[Library, bool]:
        """A session as ``caller``, and whether they joined the library just now."""
        with self._lock:
            library = self._kept.get(caller.name)
            joined_now = False
            if library is None:
                self.open()
                assert self._shared is not None
                library = self._shared.session(caller.name)
                joined_now = library.joined_now
                self._kept[caller.name] = library
                while len(self._kept) > KEPT_SESSIONS:
                    self._kept.popitem(last=False)[1].close()
            self._kept.move_to_end(caller.name)
        if self.facilitator_group and self.facilitator_group in caller.groups:
            self._promote(library)
        return library, joined_now

    def _promote(self, library: Library) -> None:
        """Grant the facilitator role to a member of the facilitators' hub group (once)."""
        checked = self._promoted.get(library.member, 0.0)
        if time.monotonic() - checked < GROUP_CHECK_SECONDS:
            return
        if str(library.role) in PROMOTABLE:
            try:
                self.admin_session.grant(library.member, FACILITATOR)
            except PermissionDenied as refusal:  # --admin is no longer an admin here
                group = self.facilitator_group
                log.warning("cannot map hub group %s to facilitator: %s", group, refusal)
        with self._lock:
            self._promoted[library.member] = time.monotonic()
