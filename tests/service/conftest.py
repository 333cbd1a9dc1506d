"""Real govlab services for the tests: standalone (govlab_ tokens) on PostgreSQL.

Every fixture here is session-scoped and its tests share one xdist group ("service"),
so one worker starts each server once. The hub (a real JupyterHub) comes from
:mod:`govlab.testing.hub`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from govlab.community.session import Library, open_library
from govlab.models import Practice
from govlab.service.client import connect
from govlab.service.tokens import TokenFile
from govlab.testing.postgres import create_database
from govlab.testing.service import RunningService, running_service

ADMIN = "lead"
PEOPLE = {"fay": "facilitator", "rev-a": "reviewer", "rev-b": "reviewer", "ana": "member"}
PEOPLE |= {"bo": "member", "cy": "member"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of tests/service runs on one worker: they share the servers."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.xdist_group("service"))


def populate(db: str) -> dict[str, Library]:
    """The cohort (an admin first, then facilitator, reviewers, members), as local sessions."""
    lead = open_library(db, user=ADMIN, show_guidelines=False)
    for name, role in PEOPLE.items():
        lead.add_member(name, role)
    return {ADMIN: lead} | {
        name: open_library(db, user=name, show_guidelines=False) for name in PEOPLE
    }


@dataclass
class World:
    """The same cohort reached one way: locally, or through the service."""

    kind: str
    opener: Callable[[str], Library]
    _open: dict[str, Library] = field(default_factory=dict)

    def as_(self, name: str) -> Library:
        if name not in self._open:
            self._open[name] = self.opener(name)
        return self._open[name]

    def published(self, pid: str, author: str = "cy") -> str:
        data = {"id": pid, "title": f"Practice {pid}", "status": "published", "author": author}
        self.as_(ADMIN).import_practices([Practice.model_validate(data)], why="test setup")
        return pid

    def close(self) -> None:
        for library in self._open.values():
            library.close()


@dataclass
class Standalone:
    """A govlab serve on its own PostgreSQL database, with a token per member."""

    service: RunningService
    db: str
    tokens: dict[str, str]
    locals: dict[str, Library]
    token_file: TokenFile

    @property
    def url(self) -> str:
        return self.service.url

    def client(self, name: str) -> Library:
        return connect(self.url, token=self.tokens[name], show_guidelines=False)


@pytest.fixture(scope="session")
def standalone(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standalone]:
    yield from _standalone(pg_server, tmp_path_factory, "svc_main")


@pytest.fixture(scope="session")
def fuzzed(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standalone]:
    """A service of its own for schemathesis, whose random writes touch no other test."""
    yield from _standalone(pg_server, tmp_path_factory, "svc_fuzz")


def _standalone(pg_server: str, factory: pytest.TempPathFactory, name: str) -> Iterator[Standalone]:
    db = create_database(pg_server, name)
    sessions = populate(db)
    folder = factory.mktemp(name)
    token_file = TokenFile(folder / "service-tokens.json")
    issued = {who: token_file.issue(sessions[ADMIN], who, days=1) for who in sessions}
    # the service's search through its SQLite copy is tested on its own
    # (tests/library/test_search_mirror.py); here the twins compare like with like:
    # PostgreSQL searched by a local session and by the service
    extra = ["--tokens", str(token_file.path), "--search-copy", "off"]
    with running_service(db, ADMIN, folder, extra=extra) as service:
        yield Standalone(service, db, issued, sessions, token_file)
    for library in sessions.values():
        library.close()


@pytest.fixture(scope="session")
def pair(pg_server: str, standalone: Standalone) -> Iterator[tuple[World, World]]:
    """The cohort on a local library and the same cohort through the service."""
    local_db = create_database(pg_server, "svc_local_twin")
    local_sessions = populate(local_db)
    local = World("local", lambda name: local_sessions[name])
    remote = World("service", standalone.client)
    yield local, remote
    remote.close()
    for library in local_sessions.values():
        library.close()


_tags = itertools.count(1)


@pytest.fixture
def tag() -> str:
    """A fresh id stem per test, the same in both worlds."""
    return f"t{next(_tags):03d}"


@dataclass
class Cohort:
    """A real JupyterHub with the deploy/ configuration, its users and their hub tokens."""

    hub: Any  # govlab.testing.hub.Hub
    names: dict[str, str]  # who -> hub user name (ana's is her Unix account's)
    tokens: dict[str, str]  # who -> a hub API token made through the Hub API

    def client(self, who: str) -> Library:
        return connect(self.hub.service_url, token=self.tokens[who], show_guidelines=False)


@pytest.fixture(scope="session")
def cohort() -> Iterator[Cohort]:
    """ONE hub for every hub test: ana (a participant with a Unix account of her own for her
    server), bo, two reviewers-to-be, fay in the facilitators group, lead the library's admin."""
    import os
    import shutil
    import tempfile

    from govlab.testing.hub import running_hub, unix_account

    if os.geteuid() != 0:
        pytest.skip(
            "the hub tests run user servers as their own Unix account: run as root (CI does)"
        )
    folder = Path(tempfile.mkdtemp(prefix="govlab-hub-"))
    folder.chmod(0o711)  # the participant's home is inside; the hub's state is not readable
    try:
        with unix_account(folder, "ana") as ana:
            names = {"ana": ana, "bo": "bo", "fay": "fay", "rev-a": "rev-a", "rev-b": "rev-b"}
            names["lead"] = ADMIN
            participants = [ana, "bo", "rev-a", "rev-b", ADMIN]
            with running_hub(
                folder, admin=ADMIN, participants=participants, facilitators=["fay"]
            ) as hub:
                for name in names.values():
                    hub.create_user(name)
                issued = {who: hub.token(name) for who, name in names.items()}
                yield Cohort(hub, names, issued)
                hub.stop_server(ana)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
