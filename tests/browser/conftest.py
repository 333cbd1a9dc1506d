"""Helpers of the browser tests (the browser is in tests/conftest.py, servers are started
and stopped by govlab.testing.processes)."""

from __future__ import annotations

import shutil
from pathlib import Path


def jupyter_bin(name: str) -> str:
    import sys

    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)
