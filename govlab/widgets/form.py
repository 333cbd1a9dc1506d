"""The contribution form: write a practice, save it as a draft, edit it, submit it for review.

Validation is the model's: the form hands what was typed to
:class:`govlab.models.Practice` and shows each error beside the field it names; the
session (``library.create``, ``edit``, ``submit``) decides the rest.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import ipywidgets as w
from pydantic import ValidationError

from govlab.models import CostKind, Direction, EvidenceType, Level, Practice, Stage
from govlab.render import render_text
from govlab.widgets._base import Component, box, html
from govlab.widgets.cards import CardList
from govlab.widgets.fields import Field, FieldRow, Repeated
from govlab.widgets.views import day

if TYPE_CHECKING:
    from govlab.community.session import Library

F = Field
MAIN_FIELDS = (
    F(
        "title",
        "Title",
        "What was done, and where: e.g. <em>Boston's 311 app for street repairs</em>.",
    ),
    F(
        "id",
        "Short name",
        "Lowercase words joined by hyphens, used in the practice's web "
        "address, e.g. <code>boston-311-app</code>. Left empty, it is made from the title.",
    ),
    F(
        "summary",
        "Summary",
        "Two or three sentences, at most 300 characters: the card in search results shows them.",
        "area",
    ),
    F("jurisdiction", "Place", "The city, region or country where it happened."),
    F("country", "Country code", "Two letters (ISO 3166), e.g. GB, US, EE."),
    F(
        "level",
        "Level of government",
        "Who ran it.",
        "choice",
        [(level.value.capitalize(), level.value) for level in Level],
    ),
    F("organisation", "Organisation", "The agency, department or council."),
    F("sector", "Sector", "e.g. Transport, Digital government, Health."),
    F("topics", "Topics", "Comma-separated, e.g. open data, 311, service design.", "list"),
    F(
        "technologies",
        "Technologies",
        "Comma-separated, e.g. mobile app, machine learning.",
        "list",
    ),
    F(
        "stage",
        "Stage",
        "How far it has come.",
        "choice",
        [(stage.value.capitalize(), stage.value) for stage in Stage],
    ),
    F("year_started", "Year started", "e.g. 2019.", "number"),
    F("year_ended", "Year ended", "Leave empty if it is still running.", "number"),
    F(
        "problem",
        "The problem",
        "What was wrong, for whom, and how big it was. Markdown works.",
        "area",
    ),
    F("approach", "What they did", "The approach, step by step. Markdown works.", "area"),
    F("results", "Results", "What changed, with figures where you have them.", "area"),
    F("lessons", "Lessons", "What others should copy, and what they should avoid.", "area"),
    F("tools", "Tools", "Comma-separated: software, methods, templates used.", "list"),
    F("stakeholders", "Stakeholders", "Comma-separated: who was involved.", "list"),
    F(
        "case_study",
        "Runnable case study",
        "The name of a govlab case study behind it, if any (see <code>govlab run --list</code>).",
    ),
)
OUTCOME_FIELDS = (
    F("indicator", "Indicator", "What was measured."),
    F("baseline", "Baseline", "The figure before.", "number"),
    F("value", "Value", "The figure after.", "number"),
    F("unit", "Unit", "e.g. days, %, GBP."),
    F("period", "Period", "e.g. 2019-2021."),
    F(
        "direction",
        "Better when",
        "Which way is an improvement.",
        "choice",
        [(d.value, d.value) for d in Direction],
    ),
    F(
        "evidence_type",
        "Evidence",
        "How the figure is known.",
        "choice",
        [(e.value, e.value) for e in EvidenceType],
    ),
    F("source", "Source", "Where the figure comes from."),
)
SOURCE_FIELDS = (
    F("url", "Web address", "Starting with https://"),
    F("title", "Page or report title", "What the page or report is called."),
)
COST_FIELDS = (
    F("amount", "Amount", "A number, e.g. 250000.", "number"),
    F("currency", "Currency", "Three letters, e.g. GBP, USD, EUR."),
    F(
        "kind",
        "Kind",
        "Paid once, or every year.",
        "choice",
        [(k.value, k.value) for k in CostKind],
    ),
    F("note", "Note", "What it paid for."),
)
# the form's sections: a heading, its fields, and whether short fields sit side by side
SECTIONS = (
    ("About the practice", ("title", "id", "summary"), False),
    ("Where and who", ("jurisdiction", "country", "level", "organisation", "sector"), True),
    ("What it is about", ("topics", "technologies", "stage", "year_started", "year_ended"), True),
    ("The story", ("problem", "approach", "results", "lessons"), False),
    ("More", ("tools", "stakeholders", "case_study"), True),
)
STATUS_WORDS = {
    "draft": "Draft",
    "submitted": "Submitted for review",
    "in_review": "In review",
    "changes_requested": "Changes requested",
    "published": "Published",
    "rejected": "Not accepted",
    "archived": "Archived",
}
EDITABLE = ("draft", "changes_requested")


def slug(title: str) -> str:
    """``"Boston's 311 app"`` -> ``"boston-s-311-app"`` (a suggestion; the model checks it)."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:80].strip("-")


class ContributionForm(Component):
    """Contribute a practice: every field with help, errors beside fields, drafts and status."""

    def __init__(self, library: Library | None = None) -> None:
        super().__init__(library)
        self.editing: str | None = None
        self.rows = {f.name: FieldRow(f) for f in MAIN_FIELDS}
        self.outcomes = Repeated("outcomes", "Outcomes", OUTCOME_FIELDS, "Add an outcome")
        self.sources = Repeated("sources", "Sources", SOURCE_FIELDS, "Add a source")
        self.costs = Repeated("costs", "Costs", COST_FIELDS, "Add a cost")
        self.why = w.Text(description="What changed", placeholder="A few words for the history")
        self.save = w.Button(description="Save draft", button_style="primary")
        self.submit = w.Button(description="Submit for review", button_style="success")
        self.new = w.Button(description="Start a new practice")
        self.save.on_click(lambda _: self.save_draft())
        self.submit.on_click(lambda _: self.submit_for_review())
        self.new.on_click(lambda _: self.start_new())
        self.heading = html("")
        self.mine = CardList(
            label="Your practices",
            heading="Your practices",
            empty="You have not written a practice yet: the form on the left starts one.",
        )
        self.mine.observe(self._on_pick, "selected")
        intro = html(
            '<h1 class="govlab-title">Contribute a practice</h1><p class="govlab-lead">Share '
            "what your organisation did so that others can learn from it. Save a draft as "
            "often as you like; submit it when it is ready, and two reviewers will read it.</p>",
        )
        sections = [
            box(
                [html(f"<h3>{title}</h3>"),
                 box([self.rows[n].widget for n in names],
                     "govlab-form-grid" if grid else "govlab-form-column")],
                "govlab-form-section",
            )
            for title, names, grid in SECTIONS
        ]  # fmt: skip
        form = box(
            [
                self.heading,
                *sections[:4],
                self.outcomes.widget,
                self.sources.widget,
                self.costs.widget,
                sections[4],
                self.why,
                box([self.save, self.submit, self.new], "govlab-actions", kind=w.HBox),
            ],
            "govlab-form",
            "govlab-panel",
            "govlab-contribute__form",
        )
        side = box([self.mine], "govlab-contribute__side", "govlab-panel")
        self.children = [
            intro,
            self.notice,
            box([form, side], "govlab-contribute", kind=w.HBox),
        ]
        self.start_new()
        self.refresh_mine()

    # the form's content ----------------------------------------------------------------
    def data(self) -> dict[str, Any]:
        """What the form holds, as the model's fields (text as typed)."""
        values = {name: row.value for name, row in self.rows.items()}
        if not values["id"] and values["title"]:
            values["id"] = slug(values["title"])
        values["outcomes"] = self.outcomes.value
        values["sources"] = self.sources.value
        values["costs"] = self.costs.value
        return {k: v for k, v in values.items() if v not in (None, "")}

    def load(self, practice: Practice) -> None:
        """Fill the form with a stored practice."""
        for name, row in self.rows.items():
            row.load(getattr(practice, name))
        self.outcomes.load(practice.outcomes)
        self.sources.load(practice.sources)
        self.costs.load(practice.costs)
        self._clear_errors()

    def check(self) -> Practice | None:
        """The practice the form describes, or None with each error beside its field."""
        self._clear_errors()
        try:
            return Practice.model_validate(self.data())
        except ValidationError as error:
            self._show_errors(error)
            return None

    def _show_errors(self, error: ValidationError) -> None:
        named = []
        for problem in error.errors():
            loc = problem["loc"]
            message = problem["msg"].removeprefix("Value error, ")
            row, label = self._field_for(loc)
            if row is not None:
                row.show_error(message)
                named.append(label)
            else:
                self.notice.show(message, "error")
                return
        count = len(named)
        self.notice.show(
            f"{count} field{'' if count == 1 else 's'} need{'s' if count == 1 else ''} a "
            f"change before this can be saved: {', '.join(dict.fromkeys(named))}.",
            "error",
        )

    def _field_for(self, loc: tuple[Any, ...]) -> tuple[FieldRow | None, str]:
        name = str(loc[0]) if loc else ""
        if name in self.rows:
            return self.rows[name], self.rows[name].field.label
        lists = {"outcomes": self.outcomes, "sources": self.sources, "costs": self.costs}
        if name in lists and len(loc) >= 3 and isinstance(loc[1], int):
            repeated = lists[name]
            row = repeated.field_row(loc[1], str(loc[2]))
            if row is not None:
                return row, f"{repeated.noun} {loc[1] + 1} {row.field.label.lower()}"
        if not loc:  # a rule across fields (the years' order)
            row = self.rows["year_ended"]
            return row, row.field.label
        return None, name

    def _clear_errors(self) -> None:
        for row in self.rows.values():
            row.show_error("")
        for repeated in (self.outcomes, self.sources, self.costs):
            for sub in repeated.rows:
                for field_row in sub.fields.values():
                    field_row.show_error("")

    # actions -------------------------------------------------------------------------
    def start_new(self) -> None:
        """An empty form for a new practice."""
        self.editing = None
        for row in self.rows.values():
            row.load(None)
        for repeated in (self.outcomes, self.sources, self.costs):
            repeated.clear()
        self.outcomes.add()
        self.sources.add()
        self._clear_errors()
        self.heading.value = "<h2>A new practice</h2>"
        self.save.disabled = self.submit.disabled = False
        self.why.value = ""
        self.mine.selected = ""

    def save_draft(self) -> Practice | None:
        """Save what the form holds: a new draft, or a change to the draft being edited."""
        self.notice.clear()
        practice = self.check()
        if practice is None:
            return None
        title = render_text(practice.title)
        if self.editing is None:
            saved = self._act(self.library.create, practice, why=self.why.value)
        else:
            changes = practice.model_dump(
                exclude={
                    "id",
                    "status",
                    "author",
                    "evidence_level",
                    "revision",
                    "created",
                    "updated",
                }
            )
            saved = self._act(self.library.edit, self.editing, changes, why=self.why.value)
        if saved is None:
            return None
        self.editing = saved.id
        self.notice.show(f"Saved your draft \u201c{practice.title}\u201d.", "ok")
        self.heading.value = f"<h2>Editing \u201c{title}\u201d</h2>"
        self.why.value = ""
        self.refresh_mine(select=saved.id)
        return saved

    def submit_for_review(self) -> Practice | None:
        """Save the draft, then submit it for review."""
        saved = self.save_draft()
        if saved is None:
            return None
        submitted = self._act(self.library.submit, saved.id, "ready for review")
        if submitted is not None:
            self.notice.show(
                f"Submitted \u201c{submitted.title}\u201d for review: reviewers will read it "
                "and you will see their decision here.",
                "ok",
            )
            self.refresh_mine(select=submitted.id)
            self.save.disabled = self.submit.disabled = True
            self.heading.value = f"<h2>Submitted: \u201c{render_text(submitted.title)}\u201d</h2>"
        return submitted

    # the member's own practices ---------------------------------------------------------
    def refresh(self) -> None:
        """Read the member's own practices again."""
        self.refresh_mine()

    def refresh_mine(self, select: str | None = None) -> None:
        """List the member's own practices with their status (``select`` one)."""
        profile = self._act(self.library.profile)
        if profile is None:
            return
        cards = []
        for practice_id in profile.shared:
            practice = self._act(self.library.get, practice_id)
            if practice is not None:
                cards.append(self._card(practice))
        cards.sort(key=lambda card: card["updated"], reverse=True)
        with self.mine.hold_sync():
            self.mine.cards = cards
            self.mine.total = len(cards)
            self.mine.summary = f"{len(cards)} practice{'' if len(cards) == 1 else 's'} by you"
            if select is not None:
                self.mine.selected = select

    def _card(self, practice: Practice) -> dict[str, Any]:
        status = practice.status.value
        chips = [STATUS_WORDS.get(status, status)]
        if status in EDITABLE:
            chips.append("You can edit it")
        note = ""
        if status in ("changes_requested", "rejected"):
            steps = self._act(self.library.workflow, practice.id) or []
            note = steps[-1]["why"] if steps else ""
        return {
            "id": practice.id,
            "title": practice.title,
            "meta": [f"Revision {practice.revision}", f"saved {day(practice.updated)}"],
            "summary_html": render_text(f"Reviewers said: {note}") if note else "",
            "stars": None,
            "chips": chips,
            "updated": practice.updated.isoformat() if practice.updated else "",
        }

    def _on_pick(self, change: dict[str, Any]) -> None:
        practice_id = change["new"]
        if not practice_id or practice_id == self.editing:
            return
        practice = self._act(self.library.get, practice_id)
        if practice is None:
            return
        self.load(practice)
        status = practice.status.value
        self.editing = practice.id
        editable = status in EDITABLE
        self.save.disabled = self.submit.disabled = not editable
        title = render_text(practice.title)
        state = "Editing" if editable else f"{STATUS_WORDS.get(status, status)}:"
        self.heading.value = f"<h2>{state} \u201c{title}\u201d</h2>"
        if not editable:
            self.notice.show(
                "This practice is with the reviewers or published, so it cannot be edited "
                "here; you can read it.",
                "info",
            )
