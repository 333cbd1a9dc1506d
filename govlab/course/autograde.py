"""Autograde a class across several workers, with the scores of nbgrader's serial autograde.

nbgrader's ``autograde`` does, for each submission: record it in the gradebook and
copy the assignment's files (``init_assignment``), *sanitize* each notebook
(restore the locked and test cells from the gradebook), *execute* it, then save the
grades. Here the same nbgrader objects do every step in this process, one
submission at a time, except *execute*, which runs in a pool of workers
(:mod:`govlab.course.executor`) with nbgrader's own ``Execute`` preprocessor. So:

* the gradebook is written by one process only (SQLite takes one writer);
* the scores are nbgrader's, computed by nbgrader's ``SaveAutoGrades`` from a
  notebook executed by nbgrader's ``Execute`` with the course's time limit;
* a crashed, timed-out or unreadable submission is recorded with its reason, as
  nbgrader would record it (no autograded copy, no points), and the run goes on.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from govlab.course.course import Course, nbgrader_environment, quiet_logger
from govlab.course.executor import Job, Result, Settings, WorkerPool, scratch_folder
from govlab.errors import InvalidInput, NotFound

Status = Literal["graded", "failed", "skipped"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission."""

    student: str
    status: Status
    reason: str | None = None
    seconds: float = 0.0  # the kernel's run of the notebooks (or the failed preparation)
    score: float | None = None
    max_score: float | None = None


@dataclass(frozen=True)
class AutogradeRun:
    """One autograde of one assignment."""

    assignment: str
    parallel: int
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    record: Path | None = None

    @property
    def graded(self) -> list[Outcome]:
        """The submissions graded."""
        return [o for o in self.outcomes if o.status == "graded"]

    @property
    def failed(self) -> list[Outcome]:
        """The submissions that could not be graded, each with its reason."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def seconds_per_submission(self) -> float | None:
        """Wall-clock seconds of the run per submission graded or failed."""
        done = [o for o in self.outcomes if o.status != "skipped"]
        return self.seconds / len(done) if done else None

    def to_dict(self) -> dict[str, Any]:
        """The run as plain JSON-ready values."""
        out = asdict(self)
        out["record"] = str(self.record) if self.record else None
        out["seconds_per_submission"] = self.seconds_per_submission
        return out


def autograde(
    course: Course,
    assignment: str,
    *,
    parallel: int = 2,
    force: bool = False,
    progress: bool = False,
) -> AutogradeRun:
    """Grade every submission of ``assignment`` in ``submitted/`` across ``parallel`` workers.

    Parameters
    ----------
    course
        The course.
    assignment
        The assignment's name (a folder of ``source/``).
    parallel
        Worker processes (each runs one kernel at a time, with the next one ready).
    force
        Grade again submissions that are already graded (nbgrader's ``--force``).
    progress
        Show a tqdm progress bar on the terminal (done, failed, seconds per submission).

    Returns
    -------
    AutogradeRun
        Every submission's outcome and score; also written to
        ``reports/autograde-ASSIGNMENT.json`` in the course.
    """
    check_parallel(parallel)
    [name] = course.pick(assignment)
    if not course.students(name):
        raise NotFound(
            f"no submissions of {name} in {course.folder('submitted')}: "
            "collect them first (`nbgrader collect` or `govlab course collect`)"
        )
    log = quiet_logger("autograde", course.root / "logs" / f"autograde-{name}.log")
    start = time.perf_counter()
    with (
        nbgrader_environment(),
        fast_gradebook(),
        _nbgrader_warnings(),
        scratch_folder() as scratch,
        _working_folder(scratch),
    ):
        grader = _Grader(course, name, force=force, log=log)
        settings = worker_settings(course, scratch, grader.kernel_name, "autograde", name)
        outcomes = _grade_all(grader, settings, parallel, progress)
    outcomes = _with_scores(course, name, outcomes)
    run = AutogradeRun(name, parallel, time.perf_counter() - start, outcomes)
    record = course.root / "reports" / f"autograde-{name}.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    run = AutogradeRun(run.assignment, run.parallel, run.seconds, run.outcomes, record)
    record.write_text(json.dumps(run.to_dict(), indent=2) + "\n", encoding="utf-8")
    return run


def worker_settings(
    course: Course, scratch: Path, kernel_name: str, execution: str, name: str
) -> Settings:
    """What grading workers need: the course's Execute config and where to keep kernels.

    ``execution`` becomes ``NBGRADER_EXECUTION`` in the kernels, as nbgrader sets it
    (``autograde`` when grading, ``validate`` when checking).
    """
    cfg = course.config()
    sections = ("NotebookClient", "ExecutePreprocessor", "Execute")
    (course.root / "logs").mkdir(exist_ok=True)
    return Settings(
        execute_config={s: dict(cfg[s].items()) for s in sections if s in cfg},
        scratch=str(scratch),
        kernel_name=kernel_name,
        log_file=str(course.root / "logs" / f"kernels-{execution}-{name}.log"),
        env={"NBGRADER_EXECUTION": execution},
    )


@contextlib.contextmanager
def fast_gradebook() -> Iterator[None]:
    """Write nbgrader's SQLite gradebook without the waits that do not make it safer.

    * nbgrader opens the gradebook (a new SQLAlchemy engine) a dozen times per
      submission, so every query is compiled again each time: here the engines
      are shared by URL for the run, and SQLAlchemy's compiled-query cache with them.
    * nbgrader commits once per graded cell, and in SQLite's default mode each
      commit waits for the disk (about 7 ms here). In WAL mode with
      ``synchronous=NORMAL`` (SQLite's advice for WAL) a commit survives a crash
      of this process; a power cut at worst loses the last grades, which grading
      again restores.
    """
    import nbgrader.api
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def on_connect(connection: Any, _record: Any) -> None:
        if type(connection).__module__.startswith("sqlite3"):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    original = nbgrader.api.create_engine
    engines: dict[tuple[str, str], Engine] = {}

    def shared_engine(url: Any, **options: Any) -> Engine:
        key = (str(url), repr(sorted(options.items())))
        if key not in engines:
            engines[key] = original(url, **options)
        return engines[key]

    event.listen(Engine, "connect", on_connect)
    nbgrader.api.create_engine = shared_engine
    try:
        yield
    finally:
        nbgrader.api.create_engine = original
        event.remove(Engine, "connect", on_connect)
        for engine in engines.values():
            engine.dispose()


@contextlib.contextmanager
def _nbgrader_warnings() -> Iterator[None]:
    """Nbgrader's gradebook code trips SQLAlchemy 2's autoflush warnings: not ours to fix."""
    import warnings

    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        yield


def check_parallel(parallel: int) -> None:
    """Raise InvalidInput unless ``parallel`` is a whole number of workers, at least 1."""
    if not isinstance(parallel, int) or isinstance(parallel, bool) or parallel < 1:
        raise InvalidInput(f"--parallel must be a whole number >= 1, got {parallel}")


@contextlib.contextmanager
def _working_folder(folder: Path) -> Iterator[None]:
    """Work from ``folder`` so that no grading process's folder is the course."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@dataclass
class _Submission:
    student: str
    path: str
    jobs: list[Job]
    notebooks: list[tuple[str, dict[str, Any]]]  # sanitized path, resources
    results: dict[str, Result] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)


def _grade_all(grader: _Grader, settings: Settings, parallel: int, progress: bool) -> list[Outcome]:
    from tqdm.auto import tqdm

    waiting = list(grader.submissions())
    outcomes: list[Outcome] = []
    running: dict[str, _Submission] = {}
    timeout = grader.run_limit()
    started = time.perf_counter()
    with (
        WorkerPool(settings, parallel) as pool,
        tqdm(
            total=len(waiting),
            unit="submission",
            desc=f"grading {grader.assignment}",
            disable=not progress,
            dynamic_ncols=True,
        ) as bar,  # fmt: skip
    ):
        while waiting or running:
            # keep every worker busy with one job and one more in the queue
            while waiting and pool.pending < 2 * parallel:
                outcome = grader.prepare(waiting.pop(0), running, pool)
                if outcome is not None:
                    outcomes.append(outcome)
                    _tick(bar, outcomes, started)
            if not running:
                continue
            result = pool.next_result(timeout)
            submission = running[result.key.split("\0")[0]]
            submission.results[result.key] = result
            if len(submission.results) == len(submission.jobs):
                del running[submission.student]
                outcomes.append(grader.finish(submission))
                _tick(bar, outcomes, started)
    return sorted(outcomes, key=lambda o: o.student)


def _tick(bar: Any, outcomes: list[Outcome], started: float) -> None:
    """Advance the bar: done and failed so far, and the run's seconds per submission."""
    done = [o for o in outcomes if o.status == "graded"]
    failed = [o for o in outcomes if o.status == "failed"]
    counted = len(done) + len(failed)
    bar.update(1)
    bar.set_postfix(
        done=len(done),
        failed=len(failed),
        s_each=f"{(time.perf_counter() - started) / counted:.1f}" if counted else "-",
        refresh=False,
    )


class _Grader:
    """nbgrader's Autograde converter, driven one step at a time."""

    def __init__(self, course: Course, assignment: str, *, force: bool, log: Any) -> None:
        from nbconvert.writers.files import FilesWriter
        from nbgrader.converters import Autograde
        from nbgrader.converters.base import NbGraderException
        from nbgrader.coursedir import CourseDirectory

        cfg = course.config()
        cfg.CourseDirectory.assignment_id = assignment
        cfg.CourseDirectory.student_id = "*"
        # validate a notebook once after all preprocessors rather than after each one:
        # the same notebooks pass or fail, in a third of the time
        cfg.Exporter.optimistic_validation = True
        self.course = course
        self.assignment = assignment
        self.converter = Autograde(coursedir=CourseDirectory(config=cfg), config=cfg, log=log)
        self.converter.force = force
        try:
            self.converter.init_notebooks()
        except NbGraderException as error:
            raise NotFound(f"{assignment}: {error}") from None
        self.converter.writer = FilesWriter(parent=self.converter, config=self.converter.config)  # type: ignore[no-untyped-call]
        self.converter.exporter = self.converter.exporter_class(
            parent=self.converter, config=self.converter.config
        )
        self.before, self.after = _split_at_execute(list(self.converter.autograde_preprocessors))
        self.kernel_name = source_kernel(course, assignment)

    # --- settings ---------------------------------------------------------------------

    def run_limit(self) -> float:
        """How long to wait for any one notebook: every cell at its limit, plus start-up."""
        from nbgrader.preprocessors import Execute

        cells = max((len(_cells(p)) for p in self.course.notebooks(self.assignment)), default=1)
        limit = Execute(config=self.converter.config).timeout or 30
        return float(limit * (cells + 2) + 120)

    # --- the steps ----------------------------------------------------------------------

    def submissions(self) -> Iterator[str]:
        return iter(sorted(self.converter.assignments))

    def _ids(self, path: str) -> dict[str, str]:
        c = self.converter
        pattern = c._format_source("(?P<assignment_id>.*)", "(?P<student_id>.*)", escape=True)
        match = re.match(pattern, path)
        if match is None:  # nbgrader's own layout: cannot happen for paths it globbed
            raise RuntimeError(f"{path} does not match {pattern}")
        return match.groupdict()

    def prepare(
        self, path: str, running: dict[str, _Submission], pool: WorkerPool
    ) -> Outcome | None:
        """Record, copy and sanitize a submission, and queue its notebooks; an outcome if done."""
        from nbgrader.converters.base import BaseConverter

        c = self.converter
        ids = self._ids(path)
        student = ids["student_id"]
        c.notebooks = sorted(c.assignments[path])
        started = time.perf_counter()
        try:
            if not c.init_destination(ids["assignment_id"], student):
                return Outcome(student, "skipped", "already graded (use --force to grade again)")
            c.run_pre_convert_hook()
            c.init_assignment(ids["assignment_id"], student)
            jobs, notebooks = [], []
            for filename in c.notebooks:
                self._use(c.sanitize_preprocessors, sanitizing=True)
                BaseConverter.convert_single_notebook(c, filename)
                sanitized = os.path.join(c.writer.build_directory, os.path.basename(filename))
                c._sanitizing = False
                resources = c.init_single_notebook_resources(sanitized)
                key = f"{student}\0{os.path.basename(filename)}"
                jobs.append(self._job(key, sanitized, resources))
                notebooks.append((sanitized, resources))
        except Exception as error:  # what nbgrader would log and skip: record it and go on
            self._discard(ids)
            return Outcome(student, "failed", _prepare_reason(error), time.perf_counter() - started)
        finally:
            c._sanitizing = True
        running[student] = _Submission(student, path, jobs, notebooks, started=started)
        for job in jobs:
            pool.submit(job)
        return None

    def _job(self, key: str, sanitized: str, resources: dict[str, Any]) -> Job:
        import nbformat

        text = Path(sanitized).read_text(encoding="utf-8")
        notebook = nbformat.v4.nbjson.reads(text)  # type: ignore[no-untyped-call]
        if self.before:  # preprocessors configured to run before Execute
            self._use(self.before, sanitizing=False)
            text, _ = self.converter.exporter.from_notebook_node(notebook, dict(resources))
        folder = Path(sanitized).parent
        files = tuple(
            (str(p.relative_to(folder)), str(p))
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix != ".ipynb"
        )
        kernel = notebook.metadata.get("kernelspec", {}).get("name", self.kernel_name)
        return Job(key, text, kernel, files)

    def finish(self, submission: _Submission) -> Outcome:
        """Save the grades of an executed submission (in this process: one gradebook writer)."""
        import nbformat

        c = self.converter
        ids = self._ids(submission.path)
        c.notebooks = [p for p, _ in submission.notebooks]
        seconds = sum(result.seconds for result in submission.results.values())
        try:
            for job, (sanitized, resources) in zip(
                submission.jobs, submission.notebooks, strict=True
            ):
                result = submission.results[job.key]
                if result.notebook is None:
                    self._discard(ids)
                    return Outcome(submission.student, "failed", result.reason, seconds)
                executed = nbformat.v4.nbjson.reads(result.notebook)  # type: ignore[no-untyped-call]
                self._use(self.after, sanitizing=False)
                output, resources = c.exporter.from_notebook_node(
                    executed, resources=_file_resources(sanitized, resources)
                )
                c.write_single_notebook(output, resources)
            c.set_permissions(ids["assignment_id"], ids["student_id"])
            c.run_post_convert_hook()
        except Exception as error:  # e.g. a metadata check failing on the executed notebook
            self._discard(ids)
            reason = f"grading failed after the run: {type(error).__name__}: {error}"
            return Outcome(submission.student, "failed", reason, seconds)
        finally:
            c._sanitizing = True
        return Outcome(submission.student, "graded", None, seconds)

    def _use(self, preprocessors: list[Any], *, sanitizing: bool) -> None:
        """Register preprocessors on the exporter exactly as nbgrader's Autograde does."""
        c = self.converter
        c._sanitizing = sanitizing
        c.exporter._preprocessors = []
        for preprocessor in preprocessors:
            c.exporter.register_preprocessor(preprocessor)

    def _discard(self, ids: dict[str, str]) -> None:
        """Nbgrader's failure handling: a failed submission keeps no autograded copy."""
        from nbgrader.utils import rmtree

        dest = os.path.normpath(
            self.converter._format_dest(ids["assignment_id"], ids["student_id"])
        )
        if os.path.exists(dest):
            rmtree(dest)


def _file_resources(path: str, resources: dict[str, Any]) -> dict[str, Any]:
    """The resources nbconvert's ``from_filename`` adds: the notebook's name, folder and date."""
    import datetime

    out = dict(resources)
    modified = datetime.datetime.fromtimestamp(os.path.getmtime(path), tz=datetime.UTC)
    out["metadata"] = {
        **dict(out.get("metadata") or {}),
        "name": os.path.splitext(os.path.basename(path))[0],
        "path": os.path.dirname(path),
        "modified_date": modified.strftime("%B %-d, %Y"),
    }
    return out


def _split_at_execute(preprocessors: list[Any]) -> tuple[list[Any], list[Any]]:
    from nbgrader.preprocessors import Execute

    for index, preprocessor in enumerate(preprocessors):
        if isinstance(preprocessor, type) and issubclass(preprocessor, Execute):
            return preprocessors[:index], preprocessors[index + 1 :]
    raise InvalidInput("the course's Autograde.autograde_preprocessors has no Execute step")


def _cells(path: Path) -> list[Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    cells: list[Any] = data.get("cells", [])
    return cells


def source_kernel(course: Course, assignment: str) -> str:
    """The kernel the assignment's source notebooks name (``python3`` by default)."""
    for path in course.notebooks(assignment):
        data = json.loads(path.read_text(encoding="utf-8"))
        name = data.get("metadata", {}).get("kernelspec", {}).get("name")
        if name:
            return str(name)
    return "python3"


def _prepare_reason(error: BaseException) -> str:
    from nbformat.reader import NotJSONError

    if isinstance(error, NotJSONError):
        return "the notebook is not valid JSON (damaged, or not a notebook): it cannot be graded"
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"the notebook could not be read: {type(error).__name__}: {message}".rstrip(": ")


def _with_scores(course: Course, assignment: str, outcomes: list[Outcome]) -> list[Outcome]:
    from govlab.course.gradebook import submission_totals

    totals = submission_totals(course, assignment)
    out = []
    for outcome in outcomes:
        score, max_score = totals.get(outcome.student, (None, None))
        out.append(
            Outcome(
                outcome.student, outcome.status, outcome.reason, outcome.seconds, score, max_score
            )
        )
    return out
