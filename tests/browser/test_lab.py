"""The first README command's job: JupyterLab opens 00_start_here.ipynb and it runs."""

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

from .conftest import jupyter_bin, stop, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "govlab-test-token"


@pytest.fixture
def lab(tmp_path: Path, govlab_home: Path) -> Iterator[str]:
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # no "Would you like to receive official Jupyter news?" pop-up over the notebook
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    # every cell in the DOM, so the outputs below the fold are there to read
    notebook_settings = settings.parent.parent / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    port = free_port()
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    subprocess.run([jupyter_bin("govlab"), "init"], check=True, env=env, capture_output=True)
    command = [
        jupyter_bin("jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT}",
        "--LabApp.expose_app_in_browser=True",
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


@pytest.mark.browser
@pytest.mark.slow
def test_start_here_opens_and_runs_in_jupyterlab(lab: str, page: Any) -> None:
    page.goto(f"{lab}/lab/tree/notebooks/00_start_here.ipynb?token={TOKEN}")
    heading = page.locator(".jp-RenderedMarkdown h1", has_text="Start here: the govlab practice")
    heading.first.wait_for(timeout=60_000)
    # As JupyterLab's own UI tests (Galata) do: wait on the app's promises, not on pixels,
    # so a busy machine makes the test slower, never wrong.
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
    kernel = page.evaluate(WAIT_FOR_KERNEL)
    assert kernel == "idle", f"the notebook's kernel is {kernel!r}, not idle"
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    try:
        page.get_by_text("practices match 'transit'").first.wait_for(timeout=120_000)
    except Exception as error:  # say what the page showed, not just "timeout"
        raise AssertionError(f"no search result; the page showed: {_outputs(page)}") from error
    outputs = _outputs(page)
    # the seeded library answers: Houston's and Seoul's redesigns are in the result table
    assert any("houston-metro-system-reimagi" in text for text in outputs), outputs
    assert not page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).count()
    assert not page.get_by_text("Traceback").count()


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
