"""The report in numbers and words, and grade files that Canvas and Moodle import."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from .cases import ASSIGNMENTS, KINDS, MAX_AUTOGRADED, REFLECTION_POINTS
from .conftest import GradedClass, gradebook, run

pytestmark = [pytest.mark.xdist_group("course-class"), pytest.mark.slow]


@pytest.fixture(scope="module")
def report(graded_class: GradedClass) -> dict:
    out = graded_class.course / "reports"
    result = run(["govlab", "course", "report", "--course", str(graded_class.course), "--json"],
                 cwd=out.parent, env=graded_class.env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_report_writes_its_three_files(graded_class: GradedClass, report: dict) -> None:
    names = sorted(p.rsplit("/", 1)[1] for p in report["files"])
    assert names == ["grades.csv", "questions.csv", "summary.md"]
    grades = pd.read_csv(graded_class.course / "reports" / "grades.csv")
    assert sorted(grades["student"]) == sorted(KINDS)
    assert list(grades.columns) == [
        "student",
        *ASSIGNMENTS,
        "total",
        "max_total",
        "to_grade_by_hand",
    ]
    full = grades.set_index("student").loc["full"]
    assert full["ps1"] == MAX_AUTOGRADED["ps1"]  # the reflection is not graded yet: 0
    assert full["max_total"] == sum(MAX_AUTOGRADED.values()) + 5 * REFLECTION_POINTS
    assert full["to_grade_by_hand"] == 5  # one reflection per assignment


def test_question_difficulty_worked_out_by_hand(graded_class: GradedClass, report: dict) -> None:
    table = pd.DataFrame(report["questions"])
    q1 = table[(table["assignment"] == "ps1") & (table["question"] == 1)].iloc[0]
    # ps1 question 1 (3 points): full, deleter, snooper 3; partial 1; blank, loop 0; crash and
    # badjson could not be graded (0). Full marks 3 of 8; mean (3+3+3+1) / (8 x 3) = 10/24;
    # errors: blank, partial, loop in their cells and the two failures = 5 of 8.
    assert (q1["title"], q1["points"], q1["learners"], q1["graded"]) == (
        "response time in hours", 3.0, 8, 8)  # fmt: skip
    assert q1["full_marks_share"] == 0.375
    assert q1["mean_share"] == round(10 / 24, 4)
    assert q1["errored_share"] == 0.625
    assert q1["common_error_learners"] == 1  # blank, partial and loop each erred their own way
    reflection = table[(table["assignment"] == "ps1") & (table["kind"] == "manual")].iloc[0]
    # only the blank reflection is graded (nbgrader scored it 0): 0 of 1 with full marks
    assert (reflection["graded"], reflection["full_marks_share"]) == (1, 0.0)


def test_summary_speaks_plainly(report: dict) -> None:
    summary = report["summary"]
    assert "6 of 8 submissions graded." in summary
    assert "crash could not be graded: the kernel died in cell" in summary
    assert "badjson could not be graded: the notebook is not valid JSON" in summary
    assert "- question 1 of ps1 (response time in hours): 38 % got it; most errors are" in summary
    assert "written answers still need your grade by hand" in summary
    assert "Traceback" not in summary


@pytest.mark.parametrize("lms", ["canvas", "moodle"])
def test_lms_file_has_the_documented_columns(graded_class: GradedClass, lms: str) -> None:
    out = graded_class.course / "reports" / f"to-{lms}.csv"
    result = run(["govlab", "course", "export", "--lms", lms, "--out", str(out),
                  "--course", str(graded_class.course), "--json"],
                 cwd=graded_class.course, env=graded_class.env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == len(KINDS)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if lms == "canvas":
        # Canvas's gradebook export/import columns, then a "Points Possible" row
        assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *ASSIGNMENTS]
        assert rows[1][0] == "Points Possible"
        assert [float(v) for v in rows[1][5:]] == [
            MAX_AUTOGRADED[a] + REFLECTION_POINTS for a in ASSIGNMENTS
        ]
        learners = {row[3]: row for row in rows[2:]}  # matched on SIS Login ID
        assert all(row[4] == "govlab101" for row in rows[2:])
    else:
        # Moodle's grade export columns: map "ID number" to useridnumber on import
        assert rows[0] == ["First name", "Last name", "ID number", "Institution", "Department",
                           "Email address", *ASSIGNMENTS]  # fmt: skip
        learners = {row[2]: row for row in rows[1:]}
    assert sorted(learners) == sorted(KINDS)
    book = gradebook(graded_class.course)
    for student, row in learners.items():
        for index, assignment in enumerate(ASSIGNMENTS):
            expected = sum(
                score or 0
                for (s, a, _), (score, _) in book.items()
                if (s, a) == (student, assignment)
            )
            assert float(row[-len(ASSIGNMENTS) + index]) == expected
