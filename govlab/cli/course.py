"""``govlab course``: release, grade, hand back, report and export an nbgrader course."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from govlab.cli.common import Db, Json, emit

course_app = typer.Typer(
    name="course",
    help=(
        "Run an nbgrader course: release assignments, grade a class in parallel, hand back "
        "feedback, report which questions were hardest and export grades to an LMS. Acts on "
        "the course in the current folder, or the one --course names."
    ),
    no_args_is_help=True,
)

CoursePath = Annotated[
    Path | None,
    typer.Option("--course", help="The course folder (default: the current folder)."),
]
Exchange = Annotated[
    Path | None,
    typer.Option(
        "--exchange",
        help="The folder learners fetch from and submit to (default: the course's config).",
    ),
]
Assignment = Annotated[
    str | None,
    typer.Argument(help="One assignment, e.g. ps1 (default: every one).", show_default=False),
]


def register(app: typer.Typer) -> None:
    """Add ``govlab course`` to the ``govlab`` command."""
    app.add_typer(course_app, name="course")


def _course(path: Path | None, exchange: Path | None = None, timeout: int | None = None) -> Any:
    from govlab.course.course import Course

    return Course.find(path, exchange=exchange, timeout=timeout)


def _progress(as_json: bool) -> bool:
    return not as_json and sys.stderr.isatty()


@course_app.command("generate")
def generate(
    assignment: Assignment = None,
    no_release: Annotated[
        bool, typer.Option("--no-release", help="Only make release/, do not copy to the exchange.")
    ] = False,
    course: CoursePath = None,
    exchange: Exchange = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Make the learners' copies and release them, after proving they hold no answers.

    Runs nbgrader's generate_assignment (and release_assignment), then reads every
    copy back: no model answer, no hidden test, no output may be in it. --db is
    accepted for uniformity; a course keeps its own gradebook.
    """
    from govlab.course.generate import generate as run

    results = run(_course(course, exchange), assignment, release=not no_release)
    emit([r.to_dict() for r in results], as_json, _generate_text)


def _generate_text(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        where = f" and released to {r['exchange']}" if r["exchange"] else ""
        lines.append(f"{r['assignment']}: generated in {r['release']}{where}")
        lines.append(
            f"  checked {len(r['checked'])} copies: no solution, no hidden test, no output"
        )
    return "\n".join(lines)


@course_app.command("collect")
def collect(
    assignment: Assignment = None,
    course: CoursePath = None,
    exchange: Exchange = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Copy learners' submissions from the exchange into submitted/ (nbgrader collect)."""
    from govlab.course.exchange import collect as run

    result = run(_course(course, exchange), assignment)
    emit(
        result,
        as_json,
        lambda r: "\n".join(
            f"{name}: {len(people)} submissions in submitted/" for name, people in r.items()
        ),
    )


@course_app.command("autograde")
def autograde(
    assignment: Assignment = None,
    parallel: Annotated[
        int, typer.Option("--parallel", "-j", help="Workers grading at once (one kernel each).")
    ] = 2,
    force: Annotated[
        bool, typer.Option("--force", help="Grade again submissions already graded.")
    ] = False,
    timeout: Annotated[
        int | None,
        typer.Option(
            "--timeout",
            help="Seconds one cell may run before it is stopped and loses its points "
            "(default: the course's config).",
        ),
    ] = None,
    course: CoursePath = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Grade the submissions in submitted/ across several workers, with a progress bar.

    Scores are nbgrader's own (the same as `nbgrader autograde`). A submission that
    crashes, loops or cannot be read is recorded with its reason; the run goes on.
    """
    from govlab.course.autograde import autograde as run
    from govlab.course.autograde import check_parallel

    check_parallel(parallel)
    the_course = _course(course, timeout=timeout)
    names = [assignment] if assignment else _with_submissions(the_course)
    runs = [
        run(the_course, name, parallel=parallel, force=force, progress=_progress(as_json))
        for name in names
    ]
    emit([r.to_dict() for r in runs], as_json, _autograde_text)


def _with_submissions(course: Any) -> list[str]:
    from govlab.errors import NotFound

    names = [name for name in course.pick(None) if course.students(name)]
    if not names:
        raise NotFound(f"{course.folder('submitted')}: no submissions to grade")
    return names


def _autograde_text(runs: list[dict[str, Any]]) -> str:
    lines = []
    for run in runs:
        outcomes = run["outcomes"]
        graded = [o for o in outcomes if o["status"] == "graded"]
        failed = [o for o in outcomes if o["status"] == "failed"]
        each = run["seconds_per_submission"]
        lines.append(
            f"{run['assignment']}: {len(graded)} graded, {len(failed)} failed, "
            f"{len(outcomes) - len(graded) - len(failed)} skipped in {run['seconds']:.0f} s"
            + (f" ({each:.1f} s per submission, {run['parallel']} workers)" if each else "")
        )
        for o in failed:
            lines.append(f"  {o['student']}: {o['reason']}")
        lines.append(f"  record: {run['record']}")
    return "\n".join(lines)


@course_app.command("feedback")
def feedback(
    assignment: Assignment = None,
    no_release: Annotated[
        bool, typer.Option("--no-release", help="Only make feedback/, do not hand it back.")
    ] = False,
    course: CoursePath = None,
    exchange: Exchange = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Make feedback for graded submissions, prove it holds no hidden test, hand it back."""
    from govlab.course.feedback import feedback as run

    results = run(_course(course, exchange), assignment, release=not no_release)
    emit([r.to_dict() for r in results], as_json, _feedback_text)


def _feedback_text(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        released = " and handed back" if r["released"] else ""
        lines.append(
            f"{r['assignment']}: {len(r['files'])} feedback files written{released}; "
            f"scanned for {r['hidden_lines']} hidden-test lines: none found"
        )
    return "\n".join(lines)


@course_app.command("report")
def report(
    assignment: Assignment = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for grades.csv, questions.csv and summary.md."),
    ] = None,
    course: CoursePath = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Grades, the difficulty of each question and a summary in plain words."""
    from govlab.course.report import report as run

    result = run(_course(course), assignment, out=out)
    emit(result.to_dict(), as_json, lambda _: result.summary)


@course_app.command("export")
def export(
    lms: Annotated[
        str, typer.Option("--lms", help="The LMS to import the grades: canvas or moodle.")
    ],
    out: Annotated[Path | None, typer.Option("--out", help="The CSV file to write.")] = None,
    assignment: Assignment = None,
    course: CoursePath = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Write a grades file the LMS imports (its documented CSV columns)."""
    from govlab.course.lms import export_lms

    result = export_lms(_course(course), lms, out=out, assignment=assignment)
    emit(
        result,
        as_json,
        lambda r: (
            f"{r['lms']}: {r['rows']} learners, {len(r['assignments'])} assignments -> {r['file']}"
        ),
    )


@course_app.command("check")
def check(
    assignment: Assignment = None,
    parallel: Annotated[int, typer.Option("--parallel", "-j", help="Notebooks run at once.")] = 2,
    course: CoursePath = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Run every source notebook's solution against its own tests: all must pass.

    Also runs each notebook with its answers left blank: every test must then fail,
    or it gives points for nothing.
    """
    from govlab.course.check import check as run

    result = run(_course(course), assignment, parallel=parallel)
    emit(result.to_dict(), as_json, lambda _: result.summary)
    if not result.ok:
        raise typer.Exit(1)


@course_app.command("lab-config")
def lab_config(
    role: Annotated[str, typer.Option("--role", help="learner or facilitator.")],
    config_dir: Annotated[
        Path,
        typer.Option(
            "--config-dir", help="The Jupyter config folder to write (JUPYTER_CONFIG_DIR)."
        ),
    ],
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Show a role only its nbgrader tools in JupyterLab.

    Learners get the Assignments list and the Validate button; facilitators also the
    Formgrader, the Create Assignment sidebar, the Courses list and the Nbgrader menu.
    """
    from govlab.course.lab import write_lab_config

    files = write_lab_config(role, config_dir)
    emit(
        {"role": role, "files": [str(f) for f in files]},
        as_json,
        lambda r: f"{r['role']}: wrote " + ", ".join(r["files"]),
    )
