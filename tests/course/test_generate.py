"""Release copies hold no model answer, no hidden test and no output, and the proof can fail."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from govlab.course.course import Course
from govlab.course.generate import prove_clean
from govlab.errors import Conflict

from .cases import ASSIGNMENTS
from .conftest import GradedClass
from .test_feedback import hidden_test_lines

pytestmark = [pytest.mark.xdist_group("course-class"), pytest.mark.slow]


def solution_lines(source: Path) -> set[str]:
    lines = set()
    for cell in json.loads(source.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for block in re.findall(r"BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION", text, re.S):
            lines |= {line.strip() for line in block.splitlines() if len(line.strip()) >= 20}
    return lines


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_learners_copies_hold_no_answers(graded_class: GradedClass, assignment: str) -> None:
    course = graded_class.course
    source = course / "source" / assignment / f"{assignment}.ipynb"
    secrets = hidden_test_lines(source) | solution_lines(source)
    assert len(secrets) >= 3
    copies = [
        course / "release" / assignment / f"{assignment}.ipynb",
        course / "exchange" / "govlab101" / "outbound" / assignment / f"{assignment}.ipynb",
    ]
    for copy in copies:
        text = copy.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        cells = json.loads(text)["cells"]
        sources = "\n".join("".join(c["source"]) for c in cells)
        assert [line for line in secrets if line in sources] == []
        assert all(not c.get("outputs") for c in cells)
    result = json.loads(graded_class.generate.stdout)
    checked = next(r for r in result if r["assignment"] == assignment)["checked"]
    assert sorted(checked) == sorted(str(c) for c in copies)


def _tampered(graded_class: GradedClass, tmp_path: Path, change: str) -> tuple[Course, Path]:
    course = graded_class.course
    copy = tmp_path / "ps1.ipynb"
    shutil.copy(course / "release" / "ps1" / "ps1.ipynb", copy)
    notebook = json.loads(copy.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["metadata"]["nbgrader"]["grade_id"] == "q2-tests")
    if change == "hidden":  # a pipeline that forgot to remove a hidden test
        hidden = hidden_test_lines(course / "source" / "ps1" / "ps1.ipynb")
        cell["source"] += "\n" + next(line for line in sorted(hidden) if "median_hours" in line)
    else:  # a copy saved with its outputs
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "23.5\n"}]
    copy.write_text(json.dumps(notebook), encoding="utf-8")
    return Course.find(course), copy


def test_the_proof_catches_a_hidden_test(graded_class: GradedClass, tmp_path: Path) -> None:
    course, copy = _tampered(graded_class, tmp_path, "hidden")
    with pytest.raises(Conflict, match=r"ps1.ipynb, cell q2-tests: holds a hidden test"):
        prove_clean(course, "ps1", [copy])


def test_the_proof_catches_outputs(graded_class: GradedClass, tmp_path: Path) -> None:
    course, copy = _tampered(graded_class, tmp_path, "outputs")
    with pytest.raises(Conflict, match="a cell has outputs"):
        prove_clean(course, "ps1", [copy])
