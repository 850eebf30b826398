"""Shared test set-up.

The suite runs against whichever PostgreSQL server ``DATABASE_URL`` names (by default the
embedded one that ``dev.py test`` starts), in parallel: each pytest-xdist worker has a test
database of its own and is handed tests in the order below, each worker keeping that order.

The curated data set is loaded once per worker, in a transaction rolled back when the session
ends; every test that asks for it runs in a savepoint on top of it (as Django's
``setUpTestData`` does), so it may change the data freely. Those tests run last: first the
tests that use the database, then the ones that commit (and so empty the tables when they
end), then those without a database, then the curated ones.
"""

import datetime as dt
import importlib
import os
from pathlib import Path

import pytest
from django.db import connection, transaction

from tracker.models import Party, Sector

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's own order (database, committing, neither), the curated tests."""
    items.sort(key=lambda item: "curated" in getattr(item, "fixturenames", ()))


def pytest_configure(config):
    """Passwords are hashed with a fast hasher in tests: PBKDF2's 1,000,000 rounds are there to
    slow an attacker down, and would slow every login of the suite down with it."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Cleared around every test (below): never a Redis that REDIS_URL may name, which others
    # share. Tests of throttling in Redis use keys of their own.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


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


def seed_reference_data() -> None:
    """The rows that data migrations seed (parties, sectors, the Editors and Viewers groups),
    put back where missing by the same migration functions, on the models as those migrations
    knew them. A committing test ends by emptying every table, which takes them with it."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    state = loader.project_state(("tracker", "0004_roles"))
    importlib.import_module("tracker.migrations.0003_vocabularies").add(state.apps, None)
    importlib.import_module("tracker.migrations.0004_roles").create_groups(state.apps, None)
    blocs = "0017_rates_and_bloc_parties"
    state = loader.project_state(("tracker", blocs))
    importlib.import_module(f"tracker.migrations.{blocs}").add_blocs(state.apps, None)


@pytest.fixture
def reference_data(transactional_db):
    """The seeded rows, for a committing test that needs them."""
    seed_reference_data()


@pytest.fixture(scope="session")
def curated_data(django_db_setup, django_db_blocker):
    """The report of loading the curated data set, which stays for the rest of the session."""
    from tracker.services.curated import curated_load

    with django_db_blocker.unblock(), transaction.atomic():
        seed_reference_data()
        yield curated_load(fixtures_dir=FIXTURES)
        transaction.set_rollback(True)


@pytest.fixture
def curated(curated_data, db):
    """The curated data set, for one test; its value is the report of the load."""
    return curated_data


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
    """Debian's chromium is installed by CI (``.ci/run``), never by a test; where it is missing
    the browser tests are skipped, except in CI, where that fails them."""
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


#: The Redis that the tests of throttling in Redis use (keys of their own, never cleared whole).
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """``REDIS_URL`` if a Redis answers there; the tests that need it are skipped where none
    runs, except in CI (``.ci/run``), where that fails them, as for Chromium."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"no Redis at {REDIS_URL} ({error}): start one, or set REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


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


@pytest.fixture(scope="session")
def dev_server(django_db_setup, tmp_path_factory):
    """The development server with the curated data, as ``python3 dev.py run`` serves it
    (``tests/devserver.py``); one per worker, for the tests that need a real HTTP server."""
    from tests.devserver import DevServer

    server = DevServer(tmp_path_factory.mktemp("devserver") / "server.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()
