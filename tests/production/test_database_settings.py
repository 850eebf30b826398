"""How the app's PostgreSQL connections are set up: prepared statements, planner limits, and
the check of a pooled connection before it is lent."""

import select
import time

import psycopg
import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from indoru.postgresql.base import check_unless_quiet
from indoru.settings import database

URL = "postgres://postgres@127.0.0.1:5432/indoru"


def test_statements_are_prepared_and_join_search_is_bounded():
    config = database(URL)
    options = config["OPTIONS"]
    assert config["ENGINE"] == "indoru.postgresql"  # page sizes as parameters
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert options["options"] == "-c join_collapse_limit=4"


def test_options_from_the_url_come_last_so_they_win():
    options = database(f"{URL}?options=-c%20join_collapse_limit%3D8")["OPTIONS"]
    assert options["options"] == "-c join_collapse_limit=4 -c join_collapse_limit=8"


def test_behind_pgbouncer_neither_is_used(monkeypatch):
    monkeypatch.setenv("DATABASE_BEHIND_PGBOUNCER", "1")
    options = database(URL)["OPTIONS"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options
    assert "options" not in options


def test_the_connection_runs_with_the_planner_limit(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone() == ("4",)


def test_other_postgresql_backends_are_kept():
    assert database("postgis://postgres@127.0.0.1:5432/indoru")["ENGINE"] == (
        "django.contrib.gis.db.backends.postgis"
    )


def test_the_pool_checks_a_connection_by_its_socket(db):
    assert connection.pool._check is check_unless_quiet


def connect() -> psycopg.Connection:
    """A connection of its own to the test database, as the app's pool opens them."""
    return psycopg.connect(**connection.get_connection_params(), autocommit=True)


def test_a_quiet_connection_is_lent_without_a_round_trip(db, monkeypatch):
    round_trips = []
    monkeypatch.setattr(ConnectionPool, "check_connection", round_trips.append)
    with connect() as quiet:
        check_unless_quiet(quiet)
    assert round_trips == []


def test_a_connection_the_server_ended_fails_its_check(db):
    with connect() as ended:
        with connect() as other:
            other.execute("SELECT pg_terminate_backend(%s)", [ended.info.backend_pid])
        deadline = time.monotonic() + 5
        while not select.select([ended.fileno()], [], [], 0.1)[0]:
            assert time.monotonic() < deadline, "the server did not end the connection"
        with pytest.raises(psycopg.OperationalError):
            check_unless_quiet(ended)
