"""Shared test set-up.

The suite runs against whichever database ``DATABASE_URL`` names: `.ci/run` runs it once on
PostgreSQL and once on SQLite. Tests that need PostgreSQL carry ``@pytest.mark.postgres_only``.
"""

import datetime as dt
import importlib
import os
import shutil
import subprocess
from pathlib import Path

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
def reference_data(transactional_db):
    """The rows that data migrations seed (parties, sectors, the Editors and Viewers groups).

    A transactional test ends by emptying every table, which takes those rows with it; a
    later transactional test gets them back by running the same migration functions again,
    on the models as those migrations knew them.
    """
    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(connection).project_state(("tracker", "0004_roles"))
    importlib.import_module("tracker.migrations.0003_vocabularies").add(state.apps, None)
    importlib.import_module("tracker.migrations.0004_roles").create_groups(state.apps, None)


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def ensure_chromium() -> None:
    """Install Debian's chromium when it is missing; in CI a failure fails the run."""
    if Path(CHROMIUM).exists():
        return
    if shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is missing and could not be installed (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium (never a downloaded browser) for one test module.

    Playwright's sync API keeps an event loop running in this thread, which Django's
    async-safety guard would take for async code calling the ORM: the guard is lifted while
    the browser runs, and only then, so no other test inherits it.
    """
    from playwright.sync_api import sync_playwright

    ensure_chromium()
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
