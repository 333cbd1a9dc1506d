"""Grades files that Canvas and Moodle import, in the columns each documents.

Canvas (Grades > Import, "Import a CSV file of grades"): the columns of its own
gradebook export, ``Student, ID, SIS User ID, SIS Login ID, Section``, then one
column per assignment, with an optional second row ``Points Possible``. Canvas
matches learners on ``ID`` (its user id, nbgrader's ``lms_user_id``) or on the
SIS columns; here ``SIS Login ID`` is the learner's nbgrader id (their hub login).

Moodle (Grades > Import > CSV file): the columns of its grade export, ``First name,
Last name, ID number, Institution, Department, Email address``, then one column
per grade item; on import, map ``ID number`` to ``useridnumber`` (or ``Email
address`` to ``useremail``) and each assignment column to a grade item.

Names, e-mail addresses and LMS ids come from nbgrader's student table (``nbgrader
db student import students.csv``); where it has none, the nbgrader id stands in.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from govlab.course.course import Course, nbgrader_environment
from govlab.course.gradebook import grades
from govlab.errors import InvalidInput, NotFound

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = [
    "First name",
    "Last name",
    "ID number",
    "Institution",
    "Department",
    "Email address",
]
LMS = ("canvas", "moodle")


def export_lms(
    course: Course, lms: str, *, out: Path | None = None, assignment: str | None = None
) -> dict[str, Any]:
    """Write the course's grades as a CSV file ``lms`` imports.

    Parameters
    ----------
    course
        The course.
    lms
        ``"canvas"`` or ``"moodle"``.
    out
        The file (default: ``reports/grades-LMS.csv`` in the course).
    assignment
        Only this assignment (default: every graded one).

    Returns
    -------
    dict
        ``lms``, ``file``, ``rows``, ``assignments`` and ``to_grade_by_hand`` (learners
        with answers not yet graded by hand: their score counts those answers as 0).
    """
    if lms not in LMS:
        raise InvalidInput(f"--lms must be canvas or moodle, not {lms!r}")
    table = grades(course, assignment)
    if table.empty:
        raise NotFound("no grades yet: run `govlab course autograde` first")
    names = list(dict.fromkeys(table["assignment"]))
    scores = table.groupby(["student", "assignment"])["score"].sum().unstack().fillna(0.0)
    maxima = table.groupby(["assignment", "student"])["max_score"].sum().groupby("assignment").max()
    people = _students(course)
    path = out or course.root / "reports" / f"grades-{lms}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    section = str(course.config().CourseDirectory.get("course_id", course.root.name))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if lms == "canvas":
            writer.writerow([*CANVAS_COLUMNS, *names])
            writer.writerow(["Points Possible", "", "", "", "", *(_num(maxima[n]) for n in names)])
        else:
            writer.writerow([*MOODLE_COLUMNS, *names])
        for student in scores.index:
            person = people.get(student, {})
            marks = [_num(scores.loc[student, n]) for n in names]
            writer.writerow([*_identity(lms, student, person, section), *marks])
    pending = table[table["needs_manual_grade"]]["student"].nunique()
    return {
        "lms": lms,
        "file": str(path),
        "rows": len(scores),
        "assignments": names,
        "to_grade_by_hand": int(pending),
    }


def _identity(lms: str, student: str, person: dict[str, Any], section: str) -> list[str]:
    first, last = person.get("first_name") or "", person.get("last_name") or ""
    if lms == "canvas":
        name = f"{last}, {first}" if first and last else student
        return [name, person.get("lms_user_id") or "", "", student, section]
    return [first or student, last, student, "", "", person.get("email") or ""]


def _num(value: float) -> str:
    return f"{float(value):g}"


def _students(course: Course) -> dict[str, dict[str, Any]]:
    from nbgrader.api import Gradebook

    with nbgrader_environment(), Gradebook(course.db_url) as gb:
        return {s.id: s.to_dict() for s in gb.students}
