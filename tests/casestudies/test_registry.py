"""The registry agrees with the seed library, with the notebooks and with itself."""

from __future__ import annotations

import ast
from importlib import resources

import nbformat
import pytest

from govlab.casestudies import CASES, get_case
from govlab.casestudies.runner import case_module
from govlab.errors import NotFound

# Variables every case notebook's parameters cell has besides the case's parameters.
RUN_VARIABLES = {"data_path": "", "data_label": "", "data_info": "", "figures_path": ""}


def parameters_cell(name: str) -> dict[str, object]:
    """The variables and literal values of the notebook's cell tagged ``parameters``."""
    source = resources.files("govlab.casestudies").joinpath("notebooks").joinpath(name)
    notebook = nbformat.reads(source.read_text(encoding="utf-8"), as_version=4)
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{name}: expected one cell tagged 'parameters'"
    values: dict[str, object] = {}
    for node in ast.parse(cells[0].source).body:
        assert isinstance(node, ast.Assign), f"{name}: only assignments in the parameters cell"
        target = node.targets[0]
        assert isinstance(target, ast.Name)
        values[target.id] = ast.literal_eval(node.value)
    return values


def test_four_cases_with_the_names_the_library_uses() -> None:
    assert list(CASES) == [
        "shared-portal",
        "transit-network",
        "service-performance-311",
        "digital-by-default",
    ]


def test_seed_practices_point_at_cases_that_exist_and_back() -> None:
    from govlab.library.seed import seed_practices

    practices = {p.id: p for p in seed_practices()}
    linked = {p.id: p.case_study for p in practices.values() if p.case_study}
    # every case_study in the library is a runnable case
    assert set(linked.values()) == set(CASES)
    for case in CASES.values():
        for practice_id in case.practices:
            assert practices[practice_id].case_study == case.name
        # and every practice that links to the case is listed by it
        assert {pid for pid, name in linked.items() if name == case.name} == set(case.practices)


@pytest.mark.parametrize("name", list(CASES))
def test_notebook_parameters_match_the_registry(name: str) -> None:
    case = get_case(name)
    cell = parameters_cell(case.notebook)
    expected = {**RUN_VARIABLES, **case.defaults()}
    assert cell == expected


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_has_a_module_with_the_three_functions(name: str) -> None:
    module = case_module(get_case(name))
    for function in ("default_data", "check", "analyse"):
        assert callable(getattr(module, function))


@pytest.mark.parametrize("name", list(CASES))
def test_the_notebook_records_every_key_figure_the_registry_names(name: str) -> None:
    case = get_case(name)
    assert len({f.key for f in case.figures}) == len(case.figures)
    source = resources.files("govlab.casestudies").joinpath("notebooks").joinpath(case.notebook)
    text = source.read_text(encoding="utf-8")
    assert "nb.record(figures_path" in text
    assert "nb.comparison(CASE" in text


def test_describe_is_plain_data_with_typed_parameters() -> None:
    described = get_case("service-performance-311").describe()
    sla = next(p for p in described["parameters"] if p["name"] == "sla_hours")
    assert sla == {
        "name": "sla_hours",
        "type": "float",
        "default": 72.0,
        "help": "Service-level target in hours (72 = three days).",
        "minimum": 0.01,
    }
    # category and agency are optional since issue 10 (a single department's log)
    assert [f["name"] for f in described["data"]["fields"] if f["required"]] == [
        "id",
        "opened",
        "closed",
    ]


def test_unknown_case_lists_the_cases() -> None:
    with pytest.raises(NotFound, match="no case study named 'portal'; cases: shared-portal, "):
        get_case("portal")


def test_the_names_a_practice_may_give_are_the_cases() -> None:
    from govlab.casestudies.registry import CASES
    from govlab.models import CASE_STUDIES

    assert set(CASE_STUDIES) == set(CASES)
