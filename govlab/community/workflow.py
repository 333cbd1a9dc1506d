"""The review workflow: which status may follow which, and the practice methods of the session.

::

    draft -> submitted -> in_review -> changes_requested -> submitted ... -> published
                                    +-> rejected                        published -> archived

Each transition is a row in ``transitions`` (who, when, why, override), a revision of
the practice (its message is the why) and an audit row ``practice.<verb>``.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, select

from govlab.community import policy
from govlab.community import tables as ct
from govlab.community.records import validated
from govlab.community.settings import SettingsMixin, setting
from govlab.errors import Conflict, InvalidInput
from govlab.library.records import Revision, aware
from govlab.library.store import Tx
from govlab.models import CASE_STUDIES, Practice, Status
from govlab.text import clean

S = Status
# (from, to) -> the verb (and policy action) that makes the move
TRANSITIONS: dict[tuple[Status, Status], str] = {
    (S.draft, S.submitted): "submit",
    (S.changes_requested, S.submitted): "submit",
    (S.submitted, S.in_review): "start_review",
    (S.submitted, S.changes_requested): "request_changes",
    (S.in_review, S.changes_requested): "request_changes",
    (S.submitted, S.published): "publish",
    (S.in_review, S.published): "publish",
    (S.submitted, S.rejected): "reject",
    (S.in_review, S.rejected): "reject",
    (S.changes_requested, S.rejected): "reject",
    (S.published, S.archived): "archive",
    (S.rejected, S.archived): "archive",
}
EDITABLE = (S.draft, S.changes_requested)
IN_REVIEW_QUEUE = (S.submitted, S.in_review)
"""Statuses of the practices in the reviewers' queue: the ones a review can be added to."""
DONE = {
    S.submitted: "submitted for review",
    S.in_review: "taken into review",
    S.changes_requested: "sent back for changes",
    S.published: "published",
    S.rejected: "rejected",
    S.archived: "archived",
}
PROGRESS_EVERY = 50  # practices between two calls of an import's progress callback
PROTECTED = ("id", "status", "author", "evidence_level", "revision", "created", "updated")


def check_transition(practice: Practice, target: Status) -> str:
    """The verb for moving ``practice`` to ``target``, or Conflict saying what is possible."""
    verb = TRANSITIONS.get((practice.status, target))
    if verb is not None:
        return verb
    nexts = [DONE[to] for (frm, to) in TRANSITIONS if frm == practice.status]
    hint = f" From {practice.status.value} it can be {' or '.join(nexts)}." if nexts else ""
    raise Conflict(
        f"Practice {practice.id!r} is {practice.status.value.replace('_', ' ')}, "
        f"so it cannot be {DONE[target]}.{hint}"
    )


def current_round(tx: Tx, practice_id: str) -> int:
    """How many times the practice has been submitted: reviews belong to a round."""
    query = select(func.count()).where(
        ct.transitions.c.practice_id == practice_id, ct.transitions.c.to_status == S.submitted
    )
    return int(tx.conn.execute(query).scalar_one())


def current_rounds(tx: Tx, practice_ids: Any) -> dict[str, int]:
    """The current round of each practice in ``practice_ids`` (a list or a subquery)."""
    t = ct.transitions
    query = (
        select(t.c.practice_id, func.count())
        .where(t.c.practice_id.in_(practice_ids), t.c.to_status == S.submitted)
        .group_by(t.c.practice_id)
    )
    return {pid: int(n) for pid, n in tx.conn.execute(query)}


def round_reviews(tx: Tx, practice_id: str, round_: int) -> list[dict[str, Any]]:
    """The reviews of one round of a practice, oldest first."""
    query = select(ct.reviews).where(
        ct.reviews.c.practice_id == practice_id, ct.reviews.c.round == round_
    )
    return [dict(row._mapping) for row in tx.conn.execute(query.order_by(ct.reviews.c.id))]


def approvals_needed(tx: Tx) -> int:
    """How many approving reviews publishing needs (the setting, or its default)."""
    return int(setting(tx, "approvals_needed"))


def evidence_level(levels: Iterable[int]) -> int | None:
    """The reviewers' median evidence level; with an even count, the lower middle value.

    Rounding down (``statistics.median_low``) keeps a claim of evidence from growing
    in the arithmetic: reviewers saying 3 and 4 give 3, not 3.5 rounded up to 4.
    """
    values = sorted(levels)
    return statistics.median_low(values) if values else None


class WorkflowMixin(SettingsMixin):
    """Create, edit, read and move practices through the workflow."""

    def create(self, practice: Practice | Mapping[str, Any], *, why: str = "") -> Practice:
        """Create a draft written by this member (status and evidence level are not taken)."""
        draft = _as_practice(practice, "practice")
        if draft.status != S.draft:
            raise InvalidInput(
                f"A new practice starts as a draft, not {draft.status.value}: "
                "submit it for review when it is ready."
            )
        # who wrote it and when are the session's to say: a draft cannot be backdated
        draft = draft.model_copy(update=_fresh(self.member))

        def work(tx: Tx) -> Practice:
            self._require("create_draft", tx)
            if tx.exists(draft.id):
                raise Conflict(f"A practice with id {draft.id!r} already exists.")
            saved = tx.save(draft, by=self.member, why=why or "created", audit=False)
            self._audit(tx, "practice.create", saved.id, after=saved)
            return saved

        return self._write(work)

    def edit(
        self,
        practice_id: str,
        changes: Mapping[str, Any] | None = None,
        *,
        why: str = "",
        **fields: Any,
    ) -> Practice:
        """Change fields of a draft (or of a practice sent back for changes); keeps a revision."""
        updates = {**(changes or {}), **fields}
        locked = [name for name in PROTECTED if name in updates]
        if locked:
            raise InvalidInput(
                f"{', '.join(locked)} cannot be edited: the status moves through submit, review "
                "and publish, and the evidence level comes from the reviews."
            )

        def work(tx: Tx) -> Practice:
            before = tx.practice(practice_id, for_update=True)
            self._require_on("edit_draft", before.author, tx)
            if before.status not in EDITABLE:
                raise Conflict(
                    f"Practice {practice_id!r} is {before.status.value.replace('_', ' ')}; only "
                    "drafts and practices sent back for changes can be edited."
                )
            data = {**before.model_dump(), **updates}
            after = validated(Practice, data, what=f"practice {practice_id!r}")
            check_case_study(after, f"practice {practice_id!r}")
            saved = tx.save(after, by=self.member, why=why or "edited", audit=False)
            self._audit(tx, "practice.edit", practice_id, before=before, after=saved)
            return saved

        return self._write(work)

    def get(self, practice_id: str) -> Practice:
        """One practice, if this member may read it (drafts are their author's)."""
        return self._read(lambda tx: self._readable(tx, practice_id))

    def history(self, practice_id: str) -> list[Revision]:
        """Every saved state of a practice this member may read: who, when, why."""

        def work(tx: Tx) -> list[Revision]:
            self._head(tx, practice_id)
            return tx.history(practice_id)

        return self._read(work)

    def workflow(self, practice_id: str) -> list[dict[str, Any]]:
        """The practice's status changes, oldest first: from, to, who, when, why, override."""

        def work(tx: Tx) -> list[dict[str, Any]]:
            self._role_in(tx)
            self._head(tx, practice_id)
            t = ct.transitions
            query = select(t).where(t.c.practice_id == practice_id).order_by(t.c.seq)
            rows = [dict(row._mapping) for row in tx.conn.execute(query)]
            return [row | {"at": aware(row["at"])} for row in rows]

        return self._read(work)

    # transitions ------------------------------------------------------------------------
    def submit(self, practice_id: str, why: str = "") -> Practice:
        """Submit one's own draft (or revised practice) for review."""
        return self._transition(practice_id, S.submitted, why, owner_verb="submit")

    def start_review(self, practice_id: str, why: str = "") -> Practice:
        """Take a submission into review (a first review does this too); never one's own."""
        return self._transition(practice_id, S.in_review, why, owner_verb="start_review")

    def request_changes(self, practice_id: str, why: str) -> Practice:
        """Send a submission back to its author, saying what needs to change."""
        return self._transition(
            practice_id, S.changes_requested, _said(why), owner_verb="request_changes"
        )

    def reject(self, practice_id: str, why: str) -> Practice:
        """Reject a submission, saying why (never one's own)."""
        return self._transition(practice_id, S.rejected, _said(why), owner_verb="reject")

    def archive(self, practice_id: str, why: str) -> Practice:
        """Retire a published (or rejected) practice at the end of its life."""
        return self._transition(practice_id, S.archived, _said(why), action="archive")

    def publish(self, practice_id: str, why: str = "", *, override: bool = False) -> Practice:
        """Publish once enough reviewers approve, or by a facilitator's recorded override.

        No one publishes their own practice, with or without an override: someone else
        (a second facilitator, when the author is one) must. The evidence level becomes
        the median of this round's reviewers' levels.
        """

        def work(tx: Tx) -> Practice:
            practice = tx.practice(practice_id, for_update=True)
            self._require_on("publish", practice.author, tx)
            check_transition(practice, S.published)
            reviews = round_reviews(tx, practice_id, current_round(tx, practice_id))
            approvals = sum(1 for r in reviews if r["decision"] == "approve")
            needed = approvals_needed(tx)
            forced = approvals < needed
            if forced and not override:
                raise Conflict(
                    f"Practice {practice_id!r} has {approvals} approving review(s); publishing "
                    f"needs {needed}. A facilitator other than its author can publish it with "
                    "override=True, which is recorded."
                )
            if forced:
                self._require("publish_override", tx)
            level = evidence_level(r["evidence_level"] for r in reviews)
            extra = {"evidence_level": level} if level is not None else {}
            return self._move(tx, practice, S.published, why, override=forced, extra=extra)

        return self._write(work)

    def _transition(
        self,
        practice_id: str,
        target: Status,
        why: str,
        action: str = "",
        *,
        owner_verb: str = "",
    ) -> Practice:
        def work(tx: Tx) -> Practice:
            practice = tx.practice(practice_id, for_update=True)
            if owner_verb:
                self._require_on(owner_verb, practice.author, tx)
            else:
                self._require(action, tx)
            check_transition(practice, target)
            return self._move(tx, practice, target, why)

        return self._write(work)

    def _move(
        self,
        tx: Tx,
        practice: Practice,
        target: Status,
        why: str,
        *,
        override: bool = False,
        extra: Mapping[str, Any] | None = None,
    ) -> Practice:
        """Record one transition: the practice saved with a revision, a row, an audit entry."""
        verb = check_transition(practice, target)
        why = clean(why).strip()
        moved = practice.model_copy(update={"status": target, **(extra or {})})
        message = why or DONE[target]
        saved = tx.save(moved, by=self.member, why=message, audit=False)
        tx.conn.execute(
            insert(ct.transitions).values(
                practice_id=practice.id,
                from_status=practice.status.value,
                to_status=target.value,
                actor=self.member,
                at=self._now(),
                why=why,
                override=override,
            )
        )
        action = f"practice.{verb}" + ("_override" if override else "")
        self._audit(tx, action, practice.id, before=practice, after=saved)
        return saved

    # import -----------------------------------------------------------------------------
    def import_practices(
        self,
        practices: Iterable[Practice | Mapping[str, Any]],
        why: str,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Add many practices in one transaction: all of them, or (on any problem) none.

        Facilitators and admins import practices as they are (status and author kept,
        for moving a catalogue in); anyone else imports them as their own drafts.
        An id already in the library, or twice in the batch, refuses the whole import.
        ``progress(done, total)``, if given, is called as practices are saved (a bar in
        the CLI or a notebook; nothing is visible to others until the last one is).
        """
        items = [_as_practice(p, f"practice {n}") for n, p in enumerate(practices, start=1)]
        seen: dict[str, int] = {}
        for number, item in enumerate(items, start=1):
            if item.id in seen:
                raise InvalidInput(
                    f"practice {number}: id {item.id!r} is also practice {seen[item.id]}."
                )
            seen[item.id] = number

        def work(tx: Tx) -> int:
            role = self._require("import_own_drafts", tx)
            as_is = policy.allowed(role, "import_practices")
            taken = [p.id for p in tx.practices(list(seen))]
            if taken:
                raise Conflict(f"Already in the library: {', '.join(taken)}. Nothing imported.")
            for done, item in enumerate(items, start=1):
                kept = item if as_is else _own_draft(item, self.member)
                tx.save(kept, by=self.member, why=why, audit=False)
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(items)):
                    progress(done, len(items))
            self._audit(tx, "practice.import", "", after={"ids": list(seen), "why": why})
            return len(items)

        return self._write(work)


def _as_practice(value: Practice | Mapping[str, Any], what: str) -> Practice:
    practice = value if isinstance(value, Practice) else validated(Practice, dict(value), what=what)
    check_case_study(practice, what)
    return practice


def check_case_study(practice: Practice, what: str = "practice") -> None:
    """InvalidInput unless the practice's ``case_study`` names a runnable case study."""
    if practice.case_study is not None and practice.case_study not in CASE_STUDIES:
        raise InvalidInput(
            f"{what}: case_study {practice.case_study!r} is not a case study govlab can run; "
            f"use one of {', '.join(CASE_STUDIES)}, or leave it empty."
        )


def _fresh(member: str) -> dict[str, Any]:
    """The fields a new draft of ``member``'s takes from the session, not from the input."""
    return {"author": member, "evidence_level": None, "created": None, "updated": None}


def _own_draft(practice: Practice, member: str) -> Practice:
    return practice.model_copy(update={"status": S.draft, **_fresh(member)})


def _said(why: str) -> str:
    why = clean(why if isinstance(why, str) else "").strip()
    if not why:
        raise InvalidInput("Say why (a sentence the author will read).")
    return why
