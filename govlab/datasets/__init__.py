"""Data in real formats: loaders, shipped samples with provenance, and synthetic generators.

Every loader returns a pandas DataFrame and rejects bad input with
:class:`govlab.errors.InvalidInput` naming the file, row and column. Row numbers
count a CSV file's header as row 1, so the first data row is row 2.

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
from govlab.datasets.gtfs import load_gtfs
from govlab.datasets.metrics import METRIC_COLUMNS, load_metric_series
from govlab.datasets.nyc311 import load_nyc311
from govlab.datasets.open311 import load_open311, load_open311_notes
from govlab.datasets.requestlog import load_requests
from govlab.datasets.samples import SAMPLES, provenance, sample_dir, sample_path

__all__ = [
    "BUDGET_COLUMNS",
    "CHANNEL_VOLUME_COLUMNS",
    "FEEDBACK_COLUMNS",
    "METRIC_COLUMNS",
    "REQUEST_COLUMNS",
    "REQUEST_DTYPES",
    "SAMPLES",
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
    "provenance",
    "sample_dir",
    "sample_path",
]
