"""Whether ``govlab.open_library(db)`` means the govlab service, and where it is.

Kept free of heavy imports: ``govlab.open_library`` asks it on every call.
"""

from __future__ import annotations

import os

from govlab.errors import InvalidInput

SERVICE_URL = "GOVLAB_SERVICE_URL"  # set for every user server by the hub's configuration


def service_target(db: str | None) -> str | None:
    """``"hub"`` or the service URL if ``db`` names the service, else None (a database).

    ``db`` names the service when it is ``"hub"`` or an ``http(s)://`` URL, or when it
    is not given, ``$GOVLAB_DB_URL`` is not set and ``$GOVLAB_SERVICE_URL`` is.
    """
    if db is not None:
        value = db.strip()
        return value if value == "hub" or value.startswith(("http://", "https://")) else None
    if os.environ.get(SERVICE_URL) and not os.environ.get("GOVLAB_DB_URL"):
        return "hub"
    return None


def service_url(target: str) -> str:
    """The service's base URL (ending in ``/``) for ``"hub"`` or a URL."""
    url = os.environ.get(SERVICE_URL, "") if target == "hub" else target
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(
            'open_library("hub"): this server does not say where the govlab service is '
            f"(${SERVICE_URL} is not set; the hub's configuration sets it for every user "
            "server, see deploy/jupyterhub_config.py)."
        )
    return url.rstrip("/") + "/"
