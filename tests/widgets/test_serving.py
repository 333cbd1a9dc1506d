"""`govlab voila` without a server: the app list, the command line it builds, its refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govlab.cli import main
from govlab.widgets import serving

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_has_a_thin_notebook_without_outputs() -> None:
    import nbformat

    for app in serving.APPS:
        notebook = nbformat.read(ROOT / "widgets" / app.notebook, as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert 2 <= len(code) <= 3, app.name
        assert all(not cell.outputs and cell.execution_count is None for cell in code)
        assert notebook.metadata["title"] == app.title


def test_list_json_names_each_app_with_its_title_and_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["voila", "--list", "--json"]) == 0
    apps = json.loads(capsys.readouterr().out)
    assert [a["name"] for a in apps] == [
        "practice_browser", "contribute", "review_desk", "case_study_explorer",
        "transparency_dashboard", "feedback_forum", "leaderboard",
    ]  # fmt: skip
    assert apps[0] == {
        "name": "practice_browser",
        "title": "Practice library",
        "url": "/voila/render/practice_browser.ipynb",
        "public": True,
    }
    assert main(["voila", "--list", "--public", "--json"]) == 0
    public = [a["name"] for a in json.loads(capsys.readouterr().out)]
    assert public == ["practice_browser", "transparency_dashboard", "feedback_forum"]


def test_unknown_apps_and_member_apps_in_public_mode_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["voila", "budget_app", "--no-browser"]) == 1
    assert "No app called 'budget_app'" in capsys.readouterr().err
    assert main(["voila", "review_desk", "--public", "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert "--public serves only practice_browser" in err and "review_desk needs a member" in err


def test_the_server_listens_on_loopback_with_preheated_kernels_and_a_ceiling(
    tmp_path: Path,
) -> None:
    argv = serving.voila_argv(tmp_path, port=9999, pool_size=2, max_kernels=40)
    assert "--Voila.ip=127.0.0.1" in argv and "--port=9999" in argv
    assert "--VoilaConfiguration.preheat_kernel=True" in argv
    assert "--VoilaConfiguration.default_pool_size=2" in argv
    assert "--RoomKernelManager.max_kernels=40" in argv
    assert "--VoilaConfiguration.show_tracebacks=False" in argv
    assert "--VoilaConfiguration.template=govlab" in argv


def test_a_public_server_stages_only_the_public_apps(tmp_path: Path) -> None:
    chosen = serving.chosen_apps(None, public=True)
    root = serving.stage_apps(chosen, serving.apps_folder(ROOT / "widgets"), tmp_path / "root")
    assert sorted(p.name for p in root.iterdir()) == [
        "feedback_forum.ipynb", "practice_browser.ipynb", "transparency_dashboard.ipynb",
    ]  # fmt: skip
    env = serving.server_env(True, {"PATH": "/bin"})
    assert env[serving.VISITOR_ENV] == "1" and str(serving.SHARE) in env["JUPYTER_PATH"]
    assert serving.VISITOR_ENV not in serving.server_env(False, {serving.VISITOR_ENV: "1"})


def test_the_template_fetches_nothing_from_a_cdn() -> None:
    folder = serving.SHARE / "voila" / "templates" / serving.TEMPLATE
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "://" not in text, (
                path
            )  # no address of anywhere else (the browser test checks too)


def test_importing_the_widgets_loads_no_ipywidgets() -> None:
    code = (
        "import sys, govlab.widgets as w; assert 'ipywidgets' not in sys.modules; "
        "assert 'anywidget' not in sys.modules; w.StarRating; assert 'anywidget' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
