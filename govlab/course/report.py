"""What a facilitator reads after grading: grades, the hardest questions, and why.

* ``grades.csv``: one row per learner, a score column per assignment, the total
  and what still needs grading by hand;
* ``questions.csv``: one row per question (an answer cell with the test cells
  after it, or a written answer): points, the mean share of them learners got, the
  share with full marks, the share whose code raised an error, and the most
  common error;
* ``summary.md``: the same in plain words, hardest question first: "question 3
  of ps1: 40 % got it; most errors are KeyError on 'closed'".

A submission that could not be graded (see ``reports/autograde-*.json``) counts
as 0 points and as an error with its reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govlab.course.course import Course
from govlab.course.gradebook import grades
from govlab.errors import NotFound

if TYPE_CHECKING:
    import pandas as pd

QUESTION_COLUMNS = [
    "assignment",
    "question",
    "title",
    "kind",
    "points",
    "learners",
    "graded",
    "mean_share",
    "full_marks_share",
    "errored_share",
    "common_error",
    "common_error_learners",
]


@dataclass(frozen=True)
class Question:
    """A question of a source notebook: its cells and its title."""

    assignment: str
    notebook: str
    number: int
    title: str
    kind: str  # "autograded" or "manual"
    cells: tuple[str, ...]  # the answer cell first, then its test cells
    graded: tuple[str, ...]  # the cells that carry points


@dataclass(frozen=True)
class Report:
    """A course report: its tables, its summary and the files written."""

    grades: pd.DataFrame
    questions: pd.DataFrame
    summary: str
    files: list[Path]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready values."""
        return {
            "files": [str(p) for p in self.files],
            "grades": json.loads(self.grades.to_json(orient="records")),
            "questions": json.loads(self.questions.to_json(orient="records")),
            "summary": self.summary,
        }


def questions(course: Course, assignment: str) -> list[Question]:
    """The questions of an assignment, in order, from its source notebooks.

    A question is an autograded answer cell with the test cells after it, or a
    written answer graded by hand; its title is the heading above it.
    """
    out: list[Question] = []
    for path in course.notebooks(assignment):
        heading = ""
        open_: tuple[str, list[str], list[str]] | None = None  # title, cells, graded cells
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if cell["cell_type"] == "markdown" and not meta.get("solution"):
                heading = _heading(_text(cell)) or heading
            elif meta.get("solution"):
                _close(out, assignment, path.stem, open_)
                open_ = (heading or grade_id, [grade_id], [])
                if meta.get("grade"):  # a written answer, graded by hand
                    open_[2].append(grade_id)
                    _close(out, assignment, path.stem, open_, kind="manual")
                    open_ = None
            elif meta.get("grade") and open_ is not None:
                open_[1].append(grade_id)
                open_[2].append(grade_id)
        _close(out, assignment, path.stem, open_)
    return out


def _text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _close(
    out: list[Question],
    assignment: str,
    notebook: str,
    open_: tuple[str, list[str], list[str]] | None,
    kind: str = "autograded",
) -> None:
    if open_ and open_[2]:
        title, cells, graded = open_
        number = len(out) + 1
        out.append(Question(assignment, notebook, number, title, kind, tuple(cells), tuple(graded)))


def _heading(text: str) -> str:
    """``## Question 3 (4 points): your measure`` -> ``your measure``."""
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            title = re.sub(r"\s*\([^)]*points?[^)]*\)", "", title)
            return title.split(":", 1)[1].strip() if ":" in title else title
    return ""


def report(course: Course, assignment: str | None = None, *, out: Path | None = None) -> Report:
    """Write ``grades.csv``, ``questions.csv`` and ``summary.md`` into ``out``.

    Parameters
    ----------
    course
        The course.
    assignment
        Only this assignment (default: every assignment with grades).
    out
        The folder (default: the course's ``reports/``).
    """
    import pandas as pd

    table = grades(course, assignment)
    if table.empty:
        raise NotFound("no grades yet: run `govlab course autograde` first")
    names = list(dict.fromkeys(table["assignment"]))
    rows, texts = [], []
    for name in names:
        failures = _failures(course, name)
        part = table[table["assignment"] == name]
        stats = [_stats(course, q, part, failures) for q in questions(course, name)]
        rows += stats
        texts.append(_assignment_text(name, part, stats, failures))
    question_table = pd.DataFrame(rows, columns=QUESTION_COLUMNS)
    wide = _wide(course, table)
    summary = _summary(course, wide, texts)
    folder = out or course.root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / "grades.csv", folder / "questions.csv", folder / "summary.md"]
    wide.to_csv(files[0], index=False)
    question_table.to_csv(files[1], index=False)
    files[2].write_text(summary + "\n", encoding="utf-8")
    return Report(wide, question_table, summary, files)


def _failures(course: Course, assignment: str) -> dict[str, str]:
    """``{student: reason}`` of the submissions the last autograde could not grade."""
    record = course.root / "reports" / f"autograde-{assignment}.json"
    if not record.is_file():
        return {}
    data = json.loads(record.read_text(encoding="utf-8"))
    return {o["student"]: o["reason"] for o in data["outcomes"] if o["status"] == "failed"}


def _stats(
    course: Course, question: Question, part: pd.DataFrame, failures: dict[str, str]
) -> dict[str, Any]:
    cells = part[part["cell"].isin(question.graded)]
    by_student = cells.groupby("student").agg(
        score=("score", "sum"),
        max_score=("max_score", "sum"),
        pending=("needs_manual_grade", "any"),
    )
    points = float(by_student["max_score"].max()) if len(by_student) else 0.0
    if question.kind == "manual":  # only the answers already graded by hand
        by_student = by_student[~by_student["pending"]]
    # a learner's first error in this question's cells; a submission that could not be
    # graded at all counts as errored, but is named in the summary, not here
    errors = {s: _first_error(course, question, s) for s in by_student.index if s not in failures}
    counted = Counter(e for e in errors.values() if e)
    common, count = counted.most_common(1)[0] if counted else (None, 0)
    failed = sum(1 for s in by_student.index if s in failures)
    graded = len(by_student)
    share = (by_student["score"] / points) if points and graded else None
    return {
        "assignment": question.assignment,
        "question": question.number,
        "title": question.title,
        "kind": question.kind,
        "points": points,
        "learners": int(part["student"].nunique()),
        "graded": graded,
        "mean_share": round(float(share.mean()), 4) if share is not None else None,
        "full_marks_share": round(float((share >= 1).mean()), 4) if share is not None else None,
        "errored_share": round((sum(counted.values()) + failed) / graded, 4) if graded else None,
        "common_error": common,
        "common_error_learners": count,
    }


def _first_error(course: Course, question: Question, student: str) -> str | None:
    """The first error in a question's cells of a learner's graded notebook, in plain words."""
    path = (
        course.folder("autograded") / student / question.assignment / f"{question.notebook}.ipynb"
    )
    if not path.is_file():
        return None
    by_id = {
        c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c
        for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
    }
    for cell_id in question.cells:
        for output in by_id.get(cell_id, {}).get("outputs", []):
            if output.get("output_type") == "error":
                return describe_error(str(output.get("ename", "")), str(output.get("evalue", "")))
    return None


def describe_error(name: str, value: str) -> str:
    """An error in a facilitator's words: ``KeyError on 'closed'``, ``answer left blank``."""
    value = value.strip()
    if name == "NotImplementedError":
        return "answer left blank (NotImplementedError)"
    if name in ("KeyboardInterrupt", "CellTimeoutError"):
        return "a cell ran past the time limit and was stopped"
    if name == "KeyError":
        return f"KeyError on {value}" if value else "KeyError"
    if name == "NameError":
        match = re.search(r"name '([^']+)' is not defined", value)
        return f"NameError: {match.group(1)} is not defined" if match else f"NameError: {value}"
    if value:
        return f"{name}: {value.splitlines()[0][:120]}"
    return name


def _wide(course: Course, table: pd.DataFrame) -> pd.DataFrame:
    """One row per learner: a score column per assignment, total, maximum, to grade by hand."""
    import pandas as pd

    totals = table.groupby(["student", "assignment"]).agg(
        score=("score", "sum"), max_score=("max_score", "sum")
    )
    wide = totals["score"].unstack("assignment").fillna(0.0)
    maxima = totals["max_score"].groupby("assignment").max()
    out = pd.DataFrame(index=wide.index)
    for name in wide.columns:
        out[name] = wide[name]
    out["total"] = wide.sum(axis=1)
    out["max_total"] = float(maxima.sum())
    pending = table[table["needs_manual_grade"]].groupby("student")["cell"].count()
    out["to_grade_by_hand"] = pending.reindex(out.index).fillna(0).astype(int)
    return out.reset_index()


def _assignment_text(
    name: str, part: pd.DataFrame, stats: list[dict[str, Any]], failures: dict[str, str]
) -> str:
    learners = int(part["student"].nunique())
    auto = part[part["kind"] == "tests"]
    auto_points = float(auto.groupby("student")["max_score"].sum().max() or 0)
    auto_mean = float(auto.groupby("student")["score"].sum().mean()) if len(auto) else 0.0
    lines = [f"## {name}", ""]
    graded = learners - len(failures)
    lines.append(f"{graded} of {learners} submissions graded.")
    for student, reason in sorted(failures.items()):
        lines.append(f"- {student} could not be graded: {reason}.")
    if auto_points:
        lines.append(
            f"Autograded questions: mean {auto_mean:.1f} of {auto_points:g} points "
            f"({100 * auto_mean / auto_points:.0f} %)."
        )
    manual = part[(part["kind"] == "manual") & ~part["student"].isin(list(failures))]
    pending = int(manual["needs_manual_grade"].sum())
    if pending:
        lines.append(
            f"{pending} written answers still need your grade by hand (nbgrader's formgrader)."
        )
    lines += ["", "Hardest questions first:", ""]
    ranked = sorted(
        (s for s in stats if s["full_marks_share"] is not None),
        key=lambda s: (s["full_marks_share"], s["mean_share"]),
    )
    for s in ranked:
        line = (
            f"- question {s['question']} of {name} ({s['title']}): "
            f"{100 * s['full_marks_share']:.0f} % got it"
        )
        if s["common_error"]:
            learners = s["common_error_learners"]
            line += f"; most errors are {s['common_error']} ({learners} of {s['graded']})"
        lines.append(line + ".")
    return "\n".join(lines)


def _summary(course: Course, wide: pd.DataFrame, texts: list[str]) -> str:
    course_id = course.config().CourseDirectory.get("course_id", course.root.name)
    head = f"# {course_id}: grades report ({len(wide)} learners)"
    return "\n\n".join([head, *texts])
