"""The transparency dashboard: how a city's services are doing, and what the library changed.

KPI tiles (value, target, trend) from a metric series (Boston's CityScore sample by
default, or a facilitator's own file in the same shape), trend charts, and the
progress of adopted practices from their check-ins, filtered by jurisdiction and
topic. Built for citizens as well as staff: it prints cleanly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.render import render_text
from govlab.widgets import charts, views
from govlab.widgets._base import Component, box, html
from govlab.widgets.cards import FacetList

if TYPE_CHECKING:
    import pandas as pd

    from govlab.community.session import Library

ALL = "__all__"
# words in a metric's name that mean "lower is better" (times, incidents, crimes)
LOWER_IS_BETTER = ("response time", "incident", "crime", "homicide", "shooting", "stabbing")
DEFAULT_METRICS = 8
SOURCE_NOTE = (
    "City figures: Boston CityScore daily values, 29 Feb to 19 Jul 2016 (City of Boston, via "
    "CityOfBoston/CityScoreToolkit). Monthly means of the daily values; targets as published "
    "with the toolkit."
)


def lower_is_better(metric: str) -> bool:
    """Whether a smaller value of ``metric`` is the better one (times, incidents, crimes)."""
    name = metric.lower()
    return any(word in name for word in LOWER_IS_BETTER)


def monthly(series: pd.DataFrame) -> pd.DataFrame:
    """Monthly mean ``value`` and ``target`` per metric (from daily rows)."""
    frame = series[["date", "metric", "value", "target"]].copy()
    frame["month"] = frame["date"].dt.to_period("M").dt.to_timestamp()
    grouped = frame.groupby(["metric", "month"], as_index=False)
    return grouped.agg(value=("value", "mean"), target=("target", "mean"))


def shares(months: pd.DataFrame) -> set[str]:
    """The metrics that are shares (every value and target between 0 and 1): shown as %."""
    out = set()
    for metric, rows in months.groupby("metric"):
        numbers = rows[["value", "target"]].stack()
        if bool((numbers >= 0).all()) and bool((numbers <= 1).all()):
            out.add(str(metric))
    return out


def fmt(value: float | None, share: bool) -> str:
    """A metric's value as a reader expects it: shares as per cent, else plain numbers."""
    if value is None or value != value:  # None or NaN
        return "no figure"
    if share:
        return f"{value * 100:.0f}%"
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def tiles(months: pd.DataFrame, metrics: list[str]) -> list[dict[str, Any]]:
    """Per metric: the latest month's value, its target, and the change from the month before."""
    out = []
    as_share = shares(months)
    for metric in metrics:
        rows = months[months["metric"] == metric].sort_values("month")
        if rows.empty:
            continue
        last = rows.iloc[-1]
        before = rows.iloc[-2] if len(rows) > 1 else None
        lower = lower_is_better(metric)
        target = None if last["target"] != last["target"] else float(last["target"])
        on_target = (
            None
            if target is None
            else (last["value"] <= target if lower else last["value"] >= target)
        )
        change = None if before is None else float(last["value"] - before["value"])
        better = None if change is None or change == 0 else (change < 0) == lower
        out.append(
            {
                "metric": metric,
                "month": last["month"],
                "value": float(last["value"]),
                "target": target,
                "on_target": on_target,
                "change": change,
                "better": better,
                "previous_month": None if before is None else before["month"],
                "share": metric in as_share,
            }
        )
    return out


def tile_html(tile: dict[str, Any]) -> str:
    """One KPI tile: the value, the target and whether it is met, the trend."""
    metric = tile["metric"]
    target = tile["target"]
    if target is None:
        aim = "No target set"
    else:
        word = "at most" if lower_is_better(metric) else "at least"
        met = "met" if tile["on_target"] else "not met"
        aim = f"Target {word} {fmt(target, tile['share'])}: {met}"
    if tile["change"] is None:
        trend = '<p class="govlab-tile__trend">First month of figures</p>'
    else:
        arrow = "\u25b2" if tile["change"] > 0 else "\u25bc" if tile["change"] < 0 else "\u25b6"
        css = "govlab-good" if tile["better"] else "govlab-bad" if tile["better"] is False else ""
        verdict = (
            "better" if tile["better"] else "worse" if tile["better"] is False else "no change"
        )
        since = f"{tile['previous_month']:%B}"
        size = abs(tile["change"])
        change = f"{size * 100:.1f} points" if tile["share"] else fmt(size, False)
        trend = (
            f'<p class="govlab-tile__trend {css}"><span aria-hidden="true">{arrow}</span> '
            f"{render_text(change)} since {since} ({verdict})</p>"
        )
    return (
        f'<div class="govlab-tile"><p class="govlab-tile__name">{render_text(metric)}</p>'
        f'<p class="govlab-tile__value">{render_text(fmt(tile["value"], tile["share"]))}</p>'
        f'<p class="govlab-tile__target">{render_text(aim)}, {tile["month"]:%B %Y}</p>'
        f"{trend}</div>"
    )


def score_figure(months: pd.DataFrame, metrics: list[str]) -> Any:
    """Each metric against its target, month by month (1 = on target; above is better)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for metric in metrics:
        rows = months[(months["metric"] == metric) & months["target"].notna()].sort_values("month")
        if rows.empty:
            continue
        ratio = (
            rows["target"] / rows["value"]
            if lower_is_better(metric)
            else rows["value"] / rows["target"]
        )
        fig.add_scatter(x=rows["month"], y=ratio, mode="lines+markers", name=metric)
    fig.add_hline(y=1, line_dash="dot", line_color="#52606d", annotation_text="on target",
                  annotation_position="bottom left")  # fmt: skip
    charts.style(fig, "Each service against its target (above 1 is better than target)")
    fig.update_yaxes(title="score (1 = on target)")
    # room below for the month labels and a legend of up to four rows: a taller legend in
    # the default margin shrank the plot until the legend's box covered the month labels
    fig.update_layout(height=480, margin={"b": 150}, legend={"y": -0.15})
    # one labelled tick a month (as categories, Plotly labelled only the last month)
    fig.update_xaxes(dtick="M1", tickformat="%b %Y")
    return fig


def metric_figure(series: pd.DataFrame, metric: str, share: bool = False) -> Any:
    """One metric's daily values, the monthly mean and the target."""
    import plotly.graph_objects as go

    rows = series[series["metric"] == metric].sort_values("date")
    daily = rows.groupby("date", as_index=False)["value"].mean()
    fig = go.Figure()
    fig.add_scatter(
        x=daily["date"],
        y=daily["value"],
        mode="markers",
        name="daily value",
        marker={"size": 5, "color": "#9aa5b1"},
    )
    trend = daily.set_index("date")["value"].rolling("28D").mean()
    fig.add_scatter(
        x=trend.index,
        y=trend.to_numpy(),
        mode="lines",
        name="28-day average",
        line={"color": "#0b5cad", "width": 3},
    )
    target = rows["target"].dropna()
    if not target.empty:
        fig.add_hline(
            y=float(target.iloc[-1]),
            line_dash="dash",
            line_color="#c2410c",
            annotation_text="target",
        )
    charts.style(fig, f"{metric}: daily values and the 28-day average")
    if share:
        fig.update_yaxes(tickformat=".0%")
    return fig


class TransparencyDashboard(Component):
    """KPI tiles and trends of a city's metrics, and the progress of adopted practices.

    Parameters
    ----------
    library
        The session (default: opened for this kernel's member, or a visitor in public mode).
    metrics
        A metric series CSV (``date``, ``metric``, ``value``, optional ``target``); default
        the shipped Boston CityScore sample.
    city
        The name shown in the heading.
    """

    def __init__(
        self,
        library: Library | None = None,
        *,
        metrics: str | Path | None = None,
        city: str = "Boston",
    ) -> None:
        super().__init__(library)
        self.city = city
        self.series = self._load(metrics)
        self.months = monthly(self.series) if self.series is not None else None
        names = sorted(self.months["metric"].unique()) if self.months is not None else []
        chosen = [n for n in names if "On-Time" in n][:DEFAULT_METRICS] or names[:DEFAULT_METRICS]
        self.pick = FacetList(
            label="Services shown", shown=len(names), counts=False, clear_label="Show none"
        )
        self.pick.facets = [
            {"name": "metric", "label": "City services", "values": [
                {"value": n, "label": n, "count": 0} for n in names]}
        ]  # fmt: skip
        self.pick.selected = {"metric": chosen}
        self.one = w.Dropdown(
            description="One service in detail", options=names, value=chosen[0] if chosen else None
        )
        self.one.add_class("govlab-print-hide")
        self.jurisdiction = w.Dropdown(description="Jurisdiction", options=[("All places", ALL)])
        self.topic = w.Dropdown(description="Topic", options=[("All topics", ALL)])
        self.city_tiles = html("", "govlab-tiles-host")
        self.library_tiles = html("", "govlab-tiles-host")
        self.score_chart = charts.chart_output()
        self.metric_chart = charts.chart_output()
        self.progress_chart = charts.chart_output()
        self.progress_table = html("", "govlab-progress-table")
        self.adoption_rows: list[dict[str, Any]] = []
        self.pick.observe(lambda _: self.draw_city(), "selected")
        self.one.observe(lambda _: self.draw_metric(), "value")
        self.jurisdiction.observe(lambda _: self.draw_adoptions(), "value")
        self.topic.observe(lambda _: self.draw_adoptions(), "value")
        self.children = self._layout()
        self.draw_city()
        self.load_adoptions()

    def _load(self, metrics: str | Path | None) -> pd.DataFrame | None:
        from govlab.datasets.metrics import load_metric_series
        from govlab.datasets.samples import sample_path

        path = metrics if metrics is not None else sample_path("boston_cityscore_2016")
        return self._act(load_metric_series, path, duplicates="mean")

    def _layout(self) -> list[w.Widget]:
        intro = html(
            f'<h1 class="govlab-title">How {render_text(self.city)}\u2019s services are doing</h1>'
            '<p class="govlab-lead">Figures the city publishes about its own services, '
            "against the targets it set itself, and the progress of the practices it took "
            "from other places.</p>"
        )
        city = box(
            [
                html("<h2>Services against their targets</h2>"),
                box(
                    [
                        box([self.pick], "govlab-dashboard__side"),
                        box(
                            [
                                self.city_tiles,
                                self.one,
                                box([self.score_chart, self.metric_chart], "govlab-charts"),
                            ],
                            "govlab-dashboard__main",
                        ),
                    ],
                    "govlab-dashboard__city",
                    kind=w.HBox,
                ),
                html(f'<p class="govlab-muted govlab-source">{render_text(SOURCE_NOTE)}</p>'),
            ],
            "govlab-section",
        )
        adoptions = box(
            [
                html("<h2>Practices adopted from other places</h2>"),
                box([self.jurisdiction, self.topic], "govlab-filters", kind=w.HBox),
                self.library_tiles,
                box([self.progress_chart], "govlab-charts"),
                self.progress_table,
            ],
            "govlab-section",
        )
        return [intro, self.notice, city, adoptions]

    # the city's metrics --------------------------------------------------------------
    def draw_city(self) -> None:
        """Draw the tiles and charts of the chosen services."""
        if self.months is None or self.series is None:
            return
        chosen = list(self.pick.selected.get("metric", []))
        if not chosen:
            self.city_tiles.value = '<p class="govlab-muted">Choose at least one service.</p>'
            charts.show_message(self.score_chart, "No service chosen.")
            return
        shown = tiles(self.months, chosen)
        self.city_tiles.value = (
            f'<div class="govlab-tiles">{"".join(tile_html(t) for t in shown)}</div>'
        )
        on = sum(1 for t in shown if t["on_target"])
        alt = f"{on} of {len(shown)} chosen services met their target in their latest month."
        charts.show(self.score_chart, score_figure(self.months, chosen), alt)
        self.draw_metric()

    def draw_metric(self) -> None:
        """Draw the chart of the one service chosen for detail."""
        if self.series is None or not self.one.value:
            return
        metric = self.one.value
        alt = f"Daily values of {metric} with a 28-day average and the target."
        share = self.months is not None and metric in shares(self.months)
        charts.show(self.metric_chart, metric_figure(self.series, metric, share), alt)

    # adoptions from the library --------------------------------------------------------
    def refresh(self) -> None:
        """Read the adoptions again (the city's metrics come from a file, read once)."""
        self.load_adoptions()

    def load_adoptions(self) -> None:
        """Read the adoptions, their latest check-ins and their practices' topics."""
        adoptions = self._act(self.library.adoptions) or []
        rows = []
        practices: dict[str, Any] = {}
        for adoption in adoptions:
            if adoption.practice_id not in practices:
                practices[adoption.practice_id] = self._act(self.library.get, adoption.practice_id)
            practice = practices[adoption.practice_id]
            if practice is None:
                continue
            reports = self._act(self.library.checkins, adoption.id) or []
            latest = reports[-1] if reports else None
            rows.append(
                {
                    "practice": practice.title,
                    "topics": list(practice.topics),
                    "jurisdiction": adoption.jurisdiction,
                    "member": adoption.member,
                    "status": latest.status.value.replace("_", " ") if latest else "not reported",
                    "progress": latest.progress if latest else 0,
                    "day": latest.day if latest else None,
                    "checkins": len(reports),
                }
            )
        self.adoption_rows = rows
        places = sorted({r["jurisdiction"] for r in rows})
        topics = sorted({t for r in rows for t in r["topics"]})
        self.jurisdiction.options = [("All places", ALL), *[(p, p) for p in places]]
        self.topic.options = [("All topics", ALL), *[(t, t) for t in topics]]
        self.draw_adoptions()

    def shown_adoptions(self) -> list[dict[str, Any]]:
        """The adoptions the jurisdiction and topic filters let through."""
        rows = self.adoption_rows
        if self.jurisdiction.value != ALL:
            rows = [r for r in rows if r["jurisdiction"] == self.jurisdiction.value]
        if self.topic.value != ALL:
            rows = [r for r in rows if self.topic.value in r["topics"]]
        return rows

    def draw_adoptions(self) -> None:
        """Draw the adoption tiles, the progress chart and the table."""
        rows = self.shown_adoptions()
        live = sum(1 for r in rows if r["status"] == "live")
        mean = sum(r["progress"] for r in rows) / len(rows) if rows else 0
        facts = [
            ("Adoptions", f"{len(rows)}"),
            ("Places", f"{len({r['jurisdiction'] for r in rows})}"),
            ("Live", f"{live}"),
            ("Average progress", f"{mean:.0f}%"),
        ]
        self.library_tiles.value = (
            '<div class="govlab-tiles">'
            + "".join(
                f'<div class="govlab-tile"><p class="govlab-tile__name">{name}</p>'
                f'<p class="govlab-tile__value">{value}</p></div>'
                for name, value in facts
            )
            + "</div>"
        )
        if not rows:
            charts.show_message(self.progress_chart, "No adoption matches these filters yet.")
            self.progress_table.value = (
                '<p class="govlab-muted">No adoption matches these filters yet.</p>'
            )
            return
        charts.show(self.progress_chart, progress_figure(rows), _progress_alt(rows))
        self.progress_table.value = progress_table(rows)


def progress_figure(rows: list[dict[str, Any]]) -> Any:
    """A bar per adoption: how far along it is at its latest check-in."""
    import plotly.graph_objects as go

    ordered = sorted(rows, key=lambda r: r["progress"])
    labels = [f"{_short(r['practice'])} ({r['jurisdiction']})" for r in ordered]
    fig = go.Figure(
        go.Bar(
            x=[r["progress"] for r in ordered],
            y=labels,
            orientation="h",
            text=[f"{r['progress']}% {r['status']}" for r in ordered],
            textposition="auto",
            marker={"color": "#0b5cad"},
        )
    )
    charts.style(
        fig,
        "How far each adoption has come (latest check-in)",
        height=max(260, 60 + 34 * len(rows)),
    )
    fig.update_xaxes(range=[0, 100], title="per cent done", ticksuffix="%")
    fig.update_layout(margin={"l": 20})
    fig.update_yaxes(automargin=True)
    return fig


def _short(title: str, limit: int = 38) -> str:
    """A title cut at a word, for a chart's axis."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def _progress_alt(rows: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r['practice']} in {r['jurisdiction']}: {r['progress']}%" for r in rows)


def progress_table(rows: list[dict[str, Any]]) -> str:
    """Who adopted what, where, and how far along, as a table."""
    body = []
    for r in rows:
        bar = (
            '<span class="govlab-progress" aria-hidden="true">'
            f'<span style="width:{int(r["progress"])}%"></span></span> {int(r["progress"])}%'
        )
        texts = (r["practice"], r["jurisdiction"], r["member"], r["status"])
        cells = [render_text(t) for t in texts] + [bar]
        cells += [render_text(views.day(r["day"]) or "none yet"), str(r["checkins"])]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = ("Practice", "Where", "Who", "Status", "Progress", "Last check-in", "Check-ins")
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    return (
        '<table class="govlab-table"><caption>Who adopted what, where, and how far along</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
