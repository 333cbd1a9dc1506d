"""Reading bulk check-ins from a CSV file, with messages naming the row and column.

One row is one KPI observation; rows with the same practice, jurisdiction and date
are one check-in (their status, progress and lessons must agree). Row numbers
count the header as row 1, as a spreadsheet shows them.

========================  ========  =============================================
column                    required  meaning
========================  ========  =============================================
practice                  yes       the practice's id
jurisdiction              yes       where you adopted it (as when you adopted it)
date                      yes       the check-in's date, YYYY-MM-DD
status                    yes       planned, in_progress, live, paused or stopped
progress                  yes       per cent done, 0 to 100 (``40`` or ``40%``)
lessons                   no        what you learned since the last check-in
indicator, value          no        a KPI observation: its name and number
unit, period              no        the observation's unit and period
========================  ========  =============================================
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from govlab.community.records import KPI, AdoptionStatus
from govlab.errors import InvalidInput, located

REQUIRED = ("practice", "jurisdiction", "date", "status", "progress")
OPTIONAL = ("lessons", "indicator", "value", "unit", "period")


@dataclass
class PlannedCheckIn:
    """One check-in read from the file, with the row it started on."""

    row: int
    practice: str
    jurisdiction: str
    day: date
    status: AdoptionStatus
    progress: int
    lessons: str
    kpis: list[KPI] = field(default_factory=list)


def read_checkins(path: str | Path) -> list[PlannedCheckIn]:
    """Parse and check the whole file; InvalidInput at the first bad row."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file.")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            raise InvalidInput(
                located(
                    f"missing column(s) {', '.join(missing)}; the file needs "
                    f"{', '.join(REQUIRED)} (and may have {', '.join(OPTIONAL)})",
                    file=path.name,
                    row=1,
                )
            )
        reader.fieldnames = columns
        planned: dict[tuple[str, str, date], PlannedCheckIn] = {}
        for number, raw in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
            _add_row(planned, row, number, path.name)
    if not planned:
        raise InvalidInput(located("no check-ins in the file", file=path.name))
    return list(planned.values())


def _add_row(
    planned: dict[tuple[str, str, date], PlannedCheckIn],
    row: dict[str, str],
    number: int,
    name: str,
) -> None:
    def bad(column: str, expected: str) -> InvalidInput:
        got = row.get(column, "")
        return InvalidInput(
            located(f"expected {expected}, got {got!r}", file=name, row=number, field=column)
        )

    for column in ("practice", "jurisdiction"):
        if not row.get(column):
            raise bad(column, f"the {column} (it is empty)")
    try:
        day = date.fromisoformat(row["date"])
    except ValueError:
        raise bad("date", "a date like 2026-03-31") from None
    try:
        status = AdoptionStatus(row["status"].lower().replace(" ", "_"))
    except ValueError:
        raise bad("status", " or ".join(s.value for s in AdoptionStatus)) from None
    progress_text = row["progress"].removesuffix("%").strip()
    if not progress_text.isdigit() or int(progress_text) > 100:
        raise bad("progress", "a whole number from 0 to 100")
    entry = PlannedCheckIn(
        number, row["practice"], row["jurisdiction"], day, status, int(progress_text),
        row.get("lessons", ""),
    )  # fmt: skip
    key = (entry.practice, entry.jurisdiction, day)
    earlier = planned.setdefault(key, entry)
    if earlier is not entry:
        for column, mine, theirs in (
            ("status", entry.status, earlier.status),
            ("progress", entry.progress, earlier.progress),
        ):
            if mine != theirs:
                raise bad(column, f"the same {column} as row {earlier.row} ({theirs})")
        if entry.lessons and not earlier.lessons:
            earlier.lessons = entry.lessons
    kpi = _kpi(row, bad)
    if kpi is not None:
        earlier.kpis.append(kpi)


def _kpi(row: dict[str, str], bad: Callable[[str, str], InvalidInput]) -> KPI | None:
    indicator, value = row.get("indicator", ""), row.get("value", "")
    if not indicator and not value:
        return None
    if not indicator:
        raise bad("indicator", "the indicator the value measures")
    try:
        number = float(value)
    except ValueError:
        raise bad("value", "a number such as 12.5") from None
    if not math.isfinite(number):
        raise bad("value", "a finite number")
    return KPI(
        indicator=indicator[:300],
        value=number,
        unit=row.get("unit", "")[:50],
        period=row.get("period", "")[:50],
    )
