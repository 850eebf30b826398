"""The curated data set, loaded once for the tests of this package.

Loading it runs ``full_clean()`` on some 300 rows (about 6,000 queries), so it is loaded once
inside a transaction that is rolled back when the package's tests end; every test still runs
in its own savepoint on top of it.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from tracker.services.curated import curated_load

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture(scope="package")
def curated(django_db_setup, django_db_blocker):
    """The report of loading the real data set; the data stays for the package's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield curated_load(fixtures_dir=FIXTURES)
        transaction.set_rollback(True)


@pytest.fixture
def seeds_dir() -> Path:
    """The archived texts of the sources: ``../shared/seeds`` beside the repository."""
    if not SEEDS.is_dir():
        message = f"The archived sources are missing: expected them in {SEEDS}."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SEEDS
