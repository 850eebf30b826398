"""Fixtures for the tests that run throwaway PostgreSQL clusters and production servers.

They run once per CI pass, in the PostgreSQL run of the suite (they make their own clusters
and do not depend on ``DATABASE_URL``); without PostgreSQL's server programs they are skipped,
except under CI, where that is a failure.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from .cluster import AppServer, Clusters, postgres_bin


@pytest.fixture
def workdir():
    folder = Path(tempfile.mkdtemp(prefix="indoru-cluster-"))
    folder.chmod(0o755)  # the postgres user works in subfolders of it
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clusters(workdir):
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("cluster tests run in the PostgreSQL run of the suite")
    if postgres_bin() is None:
        message = "PostgreSQL server programs (initdb, pg_ctl) are not installed"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    made = Clusters(workdir)
    try:
        yield made
    finally:
        made.stop_all()


@pytest.fixture
def app_servers(workdir):
    """Starts ``AppServer``s (call with a database URL and environment); stops them all."""
    started: list[AppServer] = []

    def start(database_url: str, *serve_options: str, **environment: str) -> AppServer:
        server = AppServer(workdir, database_url, **environment)
        started.append(server)
        server.start(*serve_options)
        return server

    yield start
    for server in started:
        server.stop()
