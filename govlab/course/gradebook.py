"""Read scores out of nbgrader's gradebook (read only: nbgrader alone writes it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govlab.course.course import Course, nbgrader_environment

if TYPE_CHECKING:
    import pandas as pd

#: Columns of :func:`grades`, one row per learner and graded cell.
GRADE_COLUMNS = [
    "student",
    "assignment",
    "notebook",
    "cell",
    "kind",
    "auto_score",
    "manual_score",
    "score",
    "max_score",
    "needs_manual_grade",
]


def _open(course: Course) -> Any:
    from nbgrader.api import Gradebook

    return Gradebook(course.db_url, course.config().CourseDirectory.get("course_id", ""))


def submission_totals(course: Course, assignment: str) -> dict[str, tuple[float, float]]:
    """``{student: (score, max_score)}`` for every submission of an assignment."""
    from nbgrader.api import MissingEntry

    with nbgrader_environment(), _open(course) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return {}
        return {
            s.student_id: (float(s.score), float(s.max_score))
            for s in gb.assignment_submissions(assignment)
        }


def grades(course: Course, assignment: str | None = None) -> pd.DataFrame:
    """Every grade in the gradebook, one row per learner and graded cell.

    ``kind`` is ``"tests"`` for an autograded test cell and ``"manual"`` for an
    answer a facilitator grades. ``auto_score`` is None where the autograder has no
    score (a submission that crashed, or a manually graded answer); ``score`` follows
    nbgrader: the manual score if set, else the automatic one, else 0.

    Parameters
    ----------
    course
        The course.
    assignment
        Only this assignment (default: all).
    """
    import pandas as pd

    rows: list[dict[str, Any]] = []
    with nbgrader_environment(), _open(course) as gb:
        names = [assignment] if assignment else [a.name for a in gb.assignments]
        for name in names:
            if name not in {a.name for a in gb.assignments}:
                continue
            for submission in gb.assignment_submissions(name):
                for notebook in submission.notebooks:
                    rows.extend(_rows(submission, notebook))
    frame = pd.DataFrame(rows, columns=GRADE_COLUMNS)
    return frame.sort_values(
        ["assignment", "student", "notebook", "cell"], kind="stable"
    ).reset_index(drop=True)


def _rows(submission: Any, notebook: Any) -> list[dict[str, Any]]:
    rows = []
    for grade in notebook.grades:
        rows.append(
            {
                "student": submission.student_id,
                "assignment": submission.assignment.name,
                "notebook": notebook.name,
                "cell": grade.name,
                "kind": "tests"
                if grade.cell.cell_type == "code" and not _is_solution(grade)
                else "manual",
                "auto_score": grade.auto_score,
                "manual_score": grade.manual_score,
                "score": float(grade.score),
                "max_score": float(grade.max_score),
                "needs_manual_grade": bool(grade.needs_manual_grade),
            }
        )
    return rows


def _is_solution(grade: Any) -> bool:
    """A grade cell that is also a solution cell is graded by hand (nbgrader's rule)."""
    notebook = grade.cell.notebook
    return any(cell.name == grade.name for cell in notebook.solution_cells)
