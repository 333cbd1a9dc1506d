"""The feedback forum: residents and participants say what they think of a service.

Anyone may write (a visitor's message waits for a facilitator before anyone sees it).
The facilitator's view, shown when the session lets this member see every entry,
reads sentiment and topics over time (:mod:`govlab.analysis.feedback`) and hides or
restores entries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.errors import GovlabError
from govlab.widgets import charts, views
from govlab.widgets._base import Component, box, html, is_visitor
from govlab.widgets.cards import Notice

if TYPE_CHECKING:
    import pandas as pd

    from govlab.community.session import Library

SERVICES = (
    "Street repairs",
    "Waste and recycling",
    "Parks and open spaces",
    "Public transport",
    "Permits and licences",
    "311 and customer service",
    "Libraries",
    "Something else",
)
CHANNEL = "web form"
SATISFACTION = [("No answer", 0)] + [
    (f"{n}: {word}", n)
    for n, word in enumerate(
        ("very dissatisfied", "dissatisfied", "neither", "satisfied", "very satisfied"), start=1
    )
]


def feedback_frame(entries: list[Any]) -> pd.DataFrame:
    """Feedback records as the frame :mod:`govlab.analysis.feedback` reads."""
    import pandas as pd

    rows = [
        {
            "id": e.id,
            "date": pd.Timestamp(e.day),
            "text": e.text,
            "service": e.service,
            "district": e.district or "not given",
            "rating": e.rating,
            "hidden": e.hidden,
        }
        for e in entries
    ]
    columns = ["id", "date", "text", "service", "district", "rating", "hidden"]
    return pd.DataFrame(rows, columns=columns)


class FeedbackForum(Component):
    """A feedback form for everyone, and for facilitators: sentiment, topics, moderation."""

    def __init__(
        self, library: Library | None = None, *, services: tuple[str, ...] = SERVICES
    ) -> None:
        super().__init__(library)
        self.service = w.Dropdown(description="Which service is it about?", options=list(services))
        self.text = w.Textarea(
            description="Your feedback", placeholder="What works, what does not, what would help."
        )
        self.rating = w.Dropdown(
            description="How satisfied are you? (optional)", options=SATISFACTION
        )
        self.district = w.Text(description="Your neighbourhood or district (optional)")
        self.send = w.Button(description="Send feedback", button_style="primary")
        self.send.on_click(lambda _: self.submit())
        self.form_notice = Notice()
        self.sentiment_chart = charts.chart_output()
        self.topics_chart = charts.chart_output()
        self.topics_table = html("", "govlab-topics")
        self.entries = html("", "govlab-entries")
        self.entry = w.Dropdown(description="Entry", options=[("", 0)])
        self.reason = w.Text(description="Why hide it", placeholder="e.g. personal data, abuse")
        self.hide = w.Button(description="Hide entry", button_style="danger")
        self.restore = w.Button(description="Restore entry")
        self.approve = w.Button(description="Approve entry", button_style="success")
        self.hide.on_click(lambda _: self.moderate("hide"))
        self.restore.on_click(lambda _: self.moderate("restore"))
        self.approve.on_click(lambda _: self.moderate("approve"))
        self.moderation_notice = Notice()
        self.facilitator = self._facilitator_view()
        self.facilitator.layout.display = "none"
        intro = html(
            '<h1 class="govlab-title">Tell us what you think</h1><p class="govlab-lead">Your '
            "feedback goes to the people who run the service. Please do not include names, "
            "addresses or other personal details.</p>"
        )
        form = box(
            [
                html("<h2>Send feedback</h2>"),
                self.service,
                self.text,
                self.rating,
                self.district,
                self.send,
                self.form_notice,
            ],
            "govlab-panel",
            "govlab-form",
            "govlab-feedback__form",
        )
        self.children = [intro, self.notice, form, self.facilitator]
        self.refresh()

    def _facilitator_view(self) -> w.Box:
        moderation = box(
            [
                html(
                    '<h3>Approve, hide or restore an entry</h3><p class="govlab-help">'
                    "Visitors' feedback waits for your approval before anyone else sees it."
                    "</p>"
                ),
                self.entry,
                self.reason,
                box([self.approve, self.hide, self.restore], "govlab-actions", kind=w.HBox),
                self.moderation_notice,
            ],
            "govlab-panel",
            "govlab-form",
        )
        return box(
            [
                html("<h2>What people are saying</h2>"),
                box([self.sentiment_chart, self.topics_chart], "govlab-charts"),
                self.topics_table,
                moderation,
                html("<h3>Entries</h3>"),
                self.entries,
            ],
            "govlab-section",
        )

    # writing ---------------------------------------------------------------------------
    def submit(self) -> None:
        """Send the form's feedback through the session, then clear the text."""
        self.form_notice.clear()
        wait = (
            " A facilitator reads each message before it is shown."
            if is_visitor(self.library)
            else ""
        )
        saved = self._act(
            self.library.add_feedback,
            self.service.value,
            CHANNEL,
            self.text.value,
            rating=self.rating.value or None,
            district=self.district.value.strip(),
            done=f"Thank you: your feedback about {self.service.value.lower()} is recorded.{wait}",
            notice=self.form_notice,
        )
        if saved is not None:
            self.text.value = ""
            self.rating.value = 0
            self.refresh()

    # the facilitator's view ----------------------------------------------------------
    def refresh(self) -> None:
        """Show the analysis and moderation when the session lets this member see every entry."""
        if is_visitor(self.library):
            return
        try:
            entries = self.library.feedback(include_hidden=True)
        except GovlabError:  # not a facilitator (the session said no): the form is the page
            return
        self.facilitator.layout.display = "flex"
        waiting = [e for e in entries if e.pending and not e.hidden]
        others = [e for e in reversed(entries) if e not in waiting]  # newest first
        self.entry.options = [
            (f"#{e.id} {e.day} {e.service}{' (waiting for approval)' if e.pending else ''}", e.id)
            for e in waiting + others
        ] or [("", 0)]
        self.entries.value = entries_table(waiting + others)
        shown = [e for e in entries if not e.hidden and not e.pending]
        self._analyse(feedback_frame(shown))

    def _analyse(self, frame: pd.DataFrame) -> None:
        from govlab.analysis.feedback import sentiment, topics

        if len(frame) < 2:
            charts.show_message(self.sentiment_chart, "Too few entries to chart yet.")
            charts.show_message(self.topics_chart, "Too few entries to find topics yet.")
            self.topics_table.value = ""
            return
        scored = self._act(sentiment, frame)
        if scored is not None:
            charts.show(self.sentiment_chart, sentiment_figure(scored), sentiment_alt(scored))
        found = self._act(topics, frame, n_topics=min(5, max(2, len(frame) // 10)))
        if found is not None:
            charts.show(
                self.topics_chart,
                topics_figure(found.rows, found.table),
                "Topics per month: " + "; ".join(found.table["label"]),
            )
            rows = [
                (str(int(topic) + 1), terms, count, f"{share:.0%}")
                for topic, terms, count, share in found.table[
                    ["topic", "terms", "rows", "share"]
                ].itertuples(index=False)
            ]
            self.topics_table.value = views.table(
                ("Topic", "Its words", "Entries", "Share"), rows, caption="Topics found in the text"
            )

    def moderate(self, action: str) -> None:
        """Approve, hide or restore the chosen entry (the session decides who may)."""
        self.moderation_notice.clear()
        entry = self.entry.value
        if not entry:
            return
        calls: dict[str, tuple[Callable[..., Any], tuple[Any, ...], str]] = {
            "approve": (self.library.approve_feedback, (entry,), f"Entry #{entry} is approved."),
            "hide": (
                self.library.hide_feedback,
                (entry, self.reason.value),
                f"Entry #{entry} is hidden.",
            ),
            "restore": (self.library.unhide_feedback, (entry,), f"Entry #{entry} is shown again."),
        }
        fn, args, done = calls[action]
        self._act(fn, *args, done=done, notice=self.moderation_notice)
        if self.last_error is None:
            self.reason.value = ""
            self.refresh()
            self.entry.value = entry


SHOWN_ENTRIES = 20


def entries_table(entries: list[Any], limit: int = SHOWN_ENTRIES) -> str:
    """The first ``limit`` entries (waiting ones first, then the newest), hidden with the reason."""
    rows = []
    for e in entries[:limit]:
        state = f"hidden: {e.hidden_reason}" if e.hidden else "shown"
        if e.pending and not e.hidden:
            state = "waiting for approval"
        rows.append(
            (f"#{e.id}", views.day(e.day), e.service, e.district, e.rating or "", e.text, state)
        )
    head = ("Entry", "Day", "Service", "District", "Satisfaction", "Feedback", "Status")
    caption = f"The newest {min(limit, len(entries))} of {len(entries)} entries"
    return views.table(head, rows, caption=caption)


def sentiment_figure(scored: pd.DataFrame) -> Any:
    """Mean sentiment and the number of entries, month by month."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    frame = scored.dropna(subset=["sentiment"]).copy()
    frame["month"] = frame["date"].dt.to_period("M").dt.to_timestamp()
    monthly = frame.groupby("month").agg(mean=("sentiment", "mean"), entries=("sentiment", "size"))
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    # bars on the first axis, the line on the second: plotly draws the second on top
    fig.add_trace(
        go.Bar(x=monthly.index, y=monthly["entries"], name="entries", marker={"color": "#d9e2ec"})
    )
    fig.add_trace(
        go.Scatter(x=monthly.index, y=monthly["mean"], name="mean sentiment",
                   mode="lines+markers", line={"color": "#0b5cad", "width": 3}),
        secondary_y=True,
    )  # fmt: skip
    charts.style(fig, "Sentiment by month (VADER, -1 negative to +1 positive)")
    fig.update_xaxes(dtick="M1", tickformat="%b %Y")
    fig.update_yaxes(
        title="entries", rangemode="tozero", tickformat="d", showgrid=False, secondary_y=False
    )
    fig.update_yaxes(title="mean sentiment", range=[-1.05, 1.05], tickvals=[-1, -0.5, 0, 0.5, 1],
                     secondary_y=True, zeroline=True)  # fmt: skip
    return fig


def sentiment_alt(scored: pd.DataFrame) -> str:
    """The chart's plain-text stand-in: how many entries are positive, neutral, negative."""
    counts = scored["label"].value_counts()
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("positive", "neutral", "negative"))


def topics_figure(rows: pd.DataFrame, table: pd.DataFrame) -> Any:
    """Entries per topic, month by month (stacked)."""
    import plotly.graph_objects as go

    data = rows.dropna(subset=["topic"]).copy()
    data["month"] = data["date"].dt.to_period("M").dt.to_timestamp()
    counts = data.groupby(["month", "topic"]).size().unstack(fill_value=0)
    labels = dict(zip(table["topic"], table["label"], strict=True))
    fig = go.Figure()
    for topic in counts.columns:
        fig.add_bar(x=counts.index, y=counts[topic], name=f"{int(topic) + 1}: {labels[int(topic)]}")
    charts.style(fig, "Topics by month")
    fig.update_xaxes(dtick="M1", tickformat="%b %Y")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="entries")
    return fig
