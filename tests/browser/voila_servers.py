"""Real `govlab voila` servers for the browser tests, on one lively library, and page helpers.

Three servers share one SQLite library: every app as a member (li), the review desk
as a reviewer (rosa), and the public apps for anonymous visitors. They start once per
test session (one xdist group) and stop at its end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govlab.testing.postgres import free_port
from govlab.testing.processes import stop, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
XSS_TITLE = 'Quiet streets <img src=x onerror="window.__xss=1">'
XSS_TEXT = '<script>window.__xss=2</script>**Traffic** calming <svg onload="window.__xss=3">'
XSS_COMMENT = '<img src=y onerror="alert(4)"> Did it work?'


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class World:
    db: str
    home: Path
    member: Server
    reviewer: Server
    public: Server
    shots: Path
    ids: dict[str, str] = field(default_factory=dict)

    def session(self, user: str | None = None, **options: Any) -> Any:
        from govlab.community.session import open_library

        if user is None:
            return open_library(self.db, visitor=True, seed=False)
        return open_library(self.db, user, show_guidelines=False, **options)


def prepare(db: str) -> dict[str, str]:
    """Seed the library, fill it with a workshop's activity, add a practice full of payloads."""
    from govlab.community.session import open_library
    from govlab.models import Practice
    from govlab.widgets.demo import populate

    first = open_library(db, "ada", show_guidelines=False)
    populate(db, admin="ada", feedback=30)
    xss = Practice.model_validate(
        {
            "id": "quiet-streets",
            "title": XSS_TITLE,
            "summary": XSS_TEXT,
            "problem": XSS_TEXT,
            "jurisdiction": "Ghent",
            "country": "BE",
            "level": "local",
            "status": "published",
            "author": "tomas",
        }
    )
    first.import_practices([xss], why="browser test payloads")
    open_library(db, "li", show_guidelines=False).comment("quiet-streets", XSS_COMMENT)
    found = first.search("open data", limit=1)
    first.close()
    return {"xss": "quiet-streets", "open_data": found.results[0].id}


def start(
    args: list[str], db: str, home: Path, user: str, log: Path, extra_env: dict[str, str]
) -> Server:
    port = free_port()
    env = {
        **os.environ,
        **extra_env,
        "GOVLAB_HOME": str(home),
        "GOVLAB_USER": user,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("JUPYTERHUB_USER", None)
    command = [str(Path(sys.executable).parent / "govlab"), "voila", *args, "--no-browser"]
    command += [f"--port={port}", f"--db={db}", "--pool=1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(f"{url}/", process, timeout=120)
    return Server(url, process, log)


def servers(tmp: Path, extra_env: dict[str, str]) -> Iterator[World]:
    """Prepare the library and start the three servers; stop them at the end."""
    home = tmp / "home"
    home.mkdir()
    db = f"sqlite:///{tmp / 'library.db'}"
    ids = prepare(db)
    started: list[Server] = []
    try:
        member = start([], db, home, "li", tmp / "member.log", extra_env)
        started.append(member)
        reviewer = start(["review_desk"], db, home, "rosa", tmp / "reviewer.log", extra_env)
        started.append(reviewer)
        public = start(["--public"], db, home, "fatima", tmp / "public.log", extra_env)
        started.append(public)
        shots = tmp / "screenshots"
        shots.mkdir()
        yield World(db, home, member, reviewer, public, shots, ids)
    finally:
        for server in started:
            stop(server.process)


class PageWatch:
    """What a page did that a visitor must never see: errors, dialogs, requests elsewhere."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.elsewhere: list[str] = []
        self.refused: list[str] = []  # addresses answered with an error status
        page.on("console", self._console)
        page.on("response", lambda r: self.refused.append(r.url) if r.status >= 400 else None)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            self.elsewhere.append(url)


def open_app(page: Any, server: Server, app: str, query: str = "") -> PageWatch:
    """Open an app and wait until its component is on the page and its kernel is idle."""
    watch = PageWatch(page)
    page.goto(f"{server.url}/voila/render/{app}.ipynb{query}", timeout=120_000)
    page.locator(".govlab").first.wait_for(timeout=120_000)
    page.wait_for_function(
        "() => !document.querySelector('#loading') && "
        "document.querySelectorAll('.govlab-notice').length > 0",
        timeout=60_000,
    )
    page.wait_for_timeout(300)  # let the last trait updates paint
    return watch


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def full_screenshot(page: Any, path: Path) -> None:
    """The whole app: Voila's shell scrolls inside a box, so the window grows to fit it."""
    height = page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
