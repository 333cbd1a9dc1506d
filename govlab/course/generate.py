"""Release an assignment, and prove that no release copy carries a solution or a hidden test."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govlab.course.course import Course, nbgrader_environment, nbgrader_ok, quiet_logger
from govlab.course.hidden import find_leaks, hidden_lines, normalise, solution_lines
from govlab.errors import Conflict

_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


@dataclass(frozen=True)
class GenerateResult:
    """One assignment generated (and released): where its copies are, what was checked."""

    assignment: str
    notebooks: list[str]
    release: Path
    exchange: Path | None
    checked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values."""
        return {
            "assignment": self.assignment,
            "notebooks": self.notebooks,
            "release": str(self.release),
            "exchange": str(self.exchange) if self.exchange else None,
            "checked": self.checked,
        }


def generate(
    course: Course, assignment: str | None = None, *, release: bool = True
) -> list[GenerateResult]:
    """Nbgrader's ``generate_assignment`` (and ``release_assignment``), then a proof.

    Every release copy, and every copy in the exchange, is read back: no cell may
    hold a solution or hidden-test marker, a line of a model answer or of a hidden
    test, or an output.

    Parameters
    ----------
    course
        The course.
    assignment
        One assignment (default: every assignment in ``source/``).
    release
        Also copy the release into the exchange, where learners fetch it.

    Raises
    ------
    Conflict
        A copy carries a solution or a hidden test: the message names the file and
        cell, and the copy is not released to learners.
    """
    results = []
    log = quiet_logger("generate", course.root / "logs" / "generate.log")
    with nbgrader_environment():
        api = course.api(log)
        for name in course.pick(assignment):
            outcome = api.generate_assignment(name, force=True, create=True)
            nbgrader_ok(outcome, f"nbgrader could not generate {name}")
            folder = course.folder("release") / name
            checked = prove_clean(course, name, sorted(folder.glob("*.ipynb")))
            outbound = None
            if release:
                api.config.ReleaseAssignment.force = True
                outcome = api.release_assignment(name)
                nbgrader_ok(outcome, f"nbgrader could not release {name}")
                outbound = _outbound(course, name)
                checked += prove_clean(course, name, sorted(outbound.glob("*.ipynb")))
            results.append(
                GenerateResult(
                    name, [p.stem for p in course.notebooks(name)], folder, outbound, checked
                )
            )
    return results


def _outbound(course: Course, assignment: str) -> Path:
    """Where nbgrader's exchange keeps a released assignment (``ROOT/COURSE/outbound/NAME``)."""
    cfg = course.config()
    return (
        Path(str(cfg.Exchange.root)) / str(cfg.CourseDirectory.course_id) / "outbound" / assignment
    )


def notebook_text(notebook: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """``(cell id, text)`` of every cell: its source and the text of its outputs."""
    for index, cell in enumerate(notebook.get("cells", [])):
        name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
        source = cell.get("source", "")
        parts = ["".join(source) if isinstance(source, list) else str(source)]
        for output in cell.get("outputs", []):
            parts.append(json.dumps(output, ensure_ascii=False))
        yield name, "\n".join(parts)


def prove_clean(course: Course, assignment: str, copies: list[Path]) -> list[str]:
    """Check learners' copies of an assignment; the files checked, or Conflict."""
    checked = []
    for copy in copies:
        source = course.folder("source") / assignment / copy.name
        if not source.is_file():
            continue
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        secrets = {"a hidden test": hidden_lines(cells), "a model answer": solution_lines(cells)}
        released = json.loads(copy.read_text(encoding="utf-8"))
        for cell_name, text in notebook_text(released):
            problem = _problem(text, secrets)
            if problem:
                raise Conflict(f"{copy}, cell {cell_name}: {problem}; it must not reach learners")
        if any(cell.get("outputs") for cell in released.get("cells", [])):
            raise Conflict(f"{copy}: a cell has outputs; release copies must be cleared")
        checked.append(str(copy))
    return checked


def _problem(text: str, secrets: Mapping[str, set[str]]) -> str | None:
    flat = normalise(text)
    for marker in _MARKERS:
        if marker in flat:
            return f"holds the marker {marker!r}"
    for what, lines in secrets.items():
        leaks = find_leaks(flat, lines)
        if leaks:
            return f"holds {what}: {leaks[0]!r}"
    return None
