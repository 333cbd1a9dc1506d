"""Discussion: threaded comments in Markdown, flags, helpful marks, moderation.

Comments are stored as written and reach HTML only through
:func:`govlab.render.render_markdown`. A hidden comment stays in the database (and
in the audit); readers see a placeholder so that replies keep their place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from govlab.community import tables as ct
from govlab.community._base import SessionBase
from govlab.community.records import Comment, written_text
from govlab.community.settings import setting
from govlab.errors import Conflict, InvalidInput, NotFound
from govlab.library.records import aware
from govlab.library.store import Tx
from govlab.text import clean

HIDDEN_TEXT = "*This comment was hidden by a facilitator.*"


def comment_row(tx: Tx, comment_id: int) -> dict[str, Any]:
    """The stored row of comment ``comment_id``; NotFound if there is none."""
    row = tx.conn.execute(select(ct.comments).where(ct.comments.c.id == comment_id)).first()
    if row is None:
        raise NotFound(f"No comment number {comment_id}.")
    return dict(row._mapping)


class DiscussionMixin(SessionBase):
    """Threaded discussion of practices, with flags, helpful marks and moderation."""

    def comment(self, practice_id: str, text: str, *, parent: int | None = None) -> Comment:
        """Comment on a practice one may read, or reply to a comment (``parent``)."""
        body = written_text(text)

        def work(tx: Tx) -> dict[str, Any]:
            self._require("comment", tx)
            practice = self._head(tx, practice_id)
            if parent is not None and comment_row(tx, parent)["practice_id"] != practice_id:
                raise InvalidInput(f"Comment {parent} is not on practice {practice_id!r}.")
            values = {
                "practice_id": practice_id,
                "parent_id": parent,
                "author": self.member,
                "body": body,
                "created": self._now(),
                "hidden": False,
            }
            key = int(tx.conn.execute(insert(ct.comments).values(values)).inserted_primary_key[0])  # type: ignore[index]
            after = {**values, "id": key, "practice_author": practice.author}
            self._audit(tx, "comment.add", key, after=after)
            return {**values, "id": key}

        row = self._write(work)
        return _comment(row, hosts=self._read(image_hosts))  # rendered outside the write lock

    def edit_comment(self, comment_id: int, text: str) -> Comment:
        """Change one's own comment (the audit keeps what it said before)."""
        body = written_text(text)

        def work(tx: Tx) -> dict[str, Any]:
            before = comment_row(tx, comment_id)
            self._require_on("edit_comment", before["author"], tx)
            changes = {"body": body, "edited": self._now()}
            tx.conn.execute(
                update(ct.comments).where(ct.comments.c.id == comment_id).values(changes)
            )
            self._audit(tx, "comment.edit", comment_id, before=_json(before), after=changes)
            return {**before, **changes}

        return _comment(self._write(work), hosts=self._read(image_hosts))

    def comments(self, practice_id: str, *, include_hidden: bool = False) -> list[Comment]:
        """The practice's discussion as threads (top-level comments, replies inside).

        Hidden comments show as a placeholder; facilitators may ask to see their text.
        """

        def work(tx: Tx) -> list[Comment]:
            self._role_in(tx)
            self._head(tx, practice_id)
            if include_hidden:
                self._require("hide_comment", tx)
            query = (
                select(ct.comments)
                .where(ct.comments.c.practice_id == practice_id)
                .order_by(ct.comments.c.id)
            )
            rows = [dict(r._mapping) for r in tx.conn.execute(query)]
            ids = [row["id"] for row in rows]
            flags = _counts(tx, ct.comment_flags, ids)
            helpful = _counts(tx, ct.helpful_marks, ids)
            hosts = image_hosts(tx)
            made = {
                row["id"]: _comment(
                    row, flags.get(row["id"], 0), helpful.get(row["id"], 0), include_hidden, hosts
                )
                for row in rows
            }
            threads = []
            for comment in made.values():
                if comment.parent_id in made:
                    made[comment.parent_id].replies.append(comment)
                else:
                    threads.append(comment)
            return threads

        return self._read(work)

    def flag(self, comment_id: int, reason: str = "") -> None:
        """Ask a facilitator to look at a comment (once per member)."""

        def work(tx: Tx) -> None:
            self._require("flag", tx)
            row = comment_row(tx, comment_id)
            self._head(tx, row["practice_id"])
            values = {
                "comment_id": comment_id,
                "member": self.member,
                "reason": clean(reason).strip(),
            }
            values["at"] = self._now()
            self._insert_once(tx, ct.comment_flags, values, "flagged", comment_id)
            self._audit(tx, "comment.flag", comment_id, after={"reason": values["reason"]})

        self._write(work)

    def flagged(self) -> list[dict[str, Any]]:
        """Facilitators' moderation queue: visible comments with flags, most flagged first."""

        def work(tx: Tx) -> list[dict[str, Any]]:
            self._require("hide_comment", tx)
            f, c = ct.comment_flags, ct.comments
            query = (
                select(c.c.id, c.c.practice_id, c.c.author, c.c.body, func.count().label("flags"))
                .join(f, f.c.comment_id == c.c.id)
                .where(c.c.hidden.is_(False))
                .group_by(c.c.id, c.c.practice_id, c.c.author, c.c.body)
                .order_by(func.count().desc(), c.c.id)
            )
            out = [dict(row._mapping) for row in tx.conn.execute(query)]
            for item in out:
                reasons = select(f.c.reason).where(f.c.comment_id == item["id"], f.c.reason != "")
                item["reasons"] = list(tx.conn.execute(reasons).scalars())
            return out

        return self._read(work)

    def hide_comment(self, comment_id: int, reason: str) -> None:
        """Hide a comment from readers (facilitators); it is kept for the audit."""
        self._set_hidden(comment_id, True, reason)

    def unhide_comment(self, comment_id: int, reason: str = "") -> None:
        """Show a hidden comment again (facilitators)."""
        self._set_hidden(comment_id, False, reason)

    def _set_hidden(self, comment_id: int, hidden: bool, reason: str) -> None:
        reason = clean(reason)
        if hidden and not reason.strip():
            raise InvalidInput("Say why the comment is hidden (its author will be told).")

        def work(tx: Tx) -> None:
            self._require("hide_comment", tx)
            before = comment_row(tx, comment_id)
            if before["hidden"] == hidden:
                state = "hidden" if hidden else "shown"
                raise Conflict(f"Comment {comment_id} is already {state}.")
            changes = {
                "hidden": hidden,
                "hidden_by": self.member if hidden else None,
                "hidden_reason": reason.strip() if hidden else None,
            }
            tx.conn.execute(
                update(ct.comments).where(ct.comments.c.id == comment_id).values(changes)
            )
            action = "comment.hide" if hidden else "comment.unhide"
            after = {**changes, "author": before["author"], "reason": reason.strip()}
            self._audit(tx, action, comment_id, before=_json(before), after=after)

        self._write(work)

    def mark_helpful(self, comment_id: int) -> None:
        """Say another member's comment helped (once per member; earns its author points)."""

        def work(tx: Tx) -> None:
            row = comment_row(tx, comment_id)
            self._require_on("mark_helpful", row["author"], tx)
            self._head(tx, row["practice_id"])
            if row["hidden"]:
                raise Conflict(f"Comment {comment_id} is hidden.")
            values = {"comment_id": comment_id, "member": self.member, "at": self._now()}
            self._insert_once(tx, ct.helpful_marks, values, "marked helpful", comment_id)
            self._audit(tx, "comment.helpful", comment_id, after={"author": row["author"]})

        self._write(work)

    def unmark_helpful(self, comment_id: int) -> None:
        """Take back one's helpful mark."""

        def work(tx: Tx) -> None:
            self._role_in(tx)
            row = comment_row(tx, comment_id)
            h = ct.helpful_marks
            mine = (h.c.comment_id == comment_id) & (h.c.member == self.member)
            if tx.conn.execute(h.delete().where(mine)).rowcount == 0:
                raise Conflict(f"{self.member} has not marked comment {comment_id} helpful.")
            self._audit(tx, "comment.unhelpful", comment_id, after={"author": row["author"]})

        self._write(work)

    def _insert_once(
        self, tx: Tx, table: Any, values: dict[str, Any], done: str, comment_id: int
    ) -> None:
        exists = select(table.c.member).where(
            table.c.comment_id == comment_id, table.c.member == self.member
        )
        if tx.conn.execute(exists).first() is not None:
            raise Conflict(f"{self.member} has already {done} comment {comment_id}.")
        try:
            tx.conn.execute(insert(table).values(values))
        except IntegrityError:  # the same member, at the same moment, in another session
            raise Conflict(f"{self.member} has already {done} comment {comment_id}.") from None


def _counts(tx: Tx, table: Any, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = (
        select(table.c.comment_id, func.count())
        .where(table.c.comment_id.in_(ids))
        .group_by(table.c.comment_id)
    )
    return {int(key): int(count) for key, count in tx.conn.execute(query)}


def image_hosts(tx: Tx) -> list[str]:
    """The hosts user text may show images from (the ``image_hosts`` setting)."""
    return list(setting(tx, "image_hosts"))


def _comment(
    row: dict[str, Any],
    flags: int = 0,
    helpful: int = 0,
    show_hidden: bool = False,
    hosts: list[str] | None = None,
) -> Comment:
    from govlab.render import render_markdown

    hidden = bool(row.get("hidden"))
    body = row["body"] if show_hidden or not hidden else ""
    return Comment(
        id=row["id"],
        practice_id=row["practice_id"],
        parent_id=row.get("parent_id"),
        author=row["author"],
        body=body,
        html=render_markdown(
            body if body else HIDDEN_TEXT if hidden else "", image_hosts=hosts or ()
        ),
        created=aware(row["created"]),
        edited=aware(row["edited"]) if row.get("edited") else None,
        hidden=hidden,
        hidden_reason=row.get("hidden_reason") if show_hidden else None,
        flags=flags,
        helpful=helpful,
    )


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in row.items()
    }
