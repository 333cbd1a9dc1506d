"""Data in real formats: loaders, shipped samples with provenance, and synthetic generators.

Every loader returns a pandas DataFrame and rejects bad input with
:class:`govlab.errors.InvalidInput` naming the file, row and column.
"""

from govlab.datasets.nyc311 import load_nyc311
from govlab.datasets.open311 import load_open311, load_open311_notes
from govlab.datasets.requestlog import REQUEST_COLUMNS, REQUEST_DTYPES, load_requests

__all__ = [
    "REQUEST_COLUMNS",
    "REQUEST_DTYPES",
    "load_nyc311",
    "load_open311",
    "load_open311_notes",
    "load_requests",
]
