"""Helpers the case-study notebooks call: offline charts, the comparison, the key figures.

Inside a case notebook::

    from govlab.casestudies import notebook as nb
    nb.setup()                       # Plotly charts that work offline in the HTML report
    ...
    nb.comparison(case, figures, original)   # your figures beside the original case's
    nb.record(figures_path, case, figures, original, data_label)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from govlab.casestudies._imports import import_jsonschema_quickly
from govlab.casestudies.registry import get_case
from govlab.casestudies.spec import Figure

# plotly.io imports nbformat, and so jsonschema: keep that import quick in the kernel.
import_jsonschema_quickly()

Figures = Mapping[str, Any]

_RENDERER = "govlab_offline"


def setup() -> None:
    """Prepare the notebook: offline Plotly charts, readable tables.

    Charts shown with :func:`show` carry plotly.js inside the first chart's
    output (no CDN, no MathJax), so the HTML report works offline.
    ``fig.show()`` also works: it goes through the same offline renderer.
    """
    import plotly.io as pio

    if _RENDERER not in pio.renderers:
        pio.renderers[_RENDERER] = _offline_renderer()
    pio.renderers.default = f"plotly_mimetype+{_RENDERER}"
    pio.templates.default = "plotly_white"
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.precision", 2)
    pd.set_option("display.max_colwidth", 120)


def show(fig: Any) -> None:
    """Display a Plotly figure for JupyterLab and for the offline HTML report.

    The output holds Plotly's own mimetype (JupyterLab) and an HTML ``<div>``
    (the report); the first call also outputs plotly.js itself. Unlike
    ``fig.show()`` this never imports nbformat, which is slow to import.
    """
    import plotly.io as pio
    from IPython.display import display

    if not _STATE["plotlyjs"]:
        display({"text/html": _plotlyjs()}, raw=True)
        _STATE["plotlyjs"] = True
    bundle = {
        "application/vnd.plotly.v1+json": json.loads(pio.to_json(fig, validate=False)),
        "text/html": _div(fig),
    }
    display(bundle, raw=True)


_STATE = {"plotlyjs": False}


def _plotlyjs() -> str:
    from plotly.offline import get_plotlyjs

    return (
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>\n"
        f"<script type='text/javascript'>{get_plotlyjs()}</script>"
    )


def _div(fig: Any) -> str:
    from plotly.io import to_html

    html: str = to_html(
        fig,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        default_width="100%",
        default_height=460,
        validate=False,
        config={"displaylogo": False, "responsive": True},
    )
    return html


def _offline_renderer() -> Any:
    from plotly.io.base_renderers import MimetypeRenderer

    class OfflineHtmlRenderer(MimetypeRenderer):
        """text/html with plotly.js embedded by the first figure."""

        def activate(self) -> None:
            from IPython.display import display_html

            if not _STATE["plotlyjs"]:
                display_html(_plotlyjs(), raw=True)
                _STATE["plotlyjs"] = True

        def to_mimebundle(self, fig_dict: dict[str, Any]) -> dict[str, str]:
            return {"text/html": _div(fig_dict)}

    return OfflineHtmlRenderer()


def clean(value: Any) -> Any:
    """A figure as plain JSON: numbers rounded, NaN as None, numpy scalars unwrapped."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value == 0 or abs(value) >= 1:
            return round(value, 2)
        return float(f"{value:.4g}")
    return str(value)


def _format(value: Any, figure: Figure) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if figure.unit == "p":
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    if float(value).is_integer() or abs(value) >= 100:
        digits = ",.0f"
    else:
        digits = ",.2f" if abs(value) >= 0.01 else ".2g"
    text = format(value, digits)
    if figure.unit == "%":
        return f"{text} %"
    if figure.unit == "USD":
        return f"${text}"
    if figure.unit == "GBP":
        return f"£{text}"
    return f"{text} {figure.unit}".strip()


def figure_table(case: str, figures: Figures, leave_out: Iterable[str] = ()) -> pd.DataFrame:
    """The key figures of one run, labelled, as a table (``leave_out``: keys not shown)."""
    left_out = set(leave_out)
    rows = [
        {"Figure": f.label, "Value": _format(clean(figures.get(f.key)), f)}
        for f in get_case(case).figures
        if f.key in figures and f.key not in left_out
    ]
    if not rows:
        return pd.DataFrame({"Value": []}, index=pd.Index([], name=None))
    return pd.DataFrame(rows).set_index("Figure").rename_axis(None)


def comparison(
    case: str, figures: Figures, original: Figures, leave_out: Iterable[str] = ()
) -> pd.DataFrame:
    """Your figures beside the original case's, with the difference.

    ``difference = yours - original`` for numbers; ``relative = difference /
    |original|`` as a percentage where the original is not zero and the figure is
    not itself a percentage or a p-value.
    """
    rows = []
    left_out = set(leave_out)
    for f in get_case(case).figures:
        if (f.key not in figures and f.key not in original) or f.key in left_out:
            continue
        mine, theirs = clean(figures.get(f.key)), clean(original.get(f.key))
        row = {
            "Figure": f.label,
            "Original case": _format(theirs, f),
            "Your data": _format(mine, f),
            "Difference": "",
        }
        if _numbers(mine, theirs) and f.unit != "p":
            row["Difference"] = _difference(float(mine), float(theirs), f)
        rows.append(row)
    return pd.DataFrame(rows).set_index("Figure").rename_axis(None)


def _difference(mine: float, theirs: float, figure: Figure) -> str:
    """``+10 hours (+50%)``, ``-10 points``, ``-$1,395,645 (-86%)``, ``-1,100``."""
    diff = mine - theirs
    unit = "points" if figure.unit == "%" else figure.unit
    text = ("-" if diff < 0 else "+") + _format(abs(diff), replace(figure, unit=unit))
    if figure.unit not in ("%", "") and theirs:
        text += f" ({diff / abs(theirs):+.0%})"
    return text


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def comparison_sentence(
    case: str, figures: Figures, original: Figures, limit: int = 3, leave_out: Iterable[str] = ()
) -> str:
    """A plain sentence on the figures where higher or lower is better."""
    parts = []
    left_out = set(leave_out)
    for f in get_case(case).figures:
        if f.key in left_out:
            continue
        mine, theirs = clean(figures.get(f.key)), clean(original.get(f.key))
        if not f.better or not _numbers(mine, theirs) or mine == theirs:
            continue
        higher = float(mine) > float(theirs)
        verdict = "better" if higher == (f.better == "higher") else "worse"
        word = "higher" if higher else "lower"
        parts.append(
            f"{f.label.lower()} is {_format(mine, f)} against {_format(theirs, f)} "
            f"({word}, {verdict})"
        )
        if len(parts) == limit:
            break
    if not parts:
        return "Your figures match the original case's."
    return "On your data, " + "; ".join(parts) + "."


def record(
    path: str | Path,
    case: str,
    figures: Figures,
    original: Figures | None = None,
    data_label: str = "",
    *,
    synthetic: Iterable[str] = (),
    real: bool | None = None,
) -> dict[str, Any]:
    """Write the key figures (and the original's) as JSON for ``govlab run --json``.

    ``synthetic`` names the figures computed from generated data. On a run on the
    participant's own data (``real``, by default when ``data_label`` is given)
    they are left out of ``figures`` and listed apart under ``illustration``;
    ``key_figures`` lists every figure with its label, unit, text as the report
    writes it, the original's value and a ``synthetic`` flag. The findings said
    with :func:`finding` are recorded too. Does nothing but return the record
    when ``path`` is empty (an interactive run).
    """
    known = [f.key for f in get_case(case).figures]
    generated = set(synthetic)
    on_real_data = bool(data_label) if real is None else real
    kept = {k: clean(figures[k]) for k in known if k in figures}
    apart = {k: v for k, v in kept.items() if k in generated} if on_real_data else {}
    out: dict[str, Any] = {
        "case": case,
        "data": data_label or "default",
        "figures": {k: v for k, v in kept.items() if k not in apart},
        "original": ({k: clean(original[k]) for k in known if k in original} if original else None),
        "illustration": apart,
        "key_figures": [
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "value": kept.get(f.key),
                "text": _format(kept.get(f.key), f),
                "original": clean(original.get(f.key)) if original else None,
                "synthetic": f.key in generated,
            }
            for f in get_case(case).figures
            if f.key in kept
        ],
        "findings": [text for text, generated in _FINDINGS if not (generated and on_real_data)],
        "illustration_findings": [
            text for text, generated in _FINDINGS if generated and on_real_data
        ],
    }
    if path:
        Path(path).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


_FINDINGS: list[tuple[str, bool]] = []


def finding(text: str, synthetic: bool = False) -> Any:
    """Show a plain-language finding and keep it for the record (and the explorer).

    ``synthetic``: the sentence is about generated data; on a run on the
    participant's data it is recorded apart, as an illustration.
    """
    _FINDINGS.append((text, synthetic))
    return markdown(text)


def say(case: str, key: str, value: Any) -> str:
    """A figure as the report writes it everywhere: one rounding per figure.

    The key figures table, the comparison and every sentence of a report use
    this, so 97.85 % is never 97.9 % two paragraphs later.
    """
    figure = next((f for f in get_case(case).figures if f.key == key), None)
    if figure is None:
        raise KeyError(f"case {case!r} has no figure {key!r}")
    return _format(clean(value), figure)


def run_info(path: str | Path) -> dict[str, Any]:
    """What ``govlab run`` knows about the participant's data (empty for the case's own).

    Messages written in the notebook from then on speak the words of the face
    that started the run (``--map`` for the CLI).
    """
    if not path:
        return {}
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("interface") in ("python", "cli", "widget"):
        from govlab.datasets.words import use

        use(data["interface"])
    return data


def about_data(info: Mapping[str, Any]) -> Any:
    """A short list of how the participant's file was read and what was assumed."""
    if not info.get("label"):
        return markdown("")
    lines = [f"- Your file **{info.get('label', '')}** was {info.get('reading', 'read')}."]
    if info.get("rows"):
        lines.append(f"- It holds {int(info['rows']):,} rows.")
    for note in info.get("notes", []):
        lines.append(f"- {note}")
    return markdown("**How your data was read**\n\n" + "\n".join(lines))


def illustration_table(case: str, figures: Figures, synthetic: Iterable[str]) -> pd.DataFrame:
    """The figures computed from generated data, labelled, as a table."""
    generated = set(synthetic)
    return figure_table(case, {k: v for k, v in figures.items() if k in generated})


def markdown(text: str) -> Any:
    """Show ``text`` as Markdown (a sentence the notebook worked out)."""
    from IPython.display import Markdown

    return Markdown(text)
