"""The errors govlab raises for a user's mistake: each carries a plain message.

Faces (the CLI, widgets, notebooks) show ``str(error)`` and never a traceback.
"""

from __future__ import annotations


class GovlabError(Exception):
    """Base of every error meant for the person at the keyboard."""


class InvalidInput(GovlabError):
    """The input is wrong: the message names the file, row and field where there are some."""


class NotFound(GovlabError):
    """No such practice, member, comment or case study."""


class PermissionDenied(GovlabError):
    """The member's role does not allow the action."""


class Conflict(GovlabError):
    """The action clashes with what is stored (a duplicate id, an illegal transition)."""


def located(
    message: str, *, file: object = None, row: int | None = None, field: str | None = None
) -> str:
    """Prefix a message with where it happened: ``data.csv, row 4, column 'year': ...``."""
    where = []
    if file is not None:
        where.append(str(file))
    if row is not None:
        where.append(f"row {row}")
    if field:
        where.append(f"column {field!r}")
    return f"{', '.join(where)}: {message}" if where else message


class Busy(GovlabError):
    """The library is held by another process for longer than govlab waits."""
