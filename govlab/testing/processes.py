"""Real servers and a real Chromium for tests and benchmarks, all on 127.0.0.1.

A server (Voila, JupyterLab, the hub, ``govlab serve``) is started in its own process
group (``start_new_session=True``), so that :func:`stop` ends it with everything it
started; Voila takes seconds to exit after SIGTERM, so :func:`stop` waits for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

#: Debian's Chromium (never a downloaded one) and the flags it runs headless with here.
CHROMIUM = os.environ.get("GOVLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def wait_for_http(
    url: str, process: subprocess.Popen[bytes], timeout: float = 90, log: Path | None = None
) -> None:
    """Poll ``url`` until it answers; fail at once if the server has exited."""
    see = f": see {log}" if log is not None else ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode} before answering {url}{see}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout} s{see}")


def stop(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM the server's process group, wait ``grace`` seconds, SIGKILL what is left."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
