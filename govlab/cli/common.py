"""Options and output shared by every command."""

from __future__ import annotations

import json
import re
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
ACCEPT_COMMAND = "govlab guidelines --accept"


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

    with govlab.open_library(db=db, seed=seed, show_guidelines=False) as library:
        if library.joined_now:  # on stderr: stdout stays the command's answer (or its JSON)
            typer.echo(for_terminal(welcome_note(library)), err=True)
        yield library


def welcome_note(library: Library) -> str:
    """What a member who has not accepted the community guidelines reads in a shell.

    The guidelines in short and the command that accepts them (nothing once accepted).
    """
    if library.profile().guidelines_accepted is not None:
        return ""
    points = [f"  {head}: {rule}" for head, rule in guideline_points(library.guidelines())]
    return "\n".join(
        [
            f"Welcome to govlab, {library.member}. You joined as {_article(library.role)}.",
            "The community guidelines, in short:",
            *points,
            f"Read them in full with `govlab guidelines`; accept them with `{ACCEPT_COMMAND}`.",
        ]
    )


def guideline_points(text: str) -> list[tuple[str, str]]:
    """(heading, first rule) per section of the guidelines' Markdown: their short form."""
    points = []
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        bullets = re.findall(r"^- (.+?)(?=^- |\Z)", body, flags=re.MULTILINE | re.DOTALL)
        if bullets:
            first = re.split(r"(?<=[.!?])\s", " ".join(bullets[0].split()))[0]
            points.append((heading.strip(), first))
    return points


def _article(role: object) -> str:
    word = str(role)
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
