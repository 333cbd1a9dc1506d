"""The Python API behind the case-study explorer widget: list, inspect, run.

Three calls cover what the explorer shows. Every error a person can fix is a
:class:`govlab.InvalidInput` whose message names the file (the uploaded file's
own name), the row (the file's own line number) and the column, worded for the
widget's controls (:func:`govlab.datasets.speaking`)::

    from govlab.casestudies import explorer

    for case in explorer.cases():               # CaseInfo: fields and parameters
        print(case.name, [f["name"] for f in case.fields])

    found = explorer.inspect("service-performance-311", upload_bytes, filename="city.csv")
    found.reading.sentence()                    # "read as Latin-1, ';'-separated, ..."
    found.suggested                             # [Suggestion(field, column, score, why)]
    found.problem                               # None, or the message a run would stop with

    run = explorer.run(
        "service-performance-311",
        upload_bytes, filename="city.csv",
        mapping={s.field: s.column for s in found.suggested},
        parameters={"sla_hours": 48},
        progress=lambda fraction, what: bar.update(fraction, what),
    )
    run.figures        # [FigureValue(key, label, unit, value, text, original, ...)]
    run.charts         # the report's Plotly figures (plotly.graph_objects.Figure)
    run.findings       # the report's plain-language sentences
    run.report         # path of the offline HTML report

* :func:`cases` lists every case with its fields (name, type, required, help,
  example) and parameters (name, type, default, choices, minimum, maximum).
* :func:`inspect` reads and checks a file (a path, or the bytes of an upload)
  as a run would, and says how it was read, its rows and dates, and a suggested
  mapping from the columns' names and values. Nothing runs.
* :func:`run` runs a case on the file (or on the case's own data when ``data``
  is None) and returns the key figures with the original case's beside them and
  a ``synthetic`` flag each, the charts, the findings and the report's path.

The reading options are keyword arguments of both: ``encoding``, ``sep``,
``decimal``, ``dayfirst``, ``date_format``, and ``duplicates`` (``error``,
``sum``, ``mean``, ``last``) for series.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govlab.casestudies.checking import DataCheck, check_data
from govlab.casestudies.registry import CASES
from govlab.datasets.reading import ReadOptions
from govlab.datasets.words import speaking
from govlab.errors import InvalidInput

__all__ = ["CaseInfo", "CaseRun", "FigureValue", "cases", "inspect", "run"]

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class CaseInfo:
    """A case as the explorer lists it."""

    name: str
    title: str
    description: str
    practices: list[str]
    default_data: str
    fields: list[dict[str, Any]]
    parameters: list[dict[str, Any]]
    figures: list[dict[str, Any]]


@dataclass(frozen=True)
class FigureValue:
    """One key figure of a run, as the report writes it, beside the original case's."""

    key: str
    label: str
    unit: str
    value: Any
    text: str
    original: Any
    original_text: str
    synthetic: bool


@dataclass(frozen=True)
class CaseRun:
    """What :func:`run` returns."""

    case: str
    figures: list[FigureValue]
    charts: list[Any]
    findings: list[str]
    report: Path
    notebook: Path
    reading: dict[str, Any] | None
    notes: list[str]
    synthetic: bool
    place: str | None
    result: dict[str, Any] = field(repr=False, default_factory=dict)


def cases() -> list[CaseInfo]:
    """Every runnable case with its fields and parameters."""
    out = []
    for case in CASES.values():
        described = case.describe()
        out.append(
            CaseInfo(
                name=case.name,
                title=case.title,
                description=case.description,
                practices=list(case.practices),
                default_data=described["data"]["default"],
                fields=described["data"]["fields"],
                parameters=described["parameters"],
                figures=described["figures"],
            )
        )
    return out


def inspect(
    case: str,
    data: str | Path | bytes,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
    duplicates: str = "error",
) -> DataCheck:
    """Read and check a file for ``case``: what was found, and a suggested mapping.

    ``data`` is a path, or the bytes of an upload named ``filename`` (its
    extension tells CSV from Parquet). A problem in the file is returned in
    :attr:`DataCheck.problem` (worded for the widget), not raised.
    """
    reading = ReadOptions(encoding, sep, decimal, dayfirst, date_format)
    with _as_file(data, filename) as (path, shown):
        with speaking("widget"):
            found = check_data(
                case, path, dict(mapping or {}), reading=reading, duplicates=duplicates,
                parameters=dict(parameters or {}),
            )  # fmt: skip
        if found.problem:
            found = _renamed(found, str(path), shown)
        return DataCheck(**{**found.__dict__, "file": shown})


def run(
    case: str,
    data: str | Path | bytes | None = None,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
    duplicates: str = "error",
    place: str | None = None,
    progress: Progress | None = None,
    out: str | Path | None = None,
) -> CaseRun:
    """Run ``case`` on ``data`` (None: the case's own) and return what the explorer shows.

    ``out`` is where the HTML report goes (default: a new temporary folder that
    stays until the process ends); ``progress`` hears ``(fraction, what)``.

    Raises
    ------
    govlab.InvalidInput
        A bad parameter, mapping or value: the message names the file, the line
        and the column.
    """
    from govlab.casestudies.runner import run_case

    reading = ReadOptions(encoding, sep, decimal, dayfirst, date_format)
    target = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="govlab-explorer-"))
    with _as_file(data, filename) as (path, shown), speaking("widget"):
        try:
            result = run_case(
                case, out=target if target.suffix == ".html" else target / f"{case}.html",
                data=path, mapping=dict(mapping or {}), parameters=dict(parameters or {}),
                reading=reading, duplicates=duplicates, place=place, progress=progress or False,
            )  # fmt: skip
        except InvalidInput as error:
            if path is None:
                raise
            raise InvalidInput(str(error).replace(str(path), shown)) from None
    record = result.to_dict()
    return CaseRun(
        case=result.case,
        figures=[_figure(result.case, f) for f in result.key_figures],
        charts=charts(result.notebook),
        findings=list(result.findings),
        report=result.report,
        notebook=result.notebook,
        reading=result.reading,
        notes=list(result.notes),
        synthetic=result.synthetic,
        place=result.place,
        result=record,
    )


def _figure(case: str, item: Mapping[str, Any]) -> FigureValue:
    from govlab.casestudies.notebook import say

    original = item.get("original")
    return FigureValue(
        key=item["key"], label=item["label"], unit=item["unit"], value=item["value"],
        text=item["text"], original=original,
        original_text="" if original is None else say(case, item["key"], original),
        synthetic=bool(item["synthetic"]),
    )  # fmt: skip


def charts(notebook: Path) -> list[Any]:
    """The Plotly figures an executed case notebook shows, in order."""
    import nbformat
    import plotly.io as pio

    nb = nbformat.read(notebook, as_version=4)
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            spec = output.get("data", {}).get("application/vnd.plotly.v1+json")
            if spec is not None:
                out.append(pio.from_json(_json(spec), skip_invalid=True))
    return out


def _json(spec: Any) -> str:
    import json

    return json.dumps(spec)


@contextmanager
def _as_file(data: str | Path | bytes | None, filename: str | None) -> Iterator[tuple[Any, str]]:
    """A path for ``data`` (the bytes of an upload go to a temporary file of that name)."""
    if data is None:
        yield None, ""
        return
    if not isinstance(data, bytes):
        yield Path(data), Path(data).name
        return
    name = Path(filename or "upload.csv").name
    folder = Path(tempfile.mkdtemp(prefix="govlab-upload-"))
    try:
        path = folder / name
        path.write_bytes(data)
        yield path, name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _renamed(found: DataCheck, path: str, shown: str) -> DataCheck:
    problem = found.problem.replace(path, shown) if found.problem else None
    return DataCheck(**{**found.__dict__, "problem": problem})
