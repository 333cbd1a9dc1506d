"""How light a workshop kernel is: thirty of them share one machine.

Every figure comes from fresh processes, measured side by side in one run:

* ``import_s``: ``import govlab`` in a new Python (the median of five), against a bare
  ``python -c pass`` start.
* ``browser_kernel_rss_mb``: the resident memory of a kernel that has opened the
  library and shown the PracticeBrowser, against a bare kernel (``bare_kernel_rss_mb``).
* per workshop notebook (``notebooks/NN_*.ipynb``), in a fresh kernel each, in a copy
  of the folder with a library of its own: seconds, the kernel's memory when the
  notebook is done, and the peak of its process tree (a case run starts a second kernel).
  ``participant_peak_mb`` is the largest peak: the memory a participant needs.

Run it through the lock: ``flock /tmp/govlab-heavy.lock .venv/bin/python
benchmarks/bench_kernel.py``. A progress bar on stderr; JSON on the last line.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
IMPORT_LIMIT_S = 0.3
BROWSER_LIMIT_MB = 180.0
NOTEBOOK_LIMIT_S = 30.0
SHOW_BROWSER = """
import govlab
from govlab.widgets import PracticeBrowser
from IPython.display import display
display(PracticeBrowser(govlab.open_library(show_guidelines=False)))
"""
TIME_IMPORT = "import time; t = time.perf_counter(); import govlab; print(time.perf_counter() - t)"


def import_seconds(code: str, runs: int = 5) -> float:
    """The median time ``code`` reports (or, for code printing nothing, its whole run)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        times.append(float(out) if out else time.perf_counter() - started)
    return statistics.median(times)


def tree_rss_mb(process: psutil.Process) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


@contextmanager
def peak_watch(process: psutil.Process) -> Iterator[list[float]]:
    """Sample the process tree's memory every 0.2 s; the list holds the peak."""
    peak = [0.0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_rss_mb(process))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield peak
    finally:
        done.set()
        watcher.join()


def run_in_kernel(notebook: Any, folder: Path) -> dict[str, float]:
    """Execute ``notebook`` in a fresh kernel in ``folder``: seconds, RSS after, peak."""
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    started = time.perf_counter()
    with client.setup_kernel():
        assert client.km is not None and client.km.provisioner is not None
        kernel = psutil.Process(client.km.provisioner.pid)  # type: ignore[attr-defined]
        with peak_watch(kernel) as peak:
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
        after = kernel.memory_info().rss / 2**20
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "rss_mb": round(after, 1),
        "peak_mb": round(max(peak[0], after), 1),
    }


def one_cell(code: str) -> Any:
    """A notebook of one code cell."""
    from nbformat.v4 import new_code_cell, new_notebook

    return new_notebook(cells=[new_code_cell(code)])  # type: ignore[no-untyped-call]


def main() -> None:
    """Measure, print a line per figure, and the JSON last."""
    import nbformat

    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    bar = tqdm(total=4 + len(notebooks), desc="bench_kernel", unit="step", file=sys.stderr)
    figures: dict[str, Any] = {}
    figures["python_start_s"] = round(import_seconds("pass"), 3)
    figures["import_s"] = round(import_seconds(TIME_IMPORT), 3)
    bar.update(2)
    with tempfile.TemporaryDirectory(prefix="govlab-bench-kernel-") as tmp:
        os.environ |= {"GOVLAB_HOME": f"{tmp}/home", "GOVLAB_USER": "participant"}
        os.environ.pop("GOVLAB_DB_URL", None)
        figures["bare_kernel_rss_mb"] = run_in_kernel(one_cell("pass"), Path(tmp))["rss_mb"]
        bar.update()
        figures["browser_kernel_rss_mb"] = run_in_kernel(one_cell(SHOW_BROWSER), Path(tmp))[
            "rss_mb"
        ]
        bar.update()
        copy = Path(tmp) / "workshop" / "notebooks"
        shutil.copytree(ROOT / "notebooks", copy)
        figures["notebooks"] = {}
        for path in notebooks:
            bar.set_postfix_str(path.stem)
            book = nbformat.read(copy / path.name, as_version=4)  # type: ignore[no-untyped-call]
            figures["notebooks"][path.stem] = run_in_kernel(book, copy)
            bar.update()
    bar.close()
    per = figures["notebooks"].values()
    figures["participant_peak_mb"] = max(f["peak_mb"] for f in per)
    figures["slowest_notebook_s"] = max(f["seconds"] for f in per)
    figures["within_limits"] = (
        figures["import_s"] <= IMPORT_LIMIT_S
        and figures["browser_kernel_rss_mb"] <= BROWSER_LIMIT_MB
        and figures["slowest_notebook_s"] <= NOTEBOOK_LIMIT_S
    )
    print(f"python start: {figures['python_start_s']} s; import govlab: {figures['import_s']} s")
    print(
        f"kernel RSS: bare {figures['bare_kernel_rss_mb']} MB, "
        f"with the PracticeBrowser {figures['browser_kernel_rss_mb']} MB"
    )
    for name, f in figures["notebooks"].items():
        print(f"{name}: {f['seconds']} s, {f['rss_mb']} MB after, peak {f['peak_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
