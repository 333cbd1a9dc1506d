"""Make submissions from a release copy: for rehearsals, tests, benchmarks and ``check``.

A facilitator rehearsing a class, a test and the benchmark all need learners'
notebooks: the release copy (what a learner fetched) with some answer cells
filled in. :func:`solutions` reads the model answers out of a source notebook;
:func:`fill` puts answers into a release copy; :func:`submit` writes it where
``nbgrader collect`` would have put it.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from govlab.course.course import Course
from govlab.errors import InvalidInput

_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _nbgrader(cell: Mapping[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = cell.get("metadata", {}).get("nbgrader", {})
    return meta


def solutions(source_notebook: Path) -> dict[str, str]:
    """``{grade_id: code}``: the model answer of every answer cell, without its markers."""
    data = json.loads(source_notebook.read_text(encoding="utf-8"))
    return {
        _nbgrader(c)["grade_id"]: _MARKER.sub("", _source(c))
        for c in data["cells"]
        if _nbgrader(c).get("solution")
    }


def answer_cells(notebook: Mapping[str, Any]) -> list[str]:
    """The grade ids of the answer cells, in order."""
    return [_nbgrader(c)["grade_id"] for c in notebook["cells"] if _nbgrader(c).get("solution")]


def fill(
    release: Mapping[str, Any], answers: Mapping[str, str] | Callable[[str], str | None]
) -> dict[str, Any]:
    """A copy of a release notebook with answers in its answer cells.

    Parameters
    ----------
    release
        The release notebook's JSON.
    answers
        ``{grade_id: code}``, or a function of the grade id returning the code (None:
        leave the cell as released).
    """
    out: dict[str, Any] = json.loads(json.dumps(release))
    known = set(answer_cells(out))
    if isinstance(answers, Mapping):
        unknown = set(answers) - known
        if unknown:
            raise InvalidInput(f"no answer cell {sorted(unknown)[0]!r}; cells: {sorted(known)}")
    for cell in out["cells"]:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id not in known:
            continue
        code = answers.get(grade_id) if isinstance(answers, Mapping) else answers(grade_id)
        if code is not None:
            cell["source"] = code
    return out


def release_notebook(
    course: Course, assignment: str, notebook: str | None = None
) -> dict[str, Any]:
    """The release copy of a notebook (``release/ASSIGNMENT/NOTEBOOK.ipynb``) as JSON."""
    folder = course.folder("release") / assignment
    paths = sorted(folder.glob("*.ipynb")) if notebook is None else [folder / f"{notebook}.ipynb"]
    if not paths or not paths[0].is_file():
        raise InvalidInput(f"{folder}: no release copy; run `govlab course generate {assignment}`")
    data: dict[str, Any] = json.loads(paths[0].read_text(encoding="utf-8"))
    return data


def submit(
    course: Course,
    student: str,
    assignment: str,
    notebook: Mapping[str, Any] | str,
    *,
    name: str | None = None,
    timestamp: datetime.datetime | None = None,
) -> Path:
    """Write a learner's notebook to ``submitted/STUDENT/ASSIGNMENT/NAME.ipynb``.

    ``notebook`` is the notebook's JSON, or text written as it is (to rehearse a
    damaged file). Beside it, as ``nbgrader submit`` leaves them: ``timestamp.txt``
    (when it was submitted; now by default) and ``submission_secret.txt`` (the key
    its feedback is handed back under).
    """
    folder = course.folder("submitted") / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    when = timestamp or datetime.datetime.now(datetime.UTC)
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
    path = folder / f"{name or assignment}.ipynb"
    text = notebook if isinstance(notebook, str) else json.dumps(notebook, indent=1)
    path.write_text(text, encoding="utf-8")
    return path
