"""``govlab course`` mistakes get a plain message naming the option, and no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govlab.cli import main

from .conftest import COURSE


@pytest.fixture
def small_course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy(COURSE / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(COURSE / "source" / "ps1", root / "source" / "ps1")
    return root


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["autograde", "--course", "{missing}"], "--course {missing}: no such folder"),
        (
            ["autograde", "--course", "{empty}"],
            "not a course folder (nbgrader_config.py is missing)",
        ),
        (
            ["autograde", "--course", "{course}", "--parallel", "0"],
            "--parallel must be a whole number",
        ),
        (["autograde", "ps9", "--course", "{course}"], "no assignment 'ps9'"),
        (["autograde", "ps1", "--course", "{course}"], "no submissions of ps1"),
        (
            ["autograde", "--course", "{course}", "--timeout", "0"],
            "--timeout must be a whole number",
        ),
        (
            ["export", "--lms", "blackboard", "--course", "{course}"],
            "--lms must be canvas or moodle",
        ),
        (["report", "--course", "{course}"], "no grades yet"),
        (["feedback", "--course", "{course}"], "nothing graded yet"),
        (["lab-config", "--role", "mayor", "--config-dir", "{empty}"], "--role must be one of"),
    ],
)
def test_mistakes_get_plain_messages(
    args: list[str], message: str, small_course: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    (tmp_path / "empty").mkdir()
    places = {"missing": tmp_path / "nowhere", "empty": tmp_path / "empty", "course": small_course}
    filled = [a.format(**places) for a in args]
    assert main(["course", *filled]) == 1
    err = capsys.readouterr().err
    assert message.format(**places) in err
    assert "Traceback" not in err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", "--help"]) == 0
    out = capsys.readouterr().out
    for command in ("generate", "collect", "autograde", "feedback", "report", "export", "check",
                    "lab-config"):  # fmt: skip
        assert command in out


def test_import_course_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, govlab.course, govlab.cli.course; "
        "print(sorted(m for m in ('nbgrader', 'pandas', 'nbconvert') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
