"""How the app's PostgreSQL connections are set up: prepared statements, planner limits and
the setting that django-pgtrigger's guards read."""

from django.db import connection

from indoru.settings import database

URL = "postgres://postgres@127.0.0.1:5432/indoru"


def test_statements_are_prepared_and_join_search_is_bounded():
    config = database(URL)
    options = config["OPTIONS"]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert options["options"] == (
        "-c join_collapse_limit=4 -c random_page_cost=1.1 -c pgtrigger.ignore={}"
    )


def test_options_from_the_url_come_last_so_they_win():
    options = database(f"{URL}?options=-c%20join_collapse_limit%3D8")["OPTIONS"]
    assert options["options"] == (
        "-c join_collapse_limit=4 -c random_page_cost=1.1 -c pgtrigger.ignore={} "
        "-c join_collapse_limit=8"
    )


def test_behind_pgbouncer_neither_is_used(monkeypatch):
    monkeypatch.setenv("DATABASE_BEHIND_PGBOUNCER", "1")
    options = database(URL)["OPTIONS"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options
    assert "options" not in options


def test_the_connection_runs_with_the_planner_settings(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone() == ("4",)
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


def test_the_trigger_guards_read_their_setting_without_an_error(db):
    """Unset, each guarded row's read of it raised and rolled a subtransaction back, which
    scans every trigger event the statement queued: n² for n rows in one statement."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore')")
        assert cursor.fetchone() == ("{}",)
        cursor.execute("SELECT _pgtrigger_should_ignore('anything')")
        assert cursor.fetchone() == (False,)


def test_other_postgresql_backends_are_kept():
    assert database("postgis://postgres@127.0.0.1:5432/indoru")["ENGINE"] == (
        "django.contrib.gis.db.backends.postgis"
    )
