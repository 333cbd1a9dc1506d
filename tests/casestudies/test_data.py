"""A participant's file mapped onto a case's fields, and the errors that name file, row, column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlab.casestudies import get_case, prepare
from govlab.casestudies.data import load_case_data, parse_mapping
from govlab.datasets import speaking
from govlab.errors import InvalidInput

RIDES = """Line,Week starting,Riders,Service hours,Phase
10,06/01/2014,"1,200",40,before
10,13/01/2014,1300,40,before
10,20/01/2014,1500,44,after
10,27/01/2014,1600,44,after
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_is_mapped_and_typed(tmp_path: Path) -> None:
    path = write(tmp_path, "rides.csv", RIDES)
    mapping = parse_mapping(
        ["route=Line", "week=Week starting", "boardings=Riders", "revenue_hours=Service hours",
         "period=Phase"]
    )  # fmt: skip
    frame = load_case_data(get_case("transit-network"), path, mapping)
    # ridership in one long shape: the file's line of each value travels with it
    assert list(frame.columns) == ["date", "route", "boardings", "revenue_hours", "period", "line"]
    # day-first dates (13/01 cannot be month-first), "1,200" is 1200
    assert frame["date"].tolist() == list(pd.to_datetime(["2014-01-06", "2014-01-13",
                                                          "2014-01-20", "2014-01-27"]))  # fmt: skip
    assert frame["boardings"].tolist() == [1200.0, 1300.0, 1500.0, 1600.0]
    assert frame["route"].tolist() == ["10"] * 4
    assert frame["line"].tolist() == [2, 3, 4, 5]
    assert frame.attrs["frequency"] == "week" and frame.attrs["layout"] == "long"
    assert frame.attrs["columns"]["boardings"] == "Riders"


def test_unmapped_fields_are_found_under_their_own_names(tmp_path: Path) -> None:
    text = RIDES.replace("Line,", "route,").replace("Riders", "boardings")
    path = write(tmp_path, "rides.csv", text)
    mapping = {"week": "Week starting", "revenue_hours": "Service hours"}
    frame = load_case_data(get_case("transit-network"), path, mapping)
    assert frame["boardings"].sum() == 5600.0
    # 'Phase' is one of the names a before/after column goes by
    assert frame["period"].tolist() == ["before", "before", "after", "after"]


def test_a_missing_required_field_says_how_to_map_it(tmp_path: Path) -> None:
    path = write(tmp_path, "rides.csv", RIDES.replace("Week starting", "Start"))
    with speaking("cli"), pytest.raises(InvalidInput) as error:
        load_case_data(get_case("transit-network"), path, {"route": "Line"})
    assert str(error.value) == (
        f"{path}: no date column (one named date, week or month, or --map date=COLUMN); "
        "columns found: 'Line', 'Start', 'Riders', 'Service hours', 'Phase'"
    )


def test_a_mapped_column_that_is_not_there_names_file_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "rides.csv", RIDES)
    mapping = {"route": "Route", "week": "Week starting", "boardings": "Riders",
               "revenue_hours": "Service hours"}  # fmt: skip
    with pytest.raises(InvalidInput, match=r"rides.csv: column 'Route' \(mapped to 'route'\) not"):
        load_case_data(get_case("transit-network"), path, mapping)


def test_a_bad_number_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "rides.csv", RIDES.replace("1500,44", "many,44"))
    mapping = {"route": "Line", "week": "Week starting", "boardings": "Riders",
               "revenue_hours": "Service hours"}  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        load_case_data(get_case("transit-network"), path, mapping)
    # header row 1, so the third data row is row 4
    assert str(error.value).startswith(f"{path}, row 4, column 'Riders': cannot read 'many'")


def test_true_false_columns(tmp_path: Path) -> None:
    text = "Town,Month,Channel,N,Joined\nA,2020-01-01,web,5,yes\nA,2020-02-01,web,6,maybe\n"
    path = write(tmp_path, "towns.csv", text)
    mapping = {"municipality": "Town", "month": "Month", "channel": "Channel",
               "transactions": "N", "treated": "Joined"}  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        load_case_data(get_case("shared-portal"), path, mapping)
    assert str(error.value).startswith(
        f"{path}, row 3, column 'Joined': cannot read 'maybe' as true/false"
    )


def test_an_unknown_field_in_the_mapping_lists_the_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "rides.csv", RIDES)
    with pytest.raises(InvalidInput) as error:
        load_case_data(get_case("transit-network"), path, {"line": "Line"})
    assert str(error.value) == (
        "--map: case 'transit-network' has no field 'line'; "
        "fields: date, route, boardings, revenue_hours, period"
    )


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["opened"], "--map 'opened': expected FIELD=COLUMN"),
        (["opened="], "--map 'opened=': expected FIELD=COLUMN"),
        (["id=A", "id=B"], "--map: the field 'id' is mapped twice"),
    ],
)
def test_malformed_mapping(items: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_mapping(items)


def test_a_column_name_may_hold_spaces_and_equals_signs() -> None:
    assert parse_mapping(["opened=Created Date", "category=Type=Sub"]) == {
        "opened": "Created Date",
        "category": "Type=Sub",
    }


def test_a_request_log_through_the_datasets_loader(tmp_path: Path) -> None:
    text = (
        "Ticket,Opened,Done,Kind,Dept\n"
        "a1,2024-03-01 08:00,2024-03-01 20:00,Pothole,Roads\n"
        "a2,2024-03-02 09:00,,Graffiti,Parks\n"
    )
    path = write(tmp_path, "log.csv", text)
    mapping = {"id": "Ticket", "opened": "Opened", "closed": "Done", "category": "Kind",
               "agency": "Dept"}  # fmt: skip
    frame = load_case_data(get_case("service-performance-311"), path, mapping)
    assert frame["id"].tolist() == ["a1", "a2"]
    assert frame["closed"].isna().tolist() == [False, True]
    assert (frame["closed"] - frame["opened"]).iloc[0] == pd.Timedelta(hours=12)


def test_a_request_log_missing_a_field_the_case_needs(tmp_path: Path) -> None:
    text = "Ticket,Opened,Done\na1,2024-03-01 08:00,2024-03-01 20:00\n"
    path = write(tmp_path, "log.csv", text)
    with (
        speaking("cli"),
        pytest.raises(
            InvalidInput,
            match="no column for the required field 'closed'; name it with --map closed=COLUMN",
        ),
    ):
        load_case_data(
            get_case("service-performance-311"), path, {"id": "Ticket", "opened": "Opened"}
        )


def test_a_canonical_request_log_without_an_agency_column(tmp_path: Path) -> None:
    # agency is optional since issue 10: a single department's log needs no made-up column
    text = "id,opened,closed,category\na1,2024-03-01 08:00,2024-03-01 20:00,Pothole\n"
    path = write(tmp_path, "log.csv", text)
    frame = load_case_data(get_case("service-performance-311"), path, {})
    assert frame["agency"].isna().all() and frame["category"].tolist() == ["Pothole"]
    text = "Ticket,Opened\na1,2024-03-01 08:00\n"
    path = write(tmp_path, "log2.csv", text)
    with speaking("cli"), pytest.raises(InvalidInput) as error:
        load_case_data(get_case("service-performance-311"), path, {})
    assert "cannot recognise the request-log format" in str(error.value)
    assert str(error.value).endswith(
        "Say which of your columns holds what: --map id=COLUMN --map opened=COLUMN "
        "--map closed=COLUMN"
    )


def test_the_portal_refuses_an_unknown_channel_with_its_row(tmp_path: Path) -> None:
    text = "Town,Month,Channel,N\nA,2020-01-01,web,5\nA,2020-01-01,fax,6\n"
    path = write(tmp_path, "towns.csv", text)
    mapping = ["municipality=Town", "month=Month", "channel=Channel", "transactions=N"]
    with pytest.raises(InvalidInput) as error:
        prepare(
            "shared-portal",
            data=path,
            mapping=mapping,
            parameters=["launch_date=2020-01-01", "split=equal"],
        )
    assert str(error.value).startswith(f"{path}, row 3, column 'Channel': unknown channel 'fax'")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Service,Channel,Contacts\nParking,Web,10\nParking,Fax,4\n",
            "row 3, column 'Channel': unknown channel 'Fax'; expected digital, phone,",
        ),
        (
            "Service,Digital,Contacts\nParking,40,10\nLibrary,140,4\n",
            "row 3, column 'Digital': 140 is not a percentage; expected 0 to 100",
        ),
    ],
)
def test_digital_by_default_names_the_row_of_a_value_it_cannot_use(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "services.csv", text)
    second = "channel=Channel" if "Channel" in text else "pct_digital=Digital"
    mapping = ["service=Service", second, "transactions=Contacts"]
    with pytest.raises(InvalidInput) as error:
        prepare("digital-by-default", data=path, mapping=mapping)
    assert str(error.value).startswith(f"{path}, {message}")


def test_the_portal_needs_a_launch_date_with_data(tmp_path: Path) -> None:
    text = "Town,Month,Channel,N\nA,2020-01-01,web,5\n"
    path = write(tmp_path, "towns.csv", text)
    mapping = ["municipality=Town", "month=Month", "channel=Channel", "transactions=N"]
    with pytest.raises(InvalidInput, match="parameter 'launch_date' is needed with --data"):
        prepare("shared-portal", data=path, mapping=mapping)


def test_the_portal_split_by_population_needs_a_population(tmp_path: Path) -> None:
    text = "Town,Month,Channel,N\nA,2020-01-01,web,5\n"
    path = write(tmp_path, "towns.csv", text)
    mapping = ["municipality=Town", "month=Month", "channel=Channel", "transactions=N"]
    with pytest.raises(InvalidInput, match="split=population needs a 'population' column"):
        prepare("shared-portal", data=path, mapping=mapping, parameters=["launch_date=2020-01-01"])


def test_the_portal_needs_three_months_on_each_side(tmp_path: Path) -> None:
    rows = "".join(f"A,2020-{m:02d}-01,web,5\n" for m in range(1, 7))
    path = write(tmp_path, "towns.csv", "Town,Month,Channel,N\n" + rows)
    mapping = ["municipality=Town", "month=Month", "channel=Channel", "transactions=N"]
    with pytest.raises(InvalidInput, match="the data has 4 before and 2 after"):
        prepare(
            "shared-portal",
            data=path,
            mapping=mapping,
            parameters=["launch_date=2020-05-01", "split=equal"],
        )


def test_transit_needs_to_know_when_the_redesign_happened(tmp_path: Path) -> None:
    text = "\n".join(line.rpartition(",")[0] for line in RIDES.splitlines()) + "\n"
    path = write(tmp_path, "rides.csv", text)  # no Phase column
    mapping = [
        "route=Line",
        "week=Week starting",
        "boardings=Riders",
        "revenue_hours=Service hours",
    ]
    # since issue 10 the run goes ahead and the report says the comparison is left out
    run = prepare("transit-network", data=path, mapping=mapping)
    assert run.data is not None and run.data.frame is not None
    from govlab.casestudies.cases import transit_network

    result = transit_network.analyse(run.data.frame, None, **run.parameters)
    assert result.ridership is not None and result.ridership.redesign is None
    assert any("No redesign date was given" in note for note in result.notes)
    path = write(tmp_path, "rides_with_phase.csv", RIDES)
    run = prepare("transit-network", data=path, mapping=[*mapping, "period=Phase"])
    assert run.data is not None and run.data.rows == 4


def test_transit_refuses_a_period_that_is_neither_before_nor_after(tmp_path: Path) -> None:
    path = write(tmp_path, "rides.csv", RIDES.replace("44,after\n10,27", "44,later\n10,27"))
    mapping = ["route=Line", "week=Week starting", "boardings=Riders",
               "revenue_hours=Service hours", "period=Phase"]  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        prepare("transit-network", data=path, mapping=mapping)
    assert str(error.value).startswith(
        f"{path}, row 4, column 'Phase': period 'later': expected before or after"
    )


def test_transit_refuses_a_route_without_hours(tmp_path: Path) -> None:
    text = RIDES.replace("1500,44,after", "1500,0,after").replace("1600,44,after", "1600,0,after")
    path = write(tmp_path, "rides.csv", text)
    mapping = ["route=Line", "week=Week starting", "boardings=Riders",
               "revenue_hours=Service hours", "period=Phase"]  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        prepare("transit-network", data=path, mapping=mapping)
    assert str(error.value) == (
        f"{path}, column 'Service hours': route '10' has no revenue hours after the redesign; "
        "boardings per revenue hour need hours > 0"
    )


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (["start=7am"], "parameter 'start': expected a time written HH:MM, e.g. 07:00"),
        (["start=19:00", "end=07:00"], "the window must end after it starts, got 19:00-07:00"),
        (["date=2030-01-01"], "no service on 2030-01-01"),
        (["gtfs=/no/such/feed.zip"], "no such GTFS zip or folder"),
    ],
)
def test_transit_parameters_are_checked_before_running(parameters: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        prepare("transit-network", parameters=parameters)


def test_the_place_is_read_from_a_city_column_unless_given(tmp_path: Path) -> None:
    from govlab.casestudies.runner import prepare

    path = tmp_path / "log.csv"
    path.write_text(
        "id,opened,closed,City\n"
        "P1,2024-03-01 08:00,2024-03-01 09:00,SPRINGFIELD\n"
        "P2,2024-03-02 08:00,,SPRINGFIELD\n",
        encoding="utf-8",
    )
    assert prepare("service-performance-311", data=path).place == "Springfield"
    given = prepare("service-performance-311", data=path, place="Shelbyville")
    assert given.place == "Shelbyville"
    path.write_text("id,opened,closed\nP1,2024-03-01 08:00,2024-03-01 09:00\n")
    assert prepare("service-performance-311", data=path).place is None
