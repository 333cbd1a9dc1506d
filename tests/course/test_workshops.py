"""The assessed workshops graded end to end: checkpoints scored, feedback without hidden tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, copy_course, environment, gradebook, run
from .test_feedback import hidden_test_lines, page_text, squash

pytestmark = [pytest.mark.xdist_group("course-notebooks"), pytest.mark.slow]

WORKSHOPS = ("w1_measure_311", "w2_before_after")
#: One checkpoint answered the way participants get it wrong, worked out by hand:
#: w1 checkpoint 1 as a fraction (0.03), not a percentage: the 0-100 bound passes, the
#: hidden 3.0 fails, the cell's 2 points are lost: 7 - 2 = 5. w2 checkpoint 2 reads the
#: interval backwards ("not chance" when it holds 0): the hidden True fails: 7 - 2 = 5.
WRONG = {
    "w1_measure_311": {
        "c1-online": 'online_pct = float((requests["channel"] == "ONLINE").mean())',
    },
    "w2_before_after": {
        "c2-bootstrap": (
            'result = before_after(graffiti, outcome="value", time="date", intervention=LAUNCH)\n'
            "could_be_chance = bool(result.ci_low > 0)"
        ),
    },
}
EXPECTED = {"full": 7.0, "wrong": 5.0, "blank": 0.0}


@pytest.fixture(scope="module")
def graded_workshops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from govlab.course.course import Course
    from govlab.course.submissions import fill, release_notebook, solutions, submit

    work = tmp_path_factory.mktemp("workshops")
    env = environment(work)
    course = copy_course(ROOT / "courses" / "workshops", work / "workshops")
    made = run(["govlab", "course", "generate", "--course", str(course)], cwd=work, env=env)
    assert made.returncode == 0, made.stderr
    facilitator = Course.find(course)
    for name in WORKSHOPS:
        release = release_notebook(facilitator, name)
        answers = solutions(course / "source" / name / f"{name}.ipynb")
        submit(facilitator, "full", name, fill(release, answers))
        submit(facilitator, "wrong", name, fill(release, {**answers, **WRONG[name]}))
        submit(facilitator, "blank", name, release)
    graded = run(["govlab", "course", "autograde", "--parallel", "2", "--course", str(course),
                  "--json"], cwd=work, env=env)  # fmt: skip
    assert graded.returncode == 0, graded.stderr
    feedback = run(["govlab", "course", "feedback", "--course", str(course)], cwd=work, env=env)
    assert feedback.returncode == 0, feedback.stderr
    return {"course": course, "runs": json.loads(graded.stdout)}


@pytest.mark.parametrize("workshop", WORKSHOPS)
def test_checkpoints_are_scored(graded_workshops: dict[str, Any], workshop: str) -> None:
    book = gradebook(graded_workshops["course"])
    for student, expected in EXPECTED.items():
        auto = [
            score or 0.0
            for (s, a, cell), (score, _) in book.items()
            if (s, a) == (student, workshop) and cell != "reflection"
        ]
        assert len(auto) == 4  # four test cells in three checkpoints
        assert sum(auto) == expected, student
    # the last written answer waits for the facilitator (the blank one nbgrader scores 0)
    assert book[("full", workshop, "reflection")] == (None, True)
    run_ = next(r for r in graded_workshops["runs"] if r["assignment"] == workshop)
    assert [o["status"] for o in run_["outcomes"]] == ["graded"] * 3


@pytest.mark.parametrize("workshop", WORKSHOPS)
def test_workshop_feedback_holds_no_hidden_test(
    graded_workshops: dict[str, Any], workshop: str
) -> None:
    course: Path = graded_workshops["course"]
    hidden = hidden_test_lines(course / "source" / workshop / f"{workshop}.ipynb")
    assert len(hidden) >= 3
    pages = sorted((course / "feedback").glob(f"*/{workshop}/{workshop}.html"))
    assert [p.parts[-3] for p in pages] == sorted(EXPECTED)
    for path in pages:
        text = page_text(path)
        assert [line for line in hidden if squash(line) in text] == [], path
