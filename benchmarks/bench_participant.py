"""What one participant costs the machine: a kernel running the workshop's notebooks.

Each notebook in ``notebooks/`` runs in a fresh kernel (nbclient) through a govlab
service, as on the hub; the kernel's peak resident memory (its process tree) and CPU
seconds are read with psutil. The README's "Running a workshop for 30 people" quotes
these figures. JSON on the last line: kernel_rss_mb (the largest), kernel_cpu_s (sum).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def run(notebook: Path) -> tuple[float, float]:
    """Peak RSS (MB) and CPU seconds of the kernel that runs ``notebook``."""
    import nbformat
    from nbclient import NotebookClient

    book = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        book,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    peak = [0.0]
    done = threading.Event()
    with client.setup_kernel():
        assert client.km is not None and client.km.provisioner is not None
        kernel = psutil.Process(client.km.provisioner.pid)

        def watch() -> None:
            while not done.wait(0.2):
                try:
                    rss = sum(
                        p.memory_info().rss for p in [kernel, *kernel.children(recursive=True)]
                    )
                except psutil.Error:
                    return
                peak[0] = max(peak[0], rss / 2**20)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        for index, cell in enumerate(book.cells):
            client.execute_cell(cell, index)
        cpu = kernel.cpu_times()
        done.set()
        watcher.join()
    return peak[0], cpu.user + cpu.system


def main() -> None:
    from govlab.community.session import open_library
    from govlab.service.tokens import TokenFile
    from govlab.testing.service import running_service

    with tempfile.TemporaryDirectory(prefix="govlab-bench-participant-") as folder:
        db = f"sqlite:///{folder}/library.db"
        tokens = TokenFile(Path(folder) / "tokens.json")
        with open_library(db, user="lead", show_guidelines=False) as lead:
            lead.add_member("participant")
            token = tokens.issue(lead, "participant", days=1)
        extra = ["--tokens", str(tokens.path)]
        with running_service(db, "lead", Path(folder), extra=extra) as service:
            os.environ |= {"GOVLAB_SERVICE_URL": service.url, "GOVLAB_TOKEN": token}
            os.environ.pop("GOVLAB_DB_URL", None)
            figures = {}
            for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
                started = time.perf_counter()
                rss, cpu = run(notebook)
                figures[notebook.name] = (rss, cpu, time.perf_counter() - started)
                wall = figures[notebook.name][2]
                print(f"{notebook.name}: peak {rss:.0f} MB, {cpu:.1f} CPU s, {wall:.1f} s")
    print(
        json.dumps(
            {
                "kernel_rss_mb": round(max(f[0] for f in figures.values()), 1),
                "kernel_cpu_s": round(sum(f[1] for f in figures.values()), 2),
                "notebooks": len(figures),
            }
        )
    )


if __name__ == "__main__":
    main()
