"""Collect learners' submissions from the exchange (nbgrader's ``collect``)."""

from __future__ import annotations

from govlab.course.course import Course, nbgrader_environment, nbgrader_ok, quiet_logger


def collect(course: Course, assignment: str | None = None) -> dict[str, list[str]]:
    """Copy every learner's latest submission from the exchange into ``submitted/``.

    Returns
    -------
    dict
        ``{assignment: [learners with a submission in submitted/]}``.
    """
    log = quiet_logger("collect", course.root / "logs" / "collect.log")
    out = {}
    with nbgrader_environment():
        api = course.api(log)
        for name in course.pick(assignment):
            nbgrader_ok(api.collect(name, update=True), f"collecting {name}")
            out[name] = course.students(name)
    return out
