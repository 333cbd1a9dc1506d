"""Plotly charts in a page: one ``Output`` per chart, showing Plotly's own mime type.

The figure travels as ``application/vnd.plotly.v1+json`` and is drawn by plotly's
front-end extension, which ships plotly.js inside the package: offline, the same in
JupyterLab and in Voila, and light (a FigureWidget would send its 5 MB bundle
per chart). Updating a chart replaces the output's one item.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import ipywidgets as w

if TYPE_CHECKING:
    import plotly.graph_objects as go

MIME = "application/vnd.plotly.v1+json"
# no mode bar (its icons are links without names, and nobody needs them on a dashboard)
CONFIG = {"displayModeBar": False, "responsive": True, "displaylogo": False}
PALETTE = ["#0b5cad", "#c2410c", "#1e6b3a", "#7c3aed", "#9a6700", "#be185d", "#0f766e", "#52606d"]
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'


def chart_output() -> w.Output:
    """An empty chart area."""
    out = w.Output()
    out.add_class("govlab-chart")
    return out


def style(fig: go.Figure, title: str, *, height: int = 360) -> go.Figure:
    """Give a figure govlab's look: plain white, readable type, the title inside the figure."""
    fig.update_layout(
        template="simple_white",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        colorway=PALETTE,
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def bundle(fig: go.Figure, alt: str) -> dict[str, Any]:
    """The display data for ``fig``, with ``alt`` as its plain-text stand-in."""
    import plotly.io as pio

    data = json.loads(pio.to_json(fig, validate=False, remove_uids=False))
    data["config"] = CONFIG
    return {"output_type": "display_data", "data": {MIME: data, "text/plain": alt}, "metadata": {}}


def show(out: w.Output, fig: go.Figure, alt: str) -> None:
    """Show ``fig`` in ``out``, replacing what was there."""
    out.outputs = (bundle(fig, alt),)


def show_message(out: w.Output, text: str) -> None:
    """Show a sentence instead of a chart (no data for it)."""
    out.outputs = ({"output_type": "display_data", "data": {"text/plain": text}, "metadata": {}},)


def figure_of(out: w.Output) -> dict[str, Any] | None:
    """The Plotly figure an output shows (for tests and the screenshot script)."""
    for item in out.outputs:
        if MIME in item.get("data", {}):
            shown: dict[str, Any] = item["data"][MIME]
            return shown
    return None
