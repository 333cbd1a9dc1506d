"""Run a case study: check everything first, execute with papermill, write the report.

Order of a run (:func:`run_case`):

1. the case, every parameter (name, type, range) and ``--map`` are checked;
2. the participant's data, if any, is read (its encoding, separator, decimal
   mark, header row and date order worked out or given) onto the case's
   canonical fields and checked (a missing column names the file and the
   column, a bad value its line);
3. only then is the notebook executed (papermill, the current Python's
   ipykernel) and written beside the report, then the standalone HTML report.

Any mistake in 1-2 raises :class:`~govlab.errors.InvalidInput` before anything
is written. A progress callback hears ``(fraction done, what is happening)``
through all three.
"""

from __future__ import annotations

import importlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govlab.casestudies._kernel import execute_notebook
from govlab.casestudies.registry import get_case
from govlab.casestudies.spec import CaseModule, CaseStudy
from govlab.datasets.reading import ReadOptions
from govlab.errors import InvalidInput, located

if TYPE_CHECKING:
    from govlab.casestudies.cases import (
        digital_by_default,
        service_performance_311,
        shared_portal,
        transit_network,
    )
    from govlab.casestudies.data import CaseData

    # mypy checks each case module against the Protocol here (never run)
    _MODULES: tuple[CaseModule, ...] = (
        service_performance_311,
        shared_portal,
        transit_network,
        digital_by_default,
    )

Progress = Callable[[float, str], None]

# Shares of a run's progress: reading the data, executing the notebook, the report.
_READ, _EXECUTE = 0.25, 0.93


@dataclass(frozen=True)
class PreparedRun:
    """A run that passed every check: nothing has been executed or written yet."""

    case: CaseStudy
    parameters: dict[str, Any]
    data: CaseData | None
    data_label: str
    place: str | None = None
    work: Path | None = None


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
    illustration: dict[str, Any] = field(default_factory=dict)
    key_figures: list[dict[str, Any]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    illustration_findings: list[str] = field(default_factory=list)
    reading: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    place: str | None = None

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
            "illustration": self.illustration,
            "key_figures": self.key_figures,
            "findings": self.findings,
            "illustration_findings": self.illustration_findings,
            "reading": self.reading,
            "notes": self.notes,
            "place": self.place,
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


def _values(
    case: CaseStudy, parameters: Mapping[str, Any] | Sequence[str] | None
) -> dict[str, Any]:
    if parameters is None or isinstance(parameters, Mapping):
        return check_parameters(case, parameters or {})
    return check_parameters(case, parse_parameters(case, parameters))


def _mapping(mapping: Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    from govlab.casestudies.data import parse_mapping

    return dict(mapping) if isinstance(mapping, Mapping) else parse_mapping(list(mapping or []))


def prepare(
    name: str,
    *,
    data: str | Path | None = None,
    mapping: Mapping[str, str] | Sequence[str] | None = None,
    parameters: Mapping[str, Any] | Sequence[str] | None = None,
    reading: ReadOptions | None = None,
    duplicates: str = "error",
    place: str | None = None,
    work: Path | None = None,
    progress: Progress | None = None,
) -> PreparedRun:
    """Check a run without executing it: the case, the parameters, the mapping, the data.

    ``parameters`` and ``mapping`` may be typed mappings or the command line's
    ``NAME=VALUE`` strings; ``reading`` says how the file is written (None:
    worked out); ``work`` is a folder for a large log's Parquet copy.
    """
    from govlab.casestudies.data import check_mapping, read_case_data

    case = get_case(name)
    values = _values(case, parameters)
    fields = _mapping(mapping)
    check_mapping(case.data, fields, case.name)
    loaded = None
    if data is not None:
        loaded = read_case_data(
            case, Path(data).expanduser(), fields, reading=reading, duplicates=duplicates,
            work=work, progress=progress,
        )  # fmt: skip
    elif fields:
        raise InvalidInput("--map needs --data: a mapping names the columns of your file")
    case_module(case).check(loaded.frame if loaded else None, values)
    label = loaded.label if loaded else ""
    where = place or (loaded.place if loaded else None)
    return PreparedRun(case, values, loaded, label, where, work)


def run_case(
    name: str,
    *,
    out: str | Path,
    data: str | Path | None = None,
    mapping: Mapping[str, str] | Sequence[str] | None = None,
    parameters: Mapping[str, Any] | Sequence[str] | None = None,
    reading: ReadOptions | None = None,
    duplicates: str = "error",
    place: str | None = None,
    progress: bool | Progress = False,
    timeout: int = 600,
    on_data: Callable[[CaseData], None] | None = None,
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
    reading
        How your file is written (encoding, separator, decimal mark, date order);
        None: worked out from the file.
    duplicates
        Two rows for the same period: ``error`` (default), ``sum``, ``mean``, ``last``.
    place
        Where your data is from, for the report (default: what the file says).
    progress
        ``True`` shows papermill's progress bar; a function hears
        ``(fraction done, what is happening)``.
    timeout
        Seconds a single cell may run.
    on_data
        Called with the data once it is read and checked, before anything runs
        (the CLI prints how the file was read).

    Returns
    -------
    RunResult
        Paths written and the key figures (with the original case's when ``data`` was given).
    """
    started = time.perf_counter()
    report = _report_path(Path(out).expanduser().absolute(), get_case(name).name)
    tell = progress if callable(progress) else None
    work = Path(tempfile.mkdtemp(prefix="govlab-run-"))
    try:
        if tell:
            tell(0.0, "reading your data" if data is not None else "preparing")
        run = prepare(
            name, data=data, mapping=mapping, parameters=parameters, reading=reading,
            duplicates=duplicates, place=place, work=work,
            progress=(lambda f, what: tell(_READ * f, what)) if tell else None,
        )  # fmt: skip
        if on_data is not None and run.data is not None:
            on_data(run.data)
        return _run(run, report, work, started, progress is True, tell, timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(
    run: PreparedRun,
    html: Path,
    work: Path,
    started: float,
    bar: bool,
    tell: Progress | None,
    timeout: int,
) -> RunResult:
    executed = html.with_suffix(".ipynb")
    injected = dict(run.parameters)
    injected.update(_data_files(run, work))
    html.parent.mkdir(parents=True, exist_ok=True)
    cells = (lambda f: tell(_READ + (_EXECUTE - _READ) * f, "analysing")) if tell else None
    execute_notebook(
        run.case, executed, injected, work, progress=bar, timeout=timeout, on_cell=cells
    )
    if tell:
        tell(_EXECUTE, "writing the report")
    from govlab.casestudies.report import export_html

    export_html(executed, html, title=run.case.title)
    record = json.loads(Path(injected["figures_path"]).read_text(encoding="utf-8"))
    if tell:
        tell(1.0, "done")
    loaded = run.data
    return RunResult(
        case=run.case.name,
        report=html,
        notebook=executed,
        data=run.data_label or "default",
        synthetic=loaded is None and bool(case_module(run.case).DEFAULT_SYNTHETIC),
        parameters=run.parameters,
        figures=record["figures"],
        original=record["original"],
        seconds=time.perf_counter() - started,
        illustration=record.get("illustration", {}),
        key_figures=record.get("key_figures", []),
        findings=record.get("findings", []),
        illustration_findings=record.get("illustration_findings", []),
        reading=loaded.reading.to_dict() if loaded else None,
        notes=list(loaded.notes) if loaded else [],
        place=run.place,
    )


def _data_files(run: PreparedRun, work: Path) -> dict[str, str]:
    """The run variables of the notebook: where the data, its description and the figures go."""
    files = {
        "figures_path": str(work / "figures.json"),
        "data_label": run.data_label,
        "data_path": "",
        "data_info": "",
    }
    from govlab.datasets.words import interface

    loaded = run.data
    info: dict[str, Any] = {"interface": interface()}
    if run.place:
        info["place"] = run.place
    if loaded is not None:
        if loaded.parquet is not None:
            files["data_path"] = str(loaded.parquet)
        else:
            assert loaded.frame is not None
            files["data_path"] = str(work / "data.parquet")
            frame = loaded.frame.copy()
            frame.attrs = {}  # what the kernel needs travels in data_info
            frame.to_parquet(files["data_path"], index=False)
        info.update(
            label=loaded.label,
            reading=loaded.reading.sentence(),
            detected=loaded.reading.to_dict(),
            rows=loaded.rows,
            mapping=loaded.mapping,
            notes=list(loaded.notes),
            attrs=_plain_attrs(loaded),
        )
    files["data_info"] = str(work / "data_info.json")
    Path(files["data_info"]).write_text(json.dumps(info, default=str), encoding="utf-8")
    return files


def _plain_attrs(loaded: CaseData) -> dict[str, Any]:
    """The frame's attributes a notebook uses (layout, level, frequency of a series)."""
    if loaded.frame is None:
        return {}
    keep = ("layout", "level", "frequency", "file", "row_offset", "columns", "notes")
    return {k: v for k, v in loaded.frame.attrs.items() if k in keep}


def _report_path(out: Path, case: str) -> Path:
    if out.is_dir():
        return out / f"{case}.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise InvalidInput(located("the report must be an .html file (or a folder)", file=out))
    return out


def list_cases() -> list[dict[str, Any]]:
    """Every case with its typed parameters (``govlab run --list``)."""
    from govlab.casestudies.registry import CASES

    return [case.describe() for case in CASES.values()]
