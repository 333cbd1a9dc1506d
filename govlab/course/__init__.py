"""Courses graded with nbgrader: release, parallel autograde, feedback, reports, LMS export.

govlab's course tooling runs on real nbgrader (its gradebook, its preprocessors,
its exchange and labextensions) and adds what its users miss: grading across
several workers with a progress bar and the same scores as nbgrader's serial
autograde, a per-cell time limit that costs a runaway submission its points and
not the run, feedback proven free of hidden tests, reports in plain words, and
grade files for Canvas and Moodle::

    from govlab.course import Course, autograde

    course = Course.find("courses/govlab101")
    run = autograde(course, "ps1", parallel=2)

The names below are imported on first use: ``import govlab.course`` loads neither
nbgrader nor pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govlab.lazy import exports

_EXPORTS: dict[str, str] = {
    "Course": "course",
    "autograde": "autograde",
    "AutogradeRun": "autograde",
    "Outcome": "autograde",
    "generate": "generate",
    "GenerateResult": "generate",
    "feedback": "feedback",
    "FeedbackResult": "feedback",
    "check": "check",
    "CheckResult": "check",
    "grades": "gradebook",
    "report": "report",
    "Report": "report",
    "export_lms": "lms",
    "hidden_lines": "hidden",
    "find_leaks": "hidden",
}

__all__ = [
    "AutogradeRun",
    "CheckResult",
    "Course",
    "FeedbackResult",
    "GenerateResult",
    "Outcome",
    "Report",
    "autograde",
    "check",
    "export_lms",
    "feedback",
    "find_leaks",
    "generate",
    "grades",
    "hidden_lines",
    "report",
]

if TYPE_CHECKING:
    from govlab.course.autograde import AutogradeRun, Outcome, autograde
    from govlab.course.check import CheckResult, check
    from govlab.course.course import Course
    from govlab.course.feedback import FeedbackResult, feedback
    from govlab.course.generate import GenerateResult, generate
    from govlab.course.gradebook import grades
    from govlab.course.hidden import find_leaks, hidden_lines
    from govlab.course.lms import export_lms
    from govlab.course.report import Report, report

__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())
