"""What ``govlab voila`` serves: the apps, govlab's Voila template, and the server's settings.

The apps are the thin notebooks in the repository's top-level ``widgets/`` folder.
Served by ``govlab voila`` they listen on 127.0.0.1 only, run with preheated kernels
(a pool per app, so a page opens without waiting for a kernel to start), a limit on
live kernels and idle culling sized for a room of thirty, and act as the member who
started the server. ``--public`` serves three of them to anonymous visitors, whose
kernels open the library as the read-only *visitor* role (:data:`VISITOR_ENV`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govlab.errors import InvalidInput, NotFound

#: Set to "1" in the kernels of a ``--public`` server: components open the library
#: as an anonymous visitor (the session refuses everything a visitor may not do).
VISITOR_ENV = "GOVLAB_VOILA_PUBLIC"
TEMPLATE = "govlab"
#: the Jupyter data folder holding ``voila/templates/govlab``
SHARE = Path(__file__).resolve().parent / "share"

# A room of thirty: every participant's page holds one kernel; a few more for the
# facilitator's screens and for pages reloaded before their old kernel was culled.
MAX_KERNELS = 45
POOL_SIZE = 1  # preheated kernels kept waiting per app
CULL_IDLE_SECONDS = 20 * 60  # a page left alone for 20 minutes gives its kernel back
CULL_INTERVAL_SECONDS = 60
FRONTEND_EXTENSIONS = (
    "@voila-dashboards/widgets-manager8",  # Voila's own widget manager (ipywidgets 8)
    "@jupyter-widgets/jupyterlab-manager",
    "anywidget",
    "jupyterlab-plotly",
)


@dataclass(frozen=True)
class App:
    """One published app: its notebook's name, its title and whether visitors see it."""

    name: str
    title: str
    public: bool = False

    @property
    def notebook(self) -> str:
        """The app's notebook file name."""
        return f"{self.name}.ipynb"

    @property
    def url(self) -> str:
        """The app's path on a ``govlab voila`` server."""
        return f"/voila/render/{self.notebook}"

    def describe(self) -> dict[str, Any]:
        """The app as plain data (``govlab voila --list --json``)."""
        return {"name": self.name, "title": self.title, "url": self.url, "public": self.public}


APPS: tuple[App, ...] = (
    App("practice_browser", "Practice library", public=True),
    App("contribute", "Contribute a practice"),
    App("review_desk", "Review desk"),
    App("case_study_explorer", "Case-study explorer"),
    App("transparency_dashboard", "Transparency dashboard", public=True),
    App("feedback_forum", "Feedback forum", public=True),
    App("leaderboard", "Leaderboard and events"),
)


def find_app(name: str) -> App:
    """The app called ``name`` (its notebook name with or without ``.ipynb``)."""
    wanted = name.strip().removesuffix(".ipynb")
    for app in APPS:
        if app.name == wanted:
            return app
    names = ", ".join(app.name for app in APPS)
    raise NotFound(f"No app called {name!r}: the apps are {names}.")


def apps_folder(folder: str | Path | None = None) -> Path:
    """Where the app notebooks are: ``folder``, else the ``widgets/`` folder of the checkout."""
    path = Path(folder) if folder is not None else Path(__file__).resolve().parents[2] / "widgets"
    if not (path / APPS[0].notebook).is_file():
        raise NotFound(
            f"The apps are not in {path}: pass --apps with the folder holding "
            f"{APPS[0].notebook} and the other app notebooks."
        )
    return path


def chosen_apps(app: str | None, public: bool) -> list[App]:
    """The apps one server serves: one, or all; with ``public`` only the public ones."""
    apps = [find_app(app)] if app else list(APPS)
    if public:
        refused = [a.name for a in apps if not a.public]
        if app and refused:
            public_names = ", ".join(a.name for a in APPS if a.public)
            raise InvalidInput(f"--public serves only {public_names}; {refused[0]} needs a member.")
        apps = [a for a in apps if a.public]
    return apps


def stage_apps(apps: Sequence[App], source: Path, root: Path) -> Path:
    """Copy the chosen notebooks into ``root``: the server's whole world.

    Voila serves every notebook under its root, so the root holds only what this
    server may show (a public server never has the review desk to hand out).
    """
    root.mkdir(parents=True, exist_ok=True)
    for app in apps:
        shutil.copyfile(source / app.notebook, root / app.notebook)
    return root


def voila_argv(
    root: Path,
    *,
    port: int,
    pool_size: int = POOL_SIZE,
    max_kernels: int = MAX_KERNELS,
) -> list[str]:
    """Voila's command line for serving ``root`` on 127.0.0.1:``port``."""
    manager = "govlab.widgets.kernels.RoomKernelManager"
    return [
        str(root),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={pool_size}",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.classic_tree=True",
        # only the front-end extensions the apps use: others (nbgrader's, notebook's)
        # are built for JupyterLab and fail in Voila's page with console errors
        *[f"--VoilaConfiguration.extension_allowlist={name}" for name in FRONTEND_EXTENSIONS],
        # the apps serve no files: a pattern that matches no path (nothing is handed out)
        "--VoilaConfiguration.file_allowlist=.^",
        f"--VoilaConfiguration.multi_kernel_manager_class={manager}",
        f"--RoomKernelManager.max_kernels={max_kernels}",
        f"--RoomKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--RoomKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--RoomKernelManager.cull_connected=False",
        "--RoomKernelManager.cull_busy=False",
    ]


def server_env(public: bool, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the server, which its kernels inherit."""
    env = dict(os.environ if base is None else base)
    paths = [str(SHARE), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["PYTHONWARNINGS"] = "ignore"  # a library's warning is noise on a public page
    if public:
        env[VISITOR_ENV] = "1"
    else:
        env.pop(VISITOR_ENV, None)
    return env


def listing(apps: Sequence[App] = APPS) -> str:
    """The apps as JSON (what ``govlab voila --list --json`` prints)."""
    return json.dumps([app.describe() for app in apps], indent=2)
