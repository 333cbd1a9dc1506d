"""A widget from govlab.widgets works through the service exactly as on a local library.

The same participant, in both worlds of the ``pair`` fixture (a local session, and the
client of a running ``govlab serve``), uses the practice browser as a person would:
types, opens a practice, rates it, tries to rate their own, comments. What the widget
shows and what the library then holds must be the same in both worlds.
"""

from __future__ import annotations

from typing import Any

import pytest

from govlab.widgets import PracticeBrowser

pytestmark = pytest.mark.postgres


def _session(world: Any, tag: str) -> list[Any]:
    """What the browser shows at each step, clock-free."""
    world.as_("lead").import_practices(
        [
            {"id": f"{tag}-bus", "title": f"Night buses {tag}", "status": "published",
             "author": "cy", "topics": ["transit"], "country": "GB", "level": "local"},
            {"id": f"{tag}-lanes", "title": f"Bus lanes {tag}", "status": "published",
             "author": "ana", "topics": ["transit"], "country": "US", "level": "local"},
        ],
        why="test setup",
    )  # fmt: skip
    ana = world.as_("ana")
    browser = PracticeBrowser(ana)
    seen: list[Any] = []
    browser.search.value = f"night {tag}"
    seen.append(sorted(c["title"] for c in browser.cards.cards))
    browser.search.value = f"bus {tag}"
    seen.append((browser.cards.total, browser.cards.summary))
    browser.open_practice(f"{tag}-bus")
    seen.append(f"Night buses {tag}" in browser.detail.body.value)
    browser.detail.stars.value = 4
    seen.append((browser.detail.stars.count, browser.detail.rating_notice.text))
    browser.open_practice(f"{tag}-lanes")  # ana's own
    browser.detail.stars.value = 5
    seen.append((browser.detail.rating_notice.kind, browser.detail.rating_notice.text))
    seen.append((ana.ratings(f"{tag}-bus").mine, ana.ratings(f"{tag}-lanes").count))
    return seen


def test_the_practice_browser_behaves_the_same_through_the_service(pair: Any, tag: str) -> None:
    local, remote = (_session(world, tag) for world in pair)
    assert remote == local
    assert remote[0] == [f"Night buses {tag}"]
    assert remote[1][0] == 2
    assert remote[2] is True
    assert remote[3][0] == 1 and "4 stars" in remote[3][1]
    assert remote[4][0] == "error" and "No one can rate their own practice" in remote[4][1]
    assert remote[5] == (4, 0)
