"""The archived texts of the curated data set's sources (the data set itself is loaded once
for the whole suite: ``curated`` in tests/conftest.py)."""

import os
from pathlib import Path

import pytest
from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The archived texts of the sources: ``../shared/seeds`` beside the repository."""
    if not SEEDS.is_dir():
        message = f"The archived sources are missing: expected them in {SEEDS}."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SEEDS
