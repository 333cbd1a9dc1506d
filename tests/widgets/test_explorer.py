"""The case-study explorer: a file of one's own, mapped, checked row by row, run and compared."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from govlab.testing.community import Community
from govlab.widgets import CaseStudyExplorer
from govlab.widgets.explorer import NOT_IN_FILE

CASE = "service-performance-311"
COLUMNS = ("Ticket", "Created", "Closed", "Type", "Department")


def requests_csv(path: Path, bad_row: int | None = None) -> Path:
    """Sixty requests in a city's own column names (row 1 is the header)."""
    start = datetime.datetime(2024, 1, 1, 8)
    rows: list[tuple[str, ...]] = [COLUMNS]
    for n in range(60):
        opened = start + datetime.timedelta(hours=7 * n)
        closed = opened + datetime.timedelta(hours=(n % 9) * 11 + 1)
        kind = ("Pothole", "Streetlight", "Graffiti")[n % 3]
        rows.append((f"T{n}", f"{opened:%Y-%m-%d %H:%M}", f"{closed:%Y-%m-%d %H:%M}", kind,
                     ("Roads", "Lighting")[n % 2]))  # fmt: skip
    if bad_row is not None:
        rows[bad_row - 1] = (rows[bad_row - 1][0], "not a date", *rows[bad_row - 1][2:])
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def upload(explorer: CaseStudyExplorer, path: Path) -> None:
    """What the browser's file picker hands the kernel."""
    explorer.upload.value = (
        {"name": path.name, "type": "text/csv", "size": path.stat().st_size,
         "content": memoryview(path.read_bytes()), "last_modified": datetime.datetime.now()},
    )  # fmt: skip


def map_columns(explorer: CaseStudyExplorer) -> None:
    for field, column in {"id": "Ticket", "opened": "Created", "category": "Type",
                          "agency": "Department"}.items():  # fmt: skip
        explorer.mapping[field].value = column


def test_columns_are_suggested_from_the_file_and_named_as_in_messages(
    world: Community, tmp_path: Path
) -> None:
    explorer = CaseStudyExplorer(world.admin)
    explorer.picker.selected = CASE
    upload(explorer, requests_csv(tmp_path / "ours.csv"))
    chosen = {field: dropdown.value for field, dropdown in explorer.mapping.items()}
    # by name and by values (Ticket holds unique ids, Created and Closed hold times)
    assert chosen["id"] == "Ticket" and chosen["opened"] == "Created"
    assert chosen["closed"] == "Closed" and chosen["agency"] == "Department"
    assert chosen["district"] == NOT_IN_FILE  # nothing like it: never a wild guess
    assert explorer.mapping["opened"].description == "Column for opened"
    assert "ours.csv: 60 rows, 5 columns" in explorer.file_note.value  # read as a run reads
    assert explorer.notice.text == ""


def test_a_bad_row_is_named_by_row_and_column(world: Community, tmp_path: Path) -> None:
    explorer = CaseStudyExplorer(world.admin)
    explorer.picker.selected = CASE
    upload(explorer, requests_csv(tmp_path / "ours.csv", bad_row=4))
    # said as soon as the file is in, before any run: the file, its line and its column
    assert "ours.csv, row 4, column 'Created'" in explorer.notice.text
    assert "not a date" in explorer.notice.text and str(tmp_path) not in explorer.notice.text
    assert 'the "Date format" setting' in explorer.notice.text  # a control of this widget
    assert "Date format" in [control.description for control in explorer.reading.values()]
    explorer.run_mine.click()
    assert "row 4, column 'Created'" in explorer.notice.text
    assert explorer.results.value == ""


def test_a_missing_field_is_said_in_the_explorers_words(world: Community, tmp_path: Path) -> None:
    explorer = CaseStudyExplorer(world.admin)
    explorer.picker.selected = CASE
    upload(explorer, requests_csv(tmp_path / "ours.csv"))
    for dropdown in explorer.mapping.values():
        dropdown.value = NOT_IN_FILE
    explorer.run_mine.click()
    text = explorer.notice.text
    assert "--map" not in text and "mapping=" not in text and str(tmp_path) not in text
    assert 'the "Column for id" choice' in text and "ours.csv" in text


@pytest.mark.slow
def test_a_run_on_ones_own_file_is_compared_with_the_original(
    world: Community, tmp_path: Path
) -> None:
    explorer = CaseStudyExplorer(world.admin)
    explorer.picker.selected = CASE
    upload(explorer, requests_csv(tmp_path / "ours.csv"))
    map_columns(explorer)
    explorer.parameters["sla_hours"].value = "not a number"
    explorer.run_mine.click()
    assert "parameter 'sla_hours'" in explorer.notice.text
    explorer.parameters["sla_hours"].value = "48"
    result = explorer.run(own_data=True)
    assert result is not None and explorer.notice.text == ""
    figures = {f.key: f for f in result.figures}
    assert figures["requests"].value == 60 and figures["requests"].original == 2000
    shown = explorer.results.value
    assert '<th scope="col">Original case</th>' in shown
    assert "<td>60</td><td>2,000</td>" in shown  # worked out: sixty rows, the NYC log's 2,000
    assert "<h3>What the figures say</h3>" in shown and "<strong>" in shown  # findings
    assert explorer.progress.value == explorer.progress.max
    assert explorer.step.value == "<p>Done.</p>"
    assert len(explorer.chart_box.children) == len(result.charts) > 0
    assert 'href="data:text/html;base64,' in explorer.download.value
