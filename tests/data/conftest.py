"""The archived texts of the curated data set's sources (the data set itself is loaded once
for the whole suite: ``curated`` in tests/conftest.py)."""

from pathlib import Path

import pytest

from tracker.services.citations import SOURCES_DIR


@pytest.fixture
def seeds_dir() -> Path:
    """The archived texts of the sources, shipped in ``fixtures/sources/``."""
    return SOURCES_DIR
