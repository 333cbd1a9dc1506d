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
    # wait for the kernel, then Run > Run All Cells
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=60_000
    )
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.get_by_text("practices match 'transit'").first.wait_for(timeout=90_000)
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    # the seeded library answers: Houston's and Seoul's redesigns are in the result table
    assert any("houston-metro-system-reimagi" in text for text in outputs), outputs
    assert not page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).count()
    assert not page.get_by_text("Traceback").count()
