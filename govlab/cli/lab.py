"""``govlab lab``: JupyterLab on the workshop, opened at ``notebooks/00_start_here.ipynb``.

What a participant would otherwise meet in the first minutes, and what this does instead:

* JupyterLab's root is the workshop folder (the repository), so the file browser shows
  the notebooks, the Voila apps and the courses, and the printed URL is the notebook's.
* The library is created and seeded, and a new member reads the guidelines in short.
* The workshop's notebooks are trusted (no "Notebook ... is not trusted" in the log),
  and served with the kernel's metadata, so a tab is not "modified" on opening
  (:mod:`govlab.cli.lab_contents`).
* Kernels talk over local sockets (IPC), not unencrypted TCP.
* JupyterLab's news pop-up is off; nbgrader's authoring tools (Formgrader, Create
  Assignment, Courses) appear only with ``--facilitator``, for a facilitator.
* nbgrader finds a config file (the course's, for a facilitator), so it does not warn.
* Warnings a participant cannot act on are dropped: deprecations raised in traitlets
  (``ServerApp.token``, read by notebook_shim going through every setting; voila turns
  them on) and tornado's notice that it shortens jupyter-server's websocket ping timeout.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from govlab.cli.common import Db, session
from govlab.course.lab import role_config
from govlab.errors import InvalidInput, PermissionDenied
from govlab.text import for_terminal
from govlab.widgets import serving

START = "notebooks/00_start_here.ipynb"
CONTENTS = "govlab.cli.lab_contents.WorkshopContents"
NOTEBOOK_FOLDERS = ("notebooks", "widgets", "courses")
FACILITATOR_ROLES = ("facilitator", "admin")
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
COURSE_CONFIG = Path("courses") / "govlab101" / "nbgrader_config.py"


def register(app: typer.Typer) -> None:
    """Add ``govlab lab`` to the ``govlab`` command."""
    app.command(name="lab")(lab)


def lab(
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="The port (default: 8888 or the next free)."),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser; print the URL.")
    ] = False,
    facilitator: Annotated[
        bool,
        typer.Option("--facilitator", help="Show nbgrader's authoring tools (facilitators)."),
    ] = False,
    folder: Annotated[
        Path | None,
        typer.Option("--folder", help="The workshop folder (default: the repository here)."),
    ] = None,
    setup_only: Annotated[
        bool,
        typer.Option(
            "--setup-only",
            help="Create the library, trust the notebooks and write the Jupyter config; "
            "print the config folder and do not start JupyterLab (Binder's postBuild).",
        ),
    ] = False,
    db: Db = None,
) -> None:
    """Open JupyterLab on the workshop at notebooks/00_start_here.ipynb (Ctrl-C stops it)."""
    root = workshop_root(folder)
    with session(db) as library:  # created and seeded on first use
        member, role = library.member, str(library.role)
    if facilitator and role not in FACILITATOR_ROLES:
        raise PermissionDenied(
            f"--facilitator: only facilitators and admins see nbgrader's authoring tools; "
            f"{member} is a {role}."
        )
    config = write_lab_config(root, facilitator=facilitator)
    trust_notebooks(root)
    if setup_only:  # JupyterLab started by someone else reads it from JUPYTER_CONFIG_PATH
        typer.echo(str(config))
        return
    if db:
        os.environ["GOVLAB_DB_URL"] = db  # the kernels open the same library
    typer.echo(for_terminal(f"Opening JupyterLab on {root} at {START}, as {member} ({role})."))
    serve(root, config, port=port, open_browser=not no_browser)


def workshop_root(folder: Path | None = None) -> Path:
    """The folder holding ``notebooks/00_start_here.ipynb``.

    ``folder`` if given; else the current folder or the nearest one above it that holds
    the notebooks; else the repository govlab was installed from (an editable install).
    """
    if folder is not None:
        candidates = [folder.expanduser().resolve()]
    else:
        here = Path.cwd().resolve()
        candidates = [here, *here.parents, Path(__file__).resolve().parents[2]]
    for candidate in candidates:
        if (candidate / START).is_file():
            return candidate
    where = f"--folder {folder}" if folder is not None else "this folder (or any above it)"
    raise InvalidInput(
        f"{where} holds no {START}: run govlab lab in the govlab folder, or name it with --folder."
    )


def lab_config_dir() -> Path:
    """Where ``govlab lab`` writes its Jupyter config: beside the embedded library."""
    from govlab.library.paths import govlab_home

    return govlab_home() / "jupyter"


def write_lab_config(root: Path, *, facilitator: bool) -> Path:
    """Write the Jupyter config this launch uses (page, server and nbgrader) and return it.

    The folder goes first on ``JUPYTER_CONFIG_PATH``, so it overrides the settings the
    packages install, while the user's own ``~/.jupyter`` still comes first.
    """
    folder = lab_config_dir() / ("facilitator" if facilitator else "participant")
    # nbgrader's tools as the course gives them (`govlab course lab-config --role ...`)
    nbgrader = role_config("facilitator" if facilitator else "learner")
    disabled = nbgrader["page_config"]["disabledExtensions"]
    server = nbgrader["server_config"]["ServerApp"]["jpserver_extensions"]
    _write_json(folder / "labconfig" / "page_config.json", {
        "disabledExtensions": {NEWS_PLUGIN: True, **disabled},
    })  # fmt: skip
    _write_json(folder / "jupyter_server_config.json", {
        "ServerApp": {
            "jpserver_extensions": server,
            "contents_manager_class": CONTENTS,
            # Voila's pages (/voila/render/...) load MathJax from a CDN unless both are
            # None: a workshop room's network is not to be relied on
            "tornado_settings": {"mathjax_url": None, "mathjax_config": None},
        },
        "LabApp": {"default_url": f"/lab/tree/{START}"},
        # the Voila apps at /voila/render/widgets/APP.ipynb as `govlab voila` shows them:
        # govlab's template (offline, <main>, lang) and only the extensions they use
        "VoilaConfiguration": {
            "template": serving.TEMPLATE,
            "extension_allowlist": list(serving.FRONTEND_EXTENSIONS),
        },
        # local sockets between the server and its kernels, not unencrypted TCP
        "KernelManager": {"transport": "ipc"},
    })  # fmt: skip
    course = root / COURSE_CONFIG
    lines = ['"""Written by `govlab lab`: the settings nbgrader reads in this workshop."""']
    if facilitator and course.is_file():
        lines.append(f"load_subconfig({str(course)!r})  # noqa: F821 (traitlets provides it)")
    (folder / "nbgrader_config.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def trust_notebooks(root: Path) -> int:
    """Sign the workshop's notebooks as trusted for this user; return how many."""
    import nbformat
    from nbformat.sign import NotebookNotary

    # nbformat's functions carry no type hints: Any in, Any out
    notary: Any = NotebookNotary()  # type: ignore[no-untyped-call]
    read: Any = nbformat.read
    count = 0
    for top in NOTEBOOK_FOLDERS:
        for path in sorted((root / top).rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            notebook = read(path, as_version=4)
            if not notary.check_signature(notebook):
                notary.sign(notebook)
            count += 1
    return count


class _DropNotice(logging.Filter):
    """Drop one log line that starts with ``prefix``."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.prefix)


def lab_arguments(root: Path, *, port: int | None = None, open_browser: bool = True) -> list[str]:
    """JupyterLab's command line for ``root``: quiet, on 127.0.0.1, opening at START."""
    argv = [
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--LabApp.default_url=/lab/tree/{START}",
        # notebooks served with the kernel's own metadata: no "modified" tab on opening
        f"--ServerApp.contents_manager_class={CONTENTS}",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if port is not None:  # the port asked for, or a clear failure; never another one
        argv += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")
    return argv


def serve(root: Path, config: Path, *, port: int | None, open_browser: bool) -> None:
    """Run JupyterLab in this process until Ctrl-C."""
    data = os.environ.get("JUPYTER_PATH")  # where Voila finds govlab's template
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(serving.SHARE), data]))
    os.environ["GOVLAB_LAB_ROOT"] = str(root)  # notebooks link to /voila/render/<path from root>
    paths = os.environ.get("JUPYTER_CONFIG_PATH")
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(config), paths]))
    # voila's __init__ shows every DeprecationWarning raised in traitlets (Python hides
    # them outside __main__), which are for developers: import it, then hide them again
    import voila  # noqa: F401

    warnings.filterwarnings("ignore", category=DeprecationWarning, module="traitlets")
    logging.getLogger("tornado.general").addFilter(_DropNotice("The websocket_ping_timeout"))
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance(argv=lab_arguments(root, port=port, open_browser=open_browser))
