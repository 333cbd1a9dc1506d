"""The anywidgets: views that plain ipywidgets would build from hundreds of widgets.

Each ships its JavaScript and CSS as package files (``static/``), so it works offline
in JupyterLab and in Voila. The JavaScript sets text with ``textContent``; the one
piece of HTML a card carries (``summary_html``) comes from :mod:`govlab.render`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

STATIC = Path(__file__).resolve().parent / "static"
CSS = STATIC / "govlab.css"


class CardList(anywidget.AnyWidget):
    """One page of result cards, a pager and the card someone opened.

    ``cards`` holds plain dicts: ``id``, ``title``, ``meta`` (short facts, joined with
    dots), ``summary_html`` (sanitised HTML), ``stars`` and ``ratings`` (or ``unrated``,
    a text to show instead), ``chips`` (small labels). Opening a card sets
    ``selected`` to its id; with ``link_param`` the page's address names it too
    (``?practice=ID``), and such an address opens it on load.
    """

    _esm = STATIC / "cards.js"
    _css = CSS
    cards = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    total = traitlets.Int(0).tag(sync=True)
    page = traitlets.Int(1).tag(sync=True)
    pages = traitlets.Int(1).tag(sync=True)
    label = traitlets.Unicode("Results").tag(sync=True)
    heading = traitlets.Unicode("").tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    empty = traitlets.Unicode("Nothing to show.").tag(sync=True)
    link_param = traitlets.Unicode("").tag(sync=True)


class StarRating(anywidget.AnyWidget):
    """Five star buttons (``value`` 1-5, 0 for none yet) and the average beside them."""

    _esm = STATIC / "stars.js"
    _css = CSS
    value = traitlets.Int(0).tag(sync=True)
    average = traitlets.Float(None, allow_none=True).tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    label = traitlets.Unicode("Your rating").tag(sync=True)


class FacetList(anywidget.AnyWidget):
    """Checkbox groups with counts: ``facets`` in, ``selected`` (facet -> values) out.

    ``facets`` is a list of ``{"name", "label", "values": [{"value", "label",
    "count"}]}``; each group shows its first ``shown`` values and a button for the rest.
    """

    _esm = STATIC / "facets.js"
    _css = CSS
    facets = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected = traitlets.Dict(value_trait=traitlets.List(traitlets.Unicode())).tag(sync=True)
    label = traitlets.Unicode("Filter").tag(sync=True)
    shown = traitlets.Int(6).tag(sync=True)
    counts = traitlets.Bool(True).tag(sync=True)
    clear_label = traitlets.Unicode("Clear all filters").tag(sync=True)


class SearchBox(anywidget.AnyWidget):
    """A labelled search field that sends ``value`` once typing pauses for ``debounce_ms``."""

    _esm = STATIC / "searchbox.js"
    _css = CSS
    value = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("Search").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    debounce_ms = traitlets.Int(120).tag(sync=True)


class Notice(anywidget.AnyWidget):
    """A live region saying what happened: ``kind`` is info, ok or error.

    Every component has one, so it also brings govlab's stylesheet to the page.
    """

    _esm = STATIC / "notice.js"
    _css = CSS
    text = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Unicode("info").tag(sync=True)

    def show(self, text: str, kind: str = "info") -> None:
        """Say ``text`` (``kind``: info, ok or error)."""
        self.kind = kind
        self.text = text

    def clear(self) -> None:
        """Say nothing."""
        self.text = ""


def facet_groups(
    counts: dict[str, dict[str, int]], labels: dict[str, str], names: dict[str, Any]
) -> list[dict[str, Any]]:
    """FacetList's ``facets`` from a search's facet counts, in the order of ``labels``.

    ``names`` maps a facet to a function giving a value's label (a country's name).
    """
    groups = []
    for facet, label in labels.items():
        name_of = names.get(facet, str)
        values = [
            {"value": value, "label": name_of(value), "count": count}
            for value, count in counts.get(facet, {}).items()
        ]
        groups.append({"name": facet, "label": label, "values": values})
    return groups
