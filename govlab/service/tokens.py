"""Tokens the service issues to members when it runs outside a JupyterHub.

A token is shown once, when it is issued (``govlab members token NAME``), and kept
only as its SHA-256 digest, in a file only the service's account can read
(``$GOVLAB_HOME/service-tokens.json``, or ``--tokens FILE``): a copy of it holds no
working token. Tokens are long random strings (256 bits), so a fast digest is
enough; a slow password hash would only slow every request down. A token can be
revoked, and expires.

The file sits beside the service, not in the library's database: a face does not
write the database except through the session (the session methods for tokens are
requested in the brief's REQUESTS.md; the file moves into the library when they land).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from govlab.community.session import Library
from govlab.errors import InvalidInput, NotFound, PermissionDenied
from govlab.library.paths import govlab_home
from govlab.models import now
from govlab.service.wire import TOKEN_PREFIX

MAX_DAYS = 366
TOKEN_MANAGERS = ("facilitator", "admin")  # interim: see the module docstring


class TokenInfo(BaseModel):
    """A token as stored and listed: never the token itself."""

    id: int
    member: str
    digest: str
    note: str = ""
    created: datetime
    created_by: str
    expires: datetime | None = None
    revoked: datetime | None = None


def default_path() -> Path:
    """``$GOVLAB_HOME/service-tokens.json``."""
    return govlab_home() / "service-tokens.json"


def digest(token: str) -> str:
    """The SHA-256 of a token, as kept."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class TokenFile:
    """The service's tokens, in one JSON file (written whole, under a lock)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self._seen: tuple[int, int] | None = None
        self._rows: list[TokenInfo] = []
        self._lock = threading.Lock()

    def issue(self, library: Library, member: str, *, days: int = 30, note: str = "") -> str:
        """A new token for ``member``, returned once (only its digest is kept).

        Anyone may have a token for themselves; facilitators and admins issue them to others.
        """
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(f"--days: a token lasts 1 to {MAX_DAYS} days, not {days}.")
        _check_manager(library, member, "issue a token for")
        try:
            name = library.profile(member).name
        except NotFound:
            raise NotFound(
                f"No member called {member!r}: add them first (govlab members add {member})."
            ) from None
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        moment = now()
        with self._editing() as rows:
            rows.append(
                TokenInfo(
                    id=max((row.id for row in rows), default=0) + 1,
                    member=name,
                    digest=digest(token),
                    note=note.strip()[:200],
                    created=moment,
                    created_by=library.member,
                    expires=moment + timedelta(days=days),
                )
            )
        return token

    def revoke(self, library: Library, member: str) -> int:
        """Revoke every live token of ``member``; returns how many."""
        _check_manager(library, member, "revoke the tokens of")
        moment, done = now(), 0
        with self._editing() as rows:
            for row in rows:
                if row.member == member and row.revoked is None:
                    row.revoked, done = moment, done + 1
        return done

    def listed(self, library: Library, member: str | None = None) -> list[TokenInfo]:
        """The tokens of ``member`` (default: oneself); facilitators may list anyone's."""
        name = member or library.member
        _check_manager(library, name, "list the tokens of")
        return [row for row in self._read() if row.member == name]

    def member_for(self, token: str) -> str | None:
        """The member a live token belongs to, or None (unknown, revoked or expired)."""
        wanted = digest(token)
        for row in self._read():
            if secrets.compare_digest(row.digest, wanted):
                live = row.revoked is None and (row.expires is None or row.expires > now())
                return row.member if live else None
        return None

    def _read(self) -> list[TokenInfo]:
        """The rows, read again only when the file changed (revocations show at once)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        seen = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if seen != self._seen:
                self._rows = _parse(self.path.read_text("utf-8"))
                self._seen = seen
            return list(self._rows)

    @contextlib.contextmanager
    def _editing(self) -> Iterator[list[TokenInfo]]:
        """Read, change and write back the rows, one writer at a time (a lock file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        with lock.open("a") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            rows = _parse(self.path.read_text("utf-8")) if self.path.exists() else []
            yield rows
            data: dict[str, Any] = {"tokens": [row.model_dump(mode="json") for row in rows]}
            fresh = self.path.with_name(self.path.name + ".new")
            fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1)
            os.replace(fresh, self.path)


def _parse(text: str) -> list[TokenInfo]:
    return [TokenInfo.model_validate(row) for row in json.loads(text or "{}").get("tokens", [])]


def _check_manager(library: Library, member: str, what: str) -> None:
    if member != library.member and str(library.role) not in TOKEN_MANAGERS:
        raise PermissionDenied(
            f"Only facilitators and admins can {what} another member; "
            f"{library.member} is a {library.role}."
        )
