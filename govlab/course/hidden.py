"""Hidden tests: find their text, keep it out of feedback, and prove it is not there.

A hidden test is the code between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN
TESTS`` in a test cell of a source notebook. nbgrader removes it from the release
copy but puts it back to grade, so the graded notebook, its error messages and
anything a learner's code printed about it can carry it into feedback (nbgrader
issues #917 and #1363). :class:`HideHiddenTests` removes it from feedback and
:func:`find_leaks` proves, file by file, that none of it is left.

A hidden line counts when it has at least :data:`MIN_CHARS` characters other than
spaces and does not also appear, as a whole line, in the part a learner can see.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
#: Shorter hidden lines (``else:``, ``)``) are too common to prove anything.
MIN_CHARS = 8
HIDDEN_NOTE = "[a hidden test: not shown]"
HIDDEN_ERROR = "A hidden test failed ({name}). Hidden tests are not shown; check your answer."

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text without ANSI colours, HTML tags or entities, with runs of spaces as one."""
    text = _ANSI.sub("", text)
    text = html.unescape(_TAG.sub("", text))
    return _SPACE.sub(" ", text).strip()


def split_hidden(source: str, begin: str = BEGIN, end: str = END) -> tuple[list[str], list[str]]:
    """The visible and the hidden lines of a cell's source (delimiter lines in neither)."""
    visible: list[str] = []
    hidden: list[str] = []
    inside = False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return visible, hidden


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def hidden_lines(cells: Iterable[Mapping[str, Any]]) -> set[str]:
    """The normalised hidden-test lines of some cells that a learner cannot see elsewhere."""
    return _secret(cells, BEGIN, END, whole_markdown=False)


def solution_lines(cells: Iterable[Mapping[str, Any]]) -> set[str]:
    """The normalised lines of the model answers (a marked region, or a whole written answer)."""
    return _secret(cells, "BEGIN SOLUTION", "END SOLUTION", whole_markdown=True)


def _secret(
    cells: Iterable[Mapping[str, Any]], begin: str, end: str, *, whole_markdown: bool
) -> set[str]:
    visible: set[str] = set()
    secret: set[str] = set()
    for cell in cells:
        source = _source(cell)
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if whole_markdown and nbgrader.get("solution") and begin not in source:
            if cell.get("cell_type") == "markdown":
                secret.update(normalise(line) for line in source.splitlines())
            continue
        shown, hidden = split_hidden(source, begin, end)
        visible.update(normalise(line) for line in shown)
        secret.update(normalise(line) for line in hidden)
    return {line for line in secret - visible if len(line.replace(" ", "")) >= MIN_CHARS}


def notebook_hidden_lines(path: Path) -> set[str]:
    """:func:`hidden_lines` of a notebook file (a source notebook)."""
    import json

    cells: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return hidden_lines(cells)


def find_leaks(text: str, hidden: Iterable[str]) -> list[str]:
    """The hidden lines found in ``text`` (HTML, a notebook's JSON, terminal output)."""
    flat = normalise(text)
    return sorted(line for line in hidden if line in flat)


def _output_text(output: Mapping[str, Any]) -> str:
    parts: list[str] = []
    if output.get("output_type") == "error":
        parts += [str(output.get("ename", "")), str(output.get("evalue", ""))]
        parts += [str(line) for line in output.get("traceback", [])]
    elif output.get("output_type") == "stream":
        parts.append(str(output.get("text", "")))
    else:
        for value in output.get("data", {}).values():
            parts.append(value if isinstance(value, str) else "".join(map(str, value)))
    return "\n".join(parts)


def redact_cell(cell: Any, hidden: set[str]) -> bool:
    """Remove hidden tests from a cell's source and outputs, in place; True if any was there.

    An error whose text holds a hidden line becomes a plain message naming only the
    error's type; any other output holding a hidden line loses that output.
    """
    changed = False
    source = _source(cell)
    if BEGIN in source:
        shown, _ = split_hidden(source)
        cell["source"] = "\n".join(shown).rstrip() + f"\n# {HIDDEN_NOTE}"
        changed = True
    outputs = cell.get("outputs", [])
    for index, output in enumerate(list(outputs)):
        if not find_leaks(_output_text(output), hidden):
            continue
        changed = True
        if output.get("output_type") == "error":
            name = str(output.get("ename", "Error"))
            message = HIDDEN_ERROR.format(name=name)
            outputs[index] = type(output)(
                output_type="error", ename=name, evalue=message, traceback=[f"{name}: {message}"]
            )
        else:
            outputs[index] = type(output)(output_type="stream", name="stdout", text=HIDDEN_NOTE)
    return changed
