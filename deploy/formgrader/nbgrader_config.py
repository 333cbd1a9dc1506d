"""nbgrader on the course's grading server: the course's own configuration, at its root."""

import os

c = get_config()  # noqa: F821 (traitlets provides get_config in a config file)

root = os.environ["GOVLAB_COURSE_ROOT"]
load_subconfig(os.path.join(root, "nbgrader_config.py"))  # noqa: F821 (traitlets)
c.CourseDirectory.root = root
