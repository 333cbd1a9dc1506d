"""load_open311 and load_open311_notes on the real Chicago records and broken JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import REQUEST_COLUMNS, load_open311, load_open311_notes, sample_path
from govlab.datasets.open311 import NOTE_COLUMNS
from govlab.errors import InvalidInput


def test_chicago_requests() -> None:
    frame = load_open311(sample_path("chicago_open311"))
    assert list(frame.columns[:8]) == REQUEST_COLUMNS
    assert frame["id"].tolist() == ["14-00684314", "14-02155558", "14-01880796"]
    assert frame["status"].tolist() == ["closed"] * 3
    first = frame.iloc[0]
    assert first["category"] == "Pothole in Street"
    assert first["agency"] == "Division of In-House Construction CDOT"
    # requested 2014-05-09T19:02:21-05:00 -> local wall time, offset dropped
    assert first["opened"] == pd.Timestamp("2014-05-09 19:02:21")
    # the 'closed' note at 2015-10-10T10:15:40-05:00 gives the closing time
    assert first["closed"] == pd.Timestamp("2015-10-10 10:15:40")
    assert (first["channel"], first["district"]) == ("PHONE", "21")
    assert first["notes_count"] == 7
    assert json.loads(first["attributes"]) == {"WHEREIST": "TRAFFIC"}
    # second request: opened in winter, offset -06:00, still local time
    assert frame["opened"].iloc[1] == pd.Timestamp("2014-12-17 18:39:03")
    assert frame["parent_service_request_id"].iloc[1] == "15-05164921"


def test_chicago_notes() -> None:
    notes = load_open311_notes(sample_path("chicago_open311"))
    assert list(notes.columns) == NOTE_COLUMNS
    assert len(notes) == 7 + 2 + 5
    follow_on = notes[notes["type"] == "follow_on_created"]
    assert follow_on["related_id"].tolist() == ["14-01225670", "14-01235584", "15-01615813"]
    assert notes["datetime"].iloc[1] == pd.Timestamp("2014-07-29 14:11:00")


def test_requests_without_notes(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    path.write_text(
        json.dumps(
            [
                {
                    "service_request_id": 7,
                    "requested_datetime": "2020-06-01T09:00:00Z",
                    "updated_datetime": "2020-06-02T10:00:00Z",
                    "status": "closed",
                    "service_name": "Graffiti",
                }
            ]
        ),
        encoding="utf-8",
    )
    frame = load_open311(path)
    assert frame["id"].iloc[0] == "7"
    assert frame["closed"].iloc[0] == pd.Timestamp("2020-06-02 10:00")
    assert load_open311_notes(path).empty


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("open311_not_a_list.json", r"found a dict with keys 'service_requests'"),
        (
            "open311_item_not_object.json",
            r"open311_item_not_object\.json, row 2: expected a service request \(a JSON object\)",
        ),
        (
            "open311_missing_id.json",
            r"open311_missing_id\.json, row 2, column 'service_request_id': "
            r"the request has no 'service_request_id'",
        ),
        ("open311_invalid.json", r"open311_invalid\.json: not valid JSON: .* at line 1, column"),
        ("open311_empty_list.json", r"the JSON list holds no service requests"),
        ("empty.csv", r"empty\.csv: the file is empty"),
    ],
)
def test_bad_json(fixtures: Path, name: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        load_open311(fixtures / name)
