"""load_requests: the canonical frame, format detection, the mapping path and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import REQUEST_COLUMNS, REQUEST_DTYPES, load_requests, sample_path
from govlab.errors import InvalidInput

FOREIGN = {
    "id": "Reference",
    "opened": "Date Logged",
    "closed": "Date Resolved",
    "category": "Service Area",
    "agency": "Department",
    "status": "Current Status",
    "channel": "Contact Method",
    "district": "Ward",
}


def check_canonical(frame: pd.DataFrame) -> None:
    assert list(frame.columns[: len(REQUEST_COLUMNS)]) == REQUEST_COLUMNS
    for column, dtype in REQUEST_DTYPES.items():
        assert frame[column].dtype == dtype, column
    for column in ("category", "agency", "status", "channel", "district"):
        assert not frame[column].isin(["nan", "None", ""]).any(), column


def test_foreign_schema_through_mapping(fixtures: Path) -> None:
    frame = load_requests(fixtures / "foreign_schema.csv", FOREIGN)
    check_canonical(frame)
    assert frame["id"].tolist() == ["CR-1001", "CR-1002", "CR-1003"]
    # day-first dates: 13/01/2023 09:30 -> 16/01/2023 14:00 is 3 days 4.5 h = 76.5 h
    hours = (frame["closed"] - frame["opened"]).dt.total_seconds() / 3600
    assert hours.iloc[0] == pytest.approx(76.5)
    # 20/01 08:15 -> 17:45 is 9.5 h; CR-1002 is still open
    assert hours.iloc[2] == pytest.approx(9.5)
    assert pd.isna(frame["closed"].iloc[1])
    assert frame["district"].tolist() == ["Riverside", "Hillcrest", "Riverside"]
    # the unmapped column follows, its blank cell missing rather than "nan"
    assert list(frame.columns[8:]) == ["Notes"]
    assert pd.isna(frame["Notes"].iloc[1])


def test_partial_mapping_leaves_other_fields_missing(fixtures: Path) -> None:
    frame = load_requests(
        fixtures / "foreign_schema.csv", {"id": "Reference", "opened": "Date Logged"}
    )
    check_canonical(frame)
    assert frame["closed"].isna().all()
    assert frame["category"].isna().all()
    assert "Service Area" in frame.columns


def test_explicit_date_format(fixtures: Path) -> None:
    frame = load_requests(fixtures / "foreign_schema.csv", FOREIGN, date_format="%d/%m/%Y %H:%M")
    assert frame["opened"].iloc[0] == pd.Timestamp("2023-01-13 09:30")


def test_detects_nyc_and_open311_csv(fixtures: Path) -> None:
    nyc = load_requests(sample_path("nyc311"))
    assert nyc.attrs["source_format"] == "nyc311-41"
    assert len(nyc) == 2000
    open311 = load_requests(fixtures / "open311_requests.csv")
    check_canonical(open311)
    assert open311["id"].tolist() == ["101", "102"]
    # closed request: updated_datetime stands in for the closing time, offset dropped
    assert open311["closed"].iloc[0] == pd.Timestamp("2015-03-04 16:30")
    assert pd.isna(open311["closed"].iloc[1])
    assert open311["channel"].tolist() == ["INTERNET", "PHONE"]
    assert open311["district"].iloc[0] == "42"


def test_json_goes_to_open311() -> None:
    frame = load_requests(sample_path("chicago_open311"))
    assert frame["id"].tolist()[0] == "14-00684314"


def test_canonical_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "id,opened,closed,category,reopened\n"
        "1,2024-02-01 08:00:00,2024-02-01 10:00:00,Noise,false\n"
        "2,2024-02-02 09:00:00,,Potholes,true\n",
        encoding="utf-8",
    )
    frame = load_requests(path)
    check_canonical(frame)
    assert frame["reopened"].tolist() == [False, True]


def test_semicolon_is_handled_when_sep_given(fixtures: Path) -> None:
    frame = load_requests(fixtures / "semicolon.csv", sep=";")
    assert frame["category"].tolist() == ["Potholes", "Noise"]


def test_latin1_is_read_when_encoding_given(fixtures: Path) -> None:
    frame = load_requests(fixtures / "latin1.csv", encoding="latin-1")
    assert frame["category"].iloc[0] == "Café licence"


def test_latin1_and_semicolons_are_detected(fixtures: Path) -> None:
    # were refused with "pass encoding=..." / "pass sep=..." before issue 10
    frame = load_requests(fixtures / "latin1.csv")
    assert frame["category"].iloc[0] == "Café licence"
    assert frame.attrs["reading"]["encoding"] == "latin-1"
    frame = load_requests(fixtures / "semicolon.csv")
    assert frame["category"].tolist() == ["Potholes", "Noise"]
    assert frame.attrs["reading"]["sentence"] == "read as UTF-8, ';'-separated, ISO dates"


@pytest.mark.parametrize(
    ("name", "mapping", "expected"),
    [
        (
            "requests_missing_column.csv",
            {"id": "Reference", "opened": "Date Logged"},
            r"requests_missing_column\.csv: column 'Date Logged' \(mapped to 'opened'\) not found; "
            r"columns found: 'Reference', 'Date Resolved', 'Service Area'",
        ),
        (
            "requests_bad_date.csv",
            None,
            r"requests_bad_date\.csv, row 4, column 'opened': cannot read 'next tuesday' as a date",
        ),
        (
            "requests_closed_before_opened.csv",
            None,
            r"requests_closed_before_opened\.csv, row 3, column 'closed': request 'A2' is closed "
            r"\(2023-01-04 09:00:00\) before it was opened \(2023-01-05 11:00:00\)",
        ),
        ("requests_empty_id.csv", None, r"row 3, column 'id': the request id is empty"),
        ("requests_no_opened.csv", None, r"row 3, column 'opened': the opening date is empty"),
        ("empty.csv", None, r"empty\.csv: the file is empty; expected a header row"),
        ("header_only.csv", None, r"header_only\.csv: the file has a header but no data rows"),
        ("unknown_format.csv", None, r"cannot recognise the request-log format.*'Ticket', 'When'"),
        ("malformed_row.csv", None, r"malformed_row\.csv: the file is not a well-formed CSV"),
        ("no_such_file.csv", None, r"no_such_file\.csv: no such file"),
        (
            "open311_not_a_list.json",
            None,
            r"expected a JSON list of service requests \(GeoReport v2\), found a dict "
            r"with keys 'service_requests'",
        ),
    ],
)
def test_bad_input_names_file_row_and_column(
    fixtures: Path, name: str, mapping: dict[str, str] | None, expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected):
        load_requests(fixtures / name, mapping)


def test_mapping_errors(fixtures: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown field 'opened_at'"):
        load_requests(fixtures / "foreign_schema.csv", {"id": "Reference", "opened_at": "x"})
    with pytest.raises(InvalidInput, match="required field 'opened'"):
        load_requests(fixtures / "foreign_schema.csv", {"id": "Reference"})


def test_error_message_shows_the_bad_value_and_a_way_out(fixtures: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_requests(fixtures / "requests_bad_date.csv")
    assert re.search(r"pass date_format=", str(caught.value))


def test_parquet_input(tmp_path: Path, fixtures: Path) -> None:
    source = load_requests(fixtures / "foreign_schema.csv", FOREIGN)
    path = tmp_path / "log.parquet"
    source.to_parquet(path)
    again = load_requests(path)
    pd.testing.assert_frame_equal(again[REQUEST_COLUMNS], source[REQUEST_COLUMNS])


def test_parquet_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(InvalidInput, match=r"broken\.parquet: cannot read as Parquet"):
        load_requests(path)


def test_placeholder_closing_dates_are_missing(tmp_path: Path) -> None:
    # NYC's "01/01/1900 12:00:00 AM" means unknown; so does a spreadsheet's day zero
    path = tmp_path / "mapped.csv"
    path.write_text(
        "Key,Created,Closed\n"
        "1,03/02/2011 10:40:12 AM,01/01/1900 12:00:00 AM\n"
        "2,03/02/2011 11:00:00 AM,12/30/1899 12:00:00 AM\n"
        "3,03/02/2011 11:30:00 AM,03/03/2011 09:00:00 AM\n",
        encoding="utf-8",
    )
    frame = load_requests(path, {"id": "Key", "opened": "Created", "closed": "Closed"})
    assert frame["closed"].isna().tolist() == [True, True, False]


def test_nyc_sample_through_the_issue_mapping() -> None:
    mapping = {
        "id": "Unique Key",
        "opened": "Created Date",
        "closed": "Closed Date",
        "category": "Complaint Type",
    }
    frame = load_requests(sample_path("nyc311"), mapping)
    assert len(frame) == 2000
    assert frame["closed"].isna().sum() == 43  # 42 blank + the 1900 placeholder
    assert frame["agency"].isna().all()
    assert "Agency" in frame.columns
