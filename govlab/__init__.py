"""govlab: a Jupyter-based community of practice for public servants.

``import govlab`` stays light: storage, analysis and widgets are imported when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govlab.errors import Busy, Conflict, GovlabError, InvalidInput, NotFound, PermissionDenied

__version__ = "0.1.0"

__all__ = [
    "Busy",
    "Conflict",
    "GovlabError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "__version__",
    "open_library",
]

if TYPE_CHECKING:
    from govlab.community.session import Library


def open_library(db: str | None = None, user: str | None = None, **options: Any) -> Library:
    """Open the practice library as a member (see :func:`govlab.community.session.open_library`).

    ``db="hub"``, a ``https://.../services/govlab/`` URL, or no ``db`` on a hub that sets
    ``$GOVLAB_SERVICE_URL`` open it through the govlab service instead (see
    :func:`govlab.service.client.connect`): the same methods, no database credentials.
    """
    from govlab.service.target import service_target

    target = service_target(db)
    if target is not None:
        from govlab.service.client import connect

        return connect(target, user=user, **options)
    from govlab.community.session import open_library as _open

    return _open(db=db, user=user, **options)
