"""Autograde a class of eight for every assignment: exact scores from the gradebook.

Each learner is a way a submission goes wrong (see cases.py); the scores are read
from nbgrader's gradebook with sqlite3, and compared with nbgrader's own serial
autograde of the same class, cell by cell.
"""

from __future__ import annotations

import json

import pytest

from .cases import ASSIGNMENTS, CRASH, KINDS, LOOP, MAX_AUTOGRADED, PARTIAL
from .conftest import GradedClass, gradebook

pytestmark = [pytest.mark.xdist_group("course-class"), pytest.mark.slow]


def _outputs(notebook: dict, grade_id: str) -> str:
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return json.dumps(cell.get("outputs", []))
    raise AssertionError(f"no cell {grade_id}")


def _answer_ids(notebook: dict) -> list[str]:
    return [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in notebook["cells"]
        if c["cell_type"] == "code" and c.get("metadata", {}).get("nbgrader", {}).get("solution")
    ]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_learner_has_an_outcome(graded_class: GradedClass, assignment: str) -> None:
    record = graded_class.record(assignment)
    assert sorted(record) == sorted(KINDS)
    failed = {s for s, o in record.items() if o["status"] == "failed"}
    assert failed == {"crash", "badjson"}
    assert all(record[s]["status"] == "graded" for s in set(KINDS) - failed)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_full_solution_gets_every_autograded_point(
    graded_class: GradedClass, assignment: str
) -> None:
    total = graded_class.autograded_total(graded_class.course, assignment, "full")
    assert total == MAX_AUTOGRADED[assignment]
    # the written reflection waits for the facilitator
    auto, manual = gradebook(graded_class.course)[("full", assignment, "reflection")]
    assert manual is True and auto is None


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_notebook_gets_nothing(graded_class: GradedClass, assignment: str) -> None:
    assert graded_class.autograded_total(graded_class.course, assignment, "blank") == 0.0
    # nbgrader itself scores an untouched written answer 0 ("No response")
    auto, manual = gradebook(graded_class.course)[("blank", assignment, "reflection")]
    assert (auto, manual) == (0.0, False)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_partly_right_gets_the_score_worked_out_by_hand(
    graded_class: GradedClass, assignment: str
) -> None:
    total = graded_class.autograded_total(graded_class.course, assignment, "partial")
    assert total == PARTIAL[assignment].expected


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_infinite_loop_loses_that_question_and_the_run_goes_on(
    graded_class: GradedClass, assignment: str
) -> None:
    cell, expected = LOOP[assignment]
    assert graded_class.autograded_total(graded_class.course, assignment, "loop") == expected
    notebook = graded_class.graded_notebook(graded_class.course, assignment, "loop")
    outputs = _outputs(notebook, cell)
    assert "CellTimeoutError" in outputs or "KeyboardInterrupt" in outputs


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_kernel_crash_is_recorded_with_its_reason(
    graded_class: GradedClass, assignment: str
) -> None:
    outcome = graded_class.record(assignment)["crash"]
    assert outcome["status"] == "failed"
    assert "kernel died" in outcome["reason"] and CRASH[assignment] in outcome["reason"]
    assert outcome["score"] == 0.0
    # as nbgrader does: no automatic score at all, and no autograded copy
    assert graded_class.autograded_total(graded_class.course, assignment, "crash") is None
    assert not (graded_class.course / "autograded" / "crash" / assignment).exists()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_invalid_json_is_recorded_and_the_run_goes_on(
    graded_class: GradedClass, assignment: str
) -> None:
    outcome = graded_class.record(assignment)["badjson"]
    assert outcome["status"] == "failed"
    assert "not valid JSON" in outcome["reason"]
    assert graded_class.autograded_total(graded_class.course, assignment, "badjson") is None


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_deleting_files_in_the_working_folder_harms_nothing(
    graded_class: GradedClass, assignment: str
) -> None:
    course = graded_class.course
    assert (
        graded_class.autograded_total(course, assignment, "deleter") == MAX_AUTOGRADED[assignment]
    )
    notebook = graded_class.graded_notebook(course, assignment, "deleter")
    assert "DELETED, left: []" in _outputs(notebook, _answer_ids(notebook)[0])
    # the course is whole: the gradebook answers, the others' graded copies are there
    assert (course / "gradebook.db").is_file()
    for student in ("full", "blank", "partial", "snooper"):
        assert (course / "autograded" / student / assignment / f"{assignment}.ipynb").is_file()
    assert (course / "source" / assignment / f"{assignment}.ipynb").is_file()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_learner_code_finds_no_hidden_test_on_disk(
    graded_class: GradedClass, assignment: str
) -> None:
    course = graded_class.course
    assert (
        graded_class.autograded_total(course, assignment, "snooper") == MAX_AUTOGRADED[assignment]
    )
    notebook = graded_class.graded_notebook(course, assignment, "snooper")
    snoop = _outputs(notebook, _answer_ids(notebook)[1])
    assert "FOUND: 0 []" in snoop, snoop
    # the same code under nbgrader's serial autograde finds the graded notebook in its
    # working folder and the gradebook three folders up: the test can fail
    serial = graded_class.graded_notebook(graded_class.serial, assignment, "snooper")
    seen = _outputs(serial, _answer_ids(serial)[1])
    assert "FOUND: 0 " not in seen and "FOUND: " in seen, seen


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_parallel_scores_equal_nbgraders_serial_scores(
    graded_class: GradedClass, assignment: str
) -> None:
    parallel = {k: v for k, v in gradebook(graded_class.course).items() if k[1] == assignment}
    serial = {k: v for k, v in gradebook(graded_class.serial).items() if k[1] == assignment}
    assert len(parallel) >= 8 * 7  # eight learners, at least seven graded cells each
    assert parallel == serial


def test_the_command_says_who_failed_and_why(graded_class: GradedClass) -> None:
    runs = json.loads(graded_class.autograde.stdout)
    assert [r["assignment"] for r in runs] == list(ASSIGNMENTS)
    for run in runs:
        assert run["parallel"] == 2
        reasons = {o["student"]: o["reason"] for o in run["outcomes"] if o["reason"]}
        assert set(reasons) == {"crash", "badjson"}
