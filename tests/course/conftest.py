"""One graded class shared by the course tests: real nbgrader, in a temporary copy of the course.

The session fixture :func:`graded_class` copies ``courses/govlab101``, runs
``govlab course generate``, hands in the class of :mod:`tests.course.cases` (eight
learners, each a way to fail, for every assignment), copies that course once more,
then grades one copy with ``govlab course autograde --parallel 2`` (one run per
assignment) and the other with nbgrader's own serial ``nbgrader autograde``, and
makes the feedback. Tests only read what those runs left. Every command runs as a
facilitator runs it: the console scripts, in a fresh process, with a Jupyter config
folder of its own (never the machine's).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from govlab.testing.processes import stop, wait_for_http

from .cases import ASSIGNMENTS, TIMEOUT, learners

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "courses" / "govlab101"
BIN = Path(sys.executable).parent
GENERATED = ("release", "submitted", "autograded", "feedback", "exchange", "gradebook.db*",
             "reports", "logs", ".ipynb_checkpoints", "__pycache__")  # fmt: skip


def environment(home: Path) -> dict[str, str]:
    """This Python's bin/ first on PATH (nbgrader runs alembic), and Jupyter folders of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "GOVLAB_EXCH"))}
    env["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    env["JUPYTER_CONFIG_DIR"] = str(home / "jupyter-config")
    env["JUPYTER_RUNTIME_DIR"] = str(home / "jupyter-runtime")
    return env


def run(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 1200) -> Any:
    """Run a console script of this environment (``govlab``, ``nbgrader``) and capture it."""
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@contextlib.contextmanager
def serve(
    command: list[str], *, ready: str, cwd: Path, env: dict[str, str], log: Path
) -> Iterator[None]:
    """Run a server in its own process group until ``ready`` answers; stop it on the way out."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        try:
            wait_for_http(ready, process, timeout=90, log=log)
            yield
        finally:
            stop(process)


LEARNER_CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "govlab101"
c.Exchange.root = {exchange!r}
c.Exchange.cache = {cache!r}
c.Exchange.path_includes_course = True
"""


def release_to_learner(work: Path) -> dict[str, Path]:
    """A copy of the course with ps1 released, and a learner's folder that names its exchange."""
    course = copy_course(COURSE, work / "govlab101")
    env = environment(work / "facilitator")
    result = run(
        ["govlab", "course", "generate", "ps1", "--course", str(course)], cwd=work, env=env
    )
    assert result.returncode == 0, result.stderr
    learner = work / "learner"
    (learner / ".jupyter").mkdir(parents=True)
    (learner / "nbgrader_config.py").write_text(
        LEARNER_CONFIG.format(exchange=str(course / "exchange"), cache=str(work / "cache"))
    )
    return {"work": work, "course": course, "learner": learner}


def copy_course(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*GENERATED))
    return target


def gradebook(course: Path) -> dict[tuple[str, str, str], tuple[float | None, bool]]:
    """``{(student, assignment, cell): (auto_score, needs_manual_grade)}``, read with sqlite3."""
    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute(
            "SELECT sa.student_id, a.name, bc.name, g.auto_score, g.needs_manual_grade "
            "FROM grade g JOIN submitted_notebook sn ON g.notebook_id = sn.id "
            "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            "JOIN assignment a ON sa.assignment_id = a.id "
            "JOIN base_cell bc ON g.cell_id = bc.id"
        ).fetchall()
    return {(s, a, c): (score, bool(manual)) for s, a, c, score, manual in rows}


@dataclass
class GradedClass:
    """What the runs left: two graded copies of the course and the commands' outputs."""

    course: Path
    serial: Path
    env: dict[str, str]
    generate: Any
    autograde: Any
    serial_runs: dict[str, Any] = field(default_factory=dict)
    feedback: Any = None

    def record(self, assignment: str) -> dict[str, Any]:
        """``reports/autograde-ASSIGNMENT.json``: every learner's outcome, by learner."""
        path = self.course / "reports" / f"autograde-{assignment}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        return {o["student"]: o for o in data["outcomes"]}

    def autograded_total(self, course: Path, assignment: str, student: str) -> float | None:
        """The sum of a learner's automatic scores (None when nbgrader recorded none)."""
        scores = [
            score
            for (s, a, cell), (score, _) in gradebook(course).items()
            if s == student and a == assignment and cell != "reflection"
        ]
        if all(score is None for score in scores):
            return None
        return float(sum(score or 0 for score in scores))

    def graded_notebook(self, course: Path, assignment: str, student: str) -> dict[str, Any]:
        path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data


def _hand_in(course: Path) -> None:
    from govlab.course.course import Course
    from govlab.course.submissions import release_notebook, solutions, submit

    facilitator = Course.find(course)
    for assignment in ASSIGNMENTS:
        release = release_notebook(facilitator, assignment)
        answers = solutions(course / "source" / assignment / f"{assignment}.ipynb")
        for student, notebook in learners(assignment, release, answers).items():
            submit(facilitator, student, assignment, notebook)


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> GradedClass:
    work = tmp_path_factory.mktemp("class")
    env = environment(work)
    course = copy_course(COURSE, work / "govlab101")
    generate = run(["govlab", "course", "generate", "--course", str(course), "--json"],
                   cwd=work, env=env)  # fmt: skip
    assert generate.returncode == 0, generate.stderr
    _hand_in(course)
    serial = work / "serial" / "govlab101"
    shutil.copytree(course, serial)
    autograde = run(
        ["govlab", "course", "autograde", "--parallel", "2", "--timeout", str(TIMEOUT),
         "--course", str(course), "--json"],
        cwd=work, env=env,
    )  # fmt: skip
    assert autograde.returncode == 0, autograde.stderr
    graded = GradedClass(course, serial, env, generate, autograde)
    for assignment in ASSIGNMENTS:
        graded.serial_runs[assignment] = run(
            ["nbgrader", "autograde", assignment, f"--Execute.timeout={TIMEOUT}",
             f"--ExecutePreprocessor.timeout={TIMEOUT}"],
            cwd=serial, env=env,
        )  # fmt: skip
    graded.feedback = run(
        ["govlab", "course", "feedback", "--course", str(course), "--json"], cwd=work, env=env
    )
    return graded
