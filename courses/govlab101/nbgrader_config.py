"""nbgrader configuration of the govlab101 course.

Every folder is relative to this file, so the course works wherever it is copied.
`govlab course ... --exchange PATH` (or $GOVLAB_EXCHANGE) moves the exchange, the
folder learners fetch assignments from and submit them to, e.g. to a folder that
every account on a JupyterHub can reach.
"""

import os

here = os.path.dirname(os.path.abspath(__file__))
c = get_config()  # noqa: F821 (traitlets provides get_config in a config file)

c.CourseDirectory.course_id = "govlab101"
c.CourseDirectory.root = here
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")

# Where assignments are released and submissions collected.
c.Exchange.root = os.environ.get("GOVLAB_EXCHANGE") or os.path.join(here, "exchange")
c.Exchange.path_includes_course = True

# The time limit of ONE cell while grading, in seconds. A cell that runs longer
# (an infinite loop, a huge computation) is interrupted: it fails, the cells that
# depend on it lose their points, and grading goes on with the next cell and the
# next learner. Every cell of the solutions runs in well under 5 seconds.
c.ExecutePreprocessor.timeout = 20
c.Execute.timeout = 20

# A learner's notebook may print a lot (a whole DataFrame): keep feedback readable.
c.LimitOutput.max_lines = 200

# Only the notebooks are graded; data comes from govlab's shipped samples.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
