"""The review desk: the queue, a submission with its changes, the rubric and a decision.

Who may review, what a decision does and when a practice can be published are the
session's rules (``library.review``, ``publish``, ``reject``); the desk shows their
answers, refusals included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.render import render_text
from govlab.widgets import views
from govlab.widgets._base import Component, box, html
from govlab.widgets.cards import CardList, Notice

if TYPE_CHECKING:
    from govlab.community.session import Library
    from govlab.models import Practice

SCORES = [("Choose a score", 0)] + [(f"{n} of 5", n) for n in range(1, 6)]
RUBRIC = (
    ("evidence", "Evidence", "How well do the figures support the claims?"),
    ("transferability", "Transferability", "Could another place do the same?"),
    ("clarity", "Clarity", "Could a colleague follow what was done?"),
    ("impact", "Impact", "How much did it change for residents or staff?"),
)
DECISION_WORDS = {
    "approve": "approved",
    "request_changes": "asked for changes",
    "reject": "recommended rejection",
}


class ReviewDesk(Component):
    """For reviewers: the queue, the submission and its diff, the rubric, the decision."""

    def __init__(self, library: Library | None = None) -> None:
        super().__init__(library)
        self.practice: Practice | None = None
        self.queue = CardList(
            label="Waiting for review",
            heading="Waiting for review",
            empty="Nothing is waiting for review.",
        )
        self.queue.observe(self._on_pick, "selected")
        self.submission = html("", "govlab-detail__body")
        self.changes = html("", "govlab-diff-view")
        self.reviews = html("", "govlab-reviews")
        self.scores = {
            name: w.Dropdown(description=label, options=SCORES, value=0)
            for name, label, _ in RUBRIC
        }
        levels = [("Choose a level", 0)] + [(t, n) for n, t in views.EVIDENCE_LEVELS.items()]
        self.level = w.Dropdown(description="Evidence level", options=levels, value=0)
        self.comment = w.Textarea(
            description="Comment for the author",
            placeholder="What is strong, and what should change (needed unless you approve).",
        )
        self.approve = w.Button(description="Approve", button_style="success")
        self.ask = w.Button(description="Request changes", button_style="warning")
        self.recommend_reject = w.Button(description="Recommend rejection")
        self.publish = w.Button(description="Publish", button_style="primary")
        self.reject = w.Button(description="Reject", button_style="danger")
        self.approve.on_click(lambda _: self.decide("approve"))
        self.ask.on_click(lambda _: self.decide("request_changes"))
        self.recommend_reject.on_click(lambda _: self.decide("reject"))
        self.publish.on_click(lambda _: self.publish_it())
        self.reject.on_click(lambda _: self.reject_it())
        self.desk_notice = Notice()
        self.panel = self._panel()
        self.panel.layout.display = "none"
        self.placeholder = html(
            '<p class="govlab-placeholder">Choose a submission to read and review it.</p>'
        )
        intro = html(
            '<h1 class="govlab-title">Review desk</h1><p class="govlab-lead">Read a '
            "submission, score it on the rubric, give it an evidence level and decide. A "
            "practice is published once enough reviewers approve it.</p>"
        )
        self.children = [
            intro,
            self.notice,
            box([self.queue, self.placeholder, self.panel], "govlab-review", kind=w.HBox),
        ]
        self.refresh()

    def _panel(self) -> w.Box:
        hints = "".join(f"<li><strong>{label}</strong>: {hint}</li>" for _, label, hint in RUBRIC)
        rubric = box(
            [
                html(f'<h3>Your review</h3><ul class="govlab-help">{hints}</ul>'),
                *self.scores.values(),
                self.level,
                self.comment,
                box([self.approve, self.ask, self.recommend_reject], "govlab-actions", kind=w.HBox),
                html(
                    '<h3>Decide</h3><p class="govlab-help">Publishing needs enough approving '
                    "reviews in this round; rejecting is for facilitators.</p>"
                ),
                box([self.publish, self.reject], "govlab-actions", kind=w.HBox),
                self.desk_notice,
            ],
            "govlab-panel",
            "govlab-form",
        )
        read = box(
            [
                self.submission,
                html("<h3>What changed</h3>"),
                self.changes,
                html("<h3>Reviews in this round</h3>"),
                self.reviews,
            ],
            "govlab-detail__main",
        )
        return box([read, rubric], "govlab-review__panel")

    # the queue -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the queue again (a refusal, for someone who is not a reviewer, shows here)."""
        items = self._act(self.library.review_queue)
        if items is None:
            self.queue.cards, self.queue.total = [], 0
            self.queue.empty = "The review desk is for reviewers."
            return
        with self.queue.hold_sync():
            self.queue.cards = [_queue_card(item) for item in items]
            self.queue.total = len(items)
            self.queue.summary = f"{len(items)} submission{'' if len(items) == 1 else 's'} waiting"

    def _on_pick(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.show(change["new"])

    def show(self, practice_id: str) -> None:
        """Open a submission: its text, what changed, this round's reviews, the rubric."""
        practice = self._act(self.library.get, practice_id)
        if practice is None:
            return
        self.practice = practice
        self.submission.value = views.practice_html(practice)
        revisions = self._act(self.library.history, practice_id) or []
        self.changes.value = _changes(revisions)
        self._show_reviews()
        for dropdown in (*self.scores.values(), self.level):
            dropdown.value = 0
        self.comment.value = ""
        self.desk_notice.clear()
        self.panel.layout.display = None  # its own (grid) display
        self.placeholder.layout.display = "none"

    def _show_reviews(self) -> None:
        assert self.practice is not None
        reviews = self._act(self.library.reviews, self.practice.id) or []
        rounds = [r.round for r in reviews]
        latest = [r for r in reviews if r.round == max(rounds)] if rounds else []
        if not latest:
            self.reviews.value = '<p class="govlab-muted">No review yet in this round.</p>'
            return
        rows = [
            (
                r.reviewer,
                DECISION_WORDS.get(str(r.decision.value), str(r.decision.value)),
                f"{r.evidence}/{r.transferability}/{r.clarity}/{r.impact}",
                r.evidence_level,
                r.comment,
            )
            for r in latest
        ]
        head = (
            "Reviewer",
            "Decision",
            "Scores (evidence/transfer/clarity/impact)",
            "Level",
            "Comment",
        )
        self.reviews.value = views.table(head, rows)

    # decisions ---------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        """Send this reviewer's review with ``decision``."""
        if self.practice is None:
            return
        self.desk_notice.clear()
        scores = {name: dropdown.value for name, dropdown in self.scores.items()}
        missing = [label for name, label, _ in RUBRIC if not scores[name]]
        if not self.level.value:
            missing.append("Evidence level")
        if missing:  # the form's own completeness, before the session checks the values
            self.desk_notice.show(f"Choose a value for: {', '.join(missing)}.", "error")
            return
        title = self.practice.title
        review = self._act(
            self.library.review,
            self.practice.id,
            **scores,
            evidence_level=self.level.value,
            decision=decision,
            comment=self.comment.value,
            notice=self.desk_notice,
        )
        if review is None:
            return
        self.desk_notice.show(
            f"Your review of \u201c{title}\u201d is recorded: you {DECISION_WORDS[decision]}.", "ok"
        )
        self._after_decision()

    def publish_it(self) -> None:
        """Publish the submission (the session checks the approvals)."""
        if self.practice is None:
            return
        title = self.practice.title
        published = self._act(self.library.publish, self.practice.id, notice=self.desk_notice)
        if published is not None:
            level = published.evidence_level
            self.desk_notice.show(
                f"Published \u201c{title}\u201d with evidence level {level}.", "ok"
            )
            self._after_decision()

    def reject_it(self) -> None:
        """Reject the submission, with the comment as the reason (facilitators)."""
        if self.practice is None:
            return
        why = self.comment.value.strip()
        rejected = self._act(self.library.reject, self.practice.id, why, notice=self.desk_notice)
        if rejected is not None:
            self.desk_notice.show(f"Rejected \u201c{rejected.title}\u201d.", "ok")
            self._after_decision()

    def _after_decision(self) -> None:
        assert self.practice is not None
        practice_id = self.practice.id
        self.refresh()
        self._show_reviews()
        if not any(card["id"] == practice_id for card in self.queue.cards):
            self.queue.selected = ""  # decided: picking it again would find nothing to do


def _queue_card(item: Any) -> dict[str, Any]:
    chips = [f"{item.approvals} of {item.needed} approvals"]
    if item.reviewed_by_me:
        chips.append("You reviewed it")
    status = "in review" if str(item.status.value) == "in_review" else "submitted"
    return {
        "id": item.id,
        "title": item.title,
        "meta": [f"by {item.author}", f"round {item.round}", f"{status} {views.day(item.updated)}"],
        "summary_html": "",
        "stars": None,
        "chips": chips,
    }


def _changes(revisions: list[Any]) -> str:
    """The current version against the one reviewers sent back (or the one before it)."""
    if not revisions:
        return ""
    current = revisions[-1]
    earlier = revisions[:-1]
    # the version as reviewers sent it back: the first of the last run of sent-back revisions
    sent_back = [
        r
        for before, r in zip([None, *earlier], earlier, strict=False)
        if r.practice.status.value == "changes_requested"
        and (before is None or before.practice.status.value != "changes_requested")
    ]
    base = sent_back[-1] if sent_back else (earlier[-1] if earlier else None)
    if base is None:
        return views.diff_html(None, current.practice)
    label = render_text(f"Revision {base.revision} compared with revision {current.revision}")
    return f'<p class="govlab-muted">{label}</p>' + views.diff_html(base.practice, current.practice)
