"""Every notebook in the repository runs from top to bottom, and is committed clean.

The workshop's guided path (``notebooks/``) is executed in a copy of the folder, as a
participant's kernel would run it (its working folder is the notebook's), against the
test's own library (``$GOVLAB_HOME`` of the autouse fixture, never the user's home),
each within the time a workshop can wait. The Voila apps (``widgets/``) are executed too.
Case-study notebooks (govlab/casestudies) are executed through ``govlab run`` in
tests/casestudies; nbgrader course sources are executed by the course tests.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKSHOP = ROOT / "notebooks"
PATH_ORDER = [
    "00_start_here",
    "01_browse_and_rate",
    "02_run_a_case_study",
    "03_rerun_on_your_data",
    "04_contribute_a_practice",
    "05_build_a_dashboard",
    "06_report_progress",
]
SECONDS_PER_NOTEBOOK = 30  # what a participant waits for "Run All", at most
WORKSHOP_NOTEBOOKS = sorted(WORKSHOP.glob("[0-9][0-9]_*.ipynb"))  # not what 05 writes
APP_NOTEBOOKS = sorted((ROOT / "widgets").glob("*.ipynb"))
ALL_NOTEBOOKS = sorted(
    p for p in ROOT.rglob("*.ipynb") if not {".venv", ".ipynb_checkpoints"} & set(p.parts)
)
# a path that exists only on the machine the notebook was written on
ABSOLUTE_PATH = re.compile(r"(?<![\w/.])(/(home|root|work|tmp|Users|var|opt)/|[A-Z]:\\\\|file://)")


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_guided_path_is_all_there() -> None:
    assert [p.stem for p in WORKSHOP_NOTEBOOKS] == PATH_ORDER
    assert (WORKSHOP / "data" / "council_requests.csv").is_file()


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_id)
def test_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.get("outputs") or cell.get("execution_count")
    ]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", [*WORKSHOP_NOTEBOOKS, *APP_NOTEBOOKS], ids=_id)
def test_notebook_hygiene(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3", path.name
    text = "\n".join(cell.source for cell in notebook.cells)
    assert not ABSOLUTE_PATH.search(text), f"{path.name}: {ABSOLUTE_PATH.search(text)}"
    headings = [
        line
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("# ")
    ]
    if path.parent == WORKSHOP:  # an app's heading is its component's
        assert len(headings) == 1 and notebook.cells[0].source.startswith("# "), headings
    else:
        assert len(headings) <= 1, headings


@pytest.mark.parametrize("path", WORKSHOP_NOTEBOOKS, ids=_id)
def test_workshop_notebooks_are_written_for_a_person(path: Path) -> None:
    """A sentence before every code cell, and never more than a few lines of code in one."""
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        assert index > 0 and cells[index - 1].cell_type == "markdown", f"{path.name} cell {index}"
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= 10, f"{path.name} cell {index} has {len(lines)} lines of code"


def execute(path: Path, folder: Path) -> tuple[Any, float]:
    """Run ``path`` with ``folder`` as its working folder; (the notebook, seconds taken)."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    started = time.monotonic()
    client.execute()
    return notebook, time.monotonic() - started


def errors_in(notebook: Any) -> list[str]:
    """Each error and each stderr text a notebook's cells printed."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{output['ename']}: {output['evalue']}")
            elif output.get("name") == "stderr":
                found.append(output["text"])
    return found


@pytest.fixture
def workshop_copy(tmp_path: Path) -> Path:
    """The notebooks folder copied, so what a notebook writes lands in the test's folder."""
    copy = tmp_path / "workshop" / "notebooks"
    shutil.copytree(WORKSHOP, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return copy


@pytest.mark.slow
@pytest.mark.parametrize("name", PATH_ORDER)
def test_workshop_notebook_runs_in_time(name: str, workshop_copy: Path, govlab_home: Path) -> None:
    notebook, seconds = execute(workshop_copy / f"{name}.ipynb", workshop_copy)
    if os.environ.get("GOVLAB_EXECUTED"):  # a folder to keep the executed notebooks in, to read
        nbformat.write(notebook, Path(os.environ["GOVLAB_EXECUTED"]) / f"{name}.ipynb")
    assert errors_in(notebook) == []
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    # a cell that ends in an expression or prints shows something (the rest set things up)
    assert sum(bool(cell.outputs) for cell in code) >= len(code) - 3, name
    assert seconds <= SECONDS_PER_NOTEBOOK, f"{name} took {seconds:.1f} s"
    assert (govlab_home / "library.db").exists()  # the test's library, not the user's
    check = LEFT_BEHIND.get(name)
    if check is not None:
        import govlab

        with govlab.open_library(show_guidelines=False) as library:
            check(library, workshop_copy)


def _rated(library: Any, folder: Path) -> None:
    assert library.ratings("seoul-owl-bus").mine == 4
    assert [c.author for c in library.comments("seoul-owl-bus")] == ["tester"]


def _reran(library: Any, folder: Path) -> None:
    report = (folder / "council_311_report.html").read_text(encoding="utf-8")
    assert "311" in report and len(report) > 10_000  # the offline report, beside the notebook


def _contributed(library: Any, folder: Path) -> None:
    practice = library.get("school-streets-tester")
    assert practice.status == "submitted" and practice.revision == 3  # create, edit, submit
    assert practice.outcomes[0].value == 35


def _app_written(library: Any, folder: Path) -> None:
    app = nbformat.read(folder / "my_dashboard.ipynb", as_version=4)
    assert [c.source for c in app.cells][1:] == [
        "TransparencyDashboard(city='Boston')",
        "Leaderboard()",
    ]


def _checked_in(library: Any, folder: Path) -> None:
    (adoption,) = library.adoptions("seoul-owl-bus", member="tester")
    (check_in,) = library.checkins(adoption.id)
    assert (adoption.jurisdiction, check_in.progress, check_in.kpis[0].value) == (
        "Example City",
        40,
        1850,
    )


# what a notebook leaves in the library (or the folder), checked after it ran
LEFT_BEHIND = {
    "00_start_here": lambda library, _: (
        library.profile().guidelines_accepted is not None
        or pytest.fail("the guidelines were not accepted")
    ),
    "01_browse_and_rate": _rated,
    "03_rerun_on_your_data": _reran,
    "04_contribute_a_practice": _contributed,
    "05_build_a_dashboard": _app_written,
    "06_report_progress": _checked_in,
}


@pytest.mark.slow
@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=_id)
def test_app_notebook_runs(path: Path) -> None:
    notebook, _ = execute(path, path.parent)
    assert errors_in(notebook) == []
    # a Voila app: one import, one component shown (its page is tested in tests/browser)
    views = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    ]
    assert len(views) == 1, f"{path.name} shows {len(views)} widgets, not its component"
