"""The samples are found through importlib.resources even when the package is not on disk."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import govlab

SCRIPT = """
import govlab, govlab.datasets as ds
assert govlab.__file__.startswith({zip!r}), govlab.__file__
path = ds.sample_path("nyc311")
frame = ds.load_nyc311(path)
print(len(frame), ds.provenance("gtfs_cairns").splitlines()[0])
"""


def test_samples_load_from_a_zipped_package(tmp_path: Path) -> None:
    package = Path(govlab.__file__).parent
    archive = tmp_path / "govlab.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in package.rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                zf.write(file, file.relative_to(package.parent).as_posix())
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT.format(zip=str(archive))],
        cwd=tmp_path,
        env={"PYTHONPATH": str(archive), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=1) == [
        "2000",
        "Repository: https://github.com/mrcagney/gtfs_kit\n",
    ]
