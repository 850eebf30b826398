"""Shared test set-up.

The suite runs against whichever database ``DATABASE_URL`` names: `.ci/run` runs it once on
PostgreSQL and once on SQLite. Tests that need PostgreSQL carry ``@pytest.mark.postgres_only``.
"""

import datetime as dt

import pytest
from django.db import connection

from tracker.models import Party, Sector


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_security_state(settings):
    """Throttle counters live in the cache and would leak from test to test; and django-axes
    refuses ``client.login()``, which authenticates without a request. The tests of throttling
    and lockout (tests/production/test_security.py) turn them on for themselves."""
    from django.core.cache import cache

    settings.AXES_ENABLED = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def india(db) -> Party:
    return Party.objects.get(code="IND")


@pytest.fixture
def russia(db) -> Party:
    return Party.objects.get(code="RUS")


@pytest.fixture
def defence(db) -> Sector:
    return Sector.objects.get(slug="defence")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
