"""Every field of a practice survives CSV, JSON and CKAN export and import unchanged."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from govlab._countries import COUNTRY_CODES
from govlab.library.formats import (
    export_schema,
    guess_format,
    json_schema,
    read_practices,
    write_practices,
)
from govlab.library.formats.csv_format import COLUMNS, join_list, split_list
from govlab.models import (
    CostKind,
    Direction,
    EvidenceType,
    Level,
    Practice,
    Stage,
    Status,
)

# Pieces that break naive CSV, list splitting, JSON or HTML handling.
NASTY = st.sampled_from(
    [
        ";",
        "; ",
        "\\",
        "\\;",
        '"',
        "'",
        ",",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "  ",
        "=1+1",
        "+",
        "-",
        "@SUM(A1)",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "é",
        "日本語",
        "\u00a0",
        "\x1c",
        "\x00",
        "[",
        "{}",
        "null",
    ]
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=10)), max_size=4).map("".join)
SHORT = st.lists(st.one_of(NASTY, st.text(max_size=6)), max_size=3).map("".join)
TAGS = st.lists(SHORT, max_size=4)
FLOAT = st.floats(allow_nan=False, allow_infinity=False)
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30))]
)
WHEN = st.none() | st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.none() | ZONES
)
ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
SLUG = st.tuples(
    st.text(ALNUM, min_size=3, max_size=8),
    st.lists(st.text(ALNUM, min_size=1, max_size=6), max_size=2),
).map(lambda parts: "-".join([parts[0], *parts[1]]))
# text with at least three letters somewhere, nasty pieces on either side
NON_BLANK = st.tuples(TEXT, st.text("abcxyzéß日", min_size=3, max_size=5), TEXT).map("".join)
COST = st.fixed_dictionaries(
    {
        "amount": st.floats(min_value=0, allow_infinity=False),
        "currency": st.from_regex(r"[A-Z]{3}", fullmatch=True),
    },
    optional={"kind": st.sampled_from(list(CostKind)), "note": TEXT},
)
OUTCOME = st.fixed_dictionaries(
    {"indicator": NON_BLANK},
    optional={
        "unit": SHORT,
        "baseline": st.none() | FLOAT,
        "value": st.none() | FLOAT,
        "period": SHORT,
        "direction": st.sampled_from(list(Direction)),
        "evidence_type": st.sampled_from(list(EvidenceType)),
        "source": TEXT,
        "note": TEXT,
    },
)
SOURCE = st.fixed_dictionaries(
    {
        "url": st.from_regex(
            r"https?://[a-z0-9.]{1,12}/[A-Za-z0-9;,=?&%/._~-]{0,20}", fullmatch=True
        )
    },
    optional={"title": TEXT},
)


@st.composite
def practices(draw: st.DrawFn) -> Practice:
    """A valid practice with every kind of field filled or left empty."""
    years = sorted(draw(st.lists(st.integers(1800, 2100), max_size=2)))
    data: dict[str, Any] = {
        "id": draw(SLUG),
        "title": draw(NON_BLANK),
        "summary": draw(TEXT),
        "problem": draw(TEXT),
        "approach": draw(TEXT),
        "results": draw(TEXT),
        "lessons": draw(TEXT),
        "jurisdiction": draw(SHORT),
        "country": draw(st.none() | st.sampled_from(sorted(COUNTRY_CODES))),
        "level": draw(st.none() | st.sampled_from(list(Level))),
        "organisation": draw(TEXT),
        "sector": draw(SHORT),
        "topics": draw(TAGS),
        "technologies": draw(TAGS),
        "stage": draw(st.none() | st.sampled_from(list(Stage))),
        "year_started": years[0] if years else None,
        "year_ended": years[-1] if len(years) == 2 else None,
        "tools": draw(TAGS),
        "stakeholders": draw(TAGS),
        "costs": draw(st.lists(COST, max_size=2)),
        "outcomes": draw(st.lists(OUTCOME, max_size=2)),
        "sources": draw(st.lists(SOURCE, max_size=3)),
        "related": draw(st.lists(SLUG, max_size=3)),
        "case_study": draw(st.none() | SLUG),
        "evidence_level": draw(st.none() | st.integers(1, 5)),
        "status": draw(st.sampled_from(list(Status))),
        "author": draw(SHORT),
        "created": draw(WHEN),
        "updated": draw(WHEN),
        "revision": draw(st.integers(0, 10_000)),
        "language": draw(st.sampled_from(["en", "fr", "de-AT", "pt-BR", "et"])),
    }
    try:
        return Practice.model_validate(data)
    except ValidationError:  # e.g. a title of three spaces after stripping
        from hypothesis import reject

        reject()


def dumped(items: list[Practice]) -> list[dict[str, Any]]:
    """What "unchanged" means: the JSON form, which keeps time zones and float digits."""
    return [item.model_dump(mode="json") for item in items]


FILE_SCHEMA = jsonschema.Draft202012Validator(export_schema())
ROUND_TRIP = settings(
    max_examples=50,
    deadline=None,
    database=None,  # keep the working tree clean; a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow  # 50 generated examples per format: 2-6 s each, depending on the machine
@pytest.mark.parametrize(("fmt", "suffix"), [("csv", ".csv"), ("json", ".json"), ("ckan", ".json")])
@ROUND_TRIP
@given(items=st.lists(practices(), max_size=2, unique_by=lambda p: p.id))
def test_every_field_round_trips(
    tmp_path: Path, fmt: str, suffix: str, items: list[Practice]
) -> None:
    path = tmp_path / f"export{suffix}"
    assert write_practices(items, path, fmt) == len(items)
    batch = read_practices(path, fmt)
    assert dumped(batch.practices) == dumped(items)
    assert batch.skipped == []
    if fmt == "json":
        document = json.loads(path.read_text(encoding="utf-8"))
        FILE_SCHEMA.validate(document)
    if items:  # an empty JSON list could be either kind
        assert guess_format(path) == fmt


@pytest.mark.parametrize(
    ("items", "cell"),
    [
        (["a", "b"], "a; b"),
        (["x;y", "z"], "x\\;y; z"),  # a ; inside an item is escaped
        (["back\\slash"], "back\\\\slash"),
        ([], ""),
    ],
)
def test_list_cells_by_hand(items: list[str], cell: str) -> None:
    assert join_list(items) == cell
    assert split_list(cell) == items


def test_hand_typed_list_cell_is_forgiving() -> None:
    # typed by hand in a spreadsheet: no space after ';', trailing ';', blank items
    assert split_list("open data;transit ; ;") == ["open data", "transit"]


def test_csv_layout_is_what_a_spreadsheet_user_sees(tmp_path: Path) -> None:
    practice = Practice(
        id="csv-layout",
        title='=HYPERLINK("http://evil")',
        topics=["open data", "a;b"],
        outcomes=[{"indicator": "wait", "value": 3.5, "unit": "days"}],
        created=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    )
    path = tmp_path / "p.csv"
    write_practices([practice], path, "csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS) == list(Practice.model_fields)
    row = rows[0]
    assert row["title"] == '\'=HYPERLINK("http://evil")'  # not run as a formula
    assert row["topics"] == "open data; a\\;b"
    assert json.loads(row["outcomes"])[0]["value"] == 3.5
    assert row["created"] == "2024-05-01T12:00:00Z"
    assert row["country"] == row["year_started"] == row["case_study"] == ""
    assert read_practices(path).practices == [practice]


def test_csv_sources_may_be_plain_urls(tmp_path: Path) -> None:
    path = tmp_path / "typed.csv"
    path.write_text(
        "id,title,sources\nplain-urls,Typed by hand,https://a.example/x; https://b.example\n"
    )
    practice = read_practices(path).practices[0]
    assert [source.url for source in practice.sources] == [
        "https://a.example/x",
        "https://b.example",
    ]


def test_csv_headers_are_matched_loosely(tmp_path: Path) -> None:
    path = tmp_path / "loose.csv"
    path.write_text("ID, Title ,Year Started\nloose-headers,Loose headers,2019\n")
    assert read_practices(path).practices[0].year_started == 2019


def test_semicolon_separated_csv_from_a_european_spreadsheet(tmp_path: Path) -> None:
    # Excel in e.g. German or French locales saves "CSV" with ';' between columns
    path = tmp_path / "excel-de.csv"
    path.write_bytes(
        "\ufeffid;title;topics;year_started\r\n"
        'semi-colons;Semikolon getrennt;"Verkehr; offene Daten";2019\r\n'.encode()
    )
    [practice] = read_practices(path).practices
    assert practice.title == "Semikolon getrennt" and practice.year_started == 2019
    assert practice.topics == ["Verkehr", "offene Daten"]


def test_header_only_files_hold_no_practices(tmp_path: Path) -> None:
    for fmt, name in (("csv", "none.csv"), ("json", "none.json"), ("ckan", "none-ckan.json")):
        path = tmp_path / name
        assert write_practices([], path, fmt) == 0
        assert read_practices(path, fmt).practices == []


def test_export_validates_against_the_schema(tmp_path: Path) -> None:
    from govlab.library.seed import seed_practices  # the real library that ships

    items = seed_practices()
    assert len(items) >= 45
    path = tmp_path / "all.json"
    write_practices(items, path, "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(export_schema())
    jsonschema.Draft202012Validator.check_schema(json_schema())
    FILE_SCHEMA.validate(document)
    one = jsonschema.Draft202012Validator(json_schema())
    for item in document["practices"]:
        one.validate(item)


def test_schema_rejects_what_the_model_rejects() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] == "govlab practice"
    assert set(schema["required"]) == {"id", "title"}
    bad = {"id": "Not A Slug", "title": "ok title"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"id": "fine", "title": "ok title", "colour": "red"},
            schema,
            cls=jsonschema.Draft202012Validator,
        )
