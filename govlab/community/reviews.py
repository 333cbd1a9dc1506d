"""Peer review: rubric scores, an evidence level, a comment and a decision per reviewer.

A review belongs to a round (the n-th submission of the practice). A reviewer
reviews a round once. The first review takes a submission into review; a review
asking for changes sends the practice back to its author at once. Approving or
recommending rejection leaves the decision to :meth:`publish` / :meth:`reject`.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from govlab.community import tables as ct
from govlab.community.records import Decision, QueueItem, Review, validated
from govlab.community.workflow import (
    IN_REVIEW_QUEUE,
    WorkflowMixin,
    approvals_needed,
    current_round,
    current_rounds,
    round_reviews,
)
from govlab.errors import Conflict, InvalidInput
from govlab.library import tables as lt
from govlab.library.records import aware
from govlab.library.store import Tx
from govlab.models import Status


class ReviewsMixin(WorkflowMixin):
    """Peer review: reviews, the queue and the approvals a publication needs."""

    def review(
        self,
        practice_id: str,
        *,
        evidence: int,
        transferability: int,
        clarity: int,
        impact: int,
        evidence_level: int,
        decision: Decision | str,
        comment: str = "",
    ) -> Review:
        """Review a submission: rubric scores 1-5, an evidence level 1-5 and a decision.

        Evidence levels follow the Maryland Scientific Methods Scale: 1 anecdote or
        self-report, 2 before-and-after, 3 comparison with a control group, 4 comparison
        controlling for other differences, 5 randomised trial.
        """
        draft = validated(
            Review,
            {
                "practice_id": practice_id,
                "evidence": evidence,
                "transferability": transferability,
                "clarity": clarity,
                "impact": impact,
                "evidence_level": evidence_level,
                "decision": decision,
                "comment": comment,
            },
            what="review",
        )
        if draft.decision != Decision.approve and not draft.comment:
            raise InvalidInput("review: say in the comment what should change, or why not.")

        def work(tx: Tx) -> Review:
            practice = tx.practice(practice_id, for_update=True)
            self._require_on("review", practice.author, tx)
            if practice.status not in IN_REVIEW_QUEUE:
                raise Conflict(
                    f"Practice {practice_id!r} is {practice.status.value.replace('_', ' ')}; "
                    "only submissions waiting for review can be reviewed."
                )
            round_ = current_round(tx, practice_id)
            if any(r["reviewer"] == self.member for r in round_reviews(tx, practice_id, round_)):
                raise Conflict(
                    f"{self.member} has already reviewed this version of {practice_id!r}."
                )
            saved = self._insert_review(tx, draft, round_)
            self._audit(
                tx,
                "review.add",
                practice_id,
                after={**saved.model_dump(mode="json"), "author": practice.author},
            )
            if practice.status == Status.submitted:
                practice = self._move(tx, practice, Status.in_review, "review started")
            if saved.decision == Decision.request_changes:
                self._move(tx, practice, Status.changes_requested, saved.comment)
            return saved

        return self._write(work)

    def _insert_review(self, tx: Tx, draft: Review, round_: int) -> Review:
        values = draft.model_dump(exclude={"id", "round", "reviewer", "at"}, mode="json")
        values.update(round=round_, reviewer=self.member, at=self._now())
        result = tx.conn.execute(insert(ct.reviews).values(values))
        key = int(result.inserted_primary_key[0])  # type: ignore[index]
        return draft.model_copy(
            update={"id": key, "round": round_, "reviewer": self.member, "at": values["at"]}
        )

    def reviews(self, practice_id: str) -> list[Review]:
        """Every review of a practice this member may read, oldest first."""

        def work(tx: Tx) -> list[Review]:
            self._role_in(tx)
            self._head(tx, practice_id)
            query = (
                select(ct.reviews)
                .where(ct.reviews.c.practice_id == practice_id)
                .order_by(ct.reviews.c.id)
            )
            return [Review.model_validate(dict(r._mapping)) for r in tx.conn.execute(query)]

        return self._read(work)

    def review_queue(self) -> list[QueueItem]:
        """Submissions waiting for review (not this member's own), oldest first.

        Read in a fixed number of queries, however long the queue.
        """

        def work(tx: Tx) -> list[QueueItem]:
            self._require("review", tx)
            needed = approvals_needed(tx)
            p = lt.practices
            queued = [s.value for s in IN_REVIEW_QUEUE]
            in_queue = select(p.c.id).where(p.c.status.in_(queued))
            rows = tx.conn.execute(
                select(p.c.id, p.c.title, p.c.author, p.c.status, p.c.updated)
                .where(p.c.status.in_(queued), p.c.author != self.member)
                .order_by(p.c.updated, p.c.id)
            ).all()
            rounds = current_rounds(tx, in_queue)
            r = ct.reviews
            done: dict[str, list[tuple[str, str]]] = {}
            for pid, round_, reviewer, decision in tx.conn.execute(
                select(r.c.practice_id, r.c.round, r.c.reviewer, r.c.decision).where(
                    r.c.practice_id.in_(in_queue)
                )
            ):
                if round_ == rounds.get(pid, 0):
                    done.setdefault(pid, []).append((reviewer, decision))
            return [
                QueueItem(
                    id=row.id,
                    title=row.title,
                    author=row.author,
                    status=Status(row.status),
                    updated=aware(row.updated),
                    round=rounds.get(row.id, 0),
                    approvals=sum(1 for _, d in done.get(row.id, []) if d == "approve"),
                    needed=needed,
                    reviewed_by_me=any(who == self.member for who, _ in done.get(row.id, [])),
                )
                for row in rows
            ]

        return self._read(work)

    def set_approvals_needed(self, count: int) -> None:
        """How many approving reviews publishing needs (admins only; at least 1)."""
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise InvalidInput("approvals_needed must be a whole number, at least 1.")
        self.change_setting("approvals_needed", count)
