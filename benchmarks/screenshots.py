"""Screenshots of the Voila apps, taken from the running apps (so the README's stay current).

    .venv/bin/python benchmarks/screenshots.py                 # the README's two pictures
    .venv/bin/python benchmarks/screenshots.py --all --out /tmp/shots --print

A throwaway library (the seed practices and a workshop's activity from
``govlab.widgets.demo``) is served by ``govlab voila`` as a facilitator; Chromium
takes each app's whole page. ``--print`` also shoots the transparency dashboard as
it prints. The last line is JSON: the files written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_voila import BIN, serve

from govlab.testing.processes import CHROMIUM, CHROMIUM_ARGS, stop, wait_for_http

ROOT = Path(__file__).resolve().parents[1]
README_APPS = ("practice_browser", "transparency_dashboard")


def shoot(page: Any, url: str, path: Path, *, printed: bool = False) -> None:
    page.goto(url, timeout=120_000)
    page.locator(".govlab").first.wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('#loading')", timeout=60_000)
    page.wait_for_timeout(2500)  # charts drawn, the page's own refresh settled
    if printed:
        page.emulate_media(media="print")
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)
        page.emulate_media(media="screen")
        return
    height = page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 6000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--all", action="store_true", help="every app, not only the README's")
    parser.add_argument("--print", dest="printed", action="store_true",
                        help="the dashboard as printed too")  # fmt: skip
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from govlab.community.session import open_library
    from govlab.testing.postgres import free_port
    from govlab.widgets.demo import populate
    from govlab.widgets.serving import APPS

    apps = [app.name for app in APPS] if options.all else list(README_APPS)
    options.out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="govlab-shots-") as tmp:
        db = f"sqlite:///{Path(tmp) / 'library.db'}"
        open_library(db, "ada", show_guidelines=False).close()
        populate(db, admin="ada")
        env = {**os.environ, "GOVLAB_HOME": str(Path(tmp) / "home"), "GOVLAB_USER": "fatima"}
        port = free_port()
        command = [str(BIN / "govlab"), "voila", "--no-browser", f"--port={port}", f"--db={db}"]
        server = serve(command, env, Path(tmp) / "voila.log")
        try:
            wait_for_http(f"http://127.0.0.1:{port}/", server, timeout=180)
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = chromium.new_page(viewport={"width": 1400, "height": 900})
                for app in apps:
                    url = f"http://127.0.0.1:{port}/voila/render/{app}.ipynb"
                    path = options.out / f"{app}.png"
                    shoot(page, url, path)
                    written.append(str(path))
                    print(f"wrote {path}", file=sys.stderr)
                if options.all:  # the explorer with a case chosen: its form, not only the cards
                    path = options.out / "case_study_explorer_case.png"
                    query = "?case=service-performance-311"
                    shoot(page, f"http://127.0.0.1:{port}/voila/render/case_study_explorer.ipynb"
                          + query, path)  # fmt: skip
                    written.append(str(path))
                if options.printed:
                    path = options.out / "transparency_dashboard_print.png"
                    shoot(page, f"http://127.0.0.1:{port}/voila/render/transparency_dashboard.ipynb",
                          path, printed=True)  # fmt: skip
                    written.append(str(path))
                chromium.close()
        finally:
            stop(server)
    print(json.dumps({"screenshots": written}))


if __name__ == "__main__":
    main()
