"""A case runs from an installed wheel, far from the repository: the command finds its
notebook and samples in the installed package (the kernel inherits the same PYTHONPATH)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MAIN = "import sys, govlab; print(govlab.__file__, file=sys.stderr); " + (
    "from govlab.cli import main; sys.exit(main())"
)


def test_case_runs_from_an_installed_wheel(tmp_path: Path) -> None:
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("govlab-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    assert (site / "govlab" / "casestudies" / "notebooks" / "shared-portal.ipynb").is_file()

    env = {**os.environ, "PYTHONPATH": str(site), "GOVLAB_HOME": str(tmp_path / "home")}
    args = ["run", "service-performance-311", "--out", "report.html", "--json"]
    done = subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == str(site / "govlab" / "__init__.py")
    result = json.loads(done.stdout)
    assert result["figures"]["requests"] == 2000
    assert result["figures"]["median_hours"] == 23.52
    assert (work / "report.html").stat().st_size > 1_000_000  # plotly.js is inside
    assert (work / "report.ipynb").is_file()
