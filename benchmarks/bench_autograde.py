"""Benchmark: grading a class of 40 with nbgrader (serial) and with govlab (2 workers).

Builds 40 submissions of govlab101's ps1 from its release copy, a realistic mix:
full solutions, three kinds of partly right answers, blank notebooks and one
infinite loop (stopped by the course's per-cell time limit). Two copies of the
course get the same submissions and the same gradebook; in the same run:

* ``nbgrader autograde ps1`` grades copy A (nbgrader's serial autograde);
* ``govlab course autograde ps1 --parallel 2`` grades copy B.

Both are timed as the facilitator runs them (a fresh process each, wall clock).
``same_scores`` compares every graded cell's score in the two gradebooks. With
``--rounds 2`` the order alternates (serial, parallel, parallel, serial) so that
the machine's drift falls on both. Target: speedup >= 1.6 with identical scores.

Usage::

    .venv/bin/python benchmarks/bench_autograde.py [--students 40] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "courses" / "govlab101"
BIN = Path(sys.executable).parent
TARGET_SPEEDUP = 1.6

# ps1's answer cells, written the way learners get them partly wrong
PARTIAL = {
    "days": {
        "q1-hours": 'hours = (requests["closed"] - requests["opened"]) / pd.Timedelta(days=1)'
    },
    "open-counted": {
        "q3-compliance": (
            "def compliance(frame, target_hours):\n"
            '    took = (frame["closed"] - frame["opened"]) / pd.Timedelta(hours=1)\n'
            "    return float((took <= target_hours).sum() / len(frame))"
        )
    },
    "best-not-worst": {
        "q4-worst": (
            'by_agency = sla_compliance(requests, 72, by="agency")\n'
            'worst_agency = by_agency.sort_values("compliance", ascending=False)["agency"].iloc[0]'
        ),
        "q5-open": 'open_share = requests["closed"].isna().mean()',
    },
}


def environment(config_dir: Path) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)  # never the machine's Jupyter config
    env.pop("GOVLAB_EXCHANGE", None)
    return env


def mix(students: int) -> list[tuple[str, str]]:
    """``(student, kind)``: 45 % full, 30 % partial, 22 % blank and one infinite loop."""
    kinds = ["loop"]
    kinds += ["full"] * round(students * 0.45)
    partial = list(PARTIAL)
    kinds += [partial[i % len(partial)] for i in range(round(students * 0.30))]
    kinds += ["blank"] * (students - len(kinds))
    return [(f"learner{i + 1:02d}", kind) for i, kind in enumerate(kinds[:students])]


def build(work: Path, students: int) -> tuple[Path, Path]:
    """Two identical course copies, generated, with the same submissions."""
    from govlab.course.course import Course
    from govlab.course.submissions import fill, release_notebook, solutions, submit

    env = environment(work / "jupyter-config")
    first = work / "serial"
    shutil.copytree(COURSE, first, ignore=shutil.ignore_patterns(*_generated()))
    subprocess.run(
        [str(BIN / "govlab"), "course", "generate", "ps1", "--no-release", "--course", str(first)],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    course = Course.find(first)
    release = release_notebook(course, "ps1")
    answers = solutions(COURSE / "source" / "ps1" / "ps1.ipynb")
    for student, kind in mix(students):
        if kind == "blank":
            notebook = release
        elif kind == "loop":
            notebook = fill(release, {**answers, "q2-median": "while True:\n    pass"})
        else:
            notebook = fill(release, {**answers, **PARTIAL.get(kind, {})})
        submit(course, student, "ps1", notebook)
    second = work / "parallel"
    shutil.copytree(first, second)
    return first, second


def _generated() -> list[str]:
    return ["release", "submitted", "autograded", "feedback", "exchange", "gradebook.db*",
            "reports", "logs"]  # fmt: skip


def grade_serial(course: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "nbgrader"), "autograde", "ps1"],
        cwd=course,
        env=env,
        capture_output=True,
        check=False,
    )  # fmt: skip  (nbgrader exits 1 when a submission fails; none of these should)
    return time.perf_counter() - start


def grade_parallel(course: Path, env: dict[str, str], workers: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "govlab"), "course", "autograde", "ps1", "--parallel", str(workers),
         "--course", str(course)],
        env=env, capture_output=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def scores(course: Path) -> dict[tuple[str, str], float | None]:
    """``{(student, cell): auto_score}`` straight from the gradebook's tables."""
    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute(
            "SELECT sa.student_id, bc.name, g.auto_score FROM grade g "
            "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
            "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            "JOIN base_cell bc ON g.cell_id = bc.id"
        ).fetchall()
    return {(student, cell): score for student, cell, score in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    serial_times, parallel_times, same = [], [], True
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        for round_ in range(args.rounds):
            work = Path(tmp) / f"round{round_}"
            work.mkdir()
            first, second = build(work, args.students)
            env = environment(work / "jupyter-config")
            steps = [("serial", first), ("parallel", second)]
            for name, course in steps if round_ % 2 == 0 else steps[::-1]:
                if name == "serial":
                    serial_times.append(grade_serial(course, env))
                else:
                    parallel_times.append(grade_parallel(course, env, args.workers))
                took = (serial_times if name == "serial" else parallel_times)[-1]
                print(f"round {round_ + 1}: {name} {took:.1f} s")
            a, b = scores(first), scores(second)
            graded = sum(1 for value in a.values() if value is not None)
            print(
                f"round {round_ + 1}: {len(a)} graded cells ({graded} with a score); same: {a == b}"
            )
            same = same and a == b and len(a) > 0
    serial = sum(serial_times) / len(serial_times) / args.students
    parallel = sum(parallel_times) / len(parallel_times) / args.students
    figures = {
        "students": args.students,
        "workers": args.workers,
        "rounds": args.rounds,
        "serial_s_per_submission": round(serial, 3),
        "parallel_s_per_submission": round(parallel, 3),
        "speedup": round(serial / parallel, 2),
        "same_scores": same,
        "target_speedup": TARGET_SPEEDUP,
        "cpus": os.cpu_count(),
    }
    print(
        f"serial nbgrader: {serial:.2f} s per submission; govlab --parallel {args.workers}: "
        f"{parallel:.2f} s; speedup {serial / parallel:.2f}x (target {TARGET_SPEEDUP}x); "
        f"same scores: {same}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
