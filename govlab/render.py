"""The one way user text becomes HTML: Markdown, then an allow-list sanitiser.

Titles, descriptions, comments and citizen feedback are stored exactly as given
(they may hold HTML or script). They reach a page only through these functions:
Markdown is rendered with markdown-it-py (raw HTML passes through to the
sanitiser, which is the single gatekeeper), then nh3 keeps only the tags,
attributes and URL schemes listed here. No ``style``, no event handlers, no
``javascript:`` or ``data:`` URLs survive.

Images load only from the hosts a facilitator allows (the library's ``image_hosts``
setting): a picture from anywhere else would tell its host who read the page and when
(a tracking pixel), so its ``src`` is dropped and its alternative text stays.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
        "tbody", "td", "th", "thead", "tr", "ul", "img",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# tags whose content is dropped with them, not shown as text
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # commonmark with tables and strikethrough; raw HTML is allowed through to nh3 on purpose
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def sanitize(fragment: str, *, image_hosts: Iterable[str] = ()) -> str:
    """Keep only allow-listed HTML; links get ``rel="noopener noreferrer nofollow"``.

    An image keeps its ``src`` only if it is on one of ``image_hosts``.
    """
    import nh3

    hosts = frozenset(host.lower() for host in image_hosts)

    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src" and not _on_hosts(value, hosts):
            return None
        return value

    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=keep,
    )


def _on_hosts(url: str, hosts: frozenset[str]) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and (parts.hostname or "") in hosts


def render_markdown(text: str | None, *, image_hosts: Iterable[str] = ()) -> str:
    """User Markdown to safe HTML (images only from ``image_hosts``)."""
    if not text:
        return ""
    return sanitize(_markdown().render(text), image_hosts=image_hosts)


def render_text(text: str | None) -> str:
    """User plain text (a title, a name) to safe HTML: escaped, never interpreted."""
    return html.escape(text or "", quote=True)


def render_inline(text: str | None) -> str:
    """A one-line Markdown snippet (no surrounding paragraph) to safe HTML."""
    if not text:
        return ""
    return sanitize(_markdown().renderInline(text))  # no image loads: no hosts allowed
