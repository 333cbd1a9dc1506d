"""The standalone HTML report of an executed case notebook: no code, charts that work offline.

The report is nbconvert's ``lab`` template without its three CDN scripts
(require.js, MathJax, Mermaid): the case notebooks need none of them, and
plotly.js travels inside the first chart's output, so the file opens with the
network off.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
main { max-width: 1100px; margin: 0 auto; }
.jp-RenderedHTMLCommon table { font-size: 0.9em; }
</style>
{%- endblock extra_css -%}
"""

_TEMPLATE_NAME = "govlab_report.html.j2"

# A script or stylesheet fetched from the network: <script src="https://...">,
# <script src="//cdn...">, <link href="http...">, or an ES module import of a URL.
_REMOTE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//"
    r"|\bimport\s*\(?\s*[\"'](?:https?:)?//",
    re.IGNORECASE,
)

# Outputs a manager does not need in the report (warnings go to stderr).
_DROP_TAGS = {"parameters", "injected-parameters", "remove"}


def remote_resources(html: str) -> list[str]:
    """The places in ``html`` that would fetch a script or stylesheet from the network."""
    return [html[m.start() : m.start() + 120] for m in _REMOTE.finditer(html)]


def export_html(notebook: Path, html: Path, *, title: str) -> Path:
    """Write ``html``: the executed ``notebook`` without code cells, prompts or warnings.

    Parameters
    ----------
    notebook
        An executed notebook (``.ipynb``).
    html
        Where to write the report.
    title
        The page title.

    Returns
    -------
    pathlib.Path
        ``html``.

    Raises
    ------
    RuntimeError
        The page would load a script from the network (a bug in a case notebook).
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    _tidy(nb)
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    remote = remote_resources(body)
    if remote:
        raise RuntimeError(f"the report would load from the network: {remote[0]!r}")
    html.write_text(body, encoding="utf-8")
    return html


def _tidy(nb: Any) -> None:
    """Drop parameter cells, tagged cells and stderr output (warnings) from ``nb``."""
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _DROP_TAGS:
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        kept.append(cell)
    nb.cells = kept
