"""Data in real formats: loaders, shipped samples with provenance, and synthetic generators.

Every loader reads a file as its city published it (encoding, separator, decimal
mark, header row and date order worked out, or given with ``encoding=``,
``sep=``, ``decimal=``, ``dayfirst=``: see :mod:`govlab.datasets.reading`),
returns a pandas DataFrame and rejects bad input with
:class:`govlab.errors.InvalidInput` naming the file, row and column. Rows are the
file's own line numbers: in a plain CSV file the header is row 1, so the first
data row is row 2.

Generators (``generate_*``) make the same shapes at any size from a seed; what
they make is synthetic, and says so (``attrs["synthetic"]`` and ids starting
``SYN-``).
"""

from govlab.datasets.budgets import BUDGET_COLUMNS, load_budget, load_omb_budget
from govlab.datasets.canonical import REQUEST_COLUMNS, REQUEST_DTYPES
from govlab.datasets.channels import (
    CHANNEL_VOLUME_COLUMNS,
    load_channel_costs,
    load_channel_volumes,
)
from govlab.datasets.feedback import FEEDBACK_COLUMNS, load_feedback
from govlab.datasets.gen_feedback import generate_feedback
from govlab.datasets.gen_requests import generate_requests
from govlab.datasets.gen_series import generate_channel_shift, generate_ridership
from govlab.datasets.gtfs import feed_summary, load_gtfs, mode_of
from govlab.datasets.metrics import METRIC_COLUMNS, load_metric_series
from govlab.datasets.nyc311 import load_nyc311
from govlab.datasets.open311 import load_open311, load_open311_notes
from govlab.datasets.reading import Detected, ReadOptions, read_table, sniff
from govlab.datasets.requestlog import load_requests
from govlab.datasets.ridership import RIDERSHIP_COLUMNS, load_ridership
from govlab.datasets.samples import SAMPLES, provenance, sample_dir, sample_path
from govlab.datasets.series import DUPLICATES
from govlab.datasets.words import speaking

__all__ = [
    "BUDGET_COLUMNS",
    "DUPLICATES",
    "CHANNEL_VOLUME_COLUMNS",
    "FEEDBACK_COLUMNS",
    "METRIC_COLUMNS",
    "REQUEST_COLUMNS",
    "REQUEST_DTYPES",
    "RIDERSHIP_COLUMNS",
    "SAMPLES",
    "Detected",
    "ReadOptions",
    "feed_summary",
    "generate_channel_shift",
    "generate_feedback",
    "generate_requests",
    "generate_ridership",
    "load_budget",
    "load_channel_costs",
    "load_channel_volumes",
    "load_feedback",
    "load_gtfs",
    "load_metric_series",
    "load_nyc311",
    "load_omb_budget",
    "load_open311",
    "load_open311_notes",
    "load_requests",
    "load_ridership",
    "mode_of",
    "provenance",
    "read_table",
    "sample_dir",
    "sample_path",
    "sniff",
    "speaking",
]
