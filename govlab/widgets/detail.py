"""One practice in full, with what a member does with it: rate, discuss, adopt, re-run.

The widgets are made once; opening another practice updates their values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.errors import GovlabError
from govlab.render import render_text
from govlab.widgets import views
from govlab.widgets._base import Component, box, html
from govlab.widgets.cards import Notice, StarRating

if TYPE_CHECKING:
    from govlab.community.session import Library
    from govlab.models import Practice

NEW_THREAD = 0


class PracticeDetail(Component):
    """A practice's text, outcomes, sources, history with diffs, discussion and actions.

    Parameters
    ----------
    library
        The member's session (default: opened for this kernel's member).
    explorer_url
        Where "re-run this case study" points; ``{case}`` is replaced by the case's name.
    """

    def __init__(
        self,
        library: Library | None = None,
        *,
        explorer_url: str = "case_study_explorer.ipynb?case={case}",
    ) -> None:
        super().__init__(library)
        self.explorer_url = explorer_url
        self.practice: Practice | None = None
        self._revisions: list[Any] = []
        self._loading = False
        self.back = w.Button(description="\u2190 Back to the results")
        self.back.add_class("govlab-back")
        self.body = html("", "govlab-detail__body")
        self.rerun = html("", "govlab-rerun")
        self.stars = StarRating(label="Your rating")
        self.rating_note = html("", "govlab-muted")
        self.rating_notice = Notice()
        self.stars.observe(self._on_rate, "value")
        self.adoptions = html("", "govlab-adoptions")
        self.jurisdiction = w.Text(description="Where", placeholder="Your city, region or agency")
        self.country = w.Text(description="Country code", placeholder="e.g. GB")
        self.adopt_button = w.Button(description="Adopt this practice", button_style="primary")
        self.adopt_button.on_click(lambda _: self._adopt())
        self.adopt_notice = Notice()
        self.history = html("", "govlab-history-list")
        self.revision = w.Dropdown(description="Compare", options=[("", 0)])
        self.revision.observe(lambda _: self._show_diff(), "value")
        self.diff = html("", "govlab-diff-view")
        self.thread = html("", "govlab-thread")
        self.reply_to = w.Dropdown(description="Reply to", options=[("A new comment", NEW_THREAD)])
        self.comment_box = w.Textarea(
            description="Your comment", placeholder="Markdown works: **bold**, lists, links."
        )
        self.post = w.Button(description="Post comment", button_style="primary")
        self.post.on_click(lambda _: self._comment())
        self.comment_notice = Notice()
        self.children = [self.notice, self.back, self._layout()]

    def _layout(self) -> w.Box:
        rate = box(
            [html("<h3>Rate it</h3>"), self.stars, self.rating_note, self.rating_notice],
            "govlab-panel",
        )
        adopt = box(
            [
                html("<h3>Adopt it</h3>"),
                self.adoptions,
                self.jurisdiction,
                self.country,
                self.adopt_button,
                self.adopt_notice,
            ],
            "govlab-panel",
            "govlab-form",
        )
        side = box([rate, self.rerun, adopt], "govlab-detail__side")
        history = box(
            [html("<h3>Revision history</h3>"), self.history, self.revision, self.diff],
            "govlab-section",
        )
        discussion = box(
            [
                html("<h3>Discussion</h3>"),
                self.thread,
                self.reply_to,
                self.comment_box,
                self.post,
                self.comment_notice,
            ],
            "govlab-section",
            "govlab-form",
        )
        main = box([self.body, history, discussion], "govlab-detail__main")
        return box([main, side], "govlab-detail", kind=w.HBox)

    def refresh(self) -> None:
        """Read the open practice again, if one is open."""
        if self.practice is not None:
            self.show(self.practice.id)

    # opening a practice ---------------------------------------------------------------
    def show(self, practice_id: str) -> bool:
        """Open ``practice_id``; False (with the reason in the page) when it cannot be read."""
        practice = self._act(self.library.get, practice_id)
        if practice is None:
            self.practice = None
            self.body.value = ""
            return False
        self.practice = practice
        self.body.value = views.practice_html(practice)
        for notice in (self.rating_notice, self.adopt_notice, self.comment_notice):
            notice.clear()
        self._show_rerun(practice)
        self._load_ratings()
        self._load_adoptions()
        self._load_history()
        self._load_comments()
        return True

    def _show_rerun(self, practice: Practice) -> None:
        if not practice.case_study:
            self.rerun.value = ""
            return
        case = render_text(practice.case_study)
        href = render_text(self.explorer_url.format(case=practice.case_study))
        self.rerun.value = (
            '<div class="govlab-panel"><h3>Re-run this case study</h3>'
            f"<p>Run the analysis behind this practice on its own data or on your city's.</p>"
            f'<p><a class="govlab-button-link" href="{href}">Re-run this case study</a></p>'
            f'<p class="govlab-muted">Or from a terminal: <code>govlab run {case}</code></p></div>'
        )

    def _load_ratings(self) -> None:
        assert self.practice is not None
        summary = self._act(self.library.ratings, self.practice.id, notice=self.rating_notice)
        self._loading = True
        try:
            if summary is None:
                self.stars.value, self.stars.count, self.stars.average = 0, 0, None
                return
            self.stars.value = summary.mine or 0
            self.stars.count = summary.count
            self.stars.average = summary.mean
        finally:
            self._loading = False
        ranked = f"Ranked as {summary.bayesian:.1f} of 5 until more members rate it."
        self.rating_note.value = ranked if 0 < summary.count < 5 else ""

    def _load_adoptions(self) -> None:
        assert self.practice is not None
        summary = self._act(
            self.library.adoption_summary, self.practice.id, notice=self.adopt_notice
        )
        if summary is None or not summary.adoptions:
            self.adoptions.value = '<p class="govlab-muted">Nobody has adopted it yet.</p>'
            return
        places = render_text(", ".join(summary.jurisdictions))
        count = summary.adoptions
        self.adoptions.value = f"<p>Adopted {count} time{'' if count == 1 else 's'}: {places}.</p>"

    def _load_history(self) -> None:
        assert self.practice is not None
        revisions = self._act(self.library.history, self.practice.id) or []
        self._revisions = list(revisions)
        self.history.value = views.history_html(self._revisions)
        options = [
            (f"Revision {r.revision} with the one before", r.revision)
            for r in reversed(self._revisions)
        ]
        self.revision.options = options or [("", 0)]  # the newest revision is chosen
        self._show_diff()

    def _show_diff(self) -> None:
        by_number = {r.revision: r for r in self._revisions}
        chosen = by_number.get(self.revision.value)
        if chosen is None:
            self.diff.value = ""
            return
        before = by_number.get(chosen.revision - 1)
        self.diff.value = views.diff_html(before.practice if before else None, chosen.practice)

    def _load_comments(self) -> None:
        assert self.practice is not None
        try:
            threads = self.library.comments(self.practice.id)
        except GovlabError as refusal:  # a visitor: the session's reason, in place of the thread
            threads = []
            self.thread.value = f'<p class="govlab-muted">{render_text(str(refusal))}</p>'
        else:
            self.thread.value = views.comments_html(threads)
        options = [("A new comment", NEW_THREAD)]
        for comment in _flatten(threads):
            if not comment.hidden:
                options.append((f"#{comment.id} by {comment.author}", comment.id))
        self.reply_to.options = options
        self.reply_to.value = NEW_THREAD

    # actions ---------------------------------------------------------------------------
    def _on_rate(self, change: dict[str, Any]) -> None:
        if self._loading or self.practice is None or not change["new"]:
            return
        stars = int(change["new"])
        done = f"Thank you: you rated it {stars} star{'' if stars == 1 else 's'}."
        summary = self._act(
            self.library.rate, self.practice.id, stars, done=done, notice=self.rating_notice
        )
        if summary is None:  # refused: show the rating as it is stored
            self._loading = True
            try:
                self.stars.value = change["old"]
            finally:
                self._loading = False
            return
        self.stars.count, self.stars.average = summary.count, summary.mean

    def _adopt(self) -> None:
        if self.practice is None:
            return
        where = self.jurisdiction.value.strip()
        done = f"Recorded: you are adopting it in {where}."
        adopted = self._act(
            self.library.adopt,
            self.practice.id,
            where,
            country=self.country.value.strip() or None,
            done=done,
            notice=self.adopt_notice,
        )
        if adopted is not None:
            self.jurisdiction.value = self.country.value = ""
            self._load_adoptions()
            self.adopt_notice.show(done, "ok")

    def _comment(self) -> None:
        if self.practice is None:
            return
        parent = self.reply_to.value or None
        posted = self._act(
            self.library.comment,
            self.practice.id,
            self.comment_box.value,
            parent=parent,
            done="Your comment is posted.",
            notice=self.comment_notice,
        )
        if posted is not None:
            self.comment_box.value = ""
            self._load_comments()
            self.comment_notice.show("Your comment is posted.", "ok")


def _flatten(threads: list[Any]) -> list[Any]:
    out = []
    for comment in threads:
        out.append(comment)
        out.extend(_flatten(comment.replies))
    return out
