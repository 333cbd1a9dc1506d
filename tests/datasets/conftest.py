"""Fixtures for the dataset tests: the small broken and foreign files in ``fixtures/``."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """Folder of tiny files, one per way an input can break (papermill's style)."""
    return FIXTURES
