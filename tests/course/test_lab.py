"""nbgrader in JupyterLab: the learner's Assignments tab and Validate, the facilitator's formgrader.

JupyterLab runs with a role's config (``govlab course lab-config --role ...``): the
learner in a folder whose ``nbgrader_config.py`` names the course's exchange, the
facilitator in the course folder itself (the course's own config).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govlab.course.submissions import fill, release_notebook, solutions, submit
from govlab.testing.postgres import free_port

from .conftest import BIN, environment, release_to_learner, run, serve

pytestmark = [pytest.mark.xdist_group("course-lab"), pytest.mark.slow, pytest.mark.browser]
TOKEN = "govlab-course-test"


@contextlib.contextmanager
def jupyterlab(work: Path, role: str, folder: Path) -> Iterator[str]:
    """JupyterLab serving ``folder`` with a role's nbgrader tools; yields its address."""
    env = environment(work / "facilitator")
    config = work / f"{role}-jupyter"
    made = run(["govlab", "course", "lab-config", "--role", role, "--config-dir", str(config)],
               cwd=work, env=env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    settings = work / f"{role}-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    lab_env = {**env, "JUPYTER_CONFIG_DIR": str(config),
               "JUPYTERLAB_SETTINGS_DIR": str(work / f"{role}-settings")}  # fmt: skip
    port = free_port()
    command = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={folder}",
        "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    ready = f"http://127.0.0.1:{port}/api/status?token={TOKEN}"
    # the formgrader reads nbgrader_config.py from the folder the server starts in
    with serve(command, ready=ready, cwd=folder, env=lab_env, log=work / f"{role}-lab.log"):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def learner_lab(tmp_path: Path) -> Iterator[dict[str, Any]]:
    paths = release_to_learner(tmp_path)
    with jupyterlab(tmp_path, "learner", paths["learner"]) as url:
        yield {"url": url, "learner": paths["learner"], "course": paths["course"],
               "shots": tmp_path}  # fmt: skip


def nbgrader_commands(page: Any, url: str) -> list[str]:
    page.goto(f"{url}/lab?token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=90_000)
    commands: list[str] = page.evaluate(
        "() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('nbgrader'))"
    )
    return sorted(commands)


def test_learner_fetches_and_validates_in_jupyterlab(
    learner_lab: dict[str, Any], page: Any
) -> None:
    # a learner has the Assignments list and Validate, no formgrader and no authoring tools
    assert nbgrader_commands(page, learner_lab["url"]) == ["nbgrader:open-assignment-list"]
    # ...and the server does not serve the formgrader to a learner who types its address
    refused = page.request.get(f"{learner_lab['url']}/formgrader/?token={TOKEN}")
    assert refused.status == 404
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


def test_facilitator_grades_a_reflection_in_the_formgrader(tmp_path: Path, page: Any) -> None:
    from govlab.course.course import Course

    paths = release_to_learner(tmp_path)
    course_dir = paths["course"]
    course = Course.find(course_dir)
    release = release_notebook(course, "ps1")
    submit(
        course,
        "amina",
        "ps1",
        fill(release, solutions(course_dir / "source" / "ps1" / "ps1.ipynb")),
    )
    submit(course, "blank", "ps1", release)
    graded = run(["govlab", "course", "autograde", "ps1", "--course", str(course_dir)],
                 cwd=tmp_path, env=environment(tmp_path / "facilitator"))  # fmt: skip
    assert graded.returncode == 0, graded.stderr
    with jupyterlab(tmp_path, "facilitator", course_dir) as url:
        assert nbgrader_commands(page, url) == sorted([
            "nbgrader:open-assignment-list", "nbgrader:open-course-list",
            "nbgrader:open-create-assignment", "nbgrader:open-formgrader",
            "nbgrader:open-formgrader-local",
        ])  # fmt: skip
        # the formgrader reads the course's config: its five assignments, ps1 released
        page.goto(f"{url}/formgrader/manage_assignments?token={TOKEN}")
        for name in ("ps1", "ps2", "ps3", "ps4", "ps5"):
            page.locator("td", has_text=name).first.wait_for(timeout=30_000)
        ps1 = page.locator("tr", has_text="ps1").first.inner_text()
        assert "released" in ps1 and "2" in ps1.split()  # released, two submissions
        page.screenshot(path=str(tmp_path / "formgrader.png"))
        # amina's autograded score, and her reflection waiting for a grade by hand
        page.goto(f"{url}/formgrader/gradebook/ps1/ps1?token={TOKEN}")
        row = page.locator("tr", has_text="amina")
        row.locator(".code-score", has_text="13 / 13").wait_for(timeout=30_000)
        assert row.locator(".needs-manual-grade .glyphicon-ok").count() == 1
        page.screenshot(path=str(tmp_path / "gradebook.png"))
        page.goto(url + (row.locator(".name a").first.get_attribute("href") or ""))
        score = page.locator("input.score#reflection")
        score.wait_for(timeout=30_000)
        score.fill("3")
        score.press("Tab")  # the formgrader saves a score when it changes
        deadline = time.monotonic() + 30
        while reflection_score(course_dir, "amina") is None and time.monotonic() < deadline:
            time.sleep(0.3)
        page.screenshot(path=str(tmp_path / "grading.png"))
    assert reflection_score(course_dir, "amina") == 3.0


def reflection_score(course: Path, student: str) -> float | None:
    """The facilitator's score of a learner's ps1 reflection, from the gradebook."""
    with sqlite3.connect(course / "gradebook.db") as db:
        [(manual,)] = db.execute(
            "SELECT g.manual_score FROM grade g JOIN base_cell bc ON g.cell_id = bc.id "
            "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
            "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            "WHERE bc.name = 'reflection' AND sa.student_id = ?",
            (student,),
        ).fetchall()
    return None if manual is None else float(manual)
