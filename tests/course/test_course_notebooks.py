"""Every course notebook runs: the lessons here, the sources through ``govlab course check``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT, copy_course, environment, run

pytestmark = [pytest.mark.xdist_group("course-notebooks"), pytest.mark.slow]

COURSES = ROOT / "courses"
LESSONS = sorted((COURSES / "govlab101" / "lessons").glob("*.ipynb"))


def test_xdist_keeps_a_group_on_one_worker(request: pytest.FixtureRequest) -> None:
    # the course's graded class is built once per worker that runs a test of its group: if
    # pytest-xdist stops marking groups (it did under pytest 9.2), it is built twice
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("only under pytest -n N --dist loadgroup")
    assert request.node.nodeid.endswith("@course-notebooks")


def test_every_course_notebook_is_a_lesson_or_a_source() -> None:
    # lessons run below; sources run through `govlab course check`; nothing else may hide
    notebooks = sorted(p for p in COURSES.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    assert notebooks
    for path in notebooks:
        parts = path.relative_to(COURSES).parts
        assert parts[1] in ("lessons", "source"), f"{path}: not run by any test"
    assert len(LESSONS) == 5


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_and_points_to_its_problem_set(path: Path, tmp_path: Path) -> None:
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert sum(bool(c.outputs) for c in code) >= len(code) - 1  # every step shows something
    number = int(path.name[:2])
    assert f"Now try ps {number}" in notebook.cells[-1].source


@pytest.mark.parametrize("name", ["govlab101", "workshops"])
def test_check_passes_on_the_course_sources(name: str, tmp_path: Path) -> None:
    course = copy_course(COURSES / name, tmp_path / name)
    result = run(["govlab", "course", "check", "--course", str(course), "--json"],
                 cwd=tmp_path, env=environment(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    sources = sorted((course / "source").glob("*/*.ipynb"))
    assert report["ok"] is True
    assert len(report["items"]) == 2 * len(sources)
    assert {(i["notebook"], i["run"]) for i in report["items"]} == {
        (p.stem, run) for p in sources for run in ("solution", "blank")
    }


def test_check_names_a_wrong_test_and_a_free_point(tmp_path: Path) -> None:
    course = copy_course(COURSES / "govlab101", tmp_path / "broken")
    for other in ("ps2", "ps3", "ps4", "ps5"):
        for path in (course / "source" / other).iterdir():
            path.unlink()
        (course / "source" / other).rmdir()
    path = course / "source" / "ps1" / "ps1.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        text = "".join(cell["source"])
        if grade_id == "q2-tests":  # a hidden test expecting the wrong median
            cell["source"] = re.sub(r"23\.516667", "25.0", text)
        if grade_id == "q5-tests":  # a test nobody can fail
            cell["source"] = "assert True"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = run(["govlab", "course", "check", "--course", str(course)],
                 cwd=tmp_path, env=environment(tmp_path))  # fmt: skip
    assert result.returncode == 1
    assert "q2-tests fails with the model answer: AssertionError: median_hours" in result.stdout
    assert (
        "q5-tests passes when the answers are left blank: 1 point(s) for nothing" in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr
