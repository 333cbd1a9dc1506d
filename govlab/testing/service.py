"""A real ``govlab serve`` process on 127.0.0.1 and a free port, for tests and benchmarks.

The service runs in its own process group and is stopped (and waited for) on exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from govlab.testing.postgres import free_port
from govlab.testing.processes import stop

START_SECONDS = 60.0


@dataclass(frozen=True)
class RunningService:
    """Where a started service answers, and its log."""

    url: str  # ends in "/"
    pid: int
    log: Path


def govlab_command() -> list[str]:
    """The ``govlab`` console script of this environment."""
    script = Path(sys.executable).with_name("govlab")
    return [str(script)] if script.exists() else [sys.executable, "-m", "govlab.cli"]


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``<url>api/v1/health`` until it answers, or fail with the log's tail."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"govlab serve exited ({process.returncode}):\n{_tail(log)}")
        try:
            if httpx.get(f"{url}api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"govlab serve did not answer in {START_SECONDS:.0f} s:\n{_tail(log)}")


@contextmanager
def running_service(
    db: str, admin: str, folder: Path, *, workers: int = 1, extra: list[str] | None = None
) -> Iterator[RunningService]:
    """Run ``govlab serve --db DB --admin ADMIN`` (standalone: govlab_ tokens only)."""
    port = free_port()
    log = folder / f"service-{port}.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTERHUB_", "GOVLAB_SERVICE", "GOVLAB_TOKEN"))
    }
    command = [
        *govlab_command(),
        "serve",
        "--db",
        db,
        "--admin",
        admin,
        "--port",
        str(port),
        "--workers",
        str(workers),
        *(extra or []),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process, log)
        yield RunningService(url=url, pid=process.pid, log=log)
    finally:
        stop(process)


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
