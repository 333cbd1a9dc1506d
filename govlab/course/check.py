"""Check a course's source notebooks: every model answer passes its tests, no test is free.

Two runs of every source notebook, in parallel, on the same workers as grading:

* with the model answers: every cell must run without an error (the hidden
  tests included), or learners would lose points for a right answer;
* with the answers left blank, as nbgrader releases them: every autograded test
  cell must fail, or it gives points for nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from govlab.course.autograde import source_kernel, worker_settings
from govlab.course.course import Course, nbgrader_environment
from govlab.course.executor import Job, WorkerPool, scratch_folder

Run = Literal["solution", "blank"]


@dataclass(frozen=True)
class CheckItem:
    """One run of one source notebook and what was wrong with it."""

    assignment: str
    notebook: str
    run: Run
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


@dataclass(frozen=True)
class CheckResult:
    """Every run of a check."""

    items: list[CheckItem]

    @property
    def ok(self) -> bool:
        """True when every run is ok."""
        return all(item.ok for item in self.items)

    @property
    def summary(self) -> str:
        """What was checked and what is wrong, in plain words."""
        lines = []
        for item in self.items:
            what = "model answers" if item.run == "solution" else "blank answers"
            verdict = "ok" if item.ok else f"{len(item.problems)} problem(s)"
            lines.append(f"{item.assignment}/{item.notebook} with {what}: {verdict}")
            lines += [f"  - {problem}" for problem in item.problems]
        notebooks = len({(i.assignment, i.notebook) for i in self.items})
        lines.append(
            f"{'All' if self.ok else 'Not all'} {notebooks} source notebooks pass: "
            + (
                "every model answer passes its tests and no test passes a blank answer."
                if self.ok
                else "fix the problems above before releasing."
            )  # fmt: skip
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The check as plain JSON-ready values."""
        return {
            "ok": self.ok,
            "items": [
                {
                    "assignment": i.assignment,
                    "notebook": i.notebook,
                    "run": i.run,
                    "ok": i.ok,
                    "problems": i.problems,
                    "seconds": round(i.seconds, 2),
                }
                for i in self.items
            ],
        }


def check(course: Course, assignment: str | None = None, *, parallel: int = 2) -> CheckResult:
    """Run every source notebook with its model answers and with blank answers.

    Parameters
    ----------
    course
        The course.
    assignment
        One assignment (default: all).
    parallel
        Notebooks run at once (one kernel each).
    """
    jobs = {job.key: job for job in _jobs(course, assignment)}
    items = []
    with nbgrader_environment(), scratch_folder() as scratch:
        kernel = next(iter(jobs.values())).kernel_name if jobs else "python3"
        settings = worker_settings(course, scratch, kernel, "validate", "check")
        with WorkerPool(settings, min(parallel, max(1, len(jobs)))) as pool:
            for job in jobs.values():
                pool.submit(job)
            while pool.pending:
                result = pool.next_result(timeout=_limit(course, jobs))
                assignment_name, notebook, run = result.key.split("\0")
                problems = (
                    [f"the notebook did not run to the end: {result.reason}"]
                    if result.notebook is None
                    else _problems(json.loads(result.notebook), run)
                )
                items.append(CheckItem(assignment_name, notebook, run, problems, result.seconds))  # type: ignore[arg-type]
    items.sort(key=lambda i: (i.assignment, i.notebook, i.run != "solution"))
    return CheckResult(items)


def _limit(course: Course, jobs: dict[str, Job]) -> float:
    cells = max((len(json.loads(j.notebook)["cells"]) for j in jobs.values()), default=1)
    return float(course.cell_timeout() * (cells + 2) + 120)


def _jobs(course: Course, assignment: str | None) -> Iterator[Job]:
    for name in course.pick(assignment):
        folder = course.folder("source") / name
        files = tuple(
            (str(p.relative_to(folder)), str(p))
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts
        )
        kernel = source_kernel(course, name)
        for path in course.notebooks(name):
            source = json.loads(path.read_text(encoding="utf-8"))
            yield Job(f"{name}\0{path.stem}\0solution", json.dumps(source), kernel, files)
            yield Job(f"{name}\0{path.stem}\0blank", json.dumps(blank(source)), kernel, files)


def blank(source: dict[str, Any]) -> dict[str, Any]:
    """The notebook as nbgrader releases it, hidden tests kept: model answers removed."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    notebook = nbformat.v4.nbjson.reads(json.dumps(source))  # type: ignore[no-untyped-call]
    cleared, _ = ClearSolutions().preprocess(notebook, {})
    out: dict[str, Any] = json.loads(json.dumps(cleared))
    return out


def _meta(cell: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = cell.get("metadata", {}).get("nbgrader", {})
    return meta


def _errors(cell: dict[str, Any]) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}".rstrip(": ")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def _problems(executed: dict[str, Any], run: str) -> list[str]:
    problems = []
    for index, cell in enumerate(executed["cells"]):
        if cell.get("cell_type") != "code":
            continue
        meta = _meta(cell)
        name = meta.get("grade_id") or f"cell {index + 1}"
        errors = _errors(cell)
        if run == "solution" and errors:
            problems.append(f"{name} fails with the model answer: {errors[0]}")
        is_test = meta.get("grade") and not meta.get("solution") and meta.get("points", 0) > 0
        if run == "blank" and is_test and not errors:
            problems.append(
                f"{name} passes when the answers are left blank: "
                f"{meta.get('points')} point(s) for nothing"
            )
    return problems
