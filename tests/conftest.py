"""Fixtures every test shares: an isolated GOVLAB_HOME, and real databases.

PostgreSQL is a real server started from the machine's binaries once per test
process (per xdist worker); each test that asks for it gets a fresh database.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.testing.processes import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
_names = itertools.count()


@pytest.fixture(autouse=True)
def govlab_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has its own library folder and member name, and never reads the machine's."""
    home = tmp_path / "govlab-home"
    monkeypatch.setenv("GOVLAB_HOME", str(home))
    monkeypatch.delenv("GOVLAB_DB_URL", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("GOVLAB_USER", "tester")
    return home


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throwaway PostgreSQL server for this test process."""
    from govlab.testing.postgres import throwaway_postgres

    with throwaway_postgres(dbname="govlab_template") as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty PostgreSQL database on the throwaway server."""
    from govlab.testing.postgres import create_database

    return create_database(pg_server, f"t{os.getpid()}_{next(_names)}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, govlab_home: Path) -> str:
    """The same test on the embedded SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        govlab_home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{govlab_home / 'library.db'}"
    return str(request.getfixturevalue("pg_url"))


# One Playwright per test process: a second sync_playwright() in the same process fails
# ("Sync API inside the asyncio loop"), so every browser test shares this one.
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `./run test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
