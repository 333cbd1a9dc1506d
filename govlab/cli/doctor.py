"""``govlab doctor``: is this machine ready for a workshop? Each failed check names its fix.

It reads and starts a kernel; it changes nothing (an old library is reported, not
migrated). Exit status 1 when a required check fails; warnings (Chromium, which only
the browser tests and printed reports use) do not fail it.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from govlab.cli.common import Db, Json, emit

MIN_PYTHON = (3, 11)
MIN_FREE_GB = 1.0
KERNEL_TIMEOUT_S = 90
# JupyterLab extensions a workshop uses: the package that ships each one
LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "jupyterlab_widgets",
    "anywidget": "anywidget",
    "@jupyter/nbgrader": "nbgrader",
    "@voila-dashboards/jupyterlab-preview": "voila",
}
SERVER_EXTENSIONS = {
    "voila.server_extension": "voila",
    "nbgrader.server_extensions.assignment_list": "nbgrader",
    "nbgrader.server_extensions.validate_assignment": "nbgrader",
}
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")


@dataclass
class Check:
    """One check's outcome: ``fix`` is the one command that mends a failure."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def register(app: typer.Typer) -> None:
    """Add ``govlab doctor`` to the ``govlab`` command."""
    app.command(name="doctor")(doctor)


def doctor(
    db: Db = None,
    as_json: Json = False,
    no_kernel: Annotated[
        bool, typer.Option("--no-kernel", help="Skip starting a kernel (quicker).")
    ] = False,
) -> None:
    """Check what a workshop needs: Python, packages, extensions, library, kernel, disk."""
    checks = run_checks(db, kernel=not no_kernel)
    failed = [c for c in checks if c.required and not c.ok]
    emit({"ok": not failed, "checks": [asdict(c) for c in checks]}, as_json, _report)
    if failed:
        raise typer.Exit(1)


def run_checks(db: str | None = None, *, kernel: bool = True) -> list[Check]:
    """Every check, in the order a person would fix them."""
    steps: list[tuple[str, Callable[[], Check]]] = [
        ("python", check_python),
        ("packages", check_packages),
        ("lab extensions", check_lab_extensions),
        ("server extensions", check_server_extensions),
        ("library", lambda: check_library(db)),
        ("kernel", check_kernel),
        ("chromium", check_chromium),
        ("disk", check_disk),
    ]
    return [_safely(name, step) for name, step in steps if kernel or name != "kernel"]


def _safely(name: str, step: Callable[[], Check]) -> Check:
    try:
        return step()
    except Exception as error:  # a check that breaks is a failed check, not a traceback
        return Check(name, False, f"could not check: {error}")


def _report(data: dict[str, Any]) -> str:
    lines = []
    for check in data["checks"]:
        mark = "ok  " if check["ok"] else ("FAIL" if check["required"] else "warn")
        lines.append(f"  {mark}  {check['name']:<18} {check['detail']}")
        if not check["ok"] and check["fix"]:
            lines.append(f"        {'':<18} fix: {check['fix']}")
    verdict = "Ready for the workshop." if data["ok"] else "Not ready: run the fix lines above."
    return "\n".join(["govlab doctor", *lines, verdict])


def _python() -> str:
    return shlex.quote(sys.executable)


def _tool(name: str) -> str:
    """``name`` if the one on PATH is this environment's, else its full path."""
    here = Path(sys.executable).parent / name
    found = shutil.which(name)
    if found and Path(found).resolve() == here.resolve():
        return name
    return shlex.quote(str(here)) if here.exists() else name


def check_python() -> Check:
    """Python is new enough."""
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info[:2] >= MIN_PYTHON
    need = ".".join(map(str, MIN_PYTHON))
    fix = f"sudo apt-get install -y python{need} python{need}-venv, then ./run lab"
    return Check("python", ok, f"Python {version}" + ("" if ok else f" (needs {need}+)"), fix)


def check_packages() -> Check:
    """Every package govlab depends on is installed at a version it accepts."""
    from importlib import metadata

    from packaging.requirements import Requirement

    wrong = []
    requirements = [Requirement(r) for r in metadata.requires("govlab") or []]
    needed = [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]
    for requirement in needed:
        try:
            have = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            wrong.append((requirement, "missing"))
            continue
        if not requirement.specifier.contains(have, prereleases=True):
            wrong.append((requirement, have))
    if not wrong:
        return Check("packages", True, f"{len(needed)} packages at the versions govlab needs")
    listed = ", ".join(f"{r.name} {have}" for r, have in wrong)
    wanted = " ".join(shlex.quote(str(r).split(";")[0]) for r, _ in wrong)
    return Check(
        "packages", False, f"wrong or missing: {listed}", f"{_python()} -m pip install {wanted}"
    )


def check_lab_extensions() -> Check:
    """The widget, anywidget, nbgrader and Voila extensions are installed and enabled."""
    from jupyter_core.paths import jupyter_path
    from jupyterlab_server.config import get_federated_extensions, get_static_page_config

    installed = get_federated_extensions(jupyter_path("labextensions"))
    disabled = get_static_page_config().get("disabledExtensions", {})
    if isinstance(disabled, list):
        disabled = dict.fromkeys(disabled, True)
    missing = [name for name in LAB_EXTENSIONS if name not in installed]
    off = [name for name in LAB_EXTENSIONS if name in installed and disabled.get(name)]
    if missing:
        packages = " ".join(sorted({LAB_EXTENSIONS[name] for name in missing}))
        fix = f"{_python()} -m pip install --force-reinstall --no-deps {packages}"
        return Check("lab extensions", False, f"not installed: {', '.join(missing)}", fix)
    if off:
        fix = f"{_tool('jupyter')} labextension enable {' '.join(off)}"
        return Check("lab extensions", False, f"disabled: {', '.join(off)}", fix)
    return Check("lab extensions", True, "widgets, anywidget, nbgrader and Voila enabled")


def check_server_extensions() -> Check:
    """Voila's and nbgrader's server extensions are enabled in Jupyter Server."""
    from jupyter_core.paths import jupyter_config_path
    from jupyter_server.extension.config import ExtensionConfigManager

    manager = ExtensionConfigManager(read_config_path=jupyter_config_path())
    enabled = manager.get_jpserver_extensions()  # type: ignore[no-untyped-call]
    off = [name for name in SERVER_EXTENSIONS if not enabled.get(name)]
    if off:
        fix = " && ".join(f"{_tool('jupyter')} server extension enable {name}" for name in off)
        return Check("server extensions", False, f"not enabled: {', '.join(off)}", fix)
    return Check("server extensions", True, "Voila and nbgrader's assignments enabled")


def check_library(db: str | None) -> Check:
    """The library exists, is at the newest migration and holds practices."""
    from govlab.library.engine import make_engine
    from govlab.library.migrate import HEAD, stored_revision
    from govlab.library.paths import resolve_db_url

    url = resolve_db_url(db)
    init = "govlab init" + (f" --db {shlex.quote(db)}" if db else "")
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return Check("library", False, f"no library at {url}", init)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revision = stored_revision(connection)
    finally:
        engine.dispose()
    if revision != HEAD:
        detail = f"schema {revision or 'missing'}, govlab needs {HEAD} (its migrations)"
        return Check("library", False, f"{url}: {detail}", init)
    import govlab

    with govlab.open_library(db, visitor=True, seed=False) as library:
        total = library.stats()["total"]
    if not total:
        return Check("library", False, f"{url} holds no published practices", init)
    return Check("library", True, f"{url}: schema {revision}, {total} published practices")


def check_kernel() -> Check:
    """A Python kernel starts and imports this govlab."""
    import govlab

    fix = f"{_python()} -m ipykernel install --user"
    try:
        answer = kernel_answer("import govlab; print(govlab.__version__, end='')")
    except Exception as error:  # a kernel that does not start is the finding
        return Check("kernel", False, f"the python3 kernel did not answer: {error}", fix)
    if answer != govlab.__version__:
        detail = f"the python3 kernel cannot import this govlab ({answer or 'no answer'})"
        return Check("kernel", False, detail, fix)
    return Check("kernel", True, f"python3 starts and imports govlab {answer}")


def kernel_answer(code: str, timeout: float = KERNEL_TIMEOUT_S) -> str:
    """Start the python3 kernel, run ``code`` and return what it printed (or its error)."""
    import tempfile

    from jupyter_client.manager import KernelManager

    out: list[str] = []

    def collect(message: dict[str, Any]) -> None:
        content = message["content"]
        if message["header"]["msg_type"] == "stream":
            out.append(content["text"])
        elif message["header"]["msg_type"] == "error":
            out.append(f"{content['ename']}: {content['evalue']}")

    with tempfile.TemporaryDirectory(prefix="govlab-") as folder:
        # local sockets, as govlab lab's kernels use (and no TCP warning from ipykernel)
        manager = KernelManager(
            kernel_name="python3", transport="ipc", connection_file=f"{folder}/k.json"
        )
        manager.start_kernel()
        client = manager.client()
        try:
            client.start_channels()
            client.wait_for_ready(timeout=timeout)
            client.execute_interactive(code, timeout=timeout, output_hook=collect)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return "".join(out).strip()


def check_chromium() -> Check:
    """Chromium is there for the browser tests and printed reports (optional)."""
    import os

    candidates = [os.environ.get("GOVLAB_CHROMIUM", ""), *CHROMIUM]
    found = next((c for c in candidates if c and shutil.which(c)), None)
    if found:
        return Check("chromium", True, f"{found}", required=False)
    fix = "sudo apt-get install -y chromium"
    return Check("chromium", False, "not found (printed reports, browser tests)", fix, False)


def check_disk() -> Check:
    """At least MIN_FREE_GB free where the library and the notebooks' outputs go."""
    from govlab.library.paths import govlab_home

    home = govlab_home()
    where = next(p for p in (home, *home.parents) if p.exists())
    free = shutil.disk_usage(where).free / 1e9
    ok = free >= MIN_FREE_GB
    fix = f"{_python()} -m pip cache purge (or free {MIN_FREE_GB:g} GB on {where})"
    return Check("disk", ok, f"{free:.1f} GB free on {where}", fix)
