"""The case-study explorer: a file of one's own, mapped, checked row by row, run and compared."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from govlab.testing.community import Community
from govlab.widgets import CaseStudyExplorer
from govlab.widgets.explorer import suggest_column

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


def test_columns_are_guessed_by_name_and_never_wildly() -> None:
    columns = ["Unique Key", "Created Date", "Closed Date", "Agency Name", "Incident Zip", "Status"]
    assert suggest_column("closed", columns) == "Closed Date"
    assert suggest_column("agency", columns) == "Agency Name"
    assert suggest_column("status", columns) == "Status"
    assert suggest_column("id", columns) is None  # not "Incident Zip"
    assert suggest_column("district", columns) is None


def test_a_bad_row_is_named_by_row_and_column(world: Community, tmp_path: Path) -> None:
    explorer = CaseStudyExplorer(world.admin)
    explorer.picker.selected = CASE
    upload(explorer, requests_csv(tmp_path / "ours.csv", bad_row=4))
    assert explorer.mapping["closed"].value == "Closed"  # guessed from its name
    map_columns(explorer)
    explorer.run_mine.click()
    text = explorer.notice.text
    assert "row 4, column 'opened'" in text or "row 4, column 'Created'" in text
    assert "not a date" in text and str(tmp_path) not in text
    assert explorer.results.value == ""


def test_a_missing_field_is_said_in_the_explorers_words(world: Community, tmp_path: Path) -> None:
    explorer = CaseStudyExplorer(world.admin)
    explorer.picker.selected = CASE
    upload(explorer, requests_csv(tmp_path / "ours.csv"))
    explorer.run_mine.click()
    assert "required field 'id'" in explorer.notice.text and "--map" not in explorer.notice.text
    assert "choose its column beside id under Your data" in explorer.notice.text


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
    assert result.figures["requests"] == 60 and result.original["requests"] == 2000
    shown = explorer.results.value
    assert '<th scope="col">Original case</th>' in shown and "<td>60</td>" in shown
    assert "On your data," in shown
    assert explorer.progress.value == explorer.progress.max
    assert explorer.chart_box.children  # the case's Plotly charts
    assert 'href="data:text/html;base64,' in explorer.download.value
