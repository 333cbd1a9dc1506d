"""govlab's widgets: the same components in JupyterLab and in the Voila apps.

    >>> from govlab.widgets import PracticeBrowser
    >>> PracticeBrowser()                       # search, filter, open, rate, discuss

``import govlab.widgets`` loads no ipywidgets: each component is imported when it is
first used, so that a kernel that never shows one stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govlab.lazy import exports

# public name -> the module that defines it
_EXPORTS = {
    "PracticeBrowser": "browser",
    "PracticeDetail": "detail",
    "ContributionForm": "form",
    "ReviewDesk": "review",
    "CaseStudyExplorer": "explorer",
    "TransparencyDashboard": "dashboard",
    "FeedbackForum": "feedback",
    "Leaderboard": "leaderboard",
    "EventCalendar": "leaderboard",
    "CardList": "cards",
    "StarRating": "cards",
    "FacetList": "cards",
    "SearchBox": "cards",
    "BrowserState": "state",
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

__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())
