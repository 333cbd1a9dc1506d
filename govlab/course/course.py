"""A course folder: its nbgrader config, its assignments, and how nbgrader is run on it."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govlab.errors import GovlabError, InvalidInput, NotFound

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

CONFIG_FILE = "nbgrader_config.py"
#: The folders nbgrader makes in a course root, in the order an assignment passes them.
STEPS = ("source", "release", "submitted", "autograded", "feedback")


@dataclass(frozen=True)
class Course:
    """An nbgrader course root: a folder with ``nbgrader_config.py`` and ``source/``.

    Parameters
    ----------
    root
        The course folder (absolute).
    exchange
        Where assignments are released and collected, instead of the one the
        course's config names (``--exchange``).
    timeout
        Seconds one cell may run while grading, instead of the config's.
    """

    root: Path
    exchange: Path | None = None
    timeout: int | None = None
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    @classmethod
    def find(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        exchange: str | os.PathLike[str] | None = None,
        timeout: int | None = None,
    ) -> Course:
        """The course in ``path`` (default: the current folder).

        Raises
        ------
        InvalidInput
            The folder has no ``nbgrader_config.py`` or no ``source/`` folder.
        """
        root = Path(path if path is not None else os.getcwd()).expanduser().resolve()
        if not root.is_dir():
            raise InvalidInput(f"--course {root}: no such folder")
        if not (root / CONFIG_FILE).is_file():
            raise InvalidInput(
                f"--course {root}: not a course folder ({CONFIG_FILE} is missing); "
                "run the command in a course folder or name one with --course PATH"
            )
        if not (root / "source").is_dir():
            raise InvalidInput(f"--course {root}: the course has no source/ folder")
        if timeout is not None and (not isinstance(timeout, int) or timeout < 1):
            raise InvalidInput(f"--timeout must be a whole number of seconds >= 1, got {timeout}")
        ex = Path(exchange).expanduser().resolve() if exchange is not None else None
        return cls(root=root, exchange=ex, timeout=timeout)

    # --- what is in it ------------------------------------------------------------------

    def folder(self, step: str) -> Path:
        """The folder of one nbgrader step (``source``, ``release``, ``autograded``...)."""
        if step not in STEPS:
            raise ValueError(f"unknown step {step!r}")
        return self.root / step

    def assignments(self) -> list[str]:
        """The assignments in ``source/``, sorted by name."""
        source = self.folder("source")
        return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def pick(self, assignment: str | None) -> list[str]:
        """One assignment checked against ``source/``, or every one when None."""
        names = self.assignments()
        if assignment is None:
            if not names:
                raise NotFound(f"{self.folder('source')}: the course has no assignments yet")
            return names
        if assignment not in names:
            raise NotFound(
                f"no assignment {assignment!r} in {self.folder('source')}; "
                f"assignments: {', '.join(names) or 'none'}"
            )
        return [assignment]

    def notebooks(self, assignment: str) -> list[Path]:
        """The source notebooks of an assignment, sorted by name."""
        return sorted((self.folder("source") / assignment).glob("*.ipynb"))

    def students(self, assignment: str) -> list[str]:
        """Students with a submission of ``assignment`` in ``submitted/``, sorted."""
        submitted = self.folder("submitted")
        if not submitted.is_dir():
            return []
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())

    @property
    def db_url(self) -> str:
        """The gradebook's SQLAlchemy URL, from the course's config."""
        url: str = self.config().CourseDirectory.db_url
        return url

    # --- nbgrader configuration ---------------------------------------------------------

    def config(self) -> Config:
        """The course's ``nbgrader_config.py`` with this run's overrides.

        Only the course's own file is read, never the machine's Jupyter config, so a
        course grades the same on every machine.
        """
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        loader = PyFileConfigLoader(CONFIG_FILE, path=str(self.root))
        try:
            cfg: Config = loader.load_config()
        except Exception as error:  # a facilitator's Python file: any error is theirs
            raise InvalidInput(f"{self.root / CONFIG_FILE}: cannot be read ({error})") from None
        extra = Config()
        extra.CourseDirectory.root = str(self.root)
        if "db_url" not in cfg.CourseDirectory:
            extra.CourseDirectory.db_url = f"sqlite:///{self.root / 'gradebook.db'}"
        if self.exchange is not None:
            extra.Exchange.root = str(self.exchange)
        if self.timeout is not None:
            extra.ExecutePreprocessor.timeout = self.timeout
            extra.Execute.timeout = self.timeout
        for section, values in self.overrides.items():
            for key, value in values.items():
                extra[section][key] = value
        cfg.merge(extra)
        return cfg

    def cell_timeout(self) -> int:
        """Seconds one cell may run while grading (``Execute.timeout``)."""
        cfg = self.config()
        for section in ("Execute", "ExecutePreprocessor"):
            if "timeout" in cfg[section]:
                return int(cfg[section].timeout)
        return 30  # nbgrader's default

    def api(self, log: logging.Logger | None = None) -> NbGraderAPI:
        """Nbgrader's own API on this course's config."""
        from nbgrader.apps import NbGraderAPI

        api = NbGraderAPI(config=self.config())
        if log is not None:
            api.log = log
        return api


@contextlib.contextmanager
def nbgrader_environment() -> Iterator[None]:
    """Run nbgrader with this Python's ``bin/`` first on PATH (it calls ``alembic`` from PATH)."""
    bin_dir = str(Path(sys.executable).parent)
    old = os.environ.get("PATH", "")
    if old.split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + old
    try:
        yield
    finally:
        os.environ["PATH"] = old


def quiet_logger(name: str, path: Path | None = None) -> logging.Logger:
    """A logger for nbgrader's messages: into ``path`` (when given), never the terminal."""
    log = logging.getLogger(f"govlab.course.{name}")
    log.propagate = False
    log.setLevel(logging.INFO)
    for old in list(log.handlers):
        log.removeHandler(old)
        old.close()
    handler: logging.Handler = logging.NullHandler()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    return log


def nbgrader_ok(outcome: Mapping[str, Any], what: str) -> None:
    """Raise GovlabError with nbgrader's last error line unless an API call succeeded."""
    if outcome.get("success"):
        return
    text = str(outcome.get("error") or "") + "\n" + str(outcome.get("log") or "")
    lines = [line.strip() for line in text.splitlines() if "ERROR" in line or "Error" in line]
    detail = lines[-1] if lines else (text.strip().splitlines() or ["no message"])[-1]
    raise GovlabError(f"{what}: {detail}")
