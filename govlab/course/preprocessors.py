"""nbgrader preprocessors govlab adds to nbgrader's pipelines (named in a course's config)."""

from __future__ import annotations

from typing import Any

from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from govlab.course.hidden import hidden_lines, redact_cell


class HideHiddenTests(NbGraderPreprocessor):  # type: ignore[misc]
    """Take every hidden test out of a graded notebook before it becomes feedback.

    The hidden lines come from the source notebook as the gradebook keeps it (so a
    learner who deleted or edited a test cell cannot hide one from this step) and
    from the graded notebook itself. Test cells lose their hidden part; an error or
    output that quotes a hidden line becomes a plain note (see
    :func:`govlab.course.hidden.redact_cell`).
    """

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Remove hidden tests from every cell's source and outputs."""
        hidden = hidden_lines(nb.cells) | self._source_hidden_lines(resources)
        for cell in nb.cells:
            redact_cell(cell, hidden)
        return nb, resources

    def _source_hidden_lines(self, resources: dict[str, Any]) -> set[str]:
        info = resources.get("nbgrader", {})
        if not info.get("db_url"):
            return set()
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_notebook(info["notebook"], info["assignment"])
            cells = [{"source": cell.source, "metadata": {}} for cell in notebook.source_cells]
        return hidden_lines(cells)
