"""Feedback holds no hidden test: read independently of govlab's own scanner."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from .cases import ASSIGNMENTS
from .conftest import GradedClass, run

pytestmark = [pytest.mark.xdist_group("course-class"), pytest.mark.slow]

GRADED = ("full", "blank", "partial", "loop", "deleter", "snooper")


def hidden_test_lines(source: Path) -> set[str]:
    """Every line between BEGIN and END HIDDEN TESTS, stripped, that is worth searching for."""
    lines = set()
    for cell in json.loads(source.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for block in re.findall(
            r"BEGIN HIDDEN TESTS\n(.*?)\n[ \t]*### END HIDDEN TESTS", text, re.S
        ):
            lines |= {line.strip() for line in block.splitlines() if len(line.strip()) >= 12}
    return lines


def page_text(path: Path) -> str:
    """A feedback page as a reader sees it: no tags, entities decoded, spaces collapsed."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<style.*?</style>|<script.*?</script>", " ", raw, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return re.sub(r"\s+", " ", text)


def squash(line: str) -> str:
    return re.sub(r"\s+", " ", line)


def test_feedback_command_succeeded(graded_class: GradedClass) -> None:
    assert graded_class.feedback.returncode == 0, graded_class.feedback.stderr
    results = json.loads(graded_class.feedback.stdout)
    assert [r["assignment"] for r in results] == list(ASSIGNMENTS)
    assert all(r["released"] and r["hidden_lines"] >= 2 for r in results)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_feedback_file_holds_a_hidden_test(graded_class: GradedClass, assignment: str) -> None:
    course = graded_class.course
    hidden = hidden_test_lines(course / "source" / assignment / f"{assignment}.ipynb")
    assert len(hidden) >= 2
    files = sorted((course / "feedback").glob(f"*/{assignment}/{assignment}.html"))
    assert sorted(p.parts[-3] for p in files) == sorted(GRADED)
    handed_back = sorted((course / "exchange" / "govlab101" / "feedback").glob("*.html"))
    assert len(handed_back) == len(GRADED) * len(ASSIGNMENTS)
    for path in [*files, *handed_back]:
        text = page_text(path)
        leaked = [line for line in hidden if squash(line) in text]
        assert leaked == [], f"{path} shows hidden tests: {leaked}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_still_shows_scores_and_visible_tests(
    graded_class: GradedClass, assignment: str
) -> None:
    text = page_text(
        graded_class.course / "feedback" / "partial" / assignment / f"{assignment}.html"
    )
    assert "Score:" in text or "score" in text.lower()
    assert "hidden test" in text  # the note where hidden tests were, and on hidden failures


def test_printed_history_is_kept_from_the_learner(graded_class: GradedClass) -> None:
    # the snooper printed every cell the kernel ran, hidden tests included: the facilitator's
    # graded copy shows them, the learner's feedback must not
    course = graded_class.course
    hidden = hidden_test_lines(course / "source" / "ps1" / "ps1.ipynb")
    graded = (course / "autograded" / "snooper" / "ps1" / "ps1.ipynb").read_text(encoding="utf-8")
    assert "HISTORY:" in graded and any(json.dumps(line)[1:-1] in graded for line in hidden)
    feedback = page_text(course / "feedback" / "snooper" / "ps1" / "ps1.html")
    assert not [line for line in hidden if squash(line) in feedback]
    assert "[a hidden test: not shown]" in feedback


def test_nbgraders_own_feedback_would_leak(graded_class: GradedClass) -> None:
    # the problem this solves: plain `nbgrader generate_feedback` on the serial copy
    serial = graded_class.serial
    result = run(["nbgrader", "generate_feedback", "ps1"], cwd=serial, env=graded_class.env)
    assert result.returncode == 0, result.stderr
    hidden = hidden_test_lines(serial / "source" / "ps1" / "ps1.ipynb")
    text = page_text(serial / "feedback" / "full" / "ps1" / "ps1.html")
    assert [line for line in hidden if squash(line) in text]
