"""One app inside JupyterLab, through Voila's server extension at /voila/render/: the same app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.testing.postgres import free_port
from govlab.testing.processes import stop, wait_for_http
from govlab.widgets import serving

from .conftest import jupyter_bin
from .voila_servers import PageWatch

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "govlab-voila-test-token"
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("voila")]


@pytest.fixture
def lab(tmp_path: Path, govlab_home: Path) -> Iterator[str]:
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    # Voila's page inside a Jupyter server loads MathJax from a CDN unless the server sets
    # both its URL and its config to None (as standalone `govlab voila` does): an offline lab
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {"ServerApp": {"tornado_settings": {"mathjax_url": None, "mathjax_config": None}}}
        )
    )
    port = free_port()
    env = {
        **serving.server_env(False),
        "GOVLAB_HOME": str(govlab_home),
        "GOVLAB_USER": "tester",
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    subprocess.run([jupyter_bin("govlab"), "init"], check=True, env=env, capture_output=True)
    command = [
        jupyter_bin("jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT}",
        f"--VoilaConfiguration.template={serving.TEMPLATE}",
        *[f"--VoilaConfiguration.extension_allowlist={name}"
          for name in serving.FRONTEND_EXTENSIONS],
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    with (tmp_path / "lab.log").open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", process)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


def test_the_practice_browser_works_the_same_inside_jupyterlab(lab: str, page: Any) -> None:
    watch = PageWatch(page)
    page.goto(f"{lab}/voila/render/widgets/practice_browser.ipynb?token={TOKEN}", timeout=120_000)
    total = page.locator(".govlab-cards__total")
    total.wait_for(timeout=120_000)
    page.wait_for_function("() => /in the library/.test("
                           "document.querySelector('.govlab-cards__total').innerText)")  # fmt: skip
    before = int(total.inner_text().split()[0])
    page.get_by_label("Search the practice library").fill("transit")
    page.wait_for_function(
        '() => /match(es)? "transit"/.test('
        "document.querySelector('.govlab-cards__total').innerText)"
    )
    assert 0 < len(page.locator(".govlab-card").all()) < before
    page.locator(".govlab-card__link").first.click()
    page.locator(".govlab-detail__title").wait_for()
    page.locator(".govlab-rating__star[data-stars='5']").click()
    page.get_by_text("you rated it 5 stars").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert watch.elsewhere == [], watch.elsewhere
    assert watch.errors == [], watch.errors
    # the charts too: Plotly's front-end extension draws the dashboard's figures in the lab.
    # A second tab, not a navigation: leaving a Voila page inside a Jupyter server POSTs
    # /voila/api/shutdown without an _xsrf token, which the server refuses with a 403
    # (voila#1458, open); the kernel left behind is culled when idle.
    second = page.context.new_page()
    watch = PageWatch(second)
    second.goto(f"{lab}/voila/render/widgets/transparency_dashboard.ipynb?token={TOKEN}",
                timeout=120_000)  # fmt: skip
    second.locator(".govlab-tile").first.wait_for(timeout=120_000)
    second.locator(".govlab-chart .js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    drawn = second.locator(".govlab-chart .js-plotly-plot .scatterlayer .trace, "
                           ".govlab-chart .js-plotly-plot .barlayer .trace")  # fmt: skip
    assert drawn.count() > 0  # data drawn, not an empty frame (voila#1533)
    assert watch.elsewhere == [], watch.elsewhere
    assert watch.errors == [], watch.errors
