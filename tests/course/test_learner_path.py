"""A learner's path through nbgrader's exchange: fetch, work, validate, submit, get feedback.

The facilitator runs ``govlab course``; the learner runs nbgrader's own learner commands
(the ones JupyterLab's Assignments tab and Validate button call) with a config that
names only the course and its exchange.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govlab.course.submissions import fill, solutions

from .conftest import environment, release_to_learner, run
from .test_feedback import hidden_test_lines, page_text, squash

pytestmark = [pytest.mark.xdist_group("course-lab"), pytest.mark.slow]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return release_to_learner(tmp_path_factory.mktemp("learner-path"))


def learner_env(paths: dict[str, Path]) -> dict[str, str]:
    env = environment(paths["learner"])
    env["JUPYTER_CONFIG_DIR"] = str(paths["learner"] / ".jupyter")
    return env


def test_fetch_validate_submit_and_get_feedback(released: dict[str, Path]) -> None:
    learner, course = released["learner"], released["course"]
    env, facilitator = learner_env(released), environment(released["work"] / "facilitator")

    listed = run(["nbgrader", "list", "--course", "govlab101"], cwd=learner, env=env)
    assert "ps1" in listed.stdout + listed.stderr
    fetched = run(
        ["nbgrader", "fetch_assignment", "ps1", "--course", "govlab101"], cwd=learner, env=env
    )
    assert fetched.returncode == 0, fetched.stderr
    notebook = learner / "govlab101" / "ps1" / "ps1.ipynb"
    release = json.loads(notebook.read_text(encoding="utf-8"))
    assert "BEGIN HIDDEN TESTS" not in notebook.read_text(encoding="utf-8")

    # a blank notebook fails validation, and says where
    blank = run(["nbgrader", "validate", str(notebook)], cwd=learner, env=env)
    assert "VALIDATION FAILED" in blank.stdout, blank.stdout + blank.stderr

    answers = solutions(course / "source" / "ps1" / "ps1.ipynb")
    notebook.write_text(json.dumps(fill(release, answers)), encoding="utf-8")
    ok = run(["nbgrader", "validate", str(notebook)], cwd=learner, env=env)
    assert "Success! Your notebook passes all the tests." in ok.stdout, ok.stdout + ok.stderr

    submitted = run(["nbgrader", "submit", "ps1", "--course", "govlab101"], cwd=learner, env=env)
    assert submitted.returncode == 0, submitted.stderr

    collected = run(["govlab", "course", "collect", "ps1", "--course", str(course), "--json"],
                    cwd=course, env=facilitator)  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    [student] = json.loads(collected.stdout)["ps1"]

    graded = run(["govlab", "course", "autograde", "ps1", "--course", str(course), "--json"],
                 cwd=course, env=facilitator)  # fmt: skip
    assert graded.returncode == 0, graded.stderr
    [outcome] = json.loads(graded.stdout)[0]["outcomes"]
    assert (outcome["student"], outcome["status"], outcome["score"]) == (student, "graded", 13.0)

    handed = run(["govlab", "course", "feedback", "ps1", "--course", str(course)],
                 cwd=course, env=facilitator)  # fmt: skip
    assert handed.returncode == 0, handed.stderr
    back = run(["nbgrader", "fetch_feedback", "ps1", "--course", "govlab101"], cwd=learner, env=env)
    assert back.returncode == 0, back.stderr
    [page] = sorted((learner / "govlab101" / "ps1" / "feedback").glob("*/ps1.html"))
    text = page_text(page)
    assert re.search(r"13(\.0)? / 17", text), text[:500]
    hidden = hidden_test_lines(course / "source" / "ps1" / "ps1.ipynb")
    assert not [line for line in hidden if squash(line) in text]


def test_progress_bar_shows_done_failed_and_time(
    released: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from govlab.course.autograde import autograde
    from govlab.course.course import Course
    from govlab.course.submissions import release_notebook, submit

    course = Course.find(released["course"])
    # one learner who left ps1 blank and one whose notebook is damaged, beside whoever
    # the exchange test collected: the bar counts them all, the damaged one as failed
    submit(course, "rehearsal-blank", "ps1", release_notebook(course, "ps1"))
    submit(course, "rehearsal-broken", "ps1", '{"cells": [')
    everyone = len(course.students("ps1"))
    run_ = autograde(course, "ps1", parallel=2, force=True, progress=True)
    bar = capsys.readouterr().err
    assert "grading ps1" in bar and f"{everyone}/{everyone}" in bar
    assert f"done={everyone - 1}" in bar and "failed=1" in bar and "s_each=" in bar
    statuses = {o.student: o.status for o in run_.outcomes}
    assert statuses["rehearsal-blank"] == "graded" and statuses["rehearsal-broken"] == "failed"
    assert len(statuses) == everyone
