"""Citizen feedback text: survey comments, complaints, app reviews."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from govlab.datasets.reading import (
    PathLike,
    existing_file,
    options,
    read_table,
    require_columns,
    rows_of,
)
from govlab.datasets.values import column_dates, column_numbers, line_at, na_text, text_column
from govlab.errors import InvalidInput, located

#: Canonical feedback columns, in order.
FEEDBACK_COLUMNS: list[str] = ["id", "date", "text", "service", "channel", "district", "rating"]

_AUSTIN = {"text": "Comment", "district": "Council District", "date": "Date as of Date"}


def load_feedback(
    path: PathLike,
    mapping: Mapping[str, str] | None = None,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Load feedback text onto the canonical feedback columns.

    Parameters
    ----------
    path
        A CSV file, e.g. ``sample_path("austin_community_survey_comments")``.
    mapping
        Canonical field -> your column, e.g. ``{"text": "Comment", "date":
        "Submitted"}``. Only ``text`` is required. When None, the Austin
        community-survey layout (``Year``, ``Council District``, ``Comment``) and
        files already using the canonical names are recognised.
    sep, encoding, decimal, dayfirst, date_format
        How the file is written; detected when None (see :mod:`govlab.datasets.reading`).

    Returns
    -------
    pandas.DataFrame
        :data:`FEEDBACK_COLUMNS` then the source columns not mapped. ``id`` is the
        source id, or the row number in the file when there is none; ``date`` is
        datetime64[ns]; ``rating`` is float (NaN when not given). For the Austin
        survey, ``date`` is the survey year's 1 January (the source's
        placeholder) and ``channel`` is ``"survey"``. Rows with empty text are
        left out; their count is in ``attrs["blank_rows"]``.

    Raises
    ------
    InvalidInput
        A mapped column is missing, a date or rating cannot be read (the header is
        row 1, so the first comment is row 2).
    """
    p = existing_file(path)
    raw = read_table(p, options(encoding=encoding, sep=sep, decimal=decimal, dayfirst=dayfirst))
    fixed: dict[str, str] = {}
    if mapping is None:
        mapping, fixed = _detect(raw, p)
    _check_mapping(mapping)
    require_columns(raw, list(mapping.values()), file=p)
    out = pd.DataFrame(index=raw.index)
    lines = rows_of(raw)
    rows = pd.Series([line_at(lines, i) for i in range(len(raw))], index=raw.index)
    out["id"] = text_column(raw[mapping["id"]]) if "id" in mapping else rows.astype("str")
    if "date" in mapping:
        out["date"] = column_dates(
            raw, mapping["date"], file=p, dayfirst=dayfirst, date_format=date_format
        )
    else:
        out["date"] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for field in ("text", "service", "channel", "district"):
        if field in mapping:
            out[field] = text_column(raw[mapping[field]])
        else:
            out[field] = na_text(raw.index)
    for field, value in fixed.items():
        out[field] = pd.Series(value, index=raw.index, dtype="str")
    if "rating" in mapping:
        out["rating"] = column_numbers(raw, mapping["rating"], file=p)
    else:
        out["rating"] = float("nan")
    extras = [c for c in raw.columns if c not in set(mapping.values())]
    out = pd.concat([out, raw[extras]], axis=1)
    blank = out["text"].isna()
    out = out[~blank].reset_index(drop=True)
    out.attrs["blank_rows"] = int(blank.sum())
    return out


def _detect(raw: pd.DataFrame, p: object) -> tuple[dict[str, str], dict[str, str]]:
    columns = list(raw.columns)
    if all(c in columns for c in ("Year", "Council District", "Comment")):
        mapping = {k: v for k, v in _AUSTIN.items() if v in columns}
        return mapping, {"channel": "survey"}
    if "text" in columns:
        return {c: c for c in FEEDBACK_COLUMNS if c in columns}, {}
    found = ", ".join(repr(c) for c in columns)
    raise InvalidInput(
        located(
            "cannot recognise the feedback layout: expected a 'text' column (or the Austin "
            f"survey's 'Comment'); columns found: {found}. Pass mapping={{'text': ...}}",
            file=p,
        )
    )


def _check_mapping(mapping: Mapping[str, str]) -> None:
    for field in mapping:
        if field not in FEEDBACK_COLUMNS:
            raise InvalidInput(
                f"mapping: unknown field {field!r}; expected some of {', '.join(FEEDBACK_COLUMNS)}"
            )
    if "text" not in mapping:
        raise InvalidInput(
            "mapping: the field 'text' is required (the column holding the comments)"
        )
