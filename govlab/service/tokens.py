"""Tokens the service issues to members when it runs outside a JupyterHub.

A token is shown once, when it is issued (``govlab members token NAME``), and stored
only as its SHA-256 digest: a copy of the database does not hold working tokens.
Tokens are long random strings (256 bits), so a fast digest is enough; a slow
password hash would only slow every request down. A token can be revoked, and can
expire.

This module is storage, and is the one module of the service that speaks SQL: the
table belongs in the core with session methods (requested in the brief's
REQUESTS.md), and moves there when they land. Its migration is
``govlab/library/migrations/versions/0004_service_tokens.py``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
    update,
)

from govlab.community.session import Library
from govlab.errors import InvalidInput, NotFound, PermissionDenied
from govlab.models import now
from govlab.service.wire import TOKEN_PREFIX

MAX_DAYS = 366
TOKEN_MANAGERS = ("facilitator", "admin")  # interim: see the module docstring

metadata = MetaData()
service_tokens = Table(
    "service_tokens",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("member", String(200), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("note", String(200), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("expires", DateTime(timezone=True)),
    Column("revoked", DateTime(timezone=True)),
)


class TokenInfo(BaseModel):
    """A token as listed: never the token itself."""

    id: int
    member: str
    note: str
    created: datetime
    created_by: str
    expires: datetime | None
    revoked: datetime | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue(library: Library, member: str, *, days: int | None = 30, note: str = "") -> str:
    """A new token for ``member``, returned once (only its digest is kept).

    Anyone may have a token for themselves; facilitators and admins issue them to others.
    """
    if days is not None and not 1 <= days <= MAX_DAYS:
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
    expires = moment + timedelta(days=days) if days is not None else None
    row = {
        "member": name,
        "digest": digest(token),
        "note": note.strip()[:200],
        "created": moment,
        "created_by": library.member,
        "expires": expires,
        "revoked": None,
    }
    with library.store.transaction() as tx:
        tx.conn.execute(insert(service_tokens).values(row))
        after = {"expires": expires.isoformat() if expires else None, "note": row["note"]}
        tx.audit(library.member, "token.issue", name, after=after, at=moment)
    return token


def revoke(library: Library, member: str) -> int:
    """Revoke every live token of ``member``; returns how many."""
    _check_manager(library, member, "revoke the tokens of")
    moment = now()
    t = service_tokens
    with library.store.transaction() as tx:
        done = tx.conn.execute(
            update(t).where(t.c.member == member, t.c.revoked.is_(None)).values(revoked=moment)
        ).rowcount
        if done:
            tx.audit(library.member, "token.revoke", member, after={"tokens": done}, at=moment)
    return int(done)


def listed(library: Library, member: str | None = None) -> list[TokenInfo]:
    """The tokens of ``member`` (default: oneself); facilitators may list anyone's."""
    name = member or library.member
    _check_manager(library, name, "list the tokens of")
    t = service_tokens
    with library.store.reading() as tx:
        rows = tx.conn.execute(select(t).where(t.c.member == name).order_by(t.c.id))
        return [TokenInfo.model_validate(dict(r._mapping)) for r in rows]


def member_for(library: Library, token: str) -> str | None:
    """The member a live token belongs to, or None (unknown, revoked or expired)."""
    t = service_tokens
    query = select(t.c.member, t.c.expires).where(
        t.c.digest == digest(token), t.c.revoked.is_(None)
    )
    with library.store.reading() as tx:
        row = tx.conn.execute(query).first()
    if row is None:
        return None
    expires = row.expires
    if expires is not None and expires.tzinfo is None:  # SQLite hands them back naive
        expires = expires.replace(tzinfo=now().tzinfo)
    return None if expires is not None and expires <= now() else str(row.member)


def _check_manager(library: Library, member: str, what: str) -> None:
    if member != library.member and str(library.role) not in TOKEN_MANAGERS:
        raise PermissionDenied(
            f"Only facilitators and admins can {what} another member; "
            f"{library.member} is a {library.role}."
        )
