"""Executing a case notebook with papermill in a kernel of this very Python (private)."""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from govlab.casestudies._imports import import_jsonschema_quickly
from govlab.casestudies.spec import CaseStudy
from govlab.errors import GovlabError

KERNEL_NAME = "govlab-python"


def execute_notebook(
    case: CaseStudy,
    output: Path,
    parameters: dict[str, Any],
    work: Path,
    *,
    progress: bool,
    timeout: int,
    on_cell: Callable[[float], None] | None = None,
) -> None:
    """Execute the case's notebook with ``parameters`` into ``output``.

    ``on_cell`` hears the share of the code cells executed so far.

    Raises
    ------
    GovlabError
        A cell failed: the message names the cell and the error, and where the
        notebook so far was written.
    """
    import_jsonschema_quickly()
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = resources.files("govlab.casestudies").joinpath("notebooks").joinpath(case.notebook)
    hooks: dict[str, Any] = {}
    if on_cell is not None:
        cells = nbformat.reads(source.read_text("utf-8"), as_version=4).cells
        total = len([c for c in cells if c.cell_type == "code"]) + 1  # + injected parameters
        done = [0]

        def executed(**_: Any) -> None:
            done[0] += 1
            on_cell(min(1.0, done[0] / total))

        hooks["on_cell_executed"] = executed
    with resources.as_file(source) as notebook:
        try:
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                kernel_manager_class=_kernel_manager_class(work),
                language="python",
                progress_bar=progress,
                cwd=str(work),
                execution_timeout=timeout,
                request_save_on_cell_execute=False,
                **hooks,
            )
        except PapermillExecutionError as error:
            raise GovlabError(
                f"case {case.name!r} stopped at cell {error.exec_count}: {error.ename}: "
                f"{error.evalue} (the notebook so far is in {output})"
            ) from None


def _kernel_manager_class(work: Path) -> type:
    """Kernel managers for an ipykernel in this very Python (not whatever ``python3`` means).

    nbclient creates the manager from this class, so it also shuts the kernel
    down and closes its sockets at the end.
    """
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    kernels = work / "kernels"
    write_kernel_spec(kernels / KERNEL_NAME, overrides={"display_name": "govlab"})
    specs = KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)
    # Unix sockets in the run's own folder: no open ports, and no warning about them;
    # Windows has none, and keeps the local TCP ports.
    sockets = {} if os.name == "nt" else {"transport": "ipc", "ip": str(work / "ipc")}

    class RunKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**{"kernel_spec_manager": specs, **sockets, **kwargs})

    return RunKernelManager
