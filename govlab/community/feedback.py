"""Citizen feedback: entries about a service, with moderation.

Storage and moderation only; the text analysis lives in ``govlab.analysis``. Hidden
entries stay in the database (and the audit) but are left out of listings. Feedback
from an anonymous visitor (a public dashboard) is *pending*: no one but a facilitator
sees it until a facilitator approves it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from govlab.community import tables as ct
from govlab.community._base import SessionBase
from govlab.community.records import Feedback, validated
from govlab.errors import Conflict, InvalidInput, NotFound
from govlab.library.store import Tx
from govlab.text import clean


class FeedbackMixin(SessionBase):
    """Citizen feedback: recording, moderation, listing."""

    def add_feedback(
        self,
        service: str,
        channel: str,
        text: str,
        *,
        rating: int | None = None,
        district: str = "",
        day: date | str | None = None,
    ) -> Feedback:
        """Record one piece of citizen feedback (``day`` defaults to today).

        A visitor's feedback waits for a facilitator (:meth:`approve_feedback`).
        """
        entry = validated(
            Feedback,
            {
                "service": service,
                "channel": channel,
                "text": text,
                "rating": rating,
                "district": district,
                "day": day or self._now().date(),
            },
            what="feedback",
        )

        def work(tx: Tx) -> Feedback:
            self._require("add_feedback", tx)
            row = entry.model_dump(exclude={"id", "hidden_reason"}) | {
                "entered_by": self.member,
                "created": self._now(),
                "pending": self.is_visitor,
            }
            key = int(tx.conn.execute(insert(ct.feedback).values(row)).inserted_primary_key[0])  # type: ignore[index]
            saved = entry.model_copy(
                update={"id": key, "entered_by": self.member, "pending": self.is_visitor}
            )
            self._audit(tx, "feedback.add", key, after=saved.model_dump(mode="json"))
            return saved

        return self._write(work)

    def hide_feedback(self, feedback_id: int, reason: str) -> None:
        """Hide an entry (personal data, abuse); facilitators only. Kept for the audit."""
        if not reason.strip():
            raise InvalidInput("Say why the feedback is hidden.")
        self._moderate(feedback_id, True, clean(reason).strip())

    def unhide_feedback(self, feedback_id: int) -> None:
        """Show a hidden entry again (facilitators)."""
        self._moderate(feedback_id, False, None)

    def approve_feedback(self, feedback_id: int) -> Feedback:
        """Let a visitor's pending feedback be seen by everyone (facilitators)."""

        def work(tx: Tx) -> Feedback:
            self._require("approve_feedback", tx)
            row = _feedback_row(tx, feedback_id)
            if not row["pending"]:
                raise Conflict(f"Feedback {feedback_id} is not waiting for approval.")
            f = ct.feedback
            tx.conn.execute(update(f).where(f.c.id == feedback_id).values(pending=False))
            self._audit(tx, "feedback.approve", feedback_id, before={"pending": True})
            return _feedback(row | {"pending": False})

        return self._write(work)

    def pending_feedback(self) -> list[Feedback]:
        """Visitors' feedback waiting for approval, oldest first (facilitators)."""

        def work(tx: Tx) -> list[Feedback]:
            self._require("approve_feedback", tx)
            f = ct.feedback
            query = select(f).where(f.c.pending.is_(True), f.c.hidden.is_(False))
            rows = tx.conn.execute(query.order_by(f.c.id))
            return [_feedback(dict(r._mapping)) for r in rows]

        return self._read(work)

    def _moderate(self, feedback_id: int, hidden: bool, reason: str | None) -> None:
        def work(tx: Tx) -> None:
            self._require("hide_feedback", tx)
            row = _feedback_row(tx, feedback_id)
            if row["hidden"] == hidden:
                raise Conflict(
                    f"Feedback {feedback_id} is already {'hidden' if hidden else 'shown'}."
                )
            changes = {
                "hidden": hidden,
                "hidden_by": self.member if hidden else None,
                "hidden_reason": reason,
            }
            tx.conn.execute(
                update(ct.feedback).where(ct.feedback.c.id == feedback_id).values(changes)
            )
            action = "feedback.hide" if hidden else "feedback.unhide"
            self._audit(tx, action, feedback_id, before={"hidden": row["hidden"]}, after=changes)

        self._write(work)

    def feedback(
        self,
        service: str | None = None,
        *,
        since: date | None = None,
        include_hidden: bool = False,
    ) -> list[Feedback]:
        """Feedback entries (of one service, from a day), oldest first; hidden ones left out.

        ``include_hidden`` (facilitators) lists hidden and pending entries too, with the
        reason. Visitors see the entries everyone sees.
        """

        def work(tx: Tx) -> list[Feedback]:
            self._role_or_visitor(tx)
            if include_hidden:
                self._require("hide_feedback", tx)
            f = ct.feedback
            query = select(f).order_by(f.c.day, f.c.id)
            if service is not None:
                query = query.where(f.c.service == service)
            if since is not None:
                query = query.where(f.c.day >= since)
            if not include_hidden:
                query = query.where(f.c.hidden.is_(False), f.c.pending.is_(False))
            return [_feedback(dict(r._mapping)) for r in tx.conn.execute(query)]

        return self._read(work)


def _feedback_row(tx: Tx, feedback_id: int) -> dict[str, Any]:
    row = tx.conn.execute(select(ct.feedback).where(ct.feedback.c.id == feedback_id)).first()
    if row is None:
        raise NotFound(f"No feedback number {feedback_id}.")
    return dict(row._mapping)


def _feedback(row: dict[str, Any]) -> Feedback:
    row = dict(row)
    row.pop("created")
    row.pop("hidden_by")
    return Feedback.model_validate(row)
