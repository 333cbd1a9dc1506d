"""What every component shares: the member's session, a message line, and ``_act``.

A component never decides: it calls a session method through :meth:`Component._act`,
which shows a :class:`govlab.GovlabError` as a plain message in the page (and any
other failure as a short apology, with the details in the server's log).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as w

from govlab.errors import GovlabError
from govlab.widgets.cards import Notice
from govlab.widgets.serving import VISITOR_ENV

if TYPE_CHECKING:
    from govlab.community.session import Library

T = TypeVar("T")
log = logging.getLogger("govlab.widgets")
SORRY = (
    "Something went wrong on our side and nothing was changed. Please try again; "
    "if it keeps happening, tell the facilitator (the details are in the server's log)."
)


def open_session(library: Library | None = None) -> Library:
    """``library``, or the library opened as this kernel's member (a visitor in public mode)."""
    if library is not None:
        return library
    from govlab.community.session import open_library

    if os.environ.get(VISITOR_ENV) == "1":
        return open_library(visitor=True)
    return open_library(show_guidelines=False)


def is_visitor(library: Library) -> bool:
    """Whether the session is an anonymous visitor's (the public apps)."""
    return bool(library.is_visitor)


def box(children: list[w.Widget], *classes: str, kind: type[w.Box] = w.VBox) -> w.Box:
    """A box with govlab's CSS classes."""
    made = kind(children)
    for name in classes:
        made.add_class(name)
    return made


def html(value: str = "", *classes: str) -> w.HTML:
    """An HTML widget for fragments built by :mod:`govlab.widgets.views` (user text rendered)."""
    made = w.HTML(value)
    for name in classes:
        made.add_class(name)
    return made


def close_all(widget: w.Widget) -> None:
    """Close a widget, its children, and the layout and style widgets each one owns."""
    for child in getattr(widget, "children", ()):
        close_all(child)
    for part in ("layout", "style"):
        owned = getattr(widget, part, None)
        if isinstance(owned, w.Widget):
            owned.close()
    widget.close()


class Component(w.VBox):  # type: ignore[misc, unused-ignore]
    """A govlab component: a box with a message line, bound to one member's session."""

    def __init__(self, library: Library | None = None, **kwargs: Any) -> None:
        self.library = open_session(library)
        self.notice = Notice()
        self.notice.on_msg(self._on_front_end)
        self.last_error: str | None = None
        super().__init__(**kwargs)
        self.add_class("govlab")

    def refresh(self) -> None:
        """Read the library again (when the page shows the component; after an action)."""

    def _on_front_end(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "shown":
            self.refresh()

    def _act(
        self,
        fn: Callable[..., T],
        *args: Any,
        done: str = "",
        notice: Notice | None = None,
        **kwargs: Any,
    ) -> T | None:
        """Call ``fn(*args, **kwargs)``; show its refusal, or ``done`` when given, in the page.

        Returns what ``fn`` returned, or None when it failed (``last_error`` says why).
        A success without ``done`` leaves the message line as it was.
        """
        where = notice or self.notice
        try:
            result = fn(*args, **kwargs)
        except GovlabError as error:
            self.last_error = str(error)
            where.show(self.last_error, "error")
            return None
        except Exception:  # never a traceback in the page; the log keeps it
            log.exception("govlab widget action %s failed", getattr(fn, "__name__", fn))
            self.last_error = SORRY
            where.show(SORRY, "error")
            return None
        self.last_error = None
        if done:
            where.show(done, "ok")
        return result
