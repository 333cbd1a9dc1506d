"""Helpers for govlab's own tests, benchmarks and demos: real servers and small communities.

``Clock`` and ``Community`` (from :mod:`govlab.testing.community`) are imported lazily:
``import govlab.testing`` loads no database code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govlab.testing.community import Clock, Community

__all__ = ["Clock", "Community"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from govlab.testing import community

        return getattr(community, name)
    raise AttributeError(f"module 'govlab.testing' has no attribute {name!r}")
