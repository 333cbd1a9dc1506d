"""The learner's path in JupyterLab: nbgrader's Assignments tab and Validate button.

JupyterLab runs with the learner role's config (``govlab course lab-config --role
learner``) and a learner's ``nbgrader_config.py`` naming the course's exchange.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.course.submissions import fill, solutions
from govlab.testing.postgres import free_port

from .conftest import BIN, environment, release_to_learner, run, serve

pytestmark = [pytest.mark.xdist_group("course-lab"), pytest.mark.slow, pytest.mark.browser]
TOKEN = "govlab-course-test"


@pytest.fixture
def learner_lab(tmp_path: Path) -> Iterator[dict[str, Any]]:
    paths = release_to_learner(tmp_path)
    course, learner = paths["course"], paths["learner"]
    env = environment(tmp_path / "facilitator")
    config = tmp_path / "learner-jupyter"
    made = run(["govlab", "course", "lab-config", "--role", "learner", "--config-dir", str(config)],
               cwd=tmp_path, env=env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    lab_env = {**env, "JUPYTER_CONFIG_DIR": str(config),
               "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings")}  # fmt: skip
    port = free_port()
    command = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={learner}",
        "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    ready = f"http://127.0.0.1:{port}/api/status?token={TOKEN}"
    with serve(command, ready=ready, cwd=learner, env=lab_env, log=tmp_path / "lab.log"):
        yield {"url": f"http://127.0.0.1:{port}", "learner": learner, "course": course,
               "shots": tmp_path}  # fmt: skip


def test_learner_fetches_and_validates_in_jupyterlab(
    learner_lab: dict[str, Any], page: Any
) -> None:
    page.goto(f"{learner_lab['url']}/lab?token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=90_000)
    # a learner has the Assignments list and Validate, no formgrader and no authoring tools
    commands = page.evaluate(
        "() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('nbgrader'))"
    )
    assert commands == ["nbgrader:open-assignment-list"]
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert [i for i in items if i.strip()] == ["Assignment List"]
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.get_by_role("button", name="Fetch").wait_for(timeout=60_000)
    page.screenshot(path=str(learner_lab["shots"] / "assignments.png"))
    page.get_by_role("button", name="Fetch").click()
    page.get_by_role("button", name="Submit").wait_for(timeout=60_000)

    # the learner works through ps1 (written here as if typed), then validates
    notebook = learner_lab["learner"] / "govlab101" / "ps1" / "ps1.ipynb"
    answers = solutions(learner_lab["course"] / "source" / "ps1" / "ps1.ipynb")
    notebook.write_text(json.dumps(fill(json.loads(notebook.read_text()), answers)))
    page.evaluate(
        "() => window.jupyterapp.commands.execute('docmanager:open', "
        "{path: 'govlab101/ps1/ps1.ipynb'})"
    )
    page.locator(".jp-RenderedMarkdown h1", has_text="Problem set 1").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Validate").first.click()
    dialog = page.locator(".jp-Dialog").first
    dialog.wait_for(timeout=120_000)
    page.get_by_text("Success! Your notebook passes all the tests.").wait_for(timeout=60_000)
    page.screenshot(path=str(learner_lab["shots"] / "validated.png"))
    assert "Traceback" not in dialog.inner_text()
