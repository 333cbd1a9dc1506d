"""govlab's widgets: the same components in JupyterLab and in the Voila apps.

    >>> from govlab.widgets import PracticeBrowser
    >>> PracticeBrowser()                       # search, filter, open, rate, discuss

``import govlab.widgets`` loads no ipywidgets: each component is imported when it is
first used, so that a kernel that never shows one stays small.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> the module that defines it
_EXPORTS = {
    "PracticeBrowser": "govlab.widgets.browser",
    "PracticeDetail": "govlab.widgets.detail",
    "ContributionForm": "govlab.widgets.form",
    "ReviewDesk": "govlab.widgets.review",
    "CaseStudyExplorer": "govlab.widgets.explorer",
    "TransparencyDashboard": "govlab.widgets.dashboard",
    "FeedbackForum": "govlab.widgets.feedback",
    "Leaderboard": "govlab.widgets.leaderboard",
    "EventCalendar": "govlab.widgets.leaderboard",
    "CardList": "govlab.widgets.cards",
    "StarRating": "govlab.widgets.cards",
    "FacetList": "govlab.widgets.cards",
    "SearchBox": "govlab.widgets.cards",
    "BrowserState": "govlab.widgets.state",
}

__all__ = [
    "BrowserState",
    "CardList",
    "CaseStudyExplorer",
    "ContributionForm",
    "EventCalendar",
    "FacetList",
    "FeedbackForum",
    "Leaderboard",
    "PracticeBrowser",
    "PracticeDetail",
    "ReviewDesk",
    "SearchBox",
    "StarRating",
    "TransparencyDashboard",
]

if TYPE_CHECKING:
    from govlab.widgets.browser import PracticeBrowser
    from govlab.widgets.cards import CardList, FacetList, SearchBox, StarRating
    from govlab.widgets.dashboard import TransparencyDashboard
    from govlab.widgets.detail import PracticeDetail
    from govlab.widgets.explorer import CaseStudyExplorer
    from govlab.widgets.feedback import FeedbackForum
    from govlab.widgets.form import ContributionForm
    from govlab.widgets.leaderboard import EventCalendar, Leaderboard
    from govlab.widgets.review import ReviewDesk
    from govlab.widgets.state import BrowserState


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'govlab.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
