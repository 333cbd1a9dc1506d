"""Typed parameters: text from ``-p NAME=VALUE`` and Python values, checked the same way."""

from __future__ import annotations

import pytest

from govlab.casestudies import get_case
from govlab.casestudies.runner import check_parameters, parse_parameters
from govlab.casestudies.spec import Parameter
from govlab.errors import InvalidInput

INT = Parameter("top", "int", 10, "rows", minimum=1)
FLOAT = Parameter("sla_hours", "float", 72.0, "hours", minimum=0.01)
BOOL = Parameter("verbose", "bool", False, "talk")
DATE = Parameter("as_of", "date", None, "when")
CHOICE = Parameter("split", "str", "equal", "how", choices=("equal", "population"))


@pytest.mark.parametrize(
    ("parameter", "text", "value"),
    [
        (INT, "12", 12),
        (INT, " 3 ", 3),
        (FLOAT, "48", 48.0),
        (FLOAT, "0.5", 0.5),
        (BOOL, "yes", True),
        (BOOL, "FALSE", False),
        (DATE, "2014-05-26", "2014-05-26"),
        (CHOICE, "population", "population"),
    ],
)
def test_text_is_parsed_to_the_type(parameter: Parameter, text: str, value: object) -> None:
    parsed = parameter.parse(text)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("parameter", "text", "message"),
    [
        (INT, "2.5", "parameter 'top': expected a whole number (int), e.g. 12, got '2.5'"),
        (INT, "ten", "parameter 'top': expected a whole number (int), e.g. 12, got 'ten'"),
        (FLOAT, "soon", "parameter 'sla_hours': expected a number (float), e.g. 72 or 0.035"),
        (FLOAT, "nan", "parameter 'sla_hours': expected a number (float)"),
        (BOOL, "maybe", "parameter 'verbose': expected true or false (bool), got 'maybe'"),
        (DATE, "26/05/2014", "parameter 'as_of': expected a date written YYYY-MM-DD (date)"),
        (CHOICE, "usage", "parameter 'split': 'usage' is not one of equal, population"),
        (INT, "0", "parameter 'top': 0 is out of range; expected >= 1"),
        (FLOAT, "-1", "parameter 'sla_hours': -1 is out of range; expected >= 0.01"),
    ],
)
def test_wrong_text_names_the_parameter_and_the_type(
    parameter: Parameter, text: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        parameter.parse(text)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("parameter", "value"),
    [(INT, 2.0), (INT, True), (FLOAT, "72"), (BOOL, 1), (CHOICE, 3), (FLOAT, None)],
)
def test_python_values_of_the_wrong_type_are_refused(parameter: Parameter, value: object) -> None:
    with pytest.raises(InvalidInput, match=f"parameter '{parameter.name}': expected"):
        parameter.check(value)


def test_an_int_is_a_float_and_none_keeps_an_automatic_default() -> None:
    assert FLOAT.check(48) == 48.0
    assert DATE.check(None) is None


def test_bounds_between() -> None:
    rate = Parameter("discount_rate", "float", 0.035, "rate", minimum=0, maximum=1)
    with pytest.raises(InvalidInput, match="1.5 is out of range; expected between 0 and 1"):
        rate.check(1.5)


def test_case_parameters_start_from_the_defaults() -> None:
    case = get_case("service-performance-311")
    values = check_parameters(case, parse_parameters(case, ["sla_hours=48", "top=3"]))
    assert values == {
        "sla_hours": 48.0,
        "min_requests": 20,
        "top": 3,
        "backlog_freq": "W",
        "as_of": None,
    }


def test_unknown_parameter_lists_the_known_ones() -> None:
    case = get_case("service-performance-311")
    with pytest.raises(InvalidInput) as error:
        parse_parameters(case, ["sla=48"])
    assert str(error.value) == (
        "case 'service-performance-311' has no parameter 'sla'; parameters: "
        "sla_hours, min_requests, top, backlog_freq, as_of"
    )


def test_a_parameter_without_equals_sign_says_how() -> None:
    with pytest.raises(InvalidInput, match="-p 'sla_hours': expected NAME=VALUE"):
        parse_parameters(get_case("service-performance-311"), ["sla_hours"])
