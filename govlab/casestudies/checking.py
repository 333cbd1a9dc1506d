"""``govlab run CASE --data FILE --check``: read and check a file for a case, run nothing.

:func:`check_data` reads the whole file the way a run would (so every problem a
run would meet is met here, with the same message), and says what it found:
how the file was read, its rows and dates, the columns, and a suggested
``--map`` from the columns' names and values (:mod:`govlab.casestudies.suggest`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

import govlab.datasets.words as words
from govlab.casestudies.registry import get_case
from govlab.casestudies.spec import CaseStudy, DataSpec
from govlab.casestudies.suggest import Suggestion, suggest_mapping
from govlab.datasets.reading import (
    Detected,
    ReadOptions,
    detect_decimal,
    existing_file,
    sniff,
)
from govlab.errors import InvalidInput

_HEAD_ROWS = 2000


@dataclass(frozen=True)
class DataCheck:
    """What reading and checking a file for a case found.

    Attributes
    ----------
    case, file
        The case and the file checked.
    reading
        How the file was read (its :meth:`~govlab.datasets.reading.Detected.sentence`).
    rows
        Rows read (None when the file could not be read to the end).
    columns
        The file's columns.
    first_date, last_date
        The span of the case's date field (``YYYY-MM-DD``), when read.
    suggested
        A column for each field it could match, from names and values.
    mapping
        The mapping checked (the one given, else the suggested one when needed).
    problem
        The message a run would stop with, or None when the file is ready.
    notes
        What was assumed (resampling, a column left out ...).
    """

    case: str
    file: str
    reading: Detected
    rows: int | None
    columns: list[str]
    first_date: str | None
    last_date: str | None
    suggested: list[Suggestion]
    mapping: dict[str, str]
    problem: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether a run on this file would start."""
        return self.problem is None

    def suggested_map(self) -> str:
        """The suggestion in the interface's words: ``--map opened=Created --map ...``."""
        return " ".join(words.mapping(s.field, s.column) for s in self.suggested)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for ``--json`` and the explorer."""
        return {
            "case": self.case,
            "file": self.file,
            "reading": self.reading.to_dict(),
            "rows": self.rows,
            "columns": self.columns,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "suggested": [s.__dict__ for s in self.suggested],
            "mapping": self.mapping,
            "problem": self.problem,
            "notes": self.notes,
            "ok": self.ok,
        }


def check_data(
    name: str,
    data: str | Path,
    mapping: Mapping[str, str] | Sequence[str] | None = None,
    *,
    reading: ReadOptions | None = None,
    duplicates: str = "error",
    parameters: Mapping[str, Any] | Sequence[str] | None = None,
) -> DataCheck:
    """Read and check ``data`` for the case ``name`` as a run would; execute nothing.

    Raises
    ------
    InvalidInput
        Only for what no check can work around: no such case, no such file, an
        unknown field in the mapping. Problems in the file itself are returned
        in :attr:`DataCheck.problem`.
    """
    from govlab.casestudies.data import check_mapping, parse_mapping
    from govlab.casestudies.runner import prepare

    case = get_case(name)
    p = existing_file(data)
    given = reading or ReadOptions()
    fields = dict(mapping) if isinstance(mapping, Mapping) else parse_mapping(list(mapping or []))
    check_mapping(case.data, fields, case.name)
    how = sniff(p, given)
    head = _head(p, how)
    if head is not None and how.kind == "csv" and given.decimal is None:
        how = replace(how, decimal=detect_decimal(head, how.sep))
    suggested = suggest_mapping(case.data, head) if head is not None else []
    problem: str | None = None
    rows: int | None = None
    span: tuple[str | None, str | None] = (None, None)
    notes: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="govlab-check-"))
    try:
        run = prepare(
            name, data=p, mapping=fields, parameters=parameters, reading=given,
            duplicates=duplicates, work=work,
        )  # fmt: skip
        loaded = run.data
        assert loaded is not None
        how, rows, notes = loaded.reading, loaded.rows, list(loaded.notes)
        span = _span(case.data, loaded.source())
        notes += _assumptions(run.case, loaded.source(), run.parameters)
    except InvalidInput as error:
        problem = str(error)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return DataCheck(
        case.name, str(p), how, rows, [str(c) for c in (head.columns if head is not None else [])],
        span[0], span[1], suggested, fields, problem, notes,
    )  # fmt: skip


def _assumptions(case: CaseStudy, source: pd.DataFrame | Path, values: dict[str, Any]) -> list[str]:
    """What the case will assume or leave out on this data (the cases that say so ahead)."""
    from govlab.casestudies.runner import case_module

    said = getattr(case_module(case), "assumptions", None)  # an optional part of a case
    return [str(note) for note in said(source, values)] if said is not None else []


def _head(p: Path, how: Detected) -> pd.DataFrame | None:
    """The first rows as text, for the suggestion (None for JSON)."""
    if how.kind == "json":
        return None
    if how.kind == "parquet":
        import pyarrow.parquet as pq

        batch = next(pq.ParquetFile(p).iter_batches(_HEAD_ROWS), None)
        return batch.to_pandas() if batch is not None else pd.DataFrame()
    try:
        return pd.read_csv(
            p, sep=how.sep, encoding=how.encoding, skiprows=how.header_line - 1, dtype=str,
            keep_default_na=False, na_values=[""], nrows=_HEAD_ROWS,
        ).rename(columns=lambda c: str(c).strip())  # fmt: skip
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError):
        return None


def _span(spec: DataSpec, source: pd.DataFrame | Path) -> tuple[str | None, str | None]:
    """First and last value of the case's first date field."""
    date = next((f.name for f in spec.fields if f.type == "datetime"), None)
    if date is None:
        return None, None
    if isinstance(source, Path):
        import duckdb

        con = duckdb.connect()
        try:
            row = con.execute(
                f"SELECT min({date}), max({date}) FROM read_parquet(?)", [str(source)]
            ).fetchone()
        finally:
            con.close()
        low, high = row if row else (None, None)
    else:
        if date not in source.columns:
            return None, None
        low, high = source[date].min(), source[date].max()
    if low is None or pd.isna(low):
        return None, None
    return pd.Timestamp(low).strftime("%Y-%m-%d"), pd.Timestamp(high).strftime("%Y-%m-%d")
