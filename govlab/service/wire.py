"""How errors travel between the service and its client: one table, used by both ends.

A :class:`govlab.GovlabError` raised by the session becomes an HTTP status and a JSON
body ``{"error": "PermissionDenied", "message": "..."}``; the client raises the same
class with the same message again.
"""

from __future__ import annotations

from typing import Any

from govlab.errors import Busy, Conflict, GovlabError, InvalidInput, NotFound, PermissionDenied

API = "/api/v1"
TOKEN_PREFIX = "govlab_"  # tokens the service issues itself (standalone mode)


class NotSignedIn(PermissionDenied):
    """The service does not know who is calling: no token, or one it does not accept."""


class ServiceError(GovlabError):
    """The service could not be reached, or failed on its side (not the caller's mistake)."""


# most specific first: NotSignedIn is a PermissionDenied
STATUS: dict[type[GovlabError], int] = {
    NotSignedIn: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 422,
    Busy: 503,  # the database was held too long: nothing was written, try again
    ServiceError: 500,
}
BY_NAME: dict[str, type[GovlabError]] = {kind.__name__: kind for kind in STATUS}
BY_STATUS: dict[int, type[GovlabError]] = {code: kind for kind, code in STATUS.items()}


def status_of(error: GovlabError) -> int:
    """The HTTP status for a govlab error (its nearest listed class)."""
    for kind, code in STATUS.items():
        if isinstance(error, kind):
            return code
    return 400


def error_body(error: GovlabError) -> dict[str, str]:
    """The JSON body for an error: the class the client raises, and the message."""
    name = next((kind.__name__ for kind in STATUS if isinstance(error, kind)), "GovlabError")
    return {"error": name, "message": str(error)}


def error_from(status: int, body: Any) -> GovlabError:
    """The error the client raises for a reply with ``status`` and JSON ``body``."""
    message = ""
    kind: type[GovlabError] | None = None
    if isinstance(body, dict):
        message = str(body.get("message") or body.get("detail") or "")
        kind = BY_NAME.get(str(body.get("error")))
    if kind is None:
        kind = BY_STATUS.get(status, ServiceError if status >= 500 else GovlabError)
    if not message:
        message = f"The govlab service answered {status} without saying why."
    return kind(message)


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "enum": [*BY_NAME, "GovlabError"]},
        "message": {"type": "string", "description": "a plain sentence for the person"},
    },
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "description": description,
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }
    for code, description in (
        (401, "No token, or one the service does not accept"),
        (403, "The member's role does not allow this (PermissionDenied)"),
        (404, "No such practice, member, comment ... (NotFound)"),
        (409, "Clashes with what is stored (Conflict)"),
        (422, "The arguments are wrong (InvalidInput)"),
        (503, "The library was busy for too long; nothing was changed (Busy)"),
    )
}
