"""Files as cities publish them: one small fixture per way a file differs (fixtures/cities/).

Each fixture is read through the loaders with nothing said about it, and the test
checks what was detected and values worked out by hand from the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from govlab.datasets import (
    ReadOptions,
    load_channel_volumes,
    load_metric_series,
    load_requests,
    read_table,
    sniff,
    speaking,
)
from govlab.errors import InvalidInput

CITIES = Path(__file__).parent / "fixtures" / "cities"
DAYFIRST = {
    "id": "Reference",
    "opened": "Logged",
    "closed": "Resolved",
    "category": "Service Area",
    "agency": "Department",
}
AMBIGUOUS = {"id": "Ticket", "opened": "Opened", "closed": "Closed"}


def hours(frame: pd.DataFrame) -> list[float]:
    return ((frame["closed"] - frame["opened"]).dt.total_seconds() / 3600).tolist()


@pytest.mark.parametrize(
    ("name", "encoding", "sentence", "categories"),
    [
        (
            "requests_latin1.csv",
            "latin-1",
            "read as Latin-1, ','-separated, ISO dates",
            ["Éclairage public", "Propreté des rues", "Voirie - trottoir"],
        ),
        (
            # 0x93/0x94 are curly quotes and 0x96 a dash only in Windows-1252
            "requests_cp1252.csv",
            "cp1252",
            "read as Windows-1252, ','-separated, ISO dates",
            ["Parking – “blue badge”", "Fines over €25"],
        ),
        (
            "requests_bom.csv",
            "utf-8-sig",
            "read as UTF-8 with a byte-order mark, ','-separated, ISO dates",
            ["Noise", "Noise"],
        ),
    ],
)
def test_the_encoding_is_detected(
    name: str, encoding: str, sentence: str, categories: list[str]
) -> None:
    frame = load_requests(CITIES / name)
    assert frame.attrs["reading"]["encoding"] == encoding
    assert frame.attrs["reading"]["sentence"] == sentence
    assert frame["category"].tolist() == categories
    assert list(frame.columns[:2]) == ["id", "opened"]  # no "\ufeffid" from the BOM


def test_a_wrong_encoding_given_names_the_line_and_what_would_read_it() -> None:
    with pytest.raises(InvalidInput) as error:
        load_requests(CITIES / "requests_latin1.csv", encoding="utf-8")
    assert str(error.value) == (
        f"{CITIES / 'requests_latin1.csv'}, row 2: cannot read the file as utf-8 (byte 0xc9); "
        "it reads as Latin-1: give encoding='latin-1' or leave the encoding out to have it "
        "detected"
    )
    with speaking("cli"), pytest.raises(InvalidInput, match="give --encoding latin-1 or"):
        load_requests(CITIES / "requests_latin1.csv", encoding="utf-8")


def test_semicolons_and_decimal_commas_are_detected() -> None:
    # service;department;annual_volume;pct_digital with 12.345 and 40,5
    table = load_channel_volumes(CITIES / "channels_semicolon_decimal.csv")
    assert table.attrs["reading"]["sentence"] == "read as UTF-8, ';'-separated, decimal comma"
    assert table["annual_volume"].tolist() == [12345.0, 1000.0]
    assert table["pct_digital"].tolist() == [40.5, 80.0]
    # digital volume = 12345 x 40.5 % = 4999.725; 1000 x 80 % = 800
    assert table["digital_volume"].tolist() == pytest.approx([4999.725, 800.0])


def test_a_decimal_comma_given_outright_reads_the_same() -> None:
    given = load_channel_volumes(CITIES / "channels_semicolon_decimal.csv", sep=";", decimal=",")
    assert given["annual_volume"].tolist() == [12345.0, 1000.0]
    assert sorted(given.attrs["reading"]["given"]) == ["decimal", "sep"]


def test_day_first_dates_are_detected() -> None:
    frame = load_requests(CITIES / "requests_dayfirst.csv", DAYFIRST)
    assert frame.attrs["reading"]["sentence"] == "read as UTF-8, ','-separated, day-first dates"
    # CR-1 13/01 09:30 -> 16/01 14:00 = 3 days 4.5 h; CR-2 6 h; CR-3 open; CR-4 3 days
    assert frame["opened"].iloc[0] == pd.Timestamp("2024-01-13 09:30")
    assert hours(frame)[:2] == [76.5, 6.0] and hours(frame)[3] == 72.0


@pytest.mark.parametrize(
    ("face", "words"),
    [
        ("python", "dayfirst=True or dayfirst=False"),
        ("cli", "--dayfirst or --monthfirst"),
        ("widget", 'the "Dates" setting (day first or month first)'),
    ],
)
def test_an_ambiguous_file_is_refused_rather_than_guessed(face: str, words: str) -> None:
    # 03/04/2024, 04/05/2024, 01/02/2024: every date reads both ways
    with speaking(face), pytest.raises(InvalidInput) as error:  # type: ignore[arg-type]
        load_requests(CITIES / "requests_ambiguous.csv", AMBIGUOUS)
    assert str(error.value) == (
        f"{CITIES / 'requests_ambiguous.csv'}, column 'Opened': cannot tell the date order: "
        "every date reads both ways, as no day is above 12 ('03/04/2024 09:00' could be "
        f"day-first or month-first); say which with {words}"
    )


def test_an_ambiguous_file_reads_once_the_order_is_said() -> None:
    day = load_requests(CITIES / "requests_ambiguous.csv", AMBIGUOUS, dayfirst=True)
    month = load_requests(CITIES / "requests_ambiguous.csv", AMBIGUOUS, dayfirst=False)
    assert day["opened"].iloc[0] == pd.Timestamp("2024-04-03 09:00")  # 3 April
    assert month["opened"].iloc[0] == pd.Timestamp("2024-03-04 09:00")  # March 4
    assert day.attrs["reading"]["sentence"].endswith("day-first dates")


def test_title_lines_above_the_header_are_skipped_and_lines_stay_the_files() -> None:
    # lines 1-3: title, date line, blank; header on line 4; 'yesterday' on line 7
    frame = read_table(CITIES / "requests_title_lines.csv")
    assert frame.attrs["reading"]["sentence"] == "read as UTF-8, ','-separated, header on line 4"
    assert list(frame.columns) == ["id", "opened", "closed", "category"] and len(frame) == 3
    with pytest.raises(InvalidInput) as error:
        load_requests(CITIES / "requests_title_lines.csv")
    assert str(error.value).startswith(
        f"{CITIES / 'requests_title_lines.csv'}, row 7, column 'opened': cannot read "
        "'yesterday' as a date"
    )


def test_blank_lines_inside_the_table_keep_the_files_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text(
        "id,opened,closed\nG1,2024-01-01 08:00,2024-01-01 09:00\n\n"
        'G2,2024-01-02 08:00,"2024-01-01\n09:00"\nG3,2024-01-03 08:00,\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as error:
        load_requests(path)
    # G2 starts on line 4 (line 3 is blank) and its closing time spans lines 4-5
    assert "row 4, column 'closed'" in str(error.value)


def test_date_only_timestamps_read_as_midnight() -> None:
    frame = load_requests(CITIES / "requests_date_only.csv")
    assert hours(frame) == [24.0, 96.0, 48.0, 72.0]
    assert (frame["opened"] == frame["opened"].dt.normalize()).all()


def test_metric_series_take_the_same_reading_options(tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text("date;metric;value\n13/01/2024;Potholes;0,75\n14/01/2024;Potholes;0,8\n")
    frame = load_metric_series(path)
    assert frame["value"].tolist() == [0.75, 0.8]
    assert frame["date"].tolist() == [pd.Timestamp("2024-01-13"), pd.Timestamp("2024-01-14")]
    with pytest.raises(
        InvalidInput, match=r"row 3: date 2024-01-13, metric Potholes appears twice"
    ):
        path.write_text("date;metric;value\n13/01/2024;Potholes;0,75\n13/01/2024;Potholes;0,8\n")
        load_metric_series(path, duplicates="error")


def test_sniff_reads_only_the_start_but_scans_every_byte_for_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = "".join(f"R{i},2024-01-01 08:00,,Noise\n" for i in range(30_000))
    path.write_bytes(
        ("id,opened,closed,category\n" + body + "R,2024-01-01,,Café\n").encode("cp1252")
    )
    assert sniff(path).encoding == "latin-1"  # é is 0xe9 in both; no 0x80-0x9f byte
    shutil.copy(CITIES / "requests_cp1252.csv", tmp_path / "w.csv")
    assert sniff(tmp_path / "w.csv", ReadOptions(encoding="cp1252")).given == ("encoding",)
