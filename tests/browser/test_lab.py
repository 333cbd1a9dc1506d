"""The first README command's job, in Chromium: `govlab lab` opens 00_start_here and it runs.

JupyterLab is started the way a participant starts it (`govlab lab --no-browser`), with
its own config, data, runtime and settings folders so that nothing of this machine's
Jupyter setup leaks in. Set GOVLAB_SHOTS to a folder to keep the screenshots.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.testing.postgres import free_port
from govlab.testing.processes import stop

from .conftest import jupyter_bin

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_URL = re.compile(
    r"http://127\.0\.0\.1:\d+/lab/tree/notebooks/00_start_here\.ipynb\?token=\w+"
)
# what a participant cannot act on, and must not see in the log
NOISE = (
    "is not trusted",
    "running over TCP",
    "websocket_ping_timeout",
    "ServerApp.token",
    "DeprecationWarning",
    "No nbgrader_config.py",
    "Traceback",
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("lab")]


class Lab:
    """A running `govlab lab`: its URL (with token) and its log."""

    def __init__(self, url: str, log: Path, shots: Path) -> None:
        self.url, self.log, self.shots = url, log, shots
        self.base = url.split("/lab/", 1)[0]
        self.token = url.rsplit("token=", 1)[1]

    def shot(self, page: Any, name: str) -> None:
        page.screenshot(path=str(self.shots / f"{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("lab")
    settings = tmp / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # every cell in the DOM, so the outputs below the fold are there to read
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    config = tmp / "jupyter-config"
    config.mkdir()
    # window.jupyterapp, for the test to wait on JupyterLab's promises
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"LabApp": {"expose_app_in_browser": True}})
    )
    runtime = Path(tempfile.mkdtemp(prefix="gl-rt-"))  # IPC socket paths must stay short
    env = {
        **os.environ,
        "GOVLAB_HOME": str(tmp / "govlab-home"),
        "GOVLAB_USER": "participant",
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(tmp / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("GOVLAB_DB_URL", None)
    command = [jupyter_bin("govlab"), "lab", "--no-browser", "--port", str(free_port())]
    log = tmp / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            url = _wait_for_url(log, process)
            shots = Path(os.environ.get("GOVLAB_SHOTS") or tmp / "shots")
            shots.mkdir(parents=True, exist_ok=True)
            yield Lab(url, log, shots)
        finally:
            stop(process)
            shutil.rmtree(runtime, ignore_errors=True)


def _wait_for_url(log: Path, process: subprocess.Popen[bytes], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = NOTEBOOK_URL.search(log.read_text(errors="replace"))
        if found:
            return found.group(0)
        if process.poll() is not None:
            raise AssertionError(f"govlab lab exited: {log.read_text()}")
        time.sleep(0.3)
    raise AssertionError(f"govlab lab printed no notebook URL in {timeout} s: {log.read_text()}")


def _open_start_here(lab: Lab, page: Any) -> None:
    page.goto(lab.url)
    page.locator(".jp-RenderedMarkdown h1").first.wait_for(timeout=90_000)
    # As JupyterLab's own UI tests (Galata) do: wait on the app's promises, not on pixels,
    # so a busy machine makes the test slower, never wrong.
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
    kernel = page.evaluate(WAIT_FOR_KERNEL)
    assert kernel == "idle", f"the notebook's kernel is {kernel!r}, not idle"


def test_govlab_lab_opens_start_here_clean_and_quiet(lab: Lab, page: Any) -> None:
    _open_start_here(lab, page)
    title = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
    assert title == "notebooks/00_start_here.ipynb"
    page.wait_for_timeout(1500)  # let JupyterLab settle what it writes after a kernel starts
    dirty = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")
    assert dirty is False, "the notebook's tab shows as modified right after opening"
    # no news pop-up over the notebook
    assert not page.get_by_text("official Jupyter news").count()
    # a participant has nbgrader's Assignments, not its authoring tools
    commands = page.evaluate(
        "() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('nbgrader'))"
    )
    assert commands == ["nbgrader:open-assignment-list"], commands
    assert not page.get_by_text("Create Assignment").count()
    # the file browser shows the workshop, not only one notebook
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:go-to-path', {path: '/'})")
    listing = page.locator(".jp-DirListing-itemName").all_inner_texts()
    assert {"notebooks", "README.md"} <= {name.strip() for name in listing}, listing
    lab.shot(page, "lab-opened")


def test_start_here_runs_in_jupyterlab_and_its_browser_narrows(lab: Lab, page: Any) -> None:
    _open_start_here(lab, page)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    try:
        page.get_by_text("practices match 'transit'").first.wait_for(timeout=120_000)
    except Exception as error:  # say what the page showed, not just "timeout"
        raise AssertionError(f"no search result; the page showed: {_outputs(page)}") from error
    outputs = _outputs(page)
    assert any("Houston METRO System Reimagining" in text for text in outputs), outputs
    assert any("with the role: admin." in text for text in outputs), outputs
    assert not page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).count()
    assert not page.get_by_text("Traceback").count()
    # the PracticeBrowser rendered: every practice, as cards
    total = page.locator(".govlab-cards__total").first
    total.wait_for(timeout=60_000)
    before = _count(total.inner_text())
    assert before >= 40 and "in the library" in total.inner_text()
    lab.shot(page, "lab-ran")
    # a search narrows it, as the participant types
    box = page.locator(".govlab-search__input").first
    box.scroll_into_view_if_needed()
    box.fill("bus network")
    page.get_by_text('practices match "bus network"').first.wait_for(timeout=30_000)
    after = _count(total.inner_text())
    assert 0 < after < before, (before, after)
    titles = page.locator(".govlab-card__title").all_inner_texts()
    assert 0 < len(titles) <= after and any("Houston" in t for t in titles), titles
    lab.shot(page, "lab-browser-search")
    log = lab.log.read_text(errors="replace")
    assert [noise for noise in NOISE if noise in log] == [], log


def test_a_voila_app_opens_through_jupyterlab(lab: Lab, page: Any) -> None:
    page.goto(f"{lab.base}/voila/render/widgets/transparency_dashboard.ipynb?token={lab.token}")
    heading = page.locator("h1", has_text="services are doing")
    heading.first.wait_for(timeout=120_000)
    page.locator(".govlab-tile").first.wait_for(timeout=30_000)
    assert not page.get_by_text("Traceback").count()
    lab.shot(page, "lab-voila-render")


def _count(summary: str) -> int:
    return int(summary.split()[0].replace(",", ""))


# Resolves once the open notebook's kernel has started and answered (or after 120 s).
WAIT_FOR_KERNEL = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.context.ready;
  await panel.sessionContext.ready;
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    if (kernel && kernel.connectionStatus === "connected" && kernel.status === "idle") {
      return kernel.status;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return kernel ? kernel.status + "/" + kernel.connectionStatus : "no kernel";
}"""


def _outputs(page: Any) -> list[str]:
    return list(page.locator(".jp-OutputArea-output").all_inner_texts())
