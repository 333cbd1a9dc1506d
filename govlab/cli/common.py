"""Options and output shared by every command."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from govlab.text import for_terminal

if TYPE_CHECKING:
    from govlab.community.session import Library

Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL or SQLite file (default: $GOVLAB_DB_URL or the embedded library).",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def emit(data: Any, as_json: bool, text: Callable[[Any], str] | None = None) -> None:
    """Print ``data`` as JSON, or as the human text ``text(data)`` gives."""
    if as_json:  # JSON escapes control characters itself
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:  # stored text never drives the terminal: escape sequences are shown, not run
        typer.echo(for_terminal(text(data) if text else str(data)))


@contextmanager
def session(db: str | None, *, seed: bool = True) -> Iterator[Library]:
    """The library opened as the current member, closed again when the command is done."""
    import govlab

    with govlab.open_library(db=db, seed=seed) as library:
        yield library
