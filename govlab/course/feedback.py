"""Feedback for learners, proven free of hidden tests before it is handed back."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govlab.course.course import Course, nbgrader_environment, nbgrader_ok, quiet_logger
from govlab.course.hidden import find_leaks, notebook_hidden_lines
from govlab.errors import Conflict, NotFound


@dataclass(frozen=True)
class FeedbackResult:
    """The feedback of one assignment: its files, what was scanned, whether it was handed back."""

    assignment: str
    files: list[Path] = field(default_factory=list)
    hidden_lines: int = 0
    released: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values."""
        return {
            "assignment": self.assignment,
            "files": [str(p) for p in self.files],
            "hidden_lines": self.hidden_lines,
            "released": self.released,
        }


def feedback(
    course: Course, assignment: str | None = None, *, release: bool = True
) -> list[FeedbackResult]:
    """Nbgrader's ``generate_feedback`` without hidden tests, a scan, then ``release_feedback``.

    Every feedback file (and every copy handed back through the exchange) is read
    and searched for every hidden-test line of the source notebooks.

    Raises
    ------
    Conflict
        A feedback file holds a hidden test: it is deleted, nothing is handed back,
        and the message names the file and the line.
    NotFound
        Nothing is graded yet for the assignment.
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from govlab.course.preprocessors import HideHiddenTests

    pipeline = {"preprocessors": [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]}
    course = dataclasses.replace(
        course, overrides={**course.overrides, "GenerateFeedback": pipeline}
    )
    log = quiet_logger("feedback", course.root / "logs" / "feedback.log")
    results = []
    with nbgrader_environment():
        api = course.api(log)
        for name in _graded(course, assignment):
            hidden: set[str] = set()
            for path in course.notebooks(name):
                hidden |= notebook_hidden_lines(path)
            nbgrader_ok(api.generate_feedback(name, force=True), f"feedback for {name}")
            files = sorted(course.folder("feedback").glob(f"*/{name}/*.html"))
            prove_no_hidden(files, hidden)
            released = False
            if release:
                nbgrader_ok(api.release_feedback(name), f"handing back {name}")
                prove_no_hidden(_exchange_feedback(course), hidden)
                released = True
            results.append(FeedbackResult(name, files, len(hidden), released))
    return results


def _graded(course: Course, assignment: str | None) -> list[str]:
    autograded = course.folder("autograded")
    names = [
        name
        for name in course.pick(assignment)
        if autograded.is_dir() and any(autograded.glob(f"*/{name}/*.ipynb"))
    ]
    if not names:
        raise NotFound(
            f"nothing graded yet{' for ' + assignment if assignment else ''}: "
            "run `govlab course autograde` first"
        )
    return names


def _exchange_feedback(course: Course) -> list[Path]:
    cfg = course.config()
    folder = Path(cfg.Exchange.root) / cfg.CourseDirectory.course_id / "feedback"
    return sorted(folder.glob("*.html")) if folder.is_dir() else []


def prove_no_hidden(files: list[Path], hidden: set[str]) -> None:
    """Raise Conflict (and delete the file) if any file holds a hidden-test line."""
    for path in files:
        leaks = find_leaks(path.read_text(encoding="utf-8", errors="replace"), hidden)
        if leaks:
            path.unlink()
            raise Conflict(
                f"{path}: holds a hidden test ({leaks[0]!r}); the file was deleted and no "
                "feedback was handed back"
            )
