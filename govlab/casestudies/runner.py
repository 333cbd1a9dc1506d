"""Run a case study: check everything first, execute with papermill, write the report.

Order of a run (:func:`run_case`):

1. the case, every parameter (name, type, range) and ``--map`` are checked;
2. the participant's data, if any, is loaded onto the case's canonical fields
   and checked (a missing column names the file and the column);
3. only then is the notebook executed (papermill, the current Python's
   ipykernel) and written beside the report, then the standalone HTML report.

Any mistake in 1-2 raises :class:`~govlab.errors.InvalidInput` before anything
is written.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govlab.casestudies._imports import import_jsonschema_quickly
from govlab.casestudies.registry import get_case
from govlab.casestudies.spec import CaseModule, CaseStudy
from govlab.errors import GovlabError, InvalidInput, located

if TYPE_CHECKING:
    import pandas as pd

    from govlab.casestudies.cases import service_performance_311, shared_portal, transit_network

    # mypy checks each case module against the Protocol here (never run)
    _MODULES: tuple[CaseModule, ...] = (service_performance_311, shared_portal, transit_network)

KERNEL_NAME = "govlab-python"


@dataclass(frozen=True)
class PreparedRun:
    """A run that passed every check: nothing has been executed or written yet."""

    case: CaseStudy
    parameters: dict[str, Any]
    data: pd.DataFrame | None
    data_label: str


@dataclass(frozen=True)
class RunResult:
    """What a run produced (``synthetic``: the figures come from generated data)."""

    case: str
    report: Path
    notebook: Path
    data: str
    synthetic: bool
    parameters: dict[str, Any]
    figures: dict[str, Any]
    original: dict[str, Any] | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (what ``govlab run --json`` prints)."""
        return {
            "case": self.case,
            "report": str(self.report),
            "notebook": str(self.notebook),
            "data": self.data,
            "synthetic": self.synthetic,
            "parameters": self.parameters,
            "figures": self.figures,
            "original": self.original,
            "seconds": round(self.seconds, 2),
        }


def parse_parameters(case: CaseStudy, items: Sequence[str]) -> dict[str, Any]:
    """Turn ``["sla_hours=48", ...]`` (the ``-p`` options) into checked, typed values."""
    values: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"-p {item!r}: expected NAME=VALUE, e.g. -p sla_hours=48")
        values[name.strip()] = case.parameter(name.strip()).parse(text)
    return values


def check_parameters(case: CaseStudy, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter of the case: the defaults updated with ``values``, each checked."""
    out = case.defaults()
    for name, value in values.items():
        out[name] = case.parameter(name).check(value)
    return out


def case_module(case: CaseStudy) -> CaseModule:
    """The module with the case's ``default_data``, ``check`` and ``analyse``."""
    module: CaseModule = importlib.import_module(
        f"govlab.casestudies.cases.{case.name.replace('-', '_')}"
    )
    return module


def prepare(
    name: str,
    *,
    data: str | Path | None = None,
    mapping: Mapping[str, str] | Sequence[str] | None = None,
    parameters: Mapping[str, Any] | Sequence[str] | None = None,
) -> PreparedRun:
    """Check a run without executing it: the case, the parameters, the mapping, the data.

    ``parameters`` and ``mapping`` may be typed mappings or the command line's
    ``NAME=VALUE`` strings.
    """
    from govlab.casestudies.data import check_mapping, load_case_data, parse_mapping

    case = get_case(name)
    if parameters is None or isinstance(parameters, Mapping):
        values = check_parameters(case, parameters or {})
    else:
        values = check_parameters(case, parse_parameters(case, parameters))
    fields = mapping if isinstance(mapping, Mapping) else parse_mapping(list(mapping or []))
    check_mapping(case.data, fields, case.name)
    frame = None
    if data is not None:
        frame = load_case_data(case, Path(data).expanduser(), fields)
    elif fields:
        raise InvalidInput("--map needs --data: a mapping names the columns of your file")
    case_module(case).check(frame, values)
    label = Path(data).name if data is not None else ""
    return PreparedRun(case=case, parameters=values, data=frame, data_label=label)


def run_case(
    name: str,
    *,
    out: str | Path,
    data: str | Path | None = None,
    mapping: Mapping[str, str] | Sequence[str] | None = None,
    parameters: Mapping[str, Any] | Sequence[str] | None = None,
    progress: bool = False,
    timeout: int = 600,
) -> RunResult:
    """Check, then execute a case study and write its notebook and HTML report.

    Parameters
    ----------
    name
        A case of :data:`govlab.casestudies.registry.CASES`.
    out
        The HTML report to write (a folder: ``<folder>/<case>.html``); the
        executed notebook goes beside it with the suffix ``.ipynb``.
    data
        Your CSV / Parquet file; the case's own data when None.
    mapping
        Canonical field -> your column (or ``FIELD=COLUMN`` strings).
    parameters
        Parameter values (or ``NAME=VALUE`` strings); unknown names and wrong
        types are refused.
    progress
        Show papermill's progress bar.
    timeout
        Seconds a single cell may run.

    Returns
    -------
    RunResult
        Paths written and the key figures (with the original case's when ``data`` was given).
    """
    started = time.perf_counter()
    run = prepare(name, data=data, mapping=mapping, parameters=parameters)
    html = _report_path(Path(out).expanduser().absolute(), run.case.name)
    executed = html.with_suffix(".ipynb")
    with tempfile.TemporaryDirectory(prefix="govlab-run-") as tmp:
        work = Path(tmp)
        injected = dict(run.parameters)
        injected["figures_path"] = str(work / "figures.json")
        injected["data_label"] = run.data_label
        injected["data_path"] = ""
        if run.data is not None:
            injected["data_path"] = str(work / "data.parquet")
            run.data.to_parquet(injected["data_path"], index=False)
        html.parent.mkdir(parents=True, exist_ok=True)
        _execute(run.case, executed, injected, work, progress=progress, timeout=timeout)
        from govlab.casestudies.report import export_html

        export_html(executed, html, title=run.case.title)
        record = json.loads(Path(injected["figures_path"]).read_text(encoding="utf-8"))
    return RunResult(
        case=run.case.name,
        report=html,
        notebook=executed,
        data=run.data_label or "default",
        synthetic=run.data is None and bool(case_module(run.case).DEFAULT_SYNTHETIC),
        parameters=run.parameters,
        figures=record["figures"],
        original=record["original"],
        seconds=time.perf_counter() - started,
    )


def _report_path(out: Path, case: str) -> Path:
    if out.is_dir():
        return out / f"{case}.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise InvalidInput(located("the report must be an .html file (or a folder)", file=out))
    return out


def _execute(
    case: CaseStudy,
    output: Path,
    parameters: dict[str, Any],
    work: Path,
    *,
    progress: bool,
    timeout: int,
) -> None:
    import_jsonschema_quickly()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = resources.files("govlab.casestudies").joinpath("notebooks").joinpath(case.notebook)
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


def list_cases() -> list[dict[str, Any]]:
    """Every case with its typed parameters (``govlab run --list``)."""
    from govlab.casestudies.registry import CASES

    return [case.describe() for case in CASES.values()]
