"""Plotly figures for the impact results (private; Plotly is imported here only).

Each figure carries the result's sentence as its subtitle, so a chart pasted
into a report still says what it shows.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import plotly.graph_objects as go

BLUE = "#1f77b4"
ORANGE = "#ff7f0e"
GREY = "#7f7f7f"


def _layout(fig: go.Figure, title: str, sentence: str, ytitle: str) -> go.Figure:
    wrapped = "<br>".join(textwrap.wrap(sentence, 110))
    fig.update_layout(
        title={"text": f"{title}<br><sup>{wrapped}</sup>"},
        yaxis_title=ytitle,
        template="plotly_white",
        margin={"t": 110},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def before_after_chart(
    before: np.ndarray, after: np.ndarray, name: str, sentence: str
) -> go.Figure:
    """Box plots of the values before and after, with both means marked."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for label, values, colour in (
        ("before", before, GREY),
        ("after", after, BLUE),
    ):
        fig.add_trace(
            go.Box(
                y=values, name=label, boxpoints="all", jitter=0.4, marker_color=colour, boxmean=True
            )
        )
    return _layout(fig, f"{name}: before and after", sentence, name)


def its_chart(data: pd.DataFrame, name: str, sentence: str) -> go.Figure:
    """The series, the two fitted segments and the trend had nothing changed."""
    import plotly.graph_objects as go

    time, outcome = data.columns[0], data.columns[1]
    post = data["post"].to_numpy()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=data[time], y=data[outcome], mode="markers", name="observed",
                             marker_color=GREY))  # fmt: skip
    for mask, label, colour in ((~post, "trend before", GREY), (post, "trend after", BLUE)):
        fig.add_trace(go.Scatter(x=data.loc[mask, time], y=data.loc[mask, "fitted"],
                                 mode="lines", name=label, line_color=colour))  # fmt: skip
    fig.add_trace(
        go.Scatter(x=data.loc[post, time], y=data.loc[post, "counterfactual"], mode="lines",
                   name="had nothing changed", line={"color": ORANGE, "dash": "dash"})
    )  # fmt: skip
    first_post = data.loc[post, time].iloc[0]
    fig.add_vline(x=first_post, line_dash="dot", line_color=GREY)
    return _layout(fig, f"{name} over time", sentence, name)


def did_chart(
    means: pd.DataFrame, series: pd.DataFrame | None, name: str, sentence: str
) -> go.Figure:
    """Mean outcome of both groups before and after, and the treated group's counterfactual."""
    import plotly.graph_objects as go

    fig = go.Figure()
    if series is not None:
        data = series
        for flag, label, colour in ((1.0, "treated", BLUE), (0.0, "comparison", GREY)):
            part = data[data["treated"] == flag]
            fig.add_trace(go.Scatter(x=part["time"], y=part["y"], mode="lines+markers",
                                     name=label, line_color=colour))  # fmt: skip
        return _layout(fig, f"{name}: treated and comparison", sentence, name)
    x = ["before", "after"]
    treated = means.loc["treated", x].to_numpy(dtype=float)
    comparison = means.loc["comparison", x].to_numpy(dtype=float)
    counterfactual = np.array([treated[0], treated[0] + comparison[1] - comparison[0]])
    for values, label, style in (
        (treated, "treated", {"color": BLUE}),
        (comparison, "comparison", {"color": GREY}),
        (counterfactual, "treated had nothing changed", {"color": ORANGE, "dash": "dash"}),
    ):
        fig.add_trace(go.Scatter(x=x, y=values, mode="lines+markers", name=label, line=style))
    return _layout(fig, f"{name}: treated and comparison", sentence, name)
