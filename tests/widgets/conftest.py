"""Headless widget tests: real sessions on a real SQLite library, widgets with a dummy comm.

Outside a kernel ipywidgets opens each widget on a ``comm.DummyComm``, so setting a
value or calling ``.click()`` runs the same Python a browser's message would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.testing.community import Clock, Community


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Community]:
    """A small community on a fresh SQLite library (ada is its admin)."""
    community = Community(f"sqlite:///{tmp_path / 'library.db'}", Clock())
    yield community
    community.close()


def live_widgets() -> int:
    """How many widgets are alive (not closed) in this process."""
    from ipywidgets.widgets.widget import _instances

    return len(_instances)


def texts(cards: list[dict[str, Any]]) -> list[str]:
    return [card["title"] for card in cards]


def elements(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
    """The elements an HTML fragment makes a browser build: (tag, attributes)."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str | None]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Collect().feed(fragment)
    return found


def assert_inert(fragment: str) -> None:
    """No script, no event handler, no javascript: URL survives in ``fragment``."""
    for tag, attrs in elements(fragment):
        assert tag not in ("script", "iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)


def values(data: object) -> list[float]:
    """A Plotly trace's numbers, whether listed or packed as a typed array (``bdata``)."""
    import base64

    import numpy as np

    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        return [float(v) for v in array]
    return [float(v) for v in data]  # type: ignore[attr-defined]
