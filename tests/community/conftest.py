"""A small community on a real database, a clock the tests move by hand, and helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from govlab.testing.community import Clock, Community


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def community(db_url: str, clock: Clock) -> Iterator[Community]:
    world = Community(db_url, clock)
    yield world
    world.close()


@pytest.fixture
def sqlite_community(govlab_home: Any, clock: Clock) -> Iterator[Community]:
    """The same, on SQLite only (for tests whose subject is not the database)."""
    govlab_home.mkdir(parents=True, exist_ok=True)
    world = Community(f"sqlite:///{govlab_home / 'library.db'}", clock)
    yield world
    world.close()
