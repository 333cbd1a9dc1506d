"""Working groups (task forces): create, join, leave, invite, attach practices, write notes.

A group is open (any member may join it) or invite-only (its members, or a
facilitator, add people). Either way a group's notes are read and written by its
members (and facilitators) only; its name, members and shelf are listed for all.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import insert, select

from govlab.community import tables as ct
from govlab.community._base import Head, SessionBase
from govlab.community.discussion import image_hosts
from govlab.community.members import member_row
from govlab.community.records import Group, Note, written_text
from govlab.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govlab.library import tables as lt
from govlab.library.records import aware
from govlab.library.store import Tx
from govlab.models import Status
from govlab.text import clean


def slug(name: str) -> str:
    """``"Channel Shift!"`` -> ``"channel-shift"``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]


def group_row(tx: Tx, group_id: str) -> dict[str, Any]:
    """The stored row of working group ``group_id``; NotFound if there is none."""
    row = tx.conn.execute(select(ct.groups).where(ct.groups.c.id == group_id)).first()
    if row is None:
        raise NotFound(f"No working group {group_id!r}.")
    return dict(row._mapping)


def group_members(tx: Tx, group_id: str) -> list[str]:
    """The names of a group's members, in order."""
    gm = ct.group_members
    query = select(gm.c.member).where(gm.c.group_id == group_id).order_by(gm.c.member)
    return list(tx.conn.execute(query).scalars())


class GroupsMixin(SessionBase):
    """Working groups: membership, shelves of practices, notes."""

    def create_group(self, name: str, description: str = "", *, invite_only: bool = False) -> Group:
        """Start a working group; its creator is its first member.

        ``invite_only``: members join only when someone in the group invites them.
        """
        name = clean(name if isinstance(name, str) else "").strip()
        key = slug(name)
        if len(key) < 3:
            raise InvalidInput("group name: give a name of at least three letters or digits.")

        def work(tx: Tx) -> Group:
            self._require("create_group", tx)
            if tx.conn.execute(select(ct.groups.c.id).where(ct.groups.c.id == key)).first():
                raise Conflict(f"A working group {key!r} already exists.")
            row: dict[str, Any] = {"id": key, "name": name[:200]}
            row |= {"description": clean(description).strip(), "created_by": self.member}
            row["invite_only"] = bool(invite_only)
            row["created"] = self._now()
            tx.conn.execute(insert(ct.groups).values(row))
            self._add_to_group(tx, key, self.member)
            self._audit(
                tx, "group.create", key, after={"name": row["name"], "invite_only": invite_only}
            )
            return self._group(tx, key)

        return self._write(work)

    def join_group(self, group_id: str) -> Group:
        """Join an open working group (an invite-only one needs an invitation)."""

        def work(tx: Tx) -> Group:
            self._role_in(tx)
            row = group_row(tx, group_id)
            if self.member in group_members(tx, group_id):
                raise Conflict(f"{self.member} is already in {group_id!r}.")
            if row["invite_only"]:
                raise PermissionDenied(
                    f"{row['name']!r} is invite-only: ask one of its members to invite you."
                )
            self._add_to_group(tx, group_id, self.member)
            self._audit(tx, "group.join", group_id)
            return self._group(tx, group_id)

        return self._write(work)

    def invite_to_group(self, group_id: str, member: str) -> Group:
        """Add a member to a group one belongs to (facilitators: to any group)."""

        def work(tx: Tx) -> Group:
            self._require_group_write(tx, group_id)
            member_row(tx, member)
            if member in group_members(tx, group_id):
                raise Conflict(f"{member} is already in {group_id!r}.")
            self._add_to_group(tx, group_id, member)
            self._audit(tx, "group.invite", group_id, after={"member": member})
            return self._group(tx, group_id)

        return self._write(work)

    def leave_group(self, group_id: str) -> None:
        """Leave a working group."""

        def work(tx: Tx) -> None:
            self._role_in(tx)
            gm = ct.group_members
            mine = (gm.c.group_id == group_id) & (gm.c.member == self.member)
            if not tx.conn.execute(gm.delete().where(mine)).rowcount:
                raise Conflict(f"{self.member} is not in {group_id!r}.")
            self._audit(tx, "group.leave", group_id)

        self._write(work)

    def attach_practice(self, group_id: str, practice_id: str) -> Group:
        """Add a practice the member may read to the group's shelf (group members)."""

        def work(tx: Tx) -> Group:
            self._require_group_write(tx, group_id)
            self._head(tx, practice_id)
            gp = ct.group_practices
            there = select(gp.c.practice_id).where(
                gp.c.group_id == group_id, gp.c.practice_id == practice_id
            )
            if tx.conn.execute(there).first() is not None:
                raise Conflict(f"{practice_id!r} is already in {group_id!r}.")
            row: dict[str, Any] = {"group_id": group_id, "practice_id": practice_id}
            row |= {"added_by": self.member, "at": self._now()}
            tx.conn.execute(insert(gp).values(row))
            self._audit(tx, "group.attach", group_id, after={"practice_id": practice_id})
            return self._group(tx, group_id)

        return self._write(work)

    def add_note(self, group_id: str, text: str) -> Note:
        """Write a note (Markdown) in a group one belongs to."""
        from govlab.render import render_markdown

        body = written_text(text, "note")

        def work(tx: Tx) -> Note:
            self._require_group_write(tx, group_id)
            at = self._now()
            row = {"group_id": group_id, "author": self.member, "body": body, "at": at}
            key = int(tx.conn.execute(insert(ct.group_notes).values(row)).inserted_primary_key[0])  # type: ignore[index]
            self._audit(tx, "group.note", group_id, after={"note": key})
            html = render_markdown(body, image_hosts=image_hosts(tx))
            return Note(id=key, author=self.member, body=body, html=html, at=at)

        return self._write(work)

    def group(self, group_id: str) -> Group:
        """A group with its members and practices, and its notes if one may read them."""

        def work(tx: Tx) -> Group:
            self._role_in(tx)
            return self._group(tx, group_id)

        return self._read(work)

    def groups(self) -> list[Group]:
        """Every working group, by name (members and practices, without notes)."""

        def work(tx: Tx) -> list[Group]:
            self._role_in(tx)
            ids = tx.conn.execute(select(ct.groups.c.id).order_by(ct.groups.c.name)).scalars()
            return [self._group(tx, key, notes=False) for key in list(ids)]

        return self._read(work)

    def _require_group_write(self, tx: Tx, group_id: str) -> None:
        group_row(tx, group_id)
        inside = self.member in group_members(tx, group_id)
        self._require_on("write_group", self.member if inside else "", tx)

    def _add_to_group(self, tx: Tx, group_id: str, member: str) -> None:
        row = {"group_id": group_id, "member": member, "joined": self._now()}
        tx.conn.execute(insert(ct.group_members).values(row))

    def _group(self, tx: Tx, group_id: str, *, notes: bool = True) -> Group:
        from govlab.render import render_markdown

        row = group_row(tx, group_id)
        gp, gn = ct.group_practices, ct.group_notes
        p = lt.practices
        shelf = (
            select(gp.c.practice_id, p.c.status, p.c.author)
            .join(p, p.c.id == gp.c.practice_id)
            .where(gp.c.group_id == group_id)
            .order_by(gp.c.at, gp.c.practice_id)
        )
        written = []
        hosts = image_hosts(tx)
        inside = self.member in group_members(tx, group_id)
        if notes and (inside or self._may("read_others_group", tx)):
            query = select(gn).where(gn.c.group_id == group_id).order_by(gn.c.id)
            written = [
                Note(
                    id=n.id,
                    author=n.author,
                    body=n.body,
                    html=render_markdown(n.body, image_hosts=hosts),
                    at=aware(n.at),
                )
                for n in tx.conn.execute(query)
            ]
        return Group(
            **(row | {"created": aware(row["created"])}),
            members=group_members(tx, group_id),
            # only what this member may open: a draft on the shelf stays its author's
            practices=[
                r.practice_id
                for r in tx.conn.execute(shelf)
                if self._read_refusal(tx, Head(Status(r.status), r.author)) is None
            ],
            notes=written,
        )
