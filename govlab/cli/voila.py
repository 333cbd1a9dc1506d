"""``govlab voila``: serve the Voila apps (one, or all) on 127.0.0.1.

The apps act as the member who started the server. ``--public`` serves only the
practice browser, the transparency dashboard and the feedback forum, to anonymous
visitors as the read-only visitor role.
"""

from __future__ import annotations

import tempfile
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from govlab.cli.common import Db, Json, emit


def register(app: typer.Typer) -> None:
    """Add ``govlab voila`` to the root command."""
    app.command(name="voila")(voila)


def voila(
    app_name: Annotated[
        str | None,
        typer.Argument(metavar="[APP]", help="The app to serve (see --list); default all."),
    ] = None,
    port: Annotated[int, typer.Option("--port", help="The port on 127.0.0.1.")] = 8866,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a web browser.")
    ] = False,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Serve the practice browser, transparency dashboard and feedback forum "
            "to anonymous visitors (read-only, feedback waits for a facilitator).",
        ),
    ] = False,
    list_: Annotated[bool, typer.Option("--list", help="List the apps and their URLs.")] = False,
    apps: Annotated[
        Path | None,
        typer.Option("--apps", help="The folder holding the app notebooks (default: widgets/)."),
    ] = None,
    pool: Annotated[
        int, typer.Option("--pool", min=0, help="Preheated kernels kept waiting per app.")
    ] = 1,
    max_kernels: Annotated[
        int, typer.Option("--max-kernels", min=1, help="The most kernels alive at once.")
    ] = 45,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Serve govlab's dashboards with Voila: `govlab voila practice_browser`."""
    from govlab.widgets import serving

    if list_:
        shown = serving.chosen_apps(app_name, public)
        emit([a.describe() for a in shown], as_json, _list_text)
        return
    if not 1 <= port <= 65535:
        raise typer.BadParameter("use a port from 1 to 65535", param_hint="--port")
    chosen = serving.chosen_apps(app_name, public)
    source = serving.apps_folder(apps)
    member = _prepare_library(db, public)
    root = serving.stage_apps(chosen, source, Path(tempfile.mkdtemp(prefix="govlab-voila-")))
    start = chosen[0].url if len(chosen) == 1 else "/"
    who = "anonymous visitors (read-only)" if public else f"{member}"
    typer.echo(f"Serving {', '.join(a.name for a in chosen)} as {who}.")
    typer.echo(f"Open http://127.0.0.1:{port}{start}  (Ctrl+C stops the server)")
    if not no_browser:
        _open_when_ready(f"http://127.0.0.1:{port}{start}")
    _run_voila(serving.voila_argv(root, port=port, pool_size=pool, max_kernels=max_kernels), db,
               member, public)  # fmt: skip


def _prepare_library(db: str | None, public: bool) -> str:
    """Create (migrate, seed) the library now, so a bad URL fails here and not in a page."""
    import govlab

    with govlab.open_library(db=db, show_guidelines=False) as library:
        return library.member


def _run_voila(argv: list[str], db: str | None, member: str, public: bool) -> None:
    import os

    from govlab.widgets import serving

    env = serving.server_env(public)
    env["GOVLAB_USER"] = member
    if db:  # the kernels run in the apps' folder: a relative file path would move
        env["GOVLAB_DB_URL"] = db if "://" in db else str(Path(db).resolve())
    os.environ.clear()
    os.environ.update(env)
    from voila.app import main

    main(argv)


def _open_when_ready(url: str) -> None:
    def wait_and_open() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        webbrowser.open(url)

    threading.Thread(target=wait_and_open, daemon=True).start()


def _list_text(apps: list[dict[str, object]]) -> str:
    width = max(len(str(a["name"])) for a in apps)
    lines = [f"{str(a['name']).ljust(width)}  {a['title']}  ({a['url']})" for a in apps]
    return "\n".join(lines)
