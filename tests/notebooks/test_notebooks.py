"""Every notebook in the repository runs from top to bottom, and is committed without outputs.

Case-study notebooks (govlab/casestudies) are executed through ``govlab run`` in
tests/casestudies; nbgrader course sources are executed by the course tests.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]

FOLDERS = ("notebooks", "widgets")
NOTEBOOKS = sorted(
    path
    for folder in FOLDERS
    for path in (ROOT / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)
ALL_NOTEBOOKS = sorted(
    p for p in ROOT.rglob("*.ipynb") if not {".venv", ".ipynb_checkpoints"} & set(p.parts)
)


def test_there_are_notebooks() -> None:
    assert ROOT / "notebooks" / "00_start_here.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.get("outputs") or cell.get("execution_count")
    ]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    if path.parent.name == "widgets":
        # a Voila app: one import, one component shown (its page is tested in tests/browser)
        views = [
            output
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        ]
        assert len(views) == 1, f"{path.name} shows {len(views)} widgets, not its component"
        return
    # the notebook showed something in every code cell that ends in an expression or print
    assert (
        sum(bool(cell.get("outputs")) for cell in notebook.cells if cell.cell_type == "code") >= 3
    )
