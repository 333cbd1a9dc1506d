"""Every public member of a real Library is an endpoint and a client method (same signature)."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any

import pytest

from govlab.community.session import Library, open_library
from govlab.service import surface
from govlab.service.app import Settings, create_app
from govlab.service.client import ServiceLibrary


@pytest.fixture
def local(tmp_path: Path) -> typing.Iterator[Library]:
    library = open_library(f"sqlite:///{tmp_path / 'lib.db'}", seed=False, show_guidelines=False)
    yield library
    library.close()


def public_members(library: Library) -> set[str]:
    """Everything a notebook can reach on a session: class attributes and instance ones."""
    names = {name for name in dir(type(library)) if not name.startswith("_")}
    return names | {name for name in vars(library) if not name.startswith("_")}


def test_every_public_member_is_served_or_kept_local(local: Library) -> None:
    members = public_members(local)
    assert {"search", "publish", "check_in", "member", "role"} <= members  # the walk works
    routes = set(surface.operations())
    assert members == routes | surface.LOCAL, "a Library member the service does not offer"
    assert routes == surface.READS | surface.WRITES, "classify each method as a read or a write"
    assert not surface.READS & surface.WRITES


def test_the_openapi_document_has_a_route_per_method() -> None:
    from openapi_spec_validator import validate

    app = create_app(Settings(db="sqlite:///unused.db", admin="lead"))
    document = app.openapi()
    validate(document)
    posts = {
        path.removeprefix("/api/v1/") for path, item in document["paths"].items() if "post" in item
    }
    assert posts == set(surface.operations())
    for name, operation in surface.operations().items():
        spec = document["paths"][f"/api/v1/{name}"]["post"]
        assert spec["operationId"] == name
        assert spec["x-govlab-read"] is operation.read
        assert {"401", "403", "404", "409", "422"} <= set(spec["responses"])


def test_client_methods_have_the_sessions_signatures() -> None:
    for name in surface.operations():
        ours, theirs = getattr(ServiceLibrary, name), getattr(Library, name)
        assert ours is not theirs, f"ServiceLibrary.{name} would run the local session's code"
        assert inspect.signature(ours) == inspect.signature(theirs), name
        assert ours.__doc__ == inspect.getdoc(theirs), name
    assert issubclass(ServiceLibrary, Library)  # isinstance checks in widgets still hold


def _mentions_path(annotation: Any) -> bool:
    return annotation is Path or any(_mentions_path(a) for a in typing.get_args(annotation))


def test_no_parameter_names_a_file_on_the_services_disk() -> None:
    """A path from a caller must never be opened by the service: each is an upload or download."""
    for name, operation in surface.operations().items():
        for parameter in operation.parameters:
            if _mentions_path(operation.hints.get(parameter.name)):
                declared = {surface.UPLOADS.get(name), surface.DOWNLOADS.get(name)}
                assert parameter.name in declared, f"Library.{name}({parameter.name}: Path)"


def test_wire_types_are_what_json_carries() -> None:
    from collections.abc import Iterable, Mapping, Sequence

    from pydantic import Strict

    assert surface.wire_type(Iterable[str]) == list[str]
    assert surface.wire_type(int) == typing.Annotated[int, Strict()]
    assert surface.wire_type(Sequence[str] | None) == typing.Optional[list[str]]  # noqa: UP045
    assert surface.wire_type(Mapping[str, Any]) == dict[str, Any]
    assert surface.wire_type(str | Path) is str
