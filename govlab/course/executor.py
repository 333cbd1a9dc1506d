"""Run notebooks in worker processes, each with a kernel started ahead of time.

A worker owns one kernel that is ready before a notebook arrives. When a notebook
arrives the worker starts the *next* kernel (it boots while this one runs), runs
the notebook on the ready one with nbgrader's own :class:`~nbgrader.preprocessors.Execute`
preprocessor (same time limit, same error handling), sends the result back and
kills that kernel: one fresh kernel per notebook, never reused.

The kernel runs in an empty folder of its own, outside the course, holding only
the assignment's data files: the graded notebook (with its hidden tests), the
gradebook and the source are not in it nor above it, and a learner's code that
deletes files deletes only its own copies. The grading processes work from a
neutral folder too. A kernel runs as the same account as the grader, so this keeps
honest mistakes and casual snooping away from the course, not a determined attack
through ``/proc``: for high-stakes grading run ``govlab course`` in a container or
under an account of its own.

The workers never touch the gradebook: the process that started them writes it,
one submission at a time (nbgrader's SQLite gradebook takes one writer).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import queue
import shutil
import subprocess
import tempfile
import time
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Environment variables a kernel must not inherit: they name the grader's folders.
_PRIVATE_ENV = ("PWD", "OLDPWD", "GOVLAB_COURSE", "GOVLAB_EXCHANGE", "JPY_SESSION_NAME")


@dataclass(frozen=True)
class Settings:
    """What every worker needs: nbgrader's ``Execute`` config and where to make folders."""

    execute_config: dict[str, dict[str, Any]]
    scratch: str
    kernel_name: str = "python3"
    log_file: str | None = None
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """One notebook to run: its JSON, its kernel and the files to put beside it."""

    key: str
    notebook: str
    kernel_name: str
    files: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Result:
    """A notebook run: the executed JSON, or why it could not run to the end."""

    key: str
    notebook: str | None
    error: str | None
    reason: str | None
    seconds: float
    worker: int


class WorkerPool:
    """``size`` worker processes fed from one queue; results come back in completion order.

    Use as a context manager: leaving it stops the workers and their kernels.
    """

    def __init__(self, settings: Settings, size: int) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        context = multiprocessing.get_context("spawn")
        self._jobs: multiprocessing.Queue[Job | None] = context.Queue()
        self._results: multiprocessing.Queue[Result] = context.Queue()
        self._workers = [
            context.Process(
                target=_worker_main,
                args=(number, settings, self._jobs, self._results),
                name=f"govlab-grader-{number}",
                daemon=True,
            )
            for number in range(size)
        ]
        self.size = size
        self.pending = 0

    def __enter__(self) -> WorkerPool:
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, job: Job) -> None:
        """Queue a notebook for the next free worker."""
        self._jobs.put(job)
        self.pending += 1

    def next_result(self, timeout: float) -> Result:
        """The next finished job; raises RuntimeError when every worker has died."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = self._results.get(timeout=1.0)
            except queue.Empty:
                if not any(worker.is_alive() for worker in self._workers):
                    raise RuntimeError("every grading worker stopped unexpectedly") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no notebook finished within {timeout:.0f} s") from None
                continue
            self.pending -= 1
            return result

    def close(self) -> None:
        """Stop the workers (each kills its ready kernel) and wait for them."""
        for _ in self._workers:
            self._jobs.put(None)
        for worker in self._workers:
            worker.join(timeout=15)
            if worker.is_alive():
                worker.kill()
                worker.join(timeout=5)
        self._jobs.close()
        self._results.close()


# --- inside a worker process ---------------------------------------------------------------


class _Kernels:
    """A worker's kernels: one ready ahead of time, each used once."""

    def __init__(self, number: int, settings: Settings) -> None:
        self.number = number
        self.settings = settings
        self.count = 0
        self.log = open(settings.log_file, "a", encoding="utf-8") if settings.log_file else None  # noqa: SIM115
        self.ready: tuple[Any, Path, str] | None = None

    def _folder(self) -> Path:
        self.count += 1
        folder = Path(self.settings.scratch) / f"w{self.number}-k{self.count}"
        folder.mkdir()
        return folder

    def launch(self, kernel_name: str) -> tuple[Any, Path, str]:
        """Start a kernel in a fresh empty folder; it boots while the caller goes on."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        folder = self._folder()
        env = {k: v for k, v in os.environ.items() if k not in _PRIVATE_ENV}
        env.update(self.settings.env, PWD=str(folder))
        manager = AsyncKernelManager(kernel_name=kernel_name)
        extra = list(self.settings.execute_config.get("Execute", {}).get("extra_arguments", []))
        output: Any = self.log if self.log is not None else subprocess.DEVNULL
        run_sync(manager.start_kernel)(
            cwd=str(folder), env=env, extra_arguments=extra, stdout=output, stderr=output
        )
        return manager, folder, kernel_name

    def take(self, kernel_name: str) -> tuple[Any, Path]:
        """The ready kernel (or a new one for another kernel name); starts the next one."""
        if self.ready is not None and self.ready[2] == kernel_name:
            manager, folder, _ = self.ready
        else:
            if self.ready is not None:
                self.discard(self.ready[0], self.ready[1])
            manager, folder, _ = self.launch(kernel_name)
        self.ready = self.launch(kernel_name)
        return manager, folder

    def discard(self, manager: Any, folder: Path) -> None:
        from jupyter_core.utils import run_sync

        with contextlib.suppress(Exception):  # the kernel may already be dead
            run_sync(manager.shutdown_kernel)(now=True)
        shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        if self.ready is not None:
            self.discard(self.ready[0], self.ready[1])
            self.ready = None
        if self.log is not None:
            self.log.close()


def _worker_main(
    number: int,
    settings: Settings,
    jobs: multiprocessing.Queue[Job | None],
    results: multiprocessing.Queue[Result],
) -> None:
    os.chdir(settings.scratch)  # never the course: a kernel's parent must not point at it
    os.environ.update(settings.env)
    executor = _make_executor(settings.execute_config)
    kernels = _Kernels(number, settings)
    try:
        kernels.ready = kernels.launch(settings.kernel_name)  # boots while the first job is made
        job = jobs.get()
        while job is not None:
            results.put(_run(executor, kernels, job, number))
            job = jobs.get()
    finally:
        kernels.close()


def _make_executor(config: Mapping[str, Mapping[str, Any]]) -> Any:
    from nbgrader.preprocessors import Execute
    from traitlets.config import Config

    class Tracking(Execute):  # type: ignore[misc]
        """nbgrader's Execute, remembering which cell it is running (to say where it died)."""

        current: int | None = None

        def preprocess_cell(self, cell: Any, resources: Any, index: int) -> Any:
            self.current = index
            return super().preprocess_cell(cell, resources, index)

    cfg = Config()
    for section, values in config.items():
        for key, value in values.items():
            cfg[section][key] = value
    # the subclass reads the config sections of Execute and its bases by their names
    return Tracking(config=cfg)


def _run(executor: Any, kernels: _Kernels, job: Job, number: int) -> Result:
    import nbformat

    start = time.perf_counter()
    manager, folder = kernels.take(job.kernel_name)
    try:
        for relative, source in job.files:
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
        notebook = nbformat.v4.nbjson.reads(job.notebook)  # type: ignore[no-untyped-call]
        executed, _ = executor.preprocess(notebook, {"metadata": {"path": str(folder)}}, km=manager)
        text, error, reason = json.dumps(executed), None, None
    except Exception as exc:  # student code can break a run in any way; report it, go on
        text, error, reason = None, traceback.format_exc(), _reason(exc, executor)
    finally:
        with contextlib.suppress(Exception):
            if executor.kc is not None:
                executor.kc.stop_channels()
        executor.kc = None
        executor.km = None
        executor.current = None
    seconds = time.perf_counter() - start
    kernels.discard(manager, folder)
    return Result(job.key, text, error, reason, seconds, number)


def _reason(exc: BaseException, executor: Any) -> str:
    """A facilitator's sentence for why a notebook could not run to the end."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    where = _current_cell(executor)
    if isinstance(exc, DeadKernelError):
        return (
            f"the kernel died{where} (the code crashed it, called os._exit, or ran out of memory)"
        )
    if isinstance(exc, CellTimeoutError):
        return f"a cell{where} ran longer than the time limit and could not be interrupted"
    if isinstance(exc, RuntimeError) and "Kernel didn't respond" in str(exc):
        return f"the kernel stopped responding{where}"
    return f"{type(exc).__name__}{where}: {exc}".strip()


def _current_cell(executor: Any) -> str:
    """Where a run stopped: the cell the executor was running."""
    nb = getattr(executor, "nb", None)
    index = getattr(executor, "current", None)
    if nb is None or index is None or index >= len(nb.cells):
        return ""
    grade_id = nb.cells[index].get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f" in cell {index + 1}" + (f" ({grade_id})" if grade_id else "")


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A private temporary folder outside the course for the workers' kernels."""
    folder = Path(tempfile.mkdtemp(prefix="govlab-grading-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
