"""Bad files are rejected whole, with a message naming the file, row and column.

One fixture file per way a file can break (tests/library/fixtures/bad/); the table
says which file, format, and the pieces the message must contain.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govlab.errors import InvalidInput
from govlab.library.formats import guess_format, read_practices
from govlab.library.formats.reading import FIELD_MAX, MAX_PROBLEMS

BAD = Path(__file__).parent / "fixtures" / "bad"

CASES: list[tuple[str, str, list[str]]] = [
    # file, format, what the message must say (besides the file name)
    ("csv_unknown_column.csv", "csv", ["row 1", "'Titel'", "'colour'", "id, title, summary"]),
    ("csv_missing_id.csv", "csv", ["row 1", "missing required column(s) 'id'"]),
    # row 3 = header (1) + first practice (2) + the bad one
    ("csv_bad_type.csv", "csv", ["row 3, column 'year_started'", "valid integer", "'twenty'"]),
    # "Qu\xe9bec": header "id,title,organisation\n" is 22 bytes, then "first-one," (10)
    # + "First one," (10) + "Ville de Qu" (11): the 0xe9 is byte 53 (from 0), row 2, 3rd cell
    ("csv_latin1.csv", "csv", ["row 2, column 'organisation'", "not UTF-8", "byte 53", "0xe9"]),
    ("csv_duplicate_id.csv", "csv", ["rows 2 and 4, column 'id'", "'same-id'"]),
    ("csv_empty.csv", "csv", ["the file is empty"]),
    ("csv_bom_only.csv", "csv", ["the file is empty"]),  # a byte-order mark and a newline
    ("csv_bad_json_cell.csv", "csv", ["row 2, column 'outcomes'", "not valid JSON"]),
    (
        "csv_bad_nested_value.csv",
        "csv",
        ["row 2, column 'outcomes'", "item 1, 'value'", "valid number", "'lots'"],
    ),
    ("csv_extra_cells.csv", "csv", ["row 3", "4 cells but the header has 3 columns"]),
    ("csv_bad_level.csv", "csv", ["row 2, column 'level'", "'local'", "'city'"]),
    ("csv_unclosed_quote.csv", "csv", ["row 2", "never closed"]),
    ("json_not_json.json", "json", ["line 3, column 1", "not valid JSON"]),
    ("json_bad_type.json", "json", ["item 2, field 'year_started'", "'twenty'"]),
    ("json_duplicate_id.json", "json", ["items 1 and 3, field 'id'", "'same-id'"]),
    ("json_empty.json", "json", ["the file is empty"]),
    (
        "json_unknown_field.json",
        "json",
        ["item 1, field 'colour'", "Extra inputs are not permitted"],
    ),
    ("json_missing_title.json", "json", ["item 1, field 'title'", "Field required"]),
    ("json_nan.json", "json", ["NaN is not allowed"]),
    ("json_wrong_format.json", "json", ["'someone-elses-practices'", "'govlab-practices'"]),
    ("json_newer_version.json", "json", ["'version' is 2", "newer govlab"]),
    # '[{"id": "latin-one", "title": "Ville de Qu' is 2+4+2+11+2+7+2+1+11 = 42 bytes
    ("json_latin1.json", "json", ["not UTF-8", "byte 42", "line 1"]),
    ("json_not_objects.json", "json", ["item 1", "expected an object, found str"]),
    ("json_duplicate_key.json", "json", ["'title' appears twice"]),
    (
        "ckan_wrong_type.json",
        "ckan",
        ["package 2 ('road-traffic-counts')", "type is 'dataset', expected 'practice'"],
    ),
    ("ckan_bad_extra.json", "ckan", ["package 1 ('atlantis'), field 'extras.country'", "Atlantis"]),
    ("ckan_not_ckan.json", "ckan", ["expected CKAN package JSON"]),
]


def test_every_fixture_has_a_case() -> None:
    on_disk = {path.name for path in BAD.iterdir()} - {"csv_many_problems.csv"}  # its own test
    assert sorted(on_disk) == sorted(name for name, _, _ in CASES)


@pytest.mark.parametrize(("name", "fmt", "pieces"), CASES, ids=[case[0] for case in CASES])
def test_bad_file_is_rejected_with_its_place(name: str, fmt: str, pieces: list[str]) -> None:
    path = BAD / name
    with pytest.raises(InvalidInput) as caught:
        read_practices(path, fmt)
    message = str(caught.value)
    assert str(path) in message
    for piece in pieces:
        assert piece in message, f"{piece!r} not in {message!r}"


@pytest.mark.parametrize("name", [case[0] for case in CASES if case[1] != "csv"])
def test_bad_json_is_rejected_when_the_format_is_guessed(name: str) -> None:
    with pytest.raises(InvalidInput):
        read_practices(BAD / name)


def test_many_problems_are_reported_together() -> None:
    # 12 rows (2..13), each with year_started "year N": the first ten are listed
    with pytest.raises(InvalidInput) as caught:
        read_practices(BAD / "csv_many_problems.csv")
    lines = str(caught.value).splitlines()
    assert "12 problems; nothing was imported" in lines[0]
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert "row 2, column 'year_started'" in lines[1]
    assert "row 11, column 'year_started'" in lines[MAX_PROBLEMS]
    assert lines[-1].strip() == "... and 2 more"


def test_several_kinds_of_problem_in_one_message(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,title,year_started,country\n"
        "Bad Id,ok title,2019,GB\n"  # row 2: id not a slug
        "good-id,ok title,1700,XX\n"  # row 3: year too early, not a country
        "good-id,again,2019,GB\n",  # row 4: duplicate of row 3... which was rejected
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        read_practices(path)
    message = str(caught.value)
    assert "row 2, column 'id'" in message
    assert "row 3, column 'year_started'" in message and "greater than or equal to 1800" in message
    assert "row 3, column 'country'" in message and "ISO 3166-1" in message


def test_ten_megabyte_cell_is_named(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "approach"])
        writer.writerow(["fine-row", "Fine row", "short"])
        writer.writerow(["huge-row", "Huge row", "x" * 10_000_000])
    limit_before = csv.field_size_limit()
    with pytest.raises(InvalidInput) as caught:
        read_practices(path)
    message = str(caught.value)
    assert f"{path}, row 3, column 'approach'" in message
    assert f"longer than {FIELD_MAX:,} characters" in message
    assert csv.field_size_limit() == limit_before  # the process-wide limit is restored


def test_prose_over_the_model_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["id", "title", "lessons"], ["long-row", "Long", "y" * 20_001]]
        )
    with pytest.raises(InvalidInput, match=r"row 2, column 'lessons': .*at most 20000 characters"):
        read_practices(path)


def test_ten_megabyte_json_string_is_named(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text(json.dumps([{"id": "huge-one", "title": "Huge", "author": "z" * 10_000_000}]))
    with pytest.raises(InvalidInput, match=r"huge\.json, at \[0\]\.author: text longer than"):
        read_practices(path)


def test_missing_file_and_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        read_practices(tmp_path / "absent.csv")
    sheet = tmp_path / "practices.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(InvalidInput, match=r"cannot tell the format .*'\.xlsx'"):
        guess_format(sheet)
    with pytest.raises(InvalidInput, match="unknown format 'xml'"):
        read_practices(sheet, "xml")
    with pytest.raises(InvalidInput, match="is a folder"):
        read_practices(tmp_path, "csv")


def test_our_csv_given_as_jrc_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ours.csv"
    path.write_text("id,title\nour-own,Our own\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"row 1: missing column\(s\) 'name'.*JRC IPS"):
        read_practices(path, "jrc-ips")


def test_ckan_given_as_govlab_json_is_pointed_to_ckan() -> None:
    with pytest.raises(InvalidInput, match="use --format ckan"):
        read_practices(BAD / "ckan_wrong_type.json", "json")


CSV_PIECES = st.sampled_from(
    ["id", "title", "year_started", "outcomes", "topics", "level", ",", ";", "\n", "\r\n", '"']
    + ["abc", "a-b", "2019", "twenty", "[", '[{"indicator": "x"}]', "{", "\\", "'=", "é", "\x00"]
)
KEYS = ["id", "title", "practices", "format", "version", "type", "name", "extras", "key", "value"]
KEYS += ["tags", "resources", "organization", "notes", "url", "result", "results", "sources"]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["practice", "govlab-practices", "a-slug", "https://x.example"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(KEYS) | st.text(max_size=5),
            inner,
            max_size=4,
        )
    ),
    max_leaves=8,
)
FUZZED_FIELDS = ("summary", "country", "topics", "year_started", "outcomes", "sources", "created")
PACKAGES = st.lists(
    st.fixed_dictionaries(
        {"type": st.just("practice"), "name": st.sampled_from(["a-slug", "b_slug", "x"])},
        optional={key: JSON_VALUES for key in KEYS if key not in ("type", "name")},
    ),
    max_size=3,
)
ITEMS = st.lists(
    st.fixed_dictionaries(
        {"id": st.sampled_from(["a-slug", "b-slug", "Bad"]), "title": st.just("A title")},
        optional={name: JSON_VALUES for name in FUZZED_FIELDS},
    ),
    max_size=3,
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(
    data=st.binary(max_size=120) | st.lists(CSV_PIECES, max_size=30).map("".join).map(str.encode)
)
def test_any_bytes_give_practices_or_a_plain_message(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    for fmt in ("csv", "jrc-ips", "json", "ckan"):
        try:
            read_practices(path, fmt)
        except InvalidInput as error:
            assert str(path) in str(error)


@FUZZ
@given(value=JSON_VALUES | PACKAGES | ITEMS | ITEMS.map(lambda items: {"practices": items}))
def test_any_json_gives_practices_or_a_plain_message(tmp_path: Path, value: object) -> None:
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    for fmt in ("json", "ckan", None):
        try:
            read_practices(path, fmt)
        except InvalidInput as error:
            assert str(path) in str(error)
